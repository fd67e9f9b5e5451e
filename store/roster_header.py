"""A roster's header row: column labels as bureaus write them, and which field each one fills."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import WeekwatchError
from .reading import normalize
from .sheets import column_letter

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

#: Each field's labels, best first: when two columns claim one field, the better label wins
#: and the other is kept out (联络员 over 负责人, who may be the unit's head). English names
#: first, as `units list --json` and the demo's CSV write them.
LABELS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "单位编号", "代码", "单位代码"),
    "name": (
        "name",
        "单位名称",
        "单位",
        "学校名称",
        "学校",
        "院校名称",
        "院校",
        "参与单位",
        "参与单位名称",
        "名称",
        # A college's own week (seed 002: 各二级部门) lists its schools and departments.
        "二级学院",
        "二级学院名称",
        "学院",
        "学院名称",
        "二级部门",
        "部门名称",
        "院系",
        "系部",
        # A sheet kept in English (seed 000's week): Unit, Unit name, School.
        "unit",
        "unit name",
        "school",
        "institution",
    ),
    "aliases": ("aliases", "简称", "单位简称", "别名", "alias", "short name", "abbreviation"),
    "type": ("type", "类型", "单位类型", "类别", "性质", "单位性质"),
    "region": ("region", "区域", "县市区", "所在地", "地区", "属地", "所属县市区"),
    "liaison_name": (
        "liaison_name",
        "联络员",
        "活动联络员",
        "联络员姓名",
        "联系人",
        "联系人姓名",
        "负责人",
        "姓名",
        "liaison",
        "contact",
        "contact person",
    ),
    "liaison_phone": (
        "liaison_phone",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "联系方式",
        "办公电话",
        "固定电话",
        "座机",
        "phone",
        "mobile",
        "tel",
        "telephone",
    ),
    "liaison_email": (
        "liaison_email",
        "邮箱",
        "电子邮箱",
        "电子信箱",
        "电子邮件",
        "邮箱地址",
        "e-mail",
        "email",
    ),
}
#: The Chinese label the messages name each field by.
FIELD_ZH = {
    "id": "编号",
    "name": "单位名称",
    "aliases": "简称",
    "type": "类型",
    "region": "区域",
    "liaison_name": "联络员",
    "liaison_phone": "手机/电话",
    "liaison_email": "电子邮箱",
}
#: Fields several columns may fill together: a mobile and an office phone, two e-mail columns.
MULTI = frozenset({"liaison_phone", "liaison_email"})
#: Phone columns that hold mobiles: listed first, as the number that answers during the week.
MOBILE = frozenset({"手机", "手机号", "手机号码", "mobile"})
#: Columns a roster has that are no unit field: kept out without a word.
KNOWN_OTHER = frozenset(
    {"序号", "职务", "职称", "备注", "说明", "部门", "科室", "qq", "微信", "传真", "邮编"}
    | {"no", "number", "position", "title", "remarks", "notes", "fax"}
)
#: What `--map 列名=FIELD` accepts besides the field names: short forms and "keep it out".
FIELD_WORDS = {
    **{f: f for f in FIELDS},
    "alias": "aliases",
    "liaison": "liaison_name",
    "phone": "liaison_phone",
    "mobile": "liaison_phone",
    "email": "liaison_email",
    "e-mail": "liaison_email",
    "-": "",
    "skip": "",
    "ignore": "",
}

# Bracketed notes inside labels: 手机（必填）, 单位名称(盖章), 学校（单位）名称, 【必填】.
_BRACKETS = re.compile(r"[（(【\[〔<《][^）)】\]〕>》]*[）)】\]〕>》]")
# Spaces anywhere (单 位 名 称), required-field stars, colons and dashes (E-mail = Email).
_NOISE = re.compile(r"[\s*＊:：_\-·.]+")


def fold_label(text: str) -> str:
    """A label as compared: width, case, script (單位名稱 is 单位名称), spaces, stars and
    bracketed notes ignored."""
    text = normalize(text)
    text = _BRACKETS.sub("", text)
    return _NOISE.sub("", text)


_RANKED: dict[str, tuple[str, int]] = {}
for _field, _labels in LABELS.items():
    for _rank, _label in enumerate(_labels):
        _RANKED.setdefault(fold_label(_label), (_field, _rank))


def label_field(text: str) -> str | None:
    """The field a header label names, or None (序号, 职务 or any other column)."""
    hit = _RANKED.get(fold_label(text))
    return hit[0] if hit else None


@dataclass(frozen=True)
class Column:
    """One column of the header and what it fills."""

    index: int
    label: str  # as written in the sheet
    field: str | None  # None: kept out
    why: str = ""  # why it is kept out, or how it fills its field ("mobile", "from --map")

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class Header:
    row: int  # the row (or line) number of the header
    columns: tuple[Column, ...]

    def of(self, field: str) -> tuple[Column, ...]:
        """The columns filling a field, in the order their values are taken: mobiles first,
        the number that answers during the week; otherwise left to right."""
        cols = [c for c in self.columns if c.field == field]
        if field == "liaison_phone":
            cols.sort(key=lambda c: (c.why != "mobile", c.index))
        return tuple(cols)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(c.field for c in self.columns if c.field)

    def label(self, index: int) -> str:
        for c in self.columns:
            if c.index == index:
                return c.label
        return column_letter(index)


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """`--map 列名=field` options → folded label → field ("" keeps the column out)."""
    out: dict[str, str] = {}
    for item in items:
        label, sep, word = item.rpartition("=")
        field = FIELD_WORDS.get(word.strip().casefold())
        if not sep or not label.strip():
            raise WeekwatchError(f"--map {item!r}: expected 列名=field, e.g. --map 学校全称=name")
        if field is None:
            raise WeekwatchError(
                f"--map {item!r}: unknown field {word.strip()!r}; the fields are "
                f"{', '.join(FIELDS)} (or '-' to keep a column out)"
            )
        out[fold_label(label)] = field
    return out


def read_header(
    number: int, cells: Sequence[str], mapping: Mapping[str, str] | None = None
) -> Header | None:
    """The header these cells make, if one of them names the unit's name; else None."""
    columns = _columns(cells, mapping or {})
    if not any(c.field == "name" for c in columns):
        return None
    return Header(number, tuple(columns))


