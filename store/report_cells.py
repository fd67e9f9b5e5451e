"""What every report asks of a judged board: the current column, a cell's completion time and
lateness, the on-time share of a column. Pure; the states themselves come from `rules`."""

from __future__ import annotations

import datetime as dt

from .model import ANY, PLAN, SUMMARY, Event, State
from .rules import Board, requires

#: States a report counts as "sent": the cell is complete.
SENT = frozenset({State.ON_TIME, State.LATE})


def current_column(board: Board) -> str:
    """The column the board's moment falls in: the plan before the week, the summary after."""
    return column_at(board.event, board.now)


def column_at(ev: Event, now: dt.datetime) -> str:
    """The column `now` falls in: the plan before the week, the day's own during it (whatever
    its deadline: under `+1d 12:00` too), the summary after it."""
    day = ev.day_of(now)
    if day < ev.start:
        return PLAN
    if day > ev.end:
        return SUMMARY
    return day.isoformat()


def completed_at(board: Board, unit: str, column: str) -> dt.datetime | None:
    """When a complete cell became complete: its first counted material, or under `requires`
    the first arrival of the last required kind to arrive. None while it is not complete."""
    if board.cell(unit, column).state not in SENT:
        return None
    firsts: dict[str, dt.datetime] = {}
    every: list[dt.datetime] = []
    for p in board.materials_of(unit, column):
        if not any(
            c.unit == unit and c.cell == column and c.duplicate_of is None for c in p.credits
        ):
            continue
        t = p.judged_at
        if t > board.now:
            continue
        every.append(t)
        if p.kind not in firsts or t < firsts[p.kind]:
            firsts[p.kind] = t
    need = [k for k in requires(board.event, column) if k != ANY]
    if need:
        times = [firsts[k] for k in need if k in firsts]
        return max(times) if times else None
    return min(every) if every else None


def lateness(board: Board, unit: str, column: str, due: dt.datetime) -> dt.timedelta | None:
    """How late a late cell was completed (None unless the cell is late)."""
    if board.cell(unit, column).state != State.LATE:
        return None
    done = completed_at(board, unit, column)
    return done - due if done is not None else None


def on_time_share(board: Board, column: str) -> float | None:
    """On-time units over the units owing the column; None while the column has not closed
    for anyone (nothing missing, late or on time yet) or when nobody owes it."""
    owing = board.owing(column)
    t = board.totals(column)
    judged = t[State.ON_TIME] + t[State.LATE] + t[State.MISSING] + t[State.EXCUSED]
    if not owing or not judged:
        return None
    return t[State.ON_TIME] / owing


def minutes(delta: dt.timedelta | None) -> int | None:
    """A lateness in whole minutes, rounded up (a second late is a minute late)."""
    if delta is None:
        return None
    return -(-int(delta.total_seconds()) // 60)
