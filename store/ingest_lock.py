"""The ingest lock: only one process takes files in for a workspace at a time (a scan, `watch`,
the dashboard that ingests); the lock dies with its holder, and its file names the holder's pid."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path

from .db import FILE_MODE, LOCK_FDS, make_db_folder, share_with_group
from .model import WeekwatchError


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
