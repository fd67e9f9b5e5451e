"""weekwatch.toml: the week's dates, deadlines and optional units, read strictly (written by
`weekwatch init`: store/config_write.py).

Every problem becomes one WeekwatchError naming the file and, where it can be found, the line
and key, because the operator fixing it is in a terminal with an editor, not a debugger.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from weekwatch.store.deadlines import (
    DEFAULT_WORKDAY_END,
    deadline_at,
    parse_daily,
)

# Re-exported: every moment and time the operator types is read by the deadlines module.
from weekwatch.store.deadlines import parse_hhmm as parse_hhmm
from weekwatch.store.deadlines import parse_moment as parse_moment
from weekwatch.store.model import PLAN, SUMMARY, Event, Unit, WeekwatchError
from weekwatch.store.obligations import (
    GroupLine,
    column_tables,
    moved_deadlines,
    parse_obligations,
)
from weekwatch.store.values import replace, value

if TYPE_CHECKING:  # still importable from here (below), loaded only when first asked for
    from weekwatch.store.config_write import deadline_toml as deadline_toml
    from weekwatch.store.config_write import init_workspace as init_workspace
    from weekwatch.store.config_write import render_config as render_config
    from weekwatch.store.config_write import toml_string as toml_string

MAX_DAYS = 31
LANGS = ("zh", "en")
EVENT_KEYS = (
    "title",
    "theme",
    "start",
    "days",
    "timezone",
    "daily_deadline",
    "plan_deadline",
    "summary_deadline",
    "day_themes",
    "lang",
    "workday_end",
)

#: The summary is due this many days after the last day, at SUMMARY_TIME.
SUMMARY_AFTER_DAYS = 7
SUMMARY_TIME = dt.time(18, 0)

# Zone names are file paths inside the tz database; only plain Area/City names may pass, so a
# config can never make zoneinfo open '../../etc/passwd' or an absolute path.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*")


@value
class Config:
    """A loaded weekwatch.toml. The event's plan and summary deadlines are always filled in."""

    event: Event
    units: tuple[Unit, ...]
    path: Path
    groups: tuple[GroupLine, ...] = ()  # the [groups] entries and their lines, for warnings


class ConfigError(WeekwatchError):
    """A bad value of one key, with the key and the problem alone (`init` names its flag)."""

    def __init__(
        self,
        message: str,
        key: str | None = None,
        problem: str = "",
        tag: str = "",
        **fields: object,
    ) -> None:
        super().__init__(message, tag=tag, **fields)
        self.key = key
        self.problem = problem


class _Problem(WeekwatchError):
    """A bad value found while checking one key; the caller adds the file, line and key."""


#: A value's type as a message names it, in English and in Chinese.
_TYPE_NAMES: dict[type, tuple[str, str]] = {
    str: ("a string", "字符串"),
    int: ("a number", "数字"),
    float: ("a number", "数字"),
    bool: ("true/false", "true/false"),
    list: ("a list", "列表"),
    dict: ("a table", "表"),
    dt.datetime: ("a date-time", "日期时间"),
    dt.date: ("a date", "日期"),
    dt.time: ("a time", "时间"),
}


# ---------------------------------------------------------------------------- parsing helpers


def parse_column(text: str, event: Event, now: dt.datetime | None = None) -> str:
    """A column the operator typed, as `store/vocab.py` reads it (plan/方案, 05-14, 3, today…)."""
    from weekwatch.store.vocab import parse_cell  # vocab reads moments through deadlines

    return parse_cell(text, event, now)


#: Files of the tz database that are not a place's time: "Factory" has no offset anyone
#: keeps, "localtime" and "posixrules" are whatever zone the machine happens to be set to.
_NOT_ZONES = frozenset({"factory", "localtime", "posixrules"})

#: The years a week, a deadline or an as-of moment may fall in: far past any activity week,
#: and far enough from the calendar's ends (year 1 and 9999) that no shift by a time zone
#: or a few weeks overflows.
FIRST_YEAR, LAST_YEAR = 1900, 9000


