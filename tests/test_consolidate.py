"""`weekwatch report consolidate --template FILE`: the 情况统计表 from the units' own copies.

The dashboard's week (tests/conftest `week_ws`, five units of 平顶山) after the week: each unit
sends its filled-in form as people do — an .xlsx as the template was, an old .xls with the
columns moved and the header lower, a CSV in a zip, an e-mail's attachment missing a field,
and one unit sends nothing. The expected figures are added up here from what the test wrote.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from weekwatch.fixtures.damage import run_weekwatch
from weekwatch.fixtures.mails import Draft, File, foxmail
from weekwatch.fixtures.statforms import FIELDS, HEADER, form_csv, form_xls, form_xlsx
from weekwatch.fixtures.testweek import at, clock_at, drop
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store.consolidate import Template, read_figures
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import run

AS_OF = "2024-05-20T09:00"
P, S, B, M, F = FIELDS  # 参与人数, 活动场次, 开放实训基地, 媒体报道, 经费投入

#: What each unit typed, field by field (None: the cell left out of its file).
XINHUA_FIRST = {P: 1000, S: 6, B: 3, M: 12, F: 10}
XINHUA = {P: 1200, S: 8, B: 3, M: 15, F: 12.5}  # the corrected copy, sent later
WEIDONG = {P: 300, S: 2, B: 1, M: 4, F: 3}
WUGANG = {P: 450, S: 5, B: 2, M: 7}  # no 经费投入 column in its copy
PZY_TEXT, PZY_NEG = "约200", -3  # 参与人数 typed as text, 活动场次 negative
PZY = {B: 5, M: 9, F: 0.8}


def _utime(path: Path, when) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture
def sent(week_ws: Workspace, tmp_path: Path) -> Workspace:
    ws = week_ws
    form_xlsx(ws.root / "template.xlsx")  # the bureau's template, beside the inbox
    inbox = ws.inbox
    # 新华区: the template as it was, twice; the later copy corrects the first.
    for values, when, name in (
        (XINHUA_FIRST, at(19, 9), "新华区_情况统计表.xlsx"),
        (XINHUA, at(19, 16), "新华区_情况统计表（更正）.xlsx"),
    ):
        row = [1, "新华区教育体育局", *(values[f] for f in FIELDS), ""]
        _utime(form_xlsx(inbox / "xinhua" / name, rows=[row]), when)
    # 卫东区: .xls, columns reordered, two rows inserted above, starting in column C, labels
    # with spaces, half-width brackets and one traditional character.
    labels = ["序号", "单 位 名 称", "媒体报道(篇)", "参与人数 (人次)", "活动场次（场）"]
    labels += ["开放实训基地（個）", "经费投入（万元）"]
    order = [M, P, S, B, F]
    row = [1, "卫东区", *(WEIDONG[f] for f in order)]
    _utime(
        form_xls(inbox / "weidong/卫东区情况统计表.xls", labels, [row], left=2, above=2), at(19, 11)
    )
    # 平职院: a CSV (GB18030, as WPS saves it) inside its zip of summary materials.
    row = [1, "平职院", PZY_TEXT, PZY_NEG, PZY[B], PZY[M], PZY[F], ""]
    data = zip_bytes([("平职院_情况统计表.csv", form_csv(rows=[row])), ("总结.docx", b"docx")])
    drop(ws, "pzy/平职院_活动周总结材料.zip", at(19, 15), data)
    # 舞钢: by e-mail, the 经费投入 column deleted from its copy.
    no_f = [h for h in HEADER if h != F]
    form_xlsx(
        Path(ws.root / "wugang.xlsx"), no_f, [[1, "舞钢", *(WUGANG[f] for f in FIELDS[:4]), ""]]
    )
    mail = foxmail(
        Draft(
            "ly@wugang.example.com",
            "刘洋",
            "舞钢市教育体育局 活动周总结及情况统计表",
            at(19, 17),
            files=[File("情况统计表.xlsx", (ws.root / "wugang.xlsx").read_bytes())],
        )
    )
    drop(ws, "mail/舞钢-统计表.eml", at(19, 17, 5), mail)
    # 技师学院 sends nothing.
    Week(ws, clock=clock_at(at(20, 8))).ingestor().scan()
    return ws


def report(ws: Workspace, capsys, *args: str) -> str:
    capsys.readouterr()
    template = str(ws.root / "template.xlsx")
    argv = ["-w", str(ws.root), "report", "consolidate", "--template", template, *args]
    assert run([*argv, "--as-of", AS_OF]) == 0
    return capsys.readouterr().out


def inbox_state(ws: Workspace) -> dict[str, tuple[str, int]]:
    out = {}
    for p in sorted(ws.inbox.rglob("*")):
        if p.is_file():
            out[str(p)] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return out


def test_every_unit_one_row_in_roster_order_with_totals_and_problems(sent, capsys):
    before = inbox_state(sent)
    doc = json.loads(report(sent, capsys, "--format", "json"))
    assert inbox_state(sent) == before  # nothing in inbox/ touched
    assert doc["fields"] == list(FIELDS) and doc["actions"] == "all"
    units = {u["id"]: u for u in doc["units"]}
    assert [u["id"] for u in doc["units"]] == ["xinhua", "weidong", "pzy", "wugang", "jxxx"]

    assert units["xinhua"]["values"] == XINHUA and units["xinhua"]["problems"] == []
    assert units["xinhua"]["file"] == "xinhua/新华区_情况统计表（更正）.xlsx"
    assert units["weidong"]["values"] == WEIDONG and units["weidong"]["problems"] == []
    assert units["pzy"]["file"] == "pzy/平职院_活动周总结材料.zip!平职院_情况统计表.csv"
    assert units["pzy"]["values"] == {P: None, S: PZY_NEG, **PZY}
    assert units["pzy"]["problems"] == [
        {"code": "not_number", "label": P, "text": PZY_TEXT},
        {"code": "negative", "label": S, "value": PZY_NEG},
    ]
    assert units["wugang"]["file"] == "mail/舞钢-统计表.eml#情况统计表.xlsx"
    assert units["wugang"]["values"] == {**WUGANG, F: None}
    assert units["wugang"]["problems"] == [{"code": "missing", "labels": [F]}]
    assert units["jxxx"]["values"] == dict.fromkeys(FIELDS)
    assert units["jxxx"]["problems"] == [{"code": "no_file"}] and units["jxxx"]["file"] is None

    # The totals, added up here: a text or negative value counts for nothing.
    counted = [XINHUA, WEIDONG, WUGANG, PZY]
    expected = {f: sum(u.get(f, 0) for u in counted) for f in FIELDS}
    assert doc["totals"]["values"] == pytest.approx(expected)
    assert doc["totals"]["values"][S] == 8 + 2 + 5  # 平职院's -3 is not in it
    assert (doc["totals"]["reported"], doc["totals"]["with_problems"]) == (4, 2)

    text = report(sent, capsys)
    first, header, *rows = text.splitlines()
    assert (
        "情况统计表汇总" in first and "截至 2024-05-20 09:00" in first and "含此后的决定" in first
    )
    assert header.split()[:2] == ["单位", "参与人数（人次）"]
    by_name = {r.split()[0]: r for r in rows}
    assert "“参与人数（人次）”不是数字：“约200”" in by_name["平顶山职业技术学院"]
    assert "“活动场次（场）”为负数（-3）" in by_name["平顶山职业技术学院"]
    assert "缺少栏目：经费投入（万元）" in by_name["舞钢市教育体育局"]
    assert "未报送统计表" in by_name["平顶山技师学院"]
    assert by_name["合计"].split()[1:6] == ["1950", "15", "11", "35", "16.3"]
    assert "4/5 个单位已报送，其中 2 个有问题" in by_name["合计"]


def test_csv_reads_back_with_its_bom_and_xlsx_holds_real_numbers(sent, capsys, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "汇总.csv"
    report(sent, capsys, "--format", "csv", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["单位", P, S] and rows[0][-2:] == ["文件", "状态"]
    assert rows[1][:6] == ["新华区教育体育局", "1200", "8", "3", "15", "12.5"]
    assert rows[-1][0] == "合计" and rows[-1][1] == "1950"

    path = Path(report(sent, capsys, "--format", "xlsx").strip())
    assert path.parent == sent.root / "reports" and path.name == "consolidate-20240520-0900.xlsx"
    sheet = load_workbook(path).active
    assert "情况统计表汇总" in sheet["A1"].value and "含此后的决定" in sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    table = {r[0].value: r for r in sheet.iter_rows(min_row=3)}
    xinhua = [c.value for c in table["新华区教育体育局"][1:6]]
    assert xinhua == [1200, 8, 3, 15, 12.5]
    total = table["合计"][1:6]
    assert [c.value for c in total] == [1950, 15, 11, 35, pytest.approx(16.3)]
    assert all(c.data_type == "n" for c in total)
    assert table["平顶山技师学院"][1].value is None  # nothing sent: empty, not a zero


def test_english_labels(sent, capsys):
    text = report(sent, capsys, "--lang", "en")
    assert "no statistics file" in text and "labels missing: 经费投入（万元）" in text
    assert "4 of 5 units sent, 2 of them with problems" in text


def test_a_file_changed_after_it_was_read_is_said_so(sent, capsys):
    path = sent.inbox / "weidong/卫东区情况统计表.xls"
    form_xls(path, rows=[[1, "卫东区", 1, 1, 1, 1, 1, ""]])  # rewritten, not re-ingested
    _utime(path, at(19, 11))
    doc = json.loads(report(sent, capsys, "--format", "json"))
    weidong = next(u for u in doc["units"] if u["id"] == "weidong")
    assert weidong["problems"] == [{"code": "changed", "file": "weidong/卫东区情况统计表.xls"}]
    assert weidong["values"] == dict.fromkeys(FIELDS)


def test_as_of_before_a_file_arrived_and_actions_until_or_all(sent, capsys):
    # A statistics file nobody could place is assigned to 技师学院 on the 21st.
    row = [1, "", 80, 1, 1, 2, 0.5, ""]
    _utime(form_xlsx(sent.inbox / "统计表.xlsx", rows=[row]), at(19, 10))
    week = Week(sent, clock=clock_at(at(21, 9)))
    week.ingestor().scan()
    week.assign("统计表.xlsx", ["jxxx"], ["summary"], operator="小王")

    def jxxx(*args: str) -> dict:
        doc = json.loads(report(sent, capsys, "--format", "json", *args))
        return next(u for u in doc["units"] if u["id"] == "jxxx")

    assert jxxx()["values"][P] == 80  # all: the later assignment applies
    assert jxxx("--actions", "until")["problems"] == [{"code": "no_file"}]
    text = report(sent, capsys, "--actions", "until")
    assert "按当时的决定" in text.splitlines()[0]


#: A unit's copy as people change it: (what it is, header, rows, expected values, problem codes)
TWO = ("参与人数（人次）", "活动场次（场）")
FORMS = [
    ("as sent", ["序号", "单位", *TWO], [[1, "甲", 10, 2]], {TWO[0]: 10, TWO[1]: 2}, []),
    ("order swapped", ["单位", TWO[1], TWO[0]], [["甲", 2, 10]], {TWO[0]: 10, TWO[1]: 2}, []),
    (
        "full-width, traditional",
        ["單位", "參與人數 (人次)", "活動場次 ( 場 )"],
        [["甲", "１０", "2"]],
        {TWO[0]: 10, TWO[1]: 2},
        [],
    ),
    (
        "schools and a total row",
        ["单位", *TWO],
        [["一中", 4, 1], ["二中", 5, 1], ["合  计", 9, 2], ["填表人：王敏"]],
        {TWO[0]: 9, TWO[1]: 2},
        [],
    ),
    (
        "schools, no total",
        ["单位", *TWO],
        [["一中", 4, 1], ["二中", "1,200", 1]],
        {TWO[0]: 1204, TWO[1]: 2},
        ["summed"],
    ),
    ("left blank", ["单位", *TWO], [["甲", 10, None]], {TWO[0]: 10, TWO[1]: None}, ["empty"]),
    ("not the template", ["单位", "金额"], [["甲", 10]], dict.fromkeys(TWO), ["no_match"]),
    ("sent back unfilled", ["单位", *TWO], [[1]], dict.fromkeys(TWO), ["blank"]),
]


@pytest.mark.parametrize(
    ("what", "header", "rows", "values", "codes"), FORMS, ids=[f[0] for f in FORMS]
)
def test_a_units_copy_read_against_the_template(tmp_path, what, header, rows, values, codes):
    template = Template("t.xlsx", TWO)
    path = form_xlsx(tmp_path / "copy.xlsx", header, rows)
    fig = read_figures(path.name, path.read_bytes(), template)
    assert fig.values == values
    assert [p.code for p in fig.problems] == codes


def test_labels_down_a_column(tmp_path):
    # 项目 | 数量 forms: the labels down column A, two pairs in the last row.
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for r in (["情况统计表"], ["填表单位", "舞钢"], ["项目", "数量"], [TWO[0], 30], [TWO[1], 4]):
        sheet.append(r)
    book.save(tmp_path / "down.xlsx")
    fig = read_figures("down.xlsx", (tmp_path / "down.xlsx").read_bytes(), Template("t", TWO))
    assert fig.values == {TWO[0]: 30, TWO[1]: 4} and fig.problems == ()


def test_a_template_is_read_below_its_title_rows(tmp_path):
    from weekwatch.store.consolidate import read_template

    t = read_template(form_xlsx(tmp_path / "t.xlsx"))
    assert t.fields == FIELDS  # 序号, 单位名称 and 备注 are not figures
    t = read_template(form_xls(tmp_path / "t.xls"))
    assert t.fields == FIELDS
    (tmp_path / "t.csv").write_bytes(form_csv())
    assert read_template(tmp_path / "t.csv").fields == FIELDS


def test_a_colleges_template_in_traditional_characters(tmp_path):
    # Seed 002 (a college to its departments, in traditional characters): 二級學院 names the
    # department, 序號 and 備註 are no figures either; a department's copy in simplified matches.
    from weekwatch.store.consolidate import read_template

    labels = ["序號", "二級學院", "活動場次（場）", "參與學生人數（人次）", "備註"]
    t = read_template(form_xlsx(tmp_path / "附件2.xlsx", labels))
    assert t.fields == ("活動場次（場）", "參與學生人數（人次）")
    copy = form_xls(
        tmp_path / "机电.xls",
        ["序号", "二级学院", "参与学生人数（人次）", "活动场次（场）"],
        [[1, "机电", 820, 6]],
    )
    fig = read_figures(copy.name, copy.read_bytes(), t)
    assert fig.values == {"活動場次（場）": 6, "參與學生人數（人次）": 820} and fig.problems == ()


BAD = [
    (["--template", "{root}/none.xlsx"], "--template"),
    (["--template", "{root}/notice.docx"], ".docx"),
    (["--template", "{root}/names.csv"], "no header row with figures"),
    (["--template", "{root}/t.xlsx", "--actions", "some"], "--actions"),
    (["--template", "{root}/t.xlsx", "--as-of", "5月40日"], "--as-of"),
]


@pytest.mark.parametrize(("args", "says"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(ws, args, says):
    (ws.root / "notice.docx").write_bytes(b"PK")
    (ws.root / "names.csv").write_text("序号,单位名称,备注\n1,舞钢,\n", encoding="utf-8")
    form_xlsx(ws.root / "t.xlsx")
    argv = [a.format(root=ws.root) for a in args]
    done = run_weekwatch(ws, "report", "consolidate", *argv)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
