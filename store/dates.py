"""The day a (normalized) name states: a date, a range, a day number, a weekday, or a year.

Pure, and part of the reading rules (`store/reading.py` calls it on each path segment, with unit
names already blanked out). Tolerant of form, strict about meaning: a date the name states is
never replaced by another day. A date outside the week is a reason to quarantine, never a name
to look past — except the loose `6.1` form, which is as often a number as a date (照片1.2).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .model import Event
from .reasons import Code, Quarantine

# One scan, alternatives tried in this order at each position, so a full date is consumed whole
# before its tail could be read as a month-day. Lookarounds keep digits of longer numbers (phone
# numbers, timestamps, versions like 1.5.13) from being read as dates. Years are 20xx or 21xx
# (seed 000 is set in 2117): an 8-digit number with another century is a serial number, not a
# date. The leading lookahead is only for
# speed: it fails most positions at once. Each branch ends in its own group, so `lastgroup` tells
# which form matched.
# English month names, whole or cut as people cut them (not mayor, not marching).
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
_MONTH_NUMBER = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)
}
_DATE_PATTERN = (
    r"(?=[\d第d星周礼一二三四五六七八九十LATIN])(?:(?<!\d)(?:"
    r"(?P<y1>2[01]\d\d)(?P<s1>[-_.])(?P<m1>\d{1,2})(?P=s1)(?P<ymd>\d{1,2})(?!\d)"
    r"|(?P<y2>2[01]\d\d)\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<ynd>\d{1,2})\s*[日号]?(?!\d)"
    r"|(?P<y3>2[01]\d\d)(?P<m3>\d\d)(?P<compact>\d\d)(?!\d)"
    r"|(?P<year>2[01]\d\d)\s*年(?!\s*\d)"
    r"|(?P<m4>\d{1,2})\s*月\s*(?P<md>\d{1,2})\s*[日号]?(?!\d)"
    # May 13, May 13th, 13 May, 13-May (a week whose notice and names are in English).
    r"|(?<![a-z])(?P<em>" + _MONTHS + r")\.?[\s_-]*(?P<emd>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
    r"|(?P<ed>\d{1,2})(?:st|nd|rd|th)?[\s_-]*(?P<edm>" + _MONTHS + r")"
    # 十一月九日, 五月十四号: in words, the day's 日 (号) written.
    r"|(?<![一二三四五六七八九十])(?P<cm>[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<cnd>[一二三四五六七八九十]{1,3})\s*[日号]"
    # 9日至10日, 9-10日: days of the week's month (before 9-10 could be read as 10 September).
    r"|(?<![月.])(?P<d1>\d{1,2})\s*[日号]?\s*(?:至|到|~|-|—|–)\s*(?P<days>\d{1,2})\s*[日号]"
    r"|(?<![月.\d])(?P<day>\d{1,2})\s*[日号]"
    # 11.9-11.10, 5.13-14: the loose form, as a range.
    r"|(?<!\d[.-])(?P<m6>\d{1,2})\.(?P<d6>\d{1,2})\s*(?:至|到|~|-|—|–)\s*"
    r"(?:(?P<m7>\d{1,2})\.)?(?P<dotrange>\d{1,2})(?![.\d])"
    r"|(?<!\d[.-])(?P<m5>\d{1,2})[.-](?P<mdsep>\d{1,2})(?![.-]?\d)"
    r")|(?<![a-z])day[\s_-]*(?P<dayn>\d{1,2})(?!\d)"
    r"|第\s*(?P<nthday>\d{1,2}|[一二三四五六七八九十]{1,3})\s*天"
    # 星期三, 周三, 礼拜三 (周日, 周天); not the 周 of 活动周 before a numeral (活动周三等奖).
    r"|(?:星期|礼拜|(?<!动)周)(?P<weekday>[一二三四五六日天])"
    r")"
)
# The English months' branches cost every Latin letter a try: a name without a month's name
# (most, and every extension: .docx, .jpg) is read by the pattern without them.
_DATE_RE = re.compile(_DATE_PATTERN.replace("LATIN", ""))
_DATE_RE_EN = re.compile(_DATE_PATTERN.replace("LATIN", "jfmasond"))
_MONTH_WORD = re.compile(r"(?<![a-z])" + _MONTHS)


# For each branch: the groups holding year, month, day (year None: the event's).
_DATE_GROUPS: dict[str, tuple[str | None, str, str]] = {
    "ymd": ("y1", "m1", "ymd"),
    "ynd": ("y2", "m2", "ynd"),
    "compact": ("y3", "m3", "compact"),
    "md": (None, "m4", "md"),
    "cnd": (None, "cm", "cnd"),
    "emd": (None, "em", "emd"),
    "edm": (None, "edm", "ed"),
    "mdsep": (None, "m5", "mdsep"),
    "dotrange": (None, "m6", "d6"),
}
# A range's end after a date: 11月9日至10日, 2024-05-13至2024-05-14, 11.9-11.10.
_TAIL_RE = re.compile(
    r"\s*(?:至|到|~|-|—|–)\s*(?:2[01]\d\d\s*[-年.]\s*)?(?:(?P<m>\d{1,2})\s*[-月.]\s*)?(?P<d>\d{1,2})(?!\d)"
)
#: Forms that name a date only loosely: outside the week they are taken for numbers.
_LOOSE = frozenset({"mdsep"})
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


def day_number(text: str) -> int | None:
    """3 or 三 or 十二: the n of 第n天. None for a malformed numeral like 十十."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _date(y: int, m: str | int, d: str | int) -> dt.date | None:
    try:
        return dt.date(y, int(m), int(d))
    except ValueError:
        return None  # 2024-02-30 is not a date, so keep looking


