"""Ingestion: files under inbox/ become material records. Nothing is moved, changed or deleted.

A scan walks the inbox; every file not ignored is either placed by the reading rules or
quarantined with a reason. Files already recorded with the same size and mtime are not hashed
again, so a rescan of a quiet inbox costs one stat per file.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import hashlib
import multiprocessing
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import composite
from .db import LOCK_FDS
from .model import Event, Material, Reading, Unit, WeekwatchError
from .reading import Reader, is_ignored
from .reasons import Code, Quarantine

if TYPE_CHECKING:
    from .db import Store

CHUNK = 1 << 20
#: Batches at least this big are hashed and read on every core.
PARALLEL_MIN = 2000


class NotRegularFile(OSError):
    """The path is no longer a regular file (a FIFO, a link, a device...): it is not read."""


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A read descriptor on a regular file, and its fstat, never following a final link.

    O_NONBLOCK: opening a FIFO put in the file's place must not wait for a writer (it would
    hang ingestion under the lock); O_NOFOLLOW: a link swapped in is not followed. The kind
    is checked on the opened descriptor itself, so no swap after the check can change it.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", os.fspath(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def sha256_of(path: str | os.PathLike[str], size_hint: int = -1) -> str:
    """The file's SHA-256, streamed so that a 5 GB video costs constant memory."""
    try:
        fd, _st = open_regular(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link
            raise NotRegularFile(errno.ELOOP, "symbolic link", os.fspath(path)) from None
        raise
    with open(fd, "rb", buffering=0) as f:
        if 0 <= size_hint <= CHUNK:
            # Most drops are small: one read, no buffer to allocate per file.
            data = f.read(size_hint + 1)
            if len(data) <= size_hint:
                return hashlib.sha256(data).hexdigest()
            h = hashlib.sha256(data)
        else:
            h = hashlib.sha256()
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        while n := f.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


def display_path(path: str) -> str:
    """A path safe to print: undecodable bytes (kept as surrogates) shown as \\xNN escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


#: The inbox and reader a forked hashing worker inherits from its parent.
_FORKED: tuple[str, Reader] | None = None

_PR_SET_PDEATHSIG = 1


def _worker_start(parent: int) -> None:
    """First thing in a forked hashing worker: drop the locks, die with the parent."""
    for fd in list(LOCK_FDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    LOCK_FDS.clear()
    # Ctrl-C reaches the whole process group: the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(0.5)
    os._exit(1)


def _hash_and_read(
    items: list[tuple[str, int, dt.datetime]], work: tuple[str, Reader] | None = None
) -> list[tuple[str | OSError, Reading]]:
    work = work or _FORKED
    assert work is not None
    inbox, reader = work
    out: list[tuple[str | OSError, Reading]] = []
    for rel, size, arrived in items:
        try:
            digest: str | OSError = sha256_of(os.path.join(inbox, rel), size)
        except OSError as exc:
            digest = OSError(exc.errno, exc.strerror)  # picklable across the pool
        out.append((digest, reader.read(rel, arrived)))
    return out


def first_arrivals(materials: Iterable[Material]) -> dict[str, dt.datetime]:
    """Each path's first arrival, over all its versions (a file rewritten keeps its first)."""
    out: dict[str, dt.datetime] = {}
    for m in materials:
        if m.path not in out or m.received_at < out[m.path]:
            out[m.path] = m.received_at
    return out


def _under(path: str, folders: tuple[str, ...]) -> bool:
    """Whether `path` is one of `folders` or lies inside one."""
    return any(path == f or path.startswith(f + "/") for f in folders)


def _mtime(f: Found) -> dt.datetime:
    return f.mtime


@dataclass(frozen=True)
class Found:
    """A file seen under the inbox: where, how big, when last written."""

    relpath: str
    size: int
    mtime_ns: int

    @property
    def mtime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9, dt.UTC)


