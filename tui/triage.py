"""The operator's keys: find, filter, sort, excuse, extend, contact, note, undo, mark, assign.

A mixin of the app. Every action goes through the Week API with the operator, in a worker
(store writes take a lock), and is refused with a notification in read-only or as-of mode.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work

from weekwatch.store.config import parse_column
from weekwatch.store.model import KINDS, WeekwatchError

from . import view
from .describe import column_name, record
from .messages import ScanDone
from .screens.form import Field, FormScreen, TextScreen
from .screens.help import HelpScreen
from .screens.picker import UnitPicker
from .screens.quarantine import QuarantineScreen


class Triage:
    """Key actions of WeekwatchApp (which provides week, board, grid, t, notify, ...)."""

    # --- helpers ------------------------------------------------------------------------
    def _writable(self) -> bool:
        if self.frozen:
            self.notify(self.t("msg.as_of"), severity="warning")
            return False
        if self.week.read_only:
            self.notify(self.t("msg.read_only"), severity="warning")
            return False
        return True

    def _focus(self, need_column: bool = True) -> tuple[str, str | None] | None:
        uid, col = self.grid.focus_unit, self.grid.focus_column
        if uid is None:
            self.notify(self.t("msg.no_unit"), severity="warning")
            return None
        if need_column and col is None:
            self.notify(self.t("msg.pick_cell"), severity="warning")
            return None
        return uid, col

    def _targets(self, uid: str) -> list[str]:
        """The marked rows, or else the focused one."""
        return sorted(self.marked, key=self._roster_index) if self.marked else [uid]

    def _roster_index(self, uid: str) -> int:
        ids = [u.id for u in self.board.units] if self.board else []
        return ids.index(uid) if uid in ids else len(ids)

    def _who(self, units: list[str], column: str | None) -> str:
        names = {u.id: u.name for u in self.week.units()}
        who = "、".join(names.get(u, u) for u in units[:3])
        if len(units) > 3:
            who += " " + self.t("n_units", n=len(units))
        return f"{who} · {column_name(column, self.t)}" if column else who

    @work(thread=True, group="action", exit_on_error=False)
    def _act(self, do: Callable[[], str], clear_marks: bool = False) -> None:
        """Run one store write off the UI thread; the result is a toast, errors too."""
        try:
            done = do()
        except WeekwatchError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
            return
        if clear_marks:
            self.call_from_thread(self._clear_marks)
        self.call_from_thread(self.notify, done)
        self.call_from_thread(self.refresh_board)

    def _clear_marks(self) -> None:
        if not self.is_running:
            return
        self.marked.clear()
        self.show_rows()
        self._update_header()

    def _form(
        self, title: str, fields: list[Field], then: Callable[[dict[str, str]], None]
    ) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                then(values)

        self.push_screen(FormScreen(title, fields, self.t("form.hint")), done)

    # --- moving around ------------------------------------------------------------------
    def action_find(self) -> None:
        if self.board is None:
            return

        def found(uid: str | None) -> None:
            if uid is None:
                return
            if not self.grid.goto(uid):
                self.filter = "all"
                self.show_rows()
                self.grid.goto(uid)
                self._update_header()
            self.grid.focus()

        units = self.board.units
        self.push_screen(
            UnitPicker(units, self.t("picker.title"), self.t("picker.placeholder")), found
        )

    def set_filter(self, filter_: str) -> None:
        self.filter = filter_
        self.show_rows()
        self._update_header()
        self._update_detail()

    def set_sort(self, sort: str) -> None:
        self.sort = sort
        self.show_rows()
        self._update_header()

    def action_cycle_filter(self) -> None:
        self.set_filter(view.FILTERS[(view.FILTERS.index(self.filter) + 1) % len(view.FILTERS)])

    def action_cycle_sort(self) -> None:
        self.set_sort(view.SORTS[(view.SORTS.index(self.sort) + 1) % len(view.SORTS)])

    def action_mark(self) -> None:
        uid = self.grid.focus_unit
        if uid is None:
            return
        self.marked.symmetric_difference_update({uid})
        self.show_rows()
        self._update_header()
        row = self.grid.cursor_row
        if row < self.grid.row_count - 1:
            self.grid.move_cursor(row=row + 1, animate=False)

    # --- recording decisions ------------------------------------------------------------
    def action_excuse(self) -> None:
        focus = self._focus()
        if focus is None or not self._writable():
            return
        uid, col = focus
        units = self._targets(uid)
        title = self.t("excuse.title", who=self._who(units, col))

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                for u in units:
                    self.week.excuse(u, col, v["reason"], operator=self.operator)
                return self.t("msg.excused", n=len(units))

            self._act(do, clear_marks=True)

        self._form(title, [Field("reason", self.t("excuse.reason"))], then)

    def action_extend(self) -> None:
        focus = self._focus()
        if focus is None or not self._writable():
            return
        uid, col = focus
        title = self.t("extend.title", who=self._who([uid], col))

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                until = view.parse_when(v["until"], self.event, self.clock())
                self.week.extend(uid, col, until, operator=self.operator)
                return self.t(
                    "msg.extended", who=self._who([uid], col), until=f"{until:%m-%d %H:%M}"
                )

            self._act(do)

        self._form(title, [Field("until", self.t("extend.until"))], then)

    def action_contact(self) -> None:
        focus = self._focus(need_column=False)
        if focus is None or not self._writable():
            return
        uid, col = focus
        units = self._targets(uid)
        title = self.t("contact.title", who=self._who(units, col))
        fields = [
            Field("text", self.t("contact.text")),
            Field("by", self.t("contact.by"), required=False),
        ]

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                by = view.parse_when(v["by"], self.event, self.clock()) if v["by"].strip() else None
                for u in units:
                    self.week.contact(u, v["text"], col, promised_by=by, operator=self.operator)
                return self.t("msg.contacted", n=len(units))

            self._act(do, clear_marks=True)

        self._form(title, fields, then)

    def action_note(self) -> None:
        focus = self._focus(need_column=False)
        if focus is None or not self._writable():
            return
        uid, col = focus
        who = self._who([uid], col)

        def then(v: dict[str, str]) -> None:
            def do() -> str:
                self.week.note(uid, v["text"], col, operator=self.operator)
                return self.t("msg.noted", who=who)

            self._act(do)

        self._form(self.t("note.title", who=who), [Field("text", self.t("note.text"))], then)

    def action_undo(self) -> None:
        if not self._writable():
            return

        def do() -> str:
            from weekwatch.store.week import default_operator

            last = self.week.ledger().last_undoable(self.operator or default_operator())
            if last is None:
                raise WeekwatchError("nothing to undo")
            self.week.undo(last.id, operator=self.operator)
            what = " ".join(x for x in (last.type, last.unit or "", last.cell or "") if x)
            return self.t("msg.undone", what=what)

        self._act(do)

    # --- the inbox ----------------------------------------------------------------------
    def action_rescan(self) -> None:
        if self.watcher is not None:
            self.watcher.request_rescan()
            self.notify(self.t("msg.rescan"), timeout=2)
        elif self.frozen or self.week.read_only or self.following:
            self.refresh_board()  # someone else ingests: just re-read the store
        else:
            self._scan_once()

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _scan_once(self) -> None:
        from weekwatch.store.ingest import IngestLock

        try:
            with IngestLock(self.week.workspace.dbdir):
                batch = self.week.ingestor().scan()
        except WeekwatchError as exc:
            self.call_from_thread(self.notify, str(exc), severity="warning")
            self.call_from_thread(self.refresh_board)
            return
        self.post_message(ScanDone(len(batch.added), len(batch.gone)))

    def action_quarantine(self) -> None:
        screen = QuarantineScreen(self.t, self.event.tz, self._assign)
        self.push_screen(screen)
        if self.board is not None:
            screen.call_after_refresh(screen.show, self.board.quarantined)

    def _assign(self, path: str) -> None:
        if not self._writable() or self.board is None:
            return
        placed = next((p for p in self.board.quarantined if p.material.path == path), None)

        def picked(uid: str | None) -> None:
            if uid is None:
                return
            fields = [
                Field("cell", self.t("assign.cell"), (placed.cell if placed else "") or ""),
                Field("kind", self.t("assign.kind"), placed.kind if placed else "", required=False),
            ]

            def then(v: dict[str, str]) -> None:
                def do() -> str:
                    col = parse_column(v["cell"], self.event)
                    kind = v["kind"].strip() or None
                    if kind is not None and kind not in KINDS:
                        raise WeekwatchError(f"unknown kind {kind!r}: {', '.join(KINDS)}")
                    self.week.assign(path, uid, col, kind, operator=self.operator)
                    return self.t("msg.assigned", path=path, who=self._who([uid], col))

                self._act(do)

            self._form(self.t("assign.title", path=path), fields, then)

        units = self.board.units
        self.push_screen(
            UnitPicker(units, self.t("picker.title"), self.t("picker.placeholder")), picked
        )

    # --- looking closer -----------------------------------------------------------------
    def action_record(self) -> None:
        if self.board is None:
            return
        uid, col = self.grid.focus_unit, self.grid.focus_column
        mats = self.board.materials_of(uid, col) if uid and col else []
        if not mats:
            self.notify(self.t("record.none"), timeout=2)
            return
        from rich.text import Text

        body = Text("\n").join(record(p, self.board, self.t) for p in mats)
        self.push_screen(TextScreen(self.t("record.title"), body, self.t("record.close")))

    def action_help(self) -> None:
        """Built from the bindings themselves, so it never disagrees with the keys."""
        ours = [b for _, b in self._bindings if b.id and b.id.startswith(("app.", "grid."))]
        self.push_screen(HelpScreen(ours, self.t))
