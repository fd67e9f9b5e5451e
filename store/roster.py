"""The roster of units: read from the CSV or XLSX a bureau already keeps, and checked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.reading import normalize

#: Unit fields in the order of the English header.
FIELDS = (
    "id",
    "name",
    "aliases",
    "type",
    "region",
    "liaison_name",
    "liaison_phone",
    "liaison_email",
)
#: The Chinese header, column for column.
FIELDS_ZH = ("编号", "单位名称", "简称", "类型", "区域", "联系人", "联系电话", "邮箱")
REQUIRED = ("id", "name")

#: Alias separators: ASCII and full-width semicolons, the enumeration comma 、 and bars.
_ALIAS_SPLIT = re.compile(r"[;；、|｜]")
#: An id is one token: it is typed on the command line and used as a key in the store.
_ID_TOKEN = re.compile(r"[\w-]+")
#: How many rows above the header may hold a title: Excel rosters often start with one
#: merged cell such as "2024年职业教育活动周参与单位名单".
_HEADER_SEARCH_ROWS = 10

Row = tuple[int, list[str]]  # (line or row number in the file, stripped cells)


def fold(text: str) -> str:
    """The form two names are compared in: full-width and half-width alike, case ignored."""
    return normalize(text).strip()


_HEADER_NAMES: dict[str, str] = {
    fold(label): field
    for labels in (FIELDS, FIELDS_ZH)
    for label, field in zip(labels, FIELDS, strict=True)
}


def split_aliases(text: str) -> tuple[str, ...]:
    """Aliases from one cell: split on ; ； 、 |, stripped, empties and repeats dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for part in _ALIAS_SPLIT.split(text):
        alias = part.strip()
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            out.append(alias)
    return tuple(out)


def validate_units(
    units: Sequence[Unit],
    source: str,
    locations: Sequence[str] | None = None,
) -> None:
    """Raise one WeekwatchError for the first problem in a list of units.

    `locations` (one per unit, e.g. "line 7") lets the message point into the file.
    Names, aliases and ids share one namespace: the reading rules match all three against
    file and folder names, so any of them naming two units would make a file ambiguous.
    """

    def where(i: int) -> str:
        return locations[i] if locations is not None else f"unit #{i + 1}"

    ids: dict[str, int] = {}
    labels: dict[str, tuple[int, str]] = {}  # folded label -> (unit index, label as written)
    for i, unit in enumerate(units):
        if not unit.id.strip():
            raise WeekwatchError(f"{source}, {where(i)}: unit '{unit.name}' has no id")
        if not _ID_TOKEN.fullmatch(unit.id):
            raise WeekwatchError(
                f"{source}, {where(i)}: unit id '{unit.id}' must be one word of letters, "
                "digits, _ or - (no spaces)"
            )
        if not unit.name.strip():
            raise WeekwatchError(f"{source}, {where(i)}: unit '{unit.id}' has no name")
        key = fold(unit.id)
        if key in ids:
            j = ids[key]
            raise WeekwatchError(
                f"{source}: duplicate unit id '{unit.id}' ({where(j)} and {where(i)})"
            )
        ids[key] = i
    for i, unit in enumerate(units):
        for label in (unit.id, unit.name, *unit.aliases):
            key = fold(label)
            if not key:
                continue
            j, first = labels.setdefault(key, (i, label))
            if j != i:
                other = units[j]
                raise WeekwatchError(
                    f"{source}: '{label}' names two units: '{other.id}' ({where(j)}, as "
                    f"'{first}') and '{unit.id}' ({where(i)}); an alias must name one unit only"
                )


def read_roster(path: Path) -> list[Unit]:
    """The units in a roster file, in file order, checked with validate_units."""
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise WeekwatchError(
            f"{path}: old Excel .xls files cannot be read; save it as .xlsx or .csv"
        )
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise WeekwatchError(f"{path}: unknown roster format '{path.suffix}'; use .csv or .xlsx")
    if not path.is_file():
        raise WeekwatchError(f"{path}: no such file")
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
        unit_word = "row"
    else:
        rows = _csv_rows(path)
        unit_word = "line"
    return _units_from_rows(path, rows, unit_word)


def _units_from_rows(path: Path, rows: Iterable[Row], word: str) -> list[Unit]:
    columns: dict[str, int] | None = None
    first: Row | None = None  # the first non-blank row: where the header was expected
    units: list[Unit] = []
    locations: list[str] = []
    for number, cells in rows:
        if not any(cells):
            continue
        if columns is None:
            first = first or (number, cells)
            columns = _header(path, number, cells, word)
            if columns is None and number - first[0] >= _HEADER_SEARCH_ROWS:
                break
            continue
        units.append(_unit(cells, columns))
        locations.append(f"{word} {number}")
    if columns is None:
        if first is None:
            raise WeekwatchError(f"{path}: the roster is empty")
        _missing_columns(path, first, word)
    validate_units(units, str(path), locations)
    return units


def _unit(cells: list[str], columns: dict[str, int]) -> Unit:
    def cell(field: str) -> str:
        # Short rows are fine (Excel drops trailing empty cells); cells past the header are
        # ignored.
        i = columns.get(field)
        return cells[i] if i is not None and i < len(cells) else ""

    return Unit(
        id=cell("id"),
        name=cell("name"),
        aliases=split_aliases(cell("aliases")),
        type=cell("type"),
        region=cell("region"),
        liaison_name=cell("liaison_name"),
        liaison_phone=cell("liaison_phone"),
        liaison_email=cell("liaison_email"),
    )


def _header(path: Path, number: int, cells: list[str], word: str) -> dict[str, int] | None:
    """Field -> column index if these cells are a header with id and name, else None."""
    columns: dict[str, int] = {}
    for i, text in enumerate(cells):
        field = _HEADER_NAMES.get(fold(text))
        if field is None:
            continue  # extra columns (备注, 序号, ...) are the bureau's own business
        if field in columns:
            raise WeekwatchError(f"{path}, {word} {number}: the header has two '{text}' columns")
        columns[field] = i
    if all(f in columns for f in REQUIRED):
        return columns
    return None


def _missing_columns(path: Path, first: Row, word: str) -> None:
    number, cells = first
    found = {_HEADER_NAMES.get(fold(c)) for c in cells}
    missing = [f"'{f}' ({FIELDS_ZH[FIELDS.index(f)]})" for f in REQUIRED if f not in found]
    raise WeekwatchError(
        f"{path}, {word} {number}: the header has no {' or '.join(missing)} column; "
        f"expected {','.join(FIELDS)} or {','.join(FIELDS_ZH)}"
    )


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


def _csv_rows(path: Path) -> list[Row]:
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
            rows.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as e:
        raise WeekwatchError(f"{path}, line {reader.line_num}: {e}") from e
    return rows


def _xlsx_rows(path: Path) -> list[Row]:
    import openpyxl  # openpyxl is slow to import; only rosters in XLSX pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as e:
        raise WeekwatchError(f"{path}: not a readable .xlsx file ({e})") from e
    try:
        sheet = book.worksheets[0]
        # Some generators write a wrong sheet size; forgetting it makes openpyxl read it all.
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        rows = [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()  # read-only workbooks keep the file open until closed
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores typed-in phone numbers and ids as floats: 13812345678.0.
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
