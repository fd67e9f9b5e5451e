"""The `weekwatch status` table: units × columns in Rich, readable without colour."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from weekwatch.store.model import PLAN, SUMMARY
from weekwatch.store.rules import Cells
from weekwatch.widgets.look import STYLE, cell_text, symbols
from weekwatch.widgets.safe import safe_text

from .describe import column_name
from .i18n import I18n
from .status_rows import print_rows_table

EN = I18n("en")


def column_label(column: str, t: I18n = EN) -> str:
    if column == PLAN:
        return t("col.plan")
    if column == SUMMARY:
        return t("cli.sum")
    return column_name(column, t)


def status_table(
    board: Cells,
    only: frozenset[str] | None = None,
    actions: str = "until",
    t: I18n = EN,
    column: str | None = None,
) -> RenderableType:
    """Every unit (with `only`, those having a cell in such a state — in `column`, if given)
    by every column (or only `column`), in `t`'s language."""
    table, title, legend, names, rows = _parts(board, only, actions, t, column)
    for name, row in zip(names, rows, strict=True):
        table.add_row(name, *row)
    return Group(title, table, legend) if column else table


def print_status_table(
    console: Console,
    board: Cells,
    only: frozenset[str] | None = None,
    actions: str = "until",
    t: I18n = EN,
    column: str | None = None,
) -> bool:
    """Print `status_table` on `console`: the same characters; a whole week's table of many
    units put together row by row (tui/status_rows.py). Returns whether it was."""
    if column:
        console.print(status_table(board, only, actions, t, column))
        return False
    table, _, _, names, rows = _parts(board, only, actions, t, column)
    return print_rows_table(console, table, names, rows)


def _parts(
    board: Cells,
    only: frozenset[str] | None,
    actions: str,
    t: I18n,
    column: str | None,
) -> tuple[Table, Text, Text, list[Text], list[list[Text]]]:
    """The table without its rows, its title and legend, and the rows: names and cells."""
    ev = board.event
    when = board.now.astimezone(ev.tz)
    sym = symbols()  # ASCII on the Linux console
    legend = Text("  ".join(f"{sym[s]} {t(f'state.{s}')}" for s in sym))
    title = safe_text(
        t(
            "cli.title",
            title=ev.title,
            when=f"{when:%Y-%m-%d %H:%M %Z}",
            actions=t(f"cli.actions.{actions}"),
        )
    )
    columns = (column,) if column else ev.columns
    if column:
        # One narrow column: a title and legend inside would wrap to its width.
        table = Table(show_lines=False, padding=(0, 0))
    else:
        table = Table(title=title, caption=legend, show_lines=False, padding=(0, 0))
    table.add_column(t("col.unit"), no_wrap=True, min_width=8, max_width=20)
    for col in columns:
        table.add_column(column_label(col, t), justify="center", no_wrap=True, min_width=4)
    names: list[Text] = []
    rows: list[list[Text]] = []
    drawn: dict[tuple[str, int, int, int], Text] = {}  # a few distinct cells, many times each
    for u in board.units:
        cells = [board.cell(u.id, c) for c in columns]
        if only and not any(s.state in only for s in cells):
            continue
        names.append(safe_text(u.name))
        row = []
        for s in cells:
            key = (s.state, s.count, s.have, s.need)
            text = drawn.get(key)
            if text is None:
                text = drawn[key] = Text(
                    cell_text(s.state, s.count, s.have, s.need), style=STYLE[s.state]
                )
            row.append(text)
        rows.append(row)
    if any(state == "not_required" and count for state, count, _, _ in drawn):
        # Explained only where such a cell is shown: an example count beside a week with
        # none would read as files that came.
        legend.append(f"  {cell_text('not_required', 2)} {t('state.not_required_sent', n=2)}")
    return table, title, legend, names, rows
