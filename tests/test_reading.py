"""The reading rules, one row per real-world name an operator finds in the inbox."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weekwatch.fixtures.testweek import at
from weekwatch.store.model import Event, Reading, Unit
from weekwatch.store.reading import Reader, UnitIndex, ignored_name, is_ignored, normalize
from weekwatch.store.reasons import Code

TZ = ZoneInfo("Asia/Shanghai")
EVENT = Event(title="t", start=dt.date(2024, 5, 12))  # 12–18 May 2024: day 3 is 14 May

UNITS = [
    Unit("wugang", "舞钢市教育体育局", ("舞钢市", "舞钢")),
    Unit("ruzhou", "汝州市教育体育局", ("汝州市", "汝州")),
    Unit("pds", "平顶山市教育局", ("平顶山",)),
    Unit("pzy", "平顶山职业技术学院", ("平职院",)),
    Unit("weidong", "卫东区教育体育局", ("卫东区",)),
    Unit("jsit", "江苏信息职业技术学院", ("江苏信息职院",)),
    Unit("dept-01", "机电工程学院", ("机电学院",)),
    Unit("hope512", "5.12希望学校"),
    Unit("gaoxin", "高新区农社局", ("高新区",)),
]


ARRIVED = at(15)  # day 4: where undated daily materials land
TODAY = "2024-05-15"


def why(reading: Reading) -> str | None:
    """The reason in English, as `materials` prints it (codes: tests/test_reasons.py)."""
    return reading.quarantine.text("en") if reading.quarantine else None


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(EVENT, UNITS)


# (path as dropped, unit, kind, cell, quarantine), all arriving on 15 May.
READ_ROWS = [
    # Folders per unit and per day, both, or neither.
    ("舞钢市/2024-05-13/典型案例-职教故事.docx", "wugang", "case", "2024-05-13", None),
    ("2024-05-14/汝州市/照片1.jpg", "ruzhou", "photo", "2024-05-14", None),
    ("舞钢市/５月１３日照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市/２０２４年５月１６日新闻稿.docx", "wugang", "report", "2024-05-16", None),
    ("ＷＥＩＤＯＮＧ＿照片.jpg", "weidong", "photo", TODAY, None),
    # A month-day outside the week is a name, not a date: keep looking.
    ("舞钢/6.1儿童节活动照片.jpg", "wugang", "photo", TODAY, None),
    ("舞钢/6.1儿童节活动照片5.16.jpg", "wugang", "photo", "2024-05-16", None),
    ("2024-05-13/舞钢市/5.20照片.jpg", "wugang", "photo", "2024-05-13", None),
    # Folders win: the top-most folder naming a unit decides.
    ("舞钢市/汝州市合作活动报道.docx", "wugang", "report", TODAY, None),
    ("汝州/舞钢市/活动照片.jpg", "ruzhou", "photo", TODAY, None),
    ("2024-05-13/舞钢市/汝州市来访照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("平顶山/平职院照片.jpg", "pds", "photo", TODAY, None),
    # Two units at the deciding level, neither a partner of the other: by name, with the words.
    (
        "舞钢市与汝州市联合活动报道.docx",
        None,
        "report",
        TODAY,
        "names two units: 舞钢市教育体育局 (舞钢市), 汝州市教育体育局 (汝州市)",
    ),
    (
        "舞钢汝州联合/舞钢照片.jpg",
        None,
        "photo",
        TODAY,
        "names two units: 舞钢市教育体育局 (舞钢), 汝州市教育体育局 (汝州)",
    ),
    (
        "平顶山职业技术学院与平顶山联合简报.docx",
        None,
        "report",
        TODAY,
        "names two units: 平顶山职业技术学院, 平顶山市教育局 (平顶山)",
    ),
    # A match inside a longer match is not a match.
    ("平顶山职业技术学院活动照片.jpg", "pzy", "photo", TODAY, None),
    ("平顶山市教育局工作简报.docx", "pds", "report", TODAY, None),
    ("平职院新闻稿5.14.docx", "pzy", "report", "2024-05-14", None),
    # No keyword is read from a unit's name: a college, not a 信息 report.
    ("江苏信息职业技术学院活动照片.jpg", "jsit", "photo", TODAY, None),
    ("江苏信息职业技术学院宣传片.mp4", "jsit", "video", TODAY, None),
    ("江苏信息职业技术学院信息采集表.xlsx", "jsit", "info_form", "plan", None),
    # Nor a date: 5.12 is part of the school's name, not 12 May.
    ("5.12希望学校活动照片.jpg", "hope512", "photo", TODAY, None),
    ("5.12希望学校/5.14简报.docx", "hope512", "report", "2024-05-14", None),
    # Ids are whole tokens, split on punctuation and between ASCII and other script.
    ("WEIDONG_20240513_Photo.JPG", "weidong", "photo", "2024-05-13", None),
    ("weidong照片.jpg", "weidong", "photo", TODAY, None),
    ("Weidong-Day3.mp4", "weidong", "video", "2024-05-14", None),
    ("weidong_day_3.mp4", "weidong", "video", "2024-05-14", None),
    ("WeiDong DAY-3 视频.mov", "weidong", "video", "2024-05-14", None),
    ("weidongs照片.jpg", None, "photo", TODAY, "no unit named"),
    ("DEPT-01_照片.jpg", "dept-01", "photo", TODAY, None),
    ("dept_01活动照片.jpg", "dept-01", "photo", TODAY, None),
    # Day numbers, in digits and in Chinese.
    ("机电学院第3天简报.docx", "dept-01", "report", "2024-05-14", None),
    ("卫东区第三天照片.jpg", "weidong", "photo", "2024-05-14", None),
    ("高新区农社局/Day2/照片.jpg", "gaoxin", "photo", "2024-05-13", None),
    ("卫东区第九天照片.jpg", "weidong", "photo", None, "day 9 is outside the week"),
    ("卫东区Day 9 照片.jpg", "weidong", "photo", None, "day 9 is outside the week"),
    # Full dates outside the week are quarantined, with the date said.
    (
        "舞钢市2024-06-01活动报道.docx",
        "wugang",
        "report",
        None,
        "names 2024-06-01, outside the week",
    ),
    ("舞钢市20230515照片.jpg", "wugang", "photo", None, "names 2023-05-15, outside the week"),
    ("2024-06-01/舞钢市/照片.jpg", "wugang", "photo", None, "names 2024-06-01, outside the week"),
    (
        "2024-05-13/舞钢市/2024-06-01照片.jpg",
        "wugang",
        "photo",
        None,
        "names 2024-06-01, outside the week",
    ),
    (
        "2024-06-01照片.jpg",
        None,
        "photo",
        None,
        "no unit named; names 2024-06-01, outside the week",
    ),
    # The file name's date before the folder's.
    ("2024-05-13/舞钢市/5月14日照片.jpg", "wugang", "photo", "2024-05-14", None),
    # Plans and summaries ignore dates, even outside the week.
    ("舞钢市活动方案2024-05-10.docx", "wugang", "plan", "plan", None),
    ("舞钢市/实施方案/附件1.docx", "wugang", "plan", "plan", None),
    ("舞钢市信息采集表.xlsx", "wugang", "info_form", "plan", None),
    ("舞钢市活动周总结2024-05-20.docx", "wugang", "summary", "summary", None),
    ("舞钢市/第十天总结.docx", "wugang", "summary", "summary", None),
    ("舞钢市职业教育活动周情况统计表.xlsx", "wugang", "statistics", "summary", None),
    # Kind: the name first, then folders from the deepest up, then the extension.
    ("舞钢市/视频/001.docx", "wugang", "video", TODAY, None),
    ("舞钢市/照片/活动报道.docx", "wugang", "report", TODAY, None),
    ("舞钢市/视频/照片/001.docx", "wugang", "photo", TODAY, None),
    ("舞钢市/图片/IMG_0001.png", "wugang", "photo", TODAY, None),
    ("舞钢市/稿件.jpg", "wugang", "report", TODAY, None),
    ("舞钢市/宣传片.mp4", "wugang", "video", TODAY, None),
    ("舞钢市/活动.MKV", "wugang", "video", TODAY, None),
    ("舞钢市/IMG_0001.HEIC", "wugang", "photo", TODAY, None),
    ("舞钢市/活动.pdf", "wugang", "report", TODAY, None),
    ("舞钢市/开放日", "wugang", "report", TODAY, None),
    # The longest keyword wins; of equal length, the first in the name.
    ("舞钢市/信息采集表及照片.xlsx", "wugang", "info_form", "plan", None),
    ("舞钢市/照片视频.zip", "wugang", "photo", TODAY, None),
    ("舞钢市/视频照片.zip", "wugang", "video", TODAY, None),
    ("舞钢市/典型案例.docx", "wugang", "case", TODAY, None),
    ("舞钢市/优秀案例.docx", "wugang", "case", TODAY, None),
    ("舞钢市/职教故事.docx", "wugang", "story", TODAY, None),
    # Every date form.
    ("舞钢市_2024_05_13_照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市2024.05.13照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市20240513.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市2024年5月13日照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市 2024 年 5 月 13 日.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市5月13号照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市5.13照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市5-13照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市/2024-05-13-照片(1).jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市/IMG_20240513_143022.jpg", "wugang", "photo", "2024-05-13", None),
    # Digits that are not dates.
    ("舞钢市联系人13812345678.docx", "wugang", "report", TODAY, None),
    ("舞钢市/v1.5.13说明.docx", "wugang", "report", TODAY, None),
    ("舞钢市/2024-02-30照片.jpg", "wugang", "photo", TODAY, None),
    ("舞钢市/mmexport1715580000000.jpg", "wugang", "photo", TODAY, None),
    ("舞钢市/202405130.jpg", "wugang", "photo", TODAY, None),
    ("舞钢市/5.13-5.14照片.jpg", "wugang", "photo", "2024-05-13", None),  # a range: its first day
    ("活动照片.jpg", None, "photo", TODAY, "no unit named"),
]


@pytest.mark.parametrize(("path", "unit", "kind", "cell", "quarantine"), READ_ROWS)
def test_read(
    reader: Reader, path: str, unit: str | None, kind: str, cell: str | None, quarantine: str | None
) -> None:
    r = reader.read(path, ARRIVED)
    assert (r.unit, r.kind, r.cell, why(r)) == (unit, kind, cell, quarantine)


# (path, arrived, cell, quarantine): where the arrival, not the name, decides.
ARRIVAL_ROWS = [
    ("舞钢市活动照片.jpg", at(20), None, "arrived 2024-05-20, outside the week, and names no date"),
    (
        "舞钢市活动照片.jpg",
        at(11, 23),
        None,
        "arrived 2024-05-11, outside the week, and names no date",
    ),
    # The day is the event's: 17:00 UTC on the 18th is already the 19th in Shanghai.
    (
        "舞钢市活动照片.jpg",
        dt.datetime(2024, 5, 18, 17, tzinfo=dt.UTC),
        None,
        "arrived 2024-05-19, outside the week, and names no date",
    ),
    ("舞钢市活动照片.jpg", dt.datetime(2024, 5, 11, 17, tzinfo=dt.UTC), "2024-05-12", None),
    ("舞钢市活动照片.jpg", at(18, 23, 59), "2024-05-18", None),
    ("舞钢市活动照片5月13日.jpg", at(20), "2024-05-13", None),
    ("舞钢市活动方案.docx", at(1), "plan", None),
    ("舞钢市活动总结.docx", at(25), "summary", None),
]


@pytest.mark.parametrize(("path", "arrived", "cell", "quarantine"), ARRIVAL_ROWS)
def test_read_by_arrival(
    reader: Reader, path: str, arrived: dt.datetime, cell: str | None, quarantine: str | None
) -> None:
    reading = reader.read(path, arrived)
    assert (reading.unit, reading.cell, why(reading)) == ("wugang", cell, quarantine)


@pytest.mark.parametrize(
    ("path", "cell"),
    [
        ("舞钢市12.30照片.jpg", "2024-12-30"),
        ("舞钢市1.2照片.jpg", "2025-01-02"),  # month-days take the year that puts them in the week
        ("舞钢市第7天照片.jpg", "2025-01-04"),
    ],
)
def test_week_across_new_year(path: str, cell: str) -> None:
    reader = Reader(Event(title="t", start=dt.date(2024, 12, 29)), UNITS)
    assert reader.read(path, dt.datetime(2024, 12, 30, 10, tzinfo=TZ)).cell == cell


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("~$活动方案.docx", True),
        ("舞钢市/～＄活动方案.docx", True),  # full-width, as some IMEs type it
        (".~lock.活动方案.docx#", True),
        (".DS_Store", True),
        ("舞钢市/.DS_Store", True),
        ("Thumbs.db", True),
        ("舞钢市/THUMBS.DB", True),
        ("desktop.ini", True),
        ("舞钢市/Desktop.ini", True),
        (".hidden/照片.jpg", True),
        ("舞钢市/.git/config", True),
        ("照片.jpg.part", True),
        ("视频.mp4.crdownload", True),
        ("报道.docx.filepart", True),
        ("舞钢市/~WRL0001.tmp", True),
        ("照片.jpg.download", True),
        ("舞钢市/照片.JPG.PART", True),
        ("舞钢市照片.zip.download/照片.jpg", True),
        ("舞钢市/照片.jpg", False),
        ("partner.docx", False),
        ("tmp/照片.jpg", False),
        ("download/照片.jpg", False),
        ("舞钢市/报告.tmpl", False),
        ("舞钢市/part1.jpg", False),
        ("舞钢市/新闻稿~$.docx", False),
        ("舞钢市/thumbs.db.docx", False),
    ],
)
def test_is_ignored(path: str, ignored: bool) -> None:
    assert is_ignored(path) is ignored
    # A scan asks each name in a folder it is already in: the same answer, segment by segment.
    assert any(ignored_name(seg) for seg in path.split("/")) is ignored


def test_a_scan_ignores_every_name_as_is_ignored_would():
    """ignored_name leaves out OpenCC's step: check it on every character OpenCC converts,
    in every place the rules look (start, end, the whole name)."""
    import opencc

    t2s = opencc.OpenCC("t2s").convert
    converted = [
        chr(c) for c in range(0x80, 0x30000) if not 0xD800 <= c < 0xE000 and t2s(chr(c)) != chr(c)
    ]
    assert len(converted) > 1000  # the tables really are there
    for c in converted:
        for name in (c, f".{c}", f"~${c}", f"{c}.tmp", f"{c}.PART", f"{c}.docx", f"{c}~$"):
            assert ignored_name(name) is is_ignored(name), name


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("平顶山职业技术学院", {"pzy"}),
        ("平顶山", {"pds"}),
        ("平顶山职业技术学院与平顶山", {"pds", "pzy"}),
        ("江苏信息职业技术学院", {"jsit"}),
        ("weidong照片", {"weidong"}),
        ("weidong2024", set()),  # one token: the id is not a prefix match
        ("xweidong", set()),
        ("dept_01", {"dept-01"}),
        ("dept_02", set()),
        ("典型案例", set()),
    ],
)
def test_unit_index_find(text: str, units: set[str]) -> None:
    assert UnitIndex(UNITS).find(normalize(text)) == units


def test_unit_index_spans() -> None:
    index = UnitIndex(UNITS)
    assert index.spans("平职院照片") == [(0, 3, "pzy")]
    assert index.spans("平顶山职业技术学院与平顶山") == [(0, 9, "pzy"), (10, 13, "pds")]
    assert index.spans("img_weidong_01") == [(4, 11, "weidong")]


def test_one_alias_of_two_units_names_both() -> None:
    reader = Reader(EVENT, [Unit("a", "新华区教体局", ("新华",)), Unit("b", "新华职校", ("新华",))])
    assert why(reader.read("新华照片.jpg", ARRIVED)) == (
        "names two units: 新华区教体局 (新华), 新华职校 (新华)"
    )
    assert reader.read("新华职校照片.jpg", ARRIVED).unit == "b"


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("５月１３日", "5月13日"),
        ("WEIDONG", "weidong"),
        ("ＤＡＹ３", "day3"),
        ("２０２４．０５．１３", "2024.05.13"),
        ("平职院", "平职院"),
    ],
)
def test_normalize(text: str, normal: str) -> None:
    assert normalize(text) == normal


def test_reading_is_the_same_from_cache(reader: Reader) -> None:
    first = reader.read("舞钢市/2024-05-13/典型案例1.docx", ARRIVED)
    again = reader.read("舞钢市/2024-05-13/典型案例1.docx", ARRIVED)
    assert first == again == Reading("wugang", "case", "2024-05-13", None)


# --- placement you can trust: the names of the real weeks ---------------------------------------

NOV = Event(title="2020年潍坊市职业教育活动周", start=dt.date(2020, 11, 8))  # seed 003: 8–14 Nov
MAY = Event(title="2024年职业教育活动周", start=dt.date(2024, 5, 12))  # Sun 12 – Sat 18 May
# Rosters as the bureaus keep them: full names, the short names people write, and (Weifang's
# liaison sheet has a 编号 column) numeric ids.
NOV_UNITS = [
    Unit("yexian", "叶县教育体育局", ("叶县", "叶县教体局")),
    Unit("jiuzhong", "平顶山市第九中学", ("九中",)),
    Unit("wfgx", "潍坊市工业学校", ("潍坊工校",)),
    Unit("zhucheng", "诸城市教育和体育局", ("诸城", "诸城市", "诸城市教体局")),
    Unit("gaomi", "高密市教育和体育局", ("高密", "高密市")),
    Unit("5", "滨海区社会事业局", ("滨海区",)),
    Unit("11", "寿光市教育和体育局", ("寿光", "寿光市")),
]
MAY_UNITS = [
    Unit("yizhong", "平顶山市第一中学", ("一中",)),
    Unit("weixiao", "平顶山市卫生学校", ("卫校", "市卫校")),
    Unit("zhanhe", "湛河区教育体育局", ("湛河", "湛河区")),
    Unit("lvxiao", "平顶山市旅游学校", ("市旅游学校",)),
    Unit("lushan", "鲁山县教育体育局", ("鲁山县",)),
    Unit("yishe", "艺术设计学院", ("艺设学院",)),  # seed 002's department, written simplified
]


def on(event: Event, day: int) -> dt.datetime:
    return dt.datetime(event.start.year, event.start.month, day, 10, tzinfo=TZ)


# (path as dropped, arrival day, unit, kind, cell, until, reason in English)
NOV_ROWS = [
    # A name or alias counts only whole: 九中 is not inside 十九中.
    (
        "平顶山市第十九中学11月9日职业体验.jpg",
        9,
        None,
        "photo",
        "2020-11-09",
        None,
        "no unit on the roster: 平顶山市第九中学 (九中) only inside 平顶山市第十九中学",
    ),
    (
        "十九中11月9日照片.jpg",
        9,
        None,
        "photo",
        "2020-11-09",
        None,
        "no unit on the roster: 平顶山市第九中学 (九中) only inside 十九中",
    ),
    (
        "平顶山市第十九中学１１月９日职业体验.jpg",  # full-width digits
        9,
        None,
        "photo",
        "2020-11-09",
        None,
        "no unit on the roster: 平顶山市第九中学 (九中) only inside 平顶山市第十九中学",
    ),
    ("九中11月9日照片.jpg", 9, "jiuzhong", "photo", "2020-11-09", None, None),
    ("平顶山市第九中学11月9日照片.jpg", 9, "jiuzhong", "photo", "2020-11-09", None, None),
    # A longer form of the unit's own name (its characters in order) is still the unit.
    ("第九中学11月9日照片.jpg", 9, "jiuzhong", "photo", "2020-11-09", None, None),
    ("叶县教体局11月9日照片.jpg", 9, "yexian", "photo", "2020-11-09", None, None),
    # The unit leading the name sent it; one named after the date or activity words is a partner.
    ("叶县教体局11月9日职业启蒙进九中.docx", 9, "yexian", "report", "2020-11-09", None, None),
    ("叶县教体局１１月９日职业启蒙进九中.docx", 9, "yexian", "report", "2020-11-09", None, None),
    ("叶县职业启蒙进九中.docx", 10, "yexian", "report", "2020-11-10", None, None),
    ("九中11月9日叶县教体局来访照片.jpg", 9, "jiuzhong", "photo", "2020-11-09", None, None),
    # Two units both leading, or joined by 与/、: no rule tells who sent it.
    (
        "叶县九中11月9日活动照片.jpg",
        9,
        None,
        "photo",
        "2020-11-09",
        None,
        "names two units: 叶县教育体育局 (叶县), 平顶山市第九中学 (九中)",
    ),
    (
        "叶县与九中联合开展职业启蒙.docx",
        9,
        None,
        "report",
        "2020-11-09",
        None,
        "names two units: 叶县教育体育局 (叶县), 平顶山市第九中学 (九中)",
    ),
    (
        "叶县、九中11月9日活动照片.jpg",
        9,
        None,
        "photo",
        "2020-11-09",
        None,
        "names two units: 叶县教育体育局 (叶县), 平顶山市第九中学 (九中)",
    ),
    # A date in the week beats the summary keyword; the week's summary has no day of it.
    ("潍坊市工业学校11月10日活动总结.docx", 10, "wfgx", "report", "2020-11-10", None, None),
    ("潍坊市工业学校11月10日工作总结.docx", 10, "wfgx", "report", "2020-11-10", None, None),
    ("潍坊市工业学校活动周总结.docx", 15, "wfgx", "summary", "summary", None, None),
    ("潍坊市工业学校工作总结.docx", 10, "wfgx", "summary", "summary", None, None),
    ("潍坊市工业学校总结报告.docx", 16, "wfgx", "summary", "summary", None, None),
    ("潍坊市工业学校2020年活动周总结.docx", 16, "wfgx", "summary", "summary", None, None),
    # A summary dated after the week was written then: still the summary.
    ("潍坊市工业学校11月16日活动周总结.docx", 16, "wfgx", "summary", "summary", None, None),
    (
        "潍坊市工业学校2019年活动周总结.docx",
        16,
        "wfgx",
        "summary",
        None,
        None,
        "names the year 2019, not the week's 2020",
    ),
    ("潍坊市工业学校情况统计表11月10日.xlsx", 16, "wfgx", "statistics", "summary", None, None),
    # Liaison forms and receipts belong to the plan column, whenever they come.
    ("联络员信息表（诸城）.xlsx", 8, "zhucheng", "info_form", "plan", None, None),
    ("联络员信息表（诸城）.xlsx", 11, "zhucheng", "info_form", "plan", None, None),
    ("诸城市回执.docx", 12, "zhucheng", "info_form", "plan", None, None),
    ("诸城市信息采集表11月9日.xlsx", 9, "zhucheng", "info_form", "plan", None, None),
    # The column's link (宣传专栏地址) too, also before the week.
    ("高密市活动周宣传专栏地址.txt", 5, "gaomi", "column_link", "plan", None, None),
    ("高密市宣传专栏.docx", 6, "gaomi", "column_link", "plan", None, None),
    ("高密市活动周网址.txt", 6, "gaomi", "column_link", "plan", None, None),
    ("高密市专题网站链接.docx", 7, "gaomi", "column_link", "plan", None, None),
    # A date the name states is never replaced by the arrival day.
    (
        "诸城市教体局11月15日.docx",
        10,
        "zhucheng",
        "report",
        None,
        None,
        "names 2020-11-15, outside the week",
    ),
    (
        "诸城市教体局11月7日照片.jpg",
        10,
        "zhucheng",
        "photo",
        None,
        None,
        "names 2020-11-07, outside the week",
    ),
    ("诸城市教体局11月10日.docx", 12, "zhucheng", "report", "2020-11-10", None, None),
    # A range: its first day, and the reading keeps its last.
    ("诸城市11月9日至10日活动照片.jpg", 12, "zhucheng", "photo", "2020-11-09", "2020-11-10", None),
    ("诸城市11.9-11.10活动照片.jpg", 12, "zhucheng", "photo", "2020-11-09", "2020-11-10", None),
    ("诸城市9-10日活动照片.jpg", 12, "zhucheng", "photo", "2020-11-09", "2020-11-10", None),
    ("诸城市9日至10日活动照片.jpg", 12, "zhucheng", "photo", "2020-11-09", "2020-11-10", None),
    ("诸城市11月9日-11月10日照片.jpg", 12, "zhucheng", "photo", "2020-11-09", "2020-11-10", None),
    ("诸城市11月9日~10日照片.jpg", 12, "zhucheng", "photo", "2020-11-09", "2020-11-10", None),
    (
        "诸城市2020-11-09至2020-11-10照片.jpg",
        12,
        "zhucheng",
        "photo",
        "2020-11-09",
        "2020-11-10",
        None,
    ),
    ("诸城市11月9日照片.jpg", 12, "zhucheng", "photo", "2020-11-09", None, None),
    # An all-digit id is never matched inside a name: 11 here is November.
    ("滨海区社会事业局11-09活动照片.jpg", 9, "5", "photo", "2020-11-09", None, None),
    ("11-09活动照片.jpg", 9, None, "photo", "2020-11-09", None, "no unit named"),
    ("5月照片11.jpg", 9, None, "photo", "2020-11-09", None, "no unit named"),
    # ... but a folder named exactly the id is that unit.
    ("11/活动照片11-09.jpg", 9, "11", "photo", "2020-11-09", None, None),
    ("寿光11-09活动照片.jpg", 9, "11", "photo", "2020-11-09", None, None),
]

MAY_ROWS = [
    # Another place before a school's short name makes it another school.
    (
        "洛阳市第一中学5月13日研学活动.jpg",
        13,
        None,
        "photo",
        "2024-05-13",
        None,
        "no unit on the roster: 平顶山市第一中学 (一中) only inside 洛阳市第一中学",
    ),
    (
        "洛阳市卫校5月13日照片.jpg",
        13,
        None,
        "photo",
        "2024-05-13",
        None,
        "no unit on the roster: 平顶山市卫生学校 (市卫校) only inside 洛阳市卫校",
    ),
    (
        "宝丰县卫校5月13日照片.jpg",
        13,
        None,
        "photo",
        "2024-05-13",
        None,
        "no unit on the roster: 平顶山市卫生学校 (卫校) only inside 宝丰县卫校",
    ),
    ("平顶山市第一中学5月13日研学活动.jpg", 13, "yizhong", "photo", "2024-05-13", None, None),
    ("一中5月13日研学照片.jpg", 13, "yizhong", "photo", "2024-05-13", None, None),
    ("平顶山一中5月13日照片.jpg", 13, "yizhong", "photo", "2024-05-13", None, None),
    ("平顶山市卫校5月13日照片.jpg", 13, "weixiao", "photo", "2024-05-13", None, None),
    ("卫校5月13日照片.jpg", 13, "weixiao", "photo", "2024-05-13", None, None),
    # A word after the alias making a longer name: the alias is only inside it.
    (
        "护卫校园活动照片.jpg",
        13,
        None,
        "photo",
        "2024-05-13",
        None,
        "no unit on the roster: 平顶山市卫生学校 (卫校) only inside 护卫校园",
    ),
    ("卫校校园开放日照片.jpg", 13, "weixiao", "photo", "2024-05-13", None, None),
    (
        "湛河北路小学5月15日职业体验.jpg",
        15,
        None,
        "photo",
        "2024-05-15",
        None,
        "no unit on the roster: 湛河区教育体育局 (湛河) only inside 湛河北路小学",
    ),
    ("湛河区教体局5月15日职业体验.jpg", 15, "zhanhe", "photo", "2024-05-15", None, None),
    ("湛河5月15日职业体验照片.jpg", 15, "zhanhe", "photo", "2024-05-15", None, None),
    # Another name leading, not on the roster: the unit after it may be its host, not its sender.
    (
        "湛河北路小学5月15日参观卫校.jpg",
        15,
        None,
        "photo",
        "2024-05-15",
        None,
        "names 平顶山市卫生学校 (卫校) only after 湛河北路小学, which is not on the roster",
    ),
    (
        "洛阳市第三中学参观卫校照片.jpg",
        15,
        None,
        "photo",
        "2024-05-15",
        None,
        "names 平顶山市卫生学校 (卫校) only after 洛阳市第三中学, which is not on the roster",
    ),
    ("学校日卫校照片.jpg", 15, "weixiao", "photo", "2024-05-15", None, None),
    ("活动照片-卫校.jpg", 15, "weixiao", "photo", "2024-05-15", None, None),
    ("卫校/湛河北路小学来访.jpg", 15, "weixiao", "photo", "2024-05-15", None, None),
    # A weekday names that day of the week, whatever the arrival.
    ("平顶山市旅游学校星期三研学照片.jpg", 13, "lvxiao", "photo", "2024-05-15", None, None),
    ("平顶山市旅游学校周三研学照片.jpg", 17, "lvxiao", "photo", "2024-05-15", None, None),
    ("平顶山市旅游学校礼拜三照片.jpg", 13, "lvxiao", "photo", "2024-05-15", None, None),
    ("平顶山市旅游学校星期日照片.jpg", 13, "lvxiao", "photo", "2024-05-12", None, None),
    ("平顶山市旅游学校周六照片.jpg", 13, "lvxiao", "photo", "2024-05-18", None, None),
    ("平顶山市旅游学校活动周三等奖.jpg", 13, "lvxiao", "photo", "2024-05-13", None, None),
    # Another year's week.
    (
        "鲁山县2023年职业教育活动周总结.docx",
        19,
        "lushan",
        "summary",
        None,
        None,
        "names the year 2023, not the week's 2024",
    ),
    ("鲁山县2024年职业教育活动周总结.docx", 19, "lushan", "summary", "summary", None, None),
    (
        "鲁山县2023年5月15日照片.jpg",
        15,
        "lushan",
        "photo",
        None,
        None,
        "names 2023-05-15, outside the week",
    ),
    (
        "鲁山县2023年活动照片.jpg",
        15,
        "lushan",
        "photo",
        None,
        None,
        "names the year 2023, not the week's 2024",
    ),
    # Traditional characters (seed 002) read as simplified, names and words alike.
    ("艺術設計學院活動週方案.docx", 11, "yishe", "plan", "plan", None, None),
    ("藝術設計學院5月13日典型案例.docx", 13, "yishe", "case", "2024-05-13", None, None),
    ("藝術設計學院/照片/5月14日.jpg", 15, "yishe", "photo", "2024-05-14", None, None),
    ("藝設學院活動週總結.docx", 19, "yishe", "summary", "summary", None, None),
    ("藝術設計學院聯絡員.xlsx", 10, "yishe", "info_form", "plan", None, None),
]


@pytest.fixture(scope="module")
def nov() -> Reader:
    return Reader(NOV, NOV_UNITS)


@pytest.fixture(scope="module")
def may() -> Reader:
    return Reader(MAY, MAY_UNITS)


def check(reader: Reader, event: Event, row: tuple) -> None:
    path, day, unit, kind, cell, until, reason = row
    r = reader.read(path, on(event, day))
    assert (r.unit, r.kind, r.cell, r.until, why(r)) == (unit, kind, cell, until, reason)
    # Placed or told why, never neither.
    assert (r.unit is not None and r.cell is not None) or r.quarantine is not None


@pytest.mark.parametrize("row", NOV_ROWS, ids=[r[0] for r in NOV_ROWS])
def test_read_november_week(nov: Reader, row: tuple) -> None:
    check(nov, NOV, row)


@pytest.mark.parametrize("row", MAY_ROWS, ids=[r[0] for r in MAY_ROWS])
def test_read_may_week(may: Reader, row: tuple) -> None:
    check(may, MAY, row)


def test_a_true_nineteenth_school_next_to_the_ninth() -> None:
    units = [*NOV_UNITS, Unit("shijiu", "平顶山市第十九中学", ("十九中",))]
    reader = Reader(NOV, units)
    at9 = on(NOV, 9)
    assert reader.read("平顶山市第十九中学11月9日职业体验.jpg", at9).unit == "shijiu"
    assert reader.read("十九中11月9日照片.jpg", at9).unit == "shijiu"
    assert reader.read("九中11月9日照片.jpg", at9).unit == "jiuzhong"
    assert reader.read("第九中学11月9日照片.jpg", at9).unit == "jiuzhong"


def test_a_roster_in_traditional_characters_reads_simplified_names() -> None:
    reader = Reader(MAY, [Unit("yishe", "藝術設計學院", ("藝設學院",))])
    assert reader.read("艺术设计学院5月13日照片.jpg", on(MAY, 13)).unit == "yishe"
    assert reader.read("艺设学院照片.jpg", on(MAY, 13)).unit == "yishe"
    assert normalize("藝術設計學院活動週") == "艺术设计学院活动周"


@pytest.mark.parametrize(
    ("path", "code", "zh"),
    [
        (
            "平顶山市第十九中学11月9日职业体验.jpg",
            Code.ONLY_INSIDE,
            "名单中没有此单位：平顶山市第九中学 (九中) 只出现在更长的名称“平顶山市第十九中学”之中",
        ),
        (
            "叶县九中11月9日活动照片.jpg",
            Code.TWO_UNITS,
            "同时指向两个单位：叶县教育体育局 (叶县)、平顶山市第九中学 (九中)",
        ),
        ("诸城市教体局11月15日.docx", Code.DATE_OUTSIDE, "日期 2020-11-15 不在活动周内"),
        (
            "潍坊市工业学校2019年活动周总结.docx",
            Code.OTHER_YEAR,
            "写的是 2019 年，不是本届活动周的 2020 年",
        ),
        ("不知谁11月9日.docx", Code.NO_UNIT, "未识别出单位"),
    ],
)
def test_reasons_are_codes_said_in_chinese(nov: Reader, path: str, code: Code, zh: str) -> None:
    q = nov.read(path, on(NOV, 10)).quarantine
    assert q is not None and q.code is code and q.text("zh") == zh


# --- properties: whatever the roster and the name ----------------------------------------------

# A small alphabet, so that names run into each other as real ones do (平顶山市 in many names,
# 九中 in 十九中), with numerals, place words, institution words and date characters.
_ALPHABET = "平顶山市县区第一二九十中学校卫湛河北路小叶进与职业照片总结方案月日星期三周.-_1259"
_names = st.text(alphabet=_ALPHABET, min_size=1, max_size=6).filter(lambda t: t.strip(" ._-"))
_ids = st.one_of(
    st.text(alphabet="abcxyz", min_size=1, max_size=4),
    st.text(alphabet="0123456789", min_size=1, max_size=2),
)


@st.composite
def _rosters(draw: st.DrawFn) -> list[Unit]:
    ids = draw(st.lists(_ids, min_size=1, max_size=5, unique=True))
    return [Unit(uid, draw(_names), tuple(draw(st.lists(_names, max_size=2)))) for uid in ids]


_paths = st.lists(
    st.text(alphabet=_ALPHABET + "abcxyz0", min_size=1, max_size=14), min_size=1, max_size=3
).map("/".join)


@settings(max_examples=300, deadline=None)
@given(roster=_rosters(), path=_paths, day=st.integers(min_value=8, max_value=20))
def test_a_placement_names_its_unit_whole(roster: list[Unit], path: str, day: int) -> None:
    r = Reader(NOV, roster).read(path, on(NOV, day))  # never raises
    assert (r.unit is not None and r.cell is not None) or r.quarantine is not None
    assert r.cell is None or r.cell in NOV.columns
    if r.unit is None:
        return
    unit = next(u for u in roster if u.id == r.unit)
    text = normalize(path)
    tokens = set(re.findall(r"[a-z0-9]+", text))
    segments = set(text.split("/")) | {seg.rpartition(".")[0] for seg in text.split("/")}
    # The unit is one whose name or alias occurs whole in the path, or its id as a token; an
    # all-digit one only as a whole segment (a folder 11), never inside a name.
    keys = [normalize(k).strip() for k in (unit.name, *unit.aliases, unit.id)]
    assert any(
        k in segments if k.isdigit() else (k in tokens if k == keys[-1] else k in text)
        for k in keys
        if k
    ) or (not keys[-1].isdigit() and keys[-1] in tokens)


@settings(max_examples=200, deadline=None)
@given(path=_paths)
def test_reading_never_raises_and_always_decides(path: str) -> None:
    r = Reader(MAY, MAY_UNITS).read(path, on(MAY, 14))
    assert (r.unit is not None and r.cell is not None) or r.quarantine is not None
    assert r.quarantine is None or r.quarantine.text("zh")


@settings(max_examples=300, deadline=None)
@given(path=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3).map("/".join))
def test_any_text_at_all_is_read_without_raising(path: str) -> None:
    # Any code point, lone surrogates too (os.fsdecode gives them for undecodable bytes).
    is_ignored(path)
    r = Reader(NOV, NOV_UNITS).read(path, on(NOV, 10))
    assert (r.unit is not None and r.cell is not None) or r.quarantine is not None
