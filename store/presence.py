"""Who takes in a workspace's files, who follows that process, and when the inbox was last scanned.

One process ingests (it holds `ingest.lock`, store/ingest.py); dashboards that could not take
the lock follow it. Each follower holds a shared lock on a file of its own under
`followers/`, so the ingesting dashboard can tell, before it quits, whether anyone relies on
it — a follower that died holds nothing. The ingesting process writes the time of each
completed scan to `last-scan`, so every follower can show how fresh the board is.
Locks die with their holder: nothing here can be left stale by a kill.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
from pathlib import Path

from .db import FILE_MODE, LOCK_FDS, make_db_folder, share_with_group

LAST_SCAN = "last-scan"
FOLLOWERS = "followers"


def note_scan(dbdir: Path, when: dt.datetime, every: float = 60.0) -> None:
    """Record that a full scan of the inbox completed at `when`, and that one comes every
    `every` seconds (so a follower can tell a scan overdue); atomically replaced."""
    path = dbdir / LAST_SCAN
    tmp = dbdir / f".{LAST_SCAN}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
    try:
        with contextlib.suppress(OSError):
            share_with_group(fd)
        os.write(fd, f"{when.isoformat()} {every:g}".encode())
    finally:
        os.close(fd)
    os.replace(tmp, path)


def last_scan(dbdir: Path) -> dt.datetime | None:
    """When the ingesting process last completed a full scan, or None if never (or unreadable)."""
    try:
        raw = (dbdir / LAST_SCAN).read_text(errors="replace").split()
        when = dt.datetime.fromisoformat(raw[0])
    except (OSError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else None


def scan_every(dbdir: Path) -> float | None:
    """How often the ingesting process said it scans the whole inbox (seconds), if it did."""
    try:
        every = float((dbdir / LAST_SCAN).read_text(errors="replace").split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return every if every > 0 else None


def ingest_holder(dbdir: Path) -> str | None:
    """The pid of the process that ingests now, or None if none does — without taking the lock.

    A shared lock is refused while the ingest lock is held (and granted if its holder died),
    so the probe never mistakes a stale pid in the file for a live ingester.
    """
    try:
        fd = os.open(dbdir / "ingest.lock", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None  # never made: nobody ever ingested here
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            return os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class Follower:
    """This process follows the ingesting one: a shared lock on `followers/<pid>` says so."""

    def __init__(self, dbdir: Path) -> None:
        self.path = dbdir / FOLLOWERS / str(os.getpid())
        self._fd: int | None = None

    def start(self) -> None:
        if self._fd is not None:
            return
        make_db_folder(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        with contextlib.suppress(OSError):
            share_with_group(fd)
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        LOCK_FDS.add(fd)
        self._fd = fd

    def stop(self) -> None:
        if self._fd is None:
            return
        LOCK_FDS.discard(self._fd)
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self._fd)
        self._fd = None


def followers(dbdir: Path) -> list[str]:
    """The pids of the live processes that follow this workspace's ingester (this one left out).

    A file whose lock nobody holds is a dead follower's: it is removed.
    """
    folder = dbdir / FOLLOWERS
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    live = []
    for name in names:
        if name == str(os.getpid()) or not name.isdigit():
            continue
        try:
            fd = os.open(folder / name, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            live.append(name)
        else:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
        finally:
            os.close(fd)
    return live
