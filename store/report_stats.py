"""The week's statistics (`weekwatch report stats`): per unit, the days on time, late, missing
and excused, the counted materials by kind, the plan and summary states; a totals row; per day,
the on-time share. Pure: every state is the board's, so it agrees with `status --json`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .model import PLAN, SUMMARY, Kind, State
from .report_cells import on_time_share
from .rules import Board

#: The day states counted, in the order the table shows them.
DAY_STATES = (State.ON_TIME, State.LATE, State.MISSING, State.EXCUSED)
#: The kinds counted, in the order the table shows them.
COUNTED_KINDS = (Kind.CASE, Kind.STORY, Kind.REPORT, Kind.PHOTO, Kind.VIDEO)


@dataclass(frozen=True)
class UnitStats:
    unit: str
    name: str
    days: dict[str, int]  # by day state
    kinds: dict[str, int]  # counted day materials by kind
    plan: State
    summary: State


@dataclass(frozen=True)
class DayShare:
    day: str
    owing: int
    on_time: int
    share: float | None  # None: not judged yet, or owed by nobody


@dataclass(frozen=True)
class Stats:
    units: tuple[UnitStats, ...]
    totals: UnitStats  # unit "" : the sums; plan/summary hold no state (see totals_plan)
    plan_totals: dict[str, int]  # units by plan state
    summary_totals: dict[str, int]
    per_day: tuple[DayShare, ...]


def stats(board: Board) -> Stats:
    ev = board.event
    days = [d.isoformat() for d in ev.dates]
    counts: dict[str, Counter[str]] = {u.id: Counter() for u in board.units}
    for p in board.placed:
        for c in p.credits:
            if c.duplicate_of is None and c.cell in days and c.unit in counts:
                if p.kind in COUNTED_KINDS and p.judged_at <= board.now:
                    counts[c.unit][p.kind] += 1
    rows = []
    for u in board.units:
        st = Counter(board.cell(u.id, d).state for d in days)
        rows.append(
            UnitStats(
                u.id,
                u.name,
                {s.value: st[s] for s in DAY_STATES},
                {k.value: counts[u.id][k] for k in COUNTED_KINDS},
                board.cell(u.id, PLAN).state,
                board.cell(u.id, SUMMARY).state,
            )
        )
    totals = UnitStats(
        "",
        "",
        {s.value: sum(r.days[s.value] for r in rows) for s in DAY_STATES},
        {k.value: sum(r.kinds[k.value] for r in rows) for k in COUNTED_KINDS},
        State.NOT_REQUIRED,
        State.NOT_REQUIRED,
    )
    per_day = tuple(
        DayShare(d, board.owing(d), board.totals(d)[State.ON_TIME], on_time_share(board, d))
        for d in days
    )
    return Stats(
        tuple(rows),
        totals,
        {str(k): v for k, v in sorted(board.totals(PLAN).items())},
        {str(k): v for k, v in sorted(board.totals(SUMMARY).items())},
        per_day,
    )


def _unit_json(r: UnitStats) -> dict[str, Any]:
    return {"id": r.unit, "name": r.name, "days": r.days, "kinds": r.kinds}


def stats_json(board: Board, s: Stats) -> dict[str, Any]:
    return {
        "as_of": board.now.astimezone(board.event.tz).isoformat(),
        "units": [dict(_unit_json(r), plan=r.plan.value, summary=r.summary.value) for r in s.units],
        "totals": dict(
            _unit_json(s.totals) | {"id": None, "name": None},
            plan=s.plan_totals,
            summary=s.summary_totals,
        ),
        "per_day": [
            {"day": d.day, "owing": d.owing, "on_time": d.on_time, "share": d.share}
            for d in s.per_day
        ],
    }
