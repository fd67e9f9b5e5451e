"""The reading rules, one row per real-world name an operator finds in the inbox."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weekwatch.fixtures.testweek import at
from weekwatch.store.model import Event, Reading, Unit
from weekwatch.store.reading import Reader, UnitIndex, ignored_name, is_ignored, normalize

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
    # Dates in words: the day stated, never the arrival (十一月九日 counted for the day it came).
    ("舞钢市五月十三日照片.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市五月十四号稿件.docx", "wugang", "report", "2024-05-14", None),
    ("舞钢市五月二十日照片.jpg", "wugang", "photo", None, "names 2024-05-20, outside the week"),
    ("舞钢市五月花照片.jpg", "wugang", "photo", TODAY, None),  # no 日: a name, not a date
    # Names in English (seed 000's week): kinds as words of their own, months by name.
    ("舞钢市 May 13 photos.jpg", "wugang", "photo", "2024-05-13", None),
    ("舞钢市 13th-May typical case.docx", "wugang", "case", "2024-05-13", None),
    ("舞钢市 Day 3 video.mp4", "wugang", "video", "2024-05-14", None),
    ("舞钢市 implementation plan.docx", "wugang", "plan", "plan", None),
    ("舞钢市 summary report.docx", "wugang", "summary", "summary", None),
    ("舞钢市 explanation.docx", "wugang", "report", TODAY, None),  # plan inside a word: none
    ("舞钢市 mayor 12 visit.jpg", "wugang", "photo", TODAY, None),  # not May 12
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


def test_seed_000s_week_of_2117_reads_its_own_dates() -> None:
    """The English notice's week is 8–14 May 2117: its dates are read like any other year's
    (years were 20xx only, so 2117-05-09 counted for the day the file came)."""
    week = Event(title="2117 Vocational Education Activity Week", start=dt.date(2117, 5, 8))
    reader = Reader(week, [Unit("kuiwen", "奎文区教育和体育局", ("奎文区", "奎文"))])
    came = dt.datetime(2117, 5, 12, 10, tzinfo=TZ)
    for name, day in [
        ("奎文区 2117-05-09 pictures.jpg", "2117-05-09"),
        ("奎文区2117年5月10日稿件.docx", "2117-05-10"),
        ("奎文区/IMG_21170511_0901.jpg", "2117-05-11"),
        ("奎文区 May 13 report.docx", "2117-05-13"),
    ]:
        r = reader.read(name, came)
        assert (r.unit, r.cell, r.quarantine) == ("kuiwen", day, None), name
    assert reader.read("奎文区2116年活动周总结.docx", came).quarantine.code == "other_year"
