"""A county's bureau and its city's schools on one roster, as seeds 001 and 003 list them
(舞钢市教育体育局 and 舞钢市职业教育中心, 寿光市教育和体育局 and 寿光市职业教育中心学校), no
简称 column: the short names the bureau keeps begin the school's name too. Each row is a name
as people write it, read through the roster `units import` makes of the sheet; before, the
bureau had no short name at all and every file of it waited as "no unit named"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.model import Event
from weekwatch.store.reading import Reader
from weekwatch.store.reasons import Code
from weekwatch.store.roster import read_sheet
from weekwatch.store.roster_merge import plan_import

TZ = ZoneInfo("Asia/Shanghai")
WEIFANG = Event(title="2020年潍坊市职业教育活动周", start=dt.date(2020, 11, 8))
PINGDINGSHAN = Event(title="平顶山市2021年职业教育活动周", start=dt.date(2021, 5, 22))
# The liaison sheets' names, in the order the bureaus list them.
WEIFANG_UNITS = """序号,单位名称,联络员
1,寿光市教育和体育局,张强
2,青州市教育和体育局,赵丽
3,诸城市教育和体育局,王明
4,潍坊职业学院,周婷
5,潍坊工程职业学院,吴刚
6,潍坊商业学校,冯磊
7,寿光市职业教育中心学校,陈静
8,青州市职业中专学校,郑洁
9,市教育局高新分局,刘洋
10,市教育局峡山分局,孙伟
"""
PINGDINGSHAN_UNITS = """序号,单位名称,联系人
1,舞钢市教育体育局,王敏
2,汝州市教育体育局,李娜
3,高新区农社局,徐刚
4,舞钢市职业教育中心,马超
5,汝州市职业技术教育中心,韩梅
"""
SHARED = Code.SHARED_START

# (path, unit id, cell, code); arrived on the week's third day at 10:00.
WEIFANG_ROWS = [
    # The bureau by its place's name: a date, a keyword or an activity after it.
    ("寿光市11.9技能展演视频.mp4", "sgsjyhtyj", "2020-11-09", None),
    ("青州市11月9日活动照片.jpg", "qzsjyhtyj", "2020-11-09", None),
    ("寿光市技能展演视频.mp4", "sgsjyhtyj", "2020-11-10", None),  # 技 is no part of the school's
    ("寿光市开展职业体验活动照片.jpg", "sgsjyhtyj", "2020-11-10", None),
    ("寿光第四天照片.jpg", "sgsjyhtyj", "2020-11-11", None),
    ("寿光市教体局活动周工作总结.docx", "sgsjyhtyj", "summary", None),  # its own name, short
    # The school by its full name, or short with its characters in order.
    ("寿光市职业教育中心学校11月9日开放日照片.jpg", "sgszyjyzxxx", "2020-11-09", None),
    ("寿光市职教中心11月9日照片.jpg", "sgszyjyzxxx", "2020-11-09", None),
    ("寿光职教中心11月9日.jpg", "sgszyjyzxxx", "2020-11-09", None),
    ("寿光市职业体验活动照片.jpg", "sgsjyhtyj", "2020-11-10", None),
    # Cut where neither is sure: 寿光市职教… may be the school's, and is not the bureau's.
    ("寿光市职教11月9日照片.jpg", None, "2020-11-09", SHARED),
    ("寿光市职业11月9日照片.jpg", None, "2020-11-09", SHARED),
    ("青州市职业中专学校11月9日校园开放日.docx", "qzszyzzxx", "2020-11-09", None),
    ("青州职专11月9日.docx", "qzszyzzxx", "2020-11-09", None),
    # The zone branches by the branch's name.
    ("高新分局11月12日稿件.docx", "sjyjgxfj", "2020-11-12", None),
    ("峡山分局11月12日照片.jpg", "sjyjxsfj", "2020-11-12", None),
    # A date in words is the day the name states, not the day it came.
    ("青州市十一月九日照片.jpg", "qzsjyhtyj", "2020-11-09", None),
    ("潍坊商业学校十一月十四日照片.jpg", "wfsyxx", "2020-11-14", None),
    ("诸城市十一月二十日照片.jpg", "zcsjyhtyj", None, Code.DATE_OUTSIDE),
]
PINGDINGSHAN_ROWS = [
    ("舞钢市5.23开放日照片.jpg", "wgsjytyj", "2021-05-23", None),
    ("舞钢市教体局5月23日典型案例.docx", "wgsjytyj", "2021-05-23", None),
    ("舞钢市职教中心5月23日照片.jpg", "wgszyjyzx", "2021-05-23", None),
    ("汝州市2021年5月24日稿件.doc", "rzsjytyj", "2021-05-24", None),
    ("汝州市职教中心5月24日视频.mp4", "rzszyjsjyzx", "2021-05-24", None),
    ("高新区5月26日照片.jpg", "gxqnsj", "2021-05-26", None),
    ("舞钢市职中5月25日照片.jpg", "wgszyjyzx", "2021-05-25", None),  # 职业中学, as said
    ("舞钢市职校5月25日照片.jpg", None, "2021-05-25", Code.ONLY_INSIDE),  # no 校 in its name
]


def reader_of(tmp_path: Path, event: Event, sheet: str) -> Reader:
    path = tmp_path / "联络员信息表.csv"
    path.write_text(sheet, "utf-8")
    return Reader(event, plan_import((), read_sheet(path)).units)


def check(reader: Reader, event: Event, row: tuple) -> None:
    path, unit, cell, code = row
    arrived = dt.datetime.combine(event.start + dt.timedelta(days=2), dt.time(10), TZ)
    r = reader.read(path, arrived)
    q = r.quarantine
    assert (r.unit, r.cell if q is None else cell, q.code if q else None) == (unit, cell, code)


@pytest.mark.parametrize("row", WEIFANG_ROWS, ids=[r[0] for r in WEIFANG_ROWS])
def test_weifangs_bureaus_and_schools(tmp_path: Path, row: tuple) -> None:
    check(reader_of(tmp_path, WEIFANG, WEIFANG_UNITS), WEIFANG, row)


@pytest.mark.parametrize("row", PINGDINGSHAN_ROWS, ids=[r[0] for r in PINGDINGSHAN_ROWS])
def test_pingdingshans_bureaus_and_schools(tmp_path: Path, row: tuple) -> None:
    check(reader_of(tmp_path, PINGDINGSHAN, PINGDINGSHAN_UNITS), PINGDINGSHAN, row)


def test_the_reason_says_which_names_begin_alike(tmp_path: Path) -> None:
    reader = reader_of(tmp_path, WEIFANG, WEIFANG_UNITS)
    r = reader.read("寿光市职教11月9日照片.jpg", dt.datetime(2020, 11, 9, 10, tzinfo=TZ))
    assert r.quarantine is not None
    assert r.quarantine.text("zh") == (
        "“寿光市职教”说不清是 寿光市教育和体育局 还是 寿光市职业教育中心学校"
        "（两者名称都以“寿光市”开头）"
    )


def test_pingdingshans_week_from_its_gb18030_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seed 001 set up literally: only the summary, by 2 June; the bureau's sheet saved from
    Excel as CSV (GB18030, a title row, a 合计 row); the bureaus' and schools' files."""
    import json
    import os

    from weekwatch.tui.cli import run

    root = tmp_path / "平顶山2021"
    flags = ["--title", "平顶山市2021年职业教育活动周", "--start", "2021-05-22", "--lang", "zh"]
    flags += ["--plan-deadline", "none", "--daily-deadline", "none"]
    assert run(["init", str(root), *flags, "--summary-deadline", "2021-06-02"]) == 0
    sheet = root / "联络员名单.csv"
    lines = [
        "平顶山市职业教育活动周联络员名单,,",
        *PINGDINGSHAN_UNITS.splitlines(),
        "合计,5个单位,",
    ]
    sheet.write_bytes("\r\n".join(lines).encode("gb18030"))
    assert run(["-w", str(root), "units", "import", str(sheet)]) == 0
    drops = {
        "舞钢市5.23开放日照片.jpg": ("2021-05-23 09:00", "wgsjytyj", "2021-05-23"),
        "舞钢市职教中心5月23日照片.jpg": ("2021-05-23 11:00", "wgszyjyzx", "2021-05-23"),
        "舞钢市教体局活动周总结.docx": ("2021-06-01 10:00", "wgsjytyj", "summary"),
        "舞钢市职业教育中心活动周总结.docx": ("2021-06-03 09:00", "wgszyjyzx", "summary"),
    }
    for rel, (when, *_) in drops.items():
        path = root / "inbox" / rel
        path.write_bytes(rel.encode())
        t = dt.datetime.fromisoformat(when).replace(tzinfo=TZ).timestamp()
        os.utime(path, (t, t))
    assert run(["-w", str(root), "ingest"]) == 0
    capsys.readouterr()
    assert run(["-w", str(root), "materials", "--json"]) == 0
    got = {m["path"]: (m["unit"], m["cell"]) for m in json.loads(capsys.readouterr().out)}
    assert got == {rel: (unit, cell) for rel, (_, unit, cell) in drops.items()}
    assert run(["-w", str(root), "--as-of", "2021-06-03 12:00", "status", "--json"]) == 0
    units = {u["id"]: u["cells"] for u in json.loads(capsys.readouterr().out)["units"]}
    assert units["wgsjytyj"]["summary"]["state"] == "on_time"
    assert units["wgszyjyzx"]["summary"]["state"] == "late"  # 3 June: after 6月2日前
    assert units["rzsjytyj"]["summary"]["state"] == "missing"
    assert units["wgsjytyj"]["2021-05-23"]["state"] == "not_required"  # days: not asked for


