"""The operator's keys: find, mark, excuse, extend, contact, note, undo, rescan, assign, look.

One object the dashboard screen holds and its key actions call. Every write goes through the
Week API with the operator, in a thread worker (store writes take a lock), and is refused
with a notification in read-only or as-of mode. A form reads what was typed before it closes
(store/vocab.py: a mistake stays in the form, under its field); a risky write asks y/n first,
naming what will happen (tui/guards.py decides what is risky).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from weekwatch.store import vocab
from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import default_operator, new_batch

from . import guards, recommending
from .describe import column_name, record
from .guards import kind_name, kind_names
from .keys import localized
from .messages import ScanDone
from .screens.confirm import ConfirmScreen
from .screens.form import Check, Field, FormScreen
from .screens.picker import UnitPicker
from .screens.quarantine import QuarantineScreen
from .screens.record import RecordScreen

if TYPE_CHECKING:
    from weekwatch.store.rules import Placed

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
        return guards.who(guards.names(self.week.units()), units, column, self.t)

    def _act(self, do: Callable[[], str], clear_marks: bool = False) -> None:
        """Run one store write off the UI thread; the result is a toast, errors too."""
        app = self.screen.app

        def work() -> None:
            try:
                done = do()
            except WeekwatchError as exc:
                message = guards.say(exc, self.t)
                app.call_from_thread(self.notify, message, severity="error", timeout=8)
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
        self,
        title: str,
        fields: list[Field],
        then: Callable[[dict[str, str]], None],
        check: Check | None = None,
        intro: str = "",
    ) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                then(values)

        form = localized(FormScreen, self.t)(
            title,
            fields,
            self.t("form.steps"),
            check=check,
            required=self.t("form.required"),
            intro=intro,
        )
        self.screen.app.push_screen(form, done)

    def _confirm(self, title: str, body: str, yes: Callable[[], None]) -> None:
        """Ask y/n before a write the operator may regret; `yes` runs only on y."""
        ask = localized(ConfirmScreen, self.t)(title, body, self.t("confirm.hint"))
        self.screen.app.push_screen(ask, lambda ok: yes() if ok else None)

    def _moment(self, name: str, text: str, into: dict[str, object]) -> dict[str, str]:
        """Read a moment typed in field `name` into `into[name]`; the mistake, if any."""
        try:
            into[name] = vocab.parse_when(text, self.week.event, self.week.clock())
        except WeekwatchError as exc:
            return {name: guards.say(exc, self.t)}
        return {}

    def _pick_unit(
        self,
        then: Callable[[str | None], None],
        title: str | None = None,
        first: list[str] | None = None,
        intro: str = "",
    ) -> None:
        board = self.screen.board
        if board is None:
            return
        picker = localized(UnitPicker, self.t)(
            board.units,
            title or self.t("picker.title"),
            self.t("picker.placeholder"),
            first=first or (),
            intro=intro,
        )
        self.screen.app.push_screen(picker, then)

    def ask_operator(self) -> None:
        """The login name is shared: ask once who is operating, remember it (per person,
        outside the workspace: store/operators.py) and record every action under it."""
        from weekwatch.store import operators

        if not self.screen.writable:
            return
        t, login = self.t, operators.login_name()

        def then(v: dict[str, str]) -> None:
            name = v["name"].strip()
            try:
                operators.remember(name)
            except (OSError, WeekwatchError) as exc:  # a read-only home: use it, say so
                self.notify(str(exc), severity="warning")
            self.screen.operator = name
            self.notify(t("msg.operator", name=name))

        def check(v: dict[str, str]) -> dict[str, str]:
            name = v["name"].strip()
            bad = not name or any(ord(c) < 32 for c in name) or name.lower() == login.lower()
            return {"name": t("operator.body", login=login)} if bad else {}

        fields = [Field("name", t("operator.name"))]
        self._form(t("operator.title"), fields, then, check, intro=t("operator.body", login=login))

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
        t, board, operator = self.t, self.screen.board, self.screen.operator

        def then(v: dict[str, str]) -> None:
            def write() -> None:
                batch = new_batch() if len(units) > 1 else None

                def do() -> str:
                    for u in units:
                        self.week.excuse(u, col, v["reason"], operator=operator, batch=batch)
                    return t("msg.excused", n=len(units))

                self._act(do, clear_marks=True)

            on_time = guards.on_time(board, units, col) if board is not None else []
            if on_time:
                body = t("confirm.on_time.body", who=self._who(on_time, col))
                self._confirm(t("confirm.on_time.title"), body, write)
            else:
                write()

        title = t("excuse.title", who=self._who(units, col))
        self._form(title, [Field("reason", t("excuse.reason"))], then)

    def extend(self) -> None:
        focus = self._focus_cell()
        if focus is None or not self._writable():
            return
        uid, col = focus
        t, operator, event = self.t, self.screen.operator, self.week.event
        who = self._who([uid], col)
        read: dict[str, object] = {}

        def then(_v: dict[str, str]) -> None:
            until = read["until"]
            assert isinstance(until, dt.datetime)

            def write() -> None:
                def do() -> str:
                    self.week.extend(uid, col, until, operator=operator)
                    return t("msg.extended", who=who, until=guards.local(until, event.tz))

                self._act(do)

            old = guards.earlier_deadline(event, self.week.ledger(), uid, col, until)
            if old is not None:
                body = t(
                    "confirm.earlier.body",
                    who=who,
                    old=guards.local(old, event.tz),
                    new=guards.local(until, event.tz),
                )
                self._confirm(t("confirm.earlier.title"), body, write)
            else:
                write()

        field = Field("until", t("extend.until"), note=self._examples())
        self._form(
            t("extend.title", who=who),
            [field],
            then,
            check=lambda v: self._moment("until", v["until"], read),
        )

    def _examples(self) -> str:
        sep = "、" if self.t.lang == "zh" else ", "
        return sep.join(vocab.moment_examples(self.week.event, self.week.clock(), self.t.lang))

    def contact(self) -> None:
        focus = self._focus()
        if focus is None or not self._writable():
            return
        uid, col = focus
        self.contact_units(self._targets(uid), col)

    def contact_units(self, units: list[str], col: str | None, clear_marks: bool = True) -> None:
        """The contact form for these units and cell (the grid's, or a call-list row's)."""
        if not self._writable():
            return
        t, board, operator = self.t, self.screen.board, self.screen.operator
        fields = [
            Field("text", t("contact.text")),
            Field("by", t("contact.by"), required=False, note=self._examples()),
        ]
        read: dict[str, object] = {}

        def check(v: dict[str, str]) -> dict[str, str]:
            read["by"] = None
            return self._moment("by", v["by"], read) if v["by"].strip() else {}

        # Several marked rows: each unit's call is about its own gap, not the cursor's column.
        several = len(units) > 1 and board is not None
        cells = {u: guards.own_gap(board, u, col) if several else col for u in units}  # type: ignore[arg-type]

        def then(v: dict[str, str]) -> None:
            by = read.get("by")
            assert by is None or isinstance(by, dt.datetime)
            batch = new_batch() if several else None

            def do() -> str:
                for u in units:
                    self.week.contact(
                        u, v["text"], cells[u], promised_by=by, operator=operator, batch=batch
                    )
                if not several:
                    return t("msg.contacted", n=1)
                names = guards.names(self.week.units())
                each = "、".join(
                    f"{names.get(u, u)} {column_name(c, t)}" if c else names.get(u, u)
                    for u, c in list(cells.items())[:3]
                )
                return t("msg.contacted_each", n=len(units), cells=each)

            self._act(do, clear_marks=clear_marks)

        self._form(t("contact.title", who=self._who(units, col)), fields, then, check=check)

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
        """Take back this operator's newest action (a batch as one), saying what; when only
        another operator's is left, ask first, naming whose and what."""
        if not self._writable():
            return
        t, operator = self.t, self.screen.operator
        me = operator or default_operator()
        ledger = self.week.ledger()
        last = ledger.last_undoable(me) or ledger.last_undoable()
        if last is None:
            self.notify(t("msg.nothing_undo"), severity="warning")
            return
        what = guards.action_text(ledger.batch(last), guards.names(self.week.units()), t)

        def write() -> None:
            def do() -> str:
                self.week.undo(last.id, operator=operator)
                return t("msg.undone_what", what=what)

            self._act(do)

        if last.operator != me:
            at = guards.local(last.at, self.week.event.tz)
            body = t("confirm.others.body", operator=last.operator, at=at, what=what)
            self._confirm(t("confirm.others.title"), body, write)
        else:
            write()

    def redo(self) -> None:
        """Put back what this operator's newest undo took back."""
        if not self._writable():
            return
        t, operator = self.t, self.screen.operator

        def do() -> str:
            try:
                redo = self.week.redo(operator=operator)
            except WeekwatchError:
                raise WeekwatchError(t("msg.nothing_redo")) from None
            undo = next(a for a in self.week.ledger().actions if a.id == redo.data["target"])
            back = self.week.taken_back(undo)
            what = guards.action_text(back or [undo], guards.names(self.week.units()), t)
            return t("msg.redone", what=what)

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
        board = self.screen.board
        screen = localized(QuarantineScreen, self.t)(
            self.t,
            self.week.event.tz,
            self.assign,
            self.dismiss,
            writable=self.screen.writable,
            placed=board.quarantined if board is not None else (),
        )
        self.screen.app.push_screen(screen)

    def assign(self, path: str) -> None:
        """Assign a quarantined file: the unit first (those its name suggests offered first),
        then its cell and kind, the chosen unit and the file's full path in sight throughout."""
        board = self.screen.board
        if not self._writable() or board is None:
            return
        placed = next((p for p in board.quarantined if p.material.path == path), None)
        t, operator, event = self.t, self.screen.operator, self.week.event
        full = str(self.week.workspace.inbox / path)
        first = guards.suggested(placed, board.units)
        names = guards.names(board.units)
        intro = t("assign.suggested", names="、".join(names[u] for u in first)) if first else ""

        def picked(uid: str | None) -> None:
            if uid is None:
                return
            cell = (placed.cell if placed else "") or ""
            fields = [
                Field("cell", t("assign.cell"), column_name(cell, t) if cell else ""),
                Field(
                    "kind",
                    t("assign.kind"),
                    kind_name(placed.kind, t) if placed else "",
                    required=False,
                    note=t("assign.kinds", kinds=kind_names(t)),
                ),
                Field("received", t("assign.received"), required=False, skip=True),
                Field("reason", t("assign.reason"), required=False, skip=True),
            ]
            read: dict[str, object] = {}

            def check(v: dict[str, str]) -> dict[str, str]:
                errors: dict[str, str] = {}
                try:
                    read["cell"] = vocab.parse_cell(v["cell"], event, self.week.clock())
                except WeekwatchError as exc:
                    errors["cell"] = guards.say(exc, t)
                kind = v["kind"].strip()
                read["kind"] = None
                if kind:
                    try:
                        read["kind"] = vocab.parse_kind(kind)
                    except WeekwatchError:
                        errors["kind"] = t("input.kind", text=kind, kinds=kind_names(t))
                read["received"] = None
                if v["received"].strip():
                    errors |= self._moment("received", v["received"], read)
                    if not v["reason"].strip():
                        errors["reason"] = t("form.required")
                return errors

            def then(v: dict[str, str]) -> None:
                col, received, kind = read["cell"], read["received"], read["kind"]
                assert isinstance(col, str) and (kind is None or isinstance(kind, str))
                assert received is None or isinstance(received, dt.datetime)

                def do() -> str:
                    self.week.assign(
                        path,
                        uid,
                        col,
                        kind,
                        operator=operator,
                        received=received,
                        reason=v["reason"].strip() or None,
                    )
                    return t("msg.assigned", path=path, who=self._who([uid], col))

                self._act(do)

            title = t("assign.for", path=full, who=names.get(uid, uid))
            self._form(title, fields, then, check=check)

        self._pick_unit(picked, t("assign.pick", path=full), first, intro)

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

    def recommend(self) -> None:
        """★ on every file of the focused cell (with a note), or off if all carry it."""
        board, focus = self.screen.board, self._focus_cell()
        if board is None or focus is None:
            return
        uid, col = focus
        paths = [p.material.path for p in board.materials_of(uid, col)]
        if not paths:
            self.notify(self.t("record.none"), timeout=2)
            return
        recommending.toggle(self, paths, self._who([uid], col))

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
        ledger = self.screen.ledger
        records = [record(p, board, self.t, ledger) for p in mats]
        week = self.week

        def marked() -> frozenset[str]:
            return frozenset(week.ledger().recommended)

        def toggle(p: Placed) -> None:
            recommending.toggle(self, [p.material.path], p.material.path, done=shown.show_marks)

        shown = localized(RecordScreen, self.t)(
            self.t("record.title"), mats, records, self.t("record.hint"), marked, toggle
        )
        self.screen.app.push_screen(shown)
