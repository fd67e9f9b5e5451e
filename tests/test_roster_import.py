"""`weekwatch units import` on a real workspace: re-imports keep ids, --dry-run writes nothing,
`units list` prints real tabs, and a hostile sheet is bounded and shown as text."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from weekwatch.fixtures.rosters import liaison_xls, liaison_xlsx, raw_xlsx
from weekwatch.fixtures.testweek import drop
from weekwatch.store.config import init_workspace
from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import run


def call(ws: Workspace, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    return code, capsys.readouterr().out


def listed(ws: Workspace, capsys) -> dict[str, dict]:
    code, out = call(ws, capsys, "units", "list", "--json")
    assert code == 0
    return {u["id"]: u for u in json.loads(out)}


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root: its bytes and mtime."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_reimport_same_and_updated_roster_keeps_ids(ws: Workspace, tmp_path: Path, capsys):
    path = liaison_xlsx(tmp_path / "联络员信息表.xlsx")
    code, out = call(ws, capsys, "units", "import", str(path))
    assert code == 0 and "3 units added, 0 updated, 0 unchanged (6 in the roster)" in out
    assert "4 rows skipped: 1 a 合计/总计 row, 2 a note, not a unit, 1 blank" in out
    assert "row 6, 电子邮箱 (G6): 'wfzy@163' is not an e-mail address" in out
    first = listed(ws, capsys)
    assert list(first) == ["wugang", "baofeng", "pzy", "kwqjyhtyj", "wfzyxy", "sgszyjyzxxx"]

    code, out = call(ws, capsys, "units", "import", str(path))
    assert code == 0 and "0 units added, 0 updated, 3 unchanged (6 in the roster)" in out
    assert listed(ws, capsys) == first

    # The bureau's updated sheet: a phone changed, a unit added, a name written the short way.
    book = openpyxl.load_workbook(path)
    sheet = book["联络员"]
    sheet["F6"] = 13700009999
    sheet["B4"] = "奎文区教体局"  # same unit, found by its alias 奎文区
    sheet.insert_rows(9)
    for col, value in zip(
        "ABCFG", [4, "诸城市教体局", "钱七", 13500000006, "q@zc.cn"], strict=True
    ):
        sheet[f"{col}9"] = value
    book.save(path)
    code, out = call(ws, capsys, "units", "import", str(path))
    assert code == 0 and "1 units added, 2 updated, 1 unchanged (7 in the roster)" in out
    after = listed(ws, capsys)
    assert list(after) == [*first, "zcsjtj"]  # no second copy; ids unchanged
    assert after["wfzyxy"]["liaison_phone"] == "13700009999; 0536-8111111"
    assert after["kwqjyhtyj"]["name"] == "奎文区教体局"
    assert after["kwqjyhtyj"]["aliases"] == ["奎文区", "奎文"]
    assert after["zcsjtj"]["type"] == "county-bureau" and after["zcsjtj"]["inferred"] == [
        "id",
        "type",
    ]


def test_reimport_keeps_what_the_sheet_does_not_say(ws: Workspace, tmp_path: Path, capsys):
    """A liaison sheet has no region or type column: importing it never erases them."""
    path = tmp_path / "r.csv"
    path.write_text("单位名称,联系人,手机\n舞钢市教育体育局,李娜,13900000000\n", "utf-8")
    code, out = call(ws, capsys, "units", "import", str(path))
    assert code == 0 and "0 units added, 1 updated" in out
    wugang = listed(ws, capsys)["wugang"]
    assert wugang["type"] == "县市区教体局" and wugang["region"] == "舞钢市"
    assert wugang["aliases"] == ["舞钢市", "舞钢教体局"] and wugang["liaison_name"] == "李娜"
    assert wugang["liaison_email"] == "wg@example.com"


def test_inferred_type_is_corrected_by_a_type_column(ws: Workspace, tmp_path: Path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("单位名称\n潍坊科技职业学院\n", "utf-8")
    call(ws, capsys, "units", "import", str(path))
    u = listed(ws, capsys)["wfkjzyxy"]
    assert (u["type"], u["inferred"]) == ("higher-vocational", ["id", "type"])
    path.write_text("单位名称,类型\n潍坊科技职业学院,本科\n", "utf-8")
    call(ws, capsys, "units", "import", str(path))
    u = listed(ws, capsys)["wfkjzyxy"]
    assert (u["type"], u["inferred"]) == ("本科", ["id"])


def test_an_id_column_is_used_for_new_units_and_never_renames(
    ws: Workspace, tmp_path: Path, capsys
):
    path = tmp_path / "r.csv"
    path.write_text("编号,单位名称\nwg2,舞钢市教育体育局\nzc,诸城市教体局\n", "utf-8")
    code, out = call(ws, capsys, "units", "import", str(path))
    assert code == 0 and "1 units added, 0 updated, 1 unchanged" in out
    assert "编号 'wg2' differs from the id 'wugang'" in out
    assert list(listed(ws, capsys)) == ["wugang", "baofeng", "pzy", "zc"]


def test_dry_run_writes_nothing_and_shows_everything(ws: Workspace, tmp_path: Path, capsys):
    path = liaison_xlsx(tmp_path / "联络员信息表.xlsx", instructions=True)
    before = snapshot(ws.root)
    code, out = call(ws, capsys, "units", "import", str(path), "--dry-run")
    assert code == 0
    assert snapshot(ws.root) == before
    assert "sheet '联络员' (sheets: 填表说明, 联络员)" in out
    assert "header: row 3: 序号 | 单位名称 | 联络员 | 职务 | 办公电话 | 手机 | 电子邮箱" in out
    assert "  F\t手机\t→ liaison_phone (mobile)" in out
    assert "  A\t序号\t→ - (kept out)" in out
    line = next(ln for ln in out.splitlines() if "奎文区教育和体育局" in ln)
    assert line.split("\t")[:5] == [
        "  rows 4–5",
        "kwqjyhtyj*",
        "奎文区教育和体育局",
        "type county-bureau*",
        "aliases 奎文区*、奎文*",
    ]
    assert "row 9\ta 合计/总计 row\t合计 3个单位" in out
    assert "row 10\ta note, not a unit\t填表人：郑瑶琦" in out
    assert "'wfzy@163' is not an e-mail address" in out
    assert "3 units added, 0 updated, 0 unchanged (6 in the roster) — nothing written" in out
    assert list(listed(ws, capsys)) == ["wugang", "baofeng", "pzy"]


def test_units_list_prints_real_tabs(ws: Workspace, capsys):
    Week(ws).store.put_units([Unit("evil", "坏\x1b[31m学校", ("a\tb",))])
    code, out = call(ws, capsys, "units", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("\t")[:3] == ["wugang", "舞钢市教育体育局", "舞钢市、舞钢教体局"]
    assert "\\x09" not in lines[0]
    evil = lines[-1].split("\t")
    # The unit's own control characters are spelled out; the separators are real tabs.
    assert evil[:3] == ["evil", "坏\\x1b[31m学校", "a\\x09b"] and len(evil) == 8


def cli(ws: Workspace, *args: str, limit_mb: int = 0) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    prefix: list[str] = []
    if limit_mb:
        # The address space the import may use: a sheet that made it read or keep everything
        # would fail here instead of swapping the bureau's server.
        code = (
            "import resource, sys, runpy; "
            f"resource.setrlimit(resource.RLIMIT_AS, ({limit_mb << 20}, {limit_mb << 20})); "
            "sys.argv = ['weekwatch', *sys.argv[1:]]; runpy.run_module('weekwatch', "
            "run_name='__main__')"
        )
        prefix = ["-c", code]
    else:
        prefix = ["-m", "weekwatch"]
    return subprocess.run(
        [sys.executable, *prefix, *args], capture_output=True, text=True, env=env, timeout=300
    )


HOSTILE = "[bold red]假学院[/]\x1b[2J\u202e\x07"


def test_hostile_sheet_is_bounded_and_shown_as_text(ws: Workspace, tmp_path: Path):
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("单位名称,联系人\n")
        f.write(f'"{HOSTILE}",张三\n')
        for i in range(200_000):
            f.write(f"单位{i},联系人{i}\n")
    before = snapshot(ws.root)
    r = cli(ws, "units", "import", str(path), "--dry-run", limit_mb=1536)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "more than 10000 units" in r.stderr and "line 10002" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(ws.root) == before

    # The first rows only: the hostile name goes through, as text.
    path.write_text(f'单位名称,联系人\n"{HOSTILE}",张三\n', "utf-8")
    r = cli(ws, "units", "import", str(path), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout and "\x07" not in r.stdout
    assert "[bold red]假学院[/]\\x1b[2J\\u202e\\x07" in r.stdout
    r = cli(ws, "units", "import", str(path))
    assert r.returncode == 0, r.stderr
    out = cli(ws, "units", "list").stdout
    assert "\x1b" not in out and "[bold red]假学院[/]\\x1b[2J" in out


def test_hostile_xlsx_claiming_the_whole_grid_is_bounded(ws: Workspace, tmp_path: Path):
    """200,000 rows, a dimension of 16,384 × 1,048,576 cells, a name with markup and an
    Excel-escaped ESC: refused past MAX_UNITS within the memory limit; the name shown as text."""
    rows = [["单位名称", "联系人"], ["[bold]假学院[/]_x001B_[2J", "张三"]]
    rows += [[f"单位{i}", f"联系人{i}"] for i in range(200_000)]
    path = raw_xlsx(tmp_path / "r.xlsx", rows)
    r = cli(ws, "units", "import", str(path), "--dry-run", limit_mb=1536)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "sheet '名单', row 10002: more than 10000 units" in r.stderr
    path = raw_xlsx(tmp_path / "r.xlsx", rows[:3])
    r = cli(ws, "units", "import", str(path), "--dry-run", limit_mb=1536)
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "[bold]假学院[/]\\x1b[2J" in r.stdout


@pytest.mark.parametrize("rows", [200_000])
def test_a_sheet_of_blank_and_junk_rows_is_read_to_the_end(ws: Workspace, tmp_path: Path, rows):
    """Formatting dragged down to row 200,000 (blank rows) and a few units: all read, bounded."""
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("序号,单位名称,联络员\n1,潍坊职业学院,王五\n")
        f.write(",,\n" * rows)
        f.write("2,潍坊护理职业学院,赵六\n合计,,\n")
    r = cli(ws, "units", "import", str(path), limit_mb=1536)
    assert r.returncode == 0, r.stderr
    assert "2 units added" in r.stdout and f"{rows + 1} rows skipped" in r.stdout


def test_seed_003_liaison_sheet_places_files_by_derived_aliases(tmp_path: Path, capsys):
    """Weifang 2020 (seed 003): 8–14 Nov, liaison details sent back by 7 Nov in an old .xls.
    Imported as it is, the bureaus' files place by the names people write (奎文区, 潍城区教体局)
    with no alias typed by hand; a name weekwatch does not guess (高新区) waits in quarantine."""
    ws = init_workspace(
        tmp_path / "wf2020",
        title="2020年潍坊市职业教育活动周",
        start=dt.date(2020, 11, 8),
        theme="人人出彩，技能强国",
    )
    code, out = call(ws, capsys, "units", "import", str(liaison_xls(tmp_path / "联络员.xls")))
    assert code == 0 and "3 units added" in out
    day2 = dt.datetime(2020, 11, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    drop(ws, "奎文区_11月9日_照片.jpg", day2)
    drop(ws, "奎文区教体局11.9活动简报.docx", day2)
    drop(ws, "潍坊职业学院/11月9日典型案例.docx", day2)
    drop(ws, "高新区11月9日活动.docx", day2)
    assert call(ws, capsys, "ingest")[0] == 0
    code, out = call(ws, capsys, "materials", "--json")
    placed = {m["path"]: (m["unit"], m["cell"]) for m in json.loads(out)}
    assert placed == {
        "奎文区_11月9日_照片.jpg": ("kwqjyhtyj", "2020-11-09"),
        "奎文区教体局11.9活动简报.docx": ("kwqjyhtyj", "2020-11-09"),
        "潍坊职业学院/11月9日典型案例.docx": ("wfzyxy", "2020-11-09"),
        "高新区11月9日活动.docx": (None, "2020-11-09"),  # no unit: waits
    }


def test_map_and_sheet_on_the_command_line(ws: Workspace, tmp_path: Path, capsys):
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "去年"
    first.append(["单位名称", "联络员"])
    first.append(["潍坊护理职业学院", "旧联络员"])
    sheet = book.create_sheet("2020年")
    sheet.append(["序号", "学校全称", "联络人", "手机"])
    sheet.append([1, "潍坊职业学院", "王五", 13700000003])
    path = tmp_path / "r.xlsx"
    book.save(path)
    with pytest.raises(WeekwatchError, match="--map 学校全称=name"):
        call(ws, capsys, "units", "import", str(path), "--sheet", "2020年", "--dry-run")
    code, out = call(
        ws, capsys, "units", "import", str(path), "--sheet", "2020年",
        "--map", "学校全称=name", "--map", "联络人=liaison",
    )  # fmt: skip
    assert code == 0 and "1 units added" in out
    u = listed(ws, capsys)["wfzyxy"]
    assert (u["name"], u["liaison_name"], u["liaison_phone"]) == (
        "潍坊职业学院",
        "王五",
        "13700000003",
    )
    with pytest.raises(WeekwatchError, match="--map names no column of the header: '学校'"):
        call(ws, capsys, "units", "import", str(path), "--map", "学校=name")


def test_every_address_of_a_liaison_counts_for_a_mail_sender(ws: Workspace, tmp_path: Path, capsys):
    from weekwatch.store.mail import senders

    call(ws, capsys, "units", "import", str(liaison_xlsx(tmp_path / "r.xlsx")))
    by_address = senders(Week(ws).units())
    for address in ("a@kw.cn", "b@kw.cn", "c@kw.cn"):
        assert by_address[address] == {"kwqjyhtyj"}


def test_a_sheet_in_traditional_characters_reads_as_its_simplified_twin(
    ws: Workspace, tmp_path: Path, capsys
):
    """A sheet kept in traditional characters (seed 002 is written so): 單位名稱 heads the
    names, 聯絡員 and 電子郵箱 the liaison, and the 合計 row at the bottom is no unit; a college's
    own departments under 二級學院 are units too."""
    sheet = tmp_path / "聯絡員信息表.csv"
    sheet.write_text(
        "序號,單位名稱,聯絡員,手機,電子郵箱\n"
        "1,藝術設計學院,劉洋,13712345678,liuyang@example.edu.cn\n"
        "2,機電工程學院,張偉,13912345678,zhangwei@example.edu.cn\n"
        "合計,2,,,\n",
        encoding="utf-8",
    )
    code, out = call(ws, capsys, "units", "import", str(sheet))
    assert code == 0, out
    units = {u["name"]: u for u in listed(ws, capsys).values()}
    assert set(units) >= {"藝術設計學院", "機電工程學院"}
    assert not any("合" in name for name in units)
    assert units["藝術設計學院"]["liaison_email"] == "liuyang@example.edu.cn"
    college = tmp_path / "二級學院.csv"
    college.write_text("二級學院,聯繫人\n信息工程學院,李娜\n", encoding="utf-8")
    code, out = call(ws, capsys, "units", "import", str(college))
    assert code == 0, out
    assert "信息工程學院" in {u["name"] for u in listed(ws, capsys).values()}
