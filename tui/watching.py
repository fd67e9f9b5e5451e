"""Watching the inbox, or following the process that does: a mixin of the app.

The dashboard ingests (runs the watcher in a thread worker) if it can take the workspace's
ingest lock; otherwise it follows the store, whose change stamp it polls, and says whose
pid it follows. Either way every write by any process reaches the grid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from weekwatch.store.ingest import Batch, IngestLock
from weekwatch.store.model import WeekwatchError

from .judge import touched_units

if TYPE_CHECKING:
    from weekwatch.store.watcher import Watcher
from .messages import BatchArrived, ScanDone


class Watching:
    """Needs the app's week, t, notify, refresh_board, _update_header, is_running."""

    watcher: Watcher | None
    following: str | None
    _lock: IngestLock | None
    _stamp: object

    def _take_ingest_lock(self) -> None:
        """Ingest here, or follow the process that already does (its pid in the header)."""
        lock = IngestLock(self.week.workspace.dbdir)
        try:
            lock.acquire()
        except (WeekwatchError, OSError):
            self.following = lock.path.read_text(errors="replace").strip() or "?"
        else:
            self._lock = lock

    def _start_watching(self) -> None:
        if self._lock is not None:
            self._watch()
        elif self.following:
            self.notify(self.t("msg.following", pid=self.following), timeout=6)
        self._update_header()

    @work(thread=True, exclusive=True, group="watcher", exit_on_error=False)
    def _watch(self) -> None:
        from weekwatch.store.watcher import Watcher

        self.watcher = Watcher(
            self.week.ingestor(),
            clock=self.clock,
            on_batch=self._on_watcher_batch,
        )
        self.watcher.run(self._stop)

    def _on_watcher_batch(self, batch: Batch) -> None:
        """In the watcher's thread, right after its write: that stamp is ours, not news."""
        self._own_stamp = self.week.store.stamp()
        # What came while nothing watched is shown, but not announced cell by cell.
        self.post_message(BatchArrived(batch, quiet=batch.startup))

    def on_unmount(self) -> None:
        self._stop.set()
        if self._lock is not None:
            self._lock.release()

    def on_batch_arrived(self, message: BatchArrived) -> None:
        if not self.is_running:
            return
        for err in message.batch.errors[:3]:
            self.notify(err, severity="warning")
        if not message.batch.changed:
            return
        touched = touched_units(message.batch, self.ledger)
        if message.quiet:
            # Not announced in any board up to and including the first judged after it.
            self._quiet_units |= touched
            self._quiet_until = self._seq + 1
        # Quarantined files touch no unit, but the quarantine list and count still change.
        self.refresh_board(touched)

    def on_scan_done(self, message: ScanDone) -> None:
        self.notify(self.t("msg.scanned", added=message.added, gone=message.gone))
        self.refresh_board()

    def _poll_store(self) -> None:
        """Any process's write (another dashboard, an external watcher) changes the stamp."""
        if not self.is_running:
            return
        stamp = self.week.store.stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            if stamp != self._own_stamp:  # our watcher's writes arrive as BatchArrived
                self.refresh_board()
