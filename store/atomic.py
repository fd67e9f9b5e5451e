"""A database file replaced whole, and told apart from its earlier versions by its stat stamp.

A file is only ever replaced whole: temp file in the same folder, fsync, ``os.replace``, fsync of
the folder, so a kill at any instant leaves either the old or the new file, never a mix. Each new
file's mtime is made strictly greater than the old one's, because ext4 reuses a freed inode at
once and a coarse clock can repeat an mtime: without that, a same-sized rewrite could look
unchanged to a reader comparing stamps. Also here: one table file parsed (an empty or damaged
one is one clear error), and the modes the database's files and folder are kept in.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from .model import WeekwatchError

#: Temp files are named ``.<table>.json.tmp-<pid>-<random>``; only a killed writer leaves one.
TMP_MARK = ".tmp-"

#: A file's stat stamp: (st_mtime_ns, st_size, st_ino).
Stamp = tuple[int, int, int]
#: The stamp of a file that does not exist (no real file has a negative size).
MISSING: Stamp = (0, -1, 0)

JsonData = dict[str, dict[str, Any]]


#: The database holds liaisons' names, phones and e-mails: its owner and their group (the
#: bureau's operators sharing one workspace) read and write it, nobody else, whatever the
#: umask. The folder is setgid, so every file in it takes the folder's group.
FILE_MODE = 0o660
DIR_MODE = 0o2770


def share_with_group(fd: int, mode: int = FILE_MODE) -> None:
    """Give a file this process made the database's mode (a file of another owner is left)."""
    st = os.fstat(fd)
    if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) != mode:
        os.fchmod(fd, mode)


def make_db_folder(path: Path) -> None:
    """Create the database folder owner+group only; tighten one of ours open to others."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        st = path.stat()
    except OSError as e:
        raise WeekwatchError(f"cannot create the database folder {path}: {e}") from e
    if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) != DIR_MODE:
        with contextlib.suppress(OSError):
            os.chmod(path, DIR_MODE)


#: Descriptors of the lock files this process opened (store.lock, ingest.lock). A forked
#: worker shares their open files: kept open there, a lock would outlive its holder's death,
#: so a worker closes these first (store/ingest.py).
LOCK_FDS: set[int] = set()


def file_stamp(path: Path) -> Stamp:
    """(st_mtime_ns, st_size, st_ino) of a file, or MISSING."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return MISSING
    except OSError as e:
        raise WeekwatchError(f"cannot read {path}: {e}") from e
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def load(path: Path, table: str) -> tuple[Stamp, JsonData]:
    """Parse one table file, with the stamp of exactly the file that was read."""
    try:
        # A new open per read: a replaced file is a new inode, an old handle would see the old.
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            raw = fh.read()
    except FileNotFoundError:
        return MISSING, {}
    except OSError as e:
        raise WeekwatchError(f"cannot read {path}: {e}") from e
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    advice = "it was left untouched; restore it from a backup or move it aside"
    if not raw.strip():
        # weekwatch never writes an empty file; treating it as an empty table would make the
        # next ingestion receive every material anew, "late".
        raise WeekwatchError(f"{path} is empty: {advice}")
    try:
        data = json.loads(raw)  # bytes: strict UTF-8, so a damaged file cannot half-decode
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        raise WeekwatchError(f"{path} is not readable JSON ({e}): {advice}") from e
    docs = data.get(table, {}) if isinstance(data, dict) else None
    if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
        raise WeekwatchError(f"{path} is not a weekwatch {table} table: {advice}")
    return stamp, data


def encode(data: Any) -> bytes:
    # check_circular off: records are trees made from JSON or plain values, never cycles, and
    # the check costs a dict entry per container (a tenth of encoding 100,000 records).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # A file name from a non-UTF-8 disk carries lone surrogates (os.fsdecode); \u escapes
        # keep them exactly and keep the file valid UTF-8.
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), check_circular=False)
        return text.encode("ascii") + b"\n"


#: Bumps tried to make a new mtime exceed the old one on file systems with coarse timestamps.
_MTIME_STEPS_NS = (1, 1_000, 1_000_000, 2_000_000_000)


def atomic_write(path: Path, payload: bytes) -> Stamp:
    """Replace path by a file holding payload, durably; return the new file's stamp."""
    tmp, stamp = write_temp(path, payload)
    try:
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return stamp


def write_temp(path: Path, payload: bytes) -> tuple[Path, Stamp]:
    """A synced temp file beside path holding payload, with an mtime above path's; its stamp
    (a rename keeps it)."""
    try:
        old: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        old = None
    except OSError as e:
        raise WeekwatchError(f"cannot write {path}: {e}") from e
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")
    try:
        # Owner and group, whatever the umask: a new file gets FILE_MODE, a rewritten one keeps
        # the mode it had (an administrator's 0640 stays) but never anything for others.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE if old is None else stat.S_IMODE(old.st_mode) & 0o770)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            st = os.fstat(fd)
            floor = old.st_mtime_ns if old is not None else -1
            for step in _MTIME_STEPS_NS:
                if st.st_mtime_ns > floor:
                    break
                mtime = max(time.time_ns(), floor + step)
                os.utime(fd, ns=(mtime, mtime))
                st = os.fstat(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WeekwatchError(f"cannot write {path}: {e}") from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp, (st.st_mtime_ns, st.st_size, st.st_ino)


def replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as e:
        raise WeekwatchError(f"cannot write {path}: {e}") from e


def fsync_dir(path: Path) -> None:
    # Makes the renames durable; without it a power cut could bring back the old files.
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise WeekwatchError(f"cannot remove {path}: {e}") from e
