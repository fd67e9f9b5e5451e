"""The call list: the units to phone for one column, worst first, as `weekwatch report calls`.

The rows are store/report_calls.py's, computed from the dashboard's current board and ledger,
so the list follows the live board (an arrival takes its unit off the list) and never
disagrees with the report. Enter logs a contact through the dashboard's triage (the same form
as `c` on the grid); `p` copies the liaison's phone over OSC 52.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from weekwatch.store.report_calls import Call, calls, calls_column
from weekwatch.store.rules import Board
from weekwatch.widgets.look import SYMBOL
from weekwatch.widgets.safe import safe_str

from ..describe import column_name, kinds_text
from ..i18n import I18n
from ..keys import CALLS_BINDINGS
from ..view import fmt_left

if TYPE_CHECKING:
    from .dashboard import DashboardScreen

#: From this width the table also shows how many cells are missing and the last contact,
#: from WIDEST the e-mail; below it those are in the pane under the table.
WIDE, WIDEST = 100, 140


def state_text(r: Call, t: I18n) -> str:
    """What is wrong with the cell: its state, its lateness, the kinds sent and lacking."""
    text = f"{SYMBOL[r.state.value]} {t(f'state.{r.state.value}')}"
    if r.late_minutes:
        text += " " + fmt_left(dt.timedelta(minutes=r.late_minutes), t)
    if r.sent and r.lacking:
        sent, lacking = kinds_text(r.sent, t), kinds_text(r.lacking, t)
        text += " · " + t("detail.sent_not", sent=sent, lacking=lacking)
    elif r.lacking and r.lacking != ("any",):
        text += " · " + t("detail.lacking", kinds=kinds_text(r.lacking, t))
    return text


def promise_text(r: Call, t: I18n, tz: dt.tzinfo) -> str:
    """The latest promise and, readable without colour, whether one is overdue."""
    promised = [c.promised_by for c in r.contacts if c.promised_by is not None]
    if not promised:
        return ""
    text = f"{max(promised).astimezone(tz):%m-%d %H:%M}"
    return f"‼ {t('calls.overdue')} {text}" if r.promise_overdue else text


def tried_text(r: Call, t: I18n, tz: dt.tzinfo) -> str:
    if not r.contacts:
        return ""
    last = r.contacts[-1]
    when = f"{last.at.astimezone(tz):%m-%d %H:%M}"
    return f"{t('calls.times', n=len(r.contacts))} · {when} {last.operator}"


def _cell(s: object, style: str = "") -> Text:
    return Text(safe_str(s), style=style, no_wrap=True, overflow="ellipsis")


class CallsScreen(Screen[None]):
    """The call list for one column (by default the current one, as the report's)."""

    BINDINGS: ClassVar[list[BindingType]] = [*CALLS_BINDINGS]

    def __init__(self, dashboard: DashboardScreen, column: str | None = None) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.t = dashboard.t
        self.tz = dashboard.event.tz
        self.column = column
        self.rows: list[Call] = []
        self.detail = Text()  # what the pane under the table shows

    def compose(self) -> ComposeResult:
        yield Static(id="calls-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="calls-table")
        yield Static(id="calls-detail")
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#calls-table", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        # Follows the live board: every newly judged board refills the list.
        self.watch(self.dashboard, "board", self._board_changed, init=True)

    def _board_changed(self, board: Board | None) -> None:
        self.show()

    def on_resize(self, _event: events.Resize) -> None:
        self.show()

    # --- drawing --------------------------------------------------------------------------
    def shown_column(self, board: Board) -> str:
        return self.column or calls_column(board)

    def _columns(self, width: int, cells: list[dict[str, Text]]) -> list[tuple[str, str, int]]:
        """The columns that fit `width`, each as wide as its widest cell (within a cap); the
        unit's name takes what is left. Below WIDE the e-mail and the contacts are in the pane."""
        t = self.t
        keys = ["unit", "what"]
        if width >= WIDE:
            keys.append("week")
        keys += ["liaison", "phone"]
        if width >= WIDEST:
            keys.append("email")
        if width >= WIDE:
            keys.append("tried")
        keys.append("promise")
        caps = {"what": 24 if width >= WIDE else 16, "week": 8, "liaison": 8, "phone": 13}
        caps |= {"email": 24, "tried": 24, "promise": 22}
        out: list[tuple[str, str, int]] = []
        for k in keys:
            label = t(f"calls.{k}")
            w = max([cell_len(label), *(c[k].cell_len for c in cells)])
            out.append((k, label, min(w, caps.get(k, w))))
        fixed = sum(w for k, _, w in out if k != "unit") + 2 * len(out) + 2  # padding, scrollbar
        unit = next(w for k, _, w in out if k == "unit")
        out[0] = ("unit", out[0][1], max(8, min(unit, width - fixed)))
        return out

    def _cells(self, r: Call) -> dict[str, Text]:
        t, tz = self.t, self.tz
        return {
            "unit": _cell(r.name),
            "what": _cell(state_text(r, t), "bold" if r.state.value == "missing" else ""),
            "week": _cell(r.missing_week),
            "liaison": _cell(r.liaison),
            "phone": _cell(r.phone),
            "email": _cell(r.email),
            "tried": _cell(tried_text(r, t, tz)),
            "promise": _cell(promise_text(r, t, tz), "bold" if r.promise_overdue else ""),
        }

    def show(self) -> None:
        """Refill from the dashboard's board (the cursor stays on the same unit)."""
        board = self.dashboard.board
        if board is None or not self.is_mounted:
            return
        current = self.highlighted
        col = self.shown_column(board)
        self.rows = calls(board, self.dashboard.ledger, col)
        name = column_name(col, self.t)
        title = self.t("calls.title", col=name, n=len(self.rows))
        self.query_one("#calls-title", Static).update(Text(title, style="bold"))
        table = self.table
        cells = [self._cells(r) for r in self.rows]
        if not cells:  # one dim row saying so
            nobody = defaultdict(Text, unit=_cell(self.t("calls.empty", col=name), "dim"))
            cells.append(nobody)
        cols = self._columns(self.size.width or self.app.size.width, cells)
        keys = tuple(k for k, _, _ in cols)
        with self.app.batch_update():
            table.clear(columns=True)
            for k, label, w in cols:
                table.add_column(Text(label), key=k, width=w)
            for i, c in enumerate(cells):
                table.add_row(*(c[k] for k in keys), key=self.rows[i].unit if self.rows else None)
            ids = [r.unit for r in self.rows]
            if current is not None and current.unit in ids:
                table.move_cursor(row=ids.index(current.unit), animate=False)
        self.update_detail()

    @property
    def highlighted(self) -> Call | None:
        row = self.table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def update_detail(self) -> None:
        """The highlighted unit in full: liaison, e-mail, every contact and promise."""
        r = self.highlighted
        pane = self.query_one("#calls-detail", Static)
        if r is None:
            self.detail = Text(self.t("calls.hint"), style="dim")
            pane.update(self.detail)
            return
        t, tz = self.t, self.tz
        text = Text()
        text.append(safe_str(r.name), style="bold")
        text.append(f"  {state_text(r, t)}  " + t("calls.missing_week", n=r.missing_week))
        text.append("\n" + safe_str(f"{r.liaison}  {r.phone}  {r.email}"))
        if not r.contacts:
            text.append("\n" + t("calls.none_tried"), style="dim")
        for c in r.contacts:
            line = f"{c.at.astimezone(tz):%m-%d %H:%M} {c.operator}: {c.text}"
            if c.promised_by is not None:
                by = f"{c.promised_by.astimezone(tz):%m-%d %H:%M}"
                line += " → " + t("calls.promised", when=by)
            text.append("\n" + safe_str(line))  # the text typed is untrusted too
            if c.overdue:
                text.append(f" ‼ {t('calls.overdue')}", style="bold")
        self.detail = text
        pane.update(text)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.update_detail()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_contact()

    # --- the keys -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A read-only or looking-back dashboard does not offer to log a call.
        return self.dashboard.writable or action not in ("contact", "remind")

    def action_back(self) -> None:
        self.dismiss(None)

    def action_contact(self) -> None:
        r = self.highlighted
        if r is None:
            self.app.notify(self.t("msg.nobody"), severity="warning", timeout=3)
            return
        self.dashboard.triage.contact_units([r.unit], r.cell, clear_marks=False)

    def action_remind(self) -> None:
        """E-mail the listed units (the marked ones among them, if any) for the shown column."""
        board = self.dashboard.board
        if board is None:
            return
        ids = [r.unit for r in self.rows]
        marked = [u for u in ids if u in self.dashboard.marked]
        self.dashboard.reminding.remind(marked or ids, self.shown_column(board))

    def action_copy_phone(self) -> None:
        r = self.highlighted
        if r is None:
            self.app.notify(self.t("msg.nobody"), severity="warning", timeout=3)
            return
        who = f"{r.name} {r.liaison}".strip()
        if not r.phone.strip():
            self.app.notify(self.t("msg.no_phone", who=who), severity="warning")
            return
        self.app.copy_to_clipboard(r.phone.strip())
        self.app.notify(self.t("msg.copied", who=who, phone=r.phone.strip()))

    def action_column(self, step: int) -> None:
        board = self.dashboard.board
        if board is None:
            return
        cols = board.event.columns
        i = cols.index(self.shown_column(board)) + step
        if 0 <= i < len(cols):
            self.column = cols[i]
            self.show()
        else:
            self.app.bell()

    def action_export(self) -> None:
        board = self.dashboard.board
        cell = self.shown_column(board) if board is not None else ""
        self.dashboard.export("calls", {"cell": cell})

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()
