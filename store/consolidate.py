"""The 情况统计表: the bureau's template and the figures a unit filled into its copy of it.

A template is a spreadsheet (or CSV) with a header row of field labels, often below a merged
title row (2024年职业教育活动周情况统计表) and a 填表单位 line. Its numeric fields are the header's
labels that are not the unit's name, a liaison's details, 序号 or 备注. A unit's file is found to
match when its labels, compared after NFKC, traditional → simplified, spaces, width and bracketed
notes ignored (参与人数（人次） = 参与人数 (人次) = 參與人數), stand in one row — in any order, at
any height — or down one column with the values to their right. Nothing here writes a file.
Pure: `read_template` and `read_figures` take what sheets.py reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .model import WeekwatchError
from .reading import normalize
from .roster_header import KNOWN_OTHER, fold_label, label_field
from .sheets import Row, Sheet, open_data, open_sheets

#: How many rows may stand above the header (titles, 填表单位, instructions).
HEADER_SEARCH_ROWS = 30
#: Rows read below the header: a unit's copy has one row, a county's a row per school.
MAX_DATA_ROWS = 2_000
#: Formats a statistics file may have.
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")

#: Header labels that hold text, not figures: who filled the form in, and how to reach them.
_TEXT_LABELS = frozenset(
    fold_label(normalize(x))
    for x in (
        "填表单位",
        "填报单位",
        "报送单位",
        "单位名称",
        "填表人",
        "填报人",
        "审核人",
        "负责人",
        "填表日期",
        "填报日期",
        "日期",
        "时间",
        "活动名称",
        "活动内容",
        "活动主题",
        "主要活动",
        "特色亮点",
        "说明",
        "备注",
    )
)
#: A row naming the sum of the rows above it.
_TOTAL = re.compile(r"^(合计|总计|小计|总数|汇总|total)")


def fold(text: str) -> str:
    """A label as compared: NFKC, traditional → simplified, case, spaces and notes ignored."""
    return fold_label(normalize(text))


#: Endings of a label naming who filled the row in (二级学院, 参与单位, 学校名称): text.
_WHO_ENDINGS = ("单位", "名称", "学院", "学校", "院校", "部门", "系部", "院系", "县市区")


def _is_text_label(label: str) -> bool:
    key = fold(label)
    return (
        key in _TEXT_LABELS
        or key in KNOWN_OTHER
        or key.endswith(_WHO_ENDINGS)
        or label_field(key) is not None
    )


@dataclass(frozen=True)
class Template:
    """The template's numeric fields, as labelled in it, left to right."""

    path: str
    fields: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(fold(f) for f in self.fields)


# --- problems: a code and its arguments, worded by the reports -----------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a unit's figures. Codes:

    - `no_file`: no statistics file counted for the unit
    - `not_spreadsheet` (file): the statistics file is not .xlsx/.xls/.csv
    - `unreadable` (file, detail): the file cannot be opened or read
    - `changed` (file): the file is not what was read when it arrived
    - `no_match` (labels): none of the template's labels is in the file
    - `missing` (labels): these labels are not in the file
    - `empty` (label): the field is left blank
    - `blank`: every field is left blank (the template sent back unfilled)
    - `not_number` (label, text): the field holds this text, not a number
    - `negative` (label, value): the value is below zero (left out of the totals)
    - `summed` (rows): several rows and no 合计 row: their sum is taken
    """

    code: str
    args: dict[str, object] = field(default_factory=dict, compare=False)

    def json(self) -> dict[str, object]:
        return {"code": self.code, **self.args}


@dataclass(frozen=True)
class Figures:
    """What one unit's file says: a value per template field (None: none usable)."""

    values: dict[str, float | int | None]
    problems: tuple[Problem, ...]
    negative: frozenset[str] = frozenset()  # fields whose (kept) value is below zero

    def counted(self, label: str) -> float | int | None:
        """The value the totals take: a negative one is a mistake, not a figure."""
        return None if label in self.negative else self.values.get(label)


