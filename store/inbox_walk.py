"""The inbox as it is on disk: walking it without following links, opening only regular files.

Every entry under inbox/ is listed with one stat (`Found`); links, FIFOs, sockets, devices and
folders that cannot be read are listed by kind and never opened. Paths are spelled for the
operator here too (`display_path`), undecodable bytes as \\xNN.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple


class NotRegularFile(OSError):
    """The path is not a regular file (a FIFO, a link, a device...): it is not read."""

    def __init__(self, kind: str, path: str = "") -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", path)
        self.kind = kind

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # picklable across the pool
        return (NotRegularFile, (self.kind, str(self.filename or "")))


#: Those kinds as a Chinese workspace's messages name them.
SPECIAL_KIND_ZH = {
    "symlink": "符号链接",
    "fifo": "命名管道",
    "socket": "套接字",
    "device": "设备文件",
    "folder": "文件夹",
    "file": "文件",
}


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


def open_dir(inbox: str | os.PathLike[str], rel: str, parent: tuple[int, str] | None = None) -> int:
    """A descriptor on the folder inbox/rel, reached without following any link below the
    inbox (the inbox itself may be one: a share mounted elsewhere). With `parent` (the
    descriptor of rel's folder, already opened so, and rel's last name) it is opened from
    there."""
    if parent is not None:
        return os.open(parent[1], _DIR_FLAGS, dir_fd=parent[0])
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
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(special_kind(st.st_mode) or "folder", name)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


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


class Found(NamedTuple):
    """An entry seen under the inbox: where, how big, when last written, which inode.

    `kind` is "file" for a regular file (the only kind ever opened), "symlink", "fifo",
    "socket" or "device" for what is listed in quarantine unopened, and "folder" for a folder
    that cannot be read. A tuple: a scan makes one per file of the inbox.
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
#: Folders this deep are opened from the inbox down rather than from their parent's
#: descriptor, so a walk holds at most this many descriptors open however deep the folders go.
_HELD_DEPTH = 32


class _Parent:
    """A listed folder's descriptor, kept open until each of its subfolders is opened."""

    __slots__ = ("fd", "left")

    def __init__(self, fd: int, left: int) -> None:
        self.fd, self.left = fd, left

    def opened_one(self) -> None:
        self.left -= 1
        if self.left == 0:
            os.close(self.fd)


def walk(inbox: Path, sub: str = "", unreadable: list[str] | None = None) -> Iterator[Found]:
    """Every non-ignored entry under inbox/ (or one folder of it) but folders, in no set order
    (a folder's files one after another).

    No link is ever followed: a link is listed as one (kind "symlink"), as are FIFOs, sockets
    and device nodes. A folder that cannot be read for its permissions is listed (kind
    "folder"); every folder that went unlisted (unreadable, or removed mid-walk) is named in
    `unreadable`, so its files are not taken for gone.
    """
    from .reading import ignored_name, is_ignored

    if sub and is_ignored(sub):
        return
    top: os.stat_result | None = None
    if sub:
        try:
            top = os.lstat(os.path.join(inbox, sub))
        except OSError:
            top = None
    # (folder, its lstat, the parent it is opened from, its name there, its depth)
    stack: list[tuple[str, os.stat_result | None, _Parent | None, str, int]] = [
        (sub, top, None, "", 0)
    ]
    S_IFMT, S_IFDIR, S_IFREG = stat.S_IFMT, stat.S_IFDIR, stat.S_IFREG  # noqa: N806
    try:
        while stack:
            rel, dst, parent, name, depth = stack.pop()
            try:
                fd = open_dir(inbox, rel, (parent.fd, name) if parent is not None else None)
            except OSError as exc:
                # Removed or unreadable mid-walk: the next rescan sees it again. Its files are
                # not gone for that, so the caller must know which folders went unseen.
                if unreadable is not None:
                    unreadable.append(rel)
                if rel and dst is not None and exc.errno in _DENIED:
                    yield Found.of(rel, dst, "folder")
                continue
            finally:
                if parent is not None:
                    parent.opened_one()
            folders: list[tuple[str, os.stat_result, str]] = []
            found: list[Found] = []
            prefix = f"{rel}/" if rel else ""
            try:
                with os.scandir(fd) as entries:
                    for entry in entries:
                        entry_name = entry.name
                        if ignored_name(entry_name):
                            continue
                        try:
                            st = entry.stat(follow_symlinks=False)
                        except OSError:
                            continue  # gone since it was listed
                        fmt = S_IFMT(st.st_mode)
                        relpath = prefix + entry_name
                        if fmt == S_IFREG:
                            found.append(
                                Found(
                                    relpath, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns
                                )
                            )
                        elif fmt == S_IFDIR:
                            folders.append((relpath, st, entry_name))
                        else:
                            kind = special_kind(st.st_mode) or "device"
                            found.append(Found.of(relpath, st, kind))
            except OSError:
                os.close(fd)
                if unreadable is not None:
                    unreadable.append(rel)
                continue
            if folders and depth < _HELD_DEPTH:
                held = _Parent(fd, len(folders))
                stack += [(r, st, held, n, depth + 1) for r, st, n in folders]
            else:
                os.close(fd)
                stack += [(r, st, None, "", depth + 1) for r, st, _ in folders]
            yield from found
    finally:
        # Stopped half-way (an error, or the caller stopped iterating): no descriptor stays.
        for _, _, parent, _, _ in stack:
            if parent is not None:
                parent.opened_one()


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


def _mtime(f: Found) -> dt.datetime:
    return f.mtime


def inbox_relative(inbox: Path, given: str) -> str | None:
    """The inbox-relative path of a path as a person or a script names it (relative to the
    current folder, or absolute; the inbox reached through a link or not): "" for the inbox
    itself, None for a path outside it. Only the spelling is looked at, nothing is opened."""
    full = os.path.abspath(given)
    for root in dict.fromkeys((os.path.abspath(inbox), os.path.realpath(inbox))):
        rel = os.path.relpath(full, root)
        if rel == ".":
            return ""
        if rel != ".." and not rel.startswith("../"):
            return rel.replace(os.sep, "/")
    return None


def lstat_below(inbox: Path, relpath: str) -> os.stat_result | None:
    """The entry inbox/relpath as a walk would find it, reached from the inbox down without
    following any link on the way (nor the entry itself, if one); None if it is not there.

    A path leading through a link or a file raises NotRegularFile: a walk lists the link and
    never looks behind it, so neither does anything that names a path."""
    folder, _, name = relpath.rpartition("/")
    try:
        fd = open_dir(inbox, folder)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotRegularFile(
                "symlink" if exc.errno == errno.ELOOP else "file", folder
            ) from None
        raise
    try:
        return os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    finally:
        os.close(fd)
