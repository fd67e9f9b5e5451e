"""A scan from scratch (no live record in the store yet): the workers walk their share of the
inbox's folders, hash and read every plain file there and hand back its record already encoded
as the JSON text its shard file holds, with its stamp index entry (store/stamp_index.py); the
parent only joins the texts shard by shard and writes them (`Store.put_encoded`), so no
`Material` is made in the parent for a plain file (`Batch.added` makes them from the texts if
something asks).

What a worker does not record itself goes back to the parent as a `Found`, for ingest's general
path in the same write: a zip or an e-mail (store/composite.py), a link, FIFO, socket or device,
a folder it may not list, a file that could not be opened or hashed, or was written to while it
was read. Each file is read as of its mtime in the week's zone, the arrival a scan gives it
(`Found.mtime`), with the very reading rules, hashing and record shape of the general path
(`tests/test_fresh_scan.py` compares the two, record for record).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING

from . import hashing
from .hashing import StillChanging, _digest_open
from .inbox_walk import (
    _DENIED,
    _HELD_DEPTH,
    Found,
    NotRegularFile,
    open_dir,
    open_regular,
    special_kind,
)
from .model import WeekwatchError, placing_text, plain_record_text
from .reasons import Code, Quarantine
from .shards import MATERIAL_FILES, shard_name
from .stamp_index import file_entry_text

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .model import Reading
    from .reading import Reader

#: (a folder relative to the inbox, the names in it to take; None: the folder walked whole).
Item = tuple[str, tuple[str, ...] | None]
#: A folder's files are handed out this many at a time when a folder is listed by the parent.
CHUNK = 500
#: The work is cut into about this many tasks per worker, so the last ones are short.
TASKS_PER_WORKER = 16
#: The parent lists folders this deep at most to find enough of them to share.
SPREAD_DEPTH = 3


@dataclass
class Part:
    """What one task gives back: its records and index entries, encoded, by shard."""

    records: dict[str, list[bytes]] = field(default_factory=dict)
    entries: dict[str, list[bytes]] = field(default_factory=dict)
    count: int = 0
    quarantined: int = 0
    #: Entries left to ingest's general path.
    leftover: list[Found] = field(default_factory=list)
    #: Folders that went unlisted (unreadable, or removed mid-scan).
    unreadable: list[str] = field(default_factory=list)

    def merge(self, other: Part) -> None:
        for name, texts in other.records.items():
            self.records.setdefault(name, []).extend(texts)
        for name, texts in other.entries.items():
            self.entries.setdefault(name, []).extend(texts)
        self.count += other.count
        self.quarantined += other.quarantined
        self.leftover += other.leftover
        self.unreadable += other.unreadable


def _listing(
    inbox: str, rel: str, out: Part, parent: tuple[int, str] | None = None
) -> tuple[int, list[str], list[str]] | None:
    """A folder opened (from its `parent`'s descriptor and its name there, if given; else
    from the inbox down) and listed: its descriptor, its plain-file names and its folders'
    names (ignored names left out; anything else handed back as a Found); None if it could
    not be listed (then named in `out.unreadable`, and if for its permissions, listed as an
    unreadable folder)."""
    from .reading import ignored_name

    try:
        fd = open_dir(inbox, rel, parent)
    except OSError as exc:
        out.unreadable.append(rel)
        if rel and exc.errno in _DENIED:
            try:
                st = os.lstat(os.path.join(inbox, rel))
            except OSError:
                return None
            out.leftover.append(Found.of(rel, st, "folder"))
        return None
    files: list[str] = []
    folders: list[str] = []
    prefix = f"{rel}/" if rel else ""
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                name = entry.name
                if ignored_name(name):
                    continue
                # The kind from the listing itself (no stat: the file's own is taken once
                # opened); a file system that does not tell is asked by lstat.
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                elif entry.is_file(follow_symlinks=False):
                    files.append(name)
                else:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue  # gone since it was listed
                    kind = special_kind(st.st_mode) or "device"
                    out.leftover.append(Found.of(prefix + name, st, kind))
    except OSError:
        os.close(fd)
        out.unreadable.append(rel)
        return None
    return fd, files, folders


def _as_found(dir_fd: int, name: str, rel: str, out: Part) -> None:
    """A file left to the general path, as a scan's walk finds it (gone: nothing)."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        return  # a folder put in its place: the next scan walks it
    out.leftover.append(Found.of(rel, st, special_kind(st.st_mode) or "file"))


