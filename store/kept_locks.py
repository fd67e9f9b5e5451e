"""The kept board's locks: one writer of the kept parts at a time, and the keeper's two.

Writers of the kept parts (store/kept_parts.py) take ``board.lock``; readers never wait on it.
A keeper process (tui/keeper.py `--once`) holds ``keeper.rows.lock`` from its start to its end
and ``keeper.lock`` while it brings the kept cells current: `status` waits on the second,
`materials --json` on the first, rather than judge the week beside the keeper.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .atomic import FILE_MODE, share_with_group

LOCK = "board.lock"


def _open_lock(path: Path) -> int:
    """A lock file's descriptor, the file made (shared with the operators' group) if need be."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    with contextlib.suppress(OSError):
        share_with_group(fd)
    return fd


@contextlib.contextmanager
def locked(dbdir: Path) -> Iterator[bool]:
    """Hold the keeping lock (one writer of the parts at a time); False if it cannot be had
    (a read-only disk): then nothing is written."""
    try:
        fd = _open_lock(dbdir / LOCK)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)  # the flock goes with it


#: Held by a keeper process (tui/keeper.py `--once`) while it brings the kept cells current
#: (what `status` waits for) ...
KEEPER_LOCK = "keeper.lock"
#: ... and this one, taken first, until it has kept the records too (what `materials --json`
#: waits for): a `status` is not kept waiting while the whole materials list is written.
ROWS_LOCK = "keeper.rows.lock"
#: The workspaces and locks this process is the keeper of now (it never waits for itself).
_KEEPING: set[tuple[Path, str]] = set()


@contextlib.contextmanager
def keeping(dbdir: Path, wait: float, lock: str = KEEPER_LOCK) -> Iterator[bool]:
    """Be the one keeper of this workspace: True once the keeper before it has finished
    (waited for up to `wait` seconds), False if it has not or the lock cannot be had."""
    import time

    try:
        fd = _open_lock(dbdir / lock)
    except OSError:
        yield False
        return
    try:
        end = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > end:
                    yield False
                    return
                time.sleep(0.05)
        _KEEPING.add((dbdir, lock))
        try:
            yield True
        finally:
            _KEEPING.discard((dbdir, lock))
    finally:
        os.close(fd)


def wait_for_keeper(dbdir: Path, wait: float, lock: str = KEEPER_LOCK) -> bool:
    """Wait (up to `wait` seconds) for a keeper at work to finish; whether one was at work.
    A reader that finds the kept week stale while a keeper judges it waits rather than judge
    the week a second time beside it."""
    import time

    if (dbdir, lock) in _KEEPING:
        return False  # this process is the keeper
    try:
        fd = os.open(dbdir / lock, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        end = time.monotonic() + wait
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return waited
            except BlockingIOError:
                if time.monotonic() > end:
                    return waited
                waited = True
                time.sleep(0.05)
    finally:
        os.close(fd)
