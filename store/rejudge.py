"""Judging again only what an arrival can change: the units it touches, never the whole week.

Pure. The states still come from `rules.board`; this only chooses which materials to place
again. A material's placing depends on itself, the other versions of its path, the decisions
on its path (or on the file holding it) and, for duplicates, every material crediting the same
unit. So after a batch the materials that changed since the previous board (new records, and
those the moment `now` has reached since) mark their units, and every material that may credit
one of those units is placed again, with every version of its path; the rest of the previous
board is carried over. With the same decisions (the ledger) as the previous board: anything
else (an action, the roster) judges the whole board.

`Rejudger` keeps the week's materials indexed by path and by unit from one board to the next,
so that what an arrival costs does not grow with the week: the records that changed are found
by identity (the store hands back the very same `Material` for a record it did not re-read),
and the board's placings, its cells' materials, its quarantine and its totals are carried
over except where the arrival touched them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from . import rules
from .ledger import Ledger, assigned_units
from .model import Action, Event, Material, Unit
from .rules import Board, Placed, board

K = TypeVar("K")

#: Past this many placings replaced, the board's list is filtered rather than edited in place.
EDIT_IN_PLACE = 2000


def units_of(m: Material, ledger: Ledger) -> set[str]:
    """Every unit a material may credit: its reading's, and those an assignment gives it."""
    out = {m.unit} if m.unit else set()
    for path in (m.path, *m.within):
        a = ledger.assignments.get(path)
        if a is not None:
            out.update(assigned_units(a))
    return out


@dataclass(frozen=True)
class Change:
    """What one judging replaced: the units judged again (None: the whole board), the
    placings taken out of the previous board and the placings put in."""

    units: frozenset[str] | None
    out: tuple[Placed, ...] = ()
    into: tuple[Placed, ...] = ()


def rejudge(
    event: Event,
    roster: Sequence[Unit],
    materials: Sequence[Material],
    ledger: Ledger,
    now: dt.datetime,
    prev: Board,
    units: Collection[str] = (),
) -> Board:
    """The board at `now`, `prev`'s cells and placings kept wherever nothing they depend on
    changed; `units` are judged again whatever the materials say (a batch's units)."""
    return Rejudger().again(event, roster, materials, ledger, now, prev, units)


