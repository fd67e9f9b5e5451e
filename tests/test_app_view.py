"""The dashboard's pure parts: labels in both languages, countdown, finding units, input."""

from __future__ import annotations

import datetime as dt
import string
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import DASHBOARD_UNITS as UNITS
from weekwatch.fixtures.testweek import NOW, TZ
from weekwatch.store.config import load_config, parse_column
from weekwatch.store.model import Event, WeekwatchError
from weekwatch.tui import i18n
from weekwatch.tui.i18n import I18n, default_lang
from weekwatch.tui.view import countdown, find_units, parse_when

EVENT = Event(
    title="周",
    start=dt.date(2024, 5, 12),
    plan_deadline=dt.datetime(2024, 5, 12, 12, tzinfo=TZ),
    summary_deadline=dt.datetime(2024, 5, 25, 18, tzinfo=TZ),
)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(i18n.keys()))
def test_every_message_exists_in_both_languages_with_the_same_fields(key):
    zh, en = i18n._T[key]
    assert zh and en
    assert _fields(zh) == _fields(en)


def test_default_language():
    assert default_lang("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang("", {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang("", {"LANG": "C.UTF-8"}) == "en"
    assert default_lang("", {}) == "en"


@pytest.mark.parametrize(
    ("now", "lang", "text", "urgent"),
    [
        (NOW, "zh", "今日截止 12:00 · 还有 37 分钟", True),
        (NOW, "en", "Today's deadline 12:00 · 37 min left", True),
        (
            dt.datetime(2024, 5, 15, 9, 0, tzinfo=TZ),
            "zh",
            "今日截止 12:00 · 还有 3 小时 0 分钟",
            False,
        ),
        (
            dt.datetime(2024, 5, 15, 13, 0, tzinfo=TZ),
            "zh",
            "下个截止 05-16 12:00 · 还有 23 小时 0 分钟",
            False,
        ),
        (
            dt.datetime(2024, 5, 10, 12, 0, tzinfo=TZ),
            "en",
            "Plan due 05-12 12:00 · 2 d 0 h left",
            False,
        ),
        (dt.datetime(2024, 5, 26, 0, 0, tzinfo=TZ), "en", "All deadlines have passed", False),
    ],
)
def test_countdown(now, lang, text, urgent):
    assert countdown(EVENT, now, I18n(lang)) == (text, urgent)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("pzy", "pzy"),
        ("平职", "pzy"),
        ("舞钢", "wugang"),
        ("技师", "jxxx"),
        ("ＷＵＧＡＮＧ", "wugang"),
        ("xh", "xinhua"),
    ],
)
def test_find_units_fuzzy(query, first):
    assert find_units(UNITS, query)[0].id == first


def test_find_nothing():
    assert find_units(UNITS, "zzzz") == []


def test_parse_when_and_column():
    assert parse_when("15:30", EVENT, NOW) == dt.datetime(2024, 5, 15, 15, 30, tzinfo=TZ)
    assert parse_when("１５：３０", EVENT, NOW).hour == 15
    assert parse_when("2024-05-16 09:00", EVENT, NOW).day == 16
    with pytest.raises(WeekwatchError):
        parse_when("next week", EVENT, NOW)
    assert parse_column("3", EVENT) == "2024-05-14"
    assert parse_column("Plan", EVENT) == "plan"
    assert parse_column("总结", EVENT) == "summary"
    with pytest.raises(WeekwatchError):
        parse_column("9", EVENT)


def test_look_and_view_modules_import_no_textual():
    code = (
        "import sys, weekwatch.tui.view, weekwatch.tui.i18n, weekwatch.widgets.look, "
        "weekwatch.widgets.safe; assert not any(m.startswith('textual') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fixture_config_loads(week_ws):
    assert load_config(week_ws.config).event.start == dt.date(2024, 5, 12)


def test_every_reason_the_demo_week_produces_has_chinese():
    from weekwatch.fixtures.drops import load_demo_event, plan_drops
    from weekwatch.store.reading import Reader

    event, units = load_demo_event()
    reader = Reader(event, units)
    reasons = {
        r.quarantine
        for d in plan_drops(event, units)
        if (r := reader.read(d.relpath, d.arrival)).quarantine
    }
    assert len(reasons) >= 3
    for reason in reasons:
        assert not any(
            c.isascii() and c.isalpha() for c in I18n("zh").reason(reason).split("：")[0]
        ), reason
