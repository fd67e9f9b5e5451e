"""Ingestion: files under inbox/ become material records. Nothing is moved, changed or deleted.

A scan walks the inbox; every file not ignored is either placed by the reading rules or
quarantined with a reason. Files already recorded with the same size and mtime are not hashed
again, so a rescan of a quiet inbox costs one stat per file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .db import FILE_MODE, LOCK_FDS, make_db_folder, share_with_group
from .model import Event, Material, Reading, Unit, WeekwatchError
from .reasons import Code, Quarantine

if TYPE_CHECKING:
    from .db import Store
    from .reading import Reader


def __getattr__(name: str) -> Any:
    # The process pool is imported when a batch is big enough to need it (an operator's
    # one action, or one new file, never does); `ingest.ProcessPoolExecutor` still reaches it.
    if name == "ProcessPoolExecutor":
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CHUNK = 1 << 20
#: Batches at least this big are hashed and read on every core.
PARALLEL_MIN = 2000


class NotRegularFile(OSError):
    """The path is not a regular file (a FIFO, a link, a device...): it is not read."""

    def __init__(self, kind: str, path: str = "") -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", path)
        self.kind = kind

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # picklable across the pool
        return (NotRegularFile, (self.kind, str(self.filename or "")))


#: What a directory entry that is not a regular file or a folder is, by its lstat mode.
def special_kind(mode: int) -> str | None:
    """'symlink', 'fifo', 'socket' or 'device' for such a mode; None for a file or folder."""
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return None


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: O_NONBLOCK: opening a FIFO put in a file's place must not wait for a writer (it would hang
#: ingestion under the lock); O_NOFOLLOW: a link put in its place is not followed.
_FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


def open_dir(inbox: str | os.PathLike[str], rel: str) -> int:
    """A descriptor on the folder inbox/rel, reached without following any link below the
    inbox (the inbox itself may be one: a share mounted elsewhere)."""
    fd = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in rel.split("/") if rel else ():
            sub = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = sub
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(name: str, dir_fd: int | None = None) -> tuple[int, os.stat_result]:
    """A read descriptor on a regular file, and its fstat; nothing else is ever opened.

    The kind is checked on the opened descriptor itself, so no swap after the check matters.
    """
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link
            raise NotRegularFile("symlink", name) from None
        raise
    try:
        st = os.fstat(fd)
        kind = special_kind(st.st_mode)
        if kind is not None or not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(kind or "folder", name)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


@dataclass(frozen=True)
class Hashed:
    """A file read through one descriptor: its hash and the stamp of exactly those bytes."""

    sha256: str
    size: int
    mtime_ns: int
    ino: int
    ctime_ns: int


class StillChanging(OSError):
    """The file was written to while it was read: read it again once it holds still."""

    def __init__(self, path: str = "") -> None:
        super().__init__(errno.EAGAIN, "still being written", path)

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return (StillChanging, (str(self.filename or ""),))


def hash_open(fd: int, st: os.stat_result) -> Hashed:
    """Hash an open regular file to its end; size and stamp come from the same descriptor."""
    with open(fd, "rb", buffering=0, closefd=False) as f:
        size = 0
        if st.st_size <= CHUNK:
            # Most drops are small: one read, no buffer to allocate per file.
            data = f.read(st.st_size + 1)
            size = len(data)
            h = hashlib.sha256(data)
        else:
            h = hashlib.sha256()
        if size > st.st_size or st.st_size > CHUNK:
            buf = bytearray(CHUNK)
            view = memoryview(buf)
            while n := f.readinto(buf):
                h.update(view[:n])
                size += n
    after = os.fstat(fd)
    if (after.st_size, after.st_mtime_ns) != (size, st.st_mtime_ns):
        # Grown, shrunk or rewritten while read: the bytes hashed are no version of the file.
        raise StillChanging()
    return Hashed(h.hexdigest(), size, after.st_mtime_ns, after.st_ino, after.st_ctime_ns)


def hash_file(path: str | os.PathLike[str]) -> Hashed:
    """Open (as open_regular does) and hash one file."""
    fd, st = open_regular(os.fspath(path))
    try:
        return hash_open(fd, st)
    finally:
        os.close(fd)


def sha256_of(path: str | os.PathLike[str], size_hint: int = -1) -> str:
    """The file's SHA-256, streamed so that a 5 GB video costs constant memory."""
    return hash_file(path).sha256


