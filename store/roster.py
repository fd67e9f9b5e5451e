"""The roster of units, read from the spreadsheet a bureau really has: the liaison sheet the units
sent back (title rows, a merged heading, 序号 | 单位名称 | 联络员 | … , no id column, two e-mails
in a cell, a 合计 row, notes at the bottom), a CSV export, or an exact template.

`read_sheet` makes a `Roster` (what the file says, row by row, with what it skipped and why);
`store/roster_merge.py` turns it into units against a workspace's roster.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import roster_cells as cells_
from .model import Unit, WeekwatchError
from .reading import normalize
from .roster_header import (
    FIELDS,
    KNOWN_OTHER,
    Header,
    extend_header,
    fold_label,
    header_like,
    is_sub_header,
    read_header,
)
from .sheets import Row, Sheet, column_letter, open_sheets

__all__ = [
    "FIELDS",
    "FIELDS_ZH",
    "MAX_UNITS",
    "Entry",
    "Roster",
    "Skipped",
    "fold",
    "read_roster",
    "read_sheet",
    "split_aliases",
    "validate_units",
]

#: The exact Chinese template, column for column (what `units list` and the docs show).
FIELDS_ZH = ("编号", "单位名称", "简称", "类型", "区域", "联系人", "联系电话", "邮箱")
#: More units than any activity week has (a province's schools are a few thousand): a sheet
#: past this is not a list of participating units, and reading on would cost minutes.
MAX_UNITS = 10_000
#: How many non-blank rows above the header may hold titles, notes and instructions.
HEADER_SEARCH_ROWS = 30

#: Alias separators: ASCII and full-width semicolons, the enumeration comma 、, the full-width
#: comma, bars and line breaks. Not the ASCII comma: CSV uses it.
_ALIAS_SPLIT = re.compile(r"[;；、，|｜\r\n]")
#: An id is one token: it is typed on the command line and used as a key in the store.
_ID_TOKEN = re.compile(r"[\w-]+")

#: Sheet names of instructions and samples, not rosters.
_INSTRUCTIONS = re.compile(r"说明|示例|样例|样表|填表须知|须知|instruction|readme|example", re.I)

#: Why a row is not a unit, as the summary counts it.
REASONS = {
    "total": "a 合计/总计 row",
    "note": "a note, not a unit",
    "header": "the header repeated",
    "no_name": "no 单位名称",
}


def fold(text: str) -> str:
    """The form two names are compared in: full-width and half-width alike, case ignored."""
    return normalize(text).strip()


def split_aliases(text: str) -> tuple[str, ...]:
    """Aliases from one cell: split on ; ； 、 ， | and line breaks; empties and repeats dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for part in _ALIAS_SPLIT.split(text):
        alias = cells_.clean(part)
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            out.append(alias)
    return tuple(out)


@dataclass(frozen=True)
class Skipped:
    """A row that is not a unit, and why."""

    row: int
    reason: str  # a key of REASONS
    text: str  # the row's first words, for the operator to recognise it

    @property
    def why(self) -> str:
        return REASONS[self.reason]


@dataclass(frozen=True)
class Entry:
    """One unit as the file states it (before it meets the workspace's roster)."""

    rows: tuple[int, ...]
    where: str  # "row 4", "rows 4–5", "line 7"
    name: str
    id: str = ""
    aliases: tuple[str, ...] = ()
    type: str = ""
    region: str = ""
    liaison_names: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Roster:
    """What one roster file says: the header found, the units, what was skipped, the warnings."""

    path: str
    word: str  # "row" (a spreadsheet) or "line" (CSV)
    sheet: str  # the sheet read; "" for CSV
    sheets: tuple[str, ...]  # every sheet of the workbook
    header: Header
    header_cells: tuple[str, ...]
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...] = ()
    blank_rows: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def fields(self) -> frozenset[str]:
        """The unit fields this file has a column for."""
        return self.header.fields


def read_roster(path: Path) -> list[Unit]:
    """The units of a roster file as a fresh workspace would import them, checked."""
    from .roster_merge import plan_import

    return [c.unit for c in plan_import((), read_sheet(path)).changes]


