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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .db import LOCK_FDS
from .inbox_walk import NotRegularFile, open_dir, open_regular
from .model import Reading

if TYPE_CHECKING:
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


def hash_and_read(
    items: list[tuple[str, int, dt.datetime]], inbox: str, reader: Reader
) -> Iterator[tuple[Hashed | OSError, Reading]]:
    """Hash and read every (path, size, arrival), in order; on every core when there are many."""
    global _FORKED
    if len(items) < PARALLEL_MIN or threading.active_count() > 1:
        # A process with threads (the dashboard) must not fork; small batches need not.
        yield from _hash_and_read(items, (inbox, reader))
        return
    import multiprocessing

    pool_class = globals().get("ProcessPoolExecutor") or __getattr__("ProcessPoolExecutor")
    _FORKED = (inbox, reader)  # inherited by the forked workers
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
