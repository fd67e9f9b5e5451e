"""The reading rules on the real weeks: one row per name the bureaus of seeds 002 and 003 wrote,
the reasons said in Chinese, and properties that hold whatever the roster and the name."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weekwatch.store.model import Event, Reading, Unit
from weekwatch.store.reading import Reader, is_ignored, normalize
from weekwatch.store.reasons import Code

TZ = ZoneInfo("Asia/Shanghai")


def why(reading: Reading) -> str | None:
    """The reason in English, as `materials` prints it (codes: tests/test_reasons.py)."""
    return reading.quarantine.text("en") if reading.quarantine else None


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