def read_sheet(
    path: Path, *, sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> Roster:
    """Read a roster file: the named sheet, or the first with a header naming the unit's name.

    `mapping` (folded label → field, from `--map`) names columns the labels do not.
    """
    word, sheets = open_sheets(path)
    names = tuple(s.name for s in sheets)
    mapping = dict(mapping or {})
    if sheet is not None:
        if word == "line":
            raise WeekwatchError(f"{path}: --sheet: a CSV file has only one sheet")
        wanted = [s for s in sheets if s.name == sheet] or [
            s for s in sheets if fold_label(s.name) == fold_label(sheet)
        ]
        if not wanted:
            raise WeekwatchError(
                f"{path}: no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}"
            )
        sheets = wanted
    else:
        # A sheet named for instructions or a sample is read last: its sample rows look like
        # units. sorted() is stable: the others keep the workbook's order.
        sheets = sorted(sheets, key=lambda s: bool(_INSTRUCTIONS.search(s.name)))
    best: tuple[int, int, Sequence[str], str] | None = None  # the likeliest header, for errors
    first: Roster | None = None
    for s in sheets:
        found = _find_header(path, s, word, mapping)
        if isinstance(found, _Found):
            _check_map(path, s.name, word, found, mapping)
            roster = _read_rows(
                path, word, s.name, names, found.header, found.cells, found.rest, mapping
            )
            # An instructions sheet may hold a sample header with nothing under it: the
            # roster is the first sheet whose header has units below it.
            if roster.entries:
                return roster
            first = first or roster
            continue
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], found[1], found[2], s.name)
    if first is not None:
        return first
    _no_header(path, word, names, best, mapping, empty=best is None)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Found:
    header: Header
    cells: tuple[str, ...]
    rest: Iterable[Row]  # the rows below the header, not read yet


def _find_header(
    path: Path, sheet: Sheet, word: str, mapping: Mapping[str, str]
) -> _Found | tuple[int, int, Sequence[str]] | None:
    """The header and the rows after it; or (score, row, cells) of the likeliest header row
    if no row names the unit's name; or None if the sheet is empty."""
    rows = iter(sheet.rows)
    seen = 0
    best: tuple[int, int, Sequence[str]] | None = None
    for row in rows:
        cells = tuple(cells_.clean(c) for c in row.cells)
        if not any(cells):
            continue
        seen += 1
        try:
            header = read_header(row.number, cells, mapping)
        except WeekwatchError as e:
            where = f", sheet '{sheet.name}'" if sheet.name else ""
            raise WeekwatchError(f"{path}{where}, {word} {row.number}: {e}") from None
        # One label alone in a row full of text is a sentence's word (学校 in an instruction),
        # not a header; a header names two columns, or is the only cell of its row.
        filled = sum(1 for c in cells if c)
        if header is not None and (filled == 1 or header_like(cells) >= 2 or mapping):
            return _Found(header, cells, rows)
        score = header_like(cells) * 1000 + sum(1 for c in cells if c and len(c) <= 12)
        if best is None or score > best[0]:
            best = (score, row.number, cells)
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def _check_map(
    path: Path, sheet: str, word: str, found: _Found, mapping: Mapping[str, str]
) -> None:
    """A --map naming no column of the header is a typo: say so rather than ignore it."""
    labels = {fold_label(c) for c in found.cells if c}
    missing = [k for k in mapping if k not in labels]
    if missing:
        where = f", sheet '{sheet}'" if sheet else ""
        cols = " | ".join(c for c in found.cells if c)
        raise WeekwatchError(
            f"{path}{where}, {word} {found.header.row}: --map names no column of the header: "
            f"{', '.join(repr(m) for m in missing)}; the columns are {cols}"
        )