class Dated(NamedTuple):
    """What one segment's dates say."""

    day: str | None  # ISO date in the week (a range's first day)
    until: str | None  # a range's last day, as the name states it
    bad: Quarantine | None  # a stated date outside the week (only when no day is in it)
    other_year: Quarantine | None  # a year other than the week's (it concerns plans too)


NO_DATE = Dated(None, None, None, None)


class DateReader:
    """Finds the day a segment names, for one event."""

    def __init__(self, event: Event) -> None:
        self._start = event.start
        self._end = event.end
        self._days = event.days
        self._years = sorted({event.start.year, event.end.year})  # a week may span New Year
        self._week_year = event.start.year

    def _in_week(self, date: dt.date | None) -> bool:
        return date is not None and self._start <= date <= self._end

    def _month_day(self, m: str | int, d: str | int) -> dt.date | None:
        """A month-day in the year that puts it in the week, else in the week's first year."""
        first = _date(self._years[0], m, d)
        if len(self._years) == 1 or self._in_week(first):
            return first
        other = _date(self._years[1], m, d)
        return other if self._in_week(other) else first

    def _day_of_month(self, d: str) -> dt.date | None:
        """9日: the day of the week's month(s) with that number, if the week has one."""
        n = int(d)
        for i in range(self._days):
            day = self._start + dt.timedelta(days=i)
            if day.day == n:
                return day
        return None

    def read(self, text: str) -> Dated:
        """The first day in the week; else why the first stated out-of-week date cannot be used."""
        bad: Quarantine | None = None
        other_year: Quarantine | None = None
        pattern = _DATE_RE_EN if _MONTH_WORD.search(text) else _DATE_RE
        for m in pattern.finditer(text):
            form = m.lastgroup or ""
            date: dt.date | None = None
            until: dt.date | None = None
            if form in ("dayn", "nthday"):
                n = day_number(m.group(form))
                if n is None:
                    continue
                if 1 <= n <= self._days:
                    return Dated(self._day(n - 1), None, None, other_year)
                bad = bad or Quarantine.of(Code.DAY_OUTSIDE, n=n)
                continue
            if form == "weekday":
                wd = _WEEKDAYS[m.group(form)]
                for i in range(self._days):
                    if (self._start + dt.timedelta(days=i)).weekday() == wd:
                        return Dated(self._day(i), None, None, other_year)
                bad = bad or Quarantine.of(Code.WEEKDAY_OUTSIDE, word=m.group())
                continue
            if form == "year":
                year = int(m.group(form))
                if year not in self._years:
                    other_year = other_year or Quarantine.of(
                        Code.OTHER_YEAR, year=year, week_year=self._week_year
                    )
                continue
            if form in ("days", "day"):
                date = self._day_of_month(m.group("d1" if form == "days" else "day"))
                if date is None:
                    continue  # 31日 in a week of 12–18 May names no day of it: a number
                if form == "days":
                    until = _date(date.year, date.month, m.group("days"))
            else:
                y, mo, d = _DATE_GROUPS[form]
                if form == "cnd":
                    month, day = day_number(m.group(mo)), day_number(m.group(d))
                    date = self._month_day(month, day) if month and day else None
                elif form in ("emd", "edm"):
                    date = self._month_day(_MONTH_NUMBER[m.group(mo)[:3]], m.group(d))
                elif y is None:
                    date = self._month_day(m.group(mo), m.group(d))
                    if form == "dotrange":
                        until = _date(
                            date.year if date else self._week_year,
                            m.group("m7") or m.group(mo),
                            m.group("dotrange"),
                        )
                else:
                    year = int(m.group(y))
                    date = _date(year, m.group(mo), m.group(d))
                if date is None:
                    continue
                if until is None and form != "dotrange":
                    until = self._tail(text, m.end(), date)
            if self._in_week(date):
                assert date is not None
                return Dated(
                    date.isoformat(), until.isoformat() if until else None, None, other_year
                )
            if form in _LOOSE:
                continue  # 6.1儿童节: a name or a number, not a date to object to
            assert date is not None
            if date.year not in self._years:
                other_year = other_year or Quarantine.of(
                    Code.OTHER_YEAR, year=date.year, week_year=self._week_year
                )
            bad = bad or Quarantine.of(Code.DATE_OUTSIDE, date=date.isoformat())
        return Dated(None, None, bad, other_year) if bad or other_year else NO_DATE

    def _day(self, i: int) -> str:
        return (self._start + dt.timedelta(days=i)).isoformat()

    def _tail(self, text: str, pos: int, first: dt.date) -> dt.date | None:
        t = _TAIL_RE.match(text, pos)
        if t is None:
            return None
        end = _date(first.year, t.group("m") or first.month, t.group("d"))
        return end if end is not None and end > first else None
