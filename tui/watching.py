"""Watching the inbox, or following the process that does: the app's inbox, as one object.

The dashboard ingests (runs the store's watcher in a thread worker) if it can take the
workspace's ingest lock; otherwise it follows the store, whose change stamp the dashboard
polls, and says whose pid it follows. Either way every write by any process reaches the grid.
A follower keeps trying the lock (`poll`, every second): when the ingesting process is gone —
killed, stopped, its dashboard quit — the lock is free and this dashboard takes over, so
intake never stops without anyone noticing. Nothing happens on construction: the app takes
the lock once it is mounted.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from weekwatch.store import presence
from weekwatch.store.ingest import Batch, IngestLock
from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week

from .mailcli import start_fetching
from .messages import BatchArrived, RemindNews, ScanDone, WatcherProblem
from .remind_flow import start_reminding

if TYPE_CHECKING:
    from weekwatch.store.remind_schedule import News
    from weekwatch.store.watcher import Watcher

#: After the watcher itself failed, wait this long before taking the lock again.
RESTART_AFTER = 30.0


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
        self.reminding: threading.Thread | None = None  # the reminder schedule, if on
        #: Who signs the schedule's messages (`{operator}`): the dashboard's operator.
        self.operator = ""
        #: Whether this dashboard takes in files when it can (not read-only, not as-of).
        self.wants = False
        self.follower = presence.Follower(week.workspace.dbdir)
        self._retry_at = 0.0  # monotonic time before which a failed watcher is not restarted
        #: The pid we took the lock over from ("" if nobody held it), until the start-up
        #: scan that follows has said what it found; None otherwise.
        self._took_over: str | None = None
        self._stop = threading.Event()

    @property
    def ingesting(self) -> bool:
        """This dashboard holds the ingest lock (its watcher may not have started yet)."""
        return self.lock is not None

    @property
    def dbdir(self) -> Path:
        return self.week.workspace.dbdir

    def take_lock(self) -> None:
        """Ingest here, or follow the process that already does (its pid in the header)."""
        self.wants = True
        self._try_lock()

    def _try_lock(self) -> bool:
        lock = IngestLock(self.dbdir)
        try:
            lock.acquire()
        except (WeekwatchError, OSError):
            # Whoever holds it now (None: the lock could not be taken for another reason, and
            # the header says nobody takes in files — the truth).
            self.following = _holder(self.dbdir)
            self._follow()
            return False
        self.lock = lock
        self.following = None
        self.follower.stop()
        return True

    def observe(self) -> None:
        """A dashboard that never ingests (read-only): it follows whoever does, if anyone."""
        self.following = _holder(self.dbdir)
        self._follow()

    def _follow(self) -> None:
        try:
            self.follower.start()  # the ingesting dashboard asks before it quits on us
        except OSError:
            pass  # a database folder we may not write: following works without it

    def poll(self) -> str | None:
        """Every second on the UI thread: whom we follow now. If we just took the ingest lock,
        the pid of the process gone that held it ("" if nobody held it: after our own
        watcher failed); None otherwise."""
        if self.lock is not None or self._stop.is_set():
            return None
        if not self.wants:
            self.observe()
            return None
        if time.monotonic() < self._retry_at:
            return None
        before = self.following
        if self._try_lock():
            self._took_over = before or ""
            return before or ""
        return None

    def retry_now(self) -> None:
        """The operator asked (`r`): try the lock at once, not after the back-off."""
        self._retry_at = 0.0

    def last_scan(self) -> dt.datetime | None:
        """When the inbox was last scanned through, by us or by the process we follow."""
        if self.watcher is not None and self.watcher.last_scan is not None:
            return self.watcher.last_scan
        return presence.last_scan(self.dbdir)

    def scan_every(self) -> float | None:
        """How often the process that takes in files scans the whole inbox (seconds)."""
        if self.watcher is not None:
            return self.watcher.rescan_every
        return presence.scan_every(self.dbdir)

    def followers(self) -> list[str]:
        """The other dashboards that follow this one's intake (asked before quitting)."""
        return presence.followers(self.dbdir) if self.lock is not None else []

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
            on_scan=self._scanned,
        )
        if self.fetching is None or not self.fetching.is_alive():
            self.fetching = start_fetching(self.week, self._stop)
        if self.reminding is None or not self.reminding.is_alive():
            self.reminding = start_reminding(  # [remind] auto
                self.week, self._stop, self._said, self.operator
            )
        self.watcher.run(self._stop)

    def ended(self) -> None:
        """The watcher's worker ended while the app runs (it failed): let go of the lock, so
        another process may take over, and try again ourselves after a while."""
        self.watcher = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self._retry_at = time.monotonic() + RESTART_AFTER

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _said(self, news: News | str) -> None:
        """In the schedule's thread: what a scheduled reminder did (or why it cannot start)."""
        self._post(RemindNews(news))

    def _problem(self, problem: str | None) -> None:
        """In the watcher's thread: a problem began (or, with None, ended)."""
        self._post(WatcherProblem(problem))

    def _scanned(self, batch: Batch, asked: bool) -> None:
        """In the watcher's thread: a full scan completed; `r` asked for it, say what it found."""
        # After a takeover the start-up scan says what came while nobody took files in.
        took = self._took_over if batch.startup else None
        if batch.startup:
            self._took_over = None
        if asked or took is not None:
            self._post(ScanDone(len(batch.added), len(batch.gone), took))

    def _batch(self, batch: Batch) -> None:
        """In the watcher's thread, right after its write: that stamp is ours, not news."""
        self.own_stamp = self.week.store.stamp()
        # What came while nothing watched is shown, but not announced cell by cell.
        self._post(BatchArrived(batch, quiet=batch.startup))

    def stop(self) -> None:
        self._stop.set()
        if self.lock is not None:
            self.lock.release()
        self.follower.stop()


def _holder(dbdir: Path) -> str | None:
    try:
        return presence.ingest_holder(dbdir)
    except OSError:
        return None
