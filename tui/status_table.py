"""The `weekwatch status` table: units × columns in Rich, readable without colour."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text

from weekwatch.store.model import PLAN, SUMMARY
from weekwatch.store.rules import Board
from weekwatch.widgets.look import STYLE, cell_text, symbols
from weekwatch.widgets.safe import safe_text


def column_label(column: str) -> str:
    if column == PLAN:
        return "Plan"
    if column == SUMMARY:
        return "Sum."
    return f"{dt.date.fromisoformat(column):%m-%d}"


#: What the title says of the decisions applied (`--actions`).
ACTIONS_TITLE = {
    "until": "decisions until then",
    "all": "with every later decision",
}


def status_table(board: Board, only: frozenset[str] | None = None, actions: str = "until") -> Table:
    ev = board.event
    when = board.now.astimezone(ev.tz)
    sym = symbols()
    legend = "  ".join(f"{sym[s]} {s}" for s in sym)
    table = Table(
        title=safe_text(f"{ev.title} — as of {when:%Y-%m-%d %H:%M %Z} · {ACTIONS_TITLE[actions]}"),
        caption=Text(legend),
        show_lines=False,
        padding=(0, 0),
    )
    table.add_column("Unit", no_wrap=True, min_width=8, max_width=20)
    for col in ev.columns:
        table.add_column(column_label(col), justify="center", no_wrap=True, min_width=4)
    for u in board.units:
        cells = [board.cell(u.id, c) for c in ev.columns]
        if only and not any(s.state in only for s in cells):
            continue
        table.add_row(
            safe_text(u.name),
            *(
                Text(cell_text(s.state, s.count, s.have, s.need), style=STYLE[s.state])
                for s in cells
            ),
        )
    return table