def check_year(moment: dt.date, what: str) -> None:
    """Refuse a date outside FIRST_YEAR–LAST_YEAR, saying what it was."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise WeekwatchError(
            f"{what} is in the year {moment.year}; weekwatch keeps weeks between "
            f"{FIRST_YEAR} and {LAST_YEAR}",
            tag="year",
            what=what,
            year=moment.year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )


def parse_zone(name: str) -> ZoneInfo:
    """A time zone by its tz database name (Asia/Shanghai), refusing anything path-like."""
    if not _ZONE_NAME.fullmatch(name) or ".." in name:
        raise WeekwatchError(
            f"'{name}' is not a time zone name; use one like Asia/Shanghai",
            tag="zone_name",
            name=name,
        )
    if name.lower() in _NOT_ZONES:
        raise WeekwatchError(
            f"'{name}' is not a place's time zone (it depends on the machine, or on nothing); "
            "name the week's zone, like Asia/Shanghai",
            tag="zone_machine",
            name=name,
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:
        raise WeekwatchError(
            f"unknown time zone '{name}'; use one like Asia/Shanghai", tag="zone_unknown", name=name
        ) from e


# ---------------------------------------------------------------------------- loading


def load_config(path: Path) -> Config:
    """Read and check weekwatch.toml; raise one WeekwatchError for the first problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise WeekwatchError(f"{path}: no such file") from e
    except OSError as e:
        raise WeekwatchError(f"{path}: cannot read ({e.strerror})") from e
    try:
        # Notepad on Windows saves UTF-8 with a BOM, which tomllib would reject as bad TOML.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise WeekwatchError(
            f"{path}, line {line}: not UTF-8 text; save the file as UTF-8",
            tag="not_utf8",
            path=path,
            line=line,
        ) from e
    return _parse(text, path)


def _parse(text: str, path: Path) -> Config:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # The message already says "(at line L, column C)".
        raise WeekwatchError(
            f"{path}: not valid TOML: {e}", tag="not_toml", path=path, **_toml_detail(str(e))
        ) from e
    except RecursionError:  # arrays in arrays in arrays… past the parser's depth
        raise WeekwatchError(
            f"{path}: not valid TOML: nested too deeply",
            tag="not_toml",
            path=path,
            detail="nested too deeply",
            at="",
            at_zh="",
        ) from None
    where = _Locator(path, text)
    table = doc.get("event")
    if table is None:
        raise WeekwatchError(
            f"{path}: no [event] table; it needs at least a title and a start",
            tag="no_event",
            path=path,
        )
    if not isinstance(table, dict):
        raise where.error(
            "event",
            None,
            _Problem("must be a table: [event] on a line of its own", tag="event_not_table"),
        )
    columns = column_tables(doc.get("columns"), where)
    event = _event(table, where, moved_deadlines(columns))
    obligations, groups = parse_obligations(columns, doc.get("groups"), event, where)
    event = replace(event, obligations=obligations)
    units = _units(doc.get("units"), where)
    return Config(event=event, units=units, path=path, groups=groups)


_TOML_AT = (
    r"(?P<detail>.*?)\s*\((?:at line (?P<line>\d+), column (?P<col>\d+)|at end of document)\)"
)


def _toml_detail(message: str) -> dict[str, str]:
    """tomllib's message parted: what is wrong, and where (` (at line 3, column 9)`)."""
    m = re.fullmatch(_TOML_AT, message)
    if m is None:
        return {"detail": message, "at": "", "at_zh": ""}
    at = message[len(m["detail"]) :]
    where = f"第 {m['line']} 行第 {m['col']} 列" if m["line"] else "文件末尾"
    return {"detail": m["detail"], "at": at, "at_zh": f"（{where}）"}


