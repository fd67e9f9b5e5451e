"""Hashing inbox files: one descriptor per file (its size and stamp from the same descriptor),
and the forked workers that hash and read a big batch on every core and die with their parent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import signal
import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .db import LOCK_FDS
from .inbox_walk import Found, NotRegularFile, open_dir, open_regular
from .model import Reading

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from .reading import Reader


def __getattr__(name: str) -> Any:
    # The process pool is imported when a batch is big enough to need it (an operator's
    # one action, or one new file, never does); `hashing.ProcessPoolExecutor` still reaches it.
    if name == "ProcessPoolExecutor":
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CHUNK = 1 << 20
#: Batches at least this big are hashed and read on every core.
PARALLEL_MIN = 2000
#: Files a worker is handed at a time: enough that shipping them costs little, few enough that
#: the workers start while the walk is still young and the last chunk is not long alone.
SLICE = 500

T = TypeVar("T")
#: (path relative to inbox/, size as listed, the arrival it is read as).
Item = tuple[str, int, dt.datetime]
Result = tuple["Hashed | OSError", Reading]


class Hashed(NamedTuple):
    """A file read through one descriptor: its hash and the stamp of exactly those bytes.
    A tuple: a scan from scratch makes one per file and ships it back from its worker."""

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
    digest, size, mtime_ns, ino, ctime_ns = _digest_open(fd, st)
    return Hashed(digest.hex(), size, mtime_ns, ino, ctime_ns)


def _digest_open(fd: int, st: os.stat_result) -> tuple[bytes, int, int, int, int]:
    """hash_open's work: the raw digest, size, mtime_ns, ino and ctime_ns."""
    size = 0
    if st.st_size <= CHUNK:
        # Most drops are small: one read (one system call, as a raw file's read), no buffer
        # or file object made per file.
        data = os.read(fd, st.st_size + 1)
        size = len(data)
        h = hashlib.sha256(data)
    else:
        h = hashlib.sha256()
    if size > st.st_size or st.st_size > CHUNK:
        with open(fd, "rb", buffering=0, closefd=False) as f:
            buf = bytearray(CHUNK)
            view = memoryview(buf)
            while n := f.readinto(buf):
                h.update(view[:n])
                size += n
    after = os.fstat(fd)
    if (after.st_size, after.st_mtime_ns) != (size, st.st_mtime_ns):
        # Grown, shrunk or rewritten while read: the bytes hashed are no version of the file.
        raise StillChanging()
    return h.digest(), size, after.st_mtime_ns, after.st_ino, after.st_ctime_ns


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


#: The inbox, reader and the week's time zone a forked hashing worker inherits from its parent.
_FORKED: tuple[str, Reader, dt.tzinfo] | None = None

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


def _hashed(
    inbox: str, rels: Iterator[str], how: Callable[[int, os.stat_result], T]
) -> Iterator[T | OSError]:
    """Each file hashed by `how` (or why not), in order; one open per folder, as walk order
    groups them."""
    folder, dir_fd = None, -1
    try:
        for rel in rels:
            parent, _, name = rel.rpartition("/")
            try:
                if parent != folder:
                    if dir_fd >= 0:
                        os.close(dir_fd)
                    folder, dir_fd = None, -1
                    dir_fd, folder = open_dir(inbox, parent), parent
                fd, st = open_regular(name, dir_fd)
                try:
                    result: T | OSError = how(fd, st)
                finally:
                    os.close(fd)
            except (NotRegularFile, StillChanging) as exc:
                result = exc
            except OSError as exc:
                result = OSError(exc.errno, exc.strerror)  # picklable across the pool
            yield result
    finally:
        if dir_fd >= 0:
            os.close(dir_fd)


def _hash_and_read(items: list[Item], work: tuple[str, Reader] | None = None) -> list[Result]:
    if work is None:
        assert _FORKED is not None
        work = _FORKED[:2]
    inbox, reader = work
    read = reader.read
    hashed = _hashed(inbox, (rel for rel, _, _ in items), hash_open)
    return [(result, read(rel, at)) for (rel, _, at), result in zip(items, hashed, strict=True)]


#: One slice of files offered ahead, sent to a worker: (path, mtime_ns) each.
Offered = list[tuple[str, int]]
#: What a worker sends back for a slice, packed (a tuple per file cost the parent more to
#: unpickle than the hashing did, and a slice's results wait while the walk goes on): the
#: SHA-256 digests end to end, then size, mtime_ns, ino and ctime_ns of each file (zeros and
#: no digest where it could not be hashed), why not by position, and each file's reading as an
#: index into the slice's distinct readings.
Packed = tuple[bytes, "array[int]", dict[int, OSError], list[int], list[Reading]]


def _ahead_slice(items: Offered) -> Packed:
    """A forked worker's part of a look-ahead: hash and read, each file as of its mtime."""
    assert _FORKED is not None
    inbox, reader, tz = _FORKED
    digests = bytearray()
    stamps: array[int] = array("q")
    failed: dict[int, OSError] = {}
    which: list[int] = []
    distinct: list[Reading] = []
    seen: dict[int, int] = {}  # id of a reading (the reader shares equal ones) -> its index
    hashed = _hashed(inbox, (rel for rel, _ in items), _digest_open)
    for i, ((rel, ns), result) in enumerate(zip(items, hashed, strict=True)):
        if not isinstance(result, OSError):
            digests += result[0]
            stamps.extend(result[1:])
        else:
            failed[i] = result
            digests += bytes(32)
            stamps.extend((0, 0, 0, 0))
        # The arrival a scan gives a file: its mtime (ingest's `_mtime`), in the week's zone.
        reading = reader.read(rel, Found(rel, 0, ns).mtime.astimezone(tz))
        k = seen.get(id(reading))
        if k is None:
            k = seen[id(reading)] = len(distinct)
            distinct.append(reading)
        which.append(k)
    return bytes(digests), stamps, failed, which, distinct


