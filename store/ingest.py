"""Ingestion: files under inbox/ become material records. Nothing is moved, changed or deleted.

A scan walks the inbox (store/inbox_walk.py); every file not ignored is either placed by the
reading rules or quarantined with a reason. Files already recorded with the same size and mtime
are not hashed again (store/hashing.py hashes the rest), so a rescan of a quiet inbox costs one
stat per file.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import stamp_index
from .hashing import Ahead, Hashed, StillChanging, hash_and_read, hash_file, sha256_of
from .inbox_walk import (
    _DENIED,
    SPECIAL_KIND_ZH,
    Found,
    NotRegularFile,
    _mtime,
    display_path,
    lstat_below,
    special_kind,
    spelled,
    stat_one,
    walk,
)
from .ingest_lock import IngestLock
from .model import Event, Material, Reading, Unit, WeekwatchError
from .reasons import Code, Quarantine
from .scan_ahead import Offers, collector_paused
from .shards import SHARDS, materials_stamp, shard_name

__all__ = [  # what callers have always taken from here
    "Batch",
    "Found",
    "IngestLock",
    "Ingestor",
    "display_path",
    "first_arrivals",
    "hash_file",
    "sha256_of",
    "spelled",
    "stat_one",
    "walk",
]

if TYPE_CHECKING:
    from . import composite, folder_index
    from .db import Store
    from .reading import Reader


def first_arrivals(materials: Iterable[Material]) -> dict[str, dt.datetime]:
    """Each path's first arrival, over all its versions (a file rewritten keeps its first)."""
    out: dict[str, dt.datetime] = {}
    for m in materials:
        if m.path not in out or m.received_at < out[m.path]:
            out[m.path] = m.received_at
    return out


def _under(path: str, folders: tuple[str, ...]) -> bool:
    """Whether `path` is one of `folders` or lies inside one."""
    return any(path == f or path.startswith(f + "/") for f in folders)


def _stamp(m: Material | Found) -> tuple[int, int, int, int]:
    return (m.size, m.mtime_ns, m.ino, m.ctime_ns)


#: Quarantine codes of records made without reading the file, by the kind of entry.
_UNOPENED = {
    "symlink": Code.SYMLINK,
    "fifo": Code.FIFO,
    "socket": Code.SOCKET,
    "device": Code.DEVICE,
    "folder": Code.FOLDER_UNREADABLE,
}
#: Records tried again at every scan whatever their stamp: the next try may succeed.
_RETRIED = frozenset({Code.UNREADABLE, Code.FOLDER_UNREADABLE})


@dataclass
class Batch:
    """What one ingestion pass wrote."""

    gone: list[Material] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be read this time
    #: Files written to while they were read: not recorded, read again once they hold still.
    unsettled: list[str] = field(default_factory=list)
    startup: bool = False  # the watcher's first scan: what came while nothing watched
    _made: list[Material] = field(default_factory=list, repr=False)
    #: Records written as encoded text by a scan from scratch (store/fresh_scan.py), made into
    #: Materials only when `added` is asked for; how many, and how many of them quarantined.
    _texts: list[bytes] = field(default_factory=list, repr=False)
    _counted: tuple[int, int] = (0, 0)

    @property
    def added(self) -> list[Material]:
        """New files and new content (a list to add to)."""
        if self._texts:
            texts, self._texts, self._counted = self._texts, [], (0, 0)
            for text in texts:
                for key, doc in json.loads(b"{" + text + b"}").items():
                    self._made.append(Material.from_dict(key, doc))
        return self._made

    def encoded(self, texts: Iterable[bytes], count: int, quarantined: int) -> None:
        """Records written from their text (`count` of them, `quarantined` of those)."""
        self._texts += texts
        n, q = self._counted
        self._counted = (n + count, q + quarantined)

    @property
    def recorded(self) -> int:
        """How many records `added` holds (none made to count them)."""
        return len(self._made) + self._counted[0]

    @property
    def quarantined(self) -> int:
        """How many of them wait in quarantine."""
        return self._counted[1] + sum(1 for m in self._made if m.quarantine)

    @property
    def changed(self) -> bool:
        return bool(self.recorded or self.gone)


