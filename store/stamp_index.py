"""The stamp index: what a scan needs to know of each inbox file the store holds, without
reading the store.

For every file of the inbox that has live records (its own, or its members' for a zip or an
e-mail), the index keeps the stamp those records were read from and whether, found again with
that very stamp, the file needs nothing done. A scan compares each entry it walks to the index
and reads from the store only the shards of the files that changed, appeared or went away
(store/ingest.py); every file is still stat'ed, so a file rewritten in place is seen.

The index is derived data, one small file per materials shard in ``.weekwatch/stamps/``, each
naming the stamp of the shard file it was made from and a checksum of its entries. A shard
written since (by any process), an index file missing, torn, corrupt or of another version: the
entries are made again from that shard's records, never trusted. Deleting the folder loses
nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import FILE_MODE, MISSING, Stamp, file_stamp, make_db_folder, share_with_group
from .reasons import Code, Quarantine
from .shards import MATERIAL_FILES, shard_name

if TYPE_CHECKING:
    from .db import Store

#: Bumped whenever what an entry means changes: an index of another version is made again.
VERSION = 1
FOLDER = "stamps"

#: A plain file, read and hashed: settled when found as a regular file, not a zip or an
#: e-mail, with this (size, mtime_ns, ino, ctime_ns).
FILE = "f"
#: An entry recorded unopened (a link, a FIFO, a socket, a device): settled when found again
#: as such with this stamp.
UNOPENED = "u"
#: A zip or an e-mail whose members were read: settled when found with this (size, mtime_ns).
HOLDER = "c"
#: Every live record of the file is marked gone: nothing to do while it stays away.
GONE = "g"
#: Anything else (tried again at every scan, half gone...): never settled.
OTHER = "x"

#: Quarantine codes of records tried again at every scan whatever their stamp.
RETRIED = frozenset({Code.UNREADABLE, Code.FOLDER_UNREADABLE})

#: An index entry: its tag, then the stamp it is settled with.
Entry = tuple[Any, ...]


def entries_of(docs: Mapping[str, Mapping[str, Any]]) -> dict[str, Entry]:
    """The index entries of one shard's records (as stored), by the inbox file holding them."""
    holders: dict[str, list[Mapping[str, Any]]] = {}
    plain: dict[str, Mapping[str, Any] | None] = {}  # None: two live records of one path
    for doc in docs.values():
        if doc.get("superseded", False):
            continue
        within = doc.get("within")
        if within:
            holders.setdefault(within[0], []).append(doc)
        else:
            path = doc["path"]
            plain[path] = None if path in plain else doc
    out: dict[str, Entry] = {}
    for container, one in plain.items():
        if container in holders:
            continue  # a zip or an e-mail recorded whole before it was opened: its members tell
        doc = one or {}
        if one is None:
            out[container] = (OTHER,)
        elif doc.get("gone", False):
            out[container] = (GONE,)
        elif doc["sha256"]:
            out[container] = (
                FILE,
                doc["size"],
                doc.get("mtime_ns", 0),
                doc.get("ino", 0),
                doc.get("ctime_ns", 0),
            )
        else:  # unread records are few: their reason read as the store reads it
            q = Quarantine.from_json(doc.get("quarantine"))
            if q is not None and q.code in RETRIED:
                out[container] = (OTHER,)
            else:
                stamp = (
                    doc["size"],
                    doc.get("mtime_ns", 0),
                    doc.get("ino", 0),
                    doc.get("ctime_ns", 0),
                )
                out[container] = (UNOPENED, *stamp)
    for container, members in holders.items():
        size = (members[0].get("origin") or {}).get("size")
        mtime = members[0].get("mtime_ns", 0)
        whole = all(
            not d.get("gone", False)
            and d.get("mtime_ns", 0) == mtime
            and (d.get("origin") or {}).get("size") == size
            for d in members
        )
        out[container] = (HOLDER, size, mtime) if whole else (OTHER,)
    return out


def file_entry_text(key: str, size: int, mtime_ns: int, ino: int, ctime_ns: int) -> str:
    """A plain file's entry as an index file holds it, ``"key":["f",…]``: the text the JSON of
    `entries_of`'s (FILE, size, mtime_ns, ino, ctime_ns) is, for `key` already as JSON text
    (a scan from scratch writes one per file without making the entry)."""
    return f'{key}:["{FILE}",{size},{mtime_ns},{ino},{ctime_ns}]'


def settled(entry: Entry | None, kind: str, composite: bool, stamp: tuple[int, ...]) -> bool:
    """Whether a file found with this kind and (size, mtime_ns, ino, ctime_ns) needs nothing
    done: its records were read from exactly this file as it is now."""
    if entry is None:
        return False
    tag = entry[0]
    if tag == FILE:
        return kind == "file" and not composite and entry[1:] == stamp
    if tag == HOLDER:
        return kind == "file" and composite and entry[1:] == stamp[:2]
    if tag == UNOPENED:
        return kind != "file" and entry[1:] == stamp
    return False