def _no_header(
    path: Path,
    word: str,
    names: tuple[str, ...],
    best: tuple[int, int, Sequence[str], str] | None,
    mapping: Mapping[str, str],
    empty: bool,
) -> None:
    if empty or best is None:
        raise WeekwatchError(f"{path}: the roster is empty")
    _, number, cells, sheet = best
    where = f", sheet '{sheet}'" if sheet else ""
    found = [c for c in cells if c]
    example = next(
        (c for c in found if fold_label(c) not in KNOWN_OTHER and len(c) <= 12), "单位全称"
    )
    missing = [f"'{c}'" for c in mapping if c not in {fold_label(x) for x in found}]
    unknown = f"; --map names no column of it: {', '.join(missing)}" if missing else ""
    others = f" (sheets: {', '.join(names)})" if len(names) > 1 else ""
    raise WeekwatchError(
        f"{path}{where}, {word} {number}: no column holds the unit's name (单位名称); the "
        f"columns found are {' | '.join(found[:20])}{unknown}{others}. Say which column holds "
        f"what with --map 列名=field, e.g. --map {example}=name"
    )


@dataclass
class _Building:
    """A unit being read: a second liaison row adds to it."""

    rows: list[int]
    name: str
    id: str = ""
    aliases: list[str] = field(default_factory=list)
    type: str = ""
    region: str = ""
    liaison_names: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)

    def freeze(self, word: str) -> Entry:
        first, last = self.rows[0], self.rows[-1]
        where = f"{word} {first}" if first == last else f"{word}s {first}–{last}"
        return Entry(
            rows=tuple(self.rows),
            where=where,
            name=self.name,
            id=self.id,
            aliases=tuple(self.aliases),
            type=self.type,
            region=self.region,
            liaison_names=tuple(self.liaison_names),
            phones=tuple(self.phones),
            emails=tuple(self.emails),
        )


def _add(target: list[str], values: Iterable[str]) -> None:
    for v in values:
        if v and v not in target:
            target.append(v)


def _read_rows(
    path: Path,
    word: str,
    sheet: str,
    sheets: tuple[str, ...],
    header: Header,
    header_cells: tuple[str, ...],
    rows: Iterable[Row],
    mapping: Mapping[str, str],
) -> Roster:
    name_col = header.of("name")[0].index
    id_cols = header.of("id")
    numbering = [c.index for c in header.columns if fold_label(c.label) in ("序号", "编号")]
    liaison_fields = ("liaison_name", "liaison_phone", "liaison_email")
    liaison_cols = [c.index for f in liaison_fields for c in header.of(f)]
    building: list[_Building] = []
    by_name: dict[str, _Building] = {}
    skipped: list[Skipped] = []
    warnings: list[str] = []
    blank = 0
    last_was_unit = False
    first_data = True
    place = f"{path}, sheet '{sheet}'" if sheet else str(path)

    def cell_ref(index: int, number: int) -> str:
        label = header.label(index)
        if word == "row":
            return f"{word} {number}, {label} ({column_letter(index)}{number})"
        return f"{word} {number}, {label}"

    for row in rows:
        cells = tuple(cells_.clean(c) for c in row.cells)
        filled = [i for i, c in enumerate(cells) if c]
        if not filled:
            blank += 1
            last_was_unit = False
            continue
        if first_data and is_sub_header(cells):
            # A two-row header: 联系方式 merged over 办公电话 | 手机.
            wider = extend_header(header, cells, mapping)
            first_data = False
            if wider != header:
                header = wider
                liaison_cols = [c.index for f in liaison_fields for c in header.of(f)]
                continue
        first_data = False

        def get(index: int, cells: tuple[str, ...] = cells) -> str:
            return cells[index] if index < len(cells) else ""

        name = cells_.one_line(get(name_col))
        first = cells[filled[0]]
        text = " ".join(cells[i] for i in filled)[:80]
        if cells_.is_total(name) or cells_.is_total(first):
            skipped.append(Skipped(row.number, "total", text))
            last_was_unit = False
            continue
        if cells_.is_note(first) or cells_.is_note(name):
            skipped.append(Skipped(row.number, "note", text))
            last_was_unit = False
            continue
        if is_sub_header(cells) or fold_label(name) == fold_label(header.label(name_col)):
            skipped.append(Skipped(row.number, "header", text))
            last_was_unit = False
            continue
        if not name:
            numbered = any(get(i) and i not in row.carried for i in numbering)
            liaison = any(get(i) for i in liaison_cols)
            ids = any(get(c.index) for c in id_cols)
            if last_was_unit and liaison and not numbered and not ids and building:
                # A unit name merged over its two liaisons' rows, saved without the merge
                # (CSV): the second row belongs to the unit above.
                unit = building[-1]
                unit.rows.append(row.number)
                _liaison(unit, header, cells, row.number, cell_ref, warnings)
                continue
            if len(filled) == 1 and filled[0] not in liaison_cols:
                reason = "no_name" if cells[filled[0]].isdigit() else "note"
                skipped.append(Skipped(row.number, reason, text))
            else:
                skipped.append(Skipped(row.number, "no_name", text))
                warnings.append(
                    f"{cell_ref(name_col, row.number)}: no unit name; the row is skipped"
                )
            last_was_unit = False
            continue
        if len(filled) == 1 and filled[0] != name_col:
            skipped.append(Skipped(row.number, "note", text))
            last_was_unit = False
            continue
        key = re.sub(r"\s+", "", fold(name))
        listed = by_name.get(key)
        if listed is not None:
            if name_col not in row.carried and not last_was_unit:
                warnings.append(
                    f"{cell_ref(name_col, row.number)}: '{name}' was already listed "
                    f"({word} {listed.rows[0]}); this row's liaison is added to it"
                )
            listed.rows.append(row.number)
            unit = listed
        else:
            if len(building) >= MAX_UNITS:
                raise WeekwatchError(
                    f"{place}, {word} {row.number}: more than {MAX_UNITS} units; a list this "
                    "long is not a roster of participating units (is this the right sheet?)"
                )
            unit = _Building([row.number], name)
            building.append(unit)
            by_name[key] = unit
        _fields(unit, header, cells, row.number, cell_ref, warnings)
        _liaison(unit, header, cells, row.number, cell_ref, warnings)
        last_was_unit = True
    return Roster(
        path=str(path),
        word=word,
        sheet=sheet,
        sheets=sheets,
        header=header,
        header_cells=header_cells,
        entries=tuple(b.freeze(word) for b in building),
        skipped=tuple(skipped),
        blank_rows=blank,
        warnings=tuple(warnings),
    )


