"""Rosters shaped as bureaus really have them, written by real spreadsheet writers into tmp_path:
the liaison sheet the units sent back (附件1, a merged heading, 序号 | 单位名称 | 联络员 | 职务 |
办公电话 | 手机 | 电子邮箱, two liaisons merged under one unit, a 合计 row, notes at the bottom),
an old .xls, a GB18030 CSV, a workbook whose first sheet is the instructions."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from weekwatch.fixtures.rosters import BODY, HEADER, TITLE, liaison_xls, liaison_xlsx, raw_xlsx
from weekwatch.store.model import WeekwatchError
from weekwatch.store.roster import read_sheet
from weekwatch.store.roster_header import parse_map
from weekwatch.store.roster_merge import plan_import
from weekwatch.store.sheets import column_letter


def check_liaison_roster(r, *, word: str = "row") -> None:
    assert r.header.row == 3
    assert [e.name for e in r.entries] == [
        "奎文区教育和体育局",
        "潍坊职业学院",
        "寿光市职业教育中心学校",
    ]
    kw, wf, sg = r.entries
    assert kw.rows == (4, 5) and kw.where == f"{word}s 4–5"
    assert kw.liaison_names == ("张三", "李四")
    assert kw.phones == ("13800000001", "0536-8888888", "13900000002")
    assert kw.emails == ("a@kw.cn", "b@kw.cn", "c@kw.cn")
    assert wf.phones == ("13700000003", "0536-8111111") and wf.emails == ()
    assert sg.phones == ("13600000004", "13600000005")
    assert [(s.row, s.reason) for s in r.skipped] == [(9, "total"), (10, "note"), (11, "note")]
    assert r.blank_rows == 1
    (warning,) = r.warnings
    assert f"{word} 6" in warning and "电子邮箱" in warning and "'wfzy@163'" in warning
    if word == "row":
        assert "(G6)" in warning


def test_liaison_sheet_xlsx(tmp_path: Path) -> None:
    r = read_sheet(liaison_xlsx(tmp_path / "联络员信息表.xlsx"))
    check_liaison_roster(r)
    units = plan_import((), r).units
    assert [u.id for u in units] == ["kwqjyhtyj", "wfzyxy", "sgszyjyzxxx"]
    kw, wf, sg = units
    assert kw.liaison_name == "张三、李四" and kw.emails == ("a@kw.cn", "b@kw.cn", "c@kw.cn")
    assert kw.liaison_phone == "13800000001; 0536-8888888; 13900000002"
    assert (kw.type, kw.inferred) == ("county-bureau", ("id", "type"))
    assert kw.aliases == kw.inferred_aliases == ("奎文区", "奎文")
    assert (wf.type, sg.type) == ("higher-vocational", "secondary-vocational")
    assert wf.aliases == () and sg.aliases == ()


def test_first_sheet_with_a_header_is_read_or_the_one_named(tmp_path: Path) -> None:
    path = liaison_xlsx(tmp_path / "r.xlsx", instructions=True)
    r = read_sheet(path)
    assert r.sheet == "联络员" and r.sheets == ("填表说明", "联络员")
    check_liaison_roster(r)
    assert read_sheet(path, sheet="联络员").entries == r.entries
    with pytest.raises(WeekwatchError, match="no sheet 'Sheet9'.*'填表说明', '联络员'"):
        read_sheet(path, sheet="Sheet9")
    with pytest.raises(WeekwatchError, match="sheet '填表说明'.*no column holds the unit's name"):
        read_sheet(path, sheet="填表说明")


def test_liaison_sheet_xls(tmp_path: Path) -> None:
    path = liaison_xls(tmp_path / "联络员信息表.xls")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real OLE2 compound file
    check_liaison_roster(read_sheet(path))


def test_liaison_sheet_gb18030_csv_without_merges(tmp_path: Path) -> None:
    """Saved as CSV the merge is gone: the second liaison's row has no name and no 序号."""
    lines = ["附件1", TITLE, ",".join(HEADER)]
    for row in BODY:
        lines.append(",".join("" if v is None else f'"{v}"' if "," in str(v) else str(v)
                              for v in row))  # fmt: skip
    path = tmp_path / "联络员信息表.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    r = read_sheet(path)
    check_liaison_roster(r, word="line")


