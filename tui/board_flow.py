"""How boards reach the dashboard (composed into the screen, like `Triage`): the first paint
from the kept cells, then the whole week judged; each later judgement run in a thread worker
the `BoardFeed` schedules, its board applied only while fresh; the judged board handed to
other processes at most every `KEEP_EVERY` seconds and on leaving; the clock's tick (a new
day, a deadline passed) and other processes' writes (the store's stamp) asking for more."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from weekwatch.store.fetch import mailbox_state
from weekwatch.store.model import Unit
from weekwatch.store.traces import promise_times
from weekwatch.store.unit_search import learn, names_of, warm

from . import view
from .feed import Job
from .messages import BoardReady, CellsReady

if TYPE_CHECKING:
    from .screens.dashboard import DashboardScreen

KEEP_EVERY = 5.0  # seconds between two boards kept for other processes while files arrive


def warm_search(units: Sequence[Unit]) -> None:
    """The names' pinyin for `/`, spelt by a short-lived process of its own: pypinyin's
    dictionaries (~50 MB, most of what a dashboard holds beside the week) never load in the
    dashboard. Should that process fail, they are spelt here."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "weekwatch.store.unit_search"],
            input=json.dumps(names_of(units)),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        learn({n: (full, first) for n, (full, first) in json.loads(done.stdout).items()})
    except (OSError, subprocess.SubprocessError, ValueError, TypeError):
        pass
    warm(units)


