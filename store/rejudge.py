"""Judging again only what an arrival can change: the units it touches, never the whole week.

Pure. The states still come from `rules.board`; this only chooses which materials to place
again. A material's placing depends on itself, the other versions of its path, the decisions
on its path (or on the file holding it) and, for duplicates, every material crediting the same
unit. So after a batch the materials that changed since the previous board (new records, and
those the moment `now` has reached since) mark their units, and every material that may credit
one of those units is placed again, with every version of its path; the rest of the previous
board is carried over. With the same decisions (the ledger) as the previous board: anything
else (an action, the roster) judges the whole board.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection, Sequence

from . import rules
from .ledger import Ledger, assigned_units
from .model import Event, Material, Unit
from .rules import Board, Placed, board


def units_of(m: Material, ledger: Ledger) -> set[str]:
    """Every unit a material may credit: its reading's, and those an assignment gives it."""
    out = {m.unit} if m.unit else set()
    for path in (m.path, *m.within):
        a = ledger.assignments.get(path)
        if a is not None:
            out.update(assigned_units(a))
    return out


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
    if _crossed(event, ledger, prev.now, now):
        return board(event, roster, materials, ledger, now)
    tz = materials[0].received_at.tzinfo if materials else None
    cut = now if tz is None else now.astimezone(tz)  # the materials' tzinfo: compared fast
    before = {p.material.key: p for p in prev.placed}
    assigned = ledger.assignments
    touched = set(units)
    paths: set[str] = set()
    keys: set[str] = set()
    # One pass: what changed, and where each material is found by path and by unit.
    by_path: dict[str, list[Material]] = {}
    by_unit: dict[str | None, list[Material]] = {}
    held: list[Material] = []  # materials an assignment may credit elsewhere
    for m in materials:
        by_path.setdefault(m.path, []).append(m)
        by_unit.setdefault(m.unit, []).append(m)
        if m.path in assigned or (m.within and any(w in assigned for w in m.within)):
            held.append(m)
        if m.received_at > cut:
            continue
        keys.add(m.key)
        old = before.get(m.key)
        # The store hands back the very same Material for a record it did not re-read.
        if old is None or (old.material is not m and old.material != m):
            paths.add(m.path)
            touched |= units_of(m, ledger)
            if old is not None:
                touched.update(c.unit for c in old.credits)
    if len(before) != len(keys) or not keys.issuperset(before):
        for key, p in before.items():
            if key not in keys:  # gone from the board (a moment earlier than the last)
                paths.add(p.material.path)
                touched.update(c.unit for c in p.credits)
    # Everything that may credit a touched unit, and every version of those paths: until
    # no joint file or other version brings in a unit not yet touched.
    while True:
        found: dict[str, Material] = {}
        for path in paths:
            found.update((m.key, m) for m in by_path.get(path, ()))
        for unit in touched:
            found.update((m.key, m) for m in by_unit.get(unit, ()))
        found.update((m.key, m) for m in held if not touched.isdisjoint(units_of(m, ledger)))
        wider = touched.union(*(units_of(m, ledger) for m in found.values()))
        more = {m.path for m in found.values()}
        if wider == touched and more <= paths:
            break
        touched, paths = wider, paths | more
    again = sorted(found.values(), key=_mat_order)  # the store's order, as the rules expect
    part = board(event, [u for u in roster if u.id in touched], again, ledger, now)
    placed = [p for p in prev.placed if p.material.path not in paths and p.material.key in keys]
    # The carried-over placings are in order already: each placed again goes in its place.
    for p in part.placed:
        placed.insert(bisect.bisect_right(placed, _order(p), key=_order), p)
    cells = dict(prev.cells)
    cells.update(part.cells)
    return Board(event, tuple(roster), now, cells, tuple(placed))


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
