"""The reading rules one level up: a province's or the ministry's week (seed 004), whose units
are provincial departments, municipal commissions, the 兵团 and the 行指委, and the words after
a name that make another office of the same place — against a unit's own department."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.model import Event, Reading, Unit
from weekwatch.store.reading import Reader
from weekwatch.store.reasons import Code

TZ = ZoneInfo("Asia/Shanghai")
NATIONAL = Event(title="2023年职业教育活动周", start=dt.date(2023, 5, 14))  # seed 004: 14–20 May
# The ministry's roster after import: short names derived where the 简称 column is empty
# (store/unit_names.py), as the bureau wrote them where it is not (新疆, 兵团教育局).
UNITS = [
    Unit("bj", "北京市教育委员会", ("北京市", "北京")),
    Unit("hebei", "河北省教育厅", ("河北省", "河北")),
    Unit("zj", "浙江省教育厅", ("浙江省", "浙江")),
    Unit("hlj", "黑龙江省教育厅", ("黑龙江省", "黑龙江")),
    Unit("nmg", "内蒙古自治区教育厅", ("内蒙古自治区", "内蒙古")),
    Unit("gx", "广西壮族自治区教育厅", ("广西壮族自治区", "广西")),
    Unit("gd", "广东省教育厅", ("广东省", "广东")),
    Unit("sz", "深圳市教育局", ("深圳市", "深圳")),
    Unit("xj", "新疆维吾尔自治区教育厅", ("新疆",)),
    Unit("bt", "新疆生产建设兵团教育局", ("兵团教育局",)),
    Unit("jt", "全国交通运输职业教育教学指导委员会", ("交通运输行指委",)),
    Unit("jx", "全国机械职业教育教学指导委员会", ("机械行指委", "机械教指委")),
]
# The same week where the 兵团's 简称 was left empty: its derived names.
DERIVED_CORPS = [
    *(u for u in UNITS if u.id != "bt"),
    Unit("bt", "新疆生产建设兵团教育局", ("新疆生产建设兵团", "新疆兵团", "兵团")),
]
# A city's week: a college's and a bureau's own departments send for them.
CITY = Event(title="2024年潍坊市职业教育活动周", start=dt.date(2024, 5, 12))
CITY_UNITS = [
    Unit("wfzy", "潍坊职业学院", ("潍职院",)),
    Unit("kuiwen", "奎文区教育和体育局", ("奎文区", "奎文")),
    Unit("wfs", "潍坊市教育局", ("潍坊市",)),
]

INSIDE = Code.ONLY_INSIDE

# (path as dropped, unit, cell, the reason's code, the longer name it names)
NATIONAL_ROWS = [
    # Names as provinces write them: the place alone, with or without 省/市.
    ("河北 5.15 稿件.docx", "hebei", "2023-05-15", None, None),
    ("浙江省5.15典型案例.docx", "zj", "2023-05-15", None, None),
    ("广东省教育厅关于报送2023年职业教育活动周实施方案的函.pdf", "gd", "plan", None, None),
    ("5月16日 深圳 稿件.docx", "sz", "2023-05-16", None, None),
    ("黑龙江5.15照片.jpg", "hlj", "2023-05-15", None, None),
    ("内蒙古5.16视频.mp4", "nmg", "2023-05-16", None, None),
    ("广西5.17照片.jpg", "gx", "2023-05-17", None, None),
    ("北京市5.18稿件.docx", "bj", "2023-05-18", None, None),
    ("北京5.18照片.jpg", "bj", "2023-05-18", None, None),
    ("新疆5.15稿件.docx", "xj", "2023-05-15", None, None),
    # The unit's own office named short: its characters are the unit's, in order.
    ("北京市教委5.18稿件.docx", "bj", "2023-05-18", None, None),
    ("河北教育厅5.16稿件.docx", "hebei", "2023-05-16", None, None),
    ("新疆教育厅5.15稿件.docx", "xj", "2023-05-15", None, None),
    # A unit's own department after its name: the unit's.
    ("河北省教育厅职成处5.16稿件.docx", "hebei", "2023-05-16", None, None),
    ("广东省教育厅办公室5.16稿件.docx", "gd", "2023-05-16", None, None),
    ("北京市教委职成处5.16稿件.docx", "bj", "2023-05-16", None, None),
    # Another office of the same place: never the education department's. 新疆兵团 keeps
    # the characters of 新疆生产建设兵团教育局 in order: the 兵团's, short.
    ("新疆兵团-活动周实施方案.docx", "bt", "plan", None, None),
    ("新疆兵团5.16照片.jpg", "bt", "2023-05-16", None, None),
    ("河北省人社厅5.16稿件.docx", None, "2023-05-16", INSIDE, "河北省人社厅"),
    ("河北省总工会活动照片.jpg", None, "2023-05-16", INSIDE, "河北省总工会"),
    ("河北省人民政府5.16稿件.docx", None, "2023-05-16", INSIDE, "河北省人民政府"),
    ("河北省委宣传部5.16稿件.docx", None, "2023-05-16", INSIDE, "河北省委"),
    ("深圳职业技术学院5.16照片.jpg", None, "2023-05-16", INSIDE, "深圳职业技术学院"),
    # The 兵团 by a name its roster row does not hold; a 行指委 by a shortening of its field.
    ("兵团5.16稿件.docx", None, "2023-05-16", Code.NO_UNIT, None),
    ("交通行指委 活动周方案.doc", None, "plan", Code.NO_UNIT, None),
    ("交通运输行指委5.17典型案例.docx", "jt", "2023-05-17", None, None),
    ("机械行指委5.16稿件.docx", "jx", "2023-05-16", None, None),
]

CORPS_ROWS = [
    ("新疆兵团-活动周实施方案.docx", "bt", "plan", None, None),  # the longest name wins
    ("兵团5.16稿件.docx", "bt", "2023-05-16", None, None),
    ("新疆生产建设兵团教育局5.16照片.jpg", "bt", "2023-05-16", None, None),
    ("新疆5.15稿件.docx", "xj", "2023-05-15", None, None),
]

CITY_ROWS = [
    ("潍坊职业学院宣传部5月13日稿件.docx", "wfzy", "2024-05-13", None, None),
    ("潍坊职业学院团委5月13日照片.jpg", "wfzy", "2024-05-13", None, None),
    ("潍职院团委5月13日照片.jpg", "wfzy", "2024-05-13", None, None),
    ("奎文区教体局办公室5月13日稿件.docx", "kuiwen", "2024-05-13", None, None),
    ("奎文区教育和体育局办公室5月13日稿件.docx", "kuiwen", "2024-05-13", None, None),
    ("奎文区教育局5月13日稿件.docx", "kuiwen", "2024-05-13", None, None),
    ("奎文5月13日照片.jpg", "kuiwen", "2024-05-13", None, None),
    ("奎文区人民政府5月13日稿件.docx", None, "2024-05-13", INSIDE, "奎文区人民政府"),
    ("奎文区团委5月13日照片.jpg", None, "2024-05-13", INSIDE, "奎文区团委"),
    ("潍坊市总工会5月13日稿件.docx", None, "2024-05-13", INSIDE, "潍坊市总工会"),
]


def check(reader: Reader, event: Event, row: tuple) -> None:
    path, unit, cell, code, inside = row
    arrived = dt.datetime(event.start.year, event.start.month, event.start.day + 2, 10, tzinfo=TZ)
    r: Reading = reader.read(path, arrived)
    q = r.quarantine
    assert (r.unit, r.cell, q.code if q else None) == (unit, cell, code)
    if inside is not None:
        assert q is not None and f"“{inside}”" in q.text("zh")


@pytest.mark.parametrize("row", NATIONAL_ROWS, ids=[r[0] for r in NATIONAL_ROWS])
def test_read_the_ministrys_week(row: tuple) -> None:
    check(Reader(NATIONAL, UNITS), NATIONAL, row)


@pytest.mark.parametrize("row", CORPS_ROWS, ids=[r[0] for r in CORPS_ROWS])
def test_the_corps_by_its_derived_names(row: tuple) -> None:
    check(Reader(NATIONAL, DERIVED_CORPS), NATIONAL, row)


@pytest.mark.parametrize("row", CITY_ROWS, ids=[r[0] for r in CITY_ROWS])
def test_a_units_own_department_against_another_office(row: tuple) -> None:
    check(Reader(CITY, CITY_UNITS), CITY, row)
