"""The folder index: each inbox folder as the last scan listed it, so that the next scan looks
entry by entry only at the folders whose listing changed.

A scan still stats every entry of the inbox (a file rewritten in place changes no folder's
mtime: only its own stamp says so), but in C: a folder's names are listed, stat'ed and reduced
to one digest of every entry's (name, mode, size, mtime_ns, ino, ctime_ns) without a Python
object per file. A folder whose digest is the one kept, and which was clean then (every entry
in it recorded as it is, nothing in it still to mark gone), needs nothing: the entries of the
other folders are compared with the stamp index as before (store/ingest.py).

The index is derived data, one file (``.weekwatch/stamps/folders.json``) naming the stamp of
every materials file it was made with and a checksum. Any record written since by anyone (a
watcher's batch, a re-read) makes it stale, as does a torn, tampered or foreign file: the next
scan then looks at every entry, as without it, and keeps it again. Deleting it loses nothing.
For each folder it keeps its digest (none if it was not clean), the names of its entries but
folders (what may have records, so that a name gone from a changed or vanished folder is
looked for in the store) and its folders.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import zlib
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import inbox_walk
from .atomic import FILE_MODE, make_db_folder, share_with_group
from .inbox_walk import _DENIED, _HELD_DEPTH, Found, _Parent, special_kind
from .shards import materials_stamp

VERSION = 1
NAME = "folders.idx"
#: What `ingest PATH…` wrote since the index was made: one JSON line per write, naming the
#: materials files' key before and after it and the paths it named (read by the next scan,
#: which marks those folders; the index itself is not read nor rewritten by a write by path).
JOURNAL = "folders.touched"

#: What of an entry's lstat a digest covers: its kind and permissions, and the stamp a record
#: is read with.
_FIELDS = attrgetter("st_mode", "st_size", "st_mtime_ns", "st_ino", "st_ctime_ns")

#: One folder as kept: its digest ("" if it was not clean), its folders and its other entries,
#: each list of names joined by "/" (the one character no name holds).
Kept = tuple[str, str, str]


def digest(names: list[str], stats: list[os.stat_result]) -> str:
    """One folder's listing, every entry's name and stamp in the order listed, as 32 hex
    digits, built in C (no object per entry). A folder listed in another order only costs a
    look at its entries."""
    text = "\0".join(names).encode("utf-8", "surrogateescape")
    try:
        numbers = array("q", chain.from_iterable(map(_FIELDS, stats))).tobytes()
    except OverflowError:  # an inode number past 2**63 (some network shares)
        numbers = repr(list(map(_FIELDS, stats))).encode()
    return hashlib.blake2b(text + b"\0/" + numbers, digest_size=16).hexdigest()


def _names(joined: str) -> list[str]:
    return joined.split("/") if joined else []


@dataclass
class Listed:
    """What a scan through the folder index found."""

    #: The entries (not folders) of every folder not found as kept, as `walk` yields them.
    found: list[Found] = field(default_factory=list)
    #: Every folder listed, as the index keeps it (`Kept`), to keep again.
    folders: dict[str, Kept] = field(default_factory=dict)
    #: Folders found as kept and clean: nothing in them to do.
    same: set[str] = field(default_factory=set)
    #: Paths the index knew in a changed or vanished folder, no longer listed: maybe gone.
    missing: list[str] = field(default_factory=list)
    #: Folders gone whose entries the index does not know (never listed whole): every record
    #: under them may be gone.
    unknown: list[str] = field(default_factory=list)
    #: Folders that went unlisted (unreadable, or removed mid-walk); "" the inbox itself.
    unreadable: list[str] = field(default_factory=list)


def scan(
    inbox: Path,
    kept: dict[str, Kept] | None,
    ignored: Callable[[str], bool],
    on_found: Callable[[Found], None] | None = None,
    *,
    keep: bool = True,
) -> Listed:
    """List every folder under the inbox without following links, each entry stat'ed once;
    `kept`, the folder index (None: none to trust), spares the folders listed as it has them.

    The entries are what `inbox_walk.walk` yields: regular files, links, FIFOs, sockets and
    devices by kind, folders that cannot be read as kind "folder"; each is also handed to
    `on_found` as it is found. Without `keep` no listing is kept for the index (a scan from
    scratch: nothing in it could be clean yet)."""
    out = Listed()
    kept = kept or {}
    S_IFMT, S_IFDIR, S_IFREG = stat.S_IFMT, stat.S_IFDIR, stat.S_IFREG  # noqa: N806
    stack: list[tuple[str, os.stat_result | None, _Parent | None, str, int]] = [
        ("", None, None, "", 0)
    ]
    try:
        while stack:
            rel, dst, parent, name, depth = stack.pop()
            try:
                fd = inbox_walk.open_dir(  # looked up here: a test may stand in for it
                    inbox, rel, (parent.fd, name) if parent is not None else None
                )
            except OSError as exc:
                out.unreadable.append(rel)
                if rel and dst is not None and exc.errno in _DENIED:
                    out.found.append(Found.of(rel, dst, "folder"))
                    if on_found is not None:
                        on_found(out.found[-1])
                continue
            finally:
                if parent is not None:
                    parent.opened_one()
            old = kept.get(rel)
            prefix = f"{rel}/" if rel else ""
            try:
                names = os.listdir(fd)
                try:
                    stats = list(map(partial(os.stat, dir_fd=fd, follow_symlinks=False), names))
                except FileNotFoundError:  # gone since it was listed: entry by entry
                    names, stats = _one_by_one(fd, names)
            except OSError:
                os.close(fd)
                out.unreadable.append(rel)
                continue
            now = digest(names, stats)
            if old is not None and old[0] == now:
                # As kept, and clean then: nothing to look at; its folders are the kept ones.
                out.same.add(rel)
                out.folders[rel] = old
                if old[1]:
                    by_name = dict(zip(names, stats, strict=True))
                    folders = [(prefix + n, by_name[n], n) for n in old[1].split("/")]
                else:
                    folders = []
            else:
                files: list[str] = []
                folders = []
                start = len(out.found)
                for entry_name, st in zip(names, stats, strict=True):
                    if ignored(entry_name):
                        continue
                    fmt = S_IFMT(st.st_mode)
                    relpath = prefix + entry_name
                    if fmt == S_IFDIR:
                        folders.append((relpath, st, entry_name))
                        continue
                    files.append(entry_name)
                    if fmt == S_IFREG:
                        out.found.append(
                            Found(
                                relpath,
                                st.st_size,
                                st.st_mtime_ns,
                                st.st_ino,
                                st.st_ctime_ns,
                            )
                        )
                    else:
                        kind = special_kind(st.st_mode) or "device"
                        out.found.append(Found.of(relpath, st, kind))
                if on_found is not None:
                    for f in out.found[start:]:
                        on_found(f)
                gone = False
                if old is not None:
                    listed = set(files)
                    lost = [prefix + n for n in _names(old[2]) if n not in listed]
                    out.missing += lost
                    subs = {n for _, _, n in folders}
                    for sub in _names(old[1]):
                        if sub not in subs:
                            _vanished(kept, prefix + sub, out)
                            gone = True
                    gone = gone or bool(lost)
                elif rel and kept:
                    # Listed under a folder the index knows, yet not in it: unreadable when
                    # the index was made, so what it held then is not known.
                    up, _, own = rel.rpartition("/")
                    if up in kept and own in _names(kept[up][1]):
                        out.unknown.append(rel)
                        gone = True
                if keep:
                    # A folder something went from is looked at again next time (whatever
                    # was marked gone now, or put back meanwhile).
                    subs_now = "/".join(n for _, _, n in folders)
                    out.folders[rel] = ("" if gone else now, subs_now, "/".join(files))
            if folders and depth < _HELD_DEPTH:
                held = _Parent(fd, len(folders))
                stack += [(r, st, held, n, depth + 1) for r, st, n in folders]
            else:
                os.close(fd)
                stack += [(r, st, None, "", depth + 1) for r, st, _ in folders]
    finally:
        for _, _, parent, _, _ in stack:  # stopped half-way: no descriptor stays open
            if parent is not None:
                parent.opened_one()
    return out


def _one_by_one(fd: int, names: list[str]) -> tuple[list[str], list[os.stat_result]]:
    """The entries still there, each stat'ed on its own (some went since the folder was listed)."""
    kept_names, stats = [], []
    for n in names:
        try:
            stats.append(os.stat(n, dir_fd=fd, follow_symlinks=False))
        except FileNotFoundError:
            continue
        kept_names.append(n)
    return kept_names, stats


