"""The cell rules: deadlines, lateness, duplicates, what each unit owes, and every cell's state.

This is the one place a state is decided. The grid, `status`, `materials --json` and every
report call it; nothing else re-derives a state. Pure: a function of (event, materials,
ledger, time).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from .ledger import Ledger, assigned_cells, assigned_received, assigned_units
from .model import (
    ANY,
    PLAN,
    PLAN_KINDS,
    SUMMARY,
    SUMMARY_KINDS,
    Action,
    Event,
    Material,
    State,
    Unit,
)
from .obligations import type_key as type_key  # [groups] matching, read by obligations
from .reasons import Quarantine


@dataclass(frozen=True)
class CellState:
    state: State
    count: int = 0  # counted materials (arrived by the moment, not duplicates)
    # The required kinds not arrived by the moment, in `requires` order; under "any", ("any",)
    # while nothing has arrived. Empty when complete and for a cell that is not owed.
    lacking: tuple[str, ...] = ()
    need: int = 0  # how many kinds the cell requires; 0 under "any"

    @property
    def have(self) -> int:
        """How many of the required kinds have arrived (the `1` of `1/2`)."""
        return self.need - len(self.lacking)

    @property
    def partial(self) -> bool:
        """Some but not all of several required kinds have arrived: a half-sent cell."""
        return 0 < self.have < self.need


class Credit(NamedTuple):
    """One (unit, cell) a material counts toward: a joint file or a two-day file has several.

    A named tuple, not a dataclass: a board makes one per file, tens of thousands a judging."""

    unit: str
    cell: str
    late: bool
    duplicate_of: str | None  # path of the unit's earlier copy, if this one is a duplicate


class Placed(NamedTuple):
    """A material as it counts: the reading, overridden by any assignment, judged.

    Immutable like a frozen dataclass, but a named tuple: every board makes one per file, and
    a frozen dataclass of this many fields costs three times as much to build.
    """

    material: Material
    unit: str | None
    cell: str | None
    kind: str
    quarantine: Quarantine | None
    late: bool
    duplicate_of: str | None  # path of the earlier copy, if this one is a duplicate
    # The moment its cells are judged by: the first version's arrival (a file rewritten in
    # place keeps the credit it earned), or the arrival time an operator gave it.
    arrived: dt.datetime | None = None
    credits: tuple[Credit, ...] = ()
    superseded: bool = False  # a version replaced by a later one at the moment judged
    dismissed: str | None = None  # the operator's reason: not a material at all
    assigned: bool = False  # placed by an operator, not by the reading rules
    versions: tuple[Material, ...] = ()  # every version of its path by then, if several

    @property
    def history(self) -> tuple[Material, ...]:
        """Every version of its path by then, oldest first (just itself, for most files)."""
        return self.versions or (self.material,)

    @property
    def counted(self) -> bool:
        """Whether this material counts toward any cell."""
        return any(c.duplicate_of is None for c in self.credits)

    @property
    def judged_at(self) -> dt.datetime:
        return self.arrived or self.material.received_at

    @property
    def waiting(self) -> bool:
        """In quarantine and awaiting an operator's decision."""
        return self.quarantine is not None and self.dismissed is None and not self.superseded


def cell_for_kind(kind: str, cell: str | None) -> str | None:
    """Plan-like kinds live in the plan column, summary-like kinds in the summary column."""
    if kind in PLAN_KINDS:
        return PLAN
    if kind in SUMMARY_KINDS:
        return SUMMARY
    return cell


def group_of(column: str) -> str:
    """The [columns.*] table a column belongs to: "plan", "days" or "summary"."""
    return column if column in (PLAN, SUMMARY) else "days"


def owes(event: Event, unit_type: str, column: str) -> bool:
    """Whether a unit of this roster type owes this column at all.

    The one place "not owed" is decided: a day outside `[columns.days] days`, or a column
    its type's `[groups]` entry (or the `"*"` entry, for types not listed) leaves out.
    """
    if group_of(column) in event.not_owed:
        return False  # the week asks nobody for it: `plan_deadline = "none"`, ...
    ob = event.obligations
    if column not in (PLAN, SUMMARY) and ob.days is not None:
        if dt.date.fromisoformat(column) not in ob.days:
            return False
    owed = dict(ob.groups).get(type_key(unit_type), ob.others)
    return owed is None or group_of(column) in owed or column in owed