def with_cached_formula(path: Path, cell: str, formula: str, value: str) -> None:
    """Give a formula cell the value Excel would have saved with it (openpyxl saves none)."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = items[name].decode()
    xml, n = re.subn(
        rf'<c r="{cell}"([^>]*)><f>{re.escape(formula)}</f><v\s*/?>(</v>)?',
        rf'<c r="{cell}"\1><f>{formula}</f><v>{value}</v>',
        xml,
    )
    assert n == 1, xml[:500]
    items[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n_, data in items.items():
            z.writestr(n_, data)


def test_formula_cells_give_their_value(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "单位名称", "手机"])
    sheet.append(["=ROW()-1", "潍坊职业学院", "=13800000000+1"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    with_cached_formula(path, "C2", "13800000000+1", "13800000001")
    (e,) = read_sheet(path).entries
    assert e.phones == ("13800000001",)


def test_two_row_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "单位名称", "联络员", "联系方式", None, "电子邮箱"])
    sheet.append([None, None, None, "办公电话", "手机", None])
    for col in "ABCF":
        sheet.merge_cells(f"{col}1:{col}2")
    sheet.merge_cells("D1:E1")
    sheet.append([1, "潍坊职业学院", "王五", "0536-8111111", "13700000003", "w@wf.cn"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    r = read_sheet(path)
    assert [c.label for c in r.header.of("liaison_phone")] == ["手机", "办公电话"]
    (e,) = r.entries
    assert e.phones == ("13700000003", "0536-8111111") and not r.skipped


def test_unmappable_header_names_its_columns_and_the_map(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("附件1\n序号,学校全称,联络人,手机\n1,潍坊职业学院,王五,13700000003\n", "utf-8")
    with pytest.raises(WeekwatchError) as err:
        read_sheet(path)
    message = str(err.value)
    assert "line 2" in message and "序号 | 学校全称 | 联络人 | 手机" in message
    assert "--map 学校全称=name" in message
    r = read_sheet(path, mapping=parse_map(["学校全称=name", "联络人=liaison"]))
    (e,) = r.entries
    assert (e.name, e.liaison_names, e.phones) == ("潍坊职业学院", ("王五",), ("13700000003",))


def test_broken_xls_and_xlsx_are_one_message(tmp_path: Path) -> None:
    for name, data in [("r.xls", b"\xd0\xcf\x11\xe0garbage"), ("r.xlsx", b"PK\x03\x04junk")]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(WeekwatchError, match="not a readable"):
            read_sheet(path)


def test_an_instructions_sheet_with_a_sample_header_is_passed_over(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["填表示例："])
    notes.append(["单位名称", "联络员", "手机"])  # a sample header, no unit under it
    notes.append(["学校", "请填写全称，不要写简称"])  # a word that is a label, in a sentence
    sheet = book.create_sheet("名单")
    sheet.append(["单位名称", "联络员", "手机"])
    sheet.append(["潍坊职业学院", "王五", 13700000003])
    path = tmp_path / "r.xlsx"
    book.save(path)
    r = read_sheet(path)
    assert r.sheet == "名单" and [e.name for e in r.entries] == ["潍坊职业学院"]


def test_merges_over_a_million_rows_cost_no_more_than_the_rows(tmp_path: Path) -> None:
    # A note column merged to the bottom, 500 more like it, and 100,000 small merges below.
    tall = tuple(f"{column_letter(c)}2:{column_letter(c)}1048576" for c in range(2, 502))
    merges = (*tall, *(f"A{i}:B{i + 1}" for i in range(3, 200_000, 2)))
    rows = [["单位名称", "联络员", "备注"], ["潍坊职业学院", "王五", "见下"]]
    path = raw_xlsx(tmp_path / "r.xlsx", rows, dimension="A1:C2", merges=merges)
    r = read_sheet(path)
    assert [e.name for e in r.entries] == ["潍坊职业学院"] and not r.warnings
