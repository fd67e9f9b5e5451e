"""The cell rules: deadlines, lateness, duplicates and the state of every cell.

This is the one place a state is decided. The grid, `status`, `materials --json` and every
report call it; nothing else re-derives a state. Pure: a function of (event, materials,
ledger, time).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .ledger import Ledger
from .model import PLAN, PLAN_KINDS, SUMMARY, SUMMARY_KINDS, Event, Material, Unit


@dataclass(frozen=True)
class CellState:
    state: str  # one of model.STATES
    count: int = 0  # counted materials (arrived by the moment, not duplicates)


@dataclass(frozen=True)
class Placed:
    """A material as it counts: the reading, overridden by any assignment, judged."""

    material: Material
    unit: str | None
    cell: str | None
    kind: str
    quarantine: str | None
    late: bool
    duplicate_of: str | None  # path of the earlier copy, if this one is a duplicate

    @property
    def counted(self) -> bool:
        """Whether this material counts toward its cell."""
        m = self.material
        return (
            self.quarantine is None
            and self.duplicate_of is None
            and not m.superseded
            and self.unit is not None
            and self.cell is not None
        )


def cell_for_kind(kind: str, cell: str | None) -> str | None:
    """Plan-like kinds live in the plan column, summary-like kinds in the summary column."""
    if kind in PLAN_KINDS:
        return PLAN
    if kind in SUMMARY_KINDS:
        return SUMMARY
    return cell


def deadline(event: Event, column: str, extension: dt.datetime | None = None) -> dt.datetime:
    """When a column's materials are due; an operator's extension replaces it."""
    if extension is not None:
        return extension
    return _deadline(event, column)


@functools.lru_cache(maxsize=256)
def _deadline(event: Event, column: str) -> dt.datetime:
    # Judged for every cell of every board: thousands of times per second on a big roster.
    if column == PLAN:
        assert event.plan_deadline is not None
        return event.plan_deadline
    if column == SUMMARY:
        assert event.summary_deadline is not None
        return event.summary_deadline
    return event.at(dt.date.fromisoformat(column), event.daily_deadline)


@functools.lru_cache(maxsize=256)
def opens(event: Event, column: str) -> dt.datetime | None:
    """When a column stops being `future` (the plan column never is)."""
    if column == PLAN:
        return None
    if column == SUMMARY:
        return event.at(event.end, dt.time())
    return event.at(dt.date.fromisoformat(column), dt.time())


def cell_state(
    event: Event,
    column: str,
    arrivals: Iterable[dt.datetime],
    now: dt.datetime,
    *,
    excused: bool = False,
    extension: dt.datetime | None = None,
) -> CellState:
    """The state of one cell at `now`, from the arrival times of its counted materials."""
    due = deadline(event, column, extension)
    arrived = [a for a in arrivals if a <= now]
    if excused:
        return CellState("excused", len(arrived))
    if arrived:
        return CellState("on_time" if min(arrived) <= due else "late", len(arrived))
    if now > due:
        return CellState("missing")
    start = opens(event, column)
    if start is not None and now < start:
        return CellState("future")
    return CellState("due")


def place(
    event: Event,
    materials: Iterable[Material],
    ledger: Ledger,
    as_of: dt.datetime | None = None,
) -> list[Placed]:
    """Every material known at `as_of` (default: all), placed and judged, oldest first.

    Assignments override the reading; duplicates are found per unit by content, the
    earliest copy (ties broken by path) being the original.
    """
    mats = sorted(
        (m for m in materials if as_of is None or m.received_at <= as_of),
        key=lambda m: (m.received_at, m.path),
    )
    originals: dict[tuple[str, str], str] = {}
    placed: list[Placed] = []
    for m in mats:
        unit, cell, kind, quarantine = m.unit, m.cell, m.kind, m.quarantine
        assigned = None if m.superseded else ledger.assignments.get(m.path)
        if assigned is not None:
            d = assigned.data
            unit, kind = assigned.unit, d.get("kind") or kind
            cell = assigned.cell or cell_for_kind(kind, cell)
            quarantine = None
        duplicate_of = None
        if quarantine is None and unit is not None and not m.superseded:
            first = originals.setdefault((unit, m.sha256), m.path)
            duplicate_of = None if first == m.path else first
        late = False
        if quarantine is None and unit is not None and cell is not None:
            late = m.received_at > deadline(event, cell, ledger.extensions.get((unit, cell)))
        placed.append(Placed(m, unit, cell, kind, quarantine, late, duplicate_of))
    return placed


@dataclass(frozen=True)
class Board:
    """Every cell of the grid at one moment, and the placed materials behind it."""

    event: Event
    units: tuple[Unit, ...]
    now: dt.datetime
    cells: dict[tuple[str, str], CellState]
    placed: tuple[Placed, ...]

    def cell(self, unit: str, column: str) -> CellState:
        return self.cells[(unit, column)]

    def materials_of(self, unit: str, column: str) -> list[Placed]:
        return [
            p for p in self.placed if p.unit == unit and p.cell == column and p.quarantine is None
        ]

    @property
    def quarantined(self) -> list[Placed]:
        return [p for p in self.placed if p.quarantine is not None and not p.material.superseded]

    def totals(self, column: str) -> Counter[str]:
        """How many units stand in each state in one column."""
        return Counter(self.cells[(u.id, column)].state for u in self.units)


def board(
    event: Event,
    units: Sequence[Unit],
    materials: Iterable[Material],
    ledger: Ledger,
    now: dt.datetime,
) -> Board:
    """Judge every cell at `now`: only materials arrived by then count."""
    placed = place(event, materials, ledger, as_of=now)
    arrivals: dict[tuple[str, str], list[dt.datetime]] = {}
    for p in placed:
        if p.counted:
            arrivals.setdefault((p.unit, p.cell), []).append(p.material.received_at)  # type: ignore[arg-type]
    cells = {
        (u.id, col): cell_state(
            event,
            col,
            arrivals.get((u.id, col), ()),
            now,
            excused=(u.id, col) in ledger.excuses,
            extension=ledger.extensions.get((u.id, col)),
        )
        for u in units
        for col in event.columns
    }
    return Board(event, tuple(units), now, cells, tuple(placed))
