"""How a deadline is written: every form the notices use, turned into an aware moment.

The notices write deadlines as people do: "于2020年11月7日之前" (a date alone: the end of that
day), "5月19日下班前" (before the office closes: the event's `workday_end`), "每天中午12:00前"
(read by offices as the previous day's materials by noon the next day), "活动周结束后一周内"
(relative to the week). Every place a moment is typed (weekwatch.toml, `init` flags, `extend
--until`, `contact --promised-by`, `--as-of`) reads it here, so they all accept the same forms.

Each function raises WeekwatchError with the problem alone; the caller names the file, line and
key (or the flag) in front.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .model import WeekwatchError
from .values import value

if TYPE_CHECKING:
    from .model import Event

#: A date alone, or "24:00", means the last second of that day.
END_OF_DAY = dt.time(23, 59, 59)
#: What 下班前 means when [event] has no `workday_end`.
DEFAULT_WORKDAY_END = dt.time(17, 30)
#: The word for a column a week does not have: its cells are not owed.
NONE = "none"
#: The relative forms of a deadline, as inline tables: { days_after_end = 7, at = "18:00" }.
RELATIVE_KEYS = (
    "days_before_start",
    "days_after_end",
    "workdays_before_start",
    "workdays_after_end",
)

_WORKDAY_END_WORDS = ("下班前", "下班", "end of day", "end of the working day", "eod")
_CLOCK = re.compile(
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<off>Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_HOUR_WORD = re.compile(r"(?P<h>\d{1,2})\s*[点點时時](?:\s*(?P<mi>\d{1,2})\s*分?|(?P<half>半))?")
_DATE_AT = re.compile(
    r"(?P<y>\d{4})(?:[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})|\s*年\s*(?P<mo2>\d{1,2})\s*月"
    r"\s*(?P<d2>\d{1,2})\s*[日号號]?)(?:\s*T\s*|\s+|(?=\D)|$)(?P<rest>.*)",
    re.IGNORECASE,
)
_NEXT_DAY = re.compile(
    r"(?:\+\s*(?P<n>\d)\s*d(?:ays?)?|(?P<zh>次日|第二天|翌日|隔天))\s*(?P<rest>.*)"
)
# "前", "之前", "以前" after a moment say "by then", which a deadline already means.
_BY = re.compile(r"\s*(?:之前|以前|前|止)\s*$")


@value
class Daily:
    """A day's deadline: a time of day, on the day itself or `after_days` later."""

    time: dt.time
    after_days: int = 0