def _unpacked(packed: Packed) -> Iterator[Result]:
    digests, stamps, failed, which, distinct = packed
    for i, k in enumerate(which):
        if failed and i in failed:
            yield failed[i], distinct[k]
            continue
        size, mtime, ino, ctime = stamps[4 * i : 4 * i + 4]
        yield Hashed(digests[32 * i : 32 * i + 32].hex(), size, mtime, ino, ctime), distinct[k]


def _pool(inbox: str, reader: Reader, tz: dt.tzinfo = dt.UTC) -> Executor:
    """Forked workers, one per core, that inherit the inbox, reader and zone and die with us."""
    global _FORKED
    import multiprocessing

    pool_class = globals().get("ProcessPoolExecutor") or __getattr__("ProcessPoolExecutor")
    _FORKED = (inbox, reader, tz)  # inherited by the forked workers
    pool: Executor = pool_class(
        max_workers=os.cpu_count() or 2,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )
    return pool


def _may_fork() -> bool:
    # A process with threads (the dashboard) must not fork.
    return threading.active_count() <= 1


def hash_and_read(items: list[Item], inbox: str, reader: Reader) -> Iterator[Result]:
    """Hash and read every (path, size, arrival), in order; on every core when there are many."""
    if len(items) < PARALLEL_MIN or not _may_fork():
        yield from _hash_and_read(items, (inbox, reader))
        return
    slices = [items[i : i + 1000] for i in range(0, len(items), 1000)]
    with _pool(inbox, reader) as pool:
        for chunk in pool.map(_hash_and_read, slices):
            yield from chunk


class Ahead:
    """Files hashed and read by the workers while the walk is still listing the rest.

    A scan offers each file it expects to need reading as the walk finds it (a new file, or
    one whose stamp changed), with the arrival it gives it, its mtime in the week's zone; once
    PARALLEL_MIN are offered the workers start, a slice at a time, so listing, hashing and
    reading overlap instead of following one another. A worker reads each file as of that
    same arrival, made from the same mtime by the same code (`Found.mtime`). `take` then
    answers `hash_and_read`'s question from what was computed ahead: the same function on the
    same (path, arrival), only sooner. A file not offered, or asked as another arrival than it
    was offered with (a rewritten file is read as of its first version's), is read then and
    there; what was offered and not asked is dropped.
    """

    def __init__(self, inbox: str, reader: Reader, tz: dt.tzinfo) -> None:
        self._inbox, self._reader, self._tz = inbox, reader, tz
        self._offered: dict[str, dt.datetime] = {}
        self._pending: Offered = []
        self._sent: deque[tuple[list[str], Future[Packed]]] = deque()
        self._pool: Executor | None = None
        self._off = not _may_fork()

    def offer(self, relpath: str, mtime_ns: int, at: dt.datetime) -> None:
        """A file the scan will likely read, and its arrival (`Found.mtime` in the zone)."""
        if self._off:
            return
        self._offered[relpath] = at
        self._pending.append((relpath, mtime_ns))
        if self._pool is None and len(self._offered) >= PARALLEL_MIN:
            self._pool = _pool(self._inbox, self._reader, self._tz)
        if self._pool is not None and len(self._pending) >= SLICE:
            self._send()

    def arrival(self, relpath: str) -> dt.datetime | None:
        """The arrival a file was offered with (found once, not computed twice)."""
        return self._offered.get(relpath)

    def _send(self) -> None:
        assert self._pool is not None
        for i in range(0, len(self._pending), SLICE):
            part = self._pending[i : i + SLICE]
            # Only the paths are kept to pair the results with: the slice is on its way.
            self._sent.append(([rel for rel, _ in part], self._pool.submit(_ahead_slice, part)))
        self._pending = []

    def _stream(self) -> Iterator[tuple[str, Result]]:
        if self._pending:
            self._send()
        while self._sent:
            rels, future = self._sent.popleft()
            yield from zip(rels, _unpacked(future.result()), strict=True)

    def take(self, items: list[Item]) -> Iterator[Result]:
        """hash_and_read(items): what was computed ahead, the rest read now; in order."""
        if self._pool is None:  # too few offered to fork for: all read when asked
            yield from hash_and_read(items, self._inbox, self._reader)
            return
        stream = self._stream()
        here = (self._inbox, self._reader)
        for item in items:
            rel, _, at = item
            if self._offered.get(rel) == at:
                # Asked in the order offered: what lies between was offered but not asked.
                for done, result in stream:
                    if done == rel:
                        yield result
                        break
                else:
                    yield from _hash_and_read([item], here)
            else:
                yield from _hash_and_read([item], here)
        # All asked: what is left is let go before the write, the peak of a scan from scratch.
        self._offered.clear()
        self._sent.clear()

    def close(self) -> None:
        """Stop the workers; anything not taken is dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._sent.clear()
        self._offered.clear()
        self._pending = []
