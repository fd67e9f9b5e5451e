"""The reading rules on the real notices' weeks, as an operator would try them: a workspace per
notice (its dates and deadlines), the roster as the bureau keeps it, files named as people name
them, dropped with their arrival times, then `weekwatch ingest` and `materials --json`."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.tui.cli import run

TZ = ZoneInfo("Asia/Shanghai")

# Seed 001: Pingdingshan 2021, 22–28 May (a Saturday to a Friday), the summary by 2 June.
ROSTER_001 = """编号,单位名称,简称,类型,联系人,联系电话,邮箱
1,新华区教育体育局,新华区;新华区教体局,县市区教体局,王敏,13837510218,xh@example.com
2,卫东区教育体育局,卫东区;卫东区教体局,县市区教体局,李娜,13837520436,wd@example.com
3,湛河区教育体育局,湛河;湛河区;湛河区教体局,县市区教体局,张伟,13837530651,zh@example.com
4,叶县教育体育局,叶县;叶县教体局,县市区教体局,黄丽,13837580746,yx@example.com
5,鲁山县教育体育局,鲁山县;鲁山教体局,县市区教体局,周强,13837590967,ls@example.com
6,高新区农社局,高新区,开发区农社局,徐刚,13837512409,gx@example.com
7,平顶山职业技术学院,平职院,高职院校,马超,13837534841,pzy@example.org
8,平顶山市卫生学校,卫校;市卫校,中职学校,韩梅,13837556383,pws@example.org
9,平顶山市旅游学校,市旅游学校;平旅校,中职学校,董浩,13837590167,plv@example.org
10,平顶山市第一中学,一中,初中学校,吴婷,13837501188,yz@example.org
11,平顶山市第九中学,九中,初中学校,刘洋,13837540872,jz@example.org
"""
# (arrival, path, unit, cell, quarantine code)
DROPS_001 = [
    ("2021-05-22 09:00", "平职院/启动仪式/照片1.jpg", "7", "2021-05-22", None),
    ("2021-05-23 10:00", "洛阳市第一中学5月23日研学活动.jpg", None, None, "only_inside"),
    ("2021-05-23 10:05", "洛阳市卫校5月23日照片.jpg", None, None, "only_inside"),
    ("2021-05-23 10:06", "平顶山市卫校5月23日照片.jpg", "8", "2021-05-23", None),
    ("2021-05-24 10:00", "湛河北路小学5月24日职业体验.jpg", None, None, "only_inside"),
    ("2021-05-24 10:01", "湛河区5月24日职业体验.jpg", "3", "2021-05-24", None),
    ("2021-05-24 10:02", "护卫校园活动照片.jpg", None, None, "only_inside"),
    ("2021-05-24 10:03", "一中5月24日研学照片.jpg", "10", "2021-05-24", None),
    ("2021-05-24 10:04", "平顶山市旅游学校星期三研学照片.jpg", "9", "2021-05-26", None),
    ("2021-05-25 10:00", "叶县教体局5月25日职业启蒙进九中.docx", "4", "2021-05-25", None),
    ("2021-05-25 10:10", "平顶山市第十九中学5月25日职业体验.jpg", None, None, "only_inside"),
    ("2021-05-26 09:00", "高新区农社局5.26典型案例.docx", "6", "2021-05-26", None),
    ("2021-05-27 09:00", "卫东区第6天简报.docx", "2", "2021-05-27", None),
    ("2021-05-27 09:00", "新华区、卫东区联合活动照片.jpg", None, None, "two_units"),
    ("2021-05-31 10:00", "鲁山县2020年职业教育活动周总结.docx", "5", None, "other_year"),
    ("2021-06-01 10:00", "鲁山县2021年职业教育活动周总结.docx", "5", "summary", None),
]

# Seed 002: a Wuxi college's departments, 12–18 May 2024, the notice in traditional characters:
# a roster kept in them too, and names in either script, or both at once.
ROSTER_002 = """编号,单位名称,简称,类型,联系人,联系电话,邮箱
ysxy,藝術設計學院,藝設學院,二級學院,吳蘇玲,13900000001,ys@example.edu
jdxy,機電工程學院,機電學院,二級學院,王強,13900000002,jd@example.edu
xxxy,信息工程學院,信息學院,二級學院,李華,13900000003,xx@example.edu
jgxy,經濟管理學院,經管學院,二級學院,趙敏,13900000004,jg@example.edu
qcxy,汽车工程学院,汽车学院,二级学院,孙磊,13900000005,qc@example.edu
"""
DROPS_002 = [
    ("2024-05-11 17:00", "艺術設計學院活動週方案.docx", "ysxy", "plan", None),
    ("2024-05-11 17:05", "藝術設計學院信息採集表.xlsx", "ysxy", "plan", None),
    ("2024-05-13 11:00", "機電工程學院5月13日典型職教故事.docx", "jdxy", "2024-05-13", None),
    ("2024-05-13 11:05", "信息工程學院5月13日照片.jpg", "xxxy", "2024-05-13", None),
    ("2024-05-14 11:00", "經管學院/5月14日/校企集中簽約視頻.mp4", "jgxy", "2024-05-14", None),
    ("2024-05-14 11:10", "汽車工程學院5月14日活動報道.docx", "qcxy", "2024-05-14", None),
    ("2024-05-15 11:00", "艺术设计学院5.15典型案例.docx", "ysxy", "2024-05-15", None),
    ("2024-05-16 13:00", "機電學院星期四照片.jpg", "jdxy", "2024-05-16", None),
    ("2024-05-17 11:00", "信息工程學院5月17日活動總結.docx", "xxxy", "2024-05-17", None),
    ("2024-05-18 11:00", "經濟管理學院與機電工程學院聯合招聘會照片.jpg", None, None, "two_units"),
    (
        "2024-05-19 16:00",
        "藝術設計學院2024年情況統計表.xlsx",
        "ysxy",
        "summary",
        None,
    ),
    ("2024-05-19 16:10", "藝術設計學院職業教育活動周總結.docx", "ysxy", "summary", None),
]

# Seed 003: Weifang 2020, 8–14 Nov; plan, column link and liaison by 7 Nov, summary by 17 Nov.
# The liaison sheet numbers its units (编号 1–12), and two names of the issue come from
# Pingdingshan (叶县, 九中).
ROSTER_003 = """编号,单位名称,简称,联系人,职务,办公电话,联系电话,邮箱
1,诸城市教育和体育局,诸城;诸城市;诸城市教体局,王明,科长,0536-6221234,13805361234,zc@example.com
2,高密市教育和体育局,高密;高密市;高密市教体局,李红,科员,0536-2321234,13805362234,gm@example.com
3,寿光市教育和体育局,寿光;寿光市,张强,科长,0536-5221234,13805363234,sg@example.com
4,青州市教育和体育局,青州;青州市,赵丽,副科长,0536-3221234,13805364234,qz@example.com
5,滨海区社会事业局,滨海区,孙伟,主任,0536-7571234,13805365234,bh@example.com
6,潍坊职业学院,潍职院,周婷,干事,0536-8181234,13805366234,wfzy@example.com
7,潍坊工程职业学院,潍工程,吴刚,处长,0536-3081234,13805367234,wfgc@example.com
8,潍坊市工业学校,潍坊工校,郑洁,主任,0536-8221234,13805368234,gyxx@example.com
9,潍坊商业学校,潍坊商校,冯磊,干事,0536-8231234,13805369234,syxx@example.com
10,潍坊技师学院,潍技院,陈静,科长,0536-8241234,13805360234,jsxy@example.com
11,叶县教育体育局,叶县;叶县教体局,黄丽,科员,0375-8081234,13837580746,yx@example.com
12,平顶山市第九中学,九中,刘洋,教务主任,0375-2621234,13837540872,jz@example.com
"""
DROPS_003 = [
    ("2020-11-06 15:00", "高密市活动周宣传专栏地址.txt", "2", "plan", None),
    ("2020-11-07 17:00", "潍坊技师学院活动方案.docx", "10", "plan", None),
    ("2020-11-07 17:10", "潍坊技师学院活动联络员.docx", "10", "plan", None),
    ("2020-11-08 09:00", "联络员信息表（诸城）.xlsx", "1", "plan", None),
    ("2020-11-09 10:00", "平顶山市第十九中学11月9日职业体验.jpg", None, None, "only_inside"),
    ("2020-11-09 10:00", "滨海区社会事业局11-09活动照片.jpg", "5", "2020-11-09", None),
    ("2020-11-09 10:05", "叶县教体局11月9日职业启蒙进九中.docx", "11", "2020-11-09", None),
    ("2020-11-09 11:00", "九中11月9日研学照片.jpg", "12", "2020-11-09", None),
    ("2020-11-10 09:30", "诸城市教体局11月15日.docx", "1", None, "date_outside"),
    ("2020-11-10 09:40", "诸城市11月9日至10日活动照片.jpg", "1", "2020-11-09", None),
    ("2020-11-10 09:41", "诸城市11.9-11.10活动照片.jpg", "1", "2020-11-09", None),
    ("2020-11-10 11:00", "寿光市11月10日典型案例.docx", "3", "2020-11-10", None),
    ("2020-11-10 11:00", "潍坊市工业学校11月10日活动总结.docx", "8", "2020-11-10", None),
    ("2020-11-11 10:00", "潍坊商校星期三照片.jpg", "9", "2020-11-11", None),
    ("2020-11-11 11:00", "青州市教体局/2020-11-11/照片1.jpg", "4", "2020-11-11", None),
    ("2020-11-12 10:00", "高密市与诸城市联合开展职业体验活动.docx", None, None, "two_units"),
    ("2020-11-12 10:00", "潍坊工程职业学院2019年活动周总结.docx", "7", None, "other_year"),
    ("2020-11-12 11:00", "潍职院_第5天_技能展演视频.mp4", "6", "2020-11-12", None),
    ("2020-11-16 16:00", "潍坊职业学院2020年职业教育活动周总结报告.docx", "6", "summary", None),
    ("2020-11-16 17:00", "潍坊职业学院情况统计表.xlsx", "6", "summary", None),
]

SEEDS = {
    "001": (
        ["--title", "平顶山市2021年职业教育活动周", "--start", "2021-05-22"],
        ["--summary-deadline", "2021-06-02T23:59"],
        ROSTER_001,
        DROPS_001,
    ),
    "002": (
        ["--title", "2024年職業教育活動周", "--start", "2024-05-12"],
        ["--plan-deadline", "2024-05-12T12:00", "--summary-deadline", "2024-05-19T17:30"],
        ROSTER_002,
        DROPS_002,
    ),
    "003": (
        ["--title", "2020年潍坊市职业教育活动周", "--start", "2020-11-08"],
        ["--summary-deadline", "2020-11-17T23:59"],
        ROSTER_003,
        DROPS_003,
    ),
}


def week_of(tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: str) -> dict[str, dict]:
    event, deadlines, roster, drops = SEEDS[seed]
    root = tmp_path / f"seed{seed}"
    assert run(["init", str(root), *event, *deadlines, "--lang", "zh"]) == 0
    (root / "参与单位.csv").write_text(roster, encoding="utf-8")
    assert run(["-w", str(root), "units", "import", str(root / "参与单位.csv")]) == 0
    for when, rel, *_ in drops:
        path = root / "inbox" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"from {rel}".encode())
        t = dt.datetime.fromisoformat(when).replace(tzinfo=TZ).timestamp()
        os.utime(path, (t, t))
    assert run(["-w", str(root), "ingest"]) == 0
    capsys.readouterr()
    assert run(["-w", str(root), "materials", "--json"]) == 0
    return {r["path"]: r for r in json.loads(capsys.readouterr().out)}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_the_real_weeks_read_as_an_operator_checks_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: str
) -> None:
    rows = week_of(tmp_path, capsys, seed)
    drops = SEEDS[seed][3]
    assert set(rows) == {rel for _, rel, *_ in drops}
    got = {rel: (r["unit"], r["cell"], r["quarantine_code"]) for rel, r in rows.items()}
    want = {
        rel: (unit, cell if code is None else rows[rel]["cell"], code)
        for _, rel, unit, cell, code in drops
    }
    assert got == want
    for rel, r in rows.items():  # a code always comes with its English text
        assert (r["quarantine"] is None) == (r["quarantine_code"] is None), rel


def test_a_range_is_counted_for_its_first_day_and_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = week_of(tmp_path, capsys, "003")
    for rel in ("诸城市11月9日至10日活动照片.jpg", "诸城市11.9-11.10活动照片.jpg"):
        assert (rows[rel]["cell"], rows[rel]["until"]) == ("2020-11-09", "2020-11-10")
    assert "until" not in rows["寿光市11月10日典型案例.docx"]
    capsys.readouterr()
    assert run(["-w", str(tmp_path / "seed003"), "materials"]) == 0
    line = next(s for s in capsys.readouterr().out.splitlines() if "11月9日至10日" in s)
    assert "→  诸城市教育和体育局 11-09" in line and "至 2020-11-10" in line  # the week speaks zh


def test_reasons_name_units_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = week_of(tmp_path, capsys, "003")
    assert rows["平顶山市第十九中学11月9日职业体验.jpg"]["quarantine"] == (
        "no unit on the roster: 平顶山市第九中学 (九中) only inside 平顶山市第十九中学"
    )
    assert rows["高密市与诸城市联合开展职业体验活动.docx"]["quarantine"] == (
        "names two units: 高密市教育和体育局 (高密市), 诸城市教育和体育局 (诸城市)"
    )
    assert rows["诸城市教体局11月15日.docx"]["quarantine"] == "names 2020-11-15, outside the week"


def test_importing_all_digit_ids_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "w"
    assert run(["init", str(root), "--title", "t", "--start", "2020-11-08"]) == 0
    (root / "units.csv").write_text(ROSTER_003, encoding="utf-8")
    capsys.readouterr()
    assert run(["-w", str(root), "units", "import", str(root / "units.csv")]) == 0
    err = capsys.readouterr().err
    assert "12 ids or aliases are digits alone (1, 2, 3, 4, 5, …)" in err
    other = tmp_path / "college"
    assert run(["init", str(other), "--title", "t", "--start", "2024-05-12"]) == 0
    (other / "units.csv").write_text(ROSTER_002, encoding="utf-8")
    capsys.readouterr()
    assert run(["-w", str(other), "units", "import", str(other / "units.csv")]) == 0
    assert "digits alone" not in capsys.readouterr().err
