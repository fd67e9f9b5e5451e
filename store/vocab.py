"""What an operator types: a cell, a moment, a unit — one reading for the dashboard and the CLI.

The grid's own labels are valid input everywhere: a column as the grid heads it (`05-14`,
`方案`/`plan`, `总结`/`summary`, the weekday `周二`/`Tue`, the day's theme), a day number (`3`,
`第3天`, `day 3`), a date in the forms people write (`5月14日`, `5/14`, `2024-05-14`), and the
days relative to now (`today`/`今天`, `yesterday`/`昨天`, `tomorrow`/`明天`). A moment is any of
those days with a time (`today 15:00`, `明天 下班前`, `05-16 12:00`), a bare time of day
(`15:00`, `下午3点`: today), or every form of `deadlines.parse_moment`. A unit is its id, name
or alias, or the one unit whose name holds what was typed.

Errors are `InputError`s: a code, what was typed and examples drawn from this week, so the
dashboard can say them in the operator's language; `str()` is the English line the CLI prints.
Pure: no Textual, no Rich.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from .deadlines import END_OF_DAY, parse_moment, parse_time
from .folding import normalize, width_case
from .model import PLAN, SUMMARY, Event, Unit, WeekwatchError

#: Words for the columns outside the days, as the grid and the notices name them.
PLAN_WORDS = frozenset({"plan", "方案", "活动方案", "实施方案", "工作方案"})
SUMMARY_WORDS = frozenset({"summary", "总结", "活动总结"})
#: Days relative to today, and their offset.
RELATIVE_DAYS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "当天": 0,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
}
#: The vocabulary's own words, written simplified (a test checks OpenCC leaves them so).
OWN_WORDS = PLAN_WORDS | SUMMARY_WORDS | frozenset(RELATIVE_DAYS)
_WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_EN_LONG = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_WEEKDAYS_ZH = "一二三四五六日"


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """How days and moments are typed, compiled when the first is typed (a note naming only
    its unit types none)."""
    return {
        "day_number": re.compile(r"(?:第\s*(\d{1,2})\s*天|day\s*(\d{1,2})|d(\d{1,2})|(\d{1,2}))"),
        "date": re.compile(
            r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<mo>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*[日号]?"
            r"|(?P<y8>\d{4})(?P<mo8>\d{2})(?P<d8>\d{2})"
        ),
        "weekday_zh": re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])"),
        # A day word or date, then a time: "today 15:00", "今天15:00", "5月16日 下班前".
        "day_then_time": re.compile(r"(?P<day>.+?)(?:\s*T\s*|\s+|(?<=[日号天]))(?P<time>\S.*)"),
    }


class InputError(WeekwatchError):
    """A typed value weekwatch cannot read: `code` is cell, not_in_week, moment, unit, kind,
    ambiguous or empty; `examples` come from this week, `candidates` are the units it names."""

    def __init__(
        self,
        code: str,
        text: str,
        examples: tuple[str, ...] = (),
        candidates: tuple[str, ...] = (),
        detail: str = "",
    ) -> None:
        self.code, self.text, self.examples, self.candidates = code, text, examples, candidates
        self.detail = detail  # the deadlines module's own words on a written-out date-time
        super().__init__(english(self))


def english(e: InputError) -> str:
    """The one line the CLI prints for `e`."""
    if e.detail:
        return e.detail
    ex = ", ".join(e.examples)
    if e.code == "cell":
        return f"no column {e.text!r}; use {ex}"
    if e.code == "not_in_week":
        return f"{e.text!r} is not a day of the week; use {ex}"
    if e.code == "moment":
        return f"{e.text!r} is not a date and time; write it like {ex}"
    if e.code == "kind":
        return f"no kind {e.text!r}; one of {ex}"
    if e.code == "ambiguous":
        return f"{e.text!r} names several units: {'、'.join(e.candidates)}; type more of the name"
    if e.code == "empty":
        return "nothing typed"
    like = f"; did you mean {'、'.join(e.candidates)}?" if e.candidates else ""
    return f"no unit {e.text!r} (by id, name or alias; see `weekwatch units list`){like}"


#: The English words of the examples, as a Chinese message gives them (both are read).
_EXAMPLE_ZH = {"plan": "方案", "summary": "总结", "today": "今天"}


def cell_examples(
    event: Event, now: dt.datetime | None = None, lang: str = "en"
) -> tuple[str, ...]:
    """What to type for a cell, drawn from this week (in Chinese words for `lang` zh)."""
    day = _today(event, now)
    if day is None or day not in event.dates:
        day = event.start
    return in_lang(("plan", "summary", "today", f"{day:%m-%d}", f"1–{event.days}"), lang)


def moment_examples(
    event: Event, now: dt.datetime | None = None, lang: str = "en"
) -> tuple[str, ...]:
    day = _today(event, now)
    if day is None or day not in event.dates:
        day = event.start
    return in_lang(
        ("15:00", "today 17:30", f"{day:%m-%d} 12:00", f"{day.isoformat()} 下班前"), lang
    )


def in_lang(examples: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """Examples (an `InputError`'s, say) as a message in `lang` gives them: under zh, 方案、总结、
    今天 for plan, summary, today (a leading day word too: 今天 17:30)."""
    if lang != "zh":
        return examples
    out = []
    for e in examples:
        word, sep, rest = e.partition(" ")
        out.append(_EXAMPLE_ZH.get(word, word) + sep + rest)
    return tuple(out)


def parse_kind(text: str) -> str:
    """A kind as typed: its name (`photo`) or the words a file name gives it (照片, 典型案例,
    情况统计表, 活动方案); InputError("kind") otherwise."""
    from .model import KINDS
    from .reading import kind_named  # the reading rules' words, loaded only when a kind is typed

    typed = text.strip()
    if width_case(typed) in KINDS:  # photo, Photo, ｐｈｏｔｏ
        return width_case(typed)
    kind = kind_named(normalize(typed)) if typed else None
    if kind is None:
        raise InputError("kind", text, tuple(KINDS))
    return kind


# ---------------------------------------------------------------------------- days and cells


def _today(event: Event, now: dt.datetime | None) -> dt.date | None:
    return event.day_of(now) if now is not None else None


def _fold(text: str) -> str:
    plain = _plain(text)
    if plain.isascii() or plain in OWN_WORDS:  # what traditional → simplified leaves as it is
        return plain
    return re.sub(r"\s+", " ", normalize(text)).strip()


def _plain(text: str) -> str:
    """`_fold` but for traditional → simplified."""
    return re.sub(r"\s+", " ", width_case(text)).strip()


def parse_day(text: str, event: Event, now: dt.datetime | None = None) -> dt.date | None:
    """A calendar day typed as a relative word, a date or a weekday; None if it is none of those.

    A date without a year takes the week's year (the year of the week's day with that month,
    for a week over New Year); a weekday is the week's day of that weekday.
    """
    t = _fold(text)
    if t in RELATIVE_DAYS:
        day = _today(event, now)
        if day is None:
            raise InputError("moment", text, moment_examples(event, now))
        return day + dt.timedelta(days=RELATIVE_DAYS[t])
    if m := _patterns()["date"].fullmatch(t):
        y = m["y"] or m["y8"]
        mo, d = int(m["mo"] or m["mo8"]), int(m["d"] or m["d8"])
        years = [int(y)] if y else sorted({x.year for x in event.dates if x.month == mo})
        for year in years or [event.start.year]:
            try:
                day = dt.date(year, mo, d)
            except ValueError:
                continue
            from .config import check_year  # config reads its columns here: import at call time

            check_year(day, f"'{text}'")
            return day
        raise InputError("not_in_week", text, cell_examples(event, now))
    weekday = _weekday(t)
    if weekday is not None:
        return next((d for d in event.dates if d.weekday() == weekday), None)
    return None


def _weekday(t: str) -> int | None:
    if m := _patterns()["weekday_zh"].fullmatch(t):
        return _WEEKDAYS_ZH.index(m[1].replace("天", "日"))
    if t in _WEEKDAYS_EN:
        return _WEEKDAYS_EN.index(t)
    if t in _WEEKDAYS_EN_LONG:
        return _WEEKDAYS_EN_LONG.index(t)
    return None


def parse_cell(text: str, event: Event, now: dt.datetime | None = None) -> str:
    """A column as the operator types it (module docstring) → `plan`, `summary` or YYYY-MM-DD.

    `now` is needed only for today/yesterday/tomorrow; a day outside the week is refused.
    """
    t = _fold(text)
    if not t:
        raise InputError("cell", text, cell_examples(event, now))
    if t in PLAN_WORDS:
        return PLAN
    if t in SUMMARY_WORDS:
        return SUMMARY
    if t in event.columns:
        return t
    if m := _patterns()["day_number"].fullmatch(t):
        n = int(next(g for g in m.groups() if g))
        if 1 <= n <= event.days:
            return event.columns[n]
        raise InputError("cell", text, cell_examples(event, now))
    for i, theme in enumerate(event.day_themes):
        if theme and _fold(theme) == t and i < event.days:
            return event.columns[i + 1]
    if t in RELATIVE_DAYS and now is None:
        raise InputError("cell", text, cell_examples(event, now))
    day = parse_day(text, event, now)
    if day is None:
        raise InputError("cell", text, cell_examples(event, now))
    if day not in event.dates:
        raise InputError("not_in_week", text, cell_examples(event, now))
    return day.isoformat()


def parse_cells(text: str, event: Event, now: dt.datetime | None = None) -> list[str]:
    """Several cells, separated by commas (`,`, `，`, `、`) or spaces."""
    parts = [p for p in re.split(r"[,，、\s]+", text.strip()) if p]
    if not parts:
        raise InputError("cell", text, cell_examples(event, now))
    return list(dict.fromkeys(parse_cell(p, event, now) for p in parts))


# ---------------------------------------------------------------------------- moments


def parse_when(text: str, event: Event, now: dt.datetime | None = None) -> dt.datetime:
    """An aware moment as the operator types it (module docstring); a day alone is its end.

    A moment may lie outside the week (a promise for next Monday, an as-of after it).
    """
    norm = unicodedata.normalize("NFKC", text).strip()
    if not norm:
        raise InputError("moment", text, moment_examples(event, now))
    tz, end = event.tz, event.workday_end
    # A bare time of day: today's.
    today = _today(event, now)
    if today is not None:
        try:
            return dt.datetime.combine(today, parse_time(norm, end), tzinfo=tz)
        except WeekwatchError:
            pass
    # A day the grid names, alone or with a time.
    try:
        day = parse_day(norm, event, now)
    except InputError:
        day = None
    if day is not None:
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=tz)
    if m := _patterns()["day_then_time"].fullmatch(norm):
        try:
            day = parse_day(m["day"], event, now)
            clock = parse_time(m["time"], end) if day is not None else None
        except WeekwatchError:
            day = clock = None
        if day is not None and clock is not None:
            return dt.datetime.combine(day, clock, tzinfo=tz)
    try:
        return parse_moment(norm, tz, end)
    except WeekwatchError as e:
        # A written-out date-time (a year first) gets the deadlines module's precise words:
        # "is in the year 1", "is not a real date".
        detail = str(e) if re.match(r"\d{4}", norm) else ""
        raise InputError("moment", text, moment_examples(event, now), detail=detail) from None


# ---------------------------------------------------------------------------- units


#: What a unit is typed by: its id, name and aliases (a `Unit`'s, or its record's on the roster).
Named = tuple[str, str, Sequence[str]]


def find_unit(units: Sequence[Unit], text: str) -> Unit:
    """The unit typed by id, name or alias (any width, case, traditional or simplified), else
    the one unit whose name or alias holds the text; several such is an error naming them.

    An id, name or alias typed exactly as the roster writes it is found first, then one typed
    in another width or case, both without traditional → simplified: a script's
    `weekwatch note u0003 …` neither folds 2,000 names nor loads OpenCC.
    """
    return units[find_named([(u.id, u.name, u.aliases) for u in units], text)]


def find_named(units: Sequence[Named], text: str) -> int:
    """`find_unit` over each unit's (id, name, aliases): the index of the one typed, so a
    roster read as records makes a `Unit` of that one alone (`Week.find_unit`)."""
    typed = _plain(text)
    if not typed:
        raise InputError("empty", text)
    exact = text.strip()  # as a script or a copied name has it: no folding at all
    for i, (uid, name, aliases) in enumerate(units):
        if exact == uid or exact == name or exact in aliases:
            return i
    for i, (uid, name, aliases) in enumerate(units):
        if typed in (_plain(uid), _plain(name), *(_plain(a) for a in aliases)):
            return i
    key = _fold(text)
    for i, (uid, name, aliases) in enumerate(units):
        if key in (_fold(uid), _fold(name), *(_fold(a) for a in aliases)):
            return i
    inside = [
        i
        for i, (_, name, aliases) in enumerate(units)
        if any(key in _fold(f) for f in (name, *aliases))
    ]
    if len(inside) == 1:
        return inside[0]
    if inside:
        names = tuple(units[i][1] for i in inside[:5])
        raise InputError("ambiguous", text, candidates=names)
    # 交通行指委 for 交通运输行指委, 新疆兵团 for 新疆生产建设兵团教育局: the units the search
    # finds (letters in order), offered, never taken. Only on this error: pinyin loads late.
    from .unit_search import rank

    found = rank([Unit(uid, name, tuple(aliases)) for uid, name, aliases in units], text, 3)
    raise InputError("unit", text, candidates=tuple(u.name for u in found))


def find_units(units: Sequence[Unit], text: str) -> list[Unit]:
    """Several units, separated by commas (`,`, `，`, `、`) or spaces; each as `find_unit`."""
    parts = [p for p in re.split(r"[,，、\s]+", text.strip()) if p]
    if not parts:
        raise InputError("empty", text)
    found = [find_unit(units, p) for p in parts]
    return list({u.id: u for u in found}.values())


def unit_names(units: Iterable[Unit], ids: Iterable[str]) -> list[str]:
    """The names of units by id (an id no longer on the roster stays as it is)."""
    names = {u.id: u.name for u in units}
    return [names.get(i, i) for i in ids]
