"""Spreadsheets and CSV files as rows of text: the one place a roster or statistics file is opened.

`.xlsx`, `.xlsm` and old `.xls` (Excel 97–2003, also what WPS saves) are read by python-calamine,
one reader for both formats; CSV and tab-separated text in UTF-8 (with or without BOM) or GB18030.
A cell merged over several rows gives its value to each of them (a unit name merged over its two
liaisons' rows belongs to both); formula cells give the value Excel last computed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import WeekwatchError

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

#: Larger than any list of participating units (thousands of rows are a few MB): a file past
#: this is not a roster, and reading it whole would cost the memory of the machine.
MAX_BYTES = 64 * 1024 * 1024

#: How many cells merged cells may fill downwards in one sheet: a unit per two rows of a
#: large roster, far from what a sheet of merges over a million rows would ask.
_MAX_CARRIED = 200_000

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TEXT_SUFFIXES = (".csv", ".txt")


@dataclass(frozen=True)
class Row:
    """One row of a sheet: its number as the operator sees it, and each cell as text."""

    number: int  # 1-based: the row number in Excel, the line number in a CSV file
    cells: tuple[str, ...]
    carried: frozenset[int] = frozenset()  # columns whose text came down from a merged cell


@dataclass(frozen=True)
class Sheet:
    name: str  # "" for a CSV file
    rows: Iterator[Row] | tuple[Row, ...]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


def open_sheets(path: Path) -> tuple[str, list[Sheet]]:
    """("row" or "line", the file's sheets in workbook order; a CSV file is one sheet).

    The sheets' rows are read lazily: choosing the sheet with a header costs only its first rows.
    """
    suffix = path.suffix.casefold()
    if suffix not in SPREADSHEET_SUFFIXES + TEXT_SUFFIXES:
        raise WeekwatchError(
            f"{path}: unknown roster format '{path.suffix}'; use .xlsx, .xls or .csv"
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise WeekwatchError(f"{path}: no such file") from None
    except OSError as e:
        raise WeekwatchError(f"{path}: cannot read ({e.strerror})") from e
    if not path.is_file():
        raise WeekwatchError(f"{path}: not a file")
    if size > MAX_BYTES:
        raise WeekwatchError(
            f"{path}: {size // (1024 * 1024)} MB is too large for a list of units "
            f"(at most {MAX_BYTES // (1024 * 1024)} MB)"
        )
    if suffix in SPREADSHEET_SUFFIXES:
        return "row", _workbook_sheets(path)
    return "line", [Sheet("", tuple(_csv_rows(path)))]


def open_data(name: str, data: bytes) -> tuple[str, list[Sheet]]:
    """`open_sheets` for a file's bytes (an e-mail's attachment, a zip's member): `name` gives
    its format and names it in messages. The caller has bounded the size."""
    suffix = Path(name).suffix.casefold()
    if suffix not in SPREADSHEET_SUFFIXES + TEXT_SUFFIXES:
        raise WeekwatchError(
            f"{name}: unknown format '{Path(name).suffix}'; use .xlsx, .xls or .csv"
        )
    if suffix in SPREADSHEET_SUFFIXES:
        return "row", _workbook_sheets(Path(name), data)
    return "line", [Sheet("", tuple(_csv_rows(Path(name), data)))]


# --- spreadsheets -------------------------------------------------------------------------------


def _workbook_sheets(path: Path, data: bytes | None = None) -> list[Sheet]:
    import python_calamine as calamine  # a compiled reader: only spreadsheet rosters load it

    try:
        if data is None:
            book = calamine.CalamineWorkbook.from_path(str(path))
        else:
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [
            m.name
            for m in book.sheets_metadata
            if str(m.typ).endswith("WorkSheet") and str(m.visible).endswith(".Visible")
        ] or list(book.sheet_names)
    except Exception as e:  # calamine raises its own errors, and ValueError on garbage
        kind = ".xls" if path.suffix.casefold() == ".xls" else ".xlsx"
        raise WeekwatchError(f"{path}: not a readable {kind} file ({_short(e)})") from e
    return [Sheet(name, _sheet_rows(path, book, name)) for name in names]


def _sheet_rows(path: Path, book: CalamineWorkbook, name: str) -> Iterator[Row]:
    try:
        sheet = book.get_sheet_by_name(name)
        merged = sheet.merged_cell_ranges or []
        top, left = sheet.start or (0, 0)
        rows = sheet.iter_rows()
    except Exception as e:
        raise WeekwatchError(f"{path}, sheet '{name}': cannot be read ({_short(e)})") from e
    # Row → (column, top-left corner) for the cells below the top of a merged range. Only
    # downwards: a heading merged across columns names no other column.
    down: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    budget = _MAX_CARRIED  # a hostile sheet's merges must not cost more than its rows would
    for (r0, c0), (r1, _c1) in merged:
        for r in range(r0 + 1, min(r1, r0 + budget) + 1):
            down.setdefault(r, []).append((c0, (r0, c0)))
        budget -= max(0, min(r1 - r0, budget))
        if budget <= 0:
            break
    wanted = {src for fills in down.values() for _, src in fills}
    pad = ("",) * left
    seen: dict[tuple[int, int], str] = {}
    for i, values in enumerate(rows):
        r = top + i
        cells = pad + tuple(cell_text(v) for v in values)
        carried: set[int] = set()
        if wanted:
            for c, text in enumerate(cells):
                if (r, c) in wanted:
                    seen[(r, c)] = text
            fills = down.get(r)
            if fills:
                as_list = list(cells)
                for c, src in fills:
                    text = seen.get(src, "")
                    if c < len(as_list) and not as_list[c].strip() and text:
                        as_list[c] = text
                        carried.add(c)
                cells = tuple(as_list)
        yield Row(r + 1, cells, frozenset(carried))


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return text[0][:200] if text else type(e).__name__


def cell_text(value: object) -> str:
    """A cell's value as the operator reads it in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel stores typed-in phone numbers and serial numbers as floats: 13812345678.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


# --- CSV ----------------------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> str:
    # UTF-8 first and strictly: GB18030 decodes many UTF-8 byte runs into wrong characters,
    # while GB18030 text almost never happens to be valid UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # UTF-16 without a BOM decodes "successfully" as ASCII with NULs in between.
        if "\x00" not in text:
            return text
    raise WeekwatchError(
        f"{path}: not UTF-8 or GB18030 text; save it from Excel as 'CSV UTF-8' or as .xlsx"
    )


def _csv_rows(path: Path, data: bytes | None = None) -> list[Row]:
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise WeekwatchError(f"{path}: cannot read ({e.strerror})") from e
    text = _decode(path, data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    # .txt rosters are often copied out of Excel, which puts tabs between cells.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            # A quoted cell may span lines; point at the line where the row begins.
            rows.append(Row(start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as e:
        raise WeekwatchError(f"{path}, line {reader.line_num}: {e}") from e
    return rows