@functools.cache
def _headers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`[[array]]` and `[table]` header lines (compiled when a message needs a line number)."""
    return (
        re.compile(r"\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(#.*)?"),
        re.compile(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?"),
    )


class _Locator:
    """Finds the line of a key in the TOML text, so messages can say where to look.

    tomllib keeps no positions, so this scans the text for table headers and `key =` lines. It
    is a best effort: keys it cannot find (inline tables, dotted keys) get no line number.
    """

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line(self, table: str, index: int | None, key: str | None) -> int | None:
        """The line of `key` in the table (the index-th [[table]]), or of the table itself."""
        current: tuple[str, int | None] | None = None  # None: the top level, before any header
        seen = -1
        # Without a key, look for the table's header, or for `table = ...` at the top level.
        wanted = key if key is not None else table
        key_re = re.compile(rf"\s*[\"']?{re.escape(wanted)}[\"']?\s*=")
        array, table_re = _headers()
        for n, line in enumerate(self.lines, start=1):
            if m := array.fullmatch(line):
                seen += m[1] == table
                current = (m[1], seen if m[1] == table else None)
                if key is None and current == (table, index):
                    return n
            elif m := table_re.fullmatch(line):
                current = (m[1], None)
                if key is None and current == (table, index):
                    return n
            elif key_re.match(line):
                if (key is not None and current == (table, index)) or (
                    key is None and current is None
                ):
                    return n
        return None

    def error(
        self, table: str, key: str | None, problem: str | Exception, index: int | None = None
    ) -> ConfigError:
        """The problem (a tagged error is said in the operator's language too) at its line."""
        line = self.line(table, index, key) or (self.line(table, index, None) if key else None)
        at = f"{self.path}, line {line}" if line else str(self.path)
        name = f"[[{table}]] #{index + 1}" if index is not None else f"[{table}]"
        text = str(problem)
        return ConfigError(
            f"{at}: {name} {key}: {text}" if key else f"{at}: {name} {text}",
            key=key if index is None else None,
            problem=text,
            tag="config_key" if key else "config_table",
            at=at,
            at_zh=f"{self.path} 第 {line} 行" if line else str(self.path),
            name=name,
            what=key or "",
            why=problem,
        )


def _check_keys(
    table: dict[str, Any],
    known: tuple[str, ...],
    name: str,
    where: _Locator,
    index: int | None = None,
) -> None:
    # A misspelt key would otherwise be ignored and its default used without a word.
    for key in table:
        if key not in known:
            import difflib  # only for a misspelt key: every command reads this file

            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problem = _Problem(
                f"unknown key{hint}; known keys: {', '.join(known)}",
                tag="unknown_key",
                hint=hint,
                hint_zh=f"（是不是“{close[0]}”？）" if close else "",
                known=", ".join(known),
            )
            raise where.error(name, key, problem, index)


def _event(
    table: dict[str, Any], where: _Locator, moved: dict[str, tuple[str, Any]] | None = None
) -> Event:
    """The [event] table; `moved` holds deadlines written as [columns.*] deadline instead."""
    _check_keys(table, EVENT_KEYS, "event", where)
    moved = moved or {}
    for key, (name, _) in moved.items():
        if key in table:
            problem = _Problem(
                f"is set twice: here and as [event] {key}; keep one of them",
                tag="set_twice",
                event_key=key,
            )
            raise where.error(name, "deadline", problem)

    def source(key: str) -> tuple[str, str]:
        """Where a key's value is written: the table and the key, for messages."""
        return (moved[key][0], "deadline") if key in moved else ("event", key)

    def get(key: str, check: Callable[[Any], Any], default: Any = None) -> Any:
        if key in moved:
            value = moved[key][1]
        elif key in table:
            value = table[key]
        else:
            return default
        try:
            return check(value)
        except WeekwatchError as e:
            raise where.error(*source(key), e) from e

    for required in ("title", "start"):
        if required not in table:
            raise WeekwatchError(
                f"{where.path}: [event] has no '{required}'",
                tag="no_required",
                path=where.path,
                required=required,
            )
    title = get("title", _nonblank)
    start = get("start", _date)
    days = get("days", _days, 7)
    timezone = get("timezone", _zone_name, "Asia/Shanghai")
    workday_end = get("workday_end", _workday_end, DEFAULT_WORKDAY_END)
    daily = get("daily_deadline", lambda v: parse_daily(v, workday_end), parse_daily("12:00"))
    not_owed = {"days"} if daily is None else set()
    daily_time = dt.time(12, 0) if daily is None else daily.time
    event = Event(
        title=title,
        start=start,
        days=days,
        timezone=timezone,
        daily_deadline=daily_time,
        daily_after_days=0 if daily is None else daily.after_days,
        workday_end=workday_end,
    )
    last_begins = event.at(event.end, dt.time(0, 0))

    def deadline(key: str, default: dt.datetime) -> dt.datetime | None:
        return get(key, lambda v: deadline_at(v, event), default)  # type: ignore[no-any-return]

    # A plan may be due any time: notices ask for it days before the week (seed 003: by 7 Nov
    # for a week of 8–14 Nov), and the plan column is open from the workspace's creation.
    plan = deadline("plan_deadline", event.at(start, daily_time))
    summary = deadline(
        "summary_deadline",
        event.at(event.end + dt.timedelta(days=SUMMARY_AFTER_DAYS), SUMMARY_TIME),
    )
    if summary is not None and summary < last_begins:
        problem = _Problem(
            f"{summary:%Y-%m-%d %H:%M} is before the last day of the week begins "
            f"({last_begins:%Y-%m-%d %H:%M}); check the date",
            tag="summary_early",
            summary=f"{summary:%Y-%m-%d %H:%M}",
            begins=f"{last_begins:%Y-%m-%d %H:%M}",
        )
        raise where.error(*source("summary_deadline"), problem)
    # A column nobody owes keeps its default deadline, so the code that sorts and counts
    # deadlines needs no special case; the rules never judge it.
    if plan is None:
        not_owed.add(PLAN)
        plan = event.at(start, daily_time)
    if summary is None:
        not_owed.add(SUMMARY)
        summary = event.at(event.end + dt.timedelta(days=SUMMARY_AFTER_DAYS), SUMMARY_TIME)
    return replace(
        event,
        plan_deadline=plan,
        summary_deadline=summary,
        theme=get("theme", _text, ""),
        day_themes=get("day_themes", lambda v: _day_themes(v, days), ()),
        lang=get("lang", _lang, ""),
        not_owed=frozenset(not_owed),
    )


def _units(value: Any, where: _Locator) -> tuple[Unit, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(u, dict) for u in value):
        problem = _Problem("must be tables written as [[units]]", tag="units_not_tables")
        raise where.error("units", None, problem)
    units: list[Unit] = []
    locations: list[str] = []
    for i, table in enumerate(value):
        units.append(_unit(table, i, where))
        line = where.line("units", i, None)
        locations.append(f"line {line}" if line else f"[[units]] #{i + 1}")
    from weekwatch.store.roster import validate_units

    validate_units(units, str(where.path), locations)
    return tuple(units)


def _unit(table: dict[str, Any], index: int, where: _Locator) -> Unit:
    from weekwatch.store.roster import FIELDS

    _check_keys(table, FIELDS, "units", where, index)

    def get(key: str, check: Callable[[Any], Any], default: Any = "") -> Any:
        if key not in table:
            return default  # a missing id or name is reported by validate_units, with its line
        try:
            return check(table[key])
        except _Problem as e:
            raise where.error("units", key, e, index) from e

    return Unit(
        id=get("id", _id_text),
        name=get("name", _text),
        aliases=get("aliases", _aliases, ()),
        type=get("type", _text),
        region=get("region", _text),
        liaison_name=get("liaison_name", _text),
        liaison_phone=get("liaison_phone", _id_text),
        liaison_email=get("liaison_email", _text),
    )


# ---------------------------------------------------------------------------- value checks
# Each takes the raw TOML value and returns the checked one or raises _Problem / WeekwatchError
# with the problem alone; the caller puts the file, line and key in front.


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), (type(value).__name__,))[0]


