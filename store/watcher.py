"""The live watcher: filesystem events as hints, a periodic full rescan as the truth.

A file is ingested once it has held still (same size and mtime over `settle` seconds), with
the moment the watcher first saw it as its arrival. Events can be lost (the kernel queue
overflows, nothing watched while the process was down), so a full rescan every
`rescan_every` seconds reconciles whatever was missed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from .ingest import Batch, Found, Ingestor, stat_one, walk
from .model import WeekwatchError
from .presence import note_scan
from .reading import is_ignored

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


@dataclass
class _Pending:
    first_seen: dt.datetime
    last: Found | None
    changed_at: float  # monotonic time the file was last seen changing


class Watcher:
    """Watches one inbox and feeds an Ingestor until `stop` is set."""

    def __init__(
        self,
        ingestor: Ingestor,
        *,
        clock: Clock,
        poll: bool = False,
        settle: float = 0.25,
        rescan_every: float = 60.0,
        on_batch: Callable[[Batch], None] | None = None,
        on_problem: Callable[[str | None], None] | None = None,
        on_scan: Callable[[Batch, bool], None] | None = None,
    ) -> None:
        if not (math.isfinite(rescan_every) and rescan_every > 0):
            # nan would never rescan, 0 or less would rescan without pause: both refused.
            raise WeekwatchError(
                f"--rescan {rescan_every:g}: give a number of seconds above 0, like 60"
            )
        self.ingestor = ingestor
        self.inbox: Path = ingestor.inbox
        self.clock = clock
        self.poll = poll
        self.settle = settle
        self.rescan_every = rescan_every
        self.on_batch = on_batch
        #: Told each distinct problem once (a line of text), and None once it clears.
        self.on_problem = on_problem
        #: Told after every completed full scan: its batch, and whether it was asked for.
        self.on_scan = on_scan
        #: When the last full scan completed (the clock's time), None before the first.
        self.last_scan: dt.datetime | None = None
        #: What keeps the watcher from writing now (disk full, inbox gone), or None.
        self.problem: str | None = None
        self._delay = 0.0  # the current back-off, seconds
        self._retry_at = 0.0  # monotonic time before which nothing is written again
        self._said: set[str] = set()  # event-layer failures already logged
        self._gone: list[str] = []  # removals noted, to be written at the next write
        self._pending: dict[str, _Pending] = {}
        self._rescan_now = threading.Event()
        self._next_rescan = 0.0
        self._started = False
        #: Set once the start-up scan is done: from then on every new file is news.
        self.ready = threading.Event()

    def request_rescan(self) -> None:
        """Ask for a full rescan at the next tick (the dashboard's `r`)."""
        self._rescan_now.set()

    def run(self, stop: threading.Event) -> None:
        """Watch, then scan what came while nothing watched; go on until `stop` is set.

        The start-up scan runs on the first tick, once the watch is in place, so a file
        written during that scan still raises an event. `stop` is checked every 100 ms.
        """
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._started = False
        failures: list[float] = []
        while not stop.is_set():
            try:
                self._watch(stop)
            except Exception as exc:
                # The event layer gives up on some names (not UTF-8, for one) and ends the
                # watch; rescans see every name, so fall back on them and watch again.
                said = f"file events failed ({exc}); rescanning instead"
                if said not in self._said:  # once per distinct failure, not every second
                    self._said.add(said)
                    log.warning("%s", said)
                now = time.monotonic()
                failures = [t for t in failures if now - t < 30] + [now]
                degraded_until = now + (60 if len(failures) >= 3 else 1)
                while not stop.is_set() and time.monotonic() < degraded_until:
                    self._tick(set(), force_rescan=True)
                    stop.wait(1.0)

    def _watch(self, stop: threading.Event) -> None:
        for changes in watchfiles.watch(
            self.inbox,
            stop_event=stop,
            debounce=50,
            step=50,
            # Ticks at least every 50 ms: a settled file waits at most that long past `settle`.
            rust_timeout=50,
            yield_on_timeout=True,
            force_polling=self.poll,
            poll_delay_ms=300,
            raise_interrupt=False,
            ignore_permission_denied=True,
        ):
            self._tick(changes)
            if stop.is_set():
                return

    def _tick(
        self, changes: set[tuple[watchfiles.Change, str]], force_rescan: bool = False
    ) -> None:
        try:
            self._note(changes)  # noted even while backing off: nothing is missed
        except Exception:  # a name the OS refuses to stat: the next rescan sees it
            log.exception("watcher could not note a change")
        if time.monotonic() < self._retry_at:
            return  # backing off after a failure: writes wait, events keep being noted
        try:
            if not self._started:
                batch = self.ingestor.scan()
                batch.startup = True
                self._started = True
                self._next_rescan = time.monotonic() + self.rescan_every
                self._emit(batch)
                self._scanned(batch, asked=False)
                self.ready.set()
            if self.problem is None:
                # While a write is failing the rescan below is the one write tried (the truth,
                # and one problem said once); what settled meanwhile waits for it.
                self._ingest_settled()
            if self._gone:
                gone, self._gone = self._gone, []
                try:
                    self._emit(self.ingestor.ingest([], self._arrived_now, gone=gone))
                except BaseException:
                    self._gone = gone + self._gone
                    raise
            due = time.monotonic() >= self._next_rescan
            if force_rescan or due or self._rescan_now.is_set() or self.problem is not None:
                # After a failure the rescan is the truth: whatever a failed write lost.
                asked = self._rescan_now.is_set()
                self._rescan_now.clear()
                batch = self.ingestor.scan()
                self._emit(batch)
                self._next_rescan = time.monotonic() + self.rescan_every
                self._scanned(batch, asked)
        except Exception as exc:  # the watcher must outlive any one bad file or failed write
            self._failed(exc)
        else:
            self._cleared()

    def _scanned(self, batch: Batch, asked: bool) -> None:
        """A full scan completed: its time for everyone who follows, and for `r`'s answer."""
        self.last_scan = self.clock()
        with contextlib.suppress(OSError):  # only a heartbeat: a full disk must not stop us
            note_scan(self.ingestor.store.dbdir, self.last_scan, self.rescan_every)
        if self.on_scan is not None:
            self.on_scan(batch, asked)

    def _failed(self, exc: Exception) -> None:
        """Back off (1 s, doubling to 60 s); say a problem once, a traceback only for a bug."""
        self._delay = min(60.0, self._delay * 2) if self._delay else 1.0
        self._retry_at = time.monotonic() + self._delay
        if isinstance(exc, WeekwatchError):
            problem = str(exc)
        elif isinstance(exc, OSError):
            where = f"{exc.filename}: " if exc.filename else ""
            problem = f"{where}{exc.strerror or exc}"
        else:
            problem = f"{type(exc).__name__}: {exc}"
        if problem == self.problem:
            return
        if isinstance(exc, WeekwatchError | OSError):
            log.warning("watcher: %s (retrying, at most every minute)", problem)
        else:
            log.exception("watcher: %s (retrying, at most every minute)", problem)
        self.problem = problem
        if self.on_problem is not None:
            self.on_problem(problem)

    def _cleared(self) -> None:
        self._delay = 0.0
        if self.problem is None:
            return
        log.warning("watcher: working again")
        self.problem = None
        if self.on_problem is not None:
            self.on_problem(None)

    def _note(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        now = self.clock()
        for _change, raw in changes:
            rel = os.path.relpath(raw, self.inbox).replace(os.sep, "/")
            if rel.startswith("..") or is_ignored(rel):
                continue
            full = os.path.join(self.inbox, rel)
            try:
                mode: int | None = os.lstat(full).st_mode
            except OSError:
                mode = None
            if mode is not None and stat.S_ISDIR(mode):
                # A folder moved in arrives as one event; its files are news too. A link to
                # a folder is not one: it is listed as a link, never followed.
                for f in walk(self.inbox, rel):
                    self._pending.setdefault(f.relpath, _Pending(now, None, time.monotonic()))
            elif mode is not None:
                if rel not in self._pending:
                    # Seen now: this sighting starts the settle, so a file that holds still is
                    # read `settle` seconds after its event rather than a tick later.
                    self._pending[rel] = _Pending(now, stat_one(self.inbox, rel), time.monotonic())
            else:
                if _misspelled(rel):
                    # A name the event layer could not spell (not UTF-8): let the parent
                    # folder's files speak for themselves. A name spelled right is simply
                    # gone: its folder (all the inbox, laid out flat) is not walked for it.
                    parent = os.path.dirname(rel)
                    for f in walk(self.inbox, parent):
                        if os.path.dirname(f.relpath) == parent:
                            self._pending.setdefault(
                                f.relpath, _Pending(now, None, time.monotonic())
                            )
                self._mark_gone(rel)

    def _ingest_settled(self) -> None:
        ready: list[tuple[Found, dt.datetime]] = []
        mono = time.monotonic()
        for rel, p in list(self._pending.items()):
            f = stat_one(self.inbox, rel)
            if f is None:
                del self._pending[rel]
                continue
            if p.last != f:
                p.last, p.changed_at = f, mono
                continue
            if mono - p.changed_at >= self.settle:
                ready.append((f, p.first_seen))
                del self._pending[rel]
        if ready:
            seen = dict((f.relpath, at) for f, at in ready)
            try:
                batch = self.ingestor.ingest([f for f, _ in ready], lambda f: seen[f.relpath])
            except BaseException:
                for f, at in ready:  # not written: they wait, with their first sighting
                    self._pending.setdefault(f.relpath, _Pending(at, None, time.monotonic()))
                raise
            for rel in batch.unsettled:  # written to while read: wait for it to settle again
                self._pending.setdefault(rel, _Pending(seen[rel], None, time.monotonic()))
            self._emit(batch)

    def _mark_gone(self, rel: str) -> None:
        self._pending.pop(rel, None)
        self._gone.append(rel)  # written by the tick, unless it is backing off

    def _arrived_now(self, _f: Found) -> dt.datetime:
        return self.clock()

    def _emit(self, batch: Batch) -> None:
        if self.on_batch is not None and (batch.changed or batch.errors):
            self.on_batch(batch)


def _misspelled(rel: str) -> bool:
    """Whether an event's name may not be the name on disk: decoded with replacement
    characters, or carrying the lone surrogates of undecodable bytes."""
    return "\ufffd" in rel or any("\udc80" <= ch <= "\udcff" for ch in rel)