def display_path(path: str) -> str:
    """A path safe to print: undecodable bytes (kept as surrogates) shown as \\xNN escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def spelled(value: Any) -> Any:
    """A JSON-like value with every string in display_path's spelling: what the operator reads
    (text or JSON, materials or the action log) names an undecodable byte one way, \\xNN, and
    every command taking a path accepts that spelling back (Week.resolve_path)."""
    if isinstance(value, str):
        return display_path(value)
    if isinstance(value, dict):
        return {display_path(str(k)): spelled(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [spelled(v) for v in value]
    return value


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
        import ctypes

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
) -> list[tuple[Hashed | OSError, Reading]]:
    work = work or _FORKED
    assert work is not None
    inbox, reader = work
    out: list[tuple[Hashed | OSError, Reading]] = []
    folder, dir_fd = None, -1  # walk order groups files by folder: one open per folder
    try:
        for rel, _size, arrived in items:
            parent, _, name = rel.rpartition("/")
            try:
                if parent != folder:
                    if dir_fd >= 0:
                        os.close(dir_fd)
                    folder, dir_fd = None, -1
                    dir_fd, folder = open_dir(inbox, parent), parent
                fd, st = open_regular(name, dir_fd)
                try:
                    result: Hashed | OSError = hash_open(fd, st)
                finally:
                    os.close(fd)
            except (NotRegularFile, StillChanging) as exc:
                result = exc
            except OSError as exc:
                result = OSError(exc.errno, exc.strerror)  # picklable across the pool
            out.append((result, reader.read(rel, arrived)))
    finally:
        if dir_fd >= 0:
            os.close(dir_fd)
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
    """An entry seen under the inbox: where, how big, when last written, which inode.

    `kind` is "file" for a regular file (the only kind ever opened), "symlink", "fifo",
    "socket" or "device" for what is listed in quarantine unopened, and "folder" for a folder
    that cannot be read.
    """

    relpath: str
    size: int
    mtime_ns: int
    ino: int = 0
    ctime_ns: int = 0
    kind: str = "file"

    @property
    def mtime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9, dt.UTC)

    @classmethod
    def of(cls, relpath: str, st: os.stat_result, kind: str = "file") -> Found:
        return cls(relpath, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, kind)


_DENIED = (errno.EACCES, errno.EPERM)


def walk(inbox: Path, sub: str = "", unreadable: list[str] | None = None) -> Iterator[Found]:
    """Every non-ignored entry under inbox/ (or one folder of it) but folders, in no set order.

    No link is ever followed: a link is listed as one (kind "symlink"), as are FIFOs, sockets
    and device nodes. A folder that cannot be read for its permissions is listed (kind
    "folder"); every folder that went unlisted (unreadable, or removed mid-walk) is named in
    `unreadable`, so its files are not taken for gone.
    """
    from .reading import is_ignored

    stack: list[tuple[str, os.stat_result | None]] = [(sub, None)]
    if sub:
        try:
            st = os.lstat(os.path.join(inbox, sub))
        except OSError:
            st = None
        stack = [(sub, st)]
    while stack:
        rel, dst = stack.pop()
        try:
            fd = open_dir(inbox, rel)
        except OSError as exc:
            # Removed or unreadable mid-walk: the next rescan sees it again. Its files are
            # not gone for that, so the caller must know which folders went unseen.
            if unreadable is not None:
                unreadable.append(rel)
            if rel and dst is not None and exc.errno in _DENIED:
                yield Found.of(rel, dst, "folder")
            continue
        try:
            listed = []
            with os.scandir(fd) as entries:
                for entry in entries:
                    relpath = f"{rel}/{entry.name}" if rel else entry.name
                    if is_ignored(relpath):
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue  # gone since it was listed
                    listed.append((relpath, st))
        except OSError:
            if unreadable is not None:
                unreadable.append(rel)
            continue
        finally:
            os.close(fd)
        for relpath, st in listed:
            if stat.S_ISDIR(st.st_mode):
                stack.append((relpath, st))
            elif stat.S_ISREG(st.st_mode):
                yield Found.of(relpath, st)
            else:
                yield Found.of(relpath, st, special_kind(st.st_mode) or "device")


def stat_one(inbox: Path, relpath: str) -> Found | None:
    """The entry as it is now (a link not followed), or None if gone or a folder."""
    try:
        st = os.lstat(os.path.join(inbox, relpath))
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return None
    if stat.S_ISREG(st.st_mode):
        return Found.of(relpath, st)
    return Found.of(relpath, st, special_kind(st.st_mode) or "device")


def _stamp(m: Material | Found) -> tuple[int, int, int, int]:
    return (m.size, m.mtime_ns, m.ino, m.ctime_ns)


#: Quarantine codes of records made without reading the file, by the kind of entry.
_UNOPENED = {
    "symlink": Code.SYMLINK,
    "fifo": Code.FIFO,
    "socket": Code.SOCKET,
    "device": Code.DEVICE,
    "folder": Code.FOLDER_UNREADABLE,
}
#: Records tried again at every scan whatever their stamp: the next try may succeed.
_RETRIED = frozenset({Code.UNREADABLE, Code.FOLDER_UNREADABLE})


@dataclass
class Batch:
    """What one ingestion pass wrote."""

    added: list[Material] = field(default_factory=list)  # new files and new content
    gone: list[Material] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be read this time
    #: Files written to while they were read: not recorded, read again once they hold still.
    unsettled: list[str] = field(default_factory=list)
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
        from . import composite

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
        from . import composite

        known = self.current()
        batch = Batch()
        writes: list[Material] = []
        seen: set[str] = set()
        todo: list[tuple[Found, Material | None]] = []
        composed: list[Found] = []
        for f in found:
            seen.add(f.relpath)
            old = known.get(f.relpath)
            if f.kind != "file":
                self._unopened(f, old, arrived, writes, batch)
                continue
            if composite.is_composite(self.inbox, f.relpath):
                composed.append(f)
                continue
            if (
                old is None
                or old.gone
                or _stamp(old) != _stamp(f)
                or (old.quarantine is not None and old.quarantine.code in _RETRIED)
            ):
                todo.append((f, old))
        arrivals = [arrived(f).astimezone(self.event.tz) for f, _ in todo]
        # A rewritten file is read as of its first version's arrival: the corrected copy of a
        # day's report stays in that day's cell (and keeps the credit it earned there).
        firsts = first_arrivals(self.store.materials()) if any(old for _, old in todo) else {}
        readings = [
            min(at, firsts.get(f.relpath, at)) for (f, _), at in zip(todo, arrivals, strict=True)
        ]
        results = self._read_all(todo, readings)
        for (f, old), at, (read, reading) in zip(todo, arrivals, results, strict=True):
            shown = display_path(f.relpath)
            if isinstance(read, NotRegularFile):  # swapped for a FIFO, a link... once listed
                now = stat_one(self.inbox, f.relpath)
                if now is not None and now.kind != "file":
                    self._unopened(now, old, arrived, writes, batch)
                continue
            if isinstance(read, StillChanging):
                batch.errors.append(f"{shown}: still being written; read again once it settles")
                batch.unsettled.append(f.relpath)
                continue
            if isinstance(read, OSError):
                if read.errno == errno.ENOENT:
                    continue  # removed since it was listed: the next scan marks it gone
                detail = read.strerror or str(read)
                batch.errors.append(f"{shown}: {detail}")
                if read.errno in _DENIED:
                    q = Quarantine.of(Code.UNREADABLE, detail=detail)
                    self._keep(self._unread(f, old, at, q), old, writes, batch)
                continue
            f = replace(
                f, size=read.size, mtime_ns=read.mtime_ns, ino=read.ino, ctime_ns=read.ctime_ns
            )
            if old is not None and old.sha256 == read.sha256:
                # Same content touched or put back: the record stays, the stamp follows.
                writes.append(
                    replace(
                        old,
                        size=f.size,
                        mtime_ns=f.mtime_ns,
                        ino=f.ino,
                        ctime_ns=f.ctime_ns,
                        gone=False,
                    )
                )
                continue
            if old is not None and old.sha256:
                writes.append(replace(old, key=f"{old.path}@{old.sha256[:16]}", superseded=True))
            elif old is not None:
                # Recorded unread (no permission, a link...): now read, it keeps its arrival.
                at = min(at, old.received_at)
            writes.append(self._record(f, read.sha256, at, reading))
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
    ) -> Iterator[tuple[Hashed | OSError, Reading]]:
        """Hash and read every file, in order; on both cores when there are many."""
        items = [(f.relpath, f.size, at) for (f, _), at in zip(todo, arrivals, strict=True)]
        global _FORKED
        if len(items) < PARALLEL_MIN or threading.active_count() > 1:
            # A process with threads (the dashboard) must not fork; small batches need not.
            yield from _hash_and_read(items, (str(self.inbox), self.reader))
            return
        import multiprocessing

        pool_class = globals().get("ProcessPoolExecutor") or __getattr__("ProcessPoolExecutor")
        _FORKED = (str(self.inbox), self.reader)  # inherited by the forked workers
        slices = [items[i : i + 1000] for i in range(0, len(items), 1000)]
        ctx = multiprocessing.get_context("fork")
        with pool_class(
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
        from . import composite

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

    def _unopened(
        self,
        f: Found,
        old: Material | None,
        arrived: Callable[[Found], dt.datetime],
        writes: list[Material],
        batch: Batch,
    ) -> None:
        """A link, FIFO, socket, device node or unreadable folder: listed, never opened."""
        if old is not None and not old.gone and not old.sha256 and _stamp(old) == _stamp(f):
            return  # listed already, unchanged
        args: dict[str, str] = {}
        if f.kind == "symlink":
            try:
                args["target"] = display_path(os.readlink(os.path.join(self.inbox, f.relpath)))
            except OSError:
                args["target"] = "?"
        elif f.kind == "folder":
            args["detail"] = os.strerror(errno.EACCES)
        q = Quarantine.of(_UNOPENED[f.kind], **args)
        at = arrived(f).astimezone(self.event.tz)
        if old is not None and old.sha256 and not old.gone:
            # A file replaced by a link (or a FIFO): the file's record is kept as a version.
            writes.append(replace(old, key=f"{old.path}@{old.sha256[:16]}", superseded=True))
            old = None
        self._keep(self._unread(f, old, at, q), None, writes, batch)

    def _unread(self, f: Found, old: Material | None, at: dt.datetime, q: Quarantine) -> Material:
        """The record of an entry that was not read: no hash, in quarantine with its reason."""
        if old is not None and not old.sha256:
            at = min(at, old.received_at)  # still the same unread entry: its first arrival
        return Material(
            key=f.relpath,
            path=f.relpath,
            sha256="",
            size=f.size,
            mtime_ns=f.mtime_ns,
            received_at=at,
            unit=None,
            kind="report",
            cell=None,
            quarantine=q,
            ino=f.ino,
            ctime_ns=f.ctime_ns,
        )

    @staticmethod
    def _keep(m: Material, old: Material | None, writes: list[Material], batch: Batch) -> None:
        """Write `m` unless the very same record is there already (tried again, same result)."""
        if old is not None and old == m:
            return
        writes.append(m)
        batch.added.append(m)

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
            ino=f.ino,
            ctime_ns=f.ctime_ns,
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
        make_db_folder(self.path.parent)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        except PermissionError:
            # A lock file another operator made (before it was group-writable): a flock
            # needs only a descriptor, not the right to write the pid into it.
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError as e:
                raise WeekwatchError(f"cannot open the lock file {self.path}: {e}") from e
        with contextlib.suppress(OSError):
            share_with_group(fd)
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
        with contextlib.suppress(OSError):
            # The pid only tells others who holds the lock: a full disk (or a lock file
            # another operator made read-only) must not stop ingestion for it.
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