def _type_zh(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), ("", type(value).__name__))[1]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Problem(
            f"must be a string in quotes, not {_type_name(value)}",
            tag="must_string",
            type=_type_name(value),
            type_zh=_type_zh(value),
        )
    return value.strip()


def _nonblank(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _Problem("must not be empty", tag="must_nonempty")
    return text


def _id_text(value: Any) -> str:
    # Ids and phone numbers are often typed unquoted (id = 3, phone = 13812345678).
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Problem("must be a date without a time, like 2024-05-12", tag="date_no_time")
    if isinstance(value, dt.date):
        check_year(value, str(value))
        return value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            check_year(day, value.strip())
            return day
    raise _Problem(
        f"must be a date like 2024-05-12, not {value!r}", tag="must_date", value=repr(value)
    )


def _days(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Problem(
            f"must be a whole number, not {_type_name(value)}",
            tag="must_whole",
            type=_type_name(value),
            type_zh=_type_zh(value),
        )
    if not 1 <= value <= MAX_DAYS:
        raise _Problem(
            f"must be between 1 and {MAX_DAYS}, not {value}",
            tag="days_range",
            most=MAX_DAYS,
            value=value,
        )
    return value


def _zone_name(value: Any) -> str:
    name = _nonblank(value)
    parse_zone(name)
    return name


def _workday_end(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        return parse_hhmm(value)
    raise _Problem(
        f'must be a time like "12:00", not {_type_name(value)}',
        tag="must_time",
        type=_type_name(value),
        type_zh=_type_zh(value),
    )


def _day_themes(value: Any, days: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Problem('must be a list of strings, like ["学校日", "学生日"]', tag="themes_list")
    if len(value) > days:
        raise _Problem(
            f"has {len(value)} entries but the week has {days} days",
            tag="themes_count",
            n=len(value),
            days=days,
        )
    return tuple(v.strip() for v in value)


def _lang(value: Any) -> str:
    lang = _text(value).lower()
    if lang and lang not in LANGS:
        raise _Problem(
            f"unknown language '{value}'; use one of {', '.join(LANGS)}",
            tag="unknown_lang",
            value=value,
            langs=", ".join(LANGS),
        )
    return lang


def _aliases(value: Any) -> tuple[str, ...]:
    from weekwatch.store.roster import split_aliases

    if isinstance(value, str):
        return split_aliases(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return split_aliases("|".join(value))
    raise _Problem(
        'must be a list of strings (["平职院", "平职"]) or one string ("平职院；平职")',
        tag="aliases_list",
    )


#: What store/config_write.py holds, importable from here as it was before the two parted.
_WRITING = frozenset({"deadline_toml", "init_workspace", "render_config", "toml_string"})


def __getattr__(name: str) -> Any:
    # Reading weekwatch.toml (every command) need not load what writes it (`weekwatch init`).
    if name in _WRITING:
        from weekwatch.store import config_write

        return getattr(config_write, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
