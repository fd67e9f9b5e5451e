"""China's working days: statutory holidays and the adjusted working days (调休) between them.

A notice's "三个工作日内" counts days the offices are open, and those are set each year by the
State Council: 1–5 May 2025 were off while Sunday 27 April was worked. That table comes from
`chinese-calendar`, which is updated every year; a date in a year it does not know is refused
with the years it does know, never guessed from weekdays.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar

from .model import WeekwatchError


@functools.cache
def known_years() -> tuple[int, int]:
    """The first and last year the holiday table covers."""
    years = {d.year for d in chinese_calendar.holidays} | {
        d.year for d in chinese_calendar.workdays
    }
    return min(years), max(years)


def is_workday(day: dt.date) -> bool:
    """Whether offices in China work on `day` (a weekday that is no holiday, or a 调休 day)."""
    first, last = known_years()
    if not first <= day.year <= last:
        raise WeekwatchError(
            f"{day.isoformat()}: China's working days are known for {first}–{last} only "
            f"(chinese-calendar {chinese_calendar.__version__}); write the date itself, "
            "like 2024-05-21 18:00"
        )
    return bool(chinese_calendar.is_workday(day))


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n ≥ 1), or before it for negative n."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_workday(day):
            left -= 1
    return day
