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
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .db import LOCK_FDS
from .inbox_walk import NotRegularFile, open_dir, open_regular
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


def _hash_and_read(items: list[Item], work: tuple[str, Reader] | None = None) -> list[Result]:
    work = work or _FORKED
    assert work is not None
    inbox, reader = work
    out: list[Result] = []
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


def _pool(inbox: str, reader: Reader) -> Executor:
    """Forked workers, one per core, that inherit the inbox and reader and die with us."""
    global _FORKED
    import multiprocessing

    pool_class = globals().get("ProcessPoolExecutor") or __getattr__("ProcessPoolExecutor")
    _FORKED = (inbox, reader)  # inherited by the forked workers
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
    one whose stamp changed); once PARALLEL_MIN are offered the workers start, a slice at a
    time, so listing, hashing and reading overlap instead of following one another. `take`
    then answers `hash_and_read`'s question from what was computed ahead: the same function on
    the same (path, arrival), only sooner. A file not offered, or offered as another arrival
    than the one asked, is read then and there; nothing offered and not asked is recorded.
    """

    def __init__(self, inbox: str, reader: Reader) -> None:
        self._inbox, self._reader = inbox, reader
        self._offered: dict[str, dt.datetime] = {}
        self._pending: list[Item] = []
        self._sent: deque[tuple[list[Item], Future[list[Result]]]] = deque()
        self._pool: Executor | None = None
        self._off = not _may_fork()

    def offer(self, relpath: str, size: int, at: dt.datetime) -> None:
        if self._off:
            return
        self._offered[relpath] = at
        self._pending.append((relpath, size, at))
        if self._pool is None and len(self._offered) >= PARALLEL_MIN:
            self._pool = _pool(self._inbox, self._reader)
        if self._pool is not None and len(self._pending) >= SLICE:
            self._send()

    def arrival(self, relpath: str) -> dt.datetime | None:
        """The arrival a file was offered as (found once, not computed twice)."""
        return self._offered.get(relpath)

    def _send(self) -> None:
        assert self._pool is not None
        for i in range(0, len(self._pending), SLICE):
            part = self._pending[i : i + SLICE]
            self._sent.append((part, self._pool.submit(_hash_and_read, part)))
        self._pending = []

    def _stream(self) -> Iterator[tuple[str, dt.datetime, Result]]:
        if self._pool is None:
            return  # too few to fork for: all read when asked
        if self._pending:
            self._send()
        while self._sent:
            part, future = self._sent.popleft()
            for (rel, _, at), result in zip(part, future.result(), strict=True):
                yield rel, at, result

    def take(self, items: list[Item]) -> Iterator[Result]:
        """hash_and_read(items): what was computed ahead, the rest read now; in order."""
        if self._pool is None:
            self._offered.clear()
            yield from hash_and_read(items, self._inbox, self._reader)
            return
        stream = self._stream()
        for item in items:
            rel, _, at = item
            if self._offered.get(rel) == at:
                # Asked in the order offered: what lies between was offered but not asked.
                for done, done_at, result in stream:
                    if done == rel and done_at == at:
                        yield result
                        break
                else:
                    yield from _hash_and_read([item], (self._inbox, self._reader))
            else:
                yield from _hash_and_read([item], (self._inbox, self._reader))

    def close(self) -> None:
        """Stop the workers; anything not taken is dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._sent.clear()
        self._offered.clear()
        self._pending = []
