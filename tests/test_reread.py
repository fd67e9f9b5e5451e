"""Re-reading what waits, on seed 003's week (潍坊, 8–14 Nov 2020) set up as its notice says.

The bureau's first roster missed two schools and typed one school's short name into another's
row; the corrected roster is imported mid-week. Real files, real folders, the real database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.config import init_workspace
from weekwatch.store.db import materials_stamp
from weekwatch.store.reasons import Code
from weekwatch.store.reread import FILE_CODES, READ_CODES
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import run

TZ = ZoneInfo("Asia/Shanghai")
HEADER = "编号,单位名称,简称,类型,区域,联系人,联系电话,邮箱\n"
# The liaison sheet as it first came back: 潍坊技院 (潍坊技师学院's short name) typed into
# 潍坊职业学院's row, and
# 潍坊技师学院 and 潍坊市工业学校 not yet on it.
ROSTER_1 = HEADER + (
    "zhucheng,诸城市教育和体育局,诸城;诸城市教体局,县市区教体局,诸城市,,,\n"
    "gaomi,高密市教育和体育局,高密;高密市教体局,县市区教体局,高密市,,,\n"
    "wfzy,潍坊职业学院,潍职院;潍坊技院,高职院校,,,,\n"
)
ROSTER_2 = HEADER + (
    "zhucheng,诸城市教育和体育局,诸城;诸城市教体局,县市区教体局,诸城市,,,\n"
    "gaomi,高密市教育和体育局,高密;高密市教体局,县市区教体局,高密市,,,\n"
    "wfzy,潍坊职业学院,潍职院,高职院校,,,,\n"
    "wfjs,潍坊技师学院,潍坊技院,技师学院,,,,\n"
    "wfgy,潍坊市工业学校,工业学校,中职学校,,,,\n"
)


def nov(day: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(2020, 11, day, hh, mm, tzinfo=TZ)


def put(ws: Workspace, rel: str, when: dt.datetime) -> None:
    path = ws.inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(rel.encode())
    os.utime(path, (when.timestamp(), when.timestamp()))


def weifang(root: Path, start: dt.date = dt.date(2020, 11, 8)) -> Workspace:
    """The week of seed 003: 8–14 Nov 2020; plans by 7 Nov, summaries by 17 Nov."""
    return init_workspace(
        root,
        title="2020年潍坊市职业教育活动周",
        start=start,
        theme="人人出彩，技能强国",
        plan_deadline="2020-11-08 00:00",  # 11月7日之前: by the end of the 7th
        summary_deadline="2020-11-18 00:00",  # 11月17日之前
    )


def call(ws: Workspace, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "郑瑶琦", *args])
    return code, capsys.readouterr().out


def materials(ws: Workspace, capsys) -> dict[str, dict]:
    rows = json.loads(call(ws, capsys, "materials", "--json")[1])
    return {r["path"]: r for r in rows if not r.get("superseded")}


def cells(ws: Workspace, capsys, as_of: str = "2099-01-01T00:00") -> dict[str, dict[str, str]]:
    st = json.loads(call(ws, capsys, "status", "--json", "--as-of", as_of)[1])
    return {u["id"]: {c: v["state"] for c, v in u["cells"].items()} for u in st["units"]}


@pytest.fixture
def week(tmp_path: Path, capsys) -> Workspace:
    ws = weifang(tmp_path / "weifang2020")
    roster = tmp_path / "联络员信息表.csv"
    roster.write_text(ROSTER_1, encoding="utf-8")
    assert call(ws, capsys, "units", "import", str(roster))[0] == 0
    put(ws, "潍坊技师学院11月9日活动照片.jpg", nov(9, 10))
    put(ws, "潍坊市工业学校11月9日典型案例.docx", nov(9, 11))
    put(ws, "潍坊技师学院活动视频.mp4", nov(11, 9))  # no date in the name: its arrival day
    put(ws, "潍坊技院11月10日新闻稿.docx", nov(10, 9))  # read as 潍坊职业学院's, by the typo
    put(ws, "潍坊技师学院11月12日稿件.docx", nov(12, 9))
    put(ws, "诸城市教体局11月10日典型案例.docx", nov(10, 8))
    assert call(ws, capsys, "ingest")[0] == 0
    return ws


def test_a_roster_import_places_what_waits_with_its_old_arrival_times(week, tmp_path, capsys):
    ws = week
    before = materials(ws, capsys)
    waiting = {p for p, r in before.items() if r["quarantine"]}
    assert waiting == {
        "潍坊技师学院11月9日活动照片.jpg",
        "潍坊市工业学校11月9日典型案例.docx",
        "潍坊技师学院活动视频.mp4",
        "潍坊技师学院11月12日稿件.docx",
    }
    assert before["潍坊技院11月10日新闻稿.docx"]["unit"] == "wfzy"
    # The operator phoned and assigned one file by hand (to the college, as the liaison said).
    assert call(ws, capsys, "assign", "潍坊技师学院11月12日稿件.docx", "--unit", "wfzy")[0] == 0

    roster = tmp_path / "联络员信息表（更正）.csv"
    roster.write_text(ROSTER_2, encoding="utf-8")
    code, out = call(ws, capsys, "units", "import", str(roster))
    assert code == 0
    head = out.splitlines()[1]
    assert head.startswith("3 files now placed, 1 moved from 潍坊职业学院 to 潍坊技师学院")
    assert "1 assigned by an operator, left as assigned" in head
    assert "潍坊技院11月10日新闻稿.docx: 潍坊职业学院 2020-11-10  →  潍坊技师学院 2020-11-10" in out

    after = materials(ws, capsys)
    assert {p for p, r in after.items() if r["quarantine"]} == set()
    assert after["潍坊技师学院活动视频.mp4"]["cell"] == "2020-11-11"  # its arrival, not today
    assert after["潍坊技师学院11月12日稿件.docx"]["unit"] == "wfzy"  # the assignment stands
    # Each record keeps its arrival time: the cells are judged by it.
    assert after["潍坊技师学院11月9日活动照片.jpg"]["received_at"] == nov(9, 10).isoformat()
    c = cells(ws, capsys)
    assert c["wfjs"]["2020-11-09"] == "on_time"
    assert c["wfjs"]["2020-11-10"] == "on_time"
    assert c["wfjs"]["2020-11-11"] == "on_time"
    assert c["wfjs"]["2020-11-12"] == "missing"
    assert c["wfgy"]["2020-11-09"] == "on_time"
    assert c["wfzy"]["2020-11-10"] == "missing"  # the typo's credit is gone
    assert c["wfzy"]["2020-11-12"] == "on_time"

    # Nothing changed since: a second re-read on demand says so and writes nothing.
    stamp = materials_stamp(ws.dbdir)
    code, out = call(ws, capsys, "ingest", "--reread")
    assert code == 0 and "nothing changed (5 files read again; 1 assigned" in out
    assert materials_stamp(ws.dbdir) == stamp
    assert (
        ws.inbox / "潍坊技师学院活动视频.mp4"
    ).read_bytes() == "潍坊技师学院活动视频.mp4".encode()


def test_undoing_the_assignment_after_a_reread_gives_the_rules_placement(week, tmp_path, capsys):
    ws = week
    call(ws, capsys, "assign", "潍坊技师学院11月12日稿件.docx", "--unit", "wfzy")
    roster = tmp_path / "更正.csv"
    roster.write_text(ROSTER_2, encoding="utf-8")
    call(ws, capsys, "units", "import", str(roster))
    # Left alone by the re-read, its record still says quarantine; undo shows that, and a
    # re-read on demand then places it by the new roster.
    call(ws, capsys, "undo")
    assert materials(ws, capsys)["潍坊技师学院11月12日稿件.docx"]["quarantine"]
    code, out = call(ws, capsys, "ingest", "--reread")
    assert "1 file now placed" in out
    assert materials(ws, capsys)["潍坊技师学院11月12日稿件.docx"]["unit"] == "wfjs"


def test_moving_the_weeks_dates_reads_again_on_the_next_ingest(tmp_path, capsys):
    # Started with the wrong week (the 1st instead of the 8th): undated files that came on
    # the 9th were outside it.
    ws = weifang(tmp_path / "wf", start=dt.date(2020, 11, 1))
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER_2, encoding="utf-8")
    call(ws, capsys, "units", "import", str(roster))
    put(ws, "诸城市教体局/活动照片.jpg", nov(9, 10))
    put(ws, "高密/11月12日稿件.docx", nov(12, 9))
    call(ws, capsys, "ingest")
    assert all(r["quarantine"] for r in materials(ws, capsys).values())

    text = ws.config.read_text(encoding="utf-8").replace("2020-11-01", "2020-11-08")
    ws.config.write_text(text, encoding="utf-8")
    code, out = call(ws, capsys, "ingest")
    assert code == 0 and "2 files now placed" in out
    rows = materials(ws, capsys)
    assert rows["诸城市教体局/活动照片.jpg"]["cell"] == "2020-11-09"
    assert rows["高密/11月12日稿件.docx"]["cell"] == "2020-11-12"
    # The next ingest has nothing to read again.
    out = call(ws, capsys, "ingest")[1]
    assert "read again" not in out


def test_a_rewritten_file_is_read_again_as_of_its_first_arrival(week, tmp_path, capsys):
    ws = week
    put(ws, "潍坊技师学院活动视频.mp4", nov(13, 16))  # a corrected video, two days on
    (ws.inbox / "潍坊技师学院活动视频.mp4").write_bytes(b"v2")
    os.utime(ws.inbox / "潍坊技师学院活动视频.mp4", (nov(13, 16).timestamp(),) * 2)
    call(ws, capsys, "ingest")
    roster = tmp_path / "更正.csv"
    roster.write_text(ROSTER_2, encoding="utf-8")
    call(ws, capsys, "units", "import", str(roster))
    row = materials(ws, capsys)["潍坊技师学院活动视频.mp4"]
    assert row["cell"] == "2020-11-11" and row["late"] is False


def test_an_empty_file_stays_in_quarantine_whatever_the_roster(week, tmp_path, capsys):
    ws = week
    path = ws.inbox / "潍坊技师学院11月13日稿件.docx"
    path.write_bytes(b"")
    os.utime(path, (nov(13, 9).timestamp(),) * 2)
    call(ws, capsys, "ingest")
    roster = tmp_path / "更正.csv"
    roster.write_text(ROSTER_2, encoding="utf-8")
    call(ws, capsys, "units", "import", str(roster))
    row = materials(ws, capsys)["潍坊技师学院11月13日稿件.docx"]
    assert row["quarantine_code"] == "empty"


def test_every_reason_code_is_either_read_again_or_about_the_file():
    unclassified = set(Code) - READ_CODES - FILE_CODES
    assert not unclassified, (
        f"store/reread.py: say whether a re-read may change {sorted(unclassified)} "
        "(READ_CODES: from the name; FILE_CODES: about the file itself)"
    )
    assert not READ_CODES & FILE_CODES


def test_a_zips_members_are_read_again_with_the_zips_name(week, tmp_path, capsys):
    import zipfile

    ws = week
    path = ws.inbox / "潍坊技师学院活动照片.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("11月10日/1.jpg", b"one")
        z.writestr("11月10日/2.jpg", b"two")
    os.utime(path, (nov(10, 11).timestamp(),) * 2)
    call(ws, capsys, "ingest")
    inside = [p for p in materials(ws, capsys) if p.startswith("潍坊技师学院活动照片.zip!")]
    assert len(inside) == 2
    assert all(materials(ws, capsys)[p]["quarantine"] for p in inside)
    roster = tmp_path / "更正.csv"
    roster.write_text(ROSTER_2, encoding="utf-8")
    call(ws, capsys, "units", "import", str(roster))
    rows = materials(ws, capsys)
    assert [(rows[p]["unit"], rows[p]["cell"]) for p in inside] == [("wfjs", "2020-11-10")] * 2
    assert (ws.inbox / "潍坊技师学院活动照片.zip").stat().st_mtime == nov(10, 11).timestamp()