# --- the template ------------------------------------------------------------------------------


def read_template(path: Path) -> Template:
    """The template's numeric fields; one WeekwatchError naming the file when there are none."""
    if path.suffix.casefold() not in SUFFIXES:
        raise WeekwatchError(
            f"--template {path}: a template is a .xlsx, .xls or .csv file, not '{path.suffix}'"
        )
    try:
        _, sheets = open_sheets(path)
        heads = [_head(sheet) for sheet in sheets]
    except WeekwatchError as e:
        raise WeekwatchError(f"--template {e}") from None
    for rows in heads:
        header = _template_header(rows)
        if header is None:
            continue
        labels = [c.strip() for c in header.cells if c.strip()]
        fields = [lb for lb in labels if not _is_text_label(lb)]
        if not fields:
            continue
        seen: dict[str, str] = {}
        for f in fields:
            key = fold(f)
            if key in seen:
                raise WeekwatchError(
                    f"--template {path}: two columns are labelled '{seen[key]}' and '{f}'; "
                    "give each field a label of its own"
                )
            seen[key] = f
        return Template(str(path), tuple(fields))
    raise WeekwatchError(
        f"--template {path}: no header row with figures to fill in (labels such as 参与人数, "
        "活动场次) in its first rows"
    )


def _head(sheet: Sheet) -> list[Row]:
    out: list[Row] = []
    for row in sheet.rows:
        out.append(row)
        if len(out) >= HEADER_SEARCH_ROWS:
            break
    return out


def _template_header(rows: Sequence[Row]) -> Row | None:
    """The row of labels: the most cells of text that are not numbers (a title row has one,
    a 填表单位 line two or three, an example row mostly figures); the first on a tie."""
    best: tuple[int, Row] | None = None
    for row in rows:
        words = sum(1 for c in row.cells if c.strip() and number(c) is None)
        if words >= 2 and (best is None or words > best[0]):
            best = (words, row)
    return best[1] if best else None


# --- a unit's file ---------------------------------------------------------------------------


def number(text: str) -> float | int | None:
    """A cell's text as a number as people type it (１２, 1,200, 12.5, -3), or None."""
    t = normalize(text).strip().replace(",", "").replace(" ", "")
    if not t:
        return None
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", t):
        return None
    v = float(t)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def read_figures(name: str, data: bytes, template: Template) -> Figures:
    """The figures in one unit's file (its bytes; `name` gives the format)."""
    if Path(name).suffix.casefold() not in SUFFIXES:
        return _none(template, Problem("not_spreadsheet", {"file": name}))
    try:
        _, sheets = open_data(name, data)
        best: tuple[int, _Match] | None = None
        for sheet in sheets:
            rows = _rows(sheet)
            for match in (_across(rows, template), _down(rows, template)):
                if match is not None and (best is None or len(match.columns) > best[0]):
                    best = (len(match.columns), match)
            if best is not None and best[0] == len(template.fields):
                break
    except WeekwatchError as e:
        return _none(template, Problem("unreadable", {"file": name, "detail": str(e)}))
    if best is None:
        return _none(template, Problem("no_match", {"labels": list(template.fields)}))
    return best[1].figures(template)


def _none(template: Template, problem: Problem) -> Figures:
    return Figures(dict.fromkeys(template.fields), (problem,))


def _rows(sheet: Sheet) -> list[Row]:
    out: list[Row] = []
    for row in sheet.rows:
        out.append(row)
        if len(out) >= HEADER_SEARCH_ROWS + MAX_DATA_ROWS:
            break
    return out