class _Recorder:
    """One process's files hashed, read and encoded (a worker's, or the parent's own)."""

    def __init__(self, inbox: str, reader: Reader, tz: dt.tzinfo) -> None:
        self.inbox, self.inbox_path, self.reader, self.tz = inbox, Path(inbox), reader, tz
        self._arrivals: dict[int, tuple[dt.datetime, str]] = {}
        # A week's readings are few and shared (the reader keeps one of each): each one's
        # text made once (the reading held, so its id is never another's).
        self._placings: dict[int, tuple[Reading, str, bool]] = {}
        self._empty: dict[int, tuple[Reading, str, bool]] = {}

    def arrival(self, mtime_ns: int) -> tuple[dt.datetime, str]:
        hit = self._arrivals.get(mtime_ns)
        if hit is None:
            # The arrival a scan gives a file: its mtime (ingest's `_mtime`), in the zone.
            # Kept for the files copied in together (one mtime); bounded, as most differ.
            if len(self._arrivals) >= 4096:
                self._arrivals.clear()
            at = Found("", 0, mtime_ns).mtime.astimezone(self.tz)
            hit = self._arrivals[mtime_ns] = (at, at.isoformat())
        return hit

    def placing(self, reading: Reading, size: int) -> tuple[Reading, str, bool]:
        """The record's unit, kind, cell and quarantine as text, and whether quarantined
        (with the reading it is made of: `_placings` is keyed by its id)."""
        if size == 0:  # as ingest's `_record`: an empty file waits, whatever its name says
            hit = self._empty.get(id(reading))
            if hit is None or hit[0] is not reading:
                empty = _encoded(Quarantine.of(Code.EMPTY))
                text = placing_text(reading.unit, reading.kind, reading.cell, empty)
                hit = self._empty[id(reading)] = (reading, text, True)
            return hit
        hit = self._placings.get(id(reading))
        if hit is None or hit[0] is not reading:
            q = reading.quarantine
            text = placing_text(
                reading.unit, reading.kind, reading.cell, "null" if q is None else _encoded(q)
            )
            hit = self._placings[id(reading)] = (reading, text, q is not None)
        return hit

    def files(
        self,
        dir_fd: int,
        folder: str,
        names: tuple[str, ...],
        out: Part,
        texts: dict[str, list[str]],
        entries: dict[str, list[str]],
    ) -> None:
        """Each of a folder's plain files recorded as text in `texts` and `entries` (by
        shard), or left over in `out`. The loop a scan from scratch runs 100,000 times: what
        it asks of the same values again (an mtime's arrival, a reading's text) is kept."""
        from .composite import is_composite

        prefix = f"{folder}/" if folder else ""
        read, inbox, arrivals = self.reader.read, self.inbox_path, self._arrivals
        placings = self._placings
        count = quarantined = 0
        for name in names:
            rel = prefix + name
            if is_composite(inbox, rel):
                _as_found(dir_fd, name, rel, out)
                continue
            try:
                fd, st = open_regular(name, dir_fd)
            except NotRegularFile:
                _as_found(dir_fd, name, rel, out)
                continue
            except OSError as exc:
                if exc.errno != errno.ENOENT:  # gone since it was listed: nothing to record
                    _as_found(dir_fd, name, rel, out)
                continue
            try:
                digest, size, mtime_ns, ino, ctime_ns = _digest_open(fd, st)
            except (StillChanging, OSError):
                _as_found(dir_fd, name, rel, out)
                continue
            finally:
                os.close(fd)
            moment = arrivals.get(mtime_ns) or self.arrival(mtime_ns)
            reading = read(rel, moment[0])
            hit = placings.get(id(reading)) if size else None
            if hit is None or hit[0] is not reading:
                hit = self.placing(reading, size)
            key = encode_basestring(rel)
            shard = shard_name(rel)
            texts[shard].append(
                plain_record_text(
                    key, digest.hex(), size, mtime_ns, moment[1], hit[1], ino, ctime_ns,
                    reading.until,
                )
            )  # fmt: skip
            entries[shard].append(file_entry_text(key, size, mtime_ns, ino, ctime_ns))
            count += 1
            quarantined += hit[2]
        out.count += count
        out.quarantined += quarantined

    def _walk(
        self,
        folder: str,
        out: Part,
        texts: dict[str, list[str]],
        entries: dict[str, list[str]],
    ) -> None:
        """A folder and everything below it, depth first, each folder opened from its
        parent's descriptor: held while its folders are walked, so as many are open as the
        depth, up to inbox_walk's bound (deeper, each is opened from the inbox down)."""
        listed = _listing(self.inbox, folder, out)
        stack: list[tuple[int, str, Iterator[str]]] = []
        try:
            while True:
                if listed is not None:
                    fd, files, folders = listed
                    held = bool(folders) and len(stack) < _HELD_DEPTH
                    if folders:
                        stack.append((fd if held else -1, folder, iter(folders)))
                    try:
                        self.files(fd, folder, tuple(files), out, texts, entries)
                    finally:
                        if not held:
                            os.close(fd)
                if not stack:
                    return
                fd, rel, subs = stack[-1]
                name = next(subs, None)
                if name is None:
                    if fd >= 0:
                        os.close(fd)
                    stack.pop()
                    listed = None
                    continue
                folder = f"{rel}/{name}" if rel else name
                listed = _listing(self.inbox, folder, out, (fd, name) if fd >= 0 else None)
        finally:
            for fd, _, _ in stack:
                if fd >= 0:
                    os.close(fd)

    def take(self, items: list[Item]) -> Part:
        out = Part()
        texts: dict[str, list[str]] = {name: [] for name in MATERIAL_FILES[1:]}
        entries: dict[str, list[str]] = {name: [] for name in MATERIAL_FILES[1:]}
        for folder, names in items:
            if names is not None:
                try:
                    fd = open_dir(self.inbox, folder)
                except OSError:
                    out.unreadable.append(folder)  # removed since the parent listed it
                    continue
                try:
                    self.files(fd, folder, names, out, texts, entries)
                finally:
                    os.close(fd)
                continue
            self._walk(folder, out, texts, entries)
        out.records = {name: _joined(t) for name, t in texts.items() if t}
        out.entries = {name: _joined(t) for name, t in entries.items() if t}
        return out