def walk(inbox: Path, sub: str = "", unreadable: list[str] | None = None) -> Iterator[Found]:
    """Every regular, non-ignored file under inbox/ (or one folder of it), in no set order.

    Folders that cannot be listed are skipped and named in `unreadable`.
    """
    stack = [sub]
    while stack:
        rel = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(inbox, rel) if rel else inbox))
        except OSError:
            # Removed or unreadable mid-walk: the next rescan sees it again. Its files are
            # not gone for that, so the caller must know which folders went unseen.
            if unreadable is not None:
                unreadable.append(rel)
            continue
        for entry in entries:
            relpath = f"{rel}/{entry.name}" if rel else entry.name
            if is_ignored(relpath):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(relpath)
                elif entry.is_file():
                    st = entry.stat()
                    yield Found(relpath, st.st_size, st.st_mtime_ns)
            except OSError:
                continue


def stat_one(inbox: Path, relpath: str) -> Found | None:
    """The file as it is now, or None if it is not a regular file (gone, a folder)."""
    try:
        st = os.stat(os.path.join(inbox, relpath))
    except OSError:
        return None
    if not (st.st_mode & 0o170000 == 0o100000):
        return None
    return Found(relpath, st.st_size, st.st_mtime_ns)


@dataclass
class Batch:
    """What one ingestion pass wrote."""

    added: list[Material] = field(default_factory=list)  # new files and new content
    gone: list[Material] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be read this time
    startup: bool = False  # the watcher's first scan: what came while nothing watched

    @property
    def changed(self) -> bool:
        return bool(self.added or self.gone)


