"""One table's JSON file as TinyDB sees it: reads follow the file on disk, writes wait for the
transaction that commits them (store/db.py), and ids are our own string ids."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage
from tinydb.table import Document, Table

from .atomic import MISSING, JsonData, Stamp, encode, file_stamp, load


class KeyedTable(Table):
    """A TinyDB table whose document ids are our own string ids, not TinyDB's counters."""

    # TinyDB converts every stored key with document_id_class; str keeps ours as they are.
    document_id_class = str  # type: ignore[assignment]

    def by_key(self, key: str) -> Document | None:
        """The document stored under our id, or None."""
        # TinyDB types doc_id as int; at run time it looks the id up as str(doc_id).
        return self.get(doc_id=key)  # type: ignore[call-overload, no-any-return]

    def docs(self) -> dict[str, dict[str, Any]]:
        """The raw table, id to document, without TinyDB's per-document copies: never change it."""
        return (self.storage.read() or {}).get(self.name, {})

    def put_many(self, docs: Mapping[str, dict[str, Any]]) -> None:
        """Insert or replace documents by id, in one pass over the table whatever their number.

        What ``remove(doc_ids=...)`` then ``insert_multiple`` of Documents leave, without them:
        TinyDB's two passes each copy the whole table, and a Document per record copies each
        one more time (a scan from scratch writes 100,000: two copies of every record alive at
        once were the peak of its memory). A replaced document moves to the end, as TinyDB's
        remove and insert leave it. The table is a new dict: what readers were served before
        (the file's cached data, ``docs()``) never changes under them. The documents are kept
        as given: the caller hands them over and never changes them afterwards (nothing in
        the store changes a stored document in place; a change is a new document).
        """
        if not docs:
            return
        tables = self.storage.read() or {}
        raw = tables.get(self.name, {})
        table = {key: doc for key, doc in raw.items() if key not in docs} if raw else {}
        table.update(docs)
        tables[self.name] = table
        self.storage.write(tables)
        self.clear_cache()


def document(key: str, value: Mapping[str, Any]) -> Document:
    # A Document carrying doc_id is TinyDB's documented way to choose the id on insert/upsert.
    return Document(value, doc_id=key)  # type: ignore[arg-type]


class JsonFileStorage(Storage):
    """One table's JSON file. Reads follow the file on disk; writes only buffer, in a transaction.

    The parsed data is cached with the stamp of the file it came from. TinyDB mutates what
    read() returned before calling write(), so a write outside a transaction (refused) drops the
    cache, and a transaction works on data that is no longer served as the file's content.
    """

    def __init__(self, path: Path, table: str) -> None:
        super().__init__()
        self.path = path
        self.table = table
        self._cache: tuple[Stamp, JsonData] | None = None
        self._in_txn = False
        self._work: JsonData | None = None  # the transaction's working copy, once read
        self._work_stamp: Stamp = MISSING
        self._dirty = False  # TinyDB wrote to the working copy
        self._written = False  # commit() replaced the file with it
        #: The table's records already encoded (`stage`), written as the file instead.
        self._staged: list[bytes] | None = None
        #: The stamp of the file the last transaction wrote from staged records (else None).
        self.staged_stamp: Stamp | None = None

    # -- tinydb.storages.Storage -------------------------------------------------------------

    def read(self) -> JsonData:
        if not self._in_txn:
            return self.current()[1]
        if self._staged is not None:
            # Read after staging (nothing does so today): the staged records become the
            # working copy, so what is read is what will be written.
            self._work, self._staged = json.loads(self.payload()), None
        if self._work is None:
            # Under the lock nobody else writes, so the cached data is the file as it is now
            # whenever the stamp still matches; otherwise current() re-reads it.
            self._work_stamp, self._work = self.current()
            self._cache = None
        return self._work

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if not self._in_txn:
            self._cache = None
            raise RuntimeError(f"{self.path.name}: writes must happen inside Store.transaction()")
        self._work = data
        self._dirty = True

    # -- the file ---------------------------------------------------------------------------

    def current(self) -> tuple[Stamp, JsonData]:
        """The file's stamp and content, re-read only if the stamp changed since the last read."""
        if self._cache is None or self._cache[0] != file_stamp(self.path):
            self._cache = load(self.path, self.table)
        return self._cache

    def served_stamp(self) -> Stamp | None:
        """The stamp of what read() returns now, or None inside a transaction (not cacheable)."""
        return None if self._in_txn else self.current()[0]

    def clean_stamp(self) -> Stamp | None:
        """The file's stamp on disk, without reading it; None while a transaction holds changes
        to it (what read() serves is then no file's content)."""
        if self._in_txn and self._dirty:
            return None
        return file_stamp(self.path)

    def snapshot(self) -> tuple[Stamp | None, JsonData]:
        """What read() serves and the stamp of the file it is (None: uncommitted changes)."""
        if not self._in_txn:
            return self.current()
        data = self.read()
        # Under the lock the file cannot change: unless TinyDB wrote, this is the file.
        return (None if self._dirty else self._work_stamp), data

    def release(self) -> None:
        """Forget the parsed file (outside a transaction): the next read parses it again."""
        if not self._in_txn:
            self._cache = None

    # -- transaction hooks, called by Store with its locks held ------------------------------

    def begin(self) -> None:
        self._in_txn, self._work, self._dirty, self._written = True, None, False, False
        self._staged, self.staged_stamp = None, None

    def stage(self, records: list[bytes]) -> None:
        """Write the table as these records, each ``"key":{…}`` already encoded as UTF-8
        JSON (a scan from scratch: `Store.put_encoded`), in place of whatever it held. The
        file is the one TinyDB reads; it is not parsed here (a reader parses it when asked)."""
        assert self._in_txn
        self._staged, self._work, self._dirty = records, None, True

    def pending(self) -> bool:
        """Whether the transaction changed this file and it is not written yet."""
        if self._written:
            return False
        return self._staged is not None or (self._dirty and self._work is not None)

    def payload(self) -> bytes:
        if self._staged is not None:
            head = b"{" + json.dumps(self.table).encode() + b":{"
            return head + b",".join(self._staged) + b"}}\n"
        assert self._work is not None
        return encode(self._work)

    def committed(self, stamp: Stamp) -> None:
        """The file was replaced by the transaction's data, now on disk with this stamp."""
        if self._staged is not None:
            # Not parsed: the next read parses the file (it is what was staged).
            self._cache, self._written, self.staged_stamp = None, True, stamp
            return
        assert self._work is not None
        self._cache, self._written = (stamp, self._work), True

    def end(self, ok: bool) -> None:
        """Leave the transaction, caching only data known to equal the file on disk."""
        if self._work is not None and not self._written:
            # Read but not replaced: after a failure TinyDB may have mutated it half-way.
            self._cache = (self._work_stamp, self._work) if ok and not self._dirty else None
        self._in_txn, self._work, self._dirty, self._written = False, None, False, False
        self._staged = None