def _encoded(q: Quarantine) -> str:
    return json.dumps(q.to_json(), ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _joined(texts: list[str]) -> list[bytes]:
    """A shard's texts as one piece of UTF-8; a text holding a name from a non-UTF-8 disk (lone
    surrogates) with \\u escapes instead, as store/atomic.py's encode writes it."""
    try:
        return [",".join(texts).encode("utf-8")]
    except UnicodeEncodeError:
        out = []
        for text in texts:
            try:
                out.append(text.encode("utf-8"))
            except UnicodeEncodeError:
                doc = json.loads("{" + text + "}")
                out.append(json.dumps(doc, separators=(",", ":"))[1:-1].encode("ascii"))
        return out


def _worker_take(items: list[Item]) -> Part:
    """A forked worker's task: the inbox, reader and zone inherited from the parent."""
    assert hashing._FORKED is not None
    inbox, reader, tz = hashing._FORKED
    recorder = _WORKER.get("recorder")
    if recorder is None:
        recorder = _WORKER["recorder"] = _Recorder(inbox, reader, tz)
    return recorder.take(items)


#: A worker's recorder, made at its first task and kept for the next (its caches).
_WORKER: dict[str, _Recorder] = {}


def _spread(inbox: str, out: Part, workers: int) -> list[Item]:
    """The inbox cut into items: the parent lists the top folders (deeper while there are too
    few to share), each folder below to be walked whole by whoever takes it, and the files of
    each folder it listed in chunks."""
    items: list[Item] = []
    level = [""]
    for depth in range(SPREAD_DEPTH + 1):
        below: list[str] = []
        for rel in level:
            listed = _listing(inbox, rel, out)
            if listed is None:
                if rel == "":
                    raise WeekwatchError(f"{inbox}: cannot list the inbox folder")
                continue
            fd, files, folders = listed
            os.close(fd)
            items += [(rel, tuple(files[i : i + CHUNK])) for i in range(0, len(files), CHUNK)]
            prefix = f"{rel}/" if rel else ""
            below += [prefix + n for n in folders]
        if len(below) >= workers * TASKS_PER_WORKER or depth == SPREAD_DEPTH:
            items += [(rel, None) for rel in below]
            break
        level = below
    return items


def _tasks(items: list[Item], workers: int) -> list[list[Item]]:
    n = max(1, min(len(items), workers * TASKS_PER_WORKER))
    size = -(-len(items) // n)
    return [items[i : i + size] for i in range(0, len(items), size)]


def record(inbox: Path, reader: Reader, tz: dt.tzinfo) -> Part:
    """Every plain file of the inbox hashed, read and encoded; the rest left over.

    The parent takes items itself until `hashing.PARALLEL_MIN` files are recorded (a small
    inbox never forks); the rest goes to forked workers, one per core, when this process may
    fork (no threads). Raises WeekwatchError if the inbox itself cannot be listed."""
    root = str(inbox)
    out = Part()
    workers = os.cpu_count() or 2
    items = _spread(root, out, workers)
    here = _Recorder(root, reader, tz)
    done = 0
    while done < len(items) and (out.count < hashing.PARALLEL_MIN or not hashing._may_fork()):
        out.merge(here.take(items[done : done + 1]))
        done += 1
    items = items[done:]
    if not items:
        return out
    with hashing._pool(root, reader, tz) as pool:
        futures: list[Future[Part]] = [
            pool.submit(_worker_take, task) for task in _tasks(items, workers)
        ]
        del items
        for future in futures:
            out.merge(future.result())
    return out
