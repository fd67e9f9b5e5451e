"""The operator's keys: find, mark, excuse, extend, contact, note, undo, rescan, assign, look.

One object the dashboard screen holds and its key actions call. Every write goes through the
Week API with the operator, in a thread worker (store writes take a lock), and is refused
with a notification in read-only or as-of mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from weekwatch.store.config import parse_column, parse_moment
from weekwatch.store.model import KINDS, WeekwatchError

from . import view
from .describe import column_name, record
from .keys import localized
from .messages import ScanDone
from .screens.form import Field, FormScreen, TextScreen
from .screens.picker import UnitPicker
from .screens.quarantine import QuarantineScreen

if TYPE_CHECKING:
    from .screens.dashboard import DashboardScreen


class Triage:
    """The dashboard's actions on the focused cell, the marked rows and the inbox."""

    def __init__(self, screen: DashboardScreen) -> None:
        self.screen = screen
        self.week = screen.week
        self.t = screen.t

    # --- helpers ------------------------------------------------------------------------
    def notify(self, message: str, **kw: object) -> None:
        self.screen.app.notify(message, **kw)  # type: ignore[arg-type]

    def _writable(self) -> bool:
        if self.screen.frozen:
            self.notify(self.t("msg.as_of"), severity="warning")
            return False
        if self.week.read_only:
            self.notify(self.t("msg.read_only"), severity="warning")
            return False
        return True

    def _focus(self) -> tuple[str, str | None] | None:
        """The focused unit and column (None on the name column)."""
        grid = self.screen.grid
        uid, col = grid.focus_unit, grid.focus_column
        if uid is None:
            self.notify(self.t("msg.no_unit"), severity="warning")
            return None
        return uid, col

    def _focus_cell(self) -> tuple[str, str] | None:
        """The focused unit and column, for what needs a cell."""
        focus = self._focus()
        if focus is None:
            return None
        uid, col = focus
        if col is None:
            self.notify(self.t("msg.pick_cell"), severity="warning")
            return None
        return uid, col

    def _targets(self, uid: str) -> list[str]:
        """The marked rows, or else the focused one."""
        marked = self.screen.marked
        return sorted(marked, key=self._roster_index) if marked else [uid]

    def _roster_index(self, uid: str) -> int:
        board = self.screen.board
        ids = [u.id for u in board.units] if board else []
        return ids.index(uid) if uid in ids else len(ids)

    def _who(self, units: list[str], column: str | None) -> str:
        names = {u.id: u.name for u in self.week.units()}
        who = "、".join(names.get(u, u) for u in units[:3])
        if len(units) > 3:
            who += " " + self.t("n_units", n=len(units))
        return f"{who} · {column_name(column, self.t)}" if column else who

    def _act(self, do: Callable[[], str], clear_marks: bool = False) -> None:
        """Run one store write off the UI thread; the result is a toast, errors too."""
        app = self.screen.app

        def work() -> None:
            try:
                done = do()
            except WeekwatchError as exc:
                app.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
                return
            if clear_marks:
                app.call_from_thread(self._clear_marks)
            app.call_from_thread(self.notify, done)
            app.call_from_thread(self.screen.refresh_board)

        self.screen.run_worker(work, thread=True, group="action", exit_on_error=False)

    def _clear_marks(self) -> None:
        if self.screen.is_running:
            self.screen.marked = frozenset()

    def _form(
        self, title: str, fields: list[Field], then: Callable[[dict[str, str]], None]
    ) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                then(values)

        self.screen.app.push_screen(
            localized(FormScreen, self.t)(title, fields, self.t("form.hint")), done
        )

    def _pick_unit(self, then: Callable[[str | None], None]) -> None:
        board = self.screen.board
        if board is None:
            return
        picker = localized(UnitPicker, self.t)(
            board.units, self.t("picker.title"), self.t("picker.placeholder")
        )
        self.screen.app.push_screen(picker, then)

    # --- moving around ------------------------------------------------------------------
    def find(self) -> None:
        screen = self.screen

        def found(uid: str | None) -> None:
            if uid is None:
                return
            if not screen.grid.goto(uid):
                screen.filter = "all"  # the rows are shown again at once (watch_filter)
                screen.grid.goto(uid)
            screen.grid.focus()

        self._pick_unit(found)

    def mark(self) -> None:
        grid = self.screen.grid
        uid = grid.focus_unit
        if uid is None:
            return
        self.screen.marked = self.screen.marked ^ {uid}
        row = grid.cursor_row
        if row < grid.row_count - 1:
            grid.move_cursor(row=row + 1, animate=False)

    # --- recording decisions ------------------------------------------------------------
    def excuse(self) -> None:
        focus = self._focus_cell()
        if focus is None or not self._writable():
            return
        uid, col = focus
        units = self._targets(uid)
        title = self.t("excuse.title", who=self._who(units, col))
        operator = self.screen.operator

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                for u in units:
                    self.week.excuse(u, col, v["reason"], operator=operator)
                return self.t("msg.excused", n=len(units))

            self._act(do, clear_marks=True)

        self._form(title, [Field("reason", self.t("excuse.reason"))], then)

    def extend(self) -> None:
        focus = self._focus_cell()
        if focus is None or not self._writable():
            return
        uid, col = focus
        title = self.t("extend.title", who=self._who([uid], col))
        operator, event, clock = self.screen.operator, self.week.event, self.week.clock

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                until = view.parse_when(v["until"], event, clock())
                self.week.extend(uid, col, until, operator=operator)
                return self.t(
                    "msg.extended", who=self._who([uid], col), until=f"{until:%m-%d %H:%M}"
                )

            self._act(do)

        self._form(title, [Field("until", self.t("extend.until"))], then)

    def contact(self) -> None:
        focus = self._focus()
        if focus is None or not self._writable():
            return
        uid, col = focus
        units = self._targets(uid)
        title = self.t("contact.title", who=self._who(units, col))
        fields = [
            Field("text", self.t("contact.text")),
            Field("by", self.t("contact.by"), required=False),
        ]
        operator, event, clock = self.screen.operator, self.week.event, self.week.clock

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                by = view.parse_when(v["by"], event, clock()) if v["by"].strip() else None
                for u in units:
                    self.week.contact(u, v["text"], col, promised_by=by, operator=operator)
                return self.t("msg.contacted", n=len(units))

            self._act(do, clear_marks=True)

        self._form(title, fields, then)

    def note(self) -> None:
        focus = self._focus()
        if focus is None or not self._writable():
            return
        uid, col = focus
        who = self._who([uid], col)
        operator = self.screen.operator

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                self.week.note(uid, v["text"], col, operator=operator)
                return self.t("msg.noted", who=who)

            self._act(do)

        self._form(self.t("note.title", who=who), [Field("text", self.t("note.text"))], then)

    def undo(self) -> None:
        if not self._writable():
            return
        operator = self.screen.operator

        def do() -> str:
            from weekwatch.store.week import default_operator

            last = self.week.ledger().last_undoable(operator or default_operator())
            if last is None:
                raise WeekwatchError("nothing to undo")
            self.week.undo(last.id, operator=operator)
            what = " ".join(x for x in (last.type, last.unit or "", last.cell or "") if x)
            return self.t("msg.undone", what=what)

        self._act(do)

    # --- the inbox ----------------------------------------------------------------------
    def rescan(self) -> None:
        inbox = self.screen.wapp.inbox
        if inbox.watcher is not None:
            inbox.watcher.request_rescan()
            self.notify(self.t("msg.rescan"), timeout=2)
        elif inbox.following or inbox.wants:
            self.screen.wapp.rescan_elsewhere()  # take over, or say who ingests
        elif self.screen.frozen or self.week.read_only:
            self.screen.refresh_board()
        else:
            self.screen.run_worker(
                self._scan_once, thread=True, exclusive=True, group="scan", exit_on_error=False
            )

    def _scan_once(self) -> None:
        from weekwatch.store.ingest import IngestLock

        app = self.screen.app
        try:
            with IngestLock(self.week.workspace.dbdir):
                batch = self.week.ingestor().scan()
        except WeekwatchError as exc:
            app.call_from_thread(self.notify, str(exc), severity="warning")
            app.call_from_thread(self.screen.refresh_board)
            return
        app.post_message(ScanDone(len(batch.added), len(batch.gone)))

    def quarantine(self) -> None:
        screen = localized(QuarantineScreen, self.t)(
            self.t, self.week.event.tz, self.assign, self.dismiss, writable=self.screen.writable
        )
        self.screen.app.push_screen(screen)
        board = self.screen.board
        if board is not None:
            screen.call_after_refresh(screen.show, board.quarantined)

    def assign(self, path: str) -> None:
        board = self.screen.board
        if not self._writable() or board is None:
            return
        placed = next((p for p in board.quarantined if p.material.path == path), None)
        operator, event = self.screen.operator, self.week.event

        def picked(uid: str | None) -> None:
            if uid is None:
                return
            fields = [
                Field("cell", self.t("assign.cell"), (placed.cell if placed else "") or ""),
                Field("kind", self.t("assign.kind"), placed.kind if placed else "", required=False),
                Field("received", self.t("assign.received"), required=False, skip=True),
                Field("reason", self.t("assign.reason"), required=False, skip=True),
            ]

            def then(v: dict[str, str]) -> None:
                def do() -> str:
                    col = parse_column(v["cell"], event)
                    kind = v["kind"].strip() or None
                    if kind is not None and kind not in KINDS:
                        raise WeekwatchError(f"unknown kind {kind!r}: {', '.join(KINDS)}")
                    text = v["received"].strip()
                    received = parse_moment(text, event.tz) if text else None
                    self.week.assign(
                        path,
                        uid,
                        col,
                        kind,
                        operator=operator,
                        received=received,
                        reason=v["reason"].strip() or None,
                    )
                    return self.t("msg.assigned", path=path, who=self._who([uid], col))

                self._act(do)

            self._form(self.t("assign.title", path=path), fields, then)

        self._pick_unit(picked)

    def dismiss(self, path: str) -> None:
        """Take a file out of quarantine: it is not a material (undoable with `u`)."""
        if not self._writable():
            return
        operator = self.screen.operator

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                self.week.dismiss(path, v["reason"], operator=operator)
                return self.t("msg.dismissed", path=path)

            self._act(do)

        title = self.t("dismiss.title", path=path)
        self._form(title, [Field("reason", self.t("dismiss.reason"))], then)

    # --- looking closer -----------------------------------------------------------------
    def record(self) -> None:
        board = self.screen.board
        if board is None:
            return
        uid, col = self.screen.grid.focus_unit, self.screen.grid.focus_column
        mats = board.materials_of(uid, col) if uid and col else []
        if not mats:
            self.notify(self.t("record.none"), timeout=2)
            return
        body = Text("\n").join(record(p, board, self.t) for p in mats)
        text = localized(TextScreen, self.t)(self.t("record.title"), body, self.t("record.scroll"))
        self.screen.app.push_screen(text)