class Rejudger:
    """The week's materials indexed by path and by unit, kept between boards.

    `whole` judges every cell and indexes the materials; `again` judges only what changed
    since the last board this rejudger gave, in time that grows with the arrival, not the
    week. Not thread-safe: one judging at a time (the dashboard's feed sees to it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget the index (a judging failed half-way): the next judging is whole."""
        self.board: Board | None = None  # the last board judged: the one the index is of
        #: What the last judging replaced (`Change.units` None: the whole board).
        self.change = Change(None)
        self._ids: set[int] = set()  # the ids of the last materials (each held in _by_key)
        self._by_key: dict[str, Material] = {}
        #: A path's records: the one Material (nearly always), or a list of its versions.
        self._by_path: dict[str, Material | list[Material]] = {}
        self._by_unit: dict[str | None, list[Material]] = {}
        self._held: dict[str, Material] = {}  # records an assignment may credit elsewhere
        self._assigned: Mapping[str, Action] = {}  # the assignments `_held` is for
        self._future: dict[str, Material] = {}  # records stamped after the board's moment
        self._placed: dict[str, Placed] = {}  # the board's placings, by record key
        #: The materials and ledger of `board`, until they are indexed (`index`).
        self._unindexed: tuple[Sequence[Material], Ledger, dt.datetime] | None = None

    def whole(
        self,
        event: Event,
        roster: Sequence[Unit],
        materials: Sequence[Material],
        ledger: Ledger,
        now: dt.datetime,
        *,
        index: bool = True,
    ) -> Board:
        """Every cell judged (`rules.board`); the materials indexed for the next arrival now,
        or (`index` False: a first paint waits for nothing) by `index()` or the next judging."""
        with self._lock:
            self.reset()
            new = board(event, roster, materials, ledger, now)
            self.board = new
            self._unindexed = (materials, ledger, _cut(materials, now))
            if index:
                self._index_pending()
            return new

    def index(self) -> None:
        """Index the last whole board's materials, if not done yet (in a worker)."""
        with self._lock:
            self._index_pending()

    def _index_pending(self) -> None:
        if self._unindexed is not None and self.board is not None:
            materials, ledger, cut = self._unindexed
            self._index(materials, ledger, cut)
            self._placed = {p.material.key: p for p in self.board.placed}
        self._unindexed = None

    def again(
        self,
        event: Event,
        roster: Sequence[Unit],
        materials: Sequence[Material],
        ledger: Ledger,
        now: dt.datetime,
        prev: Board,
        units: Collection[str] = (),
    ) -> Board:
        """The board at `now` from `prev` (see `rejudge`), `units` judged again whatever."""
        if _crossed(event, ledger, prev.now, now) or now < prev.now or prev.units != tuple(roster):
            # A deadline or the clock going back changes cells no arrival touched.
            return self.whole(event, roster, materials, ledger, now)
        with self._lock:
            return self._again(event, roster, materials, ledger, now, prev, units)

    def _again(
        self,
        event: Event,
        roster: Sequence[Unit],
        materials: Sequence[Material],
        ledger: Ledger,
        now: dt.datetime,
        prev: Board,
        units: Collection[str],
    ) -> Board:
        self._index_pending()
        cut = _cut(materials, now)
        touched = set(units)
        paths: set[str] = set()
        try:
            if prev is self.board and ledger.assignments == self._assigned:
                dropped = self._changes(materials, ledger, cut, touched, paths)
            else:  # an index of another board: made again, and compared to that board
                self._index(materials, ledger, cut)
                self._placed = {p.material.key: p for p in prev.placed}
                dropped = self._compare(ledger, cut, touched, paths)
            return self._judge(event, roster, ledger, now, prev, touched, paths, dropped)
        except BaseException:
            self.reset()
            raise

    # --- the index ------------------------------------------------------------------------
    def _index(self, materials: Sequence[Material], ledger: Ledger, cut: dt.datetime) -> None:
        self._ids = set(map(id, materials))
        self._by_key, self._by_path, self._by_unit, self._held = {}, {}, {}, {}
        self._future = {}
        self._assigned = dict(ledger.assignments)
        for m in materials:
            self._add(m, cut)

    def _add(self, m: Material, cut: dt.datetime) -> None:
        self._by_key[m.key] = m
        had = self._by_path.get(m.path)
        if had is None:
            self._by_path[m.path] = m
        elif isinstance(had, list):
            had.append(m)
        else:
            self._by_path[m.path] = [had, m]
        self._by_unit.setdefault(m.unit, []).append(m)
        assigned = self._assigned
        if m.path in assigned or (m.within and any(w in assigned for w in m.within)):
            self._held[m.key] = m
        if m.received_at > cut:
            self._future[m.key] = m

    def _remove(self, m: Material) -> None:
        if self._by_key.get(m.key) is m:
            del self._by_key[m.key]
            self._held.pop(m.key, None)
            self._future.pop(m.key, None)
        had = self._by_path.get(m.path)
        if had is m:
            del self._by_path[m.path]
        elif isinstance(had, list):
            _drop(had, m)
            if len(had) == 1:
                self._by_path[m.path] = had[0]
        _drop_in(self._by_unit, m.unit, m)

    def _changes(
        self,
        materials: Sequence[Material],
        ledger: Ledger,
        cut: dt.datetime,
        touched: set[str],
        paths: set[str],
    ) -> list[Placed]:
        """The records that changed since the last board, found by identity: their paths
        and units marked. Returns the placings of records no longer on the board."""
        ids = set(map(id, materials))
        if ids == self._ids:
            gone: list[Material] = []
            came: list[Material] = []
        else:  # a shard read again: its records are new objects, most of them equal
            gone = [m for m in self._by_key.values() if id(m) not in ids]
            came = [m for m in materials if id(m) not in self._ids]
        self._ids = ids
        keys = {m.key for m in gone}
        keys.update(m.key for m in came)
        for m in gone:
            self._remove(m)
        for m in came:
            self._add(m, cut)
        for key, m in list(self._future.items()):  # stamped later: on the board once reached
            if m.received_at <= cut:
                del self._future[key]
                keys.add(key)
        dropped = []
        for key in keys:
            now_m = self._by_key.get(key)
            old = self._placed.get(key)
            if now_m is None or now_m.received_at > cut:
                if old is not None:  # no longer on the board
                    paths.add(old.material.path)
                    touched.update(c.unit for c in old.credits)
                    dropped.append(old)
                continue
            if old is None or (old.material is not now_m and old.material != now_m):
                paths.add(now_m.path)
                touched |= units_of(now_m, ledger)
                if old is not None:
                    touched.update(c.unit for c in old.credits)
        return dropped

    def _compare(
        self, ledger: Ledger, cut: dt.datetime, touched: set[str], paths: set[str]
    ) -> list[Placed]:
        """Every record compared to the board's placings (an index just made)."""
        keys = set()
        for m in self._by_key.values():
            if m.received_at > cut:
                continue
            keys.add(m.key)
            old = self._placed.get(m.key)
            if old is None or (old.material is not m and old.material != m):
                paths.add(m.path)
                touched |= units_of(m, ledger)
                if old is not None:
                    touched.update(c.unit for c in old.credits)
        dropped = []
        if len(self._placed) != len(keys) or not keys.issuperset(self._placed):
            for key, p in self._placed.items():
                if key not in keys:  # gone from the board
                    paths.add(p.material.path)
                    touched.update(c.unit for c in p.credits)
                    dropped.append(p)
        return dropped

    # --- judging the touched units ----------------------------------------------------
    def _judge(
        self,
        event: Event,
        roster: Sequence[Unit],
        ledger: Ledger,
        now: dt.datetime,
        prev: Board,
        touched: set[str],
        paths: set[str],
        dropped: list[Placed],
    ) -> Board:
        found = self._widen(ledger, touched, paths)
        again = sorted(found.values(), key=_mat_order)  # the store's order, as the rules expect
        part = board(event, [u for u in roster if u.id in touched], again, ledger, now)
        out = {id(p): p for p in dropped}
        for path in paths:
            for m in self._versions(path):
                old = self._placed.get(m.key)
                if old is not None:
                    out[id(old)] = old
        placed = _replace(prev.placed, list(out.values()), part.placed)
        for p in out.values():
            if self._placed.get(p.material.key) is p:
                del self._placed[p.material.key]
        for p in part.placed:
            self._placed[p.material.key] = p
        cells = dict(prev.cells)
        cells.update(part.cells)
        new = Board(event, tuple(roster), now, cells, tuple(placed))
        _carry(prev, new, touched, out.values(), part)
        self.board = new
        self.change = Change(frozenset(touched), tuple(out.values()), tuple(part.placed))
        return new

    def _versions(self, path: str) -> Sequence[Material]:
        had = self._by_path.get(path)
        if had is None:
            return ()
        return had if isinstance(had, list) else (had,)

    def _widen(self, ledger: Ledger, touched: set[str], paths: set[str]) -> dict[str, Material]:
        """Everything that may credit a touched unit, and every version of those paths: until
        no joint file or other version brings in a unit not yet touched (both sets grow)."""
        while True:
            found: dict[str, Material] = {}
            for path in paths:
                found.update((m.key, m) for m in self._versions(path))
            for unit in touched:
                found.update((m.key, m) for m in self._by_unit.get(unit, ()))
            found.update(
                (m.key, m)
                for m in self._held.values()
                if not touched.isdisjoint(units_of(m, ledger))
            )
            wider = touched.union(*(units_of(m, ledger) for m in found.values()))
            more = {m.path for m in found.values()}
            if wider == touched and more <= paths:
                return found
            touched |= wider
            paths |= more


