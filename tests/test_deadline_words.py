"""The dashboard speaks a week's own deadlines: the countdown under a next-day daily deadline
(seed 002: 每天中午12:00前, read as the previous day's materials by noon) names whose materials
are due, and the extend form reads 下班前 as the week's `workday_end`, not a fixed 17:30."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from weekwatch.fixtures.testweek import TZ, at, clock_at
from weekwatch.store.model import Event
from weekwatch.tui.i18n import I18n
from weekwatch.tui.view import countdown

#: Seed 002's week: 12–18 May 2024, plan by 12:00 on day 1, day N's materials by 12:00 on N+1.
NEXT_DAY = Event(
    title="2024年职业教育活动周",
    start=dt.date(2024, 5, 12),
    plan_deadline=at(12, 12),
    summary_deadline=at(19, 17, 30),
    daily_after_days=1,
)


@pytest.mark.parametrize(
    ("now", "lang", "text", "urgent"),
    [
        # The morning of day 4: day 3's materials are due at noon.
        (at(15, 9), "zh", "05-14材料截止 12:00 · 还有 3 小时 0 分钟", False),
        (at(15, 11, 23), "en", "05-14 due 12:00 · 37 min left", True),
        # After noon: day 4's own, tomorrow at noon (not "today's deadline 12:00").
        (at(15, 13), "zh", "05-15材料截止 05-16 12:00 · 还有 23 小时 0 分钟", False),
        (at(15, 13), "en", "05-15 due 05-16 12:00 · 23 h 0 min left", False),
        # Day 1: the plan at noon; day 1's own materials are due only on the 13th.
        (at(12, 9), "zh", "方案截止 05-12 12:00 · 还有 3 小时 0 分钟", False),
        (at(12, 13), "zh", "05-12材料截止 05-13 12:00 · 还有 23 小时 0 分钟", False),
        (at(13, 10), "zh", "05-12材料截止 12:00 · 还有 2 小时 0 分钟", False),
        # The day after the week: the last day's materials, then the summary.
        (at(19, 11, 30), "zh", "05-18材料截止 12:00 · 还有 30 分钟", True),
        (at(19, 13), "en", "Summary due 05-19 17:30 · 4 h 30 min left", False),
    ],
)
def test_the_countdown_names_whose_materials_are_due_next_day(now, lang, text, urgent):
    assert countdown(NEXT_DAY, now, I18n(lang)) == (text, urgent)


def test_same_day_deadline_still_says_today():
    same_day = dataclasses.replace(NEXT_DAY, daily_after_days=0)
    assert countdown(same_day, at(15, 9), I18n("zh"))[0].startswith("今日截止 12:00")


def _set(ws, old: str, new: str) -> None:
    text = ws.config.read_text(encoding="utf-8")
    assert old in text
    ws.config.write_text(text.replace(old, new), encoding="utf-8")


async def test_the_header_counts_down_to_yesterdays_materials(week_ws, app_for, settle):
    _set(week_ws, 'daily_deadline = "12:00"', 'daily_deadline = "+1d 12:00"')
    for size in ((80, 24), (120, 40)):
        app = app_for(week_ws, clock=clock_at(at(15, 9)), lang="zh")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            header = app.query_one("#header").text.plain
            assert "05-14材料截止 12:00 · 还有 3 小时 0 分钟" in header


@pytest.mark.parametrize(
    ("typed", "until"),
    [
        ("下班前", at(15, 17)),  # today's end of the working day
        ("2024-05-20 下班前", dt.datetime(2024, 5, 20, 17, tzinfo=TZ)),
        ("5月20日 下班前", dt.datetime(2024, 5, 20, 17, tzinfo=TZ)),
        ("15:30", at(15, 15, 30)),
    ],
)
async def test_the_extend_form_reads_xiaban_qian_as_the_weeks_workday_end(
    week_ws, app_for, settle, typed, until
):
    # This bureau closes at 17:00, not at the default 17:30.
    _set(week_ws, '# workday_end = "17:30"', 'workday_end = "17:00"')
    from textual.widgets import Input

    from weekwatch.tui.screens.form import FormScreen

    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto("jxxx", "2024-05-15")
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await settle(pilot, lambda: ("jxxx", "2024-05-15") in app.week.ledger().extensions)
        assert app.week.ledger().extensions[("jxxx", "2024-05-15")] == until
