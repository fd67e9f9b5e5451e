"""Judging the board for the dashboard, whole or only for the units a batch touched. No Textual.

Every state still comes from the rules module; this only chooses which cells to ask about.
An arrival can change only its own unit's cells (duplicates are found per unit), so after a
watcher batch the other units' cells, and the placing of their materials, are carried over
from the previous board (store/rejudge.py). Anything else
(an action, another process's write, the clock passing a deadline) judges the whole board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from weekwatch.store import rules
from weekwatch.store.ingest import Batch
from weekwatch.store.ledger import Ledger, assigned_units
from weekwatch.store.rejudge import rejudge
from weekwatch.store.rules import Board
from weekwatch.store.week import Week

from .view import arrivals_per_hour


def touched_units(batch: Batch, ledger: Ledger) -> set[str]:
    """The units whose cells a batch can change: the files' units, or their assigned units."""
    units: set[str] = set()
    for m in (*batch.added, *batch.gone):
        if m.unit:
            units.add(m.unit)
        assigned = ledger.assignments.get(m.path)
        if assigned is not None:
            units.update(assigned_units(assigned))  # a joint file: each unit credited
    return units


#: A judged board, its ledger, and today's arrivals per hour.
Judged = tuple[Board, Ledger, list[int]]


def judge(
    week: Week,
    now: dt.datetime,
    units: Collection[str] | None = None,
    prev: Board | None = None,
) -> Judged:
    """The board at `now`: whole, or (with `units` and `prev`) re-judged for those units only."""
    ledger = week.ledger_at(now)
    roster = week.units()
    materials = week.store.materials()
    if units is None or prev is None or prev.units != roster:
        board = rules.board(week.event, roster, materials, ledger, now)
    else:
        # Only the materials that may credit a touched unit are placed again (store/rejudge.py).
        board = rejudge(week.event, roster, materials, ledger, now, prev, units)
    return board, ledger, arrivals_per_hour(board, week.event.day_of(now))