def _replace(placed: tuple[Placed, ...], out: list[Placed], into: Iterable[Placed]) -> list[Placed]:
    """The board's placings with `out` taken out and `into` put in, in order (the carried-over
    ones are in order already: each goes in its place)."""
    if len(out) > EDIT_IN_PLACE:
        gone = {id(p) for p in out}
        kept = [p for p in placed if id(p) not in gone]
    else:
        kept = list(placed)
        for p in out:
            i = bisect.bisect_left(kept, _order(p), key=_order)
            if i < len(kept) and kept[i] is p:
                del kept[i]
            else:  # equal keys out of order: found the slow way
                kept.pop(next(j for j, q in enumerate(kept) if q is p))
    for p in into:
        kept.insert(bisect.bisect_right(kept, _order(p), key=_order), p)
    return kept


def _carry(prev: Board, new: Board, touched: set[str], out: Iterable[Placed], part: Board) -> None:
    """Give the new board the previous one's indexes (cells' materials, quarantine, totals),
    changed only where the touched units' placings were: the board's cached properties."""
    seen = prev.__dict__
    if "by_cell" in seen:
        by_cell = dict(prev.by_cell)
        for unit in touched:
            for column in new.event.columns:
                by_cell.pop((unit, column), None)
        by_cell.update(part.by_cell)
        new.__dict__["by_cell"] = by_cell
    if "quarantined" in seen:
        gone = {id(p) for p in out}
        waiting = [p for p in prev.quarantined if id(p) not in gone]
        waiting += [p for p in part.placed if p.waiting]
        waiting.sort(key=_order)
        new.__dict__["quarantined"] = waiting
    if "counts" in seen:
        counts = {c: Counter(n) for c, n in prev.counts.items()}
        for (unit, column), cell in part.cells.items():
            was = prev.cells.get((unit, column))
            if was is not None:
                counts[column][was.state] -= 1
            counts[column][cell.state] += 1
        new.__dict__["counts"] = {c: +n for c, n in counts.items()}


def _drop(items: list[Material], m: Material) -> None:
    for i, x in enumerate(items):
        if x is m:
            del items[i]
            return


def _drop_in(index: dict[K, list[Material]], key: K, m: Material) -> None:
    items = index.get(key)
    if items is not None:
        _drop(items, m)
        if not items:
            del index[key]


def _cut(materials: Sequence[Material], now: dt.datetime) -> dt.datetime:
    tz = materials[0].received_at.tzinfo if materials else None
    return now if tz is None else now.astimezone(tz)  # the materials' tzinfo: compared fast


def _crossed(event: Event, ledger: Ledger, a: dt.datetime, b: dt.datetime) -> bool:
    """Whether a moment a cell's state turns at (a deadline, an extension, a column opening)
    lies between the two boards: every cell may have changed, not only the touched units'."""
    lo, hi = min(a, b), max(a, b)
    for column in event.columns:
        for t in (rules.deadline(event, column), rules.opens(event, column)):
            if t is not None and lo <= t <= hi:
                return True
    return any(lo <= t <= hi for t in ledger.extensions.values())


def _mat_order(m: Material) -> tuple[dt.datetime, str, str]:
    return (m.received_at, m.path, m.key)


def _order(p: Placed) -> tuple[dt.datetime, str, str]:
    return (p.material.received_at, p.material.path, p.material.key)
