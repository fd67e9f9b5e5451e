"""`report stats` in a terminal: its table in Rich, fitted to the width, and the on-time share of
each day as a bar chart.

Only for a terminal: printed to a pipe or a file, the share is plain characters
(`report_cli._share_lines`), which paste anywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.bar import Bar
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from weekwatch.widgets.look import STYLE
from weekwatch.widgets.safe import safe_text

from .describe import column_name
from .i18n import I18n

#: The bar's length in cells at 100%.
WIDTH = 30


def share_colour(share: float) -> str:
    """Green from 80%, the colour of "due" from half, the colour of "missing" below."""
    if share >= 0.8:
        return STYLE["on_time"].split()[-1]
    if share >= 0.5:
        return STYLE["due"].split()[-1]
    return STYLE["missing"].split()[-1]


def share_chart(per_day: list[dict[str, Any]], t: I18n) -> Table:
    """One line per day: the day, a bar as long as its on-time share, the share and n/m."""
    zh = t.lang == "zh"
    chart = Table.grid(padding=(0, 1))
    chart.title = "每日按时报送率" if zh else "On-time share per day"
    chart.title_justify = "left"
    for _ in range(4):
        chart.add_column()
    for d in per_day:
        label = Text(column_name(d["day"], t))
        share = d["share"]
        if share is None:
            chart.add_row(label, Text("未截止" if zh else "not yet due", style="dim"), "", "")
            continue
        bar = Bar(1.0, 0, share, width=WIDTH, color=share_colour(share))
        chart.add_row(
            label, bar, Text(f"{share:.0%}", justify="right"), f"({d['on_time']}/{d['owing']})"
        )
    return chart


def rich_table(title: str, headers: list[str], rows: list[list[Any]]) -> Table:
    """A report table for the terminal: Rich fits it to the width (headers wrap, names stay);
    numbers right-aligned; the last row, the totals, set apart. Every cell is shown as text."""
    table = Table(
        title=safe_text(title),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,  # the box draws a space between columns: 80 columns hold the week
        pad_edge=False,
    )
    for i, h in enumerate(headers):
        numeric = all(isinstance(r[i], int | float | None) for r in rows)
        # Narrow terminals: a number's label folds (典型/案例) to the width of its figures,
        # so the words keep their room.
        digits = max([len(str(r[i])) for r in rows if r[i] is not None] or [1])
        table.add_column(
            safe_text(h),
            justify="right" if numeric else "left",
            no_wrap=i == 0,
            overflow="fold",
            max_width=max(4, digits) if numeric else None,
            # a word (未开始) stays whole; the totals' longer words may fold
            min_width=max(4, digits) if numeric else _widest(r[i] for r in rows[:-1]),
        )
    for n, r in enumerate(rows):
        cells = [safe_text("" if v is None else str(v)) for v in r]
        table.add_row(
            *cells, end_section=n == len(rows) - 2, style="bold" if n == len(rows) - 1 else ""
        )
    return table


def _widest(cells: Iterable[Any]) -> int:
    return max([cell_len(str(c)) for c in cells if c is not None] or [1])