class BoardFlow:
    """The judging worker and what is done with each board it hands back."""

    def __init__(self, screen: DashboardScreen) -> None:
        self.screen = screen
        self._job = Job(0, None)  # the judgement running (or the last one)
        self._whole_in = False  # the first whole board has been applied
        self._kept_at = 0.0  # when the judged board was last handed to other processes
        self._unexplained: object = None  # a stamp seen once, not yet known to be ours

    # --- judging the board off the UI thread ----------------------------------------------
    def refresh(self, units: Iterable[str] | None = None) -> None:
        """Judge the board again (only `units`' cells, if given), soon; requests coalesce."""
        self._start(self.screen.feed.request(units))

    def _start(self, job: Job | None) -> None:
        if job is not None:
            self._job = job
            self.screen.run_worker(
                partial(self._judge, job), thread=True, group="board", exit_on_error=False
            )

    def _judge(self, job: Job) -> None:
        """In a thread worker: the job's board, posted to the screen."""
        screen = self.screen
        judging = screen.judging
        base = judging.rejudger.board
        if job.seq == 1:
            stamp, (board, ledger, per_hour) = screen.wapp.first_board()
        else:
            stamp = None
            board, ledger, per_hour = judging.judge(screen.week.clock(), job.units, index=False)
        change = judging.change
        screen.post_message(BoardReady(job.seq, board, ledger, per_hour, stamp, change, base))
        # After the board is on its way: what the next arrival needs (the lock keeps the
        # next judgement waiting for it).
        judging.index()

    def cells_ready(self, message: CellsReady) -> None:
        """The kept cells: the grid painted from them while the whole board is judged."""
        screen = self.screen
        if not screen.is_running or screen.board is not None:
            return  # the whole board came first: nothing to paint ahead of it
        screen.provisional = True
        with screen.app.batch_update():
            screen.board = message.board
        self.painted()

    def painted(self) -> None:
        screen = self.screen
        if screen.first_paint is None:
            screen.first_paint = time.perf_counter() - screen.wapp.started
            if screen.board is not None and screen.board.units and screen.today_column:
                keys = screen.grid.row_keys
                screen.grid.goto(keys[0] if keys else "", screen.today_column)
            screen.call_after_refresh(screen.painted.set)  # drawn on the screen, not just set

    def board_ready(self, message: BoardReady) -> None:
        screen = self.screen
        if not screen.is_running:  # shutting down: the widgets are gone
            return
        outcome = screen.feed.finished(message.seq)
        self._start(outcome.next)
        if not outcome.apply:
            return
        if message.stamp is not None:
            screen.stamp = message.stamp
        t0 = time.perf_counter()
        screen.ledger, screen.per_hour, screen.quiet = (
            message.ledger,
            message.per_hour,
            outcome.quiet,
        )
        screen.reminding.show_badge()
        state = mailbox_state(screen.week.store)
        screen.mail_down = state.get("error", "") or "?" if state and not state.get("ok") else ""
        rows = screen.rows
        with screen.app.batch_update():
            same = screen.board == message.board and not screen.provisional
            change = message.change
            # Cells and placings carried over from the board shown: only the changed drawn.
            incremental = change is not None and change.units is not None
            rows.change = change if incremental and message.base is screen.board else None
            screen.board = message.board
            rows.change = None
            screen.provisional = False
            if same:  # only the log moved (a ★, a note): the reactive does not fire for it
                screen.update_detail()
        screen.applied_at = time.perf_counter()
        screen.apply_seconds = screen.applied_at - t0  # UI-thread time of this refresh
        # A promise's time passing turns its cell's mark into a broken promise.
        moments = [*screen.ledger.extensions.values(), *promise_times(screen.ledger)]
        later = view.boundaries(message.board, moments)
        screen.next_boundary = later[0] if later else None
        self.painted()
        if not self._whole_in:
            self._whole_in = True
            # Only now: the watcher's start-up scan would compete with judging the whole
            # board (and finds every file written meanwhile).
            screen.wapp.start_watching()
            # The pinyin of every name, worked out ahead of the first `/` key.
            units = message.board.units
            screen.run_worker(
                lambda: warm_search(units), thread=True, group="search", exit_on_error=False
            )

    def keep_board(self) -> None:
        """The board judged last, kept for other processes' readers (the next dashboard's
        first paint, `status`): in a worker, at most every `KEEP_EVERY` seconds while boards
        keep coming, so that arrivals do not wait on it."""
        screen = self.screen
        if not screen.writable:
            return  # read-only, or looking back: this dashboard writes nothing, not even this
        mono = time.monotonic()
        judging = screen.judging
        if judging.unkept and mono - self._kept_at >= KEEP_EVERY and not screen.feed.busy:
            if not any(w.group == "keep" and not w.is_finished for w in screen.workers):
                self._kept_at = mono
                screen.run_worker(judging.keep, thread=True, group="keep", exit_on_error=False)

    def leaving(self) -> None:
        # Leaving: what was judged since the last keep is kept (a fraction of a second).
        if self.screen.writable:
            self.screen.judging.keep()

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A judgement that failed still ends its job; every worker error is shown."""
        screen = self.screen
        if event.worker.group == "board" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            # One judgement runs at a time, so the one that failed is the last one started.
            self._start(screen.feed.finished(self._job.seq, ok=False).next)
        if event.state == WorkerState.ERROR:
            screen.wapp.report_error(event.worker.error)

    # --- the clock and other processes ----------------------------------------------------
    def tick(self) -> None:
        """Every second: the day may have turned, a deadline passed, the header's time moved."""
        screen = self.screen
        self.keep_board()
        now = screen.week.clock()
        today = view.today_column(screen.event, now)
        if today != screen.today_column:
            screen.today_column = today
            screen.set_columns()
            screen.refresh_board()
        elif screen.next_boundary is not None and now >= screen.next_boundary:
            screen.next_boundary = None
            screen.refresh_board()
        screen.now = now

    def poll_store(self, own_stamp: object, ingesting: bool = False) -> None:
        """Any process's write (another dashboard, an external watcher) changes the stamp."""
        screen = self.screen
        if screen.feed.applied == 0 and screen.feed.busy:
            # The first board is being judged: it brings the stamp taken before its judging,
            # so a write meanwhile is seen at the first poll after it. Asking now would judge
            # the whole week twice at start (seconds at 100,000, and two boards in memory).
            return
        stamp = screen.week.store.stamp()
        if stamp == screen.stamp:
            return
        if stamp == own_stamp:  # our watcher's writes arrive as BatchArrived
            screen.stamp = stamp
            return
        if ingesting and stamp != self._unexplained:
            # Our watcher may be between its write and saying so (its files would then be
            # announced though they came while nothing watched): a stamp not ours is another
            # process's only if it is still not ours at the next poll.
            self._unexplained = stamp
            return
        screen.stamp, self._unexplained = stamp, None
        screen.refresh_board()
