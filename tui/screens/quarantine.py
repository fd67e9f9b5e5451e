"""The quarantine view: every file that could not be placed, with its reason, assignable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from weekwatch.store.rules import Placed
from weekwatch.widgets.safe import safe_str

from ..i18n import I18n


class QuarantineScreen(Screen[None]):
    """A table of quarantined files; Enter or `a` starts assigning the highlighted one, `d`
    dismisses it (not a material).

    Build it through `keys.localized`, so its footer speaks the operator's language."""

    BINDINGS = [
        Binding("escape", "back", "key.back", id="quarantine.back", tooltip="key.back.tip"),
        Binding("a", "assign", "key.assign", id="quarantine.assign", tooltip="key.assign.tip"),
        Binding(
            "d", "dismiss_file", "key.dismiss", id="quarantine.dismiss", tooltip="key.dismiss.tip"
        ),
        Binding(
            "j", "cursor_down", "key.down", show=False, id="quarantine.down", tooltip="key.down.tip"
        ),
        Binding("k", "cursor_up", "key.up", show=False, id="quarantine.up", tooltip="key.up.tip"),
    ]

    def __init__(
        self,
        t: I18n,
        tz: dt.tzinfo,
        on_assign: Callable[[str], None],
        take_out: Callable[[str], None] | None = None,
        *,
        writable: bool = True,
        placed: Sequence[Placed] = (),
    ) -> None:
        super().__init__()
        self.writable = writable  # read-only or as-of: assign and dismiss are not offered
        self.t = t
        self.tz = tz
        self.on_assign = on_assign
        self.take_out = take_out  # dismiss a file: not a material
        self.paths: list[str] = []
        self._first = tuple(placed)  # shown as it mounts: `a` right after `i` has its file
        self._drawn = False  # an empty quarantine says so from the first drawing

    def compose(self) -> ComposeResult:
        yield Static(Text(self.t("quarantine.title"), style="bold"), id="quarantine-title")
        yield DataTable(cursor_type="row", id="quarantine-table")
        hint = "quarantine.hint" if self.writable else "quarantine.hint_read_only"
        yield Static(Text(self.t(hint), style="dim"), id="quarantine-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(self.t("quarantine.path"), key="path")
        table.add_column(self.t("quarantine.arrived"), key="arrived")
        table.add_column(self.t("quarantine.reason"), key="reason")
        table.focus()
        self.show(self._first)

    def show(self, placed: Sequence[Placed]) -> None:
        """Refill from the board's quarantined files (keeps the cursor on the same file)."""
        table = self.query_one(DataTable)
        paths = [p.material.path for p in placed if not p.material.gone]
        if paths == self.paths and self._drawn:
            return
        self._drawn = True
        current = self.highlighted
        table.clear()
        self.paths = paths
        for p in placed:
            if p.material.gone:
                continue
            m = p.material
            table.add_row(
                Text(safe_str(m.path), no_wrap=True),
                Text(f"{m.received_at.astimezone(self.tz):%m-%d %H:%M}"),
                Text(safe_str(self.t.reason(p.quarantine))),
                key=m.path,
            )
        if not paths:
            table.add_row(Text(self.t("quarantine.empty"), style="dim"), Text(""), Text(""))
        if current in paths:
            table.move_cursor(row=paths.index(current))

    @property
    def highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        return self.paths[row] if 0 <= row < len(self.paths) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.writable or action not in ("assign", "dismiss_file")

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        if self.writable:
            self.action_assign()

    def action_assign(self) -> None:
        path = self.highlighted
        if path is None:
            self.app.bell()
            return
        self.on_assign(path)

    def action_dismiss_file(self) -> None:
        path = self.highlighted
        if path is None or self.take_out is None:
            self.app.bell()
            return
        self.take_out(path)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