class Ingestor:
    """Turns found files into material records and writes them in one batch."""

    def __init__(
        self,
        event: Event,
        reader: Reader,
        store: Store,
        inbox: Path,
        units: Sequence[Unit] | Callable[[], Sequence[Unit]] = (),
    ) -> None:
        """`units` (or what gives them, asked only when a zip or an e-mail is met): the roster
        the composites' senders and names are matched with."""
        self.event = event
        self.reader = reader
        self.store = store
        self.inbox = inbox
        self._units = units
        self.stamps = stamp_index.StampIndex(store)
        #: During a scan: the files hashed and read while the walk went on.
        self._ahead: Ahead | None = None
        #: Whether a scan with nothing recorded yet goes the from-scratch way (fresh_scan.py).
        self.fresh = True

    @functools.cached_property
    def unpacker(self) -> composite.Unpacker:
        """Zip bundles and e-mails: their members are read in store/composite.py (made when
        the first one is met: the e-mail modules cost a plain file's ingestion its start)."""
        from . import composite

        units = self._units() if callable(self._units) else self._units
        return composite.Unpacker(self.reader, units)

    def current(self) -> dict[str, Material]:
        """The live record of every path (superseded versions left out)."""
        return self.store.live()

    def ingest(
        self,
        found: Iterable[Found],
        arrived: Callable[[Found], dt.datetime],
        *,
        complete: bool = False,
        gone: Iterable[str] = (),
        unseen: tuple[str, ...] = (),
        missing: Sequence[str] = (),
    ) -> Batch:
        """Record new and rewritten files in one write.

        With `complete`, `found` is the whole inbox and records of files no longer there are
        marked gone, except under the `unseen` folders; `gone` names paths (or folders) that
        were removed; `missing` names files (never folders) that may have gone, each looked
        up in its own shard of the stamp index only.
        """
        batch, writes = self._gather(
            found, arrived, complete=complete, gone=gone, unseen=unseen, missing=missing
        )
        if writes:
            self.store.put_materials(writes)
            self.stamps.refresh()
        return batch

    def _gather(
        self,
        found: Iterable[Found],
        arrived: Callable[[Found], dt.datetime],
        *,
        complete: bool = False,
        gone: Iterable[str] = (),
        unseen: tuple[str, ...] = (),
        missing: Sequence[str] = (),
    ) -> tuple[Batch, list[Material]]:
        """`ingest`'s work but the write: the batch, and the records to write."""
        from . import composite

        found = list(found)
        holders = {f.relpath for f in found if composite.is_composite(self.inbox, f.relpath)}
        gone = tuple(gone)
        loaded = self._shards_to_read(found, holders, complete, gone, unseen, missing)
        mats = self.store.materials() if loaded is None else self.store.materials_of(loaded)
        known = {m.path: m for m in mats if not m.superseded}
        batch = Batch()
        writes: list[Material] = []
        # Every path found counts as seen; only those in the shards read are looked at again
        # (the stamp index found every other one as its records say it was).
        seen: set[str] = {f.relpath for f in found}
        todo: list[tuple[Found, Material | None]] = []
        composed: list[Found] = []
        if loaded is not None and len(loaded) < SHARDS:
            found = [f for f in found if shard_name(f.relpath) in loaded] if loaded else []
        for f in found:
            old = known.get(f.relpath)
            if f.kind != "file":
                self._unopened(f, old, arrived, writes, batch)
                continue
            if f.relpath in holders:
                composed.append(f)
                continue
            if (
                old is None
                or old.gone
                or _stamp(old) != _stamp(f)
                or (old.quarantine is not None and old.quarantine.code in _RETRIED)
            ):
                todo.append((f, old))
        arrivals = [arrived(f).astimezone(self.event.tz) for f, _ in todo]
        # A rewritten file is read as of its first version's arrival: the corrected copy of a
        # day's report stays in that day's cell (and keeps the credit it earned there).
        firsts = first_arrivals(mats) if any(old for _, old in todo) else {}
        readings = [
            min(at, firsts.get(f.relpath, at)) for (f, _), at in zip(todo, arrivals, strict=True)
        ]
        results = self._read_all(todo, readings)
        for (f, old), at, (read, reading) in zip(todo, arrivals, results, strict=True):
            if isinstance(read, NotRegularFile):  # swapped for a FIFO, a link... once listed
                now = stat_one(self.inbox, f.relpath)
                if now is not None and now.kind != "file":
                    self._unopened(now, old, arrived, writes, batch)
                continue
            if isinstance(read, StillChanging):
                shown = display_path(f.relpath)
                batch.errors.append(f"{shown}: still being written; read again once it settles")
                batch.unsettled.append(f.relpath)
                continue
            if isinstance(read, OSError):
                if read.errno == errno.ENOENT:
                    continue  # removed since it was listed: the next scan marks it gone
                detail = read.strerror or str(read)
                batch.errors.append(f"{display_path(f.relpath)}: {detail}")
                if read.errno in _DENIED:
                    q = Quarantine.of(Code.UNREADABLE, detail=detail)
                    self._keep(self._unread(f, old, at, q), old, writes, batch)
                continue
            if old is not None and old.sha256 == read.sha256:
                # Same content touched or put back: the record stays, the stamp follows.
                writes.append(
                    replace(
                        old,
                        size=read.size,
                        mtime_ns=read.mtime_ns,
                        ino=read.ino,
                        ctime_ns=read.ctime_ns,
                        gone=False,
                    )
                )
                continue
            if old is not None and old.sha256:
                writes.append(replace(old, key=f"{old.path}@{old.sha256[:16]}", superseded=True))
            elif old is not None:
                # Recorded unread (no permission, a link...): now read, it keeps its arrival.
                at = min(at, old.received_at)
            writes.append(self._record(f.relpath, read, at, reading))
            batch.added.append(writes[-1])
        # What the scan found is not needed for the write, the peak of a scan from scratch.
        del found, todo, arrivals, readings, results
        if composed:
            self._composites(composed, arrived, known, seen, batch, writes)
        for path in self._gone(known, seen, complete, (*gone, *missing), unseen):
            writes.append(replace(known[path], gone=True))
            batch.gone.append(writes[-1])
        return batch, writes

    def _shards_to_read(
        self,
        found: list[Found],
        holders: set[str],
        complete: bool,
        removed: tuple[str, ...],
        unseen: tuple[str, ...],
        missing: Sequence[str] = (),
    ) -> set[str] | None:
        """The shards holding the records of every found file that is not as the stamp index
        has it, and of every indexed file that may be gone; None: read them all. `holders`:
        the zips and e-mails found."""

        if self.stamps.legacy():
            return None  # records still in the schema-2 file: the index does not cover them
        by_shard: dict[str, dict[str, stamp_index.Entry]] = {}
        look: Callable[[str], stamp_index.Entry | None] = self.stamps.entry
        if complete or removed:
            index, by_shard = self.stamps.entries()
            if not index:
                # Nothing recorded (a scan from scratch): no shard holds a record to look at,
                # and naming each found file's shard would cost a hash per file for nothing.
                return None
            look = index.get
        # else only what was named: the index of the shards it falls in
        out: set[str] = set()
        plain = stamp_index.FILE
        for f in found:
            entry = look(f.relpath)
            if entry is None:
                out.add(shard_name(f.relpath))
                continue
            stamp = f[1:5]  # (size, mtime_ns, ino, ctime_ns)
            if entry[0] == plain and entry[1:] == stamp and f.kind == "file":
                if f.relpath not in holders:
                    continue  # most of a scan: a plain file as it was read
            composed = f.kind == "file" and f.relpath in holders
            if not stamp_index.settled(entry, f.kind, composed, stamp):
                out.add(shard_name(f.relpath))
        for path in missing:  # a file: its records are in its own shard, if anywhere
            entry = look(path)
            if entry is not None and entry[0] != stamp_index.GONE:
                out.add(shard_name(path))
        if complete or removed:
            paths = {f.relpath for f in found}
            for name, entries in by_shard.items():
                if name in out:
                    continue
                for container, entry in entries.items():
                    if entry[0] == stamp_index.GONE:
                        continue
                    if complete:
                        if container not in paths and not _under(container, unseen):
                            out.add(name)  # not found: its records are marked gone
                            break
                    elif _under(container, removed) and container not in paths:
                        out.add(name)  # a found one was looked at above
                        break
        return out

    def _read_all(
        self, todo: list[tuple[Found, Material | None]], arrivals: list[dt.datetime]
    ) -> Iterator[tuple[Hashed | OSError, Reading]]:
        """Hash and read every file, in order; on both cores when there are many."""
        items = [(f.relpath, f.size, at) for (f, _), at in zip(todo, arrivals, strict=True)]
        if self._ahead is not None:
            return self._ahead.take(items)
        return hash_and_read(items, str(self.inbox), self.reader)

    def _gone(
        self,
        known: dict[str, Material],
        seen: set[str],
        complete: bool,
        removed: tuple[str, ...],
        unseen: tuple[str, ...],
    ) -> list[str]:
        if not complete and not removed:
            return []
        out = []
        for path, old in known.items():
            if old.gone or path in seen or _under(old.container, unseen):
                continue
            if complete:
                out.append(path)
            elif _under(old.container, removed) and stat_one(self.inbox, old.container) is None:
                out.append(path)  # checked: the event may be older than a file put back
        return out

    def _composites(
        self,
        found: list[Found],
        arrived: Callable[[Found], dt.datetime],
        known: dict[str, Material],
        seen: set[str],
        batch: Batch,
        writes: list[Material],
    ) -> None:
        """Zips and e-mails: the materials inside each changed one (store/composite.py)."""
        from . import composite

        boxes = composite.held(known.values())
        todo: list[Found] = []
        for f in found:
            old = boxes.get(f.relpath, [])
            seen.update(m.path for m in old)
            if not composite.unchanged(old, f.size, f.mtime_ns):
                plain = known.get(f.relpath)
                if plain is not None and not plain.within:  # recorded before it was opened
                    boxes[f.relpath] = [*old, plain]
                todo.append(f)
        w, added, gone = composite.ingest_composites(
            self.unpacker,
            self.inbox,
            [(f.relpath, f.size, f.mtime_ns) for f in todo],
            lambda i: arrived(todo[i]).astimezone(self.event.tz),
            boxes,
            batch.errors,
        )
        writes += w
        batch.added.extend(added)
        batch.gone += gone

    def _unopened(
        self,
        f: Found,
        old: Material | None,
        arrived: Callable[[Found], dt.datetime],
        writes: list[Material],
        batch: Batch,
    ) -> None:
        """A link, FIFO, socket, device node or unreadable folder: listed, never opened."""
        if old is not None and not old.gone and not old.sha256 and _stamp(old) == _stamp(f):
            return  # listed already, unchanged
        args: dict[str, str] = {}
        if f.kind == "symlink":
            try:
                args["target"] = display_path(os.readlink(os.path.join(self.inbox, f.relpath)))
            except OSError:
                args["target"] = "?"
        elif f.kind == "folder":
            args["detail"] = os.strerror(errno.EACCES)
        q = Quarantine.of(_UNOPENED[f.kind], **args)
        at = arrived(f).astimezone(self.event.tz)
        if old is not None and old.sha256 and not old.gone:
            # A file replaced by a link (or a FIFO): the file's record is kept as a version.
            writes.append(replace(old, key=f"{old.path}@{old.sha256[:16]}", superseded=True))
            old = None
        self._keep(self._unread(f, old, at, q), None, writes, batch)

    def _unread(self, f: Found, old: Material | None, at: dt.datetime, q: Quarantine) -> Material:
        """The record of an entry that was not read: no hash, in quarantine with its reason."""
        if old is not None and not old.sha256:
            at = min(at, old.received_at)  # still the same unread entry: its first arrival
        return Material(
            key=f.relpath,
            path=f.relpath,
            sha256="",
            size=f.size,
            mtime_ns=f.mtime_ns,
            received_at=at,
            unit=None,
            kind="report",
            cell=None,
            quarantine=q,
            ino=f.ino,
            ctime_ns=f.ctime_ns,
        )

    @staticmethod
    def _keep(m: Material, old: Material | None, writes: list[Material], batch: Batch) -> None:
        """Write `m` unless the very same record is there already (tried again, same result)."""
        if old is not None and old == m:
            return
        writes.append(m)
        batch.added.append(m)

    def _record(self, path: str, read: Hashed, arrived: dt.datetime, reading: Reading) -> Material:
        quarantine = reading.quarantine
        if read.size == 0:
            quarantine = Quarantine.of(Code.EMPTY)
        return Material(
            key=path,
            path=path,
            sha256=read.sha256,
            size=read.size,
            mtime_ns=read.mtime_ns,
            received_at=arrived,
            unit=reading.unit,
            kind=reading.kind,
            cell=reading.cell,
            quarantine=quarantine,
            until=reading.until,
            ino=read.ino,
            ctime_ns=read.ctime_ns,
        )

    def scan(self) -> Batch:
        """One full pass over the inbox; arrival is each file's modification time.

        Every entry is stat'ed; the folder index (store/folder_index.py) spares the folders
        listed exactly as they were when all their entries were last found recorded, and the
        stamp index the shards of what did not change."""
        from . import folder_index

        if not self.inbox.is_dir():
            raise WeekwatchError(f"{self.inbox}: the inbox folder is missing or not a folder")
        dbdir = self.store.dbdir
        legacy = self.stamps.legacy()
        kept = None if legacy else folder_index.load(dbdir)
        loaded = materials_stamp(dbdir)
        index: dict[str, stamp_index.Entry] = {}
        if kept is None and not legacy:
            index, _ = self.stamps.entries()  # every file looked at: the whole index
        look = index.get if kept is None else self.stamps.entry
        if kept is None and not legacy and not index and self.fresh:
            # Nothing recorded yet: the workers walk, hash, read and encode (fresh_scan.py).
            with collector_paused():
                batch, unreadable = self._scan_fresh()
            batch.errors += [f"{display_path(u)}/: cannot list this folder" for u in unreadable]
            return batch
        ahead = None if legacy else self._look_ahead(look)
        try:
            with collector_paused():
                batch, listed, unreadable = self._scan(kept, index, look, ahead, legacy)
        finally:
            self._ahead = None
            if ahead is not None:
                ahead.hashed.close()
        batch.errors += [f"{display_path(u)}/: cannot list this folder" for u in unreadable]
        if listed.folders and not self.store.read_only:
            # A quiet rescan (nothing written, every folder as kept) leaves the index as it is:
            # the watcher's rescan every minute need not rewrite it.
            if not (listed.folders == kept and materials_stamp(dbdir) == loaded):
                folder_index.save(dbdir, listed.folders)
        return batch

    def _scan_fresh(self) -> tuple[Batch, list[str]]:
        """A scan of an inbox none of whose files has a record yet: the plain files recorded
        from the texts the workers encode (store/fresh_scan.py), what they left over (zips,
        e-mails, links, failures) through `_gather`, all in one write."""
        from . import fresh_scan

        part = fresh_scan.record(self.inbox, self.reader, self.event.tz)
        unreadable = part.unreadable
        if "" in unreadable:
            raise WeekwatchError(f"{self.inbox}: cannot list the inbox folder")
        leftover, part.leftover = part.leftover, []
        batch, writes = self._gather(leftover, _mtime, complete=True, unseen=tuple(unreadable))
        docs: dict[str, dict[str, dict[str, Any]]] = {}
        for m in writes:
            docs.setdefault(shard_name(m.container), {})[m.key] = m.to_dict()
        if part.count or docs:
            written = self.store.put_encoded(part.records, docs)
            self.stamps.put_encoded(written, part.entries, docs)
        batch.encoded(
            (t for texts in part.records.values() for t in texts), part.count, part.quarantined
        )
        return batch, unreadable

    def _scan(
        self,
        kept: dict[str, folder_index.Kept] | None,
        index: dict[str, stamp_index.Entry],
        look: Callable[[str], stamp_index.Entry | None],
        ahead: Offers | None,
        legacy: bool,
    ) -> tuple[Batch, folder_index.Listed, list[str]]:
        from . import folder_index
        from .reading import ignored_name

        listed = folder_index.scan(
            self.inbox,
            kept,
            ignored_name,
            ahead.offer_found if ahead is not None else None,
            keep=not legacy and (kept is not None or bool(index)),
        )
        unreadable = listed.unreadable
        if "" in unreadable:
            raise WeekwatchError(f"{self.inbox}: cannot list the inbox folder")
        self._unsettled_folders(listed, look)
        # Handed over whole: the entries are let go once ingest has looked at them.
        entries = iter(listed.found)
        listed.found = []
        self._ahead = ahead.hashed if ahead is not None else None
        arrived = ahead.arrived if ahead is not None else _mtime
        if kept is None:
            batch = self.ingest(entries, arrived, complete=True, unseen=tuple(unreadable))
        else:  # what was not found: the files gone from a folder listed, vanished folders
            batch = self.ingest(
                entries,
                arrived,
                gone=listed.unknown,
                unseen=tuple(unreadable),
                missing=listed.missing,
            )
        return batch, listed, unreadable

    def _unsettled_folders(
        self, listed: folder_index.Listed, look: Callable[[str], stamp_index.Entry | None]
    ) -> None:
        """Before the write: a folder listed entry by entry is kept as clean (its digest kept,
        so the next scan spares it while its listing stays the same) only if every entry in it
        is found as its records have it. The others are looked at entry by entry again."""
        from . import composite

        if not listed.folders:
            return
        settled = stamp_index.settled
        for f in listed.found:
            entry = look(f.relpath)
            folder = f.relpath.rpartition("/")[0]
            if entry is not None:
                stamp = f[1:5]  # (size, mtime_ns, ino, ctime_ns)
                if entry[0] == stamp_index.FILE and f.kind == "file" and entry[1:] == stamp:
                    if not composite.is_composite(self.inbox, f.relpath):
                        continue  # most of a scan: a plain file as it was read
                composed = f.kind == "file" and composite.is_composite(self.inbox, f.relpath)
                if settled(entry, f.kind, composed, stamp):
                    continue
            kept = listed.folders.get(folder)
            if kept is not None and kept[0]:
                listed.folders[folder] = ("", kept[1], kept[2])

    def take(self, named: Sequence[str]) -> Batch:
        """Only the named entries of the inbox (inbox-relative paths), for a caller that knows
        what arrived: each file as a scan finds it, each folder walked whole, and what is named
        but no longer there marked gone. Arrival is each file's mtime, as in a scan, so a path
        taken in here and found by a scan makes the same record. Only what is named is stat'ed
        and only the shards of its records are read (a folder named or removed: the index of
        every shard, as its files' records may lie in any).

        Every name is checked before anything is written: a path through a link, or one that
        is neither there nor recorded, raises WeekwatchError and nothing is written."""
        from . import folder_index
        from .reading import is_ignored

        found: dict[str, Found] = {}
        removed: list[str] = []
        missing: list[str] = []
        walked: list[str] = []
        unreadable: list[str] = []
        for rel in dict.fromkeys(named):
            shown = display_path(rel)
            if not rel:
                raise WeekwatchError(
                    "the inbox itself: scan it with `weekwatch ingest`", tag="ingest_inbox"
                )
            if is_ignored(rel):
                continue  # hidden, lock, partial or housekeeping: a scan skips it too
            try:
                st = lstat_below(self.inbox, rel)
            except NotRegularFile as exc:
                through = display_path(str(exc.filename))
                raise WeekwatchError(
                    f"{shown}: the path goes through a {exc.kind} ({through}), "
                    "which weekwatch never follows",
                    tag="ingest_through",
                    shown=shown,
                    kind=exc.kind,
                    kind_zh=SPECIAL_KIND_ZH.get(exc.kind, exc.kind),
                    through=through,
                ) from None
            if st is None:
                recorded = self._recorded_at(rel)
                if recorded is None:
                    raise WeekwatchError(
                        f"{shown}: no such file or folder in the inbox",
                        tag="ingest_missing",
                        shown=shown,
                    )
                # Recorded, now gone: marked gone as a scan would (a file's records are all
                # in its own shard; a folder's may be in any).
                (missing if recorded == "file" else removed).append(rel)
            elif stat.S_ISDIR(st.st_mode):
                for f in walk(self.inbox, rel, unreadable=unreadable):
                    found[f.relpath] = f
                removed.append(rel)  # what it held and holds no more: gone
                walked.append(rel)
            else:
                found[rel] = Found.of(rel, st, special_kind(st.st_mode) or "file")
        # The folder index, if current, stays so: the folders named are journaled, for the
        # next scan to look at again.
        dbdir = self.store.dbdir
        current = None if self.stamps.legacy() else folder_index.current_for(dbdir)
        before = materials_stamp(dbdir)
        batch = self.ingest(
            found.values(), _mtime, gone=removed, unseen=tuple(unreadable), missing=missing
        )
        batch.errors += [f"{display_path(u)}/: cannot list this folder" for u in unreadable]
        if current is not None and materials_stamp(dbdir) != before:
            gone = set(removed) | set(missing)
            files = [r for r in dict.fromkeys(named) if (r in found or r in gone)]
            folder_index.journal(dbdir, current, [r for r in files if r not in walked], walked)
        return batch

    def _recorded_at(self, rel: str) -> str | None:
        """ "file" if the store holds records of the inbox file `rel`, "folder" if of files
        under it, None if of neither."""
        if self.stamps.legacy():
            return "folder"  # the index does not cover the records: look everywhere
        entry = self.stamps.entry(rel)
        if entry is not None and entry[0] != stamp_index.GONE:
            return "file"
        # Gone already, or never a file: a folder's files may have been recorded since.
        index, _ = self.stamps.entries()
        if any(container.startswith(f"{rel}/") for container in index):
            return "folder"
        return None if entry is None else "file"

    def _look_ahead(self, look: Callable[[str], stamp_index.Entry | None]) -> Offers:
        """What a scan hashes while it walks: the files the stamp index (`look`) says are new
        or changed (from scratch, all of them)."""
        tz = self.event.tz
        return Offers(Ahead(str(self.inbox), self.reader, tz), look, self.inbox, tz)