@dataclass(frozen=True)
class _Match:
    """Where the template's fields stand in a file: a header row and the data rows below it
    (`cells`: per data row, field → text), or labels down a column with values beside them."""

    columns: tuple[str, ...]  # the fields found
    cells: tuple[dict[str, str], ...]  # the data rows (a total row alone, if there is one)
    summed: int = 0  # data rows added up (no total row)

    def figures(self, template: Template) -> Figures:
        problems: list[Problem] = []
        missing = [f for f in template.fields if f not in self.columns]
        if missing:
            problems.append(Problem("missing", {"labels": missing}))
        if self.summed > 1:
            problems.append(Problem("summed", {"rows": self.summed}))
        values: dict[str, float | int | None] = {}
        negative: set[str] = set()
        for f in template.fields:
            if f not in self.columns:
                values[f] = None
                continue
            total: float | int | None = None
            texts = [row.get(f, "").strip() for row in self.cells]
            if not any(texts):
                problems.append(Problem("empty", {"label": f}))
            for text in texts:
                if not text:
                    continue
                v = number(text)
                if v is None:
                    problems.append(Problem("not_number", {"label": f, "text": text}))
                    total = None
                    break
                total = v if total is None else total + v
            values[f] = total
            if total is not None and total < 0:
                negative.add(f)
                problems.append(Problem("negative", {"label": f, "value": total}))
        blank = [p for p in problems if p.code == "empty"]
        if blank and len(blank) == len(self.columns):
            # The template sent back as it came: one problem, not one per field.
            problems = [p for p in problems if p.code != "empty"]
            problems.append(Problem("blank"))
        return Figures(values, tuple(problems), frozenset(negative))


def _across(rows: Sequence[Row], template: Template) -> _Match | None:
    """The row holding most of the template's labels, and the figures below it."""
    keys = dict(zip(template.keys, template.fields, strict=True))
    best: tuple[int, int, dict[str, int]] | None = None  # (found, row index, field → column)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        at: dict[str, int] = {}
        for c, text in enumerate(row.cells):
            f = keys.get(fold(text)) if text.strip() else None
            if f is not None and f not in at:
                at[f] = c
        if at and (best is None or len(at) > best[0]):
            best = (len(at), i, at)
    if best is None:
        return None
    _, hi, at = best
    data: list[dict[str, str]] = []
    for row in rows[hi + 1 :]:
        cells = {f: _cell(row.cells, c) for f, c in at.items()}
        others = [t for c, t in enumerate(row.cells) if c not in at.values() and t.strip()]
        if _is_total(others):
            return _Match(tuple(at), (cells,))
        if not any(v.strip() for v in cells.values()):
            continue  # blank, a 填表人 note, or a numbered row left empty
        if all(fold(v) in keys for v in cells.values() if v.strip()):
            continue  # the header repeated (a printed sheet's next page)
        data.append(cells)
    if not data:
        data = [dict.fromkeys(at, "")]
    return _Match(tuple(at), tuple(data), len(data))


def _down(rows: Sequence[Row], template: Template) -> _Match | None:
    """The labels down a column (项目 | 数量 forms, two pairs to a row or one): each value the
    next filled cell to its right, unless that is another label (the field left blank)."""
    keys = dict(zip(template.keys, template.fields, strict=True))
    cells: dict[str, str] = {}
    lines: set[int] = set()
    for row in rows:
        texts = row.cells
        c = 0
        while c < len(texts):
            f = keys.get(fold(texts[c])) if texts[c].strip() else None
            if f is None or f in cells:
                c += 1
                continue
            lines.add(row.number)
            nxt = next((j for j in range(c + 1, len(texts)) if texts[j].strip()), None)
            if nxt is None or fold(texts[nxt]) in keys:
                cells[f] = ""
                c += 1 if nxt is None else nxt - c
                continue
            cells[f] = texts[nxt]
            c = nxt + 1
    # In one row, the labels are a header (read across), not a list.
    if len(lines) < 2:
        return None
    return _Match(tuple(cells), (cells,))


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _is_total(texts: Sequence[str]) -> bool:
    return any(_TOTAL.match(fold(t)) for t in texts)