class StampIndex:
    """The stamp index of one store, kept current in memory between scans of one process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.folder = store.dbdir / FOLDER
        self._shards: dict[str, tuple[Stamp, dict[str, Entry]]] = {}

    def entries(self) -> tuple[dict[str, Entry], dict[str, dict[str, Entry]]]:
        """Every inbox file with live records and its entry; and the same by shard."""
        by_shard = {name: self._shard(name) for name in MATERIAL_FILES[1:]}
        merged: dict[str, Entry] = {}
        for entries in by_shard.values():
            merged.update(entries)
        return merged, by_shard

    def entry(self, container: str) -> Entry | None:
        """One inbox file's entry, reading only the index of the shard it falls in."""
        return self._shard(shard_name(container)).get(container)

    def legacy(self) -> bool:
        """Whether the schema-2 materials file is still there (its records are not indexed)."""
        return file_stamp(self.store.dbdir / f"{MATERIAL_FILES[0]}.json")[1] >= 0

    def refresh(self) -> None:
        """After a write: the entries of every shard this process looked at and that was
        written since, made again from what the store holds now (its cached data: no file
        parsed again). A shard never looked at keeps its index file, which names the shard
        stamp it was made from: the next reader finds it stale if it is."""
        for name, (stamp, _) in list(self._shards.items()):
            if stamp != file_stamp(self.store.dbdir / f"{name}.json"):
                self._rebuild(name)

    def _shard(self, name: str) -> dict[str, Entry]:
        now = file_stamp(self.store.dbdir / f"{name}.json")
        hit = self._shards.get(name)
        if hit is not None and hit[0] == now:
            return hit[1]
        kept = self._read(name, now)
        if kept is not None:
            self._shards[name] = (now, kept)
            return kept
        return self._rebuild(name)

    def _rebuild(self, name: str) -> dict[str, Entry]:
        stamp, docs = self.store.material_docs(name)
        entries = entries_of(docs)
        self._shards[name] = (stamp, entries)
        self._write(name, stamp, entries)
        return entries

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def _read(self, name: str, stamp: Stamp) -> dict[str, Entry] | None:
        """The kept entries, if they are of this version, whole and made from this shard."""
        try:
            raw = self._path(name).read_bytes()
        except OSError:
            return None
        head, _, body = raw.partition(b"\n")
        try:
            meta = json.loads(head)
            if (
                not isinstance(meta, dict)
                or meta.get("version") != VERSION
                or meta.get("shard") != list(stamp)
                or meta.get("crc") != zlib.crc32(body)
            ):
                return None
            data = json.loads(body)
        except ValueError:  # torn, or not ours
            return None
        if not isinstance(data, dict):
            return None
        return {k: tuple(v) for k, v in data.items() if isinstance(v, list) and v}

    def put_encoded(
        self,
        written: Mapping[str, Stamp],
        texts: Mapping[str, list[bytes]],
        docs: Mapping[str, Mapping[str, Mapping[str, Any]]],
    ) -> None:
        """After a scan from scratch's write (`Store.put_encoded`): each shard written from
        encoded records, with the stamp it was written with, gets its index from the entries
        encoded beside them (`file_entry_text`, by shard) and those of its other records
        (`docs`, by shard), without parsing the shard; the others are made again from the
        store (`refresh`)."""
        for name, stamp in written.items():
            parts = list(texts.get(name, ()))
            more = docs.get(name)
            if more:
                extra = entries_of(more)
                if extra:
                    parts.append(_encoded(extra)[1:-1])
            self._write_body(name, stamp, b"{" + b",".join(parts) + b"}")
            self._shards.pop(name, None)  # read from the file when next asked
        self.refresh()

    def _write(self, name: str, stamp: Stamp, entries: dict[str, Entry]) -> None:
        """Keep the entries for the next process; a failure only costs that process a rebuild."""
        self._write_body(name, stamp, _encoded(entries))

    def _write_body(self, name: str, stamp: Stamp, body: bytes) -> None:
        if self.store.read_only or stamp == MISSING:
            return  # nothing to keep: a shard not written yet is indexed for free
        meta = {"version": VERSION, "shard": list(stamp), "crc": zlib.crc32(body)}
        payload = json.dumps(meta).encode() + b"\n" + body
        path = self._path(name)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            make_db_folder(self.folder)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
            try:
                with contextlib.suppress(OSError):
                    share_with_group(fd)
                os.write(fd, payload)
            finally:
                os.close(fd)
            # Not synced: a crash may tear it, and a torn index is only made again.
            os.replace(tmp, path)
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _encoded(entries: Mapping[str, Entry]) -> bytes:
    try:
        return json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:  # an undecodable name (a lone surrogate): escaped
        return json.dumps(entries, separators=(",", ":")).encode()