def _columns(cells: Sequence[str], mapping: Mapping[str, str]) -> list[Column]:
    claims: dict[int, tuple[str, int, str]] = {}  # index -> (field, rank, why)
    for i, raw in enumerate(cells):
        key = fold_label(raw)
        if key in mapping:
            if mapping[key]:
                claims[i] = (mapping[key], -1, "from --map")
            continue
        hit = _RANKED.get(key) if key else None
        if hit is not None:
            claims[i] = (hit[0], hit[1], "")
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, index) of the column filling it
    for i, (field, rank, _) in claims.items():
        if field in MULTI:
            continue
        held = best.get(field)
        if held is None or rank < held[0]:
            best[field] = (rank, i)
        elif rank == held[0]:
            j = held[1]
            raise WeekwatchError(
                f"the header has two '{FIELD_ZH[field]}' columns, "
                f"'{cells[j].strip()}' ({column_letter(j)}) and '{cells[i].strip()}' "
                f"({column_letter(i)}); say which to keep out with --map, "
                f"e.g. --map {cells[i].strip()}=-"
            )
    columns: list[Column] = []
    for i, raw in enumerate(cells):
        label = raw.strip()
        if not label:
            continue
        if i not in claims:
            why = "kept out (--map)" if fold_label(label) in mapping else "kept out"
            columns.append(Column(i, label, None, why))
            continue
        field, _, why = claims[i]
        if field not in MULTI and best[field][1] != i:
            winner = cells[best[field][1]].strip()
            columns.append(Column(i, label, None, f"kept out: '{winner}' fills {field}"))
            continue
        if field == "liaison_phone" and not why:
            why = "mobile" if fold_label(label) in MOBILE else "office"
        columns.append(Column(i, label, field, why))
    return columns


def header_like(cells: Sequence[str]) -> int:
    """How many cells read as column labels: to say which row the header probably was."""
    return sum(1 for c in cells if (k := fold_label(c)) and (k in _RANKED or k in KNOWN_OTHER))


def is_sub_header(cells: Sequence[str]) -> bool:
    """True if a row holds labels only: the second row of a two-row header (联系方式 merged
    over 办公电话 | 手机), or the header repeated on a printed sheet's next page."""
    filled = [k for c in cells if (k := fold_label(c))]
    return bool(filled) and all(k in _RANKED or k in KNOWN_OTHER for k in filled)


def extend_header(header: Header, cells: Sequence[str], mapping: Mapping[str, str]) -> Header:
    """A second header row fills the columns the first left (联系方式 over 办公电话 | 手机)."""
    taken = {c.field for c in header.columns if c.field and c.field not in MULTI}
    try:
        sub = _columns(cells, mapping)
    except WeekwatchError:
        return header
    extra = {c.index: c for c in sub if c.field and c.field not in taken}
    if not extra:
        return header
    kept = [c for c in header.columns if c.index not in extra]
    return Header(header.row, tuple(sorted([*kept, *extra.values()], key=lambda c: c.index)))
