"""How a report is written out: a table of labelled columns as plain text (no box drawing, so
it pastes into a WeChat message), Markdown, or CSV in UTF-8 with a BOM (so Excel opens Chinese
right). JSON is each report's own stable shape (store/report_*.py)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from weekwatch.widgets.safe import safe_str

#: A table cell. A float is a share (shown as a percentage); a figure with decimals, as a unit
#: typed it into its statistics form, is a Decimal (shown as it is, a number in a workbook).
Cell = str | int | float | Decimal | None
BOM = "\ufeff"


def _show(v: Cell) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.0%}"
    if isinstance(v, Decimal):
        return f"{v:f}"
    return safe_str(str(v))


def width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    shown = [[_show(v) for v in r] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in shown]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), *(line(r) for r in shown)])


def md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("*", "\\*")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    out = ["| " + " | ".join(esc(h) for h in headers) + " |"]
    out.append("|" + "|".join(" --- " for _ in headers) + "|")
    out.extend("| " + " | ".join(esc(_show(v)) for v in r) + " |" for r in rows)
    return "\n".join(out)


def csv_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """CSV with a BOM; numbers stay numbers, a share is written as a fraction (0.75)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow([_csv_cell(v) for v in r])
    return BOM + buf.getvalue()


def _csv_cell(v: Cell) -> Cell:
    # A unit's text starting like a formula would run as one in Excel: keep it text.
    if v is None:
        return ""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


def json_text(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