def _vanished(kept: dict[str, Kept], rel: str, out: Listed) -> None:
    """A folder the index knew is gone: every path it knew under it may be gone."""
    stack = [rel]
    while stack:
        folder = stack.pop()
        old = kept.get(folder)
        if old is None:
            out.unknown.append(folder)  # never listed whole (unreadable then): ask the store
            continue
        out.missing += [f"{folder}/{n}" for n in _names(old[2])]
        stack += [f"{folder}/{n}" for n in _names(old[1])]


def touched(kept: dict[str, Kept], paths: Iterable[str], folders: Iterable[str]) -> None:
    """After a write by path (`ingest PATH…`): the folders holding the named `paths` (files,
    or paths gone) and `folders` (walked whole) are looked at entry by entry by the next scan,
    every other one stays as kept. A name the index did not know is added, so that if it
    goes the next scan looks for it; a folder walked whole is forgotten, so that the next scan
    looks in the store for anything recorded under it."""
    named = [(rel, False) for rel in paths] + [(rel, True) for rel in folders]
    for rel, whole in named:
        if whole:
            for sub in [f for f in kept if f == rel or f.startswith(f"{rel}/")]:
                del kept[sub]
        child, up = rel, rel.rpartition("/")[0]
        while child and up not in kept:  # a folder new to the index: its nearest known one
            child, up = up, up.rpartition("/")[0]
        if up not in kept:
            continue
        own = child.rpartition("/")[2]
        _, subs, names = kept[up]
        if child == rel and not whole:
            if own not in _names(names):
                names = f"{names}/{own}" if names else own
        elif own not in _names(subs):
            subs = f"{subs}/{own}" if subs else own
        kept[up] = ("", subs, names)