CellRef = Callable[[int, int], str]


def _at(cells: tuple[str, ...], index: int) -> str:
    """A row's cell, or blank where the row is shorter than the header."""
    return cells[index] if index < len(cells) else ""


def _fields(
    unit: _Building,
    header: Header,
    cells: tuple[str, ...],
    number: int,
    cell_ref: CellRef,
    warnings: list[str],
) -> None:
    """The unit's own columns: the first row that fills one decides it."""
    for fname in ("id", "type", "region"):
        for col in header.of(fname):
            value = _at(cells, col.index)
            if not value:
                continue
            held = getattr(unit, fname)
            value = cells_.one_line(value)
            if not held:
                setattr(unit, fname, value)
            elif held != value:
                warnings.append(
                    f"{cell_ref(col.index, number)}: '{value}' differs from '{held}' above; "
                    f"'{held}' is kept"
                )
    for col in header.of("aliases"):
        value = _at(cells, col.index)
        _add(unit.aliases, split_aliases(value))


def _liaison(
    unit: _Building,
    header: Header,
    cells: tuple[str, ...],
    number: int,
    cell_ref: CellRef,
    warnings: list[str],
) -> None:
    for col in header.of("liaison_name"):
        value = _at(cells, col.index)
        _add(unit.liaison_names, cells_.names(value))
    for col in header.of("liaison_phone"):
        value = _at(cells, col.index)
        good, bad = cells_.phones(value)
        _add(unit.phones, good)
        for piece in bad:
            warnings.append(
                f"{cell_ref(col.index, number)}: '{piece}' is not a phone number; kept as written"
            )
        _add(unit.phones, bad)
    for col in header.of("liaison_email"):
        value = _at(cells, col.index)
        good, bad = cells_.emails(value)
        _add(unit.emails, good)
        for piece in bad:
            warnings.append(
                f"{cell_ref(col.index, number)}: '{piece}' is not an e-mail address; the unit "
                "is imported without it"
            )


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