class Ingestor:
    """Turns found files into material records and writes them in one batch."""

    def __init__(
        self, event: Event, reader: Reader, store: Store, inbox: Path, units: Sequence[Unit] = ()
    ) -> None:
        self.event = event
        self.reader = reader
        self.store = store
        self.inbox = inbox
        # Zip bundles and e-mails: their members are read in store/composite.py.
        self.unpacker = composite.Unpacker(reader, units)

    def current(self) -> dict[str, Material]:
        """The live record of every path (superseded versions left out)."""
        return {m.path: m for m in self.store.materials() if not m.superseded}

    def ingest(
        self,
        found: Iterable[Found],
        arrived: Callable[[Found], dt.datetime],
        *,
        complete: bool = False,
        gone: Iterable[str] = (),
        unseen: tuple[str, ...] = (),
    ) -> Batch:
        """Record new and rewritten files in one write.

        With `complete`, `found` is the whole inbox and records of files no longer there are
        marked gone, except under the `unseen` folders; `gone` names paths (or folders) that
        were removed.
        """
        known = self.current()
        batch = Batch()
        writes: list[Material] = []
        seen: set[str] = set()
        todo: list[tuple[Found, Material | None]] = []
        composed: list[Found] = []
        for f in found:
            seen.add(f.relpath)
            if composite.is_composite(self.inbox, f.relpath):
                composed.append(f)
                continue
            old = known.get(f.relpath)
            if old is None or old.gone or (old.size, old.mtime_ns) != (f.size, f.mtime_ns):
                todo.append((f, old))
        arrivals = [arrived(f).astimezone(self.event.tz) for f, _ in todo]
        # A rewritten file is read as of its first version's arrival: the corrected copy of a
        # day's report stays in that day's cell (and keeps the credit it earned there).
        firsts = first_arrivals(self.store.materials()) if any(old for _, old in todo) else {}
        readings = [
            min(at, firsts.get(f.relpath, at)) for (f, _), at in zip(todo, arrivals, strict=True)
        ]
        results = self._read_all(todo, readings)
        for (f, old), at, (digest, reading) in zip(todo, arrivals, results, strict=True):
            if isinstance(digest, OSError):
                batch.errors.append(f"{display_path(f.relpath)}: {digest.strerror or digest}")
                continue
            if old is not None and old.sha256 == digest:
                # Same content touched or put back: the record stays, the stamp follows.
                writes.append(replace(old, mtime_ns=f.mtime_ns, gone=False))
                continue
            if old is not None:
                writes.append(replace(old, key=f"{old.path}@{old.sha256[:16]}", superseded=True))
            writes.append(self._record(f, digest, at, reading))
            batch.added.append(writes[-1])
        if composed:
            self._composites(composed, arrived, known, seen, batch, writes)
        for path in self._gone(known, seen, complete, tuple(gone), unseen):
            writes.append(replace(known[path], gone=True))
            batch.gone.append(writes[-1])
        if writes:
            self.store.put_materials(writes)
        return batch

    def _read_all(
        self, todo: list[tuple[Found, Material | None]], arrivals: list[dt.datetime]
    ) -> Iterator[tuple[str | OSError, Reading]]:
        """Hash and read every file, in order; on both cores when there are many."""
        items = [(f.relpath, f.size, at) for (f, _), at in zip(todo, arrivals, strict=True)]
        global _FORKED
        if len(items) < PARALLEL_MIN or threading.active_count() > 1:
            # A process with threads (the dashboard) must not fork; small batches need not.
            yield from _hash_and_read(items, (str(self.inbox), self.reader))
            return
        _FORKED = (str(self.inbox), self.reader)  # inherited by the forked workers
        slices = [items[i : i + 1000] for i in range(0, len(items), 1000)]
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=os.cpu_count() or 2,
            mp_context=ctx,
            initializer=_worker_start,
            initargs=(os.getpid(),),
        ) as pool:
            for chunk in pool.map(_hash_and_read, slices):
                yield from chunk

    def _gone(
        self,
        known: dict[str, Material],
        seen: set[str],
        complete: bool,
        removed: tuple[str, ...],
        unseen: tuple[str, ...],
    ) -> list[str]:
        if not complete and not removed:
            return []
        out = []
        for path, old in known.items():
            if old.gone or path in seen or _under(old.container, unseen):
                continue
            if complete:
                out.append(path)
            elif _under(old.container, removed) and stat_one(self.inbox, old.container) is None:
                out.append(path)  # checked: the event may be older than a file put back
        return out

    def _composites(
        self,
        found: list[Found],
        arrived: Callable[[Found], dt.datetime],
        known: dict[str, Material],
        seen: set[str],
        batch: Batch,
        writes: list[Material],
    ) -> None:
        """Zips and e-mails: the materials inside each changed one (store/composite.py)."""
        boxes = composite.held(known.values())
        todo: list[Found] = []
        for f in found:
            old = boxes.get(f.relpath, [])
            seen.update(m.path for m in old)
            if not composite.unchanged(old, f.size, f.mtime_ns):
                plain = known.get(f.relpath)
                if plain is not None and not plain.within:  # recorded before it was opened
                    boxes[f.relpath] = [*old, plain]
                todo.append(f)
        w, added, gone = composite.ingest_composites(
            self.unpacker,
            self.inbox,
            [(f.relpath, f.size, f.mtime_ns) for f in todo],
            lambda i: arrived(todo[i]).astimezone(self.event.tz),
            boxes,
            batch.errors,
        )
        writes += w
        batch.added += added
        batch.gone += gone

    def _record(self, f: Found, digest: str, arrived: dt.datetime, reading: Reading) -> Material:
        quarantine = reading.quarantine
        if f.size == 0:
            quarantine = Quarantine.of(Code.EMPTY)
        return Material(
            key=f.relpath,
            path=f.relpath,
            sha256=digest,
            size=f.size,
            mtime_ns=f.mtime_ns,
            received_at=arrived,
            unit=reading.unit,
            kind=reading.kind,
            cell=reading.cell,
            quarantine=quarantine,
            until=reading.until,
        )

    def scan(self) -> Batch:
        """One full pass over the inbox; arrival is each file's modification time."""
        if not self.inbox.is_dir():
            raise WeekwatchError(f"{self.inbox}: the inbox folder is missing or not a folder")
        unreadable: list[str] = []
        found = list(walk(self.inbox, unreadable=unreadable))
        if "" in unreadable:
            raise WeekwatchError(f"{self.inbox}: cannot list the inbox folder")
        batch = self.ingest(found, _mtime, complete=True, unseen=tuple(unreadable))
        batch.errors += [f"{display_path(u)}/: cannot list this folder" for u in unreadable]
        return batch


class IngestLock:
    """Only one process ingests a workspace; the lock dies with its holder."""

    def __init__(self, dbdir: Path) -> None:
        self.path = dbdir / "ingest.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise WeekwatchError(
                    f"another weekwatch process (pid {holder}) is already ingesting this "
                    "workspace; only one may — dashboards follow it without ingesting"
                ) from None
            raise
        LOCK_FDS.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def held_by_other(self) -> bool:
        """Whether some other process ingests now (without taking the lock)."""
        try:
            self.acquire()
        except WeekwatchError:
            return True
        self.release()
        return False

    def release(self) -> None:
        if self._fd is not None:
            LOCK_FDS.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> IngestLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
