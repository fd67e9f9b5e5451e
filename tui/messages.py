"""Messages the workers post to the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from weekwatch.store.ingest import Batch
from weekwatch.store.ledger import Ledger
from weekwatch.store.rejudge import Change
from weekwatch.store.remind_schedule import News
from weekwatch.store.rules import Board


@dataclass
class BoardReady(Message):
    """A freshly judged board (computed off the UI thread)."""

    seq: int
    board: Board
    ledger: Ledger
    per_hour: list[int]
    stamp: object = None  # the store's stamp taken before judging (the first board only)
    #: What changed from `base` (the board it was judged from): None, or `units` None, when
    #: judged whole.
    change: Change | None = None
    base: Board | None = None


@dataclass
class CellsReady(Message):
    """The cells of the kept board (another process judged them; `Week.kept_cells`), for the
    first paint while the whole board is judged: a board with no placed materials."""

    board: Board


@dataclass
class BatchArrived(Message):
    """The watcher wrote a batch (new, rewritten or gone files)."""

    batch: Batch
    quiet: bool = False  # the start-up scan: shown, not announced cell by cell


@dataclass
class WatcherProblem(Message):
    """The watcher cannot write (disk full, inbox gone): what, or None once it works again."""

    problem: str | None


@dataclass
class ScanDone(Message):
    """A one-shot scan (no watcher here) finished."""

    added: int
    gone: int
    #: The start-up scan after this dashboard took over intake: from whom ("" if nobody).
    took_over: str | None = None


@dataclass
class RemindNews(Message):
    """The reminder schedule sent (or could not send) its reminder, or could not start (a
    line of the store's words)."""

    news: News | str
