"""Every deadline the notices name: each seed's week set up literally in a real weekwatch.toml,
its cells judged by the rules at moments before and after each deadline (expected states
worked out by hand from the notice), and the forms of a deadline, table by table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.config import load_config
from weekwatch.store.deadlines import Daily, deadline_at, parse_daily, parse_moment, parse_time
from weekwatch.store.model import Event, WeekwatchError
from weekwatch.store.rules import cell_state, deadline, owes
from weekwatch.store.workdays import add_workdays, is_workday

SH = ZoneInfo("Asia/Shanghai")


def event_of(tmp_path: Path, text: str) -> Event:
    path = tmp_path / "weekwatch.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path).event


def t(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=SH)


def state(ev: Event, column: str, now: dt.datetime, *arrivals: dt.datetime) -> str:
    return cell_state(ev, column, arrivals, now, owed=owes(ev, "", column)).state


# ---------------------------------------------------------------------- the seeds, literally

SEED_003 = """
[event]
title = "2020年潍坊市职业教育活动周"
start = 2020-11-08
# 活动方案电子版、宣传专栏地址和活动联络员信息于2020年11月7日之前报送
plan_deadline = 2020-11-07
# 每天将……材料报市教育局指定邮箱 (no hour given)
daily_deadline = "24:00"
# 总结报告和《情况统计表》于2020年11月17日之前报送指定邮箱
summary_deadline = "2020-11-17"
"""


def test_seed_003_weifang_2020(tmp_path: Path) -> None:
    ev = event_of(tmp_path, SEED_003)
    assert ev.plan_deadline == t(2020, 11, 7, 23, 59, 59)
    assert ev.summary_deadline == t(2020, 11, 17, 23, 59, 59)
    # the plan column is open long before the week; a plan a week early counts on time
    assert state(ev, "plan", t(2020, 11, 1, 10)) == "due"
    assert state(ev, "plan", t(2020, 11, 1, 10), t(2020, 11, 1, 9)) == "on_time"
    assert state(ev, "plan", t(2020, 11, 7, 23, 59)) == "due"
    assert state(ev, "plan", t(2020, 11, 8, 0, 0)) == "missing"
    assert state(ev, "plan", t(2020, 11, 9), t(2020, 11, 7, 23, 30)) == "on_time"
    assert state(ev, "plan", t(2020, 11, 9), t(2020, 11, 8, 8)) == "late"
    # a day's materials by the end of that day
    day = "2020-11-10"
    assert state(ev, day, t(2020, 11, 9, 23)) == "future"
    assert state(ev, day, t(2020, 11, 10, 23, 59)) == "due"
    assert state(ev, day, t(2020, 11, 11, 0, 0)) == "missing"
    assert state(ev, day, t(2020, 11, 11, 9), t(2020, 11, 10, 23, 50)) == "on_time"
    assert state(ev, day, t(2020, 11, 11, 9), t(2020, 11, 11, 0, 10)) == "late"
    # the summary opens on the last day, is due by the end of 17 November
    assert state(ev, "summary", t(2020, 11, 13, 12)) == "future"
    assert state(ev, "summary", t(2020, 11, 17, 23, 59)) == "due"
    assert state(ev, "summary", t(2020, 11, 18, 0, 0)) == "missing"
    assert state(ev, "summary", t(2020, 11, 20), t(2020, 11, 16, 17)) == "on_time"


SEED_002 = """
[event]
title = "2024年职业教育活动周"
start = 2024-05-12
workday_end = "17:30"
# 5月12日中午12点前，报送方案与信息采集表
plan_deadline = "2024-05-12 12:00"
# 每天中午12:00前: offices read it as the previous day's materials by noon
daily_deadline = "+1d 12:00"
# 5月19日下班前，报送《情况统计表》和总结
summary_deadline = "2024-05-19 下班前"
"""


def test_seed_002_wuxi_2024_next_day_noon(tmp_path: Path) -> None:
    ev = event_of(tmp_path, SEED_002)
    assert (ev.daily_deadline, ev.daily_after_days) == (dt.time(12), 1)
    assert ev.summary_deadline == t(2024, 5, 19, 17, 30)
    assert state(ev, "plan", t(2024, 5, 12, 11, 59)) == "due"
    assert state(ev, "plan", t(2024, 5, 12, 12, 1)) == "missing"
    # day 3 (14 May): its materials are due by 12:00 on day 4
    day3 = "2024-05-14"
    assert deadline(ev, day3) == t(2024, 5, 15, 12)
    assert state(ev, day3, t(2024, 5, 13, 23)) == "future"
    assert state(ev, day3, t(2024, 5, 14, 20)) == "due"
    assert state(ev, day3, t(2024, 5, 15, 11, 59)) == "due"
    assert state(ev, day3, t(2024, 5, 15, 12, 1)) == "missing"
    assert state(ev, day3, t(2024, 5, 15, 14), t(2024, 5, 15, 11)) == "on_time"
    assert state(ev, day3, t(2024, 5, 15, 14), t(2024, 5, 15, 13)) == "late"
    # the last day's materials are due the morning after the week
    assert deadline(ev, "2024-05-18") == t(2024, 5, 19, 12)
    assert state(ev, "summary", t(2024, 5, 19, 17, 29)) == "due"
    assert state(ev, "summary", t(2024, 5, 19, 17, 31)) == "missing"
    assert state(ev, "summary", t(2024, 5, 20), t(2024, 5, 19, 17, 0)) == "on_time"


SEED_001 = """
[event]
title = "平顶山市2021年职业教育活动周"
start = 2021-05-22
# only the summary is asked for: 于6月2日前将活动周总结材料报送
plan_deadline = "none"
daily_deadline = "none"
summary_deadline = "2021-06-02"
"""


def test_seed_001_pingdingshan_2021_summary_only(tmp_path: Path) -> None:
    ev = event_of(tmp_path, SEED_001)
    assert not owes(ev, "", "plan") and not owes(ev, "", "2021-05-24")
    assert owes(ev, "", "summary")
    for now in (t(2021, 5, 21), t(2021, 5, 25, 13), t(2021, 6, 10)):
        assert state(ev, "plan", now) == "not_required"
        assert state(ev, "2021-05-24", now) == "not_required"
    # files still land in a column nobody owes, and count as arrivals
    c = cell_state(ev, "2021-05-24", [t(2021, 5, 24, 10)], t(2021, 5, 25), owed=False)
    assert (c.state, c.count) == ("not_required", 1)
    assert state(ev, "summary", t(2021, 6, 2, 23, 59)) == "due"
    assert state(ev, "summary", t(2021, 6, 3, 0, 0)) == "missing"
    assert state(ev, "summary", t(2021, 6, 3), t(2021, 6, 2, 22)) == "on_time"
    assert state(ev, "summary", t(2021, 6, 5), t(2021, 6, 4, 9)) == "late"


SEED_004 = """
[event]
title = "2023年职业教育活动周"
start = 2023-05-14
# 应于2023年4月28日前……提交本地活动周方案、专题网站网址、联络员等信息
plan_deadline = "2023年4月28日前"
daily_deadline = "24:00"
# 活动周结束后一周内报送总结
summary_deadline = { days_after_end = 7 }
"""


def test_seed_004_ministry_2023(tmp_path: Path) -> None:
    ev = event_of(tmp_path, SEED_004)
    assert ev.plan_deadline == t(2023, 4, 28, 23, 59, 59)
    assert ev.summary_deadline == t(2023, 5, 27, 23, 59, 59)
    assert state(ev, "plan", t(2023, 4, 21), t(2023, 4, 20, 9)) == "on_time"
    assert state(ev, "plan", t(2023, 4, 28, 23)) == "due"
    assert state(ev, "plan", t(2023, 4, 29, 8)) == "missing"
    assert state(ev, "plan", t(2023, 5, 14), t(2023, 5, 2, 9)) == "late"
    assert state(ev, "summary", t(2023, 5, 27, 23, 59)) == "due"
    assert state(ev, "summary", t(2023, 5, 28, 0, 0)) == "missing"


SEED_000 = """
[event]
title = "Vocational Education Activity Week in 2117"
start = 2117-05-08
# report the implementation plan ... before May 6th
plan_deadline = "2117-05-06"
# timely submitting pictures, videos, publicity information (no hour given)
daily_deadline = "24:00"
"""


def test_seed_000_city_plan(tmp_path: Path) -> None:
    ev = event_of(tmp_path, SEED_000)
    assert ev.plan_deadline == t(2117, 5, 6, 23, 59, 59)
    assert state(ev, "plan", t(2117, 5, 2), t(2117, 5, 1, 9)) == "on_time"
    assert state(ev, "plan", t(2117, 5, 6, 23)) == "due"
    assert state(ev, "plan", t(2117, 5, 7, 0, 0)) == "missing"
    assert state(ev, "2117-05-09", t(2117, 5, 9, 23, 59)) == "due"
    assert state(ev, "2117-05-09", t(2117, 5, 10, 0, 1)) == "missing"
    # no date for the summary: the default, a week after the end at 18:00
    assert ev.summary_deadline == t(2117, 5, 21, 18)


def test_a_workspace_made_before_keeps_its_deadlines(tmp_path: Path) -> None:
    """weekwatch.toml exactly as `init` wrote it before these forms existed."""
    old = (
        "# weekwatch: the activity week this workspace watches.\n\n[event]\n"
        'title = "2024年职业教育活动周"\ntheme = ""\nstart = 2024-05-12\ndays = 7\n'
        'timezone = "Asia/Shanghai"\ndaily_deadline = "12:00"\n'
        '# plan_deadline = "2024-05-12T12:00"    # default: day 1 at the daily deadline\n'
        '# summary_deadline = "2024-05-25T18:00"    # default: a week after the end\n'
    )
    ev = event_of(tmp_path, old)
    assert ev.not_owed == frozenset() and ev.daily_after_days == 0
    assert ev.plan_deadline == t(2024, 5, 12, 12) and ev.summary_deadline == t(2024, 5, 25, 18)
    assert deadline(ev, "2024-05-14") == t(2024, 5, 14, 12)
    assert state(ev, "2024-05-14", t(2024, 5, 14, 12, 1)) == "missing"
    assert state(ev, "2024-05-14", t(2024, 5, 15), t(2024, 5, 14, 11)) == "on_time"
    assert state(ev, "plan", t(2024, 5, 10), t(2024, 5, 9)) == "on_time"


# ---------------------------------------------------------------------------- working days


def test_labour_day_2025_working_days(tmp_path: Path) -> None:
    # 1–5 May 2025 off; Sunday 27 April worked (调休)
    assert is_workday(dt.date(2025, 4, 27))
    assert not any(is_workday(dt.date(2025, 5, d)) for d in range(1, 6))
    ev = event_of(
        tmp_path,
        '[event]\ntitle = "x"\nstart = 2025-04-27\nworkday_end = "17:30"\n'
        "summary_deadline = { workdays_after_end = 3 }\n",
    )
    assert ev.end == dt.date(2025, 5, 3)
    assert ev.summary_deadline == t(2025, 5, 8, 23, 59, 59)
    assert deadline_at({"workdays_after_end": 3, "at": "下班前"}, ev) == t(2025, 5, 8, 17, 30)
    # one working day before a week starting Monday 28 April is the Sunday worked
    assert add_workdays(dt.date(2025, 4, 28), -1) == dt.date(2025, 4, 27)


def test_a_year_the_holiday_table_does_not_know_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WeekwatchError) as err:
        event_of(
            tmp_path,
            '[event]\ntitle = "x"\nstart = 2117-05-08\n'
            'summary_deadline = { workdays_after_end = 3, at = "18:00" }\n',
        )
    msg = str(err.value)
    assert "line 4" in msg and "summary_deadline" in msg and "2004–20" in msg and "2117" in msg


# ------------------------------------------------------------------ the forms, table by table

DL = Event(title="x", start=dt.date(2024, 5, 12), workday_end=dt.time(17, 0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2024, 5, 11), t(2024, 5, 11, 23, 59, 59)),
        (dt.datetime(2024, 5, 11, 9), t(2024, 5, 11, 9)),
        ("2024-05-11", t(2024, 5, 11, 23, 59, 59)),
        ("2024-05-11 24:00", t(2024, 5, 11, 23, 59, 59)),
        ("2024-05-11T24:00", t(2024, 5, 11, 23, 59, 59)),
        ("2020年11月7日之前", t(2020, 11, 7, 23, 59, 59)),
        ("2024年5月12日中午12点前", t(2024, 5, 12, 12)),
        ("2024-05-19 下班前", t(2024, 5, 19, 17)),
        ("2024-05-19 end of day", t(2024, 5, 19, 17)),
        ("2024-05-19 下午5点半", t(2024, 5, 19, 17, 30)),
        ("２０２４-０５-１１", t(2024, 5, 11, 23, 59, 59)),
        ({"days_before_start": 10, "at": "17:00"}, t(2024, 5, 2, 17)),
        ({"days_before_start": 1}, t(2024, 5, 11, 23, 59, 59)),
        ({"days_after_end": 7, "at": "18:00"}, t(2024, 5, 25, 18)),
        ({"days_after_end": 1, "at": "下班前"}, t(2024, 5, 19, 17)),
        ({"workdays_after_end": 1, "at": dt.time(9, 0)}, t(2024, 5, 20, 9)),
        ("none", None),
        ("NONE", None),
    ],
)
def test_deadline_forms(value: object, expected: dt.datetime | None) -> None:
    assert deadline_at(value, DL) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12:00", Daily(dt.time(12))),
        (dt.time(11, 45), Daily(dt.time(11, 45))),
        ("24:00", Daily(dt.time(23, 59, 59))),
        ("+1d 12:00", Daily(dt.time(12), 1)),
        ("+1d12:00", Daily(dt.time(12), 1)),
        ("次日12:00", Daily(dt.time(12), 1)),
        ("次日中午12点", Daily(dt.time(12), 1)),
        ("+2d 09:00", Daily(dt.time(9), 2)),
        ("下班前", Daily(dt.time(17, 30))),
        ("none", None),
    ],
)
def test_daily_forms(value: object, expected: Daily | None) -> None:
    assert parse_daily(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-11 25:00",
        "2024-02-30",
        "tomorrow",
        {"days_before": 1},
        {"days_after_end": 1, "days_before_start": 1},
        {"days_after_end": -1},
        {"days_after_end": "7"},
        {"days_after_end": 7, "at": "25:00"},
        {"days_after_end": 7, "at": 18},
        [2024, 5, 11],
    ],
)
def test_bad_deadline_forms_are_refused(value: object) -> None:
    with pytest.raises(WeekwatchError):
        deadline_at(value, DL)


@pytest.mark.parametrize("value", ["25:00", "", "+9d 12:00", "次日", "noon", 12])
def test_bad_daily_forms_are_refused(value: object) -> None:
    with pytest.raises(WeekwatchError):
        parse_daily(value)


def test_moments_keep_offsets_and_read_workday_end() -> None:
    assert parse_moment("2024-05-13T04:00Z", SH) == t(2024, 5, 13, 12)
    assert parse_moment("2024-05-13 end of day", SH, dt.time(18)) == t(2024, 5, 13, 18)
    assert parse_time("下班前", dt.time(17, 45)) == dt.time(17, 45)
