"""The ministry's week (seed 004, 教职成函〔2023〕5号), set up as its notice states it: provincial
education departments, the 兵团 and the 行指委 send the plan by 28 April, materials "及时"
during 14–20 May with no daily deadline, the summary within a week after the end. A roster as
a ministry office keeps it (简称 mostly empty), files named as provinces name them, read back
through the command line."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import TZ, drop
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import run

ROSTER = """序号,单位名称,简称,联络员,联系电话
1,北京市教育委员会,,王明,010-51992001
2,天津市教育委员会,天津市教委,李华,022-23301234
3,河北省教育厅,,张伟,0311-66005678
4,内蒙古自治区教育厅,,赵敏,0471-6616002
5,吉林省教育厅,,周杰,0431-82752004
6,黑龙江省教育厅,,吴刚,0451-82643005
7,浙江省教育厅,,陈静,0571-88008008
8,广东省教育厅,,罗斌,020-37628016
9,广西壮族自治区教育厅,,梁燕,0771-5815017
10,新疆维吾尔自治区教育厅,新疆,艾力,0991-7601028
11,新疆生产建设兵团教育局,兵团教育局,王强,0991-2890029
12,深圳市教育局,,钟华,0755-25101034
13,全国交通运输职业教育教学指导委员会,交通运输行指委,高远,010-65299035
14,全国机械职业教育教学指导委员会,,田野,010-88379036
"""


def when(month: int, day: int, hh: int = 10) -> dt.datetime:
    return dt.datetime(2023, month, day, hh, tzinfo=TZ)


def call(ws: Workspace, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def week(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    root = tmp_path / "national"
    flags = ["--title", "2023年职业教育活动周", "--start", "2023-05-14", "--lang", "zh"]
    flags += ["--daily-deadline", "none", "--plan-deadline", "2023-04-28"]
    flags += ["--summary-deadline", "2023-05-27"]
    assert run(["init", str(root), *flags]) == 0
    roster = tmp_path / "全国联络员.csv"
    roster.write_text(ROSTER, "utf-8")
    ws = Workspace(root)
    assert call(ws, capsys, "units", "import", str(roster))[0] == 0
    return ws


def materials(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    code, out = call(ws, capsys, "materials", "--json")
    assert code == 0
    return {m["path"]: m for m in (json.loads(line) for line in _json_lines(out))}


def _json_lines(out: str) -> list[str]:
    return [line.rstrip(",") for line in out.splitlines() if line.startswith("{")]


def test_nothing_is_late_where_nothing_is_due(
    week: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Sent days after the day they report on: no daily deadline, so never late.
    drop(week, "深圳市教育局/5月16日 深圳 稿件.docx", when(5, 19, 23))
    drop(week, "广东省教育厅5月14日典型案例.docx", when(5, 20, 22))
    drop(week, "广东省教育厅关于报送活动周方案的函.pdf", when(4, 30))  # after 28 April: late
    assert call(week, capsys, "ingest")[0] == 0
    got = materials(week, capsys)
    day = got["深圳市教育局/5月16日 深圳 稿件.docx"]
    assert (day["cell"], day["late"], day["credits"][0]["late"]) == ("2023-05-16", False, False)
    assert got["广东省教育厅5月14日典型案例.docx"]["late"] is False
    plan = got["广东省教育厅关于报送活动周方案的函.pdf"]
    assert (plan["cell"], plan["late"]) == ("plan", True)  # the plan is owed, and was late

    code, out = call(week, capsys, "materials")
    assert code == 0
    lines = {line.split("  ")[1]: line for line in out.splitlines() if "  " in line}
    assert "迟交" not in lines["深圳市教育局/5月16日 深圳 稿件.docx"]
    assert "迟交" in lines["广东省教育厅关于报送活动周方案的函.pdf"]

    # A pack without late files keeps every day's file: none of them is late.
    out_zip = tmp_path / "pack.zip"
    code, _ = call(week, capsys, "report", "pack", "--exclude-late", "--output", str(out_zip))
    assert code == 0
    with zipfile.ZipFile(out_zip) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
    assert any("深圳" in n for n in names) and any("典型案例" in n for n in names)
    assert not any(n.endswith(".pdf") for n in names)


def test_provinces_files_find_their_units_without_a_written_short_name(
    week: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = {
        "河北 5.15 稿件.docx": ("hbsjyt", "2023-05-15"),
        "浙江省5.15典型案例.docx": ("zjsjyt", "2023-05-15"),
        "北京5.18照片.jpg": ("bjsjywyh", "2023-05-18"),
        "内蒙古5.16视频.mp4": ("nmgzzqjyt", "2023-05-16"),
        "广西5.17照片.jpg": ("gxzzzzqjyt", "2023-05-17"),
        "吉林5.15稿件.docx": ("jlsjyt", "2023-05-15"),
        "黑龙江5.15照片.jpg": ("hljsjyt", "2023-05-15"),
        "机械行指委5.16稿件.docx": ("qgjxzyjyjxzdwyh", "2023-05-16"),
        "广东省教育厅关于报送活动周方案的函.pdf": ("gdsjyt", "plan"),
    }
    for i, name in enumerate(sent):
        drop(week, name, when(5, 14 + i % 7))
    # Misplaced once (新疆 matched, 兵团 after it not read), then quarantined: 新疆兵团 keeps
    # the characters of 新疆生产建设兵团教育局 in order, and begins as it does.
    drop(week, "新疆兵团-活动周实施方案.docx", when(4, 27))
    drop(week, "河北省人社厅5.16稿件.docx", when(5, 16))
    drop(week, "交通行指委 活动周方案.doc", when(4, 26))
    assert call(week, capsys, "ingest")[0] == 0
    got = materials(week, capsys)
    assert {name: (got[name]["unit"], got[name]["cell"]) for name in sent} == sent
    corps = got["新疆兵团-活动周实施方案.docx"]
    assert (corps["unit"], corps["cell"]) == ("xjscjsbtjyj", "plan")
    assert got["河北省人社厅5.16稿件.docx"]["unit"] is None
    assert got["交通行指委 活动周方案.doc"]["quarantine_code"] == "no_unit"


def status_cells(out: str, name: str) -> list[str]:
    row = next(line for line in out.splitlines() if line.startswith(f"│{name}"))
    return [c.strip() for c in row.split("│")[2:-1]]


@pytest.mark.parametrize(
    ("env", "dash", "plan"),
    [({"NO_COLOR": "1"}, "—", "✓1"), ({"TERM": "linux"}, "-", "v1")],
    ids=["no-colour", "linux-console"],
)
def test_a_day_nobody_owes_shows_who_sent_something(
    week: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    dash: str,
    plan: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("COLUMNS", "120")
    code, out = call(week, capsys, "--as-of", "2023-05-20 12:00", "status")
    assert code == 0 and f"{dash} 无需报送" in out
    assert "仍收到" not in out  # no such cell yet: the legend does not explain one
    drop(week, "河北省教育厅活动周方案.docx", when(4, 27))
    drop(week, "河北 5.15 稿件.docx", when(5, 15))
    drop(week, "河北5.15照片.jpg", when(5, 15, 11))
    drop(week, "河北5月17日典型案例.docx", when(5, 18))
    assert call(week, capsys, "ingest")[0] == 0
    code, out = call(week, capsys, "--as-of", "2023-05-20 12:00", "status")
    assert code == 0
    cells = status_cells(out, "河北省教育厅")
    # plan, 14–20 May, summary: every day is owed by nobody, and shows what came.
    assert cells == [plan, dash, f"{dash}2", dash, f"{dash}1", dash, dash, dash, cells[-1]]
    assert status_cells(out, "浙江省教育厅")[1:8] == [dash] * 7  # nothing sent: a bare dash
    legend = " ".join(out.split())
    assert f"{dash} 无需报送" in legend and f"{dash}2 无需报送，仍收到 2 份" in legend


async def test_the_dashboard_shows_what_came_where_nothing_is_due(
    week: Workspace,
    capsys: pytest.CaptureFixture[str],
    app_for,
    settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from weekwatch.fixtures.testweek import clock_at

    drop(week, "河北 5.15 稿件.docx", when(5, 15))
    drop(week, "河北5.15照片.jpg", when(5, 15, 11))
    drop(week, "5月16日 深圳 稿件.docx", when(5, 16))
    assert call(week, capsys, "ingest")[0] == 0
    for term, dash in (("xterm-256color", "—"), ("linux", "-")):
        monkeypatch.setenv("TERM", term)
        app = app_for(week, clock=clock_at(when(5, 20, 12)), lang="zh")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            grid = app.dashboard.grid
            assert grid.get_cell("hbsjyt", "2023-05-15").plain == f"{dash}2"
            assert grid.get_cell("szsjyj", "2023-05-16").plain == f"{dash}1"
            assert grid.get_cell("hbsjyt", "2023-05-16").plain == dash


def test_assigning_to_a_name_not_on_the_roster_offers_the_unit_it_shortens(
    week: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    drop(week, "交通行指委 活动周方案.doc", when(4, 26))
    assert call(week, capsys, "ingest")[0] == 0
    for typed, meant in (
        ("交通行指委", "全国交通运输职业教育教学指导委员会"),
        ("新疆兵团", "新疆生产建设兵团教育局"),
    ):
        r = subprocess.run(
            [sys.executable, "-m", "weekwatch", "-w", str(week.root), "--lang", "en", "assign"]
            + ["交通行指委 活动周方案.doc", "--unit", typed],
            capture_output=True,
            text=True,
            timeout=60,
        )
        err = r.stderr
        assert r.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err
        assert f"no unit '{typed}'" in err and f"did you mean {meant}?" in err
    assert materials(week, capsys)["交通行指委 活动周方案.doc"]["unit"] is None  # not taken


async def test_the_assign_dialog_offers_the_unit_a_name_shortens_first(
    week: Workspace, capsys: pytest.CaptureFixture[str], app_for, settle
) -> None:
    from textual.widgets import OptionList

    from weekwatch.fixtures.testweek import clock_at
    from weekwatch.tui.screens.picker import UnitPicker
    from weekwatch.tui.screens.quarantine import QuarantineScreen

    drop(week, "交通行指委 活动周方案.doc", when(4, 26))
    drop(week, "兵团 活动周实施方案.docx", when(4, 27))
    assert call(week, capsys, "ingest")[0] == 0
    app = app_for(week, clock=clock_at(when(5, 20, 12)), lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for path, meant in (
            ("交通行指委 活动周方案.doc", "qgjtyszyjyjxzdwyh"),
            ("兵团 活动周实施方案.docx", "xjscjsbtjyj"),  # not 新疆's department
        ):
            await pilot.press("i")
            await pilot.pause()
            quarantine = app.screen
            assert isinstance(quarantine, QuarantineScreen)
            quarantine.query_one("DataTable").move_cursor(row=quarantine.paths.index(path))
            await pilot.press("a")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, UnitPicker)
            options = picker.query_one(OptionList)
            assert options.get_option_at_index(0).id == meant and options.highlighted == 0
            await pilot.press("escape", "escape")
            await pilot.pause()


def test_the_call_list_during_the_week_is_of_the_plans_still_missing(
    week: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    drop(week, "河北省教育厅活动周方案.docx", when(4, 27))
    drop(week, "北京市教委活动周方案.pdf", when(4, 29))  # late
    drop(week, "河北 5.15 稿件.docx", when(5, 15))
    assert call(week, capsys, "ingest")[0] == 0

    def called(as_of: str) -> tuple[str, dict[str, str]]:
        code, out = call(week, capsys, "report", "calls", "--format", "json", "--as-of", as_of)
        assert code == 0
        data = json.loads(out)
        return data["cell"], {u["id"]: u["state"] for u in data["units"]}

    # 18 May: the day is owed by nobody; what is owed and overdue is the plan.
    cell, units = called("2023-05-18 12:00")
    assert cell == "plan"
    assert units["bjsjywyh"] == "late" and units["zjsjyt"] == "missing"
    assert "hbsjyt" not in units and len(units) == 13  # all but 河北, on time
    # Before the plan's deadline nobody is called about it yet.
    assert called("2023-04-20 12:00") == ("plan", {})
    # After the week, the summary (due 27 May).
    cell, units = called("2023-05-28 09:00")
    assert cell == "summary" and len(units) == 14


def liaison_sheet(path: Path) -> Path:
    """The ministry's liaison sheet as the provinces sent it back and an office merged it: a
    title row, a merged heading, no 简称 column, two e-mails in one cell, 合计 and 填表人."""
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["附件1"])
    sheet.append(["2023年职业教育活动周联络员信息表"])
    sheet.merge_cells("A2:G2")
    sheet.append(["序号", "单位名称", "联络员", "职务", "办公电话", "手机", "电子邮箱"])
    names = [
        "河北省教育厅",
        "北京市教育委员会",
        "新疆维吾尔自治区教育厅",
        "新疆生产建设兵团教育局",
        "全国机械职业教育教学指导委员会",
        "大连市教育局",
    ]
    for i, name in enumerate(names, 1):
        mail = f"u{i}@moe.example.cn；u{i}b@163.com" if i == 1 else f"u{i}@moe.example.cn"
        sheet.append([i, name, f"联络员{i}", "科长", f"010-6609{i:04d}", f"1380000{i:04d}", mail])
    sheet.append(["合计", f"{len(names)}个单位"])
    sheet.append(["填表人：白维    联系电话：010-66096513"])
    wb.save(path)
    return path


def test_the_region_is_xinjiang_and_the_corps_its_own_from_the_liaison_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "moe"
    flags = ["--title", "2023年职业教育活动周", "--start", "2023-05-14", "--lang", "zh"]
    flags += ["--daily-deadline", "none", "--plan-deadline", "2023-04-28"]
    assert run(["init", str(root), *flags, "--summary-deadline", "{ days_after_end = 7 }"]) == 0
    ws = Workspace(root)
    sheet = liaison_sheet(tmp_path / "联络员信息表.xlsx")
    assert call(ws, capsys, "units", "import", str(sheet))[0] == 0
    code, out = call(ws, capsys, "units", "list", "--json")
    assert code == 0
    units = {u["name"]: u for u in json.loads(out)}
    # Before, the region lost 新疆 to the 兵团's name, and no province had a type.
    assert units["新疆维吾尔自治区教育厅"]["aliases"] == ["新疆维吾尔自治区", "新疆"]
    assert {name: u["type"] for name, u in units.items()} == {
        "河北省教育厅": "province",
        "北京市教育委员会": "province",
        "新疆维吾尔自治区教育厅": "province",
        "新疆生产建设兵团教育局": "corps",
        "全国机械职业教育教学指导委员会": "steering-committee",
        "大连市教育局": "county-bureau",
    }
    region, corps = "xjwwezzqjyt", "xjscjsbtjyj"
    sent = {
        "新疆5.15稿件.docx": (region, "2023-05-15"),
        "新疆维吾尔自治区5月18日视频.mp4": (region, "2023-05-18"),
        "新疆教育厅活动周方案.docx": (region, "plan"),
        "新疆兵团5月16日稿件.docx": (corps, "2023-05-16"),
        "兵团5月16日照片.jpg": (corps, "2023-05-16"),
        "新疆生产建设兵团5.17典型案例.docx": (corps, "2023-05-17"),
    }
    for i, name in enumerate(sent):
        drop(ws, name, when(5, 14 + i))
    drop(ws, "新疆建设兵团5.18照片.jpg", when(5, 18))  # 兵团 and 新疆 apart: in doubt
    assert call(ws, capsys, "ingest")[0] == 0
    got = materials(ws, capsys)
    assert {name: (got[name]["unit"], got[name]["cell"]) for name in sent} == sent
    assert got["新疆建设兵团5.18照片.jpg"]["unit"] is None


async def test_the_dashboard_says_what_is_true_of_a_day_nobody_owes(
    week: Workspace, capsys: pytest.CaptureFixture[str], app_for, settle
) -> None:
    from weekwatch.fixtures.testweek import clock_at

    drop(week, "河北 5.16 稿件.docx", when(5, 16, 9))
    drop(week, "河北5.16照片.jpg", when(5, 16, 10))
    drop(week, "5月16日 深圳 稿件.docx", when(5, 16, 11))
    assert call(week, capsys, "ingest")[0] == 0
    for size in ((80, 24), (100, 30)):
        app = app_for(week, clock=clock_at(when(5, 16, 12)), lang="zh")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            screen = app.dashboard
            # Before: 今日按时 0/0（0%）· 待交 0, as if the day had gone wrong.
            assert screen.today is not None
            assert screen.today.share == "今日无需报送 · 已收到 3 份（2 个单位）"
            svg = app.export_screenshot()
            shown = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
            assert "今日无需报送" in shown and "0/0" not in shown
            grid = screen.grid
            names = {
                uid: grid.get_cell(uid, "unit").plain.strip()
                for uid in ("qgjtyszyjyjxzdwyh", "qgjxzyjyjxzdwyh", "hbsjyt", "xjwwezzqjyt")
            }
            # Cut, each 行指委 read 全国交通运输职… / 全国机械职业教…: their short names instead.
            assert names["qgjtyszyjyjxzdwyh"] == "交通运输行指委"
            assert names["qgjxzyjyjxzdwyh"] == "机械行指委"
            assert names["hbsjyt"] == "河北省教育厅"  # fits: the name itself
            assert names["xjwwezzqjyt"] == "新疆"  # 新疆维吾尔自治区教育厅 as the bureau wrote it


async def test_a_day_someone_owes_keeps_its_share(
    week: Workspace, capsys: pytest.CaptureFixture[str], app_for, settle
) -> None:
    from weekwatch.fixtures.testweek import clock_at

    text = (week.root / "weekwatch.toml").read_text("utf-8")
    (week.root / "weekwatch.toml").write_text(
        text.replace('daily_deadline = "none"', 'daily_deadline = "24:00"'), "utf-8"
    )
    drop(week, "河北 5.16 稿件.docx", when(5, 16, 9))
    assert call(week, capsys, "ingest")[0] == 0
    app = app_for(week, clock=clock_at(when(5, 16, 12)), lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.dashboard.today is not None
        assert app.dashboard.today.share == "今日按时 1/14（7%）· 待交 13"
