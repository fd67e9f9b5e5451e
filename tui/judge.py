"""Judging the board for the dashboard, whole or only for the units a batch touched. No Textual.

Every state still comes from the rules module; this only chooses which cells to ask about.
An arrival can change only its own unit's cells (duplicates are found per unit), so after a
watcher batch the other units' cells, and the placing of their materials, are carried over
from the previous board (store/rejudge.py). Anything else
(an action, another process's write, the clock passing a deadline) judges the whole board.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection

from weekwatch.store import rules
from weekwatch.store.ingest import Batch
from weekwatch.store.ledger import Ledger, assigned_units
from weekwatch.store.model import Material, WeekwatchError
from weekwatch.store.rejudge import Change, Rejudger, rejudge
from weekwatch.store.rules import Board, Placed
from weekwatch.store.week import Week

from .view import arrivals_per_hour, hour_of_arrival


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


class Judging:
    """The dashboard's judging, kept between boards (one judgement at a time: the feed's).

    The first board is judged whole; after a batch only the touched units are placed again
    and everything else is carried over (`store/rejudge.Rejudger`), today's arrivals per hour
    too, so an arrival costs what it touches, not the week."""

    def __init__(self, week: Week) -> None:
        self.week = week
        self.rejudger = Rejudger()
        self._hours: tuple[dt.date, list[int]] | None = None  # the last board's, by day
        #: The last board judged and what it was judged from, until it is kept for other
        #: processes (`keep`): the key taken before the materials were read.
        self._unkept: tuple[Board, str, list[Material], Ledger] | None = None
        self._lock = threading.Lock()

    @property
    def unkept(self) -> bool:
        """A board was judged since the last one kept for other processes."""
        return self._unkept is not None

    @property
    def change(self) -> Change:
        """What the last judging replaced (`units` None: the whole board)."""
        return self.rejudger.change

    def judge(
        self, now: dt.datetime, units: Collection[str] | None = None, *, index: bool = True
    ) -> Judged:
        """The board at `now`: whole, or (with `units`) re-judged from the last one for those
        units only. `index` False: the next arrival's index is made later (`index()`)."""
        week = self.week
        key = week.cache_key()  # before the materials: a write after it makes it stale
        ledger = week.ledger_at(now)
        roster = week.units()
        materials = week.store.materials()
        prev = self.rejudger.board
        if units is None or prev is None or prev.units != roster:
            board = self.rejudger.whole(week.event, roster, materials, ledger, now, index=index)
        else:
            board = self.rejudger.again(week.event, roster, materials, ledger, now, prev, units)
        with self._lock:
            self._unkept = (board, key, materials, ledger)
        return board, ledger, self._per_hour(board)

    def kept(self, now: dt.datetime) -> Board | None:
        """The cells kept by the last process that judged the week, if they are current for
        `now` (`Week.kept_cells`), as a board with no placed materials: the first paint's."""
        # A read-only dashboard writes nothing: stale kept cells are not brought current.
        cells = self.week.kept_cells(now, bring=not self.week.read_only)
        if cells is None:
            return None
        return Board(cells.event, cells.units, cells.now, cells.cells, ())

    def keep(self) -> bool:
        """Keep the last board judged for other processes' readers (`status`, the next
        dashboard's first paint), if nothing was written since it was judged. Derived data:
        a failure to write it costs the next reader a whole judging, nothing else."""
        with self._lock:
            unkept, self._unkept = self._unkept, None
        if unkept is None or self.week.read_only:
            return False
        try:
            return self.week.keep(*unkept)
        except (OSError, WeekwatchError):
            return False

    def index(self) -> None:
        """Make the index the next arrival needs (in a worker, after the first paint)."""
        self.rejudger.index()

    def _per_hour(self, board: Board) -> list[int]:
        day = board.event.day_of(board.now)
        change, hours = self.rejudger.change, self._hours
        if change.units is None or hours is None or hours[0] != day:
            counted = arrivals_per_hour(board, day)
        else:
            counted = list(hours[1])
            _count(counted, change.out, board, day, -1)
            _count(counted, change.into, board, day, +1)
        self._hours = (day, counted)
        return list(counted)


def _count(
    hours: list[int], placed: tuple[Placed, ...], board: Board, day: dt.date, n: int
) -> None:
    for p in placed:
        hour = hour_of_arrival(p, board, day)
        if hour is not None:
            hours[hour] += n
