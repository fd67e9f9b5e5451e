"""A report table as an Excel workbook: a title row naming the event and the moment, a frozen
header row, columns wide enough for Chinese text, real numbers (a share as a percentage)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .report_formats import Cell, width


def write_xlsx(
    path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "report"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(headers))
    for c in ws[2]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([v for v in r])
        for c, v in zip(ws[ws.max_row], r, strict=False):
            if isinstance(v, float):
                c.number_format = "0%"
    ws.freeze_panes = "A3"  # the title and the header stay in view
    for i, h in enumerate(headers, start=1):
        shown = [width(str(h))] + [width("" if r[i - 1] is None else str(r[i - 1])) for r in rows]
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = min(60, max(shown) + 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
