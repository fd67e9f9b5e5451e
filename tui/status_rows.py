"""`weekwatch status`'s table for a big roster: Rich's frame, the rows written line by line.

Rich lays out and draws every cell of a table through its renderer (~60 µs a cell: over a
second for 2,000 units × 10 columns). The rows of this table are plain names and a few
distinct styled symbols, so Rich draws the frame (title, header, edges, caption) around two
marker rows at the widths it computes for the real rows, and each real row is put together
from the cells Rich drew once per distinct text. The result is Rich's own table, character for
character (`tests/test_status_rows.py` compares them); any other layout goes through Rich.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

#: Below this many rows Rich draws the whole table: cheap, and nothing to gain.
FAST_ROWS = 64
#: A marker cell's character (░): one cell wide, in no label, title or name (else Rich draws).
_MARK = "\u2591"


class _Unusual(Exception):
    """A layout the rows cannot be put together for: Rich draws the whole table."""


def print_rows_table(
    console: Console,
    table: Table,
    names: Sequence[Text],
    cells: Sequence[Sequence[Text]],
) -> bool:
    """Print `table` (its columns, title, caption; no rows yet) with a row per name: the
    name, then its cells; as Rich would print it with those rows added. Returns whether the
    rows were put together here (False: Rich drew the whole table)."""
    try:
        lines = _fast(console, table, names, cells) if len(names) >= FAST_ROWS else None
    except _Unusual:
        lines = None
    if lines is None:
        for name, row in zip(names, cells, strict=True):
            table.add_row(name, *row)
        console.print(table)
        return False
    console.file.write("".join(lines))
    console.file.flush()
    return True


def _fast(
    console: Console, table: Table, names: Sequence[Text], cells: Sequence[Sequence[Text]]
) -> list[str] | None:
    if any(n.spans or n.style or "\n" in n.plain or _MARK in n.plain for n in names):
        return None  # a styled or many-lined name: only Rich lays it out
    labels = (table.title, table.caption, *(c.header for c in table.columns))
    if console.legacy_windows or any(_MARK in str(x) for x in labels if x is not None):
        return None
    if table.columns[0].justify != "left" or table.show_lines or table.row_styles:
        return None
    ncols = len(table.columns)
    # Widths as Rich computes them for these rows: the widest and the longest-worded name,
    # and the widest cell of each column, give the same measurements as every row would.
    widest = max(names, key=lambda t: t.cell_len)
    worded = max(names, key=lambda t: max((cell_len(w) for w in t.plain.split()), default=0))
    columns_cells = list(zip(*cells, strict=True)) if cells else [()] * (ncols - 1)
    wide_cells = [max(col, key=lambda t: t.cell_len) for col in columns_cells]
    probe_rows = [(widest, *wide_cells), (worded, *wide_cells)]
    sizing = _like(table)
    for r in probe_rows:
        sizing.add_row(*r)
    try:
        widths = sizing._calculate_column_widths(console, console.options)
    except (AttributeError, TypeError):  # another Rich than the one this was written for
        return None
    # The frame at those widths around two marker rows (the middle and the last row's edges).
    frame = _like(table, widths)
    for _ in range(2):
        frame.add_row(*(_MARK * w for w in widths))
    with console.capture() as cap:
        console.print(frame)
    text = cap.get()
    drawn = text.splitlines(keepends=True)
    marks = [i for i, line in enumerate(drawn) if _MARK * widths[0] in line]
    if len(marks) != 2 or marks[1] != marks[0] + 1:
        return None
    edges = [_edges(drawn[i], widths) for i in marks]
    if None in edges:
        return None
    head, foot = drawn[: marks[0]], drawn[marks[1] + 1 :]
    drawn_cells: dict[tuple[str, str, int, str], str] = {}

    def cell(t: Text, col: int) -> str:
        key = (t.plain, str(t.style), widths[col], table.columns[col].justify)
        got = drawn_cells.get(key)
        if got is None:
            lines = _draw(console, table, t, col, widths[col])
            if len(lines) != 1:
                raise _Unusual
            got = drawn_cells[key] = lines[0]
        return got

    out = head
    last = len(names) - 1
    blanks = [" " * w for w in widths[1:]]
    for i, (name, row) in enumerate(zip(names, cells, strict=True)):
        left, div, right = edges[1] if i == last else edges[0]  # type: ignore[misc]
        lines = _name(console, table, name, widths[0])
        first = div.join([lines[0], *(cell(t, c + 1) for c, t in enumerate(row))])
        out.append(left + first + right)
        for more in lines[1:]:  # a long name wrapped at its spaces: the cells stay on top
            out.append(left + div.join([more, *blanks]) + right)
    out.extend(foot)
    return out


def _like(table: Table, widths: Sequence[int] | None = None) -> Table:
    t = Table(
        title=table.title,
        caption=table.caption,
        show_lines=table.show_lines,
        padding=table.padding,
        box=table.box,
        safe_box=table.safe_box,
        show_edge=table.show_edge,
        show_header=table.show_header,
        expand=table.expand,
        title_style=table.title_style,
        caption_style=table.caption_style,
    )
    for i, c in enumerate(table.columns):
        if widths is None:
            t.add_column(
                c.header,
                justify=c.justify,
                no_wrap=c.no_wrap,
                min_width=c.min_width,
                max_width=c.max_width,
                overflow=c.overflow,
            )
        else:
            t.add_column(c.header, justify=c.justify, no_wrap=True, width=widths[i])
    return t


def _edges(line: str, widths: Sequence[int]) -> tuple[str, str, str] | None:
    """The left edge, the divider and the right edge of a marker row."""
    body = line.rstrip("\n")
    at = body.find(_MARK)
    left = body[:at]
    pos = at
    divs = []
    for i, w in enumerate(widths):
        if body[pos : pos + w] != _MARK * w:
            return None
        pos += w
        if i < len(widths) - 1:
            nxt = body.find(_MARK, pos)
            if nxt < 0:
                return None
            divs.append(body[pos:nxt])
            pos = nxt
    if len(set(divs)) > 1:
        return None
    return left, divs[0] if divs else "", body[pos:] + "\n"


def _name(console: Console, table: Table, name: Text, width: int) -> list[str]:
    """A name's lines in its column: as it is when it fits, else as Rich cuts or wraps it."""
    if name.cell_len <= width:
        return [name.plain + " " * (width - name.cell_len)]
    return _draw(console, table, name, 0, width)


def _draw(console: Console, table: Table, t: Text, col: int, width: int) -> list[str]:
    column = table.columns[col]
    options = console.options.update(
        width=width,
        justify=column.justify,
        no_wrap=column.no_wrap,
        overflow=column.overflow,
        height=None,
        highlight=column.highlight,
    )
    return [console._render_buffer(line) for line in console.render_lines(t, options, pad=True)]
