"""What each unit owes, as weekwatch.toml says it: [columns.plan|days|summary] and [groups].

Read strictly, like the rest of the config: every problem is one message naming the file, the
line and the key. The judging itself lives in the rules module (`rules.owes`, `cell_state`);
this only turns the operator's words into an `Obligations` value.

    [columns.plan]
    requires = ["plan", "info_form"]      # both must arrive; "any" (the default): one file
    [columns.days]
    days = "weekdays"                     # "all" (default), "weekdays", or [2024-05-13, ...]
    [columns.summary]
    requires = ["summary", "statistics"]
    [groups]
    "junior-school" = ["summary"]         # a roster type → the columns it owes ("days": all)
    "*" = ["plan", "days", "summary"]     # what every type not listed owes (default: all)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .model import (
    ANY,
    COLUMN_GROUPS,
    DAY_KINDS,
    KINDS,
    PLAN_KINDS,
    SUMMARY_KINDS,
    Event,
    Obligations,
    Unit,
    WeekwatchError,
)
from .values import value


def type_key(unit_type: str) -> str:
    """A roster type as [groups] matches it: case and surrounding blanks do not matter."""
    return unit_type.strip().casefold()


#: The keys each [columns.*] table may hold. `deadline` is read with the [event] deadlines.
COLUMN_KEYS = {
    "plan": ("requires", "deadline"),
    "days": ("requires", "deadline", "days"),
    "summary": ("requires", "deadline"),
}
#: The kinds that can land in each group's cells.
GROUP_KINDS = {"plan": PLAN_KINDS, "days": DAY_KINDS, "summary": SUMMARY_KINDS}
#: [groups] key for "every type not listed".
OTHERS = "*"
#: Where a [columns.*] deadline goes among the event's deadlines.
DEADLINE_KEYS = {
    "plan": "plan_deadline",
    "days": "daily_deadline",
    "summary": "summary_deadline",
}


class Locator(Protocol):
    """What the config loader offers for messages: the line of a key, an error naming it."""

    path: Path

    def line(self, table: str, index: int | None, key: str | None) -> int | None: ...

    def error(
        self, table: str, key: str | None, problem: str, index: int | None = None
    ) -> WeekwatchError: ...


@value
class GroupLine:
    """A [groups] entry and where it is written, for the warning about types nobody has."""

    type: str
    where: str  # "path, line N"


def column_tables(columns: Any, where: Locator) -> dict[str, dict[str, Any]]:
    """The [columns.*] tables, checked for shape and key names (values are checked later)."""
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise where.error("columns", None, "must be tables: [columns.plan], [columns.days] …")
    out: dict[str, dict[str, Any]] = {}
    for name, table in columns.items():
        if name not in COLUMN_KEYS:
            raise where.error(
                f"columns.{name}",
                None,
                f"is not a column{_hint(name, COLUMN_GROUPS)}; "
                f"the columns are {', '.join(COLUMN_GROUPS)}",
            )
        if not isinstance(table, dict):
            raise where.error(f"columns.{name}", None, f"must be a table: [columns.{name}]")
        known = COLUMN_KEYS[name]
        for key in table:
            if key not in known:
                raise where.error(
                    f"columns.{name}",
                    key,
                    f"unknown key{_hint(key, known)}; known keys: {', '.join(known)}",
                )
        out[name] = table
    return out


def moved_deadlines(tables: dict[str, dict[str, Any]]) -> dict[str, tuple[str, Any]]:
    """The [columns.*] deadlines, by the [event] key they stand for: (table, raw value)."""
    return {
        DEADLINE_KEYS[name]: (f"columns.{name}", t["deadline"])
        for name, t in tables.items()
        if "deadline" in t
    }


def parse_obligations(
    tables: dict[str, dict[str, Any]], groups: Any, event: Event, where: Locator
) -> tuple[Obligations, tuple[GroupLine, ...]]:
    """The Obligations the [columns.*] tables and [groups] describe, and where each group is."""
    req: dict[str, tuple[str, ...]] = {}
    for name in COLUMN_GROUPS:
        table = tables.get(name, {})
        req[name] = _requires(table["requires"], name, where) if "requires" in table else ()
    days = _days(tables["days"]["days"], event, where) if "days" in tables.get("days", {}) else None
    listed, others, lines = _groups(groups, event, where)
    ob = Obligations(
        plan_requires=req["plan"],
        days_requires=req["days"],
        summary_requires=req["summary"],
        days=days,
        groups=listed,
        others=others,
    )
    return ob, lines


def unused_groups(lines: Sequence[GroupLine], units: Sequence[Unit]) -> list[str]:
    """Warnings for [groups] types no unit on the roster has (a typo owes everything)."""
    if not units:
        return []  # before the roster is imported every type is unused: nothing to say yet
    have = {type_key(u.type) for u in units if u.type}
    known = sorted({u.type.strip() for u in units if u.type})
    out = []
    for g in lines:
        if type_key(g.type) not in have:
            hint = _hint(g.type, known)
            types = ", ".join(known) if known else "none: the roster has no type column"
            out.append(
                f"{g.where}: [groups] {g.type!r}: no unit on the roster has this type{hint}, "
                f"so this line changes nothing; the roster's types: {types}"
            )
    return out


# ---------------------------------------------------------------------------- value checks


def _hint(word: str, known: Sequence[str]) -> str:
    import difflib  # only for a misspelt word: every command reads weekwatch.toml

    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _requires(value: Any, name: str, where: Locator) -> tuple[str, ...]:
    table = f"columns.{name}"
    allowed = GROUP_KINDS[name]
    ordered = [k for k in KINDS if k in allowed]
    if isinstance(value, str) and value.strip().lower() == ANY:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise where.error(
            table,
            "requires",
            f'must be "any" or a list of kinds like {_example(ordered)}; '
            f"the {name} kinds are {', '.join(ordered)}",
        )
    if not value:
        raise where.error(table, "requires", 'is empty; write "any" or name the kinds')
    kinds: list[str] = []
    for raw in value:
        kind = raw.strip()
        if kind not in KINDS:
            raise where.error(
                table,
                "requires",
                f"unknown kind {raw!r}{_hint(kind, KINDS)}; the {name} kinds are "
                f"{', '.join(ordered)}",
            )
        if kind not in allowed:
            raise where.error(
                table,
                "requires",
                f"a {kind!r} never lands in the {name} column, so it could never be complete; "
                f"the {name} kinds are {', '.join(ordered)}",
            )
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def _example(kinds: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{k}"' for k in kinds[:2]) + "]"


def _days(value: Any, event: Event, where: Locator) -> tuple[dt.date, ...] | None:
    if isinstance(value, str) and value.strip().lower() == "all":
        return None
    if isinstance(value, str) and value.strip().lower() == "weekdays":
        return tuple(d for d in event.dates if d.weekday() < 5)
    if not isinstance(value, list):
        raise where.error(
            "columns.days",
            "days",
            f'must be "all", "weekdays" or a list of dates like [{event.start.isoformat()}]',
        )
    days: list[dt.date] = []
    for raw in value:
        day = _a_date(raw)
        if day is None:
            raise where.error(
                "columns.days", "days", f"{raw!r} is not a date; write it like {event.start}"
            )
        if day not in event.dates:
            raise where.error(
                "columns.days",
                "days",
                f"{day} is not a day of the week ({event.start} to {event.end})",
            )
        if day not in days:
            days.append(day)
    return tuple(sorted(days))


def _a_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return None
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


def _groups(
    value: Any, event: Event, where: Locator
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...] | None, tuple[GroupLine, ...]]:
    if value is None:
        return (), None, ()
    if not isinstance(value, dict):
        raise where.error("groups", None, 'must be a table: [groups] with "type" = [columns]')
    listed: dict[str, tuple[str, ...]] = {}
    others: tuple[str, ...] | None = None
    lines: list[GroupLine] = []
    for raw_type, cols in value.items():
        unit_type = raw_type.strip()
        if not unit_type:
            raise where.error("groups", raw_type, "a roster type must not be blank")
        owed = _owed_columns(cols, raw_type, event, where)
        if unit_type == OTHERS:
            others = owed
            continue
        key = type_key(unit_type)
        if key in listed:
            raise where.error("groups", raw_type, "is listed twice (case does not count)")
        listed[key] = owed
        line = where.line("groups", None, raw_type)
        lines.append(
            GroupLine(unit_type, f"{where.path}, line {line}" if line else str(where.path))
        )
    return tuple(sorted(listed.items())), others, tuple(lines)


def _owed_columns(value: Any, raw_type: str, event: Event, where: Locator) -> tuple[str, ...]:
    dates = [d.isoformat() for d in event.dates]
    if not isinstance(value, list) or not all(isinstance(v, str | dt.date) for v in value):
        raise where.error(
            "groups",
            raw_type,
            'must be a list of columns, like ["summary"] or ["plan", "days", "summary"]',
        )
    owed: list[str] = []
    for raw in value:
        col = raw.isoformat() if isinstance(raw, dt.date) else raw.strip().lower()
        if col not in COLUMN_GROUPS and col not in dates:
            raise where.error(
                "groups",
                raw_type,
                f"unknown column {raw!r}{_hint(col, COLUMN_GROUPS)}; use plan, days "
                f"(every day), summary, or a date of the week ({dates[0]} to {dates[-1]})",
            )
        if col not in owed:
            owed.append(col)
    return tuple(owed)


def example_lines(start: dt.date, days: int) -> list[str]:
    """The commented [columns.*] and [groups] that `weekwatch init` writes: seed 002's notice
    as the example, with this week's dates."""
    second = (start + dt.timedelta(days=min(1, days - 1))).isoformat()
    after = (start + dt.timedelta(days=days)).isoformat()
    return [
        "# What each unit owes. Without these tables every unit owes every column and one file",
        "# of any kind completes a cell. A college's notice, for example: 方案与信息采集表 by noon",
        "# of day 1, something every day, 《情况统计表》和总结 the day after the week:",
        "# [columns.plan]",
        '# requires = ["plan", "info_form"]    # all must arrive; "any" (default): one file',
        "# [columns.days]",
        '# requires = "any"    # or some of "case", "story", "report", "photo", "video"',
        f'# days = "all"    # or "weekdays", or the owed dates: [{start.isoformat()}, {second}]',
        "# [columns.summary]",
        '# requires = ["summary", "statistics"]',
        f'# deadline = "{after} 下班前"    # instead of summary_deadline above; workday_end',
        "#",
        '# Which roster types owe which columns ("days": every day); a type not listed owes all.',
        "# [groups]",
        '# "junior-school" = ["summary"]',
        '# "dev-zone-bureau" = ["plan", "summary"]',
        '# "*" = ["plan", "days", "summary"]    # what every type not listed owes',
    ]
