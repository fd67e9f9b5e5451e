"""Watching the inbox, or following the process that does: the app's inbox, as one object.

The dashboard ingests (runs the store's watcher in a thread worker) if it can take the
workspace's ingest lock; otherwise it follows the store, whose change stamp the dashboard
polls, and says whose pid it follows. Either way every write by any process reaches the grid.
Nothing happens on construction: the app takes the lock once it is mounted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from weekwatch.store.ingest import Batch, IngestLock
from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week

from .mailcli import start_fetching
from .messages import BatchArrived, WatcherProblem

if TYPE_CHECKING:
    from weekwatch.store.watcher import Watcher


class InboxWatch:
    """The ingest lock, the watcher and its stop flag, and whom we follow if not ourselves."""

    def __init__(self, week: Week, post: Callable[[Message], object]) -> None:
        self.week = week
        self._post = post  # the app's post_message: thread-safe
        self.watcher: Watcher | None = None
        self.following: str | None = None  # pid of the process that ingests, if not us
        self.lock: IngestLock | None = None
        self.own_stamp: object = None  # the store stamp our watcher's last write left
        self.fetching: threading.Thread | None = None  # the mailbox, if [mail] says one
        self._stop = threading.Event()

    @property
    def ingesting(self) -> bool:
        """This dashboard holds the ingest lock (its watcher may not have started yet)."""
        return self.lock is not None

    def take_lock(self) -> None:
        """Ingest here, or follow the process that already does (its pid in the header)."""
        lock = IngestLock(self.week.workspace.dbdir)
        try:
            lock.acquire()
        except (WeekwatchError, OSError):
            self.following = lock.path.read_text(errors="replace").strip() or "?"
        else:
            self.lock = lock

    def run(self) -> None:
        """The watcher's loop, in a thread worker, until `stop`."""
        from weekwatch.store.watcher import Watcher

        try:
            # The roster or the week changed since the files were read (weekwatch.toml
            # edited, a roster imported by an older weekwatch): read what waits again first.
            self.week.reread_if_stale()
        except WeekwatchError:
            pass  # the watcher's own start-up scan reports a store it cannot write
        self.watcher = Watcher(
            self.week.ingestor(),
            clock=self.week.clock,
            on_batch=self._batch,
            on_problem=self._problem,
        )
        self.fetching = start_fetching(self.week, self._stop)
        self.watcher.run(self._stop)

    def _problem(self, problem: str | None) -> None:
        """In the watcher's thread: a problem began (or, with None, ended)."""
        self._post(WatcherProblem(problem))

    def _batch(self, batch: Batch) -> None:
        """In the watcher's thread, right after its write: that stamp is ours, not news."""
        self.own_stamp = self.week.store.stamp()
        # What came while nothing watched is shown, but not announced cell by cell.
        self._post(BatchArrived(batch, quiet=batch.startup))

    def stop(self) -> None:
        self._stop.set()
        if self.lock is not None:
            self.lock.release()