def requires(event: Event, column: str) -> tuple[str, ...]:
    """The kinds that must all arrive to complete a cell of this column; () = any material."""
    return event.obligations.requires(group_of(column))


def owed_columns(event: Event) -> tuple[str, ...]:
    """The columns the week asks for at all (whose deadlines the countdown names)."""
    return tuple(c for c in event.columns if group_of(c) not in event.not_owed)


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
    # "+1d 12:00": a day's materials are due by noon of the next day.
    day = dt.date.fromisoformat(column) + dt.timedelta(days=event.daily_after_days)
    return event.at(day, event.daily_deadline)


@functools.lru_cache(maxsize=256)
def opens(event: Event, column: str) -> dt.datetime | None:
    """When a column stops being `future` (the plan column never is: a plan counts from the
    workspace's creation, however long before the week it arrives)."""
    if column == PLAN:
        return None
    if column == SUMMARY:
        return event.at(event.end, dt.time())
    return event.at(dt.date.fromisoformat(column), dt.time())


def steady_until(event: Event, ledger: Ledger, since: dt.datetime) -> dt.datetime | None:
    """The first moment from `since` on at which a cell judged at `since` may judge otherwise
    with no new arrival and the same decisions (`cell_state` reads the moment only against a
    deadline, an extension and a column's opening); None: never again."""
    moments: list[dt.datetime] = list(ledger.extensions.values())
    for column in event.columns:
        start = opens(event, column)
        if start is not None:
            moments.append(start)
        if group_of(column) not in event.not_owed:
            moments.append(_deadline(event, column))
    return min((m for m in moments if m >= since), default=None)


def cell_state(
    event: Event,
    column: str,
    arrivals: Iterable[dt.datetime],
    now: dt.datetime,
    *,
    excused: bool = False,
    extension: dt.datetime | None = None,
    owed: bool = True,
    required: Sequence[str] = (),
    kinds: Mapping[str, Iterable[dt.datetime]] | None = None,
) -> CellState:
    """The state of one cell at `now`, from the arrival times of its counted materials.

    `required` (kinds that must all arrive, with `kinds` giving each kind's arrival times):
    the cell is complete when the last of them has arrived, on time if that was by the
    deadline; while any is lacking it is due, and missing once the deadline has passed.
    Under "any" (`required` empty) the first material completes it.
    """
    arrived = [a for a in arrivals if a <= now]
    if not owed:
        # Files may still land in a cell nobody owes; they are counted, never judged.
        return CellState(State.NOT_REQUIRED, len(arrived))
    due = deadline(event, column, extension)
    done: dt.datetime | None
    if required:
        firsts: dict[str, dt.datetime] = {}
        for kind, times in (kinds or {}).items():
            seen = [t for t in times if t <= now]
            if seen:
                firsts[kind] = min(seen)
        lacking = tuple(k for k in required if k not in firsts)
        done = None if lacking else max(firsts[k] for k in required)
    else:
        lacking = () if arrived else (ANY,)
        done = min(arrived) if arrived else None
    n, need = len(arrived), len(required)
    if excused:
        return CellState(State.EXCUSED, n, lacking, need)
    if done is not None:
        return CellState(State.ON_TIME if done <= due else State.LATE, n, lacking, need)
    if now > due:
        return CellState(State.MISSING, n, lacking, need)
    start = opens(event, column)
    if not arrived and start is not None and now < start:
        return CellState(State.FUTURE, n, lacking, need)
    return CellState(State.DUE, n, lacking, need)


def _in_force(versions: list[Material], as_of: dt.datetime | None) -> Material | None:
    """The version of one path in force at `as_of`: the current record once it has arrived,
    before that the newest superseded version that had."""
    current = next((m for m in versions if not m.superseded), None)
    if current is None:
        return None
    if as_of is None or current.received_at <= as_of:
        return current
    older = [m for m in versions if m.superseded and m.received_at <= as_of]
    return max(older, key=lambda m: m.received_at) if older else None