def _norm(text: str) -> str:
    # NFKC turns full-width digits and colons (１２：００) into ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def parse_hhmm(text: str) -> dt.time:
    """A wall-clock time of day from 'HH:MM' (full-width accepted); '24:00' is END_OF_DAY."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", _norm(text))
    if m and (int(m[1]), int(m[2])) == (24, 0):
        return END_OF_DAY
    if m is None or int(m[1]) > 23 or int(m[2]) > 59:
        raise WeekwatchError(
            f"'{text}' is not a time of day; write it as HH:MM, like 12:00 (24:00 is the end "
            "of the day)",
            tag="not_hhmm",
            text=text,
        )
    return dt.time(int(m[1]), int(m[2]))


def parse_time(text: str, workday_end: dt.time = DEFAULT_WORKDAY_END) -> dt.time:
    """A time of day as the notices write it: 12:00, 24:00, 中午12点, 下午5点半, 下班前."""
    t = _BY.sub("", _norm(text)).strip()
    if t.lower() in _WORKDAY_END_WORDS:
        return workday_end
    afternoon = t.startswith(("下午", "晚上"))
    t = re.sub(r"^(?:中午|上午|下午|晚上)\s*", "", t)
    if m := _HOUR_WORD.fullmatch(t):
        h, mi = int(m["h"]), 30 if m["half"] else int(m["mi"] or 0)
        t = f"{h}:{mi:02d}"
    try:
        clock = parse_hhmm(t)
    except WeekwatchError:
        raise WeekwatchError(
            f"'{text}' is not a time of day; write it as HH:MM, like 12:00 (24:00 is the end "
            "of the day, 下班前 the end of the working day)",
            tag="not_time",
            text=text,
        ) from None
    if afternoon and clock.hour < 12:
        clock = clock.replace(hour=clock.hour + 12)
    return clock


def parse_daily(value: Any, workday_end: dt.time = DEFAULT_WORKDAY_END) -> Daily | None:
    """`daily_deadline` as written: '12:00', '24:00', '+1d 12:00', '次日12:00', or 'none' (None).

    '+1d 12:00' (次日12:00) means the materials of day N are due by 12:00 on day N+1.
    """
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise WeekwatchError(
                "must be a wall-clock time like 12:00, without an offset", tag="daily_offset"
            )
        return Daily(value.replace(microsecond=0))
    if not isinstance(value, str):
        what = "a number" if isinstance(value, int | float) else type(value).__name__
        raise WeekwatchError(
            f'must be a time like "12:00" (or "+1d 12:00", "none"), not {what}',
            tag="daily_type",
            what=what,
            what_zh="数字" if isinstance(value, int | float) else what,
        )
    text = _norm(value)
    if text.lower() == NONE:
        return None
    if not text:
        raise WeekwatchError(
            'is empty; write a time like 12:00, or "none" if the week asks for no daily materials',
            tag="daily_empty",
        )
    after = 0
    if m := _NEXT_DAY.fullmatch(text):
        after, text = (1 if m["zh"] else int(m["n"])), m["rest"]
        if not 1 <= after <= 7:
            raise WeekwatchError(
                f"'{value}': the materials can be due 1 to 7 days later, not {after}",
                tag="daily_after",
                value=value,
                after=after,
            )
    elif m := re.fullmatch(r"(?:当日|当天|同日)\s*(?P<rest>.*)", text):
        text = m["rest"]
    try:
        return Daily(parse_time(text, workday_end), after)
    except WeekwatchError:
        raise WeekwatchError(
            f"'{value}' is not a time of day; write it as HH:MM like 12:00, or 24:00, "
            '"+1d 12:00" (次日12:00: the next day), "none"',
            tag="daily_not_time",
            value=value,
        ) from None


def parse_moment(
    text: str, tz: ZoneInfo, workday_end: dt.time = DEFAULT_WORKDAY_END
) -> dt.datetime:
    """An aware moment from what an operator types: '2024-05-13 12:00', '2024-05-13T12:00+08:00',
    '2024-05-13' or '2024-05-13 24:00' (the end of that day), '2024-05-19 下班前' / 'end of day'
    (the event's workday_end), '2020年11月17日之前'.

    A time without an offset is wall-clock time in `tz` (never UTC); one with an offset keeps
    its instant and is shown in `tz`.
    """
    norm = _norm(text)
    m = _DATE_AT.fullmatch(norm)
    if m is None:
        raise WeekwatchError(
            f"'{text}' is not a date and time; write it like 2024-05-13 12:00, 2024-05-13 (the "
            "end of that day) or 2024-05-13T12:00+08:00",
            tag="not_moment",
            text=text,
        )
    try:
        day = dt.date(int(m["y"]), int(m["mo"] or m["mo2"]), int(m["d"] or m["d2"]))
    except ValueError as e:
        raise WeekwatchError(
            f"'{text}' is not a real date ({e})", tag="not_real_date", text=text, error=str(e)
        ) from e
    from .config import check_year  # config reads its deadlines here: import at call time

    check_year(day, f"'{text}'")
    rest = _BY.sub("", m["rest"]).strip()
    if not rest:
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=tz)
    c = _CLOCK.fullmatch(rest)
    if c is None:
        try:
            return dt.datetime.combine(day, parse_time(rest, workday_end), tzinfo=tz)
        except WeekwatchError:
            raise WeekwatchError(
                f"'{text}' is not a date and time; write it like 2024-05-13 12:00, 2024-05-13 "
                "(the end of that day), 2024-05-19 下班前 or 2024-05-13T12:00+08:00",
                tag="not_moment_time",
                text=text,
            ) from None
    h, mi, s = int(c["h"]), int(c["mi"]), int(c["s"] or 0)
    if (h, mi, s) == (24, 0, 0):
        h, mi, s = 23, 59, 59
    try:
        moment = dt.datetime(day.year, day.month, day.day, h, mi, s)
    except ValueError as e:
        raise WeekwatchError(
            f"'{text}' is not a real date and time ({e})",
            tag="not_real_moment",
            text=text,
            error=str(e),
        ) from e
    off = c["off"]
    if off is None:
        return moment.replace(tzinfo=tz)
    if off.upper() == "Z":
        offset = dt.timedelta(0)
    else:
        digits = off[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if off[0] == "-":
            offset = -offset
    if offset >= dt.timedelta(hours=24):
        raise WeekwatchError(
            f"'{text}': the offset {off} is not a real time zone offset",
            tag="bad_offset",
            text=text,
            off=off,
        )
    return moment.replace(tzinfo=dt.timezone(offset)).astimezone(tz)


# A deadline stated from the week, as notices write it: 活动周前一天, 活动周开始前10天 17:00,
# 活动周结束后一周内, 活动周结束后3个工作日内下班前. The anchor says which end of the week; the
# count, its unit and an optional time of day follow. Patterns compiled at their first use
# (re's cache): every command reads weekwatch.toml, few deadlines are words.
_WEEK_WORDS = (
    r"(?P<anchor>(?:本次)?(?:活动周|活动)(?:(?:开始|启动)?(?:之|以)?(?P<before>前)"
    r"|(?:结束)?(?:之|以)?后))(?P<rest>.*)"
)
_COUNT = (
    r"(?P<n>\d+|[零一二两三四五六七八九十]+)\s*个?\s*(?P<unit>工作日|天|日|周|星期|礼拜)"
    r"\s*(?:之内|以内|内)?\s*(?:之前|以前|前)?\s*(?P<at>.*)"
)
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
#: How the words are written, for a message about words that could not be read.
WORDS_EXAMPLES = "活动周前一天, 活动周结束后一周内, 活动周结束后3个工作日内"


def _count(text: str) -> int | None:
    """3, 三, 十, 十五, 二十: a count of days as written (None if it is not one)."""
    if text.isdigit():
        return int(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return _DIGITS.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(ones) > 1:
        return None
    t = _DIGITS.get(tens, -1) if tens else 1
    o = _DIGITS.get(ones, -1) if ones else 0
    return None if t < 0 or o < 0 else t * 10 + o


def relative_words(text: str) -> dict[str, int | str] | None:
    """A deadline written from the week in words, as the table weekwatch.toml writes it:
    活动周前一天 → { days_before_start = 1 }, 活动周结束后一周内 → { days_after_end = 7 },
    活动周结束后3个工作日内下班前 → { workdays_after_end = 3, at = "下班前" }.

    None: the text does not begin with the week (a date, a time: read as before). Words that
    begin with the week but do not go on as a count of days raise one message saying what was
    read and what was not.
    """
    norm = _norm(text)
    m = re.fullmatch(_WEEK_WORDS, norm) if norm.startswith(("活动", "本次")) else None
    if m is None:
        return None
    before = m["before"] is not None
    side, side_zh = (
        ("before the week begins", "活动周开始之前")
        if before
        else ("after the week ends", "活动周结束之后")
    )
    rest = m["rest"].strip()
    c = re.fullmatch(_COUNT, rest)
    n = _count(c["n"]) if c else None
    if c is None or n is None:
        raise WeekwatchError(
            f"'{text}': read {m['anchor']} ({side}) but not '{rest}'; write how many days, "
            f"like {WORDS_EXAMPLES}",
            tag="deadline_words",
            text=text,
            read=m["anchor"],
            side=side,
            side_zh=side_zh,
            rest=rest,
        )
    if c["unit"] == "工作日":
        key = "workdays_before_start" if before else "workdays_after_end"
    else:
        key = "days_before_start" if before else "days_after_end"
        n *= 7 if c["unit"] in ("周", "星期", "礼拜") else 1
    table: dict[str, int | str] = {key: n}
    at = c["at"].strip()
    if at:
        try:
            parse_time(at)
        except WeekwatchError:
            read = norm[: len(norm) - len(at)].strip()
            raise WeekwatchError(
                f"'{text}': read {read} ({key} = {n}) but not the time of day '{at}'; write "
                "it like 17:00 or 下班前",
                tag="deadline_words_at",
                text=text,
                read=read,
                count=key,
                n=n,
                at=at,
            ) from None
        table["at"] = at
    return table


def deadline_at(value: Any, event: Event) -> dt.datetime | None:
    """A deadline value as written in weekwatch.toml → an aware moment for this event.

    None means "none": the column is not owed. The forms: a TOML date-time (wall-clock in the
    event's zone unless it has an offset), a TOML date (the end of that day), any string
    `parse_moment` reads, and the relative tables `{ days_before_start = 10, at = "17:00" }`,
    `{ days_after_end = 7, at = "18:00" }`, `{ workdays_after_end = 3, at = "下班前" }`
    (`at` defaults to the end of the day).
    """
    from .config import check_year  # config reads its deadlines here: import at call time

    tz = event.tz
    if isinstance(value, dt.date):
        check_year(value, value.isoformat())
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, END_OF_DAY, tzinfo=tz)
    if isinstance(value, str):
        if _norm(value).lower() == NONE:
            return None
        table = relative_words(value)  # 活动周结束后一周内, as the notice wrote it
        if table is not None:
            return _relative(table, event)
        return parse_moment(value, tz, event.workday_end)
    if isinstance(value, dict):
        return _relative(value, event)
    raise WeekwatchError(
        'must be a date and time like "2024-05-12 12:00", a date, "none", or a table like '
        f'{{ days_after_end = 7, at = "18:00" }}, not {type(value).__name__}',
        tag="deadline_type",
        type=type(value).__name__,
    )


def _relative(table: dict[str, Any], event: Event) -> dt.datetime:
    unknown = [k for k in table if k not in (*RELATIVE_KEYS, "at")]
    counts = [k for k in table if k in RELATIVE_KEYS]
    if unknown or len(counts) != 1:
        what = f"unknown key '{unknown[0]}'" if unknown else "needs exactly one count"
        raise WeekwatchError(
            f"{what}; write one of {', '.join(RELATIVE_KEYS)}, and optionally at, like "
            '{ days_after_end = 7, at = "18:00" }',
            tag="relative_keys",
            what=what,
            what_zh=f"没有“{unknown[0]}”这个键" if unknown else "只能写一个天数",
            keys=", ".join(RELATIVE_KEYS),
        )
    key = counts[0]
    n = table[key]
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 366:
        raise WeekwatchError(
            f"{key} must be a whole number of days from 0 to 366, not {n!r}",
            tag="relative_count",
            count=key,
            n=repr(n),
        )
    at = table.get("at", "24:00")
    if isinstance(at, dt.time):
        at = at.strftime("%H:%M")
    if not isinstance(at, str):
        raise WeekwatchError(
            f'at must be a time like "18:00" or "下班前", not {at!r}',
            tag="relative_at",
            at=repr(at),
        )
    try:
        clock = parse_time(at, event.workday_end)
    except WeekwatchError as e:
        raise WeekwatchError(f"at: {e}", tag="flag", flag="at", error=e) from None
    if key == "days_before_start":
        day = event.start - dt.timedelta(days=n)
    elif key == "days_after_end":
        day = event.end + dt.timedelta(days=n)
    else:
        # China's holiday tables, only for a deadline counted in working days.
        from .workdays import add_workdays

        if key == "workdays_before_start":
            day = add_workdays(event.start, -n) if n else event.start
        else:
            day = add_workdays(event.end, n) if n else event.end
    return dt.datetime.combine(day, clock, tzinfo=event.tz)