def test_assigning_such_a_file_offers_the_bureau_and_the_school_first(tmp_path: Path) -> None:
    from weekwatch.fixtures.testweek import drop
    from weekwatch.store.config_write import init_workspace
    from weekwatch.store.week import Week
    from weekwatch.tui import guards

    sheet = tmp_path / "联络员信息表.csv"
    sheet.write_text(WEIFANG_UNITS, "utf-8")
    units = list(plan_import((), read_sheet(sheet)).units)
    ws = init_workspace(tmp_path / "潍坊2020", title=WEIFANG.title, start=WEIFANG.start)
    Week(ws).store.put_units(units)
    drop(ws, "寿光市职教11月9日照片.jpg", dt.datetime(2020, 11, 9, 10, tzinfo=TZ))
    Week(ws).ingestor().scan()
    board = Week(ws).board()
    (placed,) = board.quarantined
    assert guards.suggested(placed, board.units) == ["sgsjyhtyj", "sgszyjyzxxx"]


def test_a_short_name_two_units_leave_is_said_as_both(tmp_path: Path) -> None:
    """吉林 is what 吉林省教育厅 and 吉林市教育局 both leave, so neither keeps it: a file of
    吉林 waited as "no unit named", as if the name said nothing."""
    sheet = "单位名称\n吉林省教育厅\n吉林市教育局\n河北省教育厅\n"
    reader = reader_of(tmp_path, Event(title="2023", start=dt.date(2023, 5, 14)), sheet)
    came = dt.datetime(2023, 5, 16, 10, tzinfo=TZ)
    r = reader.read("吉林5.15稿件.docx", came)
    assert r.unit is None and r.quarantine is not None
    assert r.quarantine.code == Code.TWO_UNITS
    assert r.quarantine.text("zh") == "同时指向两个单位：吉林省教育厅 (吉林)、吉林市教育局 (吉林)"
    inside = reader.read("吉林职业技术学院5.15稿件.docx", came).quarantine
    assert inside is not None and inside.code == Code.NO_UNIT  # another's name: not theirs
    assert reader.read("吉林省5.15稿件.docx", came).unit == "jlsjyt"
