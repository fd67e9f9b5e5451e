"""Reading the roster of units from CSV (UTF-8, BOM, GB18030) and XLSX; real files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.roster import read_roster, split_aliases, validate_units

EN_HEADER = "id,name,aliases,type,region,liaison_name,liaison_phone,liaison_email"
ZH_HEADER = "编号,单位名称,简称,类型,区域,联系人,联系电话,邮箱"
ROWS = (
    "pzy,平顶山职业技术学院,平职院；平职,高职院校,平顶山,张老师,13812345678,zhang@example.cn\n"
    "wugang,舞钢市教育体育局,舞钢、舞钢市,县市区教体局,舞钢,李老师,0375-8123456,\n"
)
PZY = Unit(
    id="pzy",
    name="平顶山职业技术学院",
    aliases=("平职院", "平职"),
    type="高职院校",
    region="平顶山",
    liaison_name="张老师",
    liaison_phone="13812345678",
    liaison_email="zhang@example.cn",
)
WUGANG = Unit(
    id="wugang",
    name="舞钢市教育体育局",
    aliases=("舞钢", "舞钢市"),
    type="县市区教体局",
    region="舞钢",
    liaison_name="李老师",
    liaison_phone="0375-8123456",
)


def text_file(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return make


def bytes_file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


def xlsx_file(rows: list[list[object]], name: str = "roster.xlsx") -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        book.save(path)
        return path

    return make


ZH_XLSX: list[list[object]] = [
    ["2024年职业教育活动周参与单位名单"],  # a title row above the header
    ["序号", "编号", "单位名称", "简称", "类型", "区域", "联系人", "联系电话", "邮箱", "备注"],
    [1, "pzy", " 平顶山职业技术学院 ", "平职院;平职", "高职院校", "平顶山", "张老师", 13812345678,
     "zhang@example.cn", "已确认"],
    [None] * 10,  # a blank row in the middle
    [2, "wugang", "舞钢市教育体育局", "舞钢|舞钢市", "县市区教体局", "舞钢", "李老师",
     "0375-8123456"],
    [3, 7, "平顶山技师学院", None, None, None, None, 13912345678.0],
]  # fmt: skip

GOOD = [
    pytest.param(text_file("r.csv", f"{EN_HEADER}\n{ROWS}"), [PZY, WUGANG], id="utf8"),
    pytest.param(
        text_file("r.csv", f"{EN_HEADER}\r\n{ROWS}", "utf-8-sig"), [PZY, WUGANG], id="utf8-bom"
    ),
    pytest.param(
        text_file("r.csv", f"{ZH_HEADER}\n{ROWS}", "gb18030"), [PZY, WUGANG], id="gb18030"
    ),
    pytest.param(text_file("r.csv", f"{ZH_HEADER}\n{ROWS}"), [PZY, WUGANG], id="chinese-header"),
    pytest.param(
        text_file("r.CSV", " Name , ID ,ALIASES\n舞钢市教育体育局,wugang,舞钢\n"),
        [Unit(id="wugang", name="舞钢市教育体育局", aliases=("舞钢",))],
        id="header-any-order-and-case",
    ),
    pytest.param(
        text_file("r.csv", "编号,单位名称\nａ１,甲学院\n"),
        [Unit(id="ａ１", name="甲学院")],
        id="minimal-columns-fullwidth-id",
    ),
    pytest.param(
        text_file(
            "r.csv",
            f"{EN_HEADER},notes\n\n , , \n{ROWS}extra,额外学院,,,,,,,,,,\n",
        ),
        [PZY, WUGANG, Unit(id="extra", name="额外学院")],
        id="blank-rows-extra-columns-extra-cells",
    ),
    pytest.param(
        text_file("r.csv", 'id,name,aliases\npzy,"平顶山职业技术学院","平职院\n平职"\n'),
        [Unit(id="pzy", name="平顶山职业技术学院", aliases=("平职院", "平职"))],
        id="quoted-multiline-cell",
    ),
    pytest.param(
        text_file("r.txt", "编号\t单位名称\t简称\npzy\t平顶山职业技术学院\t平职院, 平职\n"),
        [Unit(id="pzy", name="平顶山职业技术学院", aliases=("平职院, 平职",))],
        id="tab-separated-txt",
    ),
    pytest.param(
        xlsx_file(ZH_XLSX),
        [
            Unit(
                id="pzy",
                name="平顶山职业技术学院",
                aliases=("平职院", "平职"),
                type="高职院校",
                region="平顶山",
                liaison_name="张老师",
                liaison_phone="13812345678",
                liaison_email="zhang@example.cn",
            ),
            WUGANG,
            Unit(id="7", name="平顶山技师学院", liaison_phone="13912345678"),
        ],
        id="xlsx",
    ),
]


def as_written(u: Unit) -> Unit:
    """The unit without what weekwatch derived from its name (tested on their own below)."""
    return replace(
        u,
        aliases=tuple(a for a in u.aliases if a not in u.inferred_aliases),
        type="" if "type" in u.inferred else u.type,
        inferred=(),
        inferred_aliases=(),
    )


@pytest.mark.parametrize(("make", "expected"), GOOD)
def test_good_roster(tmp_path: Path, make: Callable[[Path], Path], expected: list[Unit]) -> None:
    assert [as_written(u) for u in read_roster(make(tmp_path))] == expected


BAD = [
    pytest.param(
        bytes_file("r.csv", b"\xff\xfe\x00garbage"),
        ["not UTF-8 or GB18030 text"],
        id="utf16-garbage",
    ),
    pytest.param(
        bytes_file("r.csv", f"{EN_HEADER}\n{ROWS}".encode("utf-16")),
        ["not UTF-8 or GB18030 text"],
        id="utf16-with-bom",
    ),
    pytest.param(
        bytes_file("r.csv", f"{EN_HEADER}\n{ROWS}".encode("utf-16-le")),
        ["not UTF-8 or GB18030 text"],
        id="utf16-without-bom",
    ),
    pytest.param(
        text_file("r.csv", f"{EN_HEADER}\n{ROWS}pzy,平顶山技师学院\n"),
        ["duplicate unit id 'pzy'", "line 2", "line 4"],
        id="duplicate-id",
    ),
    pytest.param(
        text_file("r.csv", "id,name\nA,甲学院\na,乙学院\n"),
        ["duplicate unit id 'a'", "line 2", "line 3"],
        id="duplicate-id-ignoring-case",
    ),
    pytest.param(
        text_file("r.csv", f"{EN_HEADER}\n{ROWS}pdsjs,平顶山技师学院,平职\n"),
        ["'平职' names two units", "'pzy'", "'pdsjs'", "line 2", "line 4"],
        id="shared-alias",
    ),
    pytest.param(
        text_file("r.csv", "id,name,aliases\na,甲学院,ＡＢ\nb,乙学院,ab\n"),
        ["names two units", "'a'", "'b'"],
        id="shared-alias-nfkc-casefold",
    ),
    pytest.param(
        text_file("r.csv", "id,name,aliases\na,甲学院,\nb,乙学院,甲学院\n"),
        ["'甲学院' names two units", "'a'", "'b'"],
        id="alias-is-another-units-name",
    ),
    pytest.param(
        text_file("r.csv", "id,name\nmy unit,甲学院\n"),
        ["line 2", "'my unit'", "no spaces"],
        id="id-with-space",
    ),
    pytest.param(
        text_file("r.csv", "编号,简称\n1,甲\n"),
        ["line 1", "no column holds the unit's name (单位名称)", "编号 | 简称", "--map"],
        id="missing-name-column",
    ),
    pytest.param(
        text_file("r.csv", "编号,单位名称,编号\n1,甲,2\n"),
        ["line 1", "two '编号' columns", "--map"],
        id="dup-col",
    ),
    pytest.param(text_file("r.csv", "\n  \n"), ["empty"], id="empty"),
    pytest.param(
        xlsx_file([["编号", "单位名称"], ["a", "甲"], ["a", "乙"]]),
        ["duplicate unit id 'a'", "row 2", "row 3"],
        id="xlsx-duplicate-id",
    ),
    pytest.param(bytes_file("r.xlsx", b"not a zip"), ["not a readable .xlsx"], id="xlsx-broken"),
    pytest.param(bytes_file("r.xls", b"\xd0\xcf\x11\xe0"), ["not a readable .xls file"], id="xls"),
    pytest.param(bytes_file("r.json", b"[]"), ["unknown roster format"], id="json"),
]


@pytest.mark.parametrize(("make", "needles"), BAD)
def test_bad_roster(tmp_path: Path, make: Callable[[Path], Path], needles: list[str]) -> None:
    path = make(tmp_path)
    with pytest.raises(WeekwatchError) as err:
        read_roster(path)
    message = str(err.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WeekwatchError, match="no such file"):
        read_roster(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("平职院", ("平职院",)),
        ("平职院;平职；平院、PZY|pzy", ("平职院", "平职", "平院", "PZY")),
        (" a ; ;b ;;", ("a", "b")),
        ("a｜b", ("a", "b")),
        ("平职院, 平职", ("平职院, 平职",)),  # a comma is not a separator: CSV uses it
    ],
)
def test_split_aliases(text: str, expected: tuple[str, ...]) -> None:
    assert split_aliases(text) == expected


def test_validate_units_without_locations() -> None:
    units = [Unit(id="a", name="甲", aliases=("甲",)), Unit(id="b", name="乙")]
    validate_units(units, "src")  # an alias equal to the unit's own name is fine
    with pytest.raises(WeekwatchError, match=r"src: duplicate unit id 'a' \(unit #1 and unit #3\)"):
        validate_units([*units, Unit(id="a", name="丙")], "src")