def _local(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    return moment if tz is None else moment.astimezone(tz)


def _held_by(decisions: dict[str, Action], within: tuple[str, ...]) -> Action | None:
    """The decision on the innermost file holding a material, if any."""
    return next((decisions[w] for w in reversed(within) if w in decisions), None)


_UNSET: Any = object()  # a due moment not yet worked out (None: not owed)


def place(
    event: Event,
    materials: Iterable[Material],
    ledger: Ledger,
    as_of: dt.datetime | None = None,
    roster: Sequence[Unit] | None = None,
) -> list[Placed]:
    """Every material known at `as_of` (default: all), placed and judged, oldest first.

    A file in a cell its unit does not owe is never late: a column the week asks nobody for,
    or (given the `roster`, whose types `owes` reads) one its unit's group leaves out.

    Versions of one path (a file rewritten in place) are judged by the first one's arrival;
    only the version in force counts. Assignments override the reading, a dismissal takes the
    file out; duplicates are found per unit by content, the earliest copy (ties broken by
    path) being the original.
    """
    everything = materials if isinstance(materials, list) else list(materials)
    # Moments in the materials' own tzinfo (the store shares one per offset: model.moment)
    # compare field by field; in another, every comparison converts both sides.
    tz = everything[0].received_at.tzinfo if everything else None
    if as_of is not None and tz is not None:
        as_of = as_of.astimezone(tz)
    mats = list(everything) if as_of is None else [m for m in everything if m.received_at <= as_of]
    mats.sort(key=lambda m: (m.received_at, m.path))  # the store's order already: cheap
    by_path: dict[str, list[Material]] = {}
    for m in mats:
        by_path.setdefault(m.path, []).append(m)
    rewritten = {m.path for m in mats if m.superseded}
    rows: Iterable[tuple[dt.datetime, Material, tuple[Material, ...], bool]]
    if not rewritten and len(by_path) == len(mats):
        # Nearly always: no file has several versions, each is judged by its own arrival.
        # A generator, and no tuple of versions: a board builds no more objects than it keeps.
        rows = ((m.received_at, m, (), False) for m in mats)
    else:
        # Which version is in force depends on all of them, those after the moment too.
        every: dict[str, list[Material]] = {}
        for m in everything:
            if m.path in rewritten:
                every.setdefault(m.path, []).append(m)
        live = {path: _in_force(versions, as_of) for path, versions in every.items()}
        listed: list[tuple[dt.datetime, Material, tuple[Material, ...], bool]] = []
        for m in mats:
            versions = tuple(by_path[m.path]) if len(by_path[m.path]) > 1 else ()
            superseded = m is not live[m.path] if m.path in live else m.superseded
            first = versions[0].received_at if versions else m.received_at
            listed.append((first, m, versions, superseded))
        listed.sort(key=lambda r: (r[0], r[1].path, r[1].received_at))
        rows = listed

    originals: dict[tuple[str, str], str] = {}
    # (unit, cell) → when it is due, or None where the unit does not owe it.
    dues: dict[tuple[str, str], dt.datetime | None] = {}
    types = {u.id: u.type for u in roster} if roster is not None else {}

    def due_of(key: tuple[str, str]) -> dt.datetime | None:
        unit, cell = key
        if group_of(cell) in event.not_owed:
            return None  # the week asks nobody for it: no deadline to be late for
        if unit in types and not owes(event, types[unit], cell):
            return None
        return _local(deadline(event, cell, extensions.get(key)), tz)

    # A file's one credit, the same for every file on time (or late) in one cell and no copy:
    # one tuple per cell and lateness shared by all of them, not one each (100,000 at scale).
    alone: dict[tuple[tuple[str, str], bool], tuple[Credit, ...]] = {}
    extensions = ledger.extensions
    placed: list[Placed] = []
    assignments, dismissals = ledger.assignments, ledger.dismissals
    for first, m, versions, superseded in rows:
        unit, kind, quarantine, cell, path = m.unit, m.kind, m.quarantine, m.cell, m.path
        arrived = first
        assigned = dismissed = None
        if not superseded:
            assigned, dismissed = assignments.get(path), dismissals.get(path)
            if m.within:
                # Assigning (or dismissing) a whole e-mail or zip does so to everything in it.
                assigned = assigned or _held_by(assignments, m.within)
                dismissed = dismissed or _held_by(dismissals, m.within)
        units: tuple[str, ...] = ()
        cells: tuple[str, ...] = ()
        if assigned is not None:
            kind = assigned.data.get("kind") or kind
            units = assigned_units(assigned)
            cells = assigned_cells(assigned) or tuple(c for c in (cell_for_kind(kind, cell),) if c)
            unit = units[0] if units else None
            cell = cells[0] if cells else None
            quarantine = None
            arrived = assigned_received(assigned) or first
        credits: tuple[Credit, ...] = ()
        late, dup = False, None
        if quarantine is not None or superseded or dismissed is not None:
            pass
        elif len(units) <= 1 and len(cells) <= 1:
            # One unit, one cell: what the reading rules give every file they place.
            if unit is not None and cell is not None:
                first_copy = originals.setdefault((unit, m.sha256), path)
                dup = None if first_copy == path else first_copy
                key = (unit, cell)
                due = dues.get(key, _UNSET)
                if due is _UNSET:
                    due = dues[key] = due_of(key)
                late = due is not None and arrived > due
                if dup is not None:
                    credits = (Credit(unit, cell, late, dup),)
                elif (credits := alone.get((key, late), ())) == ():
                    credits = alone[key, late] = (Credit(unit, cell, late, None),)
        else:
            made: list[Credit] = []
            for u in units:
                first_copy = originals.setdefault((u, m.sha256), path)
                copy_of = None if first_copy == path else first_copy
                if not made:
                    dup = copy_of
                for c in cells:
                    key = (u, c)
                    due = dues.get(key, _UNSET)
                    if due is _UNSET:
                        due = dues[key] = due_of(key)
                    is_late = due is not None and arrived > due
                    late = late or is_late
                    made.append(Credit(u, c, is_late, copy_of))
            credits = tuple(made)
        placed.append(
            Placed(
                m,
                unit,
                cell,
                kind,
                quarantine,
                late,
                dup,
                arrived,
                credits,
                superseded,
                (dismissed.data.get("reason") or "") if dismissed else None,
                assigned is not None,
                versions,
            )
        )
    if rewritten or len(by_path) != len(mats):
        # Listed as they came: each version by its own arrival (the order of `mats`).
        placed.sort(key=lambda p: (p.material.received_at, p.material.path))
    return placed


@dataclass(frozen=True)
class Cells:
    """Every cell of the grid at one moment: what `status` and the grid's first paint draw.

    A `Board` is this and the placed materials behind it; a kept board (store/board_cache.py)
    judges only this, from the arrivals it kept."""

    event: Event
    units: tuple[Unit, ...]
    now: dt.datetime
    cells: dict[tuple[str, str], CellState]

    def cell(self, unit: str, column: str) -> CellState:
        return self.cells[(unit, column)]

    @functools.cached_property
    def counts(self) -> dict[str, Counter[str]]:
        """Per column, how many units stand in each state (`totals`, made once per board)."""
        out: dict[str, Counter[str]] = {}
        for column in self.event.columns:
            out[column] = Counter(self.cells[(u.id, column)].state for u in self.units)
        return out

    def totals(self, column: str) -> Counter[str]:
        """How many units stand in each state in one column (`not_required` among them)."""
        return Counter(self.counts[column])

    def owed_columns(self) -> frozenset[str]:
        """The columns some unit owes: the only ones whose deadlines the header counts down."""
        return frozenset(c for c in self.event.columns if self.owing(c))

    def owing(self, column: str) -> int:
        """How many units owe the column: the whole a share of it is measured against."""
        return len(self.units) - self.counts[column][State.NOT_REQUIRED]


@dataclass(frozen=True)
class Board(Cells):
    """Every cell of the grid at one moment, and the placed materials behind it."""

    placed: tuple[Placed, ...]

    def materials_of(self, unit: str, column: str) -> list[Placed]:
        """The placed materials crediting one cell, in the board's order."""
        return list(self.by_cell.get((unit, column), ()))

    @functools.cached_property
    def by_cell(self) -> dict[tuple[str, str], list[Placed]]:
        """The placed materials crediting each cell: made once per board (store/rejudge.py
        carries it over for the cells an arrival did not touch)."""
        out: dict[tuple[str, str], list[Placed]] = {}
        for p in self.placed:
            for c in p.credits:
                cell = out.setdefault((c.unit, c.cell), [])
                if not cell or cell[-1] is not p:
                    cell.append(p)
        return out

    @functools.cached_property
    def quarantined(self) -> list[Placed]:
        """The files in quarantine awaiting a decision (dismissed ones are decided)."""
        return [p for p in self.placed if p.waiting]

    @property
    def dismissed(self) -> list[Placed]:
        return [p for p in self.placed if p.dismissed is not None and not p.superseded]


#: What each cell's counted materials are judged by: (unit, column) → their arrival moments,
#: and the same by kind (for `requires`).
Arrivals = dict[tuple[str, str], list[dt.datetime]]
KindArrivals = dict[tuple[str, str], dict[str, list[dt.datetime]]]


def arrivals(placed: Iterable[Placed]) -> tuple[Arrivals, KindArrivals]:
    """The moments each cell's counted materials are judged by, all and by kind."""
    times: Arrivals = {}
    kinds: KindArrivals = {}
    for p in placed:
        for c in p.credits:
            if c.duplicate_of is None:
                key = (c.unit, c.cell)
                times.setdefault(key, []).append(p.judged_at)
                by_kind = kinds.setdefault(key, {})
                for kind in brought_kinds(p):
                    by_kind.setdefault(kind, []).append(p.judged_at)
    return times, kinds


def brought_kinds(p: Placed) -> tuple[str, ...]:
    """The kinds a material brings to its cell: its own, and for a plan or a summary the other
    plan or summary kinds its name names — seed 002's notice asks for 方案与信息采集表 as one
    attachment, 坊子区活动方案+联络员信息 is both — unless an operator said which it is."""
    kind = p.kind
    if p.assigned or not (kind in PLAN_KINDS or kind in SUMMARY_KINDS):
        return (kind,)
    return _brought(_file_name(p.material.path), kind)


def _file_name(path: str) -> str:
    # The innermost name: 材料.zip!舞钢市/方案.docx, mail/x.eml#方案与信息采集表.docx.
    for sep in ("/", "!", "#"):
        path = path.rpartition(sep)[2]
    return path


@functools.lru_cache(maxsize=4096)
def _brought(name: str, kind: str) -> tuple[str, ...]:
    from .reading import kinds_named  # the reading rules' words, loaded only for these

    family = PLAN_KINDS if kind in PLAN_KINDS else SUMMARY_KINDS
    return (kind, *sorted(k for k in kinds_named(name) & family if k != kind))


def judge(
    event: Event,
    units: Sequence[Unit],
    times: Arrivals,
    kinds: KindArrivals,
    ledger: Ledger,
    now: dt.datetime,
) -> dict[tuple[str, str], CellState]:
    """Every unit's every cell at `now`, from the arrivals of its counted materials."""
    columns = event.columns  # a property that builds its tuple: once, not once per unit
    needs = {col: requires(event, col) for col in columns}
    owed: dict[tuple[str, str], bool] = {}  # by (unit type, column): types are few, units many
    cells: dict[tuple[str, str], CellState] = {}
    for u in units:
        for col in columns:
            key = (u.type, col)
            if key not in owed:
                owed[key] = owes(event, u.type, col)
            cells[(u.id, col)] = cell_state(
                event,
                col,
                times.get((u.id, col), ()),
                now,
                excused=(u.id, col) in ledger.excuses,
                extension=ledger.extensions.get((u.id, col)),
                owed=owed[key],
                required=needs[col],
                kinds=kinds.get((u.id, col)),
            )
    return cells


def board(
    event: Event,
    units: Sequence[Unit],
    materials: Iterable[Material],
    ledger: Ledger,
    now: dt.datetime,
) -> Board:
    """Judge every cell at `now`: only materials arrived by then count."""
    placed = place(event, materials, ledger, as_of=now, roster=units)
    times, kinds = arrivals(placed)
    cells = judge(event, units, times, kinds, ledger, now)
    return Board(event, tuple(units), now, cells, tuple(placed))