def _path(dbdir: Path) -> Path:
    return dbdir / "stamps" / NAME


def _key(stamps: Any) -> str:
    """The materials files' stamps as one short key."""
    text = json.dumps([list(s) for s in stamps])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _meta(head: bytes) -> dict[str, Any] | None:
    try:
        meta = json.loads(head)
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("version") != VERSION:
        return None
    if not isinstance(meta.get("materials"), list):
        return None
    return meta


def _journal(dbdir: Path) -> list[dict[str, Any]]:
    """The writes by path since the index was made, in order (a torn last line left out)."""
    try:
        raw = (dbdir / "stamps" / JOURNAL).read_bytes()
    except OSError:
        return []
    out = []
    for line in raw.split(b"\n"):
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # torn (or empty): the key chain breaks, so nothing is trusted
        if isinstance(entry, dict):
            out.append(entry)
    return out


def _chain(start: str | None, journal: list[dict[str, Any]]) -> str | None:
    """The materials key after every write of the journal, if each followed the one before."""
    key = start
    for entry in journal:
        if key is None or entry.get("before") != key:
            return None
        key = entry.get("after")
    return key


def current_for(dbdir: Path) -> str | None:
    """Before a write by path: the materials key now, if the folder index (with the writes
    journaled since) is current; None if it is not (then nothing need be journaled). Reads the
    index's first line only."""
    try:
        with open(_path(dbdir), "rb") as f:
            meta = _meta(f.readline(1 << 16))
    except OSError:
        return None
    if meta is None:
        return None
    now = _key(materials_stamp(dbdir))
    return now if _chain(_key(meta["materials"]), _journal(dbdir)) == now else None


def journal(dbdir: Path, before: str, files: list[str], folders: list[str]) -> None:
    """After a write by path that followed `before` (from `current_for`): its paths, for the
    next scan. One append of one line; a failure only costs the next scan its index."""
    after = _key(materials_stamp(dbdir))
    line = json.dumps({"before": before, "after": after, "files": files, "folders": folders})
    try:
        fd = os.open(
            dbdir / "stamps" / JOURNAL,
            os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC,
            FILE_MODE,
        )
    except OSError:
        forget(dbdir)
        return
    try:
        with contextlib.suppress(OSError):
            share_with_group(fd)
        os.write(fd, line.encode() + b"\n")
    except OSError:
        forget(dbdir)
    finally:
        os.close(fd)


def load(dbdir: Path) -> dict[str, Kept] | None:
    """The kept folders, if the file is whole, of this version and made with the materials
    files as they are now, or as they were before writes by path that the journal names (their
    folders then marked); None otherwise (then nothing of it is trusted)."""
    try:
        raw = _path(dbdir).read_bytes()
    except OSError:
        return None
    head, _, body = raw.partition(b"\n")
    meta = _meta(head)
    if meta is None or meta.get("crc") != zlib.crc32(body):
        return None
    writes = _journal(dbdir)
    if _chain(_key(meta["materials"]), writes) != _key(materials_stamp(dbdir)):
        return None
    try:
        # Each folder: its path, digest, folders and other entries, each field ended by NUL
        # (which no name holds); split in C, no object per entry.
        parts = body.decode("utf-8", "surrogateescape").split("\0")
    except ValueError:  # torn, or not ours
        return None
    if len(parts) % 4 != 1 or parts[-1]:
        return None
    fields = zip(parts[1::4], parts[2::4], parts[3::4], strict=True)
    kept = dict(zip(parts[0:-1:4], fields, strict=True))
    for entry in writes:
        files, folders = entry.get("files"), entry.get("folders")
        if not isinstance(files, list) or not isinstance(folders, list):
            return None
        touched(kept, [str(f) for f in files], [str(f) for f in folders])
    return kept


def save(dbdir: Path, folders: dict[str, Kept]) -> None:
    """Keep the folders for the next scan, naming the materials files as they are now (after
    this process's write). A failure only costs the next scan a look at every entry."""
    body = "".join(f"{rel}\0{d}\0{subs}\0{names}\0" for rel, (d, subs, names) in folders.items())
    try:
        data = body.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a name no folder listing gives: nothing kept
        forget(dbdir)
        return
    meta = {
        "version": VERSION,
        "materials": [list(s) for s in materials_stamp(dbdir)],
        "crc": zlib.crc32(data),
    }
    path = _path(dbdir)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        make_db_folder(path.parent)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
        try:
            with contextlib.suppress(OSError):
                share_with_group(fd)
            view = memoryview(json.dumps(meta).encode() + b"\n" + data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)  # not synced: a torn index is only made again
        # The writes it journaled are in it now (a journal left by a kill between the two
        # no longer follows the index's key: then the index is not trusted, never wrong).
        os.unlink(path.with_name(JOURNAL))
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def forget(dbdir: Path) -> None:
    """No folder index: the next scan looks at every entry."""
    for name in (NAME, JOURNAL):
        with contextlib.suppress(OSError):
            os.unlink(dbdir / "stamps" / name)
