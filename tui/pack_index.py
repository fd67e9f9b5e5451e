"""The pack's index, 目录.xlsx: one row per file (what it is, where it came from, its name in
the pack), and a second sheet counting the files per unit and kind.

Written in openpyxl's write-only mode, row by row, so an index of 70,000 rows costs little
memory. Real numbers (size) and real dates (received at, local time); text that looks like a
formula stays text; widths fit Chinese (a character takes two columns)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from weekwatch.store.ingest import display_path
from weekwatch.store.pack import Written
from weekwatch.widgets.safe import safe_str

from .report_formats import width

#: (zh, en) of the index's columns.
HEADERS = (
    ("单位", "Unit"),
    ("栏目", "Column"),
    ("类型", "Kind"),
    ("原路径", "Original path"),
    ("包内名称", "Name in the pack"),
    ("收到时间", "Received at"),
    ("按时/迟交", "On time/late"),
    ("推荐", "Recommended"),
    ("推荐说明", "Recommendation note"),
    ("大小（字节）", "Size (bytes)"),
    ("SHA-256", "SHA-256"),
    ("说明", "Remarks"),
)
_WORDS = {
    "on_time": ("按时", "on time"),
    "late": ("迟交", "late"),
    "yes": ("是", "yes"),
    "dup": ("重复（与 {path} 内容相同），未收入", "duplicate of {path}: left out"),
    "gone": ("已不在收件箱，未收入", "no longer in the inbox: left out"),
    "fallback": ("名称含GBK以外的字符，以UTF-8写入", "name outside GBK: written in UTF-8"),
    "sheet": ("目录", "index"),
    "counts": ("统计", "counts"),
    "total": ("合计", "Total"),
}
#: How many rows the column widths are measured on.
_SAMPLE = 2000


def _l(lang: str, pair: tuple[str, str]) -> str:
    return pair[0] if lang == "zh" else pair[1]


def rows(
    written: Sequence[Written],
    lang: str,
    units: dict[str, str],
    column: Callable[[str], str],
    kind: Callable[[str], str],
    tz: dt.tzinfo,
) -> list[list[Any]]:
    """The index's rows, one per file chosen (those left out say why)."""
    out: list[list[Any]] = []
    for w in written:
        it = w.item
        m = it.placed.material
        remarks = []
        if it.duplicate_of is not None:
            remarks.append(_l(lang, _WORDS["dup"]).format(path=display_path(it.duplicate_of)))
        elif m.gone:
            remarks.append(_l(lang, _WORDS["gone"]))
        if w.encoding.startswith("utf-8 ("):
            remarks.append(_l(lang, _WORDS["fallback"]))
        if w.problem:
            remarks.append(w.problem)
        received = it.placed.judged_at.astimezone(tz).replace(tzinfo=None, microsecond=0)
        out.append(
            [
                units.get(it.unit, it.unit),
                column(it.cell),
                kind(it.placed.kind),
                display_path(m.path),
                it.member if w.copied else "",
                received,
                _l(lang, _WORDS["late" if it.late else "on_time"]),
                _l(lang, _WORDS["yes"]) if it.recommended else "",
                it.note,
                m.size,
                m.sha256,
                "；".join(remarks) if lang == "zh" else "; ".join(remarks),
            ]
        )
    return out


def write_index(path: Path, title: str, lang: str, table: list[list[Any]]) -> None:
    """目录.xlsx at `path`: the files, then their counts per unit × kind."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    headers = [_l(lang, h) for h in HEADERS]
    _sheet(wb, _l(lang, _WORDS["sheet"]), title, headers, table)
    kinds = sorted({r[2] for r in table if r[4]})
    counts = Counter((r[0], r[2]) for r in table if r[4])
    unit_names = list(dict.fromkeys(r[0] for r in table if r[4]))
    grid: list[list[Any]] = [
        [u, *(counts.get((u, k), 0) for k in kinds), sum(counts.get((u, k), 0) for k in kinds)]
        for u in unit_names
    ]
    total = _l(lang, _WORDS["total"])
    grid.append([total, *(sum(r[i + 1] for r in grid) for i in range(len(kinds) + 1))])
    _sheet(wb, _l(lang, _WORDS["counts"]), title, [headers[0], *kinds, total], grid)
    wb.save(path)


def _sheet(wb: Any, name: str, title: str, headers: list[str], table: list[list[Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    # Widths and panes are set before the first row: a write-only sheet writes as it goes.
    # The widths are measured on the first rows (capped at 60 anyway): rows read alike.
    sample = table[:_SAMPLE]
    for i, h in enumerate(headers):
        shown = [width(h)] + [width(_shown(r[i])) for r in sample]
        ws.column_dimensions[get_column_letter(i + 1)].width = min(60, max(shown) + 2)
    ws.freeze_panes = "A3"  # the title and the header stay in view
    bold = Font(bold=True)

    def heading(value: str) -> Any:
        c = WriteOnlyCell(ws, value=safe_str(value))
        c.font = bold
        return c

    def cell(value: Any) -> Any:
        # Plain values where they can be (a cell object per value costs more than the value);
        # a datetime gets openpyxl's date format, a number stays a number.
        if not isinstance(value, str):
            return value
        value = safe_str(value)  # XML takes no control characters: spelled out
        if value.startswith("="):
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"  # a name like =1+1.jpg is text, never a formula
            return c
        return value

    ws.append([heading(title)])
    ws.append([heading(h) for h in headers])
    for r in table:
        ws.append([cell(v) for v in r])


def _shown(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return "2024-05-13 12:00"
    return "" if v is None else safe_str(v)
