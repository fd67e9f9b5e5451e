"""The weekwatch database: TinyDB tables in JSON files, shared by several processes on one server.

Layout of the database folder::

    units.json  actions.json  meta.json                   one TinyDB table per file
    materials.00.json … materials.63.json                 the materials table, in shards
    store.lock                                            flock()ed by every writer

Each table has a file of its own so that an operator's one-line action never rewrites the tens of
thousands of material records; the materials are split further into shards (store/shards.py).

Rules every process follows (they make several dashboards and one watcher safe together):

* A file is only ever replaced whole (store/atomic.py): a kill at any instant leaves either the
  old or the new file, never a mix.
* Every write happens in :meth:`Store.transaction`, under an exclusive ``flock`` of
  ``store.lock``, starting from the files as they are on disk at that moment.
* Readers take no lock (a replace is atomic) and re-read a file whenever its stat stamp
  ``(st_mtime_ns, st_size, st_ino)`` changed (store/tables.py); writers make each new file's
  mtime strictly greater than the old one's.

A transaction that writes several files puts them in place through a journal (store/journal.py):
all of them or, after a kill, none as far as the next writer can tell. A batch of materials
touches the shards its records fall in; every other Store write touches one file.

The names other modules import from here (``Store``, ``MATERIAL_FILES``, ``materials_stamp``,
``shard_name``, ``FILE_MODE``, ``LOCK_FDS``, …) stay importable from here.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import derived, journal
from .atomic import (
    DIR_MODE,
    FILE_MODE,
    LOCK_FDS,
    MISSING,
    TMP_MARK,
    JsonData,
    Stamp,
    atomic_write,
    encode,
    file_stamp,
    fsync_dir,
    load,
    make_db_folder,
    replace,
    share_with_group,
    unlink,
    write_temp,
)
from .journal import JOURNAL
from .migrations import SCHEMA_VERSION, migrate
from .model import Action, Material, Unit, WeekwatchError
from .shards import (
    LEGACY,
    MATERIAL_FILES,
    SHARDS,
    MaterialRows,
    Row,
    materials_stamp,
    shard_name,
)
from .tables import JsonFileStorage, KeyedTable, document

__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "FILES",
    "JOURNAL",
    "LEGACY",
    "LOCK_FDS",
    "LOCK_NAME",
    "MATERIAL_FILES",
    "MISSING",
    "SCHEMA_VERSION",
    "SHARDS",
    "TABLES",
    "JsonData",
    "JsonFileStorage",
    "KeyedTable",
    "Row",
    "Stamp",
    "Store",
    "file_stamp",
    "make_db_folder",
    "materials_stamp",
    "shard_name",
    "share_with_group",
]

#: The tables, in the order a transaction writes them: meta last, so bookkeeping never runs
#: ahead of the data it describes.
TABLES = ("units", "materials", "actions", "meta")
#: Every file, in the order a transaction writes them.
FILES = ("units", *MATERIAL_FILES, "actions", "meta")
#: The roster's records in roster order, kept beside units.json for the next process (derived:
#: made again whenever units.json's stamp is not the one it names; deleting it loses nothing).
ROSTER_COPY = "units.idx"
LOCK_NAME = "store.lock"
_SCHEMA_KEY = "schema_version"

# The names these had when they lived here (tests reach for them).
_doc = document
_encode = encode
_load = load
_atomic_write = atomic_write
_write_temp = write_temp
_replace = replace
_fsync_dir = fsync_dir
_unlink = unlink
_TMP_MARK = TMP_MARK


class Store:
    """The database of one activity week, in the folder ``dbdir``."""

    def __init__(self, dbdir: Path, read_only: bool = False) -> None:
        self.dbdir = Path(dbdir)
        self.read_only = read_only
        # _lock guards the storages' caches and buffers (not thread safe) and keeps threads from
        # reading another thread's uncommitted transaction. _txn_lock admits one writing thread:
        # the flock cannot, as threads share its descriptor. Order: _txn_lock, flock, _lock.
        self._lock = threading.RLock()
        self._txn_lock = threading.RLock()
        self._depth = 0  # transaction nesting of the thread holding _txn_lock
        self._lock_fd: int | None = None
        self._files = {
            name: JsonFileStorage(self.dbdir / f"{name}.json", _table_of(name)) for name in FILES
        }
        # cache_size=0: TinyDB's query cache is per process and would hide other writers.
        self._tables = {
            name: KeyedTable(storage, _table_of(name), cache_size=0)
            for name, storage in self._files.items()
        }
        # Each materials file's records as Materials: after a write only the shards it replaced
        # are read and converted again.
        self._rows = MaterialRows(self._files)
        self._drop: list[Path] = []  # files to remove once a transaction has committed
        self._roster: tuple[Stamp, list[tuple[str, dict[str, Any]]]] | None = None
        if read_only:
            self._check_schema()
            return
        make_db_folder(self.dbdir)
        with self.transaction():
            doc = self._tables["meta"].by_key(_SCHEMA_KEY)
            if doc is None:
                self._tables["meta"].insert(document(_SCHEMA_KEY, {"value": SCHEMA_VERSION}))
            elif doc.get("value", SCHEMA_VERSION) < SCHEMA_VERSION:
                self._migrate(doc["value"])
            else:
                # Schema 3 with the old file still there: the move was cut short after the
                # version was written (the shards hold every record; finish the move).
                self._absorb_legacy()

    def _migrate(self, version: int) -> None:
        # In the open's transaction: the data first, the version last (meta is written last).
        changes = migrate(version, self._raw)
        self._absorb_legacy()
        for table, docs in changes.items():
            if table == "materials":
                self._put_material_docs(docs)
            else:
                self._tables[table].put_many(docs)
        self._tables["meta"].put_many({_SCHEMA_KEY: {"value": SCHEMA_VERSION}})

    def _raw(self, table: str) -> dict[str, dict[str, Any]]:
        """A table's raw documents; the materials merged from the old file and the shards."""
        if table != "materials":
            return self._tables[table].docs()
        out: dict[str, dict[str, Any]] = {}
        for name in MATERIAL_FILES:  # the old file first: a shard's copy is the newer
            out.update(self._tables[name].docs())
        return out

    def _absorb_legacy(self) -> None:
        """Move the records of materials.json (schema 2) into the shards, and drop the file
        once the transaction has committed. Safe to cut short and run again: a record already
        in its shard is newer than the old file's copy and is kept."""
        legacy = self._tables[LEGACY].docs()
        if not legacy and not self._files[LEGACY].path.exists():
            return
        have: set[str] = set()
        for name in MATERIAL_FILES[1:]:
            have.update(self._tables[name].docs())
        self._put_material_docs({k: d for k, d in legacy.items() if k not in have})
        self._drop.append(self._files[LEGACY].path)

    def _put_material_docs(self, docs: Mapping[str, dict[str, Any]]) -> None:
        by_shard: dict[str, dict[str, dict[str, Any]]] = {}
        for key, doc in docs.items():
            within = doc.get("within") or ()
            held_in = within[0] if within else doc["path"]
            by_shard.setdefault(shard_name(held_in), {})[key] = doc
        for name, part in by_shard.items():
            self._tables[name].put_many(part)

    def close(self) -> None:
        """Release the lock file's descriptor (the store stays usable; it reopens on demand)."""
        with self._txn_lock:
            if self._lock_fd is not None and not self._depth:
                LOCK_FDS.discard(self._lock_fd)
                os.close(self._lock_fd)
                self._lock_fd = None

    # -- transactions -----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the inter-process write lock; on success write each changed file once.

        Nested use (same thread) joins the outer transaction; an exception leaving the outer
        block discards every change made in it.
        """
        if self.read_only:
            raise WeekwatchError(f"read-only: the database {self.dbdir} was opened read-only")
        with self._txn_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            fd = self._lock_file()
            # Wait for other processes before taking the data lock, so this thread's readers
            # are not held up meanwhile. The kernel drops a flock when its process dies.
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                with self._lock:
                    self._depth = 1
                    ok = False
                    try:
                        for f in self._files.values():
                            f.begin()
                        self._roll_forward()
                        self._sweep_temp_files()
                        self._check_schema()
                        yield
                        self._commit([f for f in self._files.values() if f.pending()])
                        if self._drop:
                            # Only now that what replaces them is durable.
                            for path in self._drop:
                                unlink(path)
                            fsync_dir(self.dbdir)
                        ok = True
                    finally:
                        for f in self._files.values():
                            f.end(ok)
                        self._depth = 0
                        self._drop = []
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _commit(self, files: list[JsonFileStorage]) -> None:
        journal.commit(self.dbdir, files)

    def _roll_forward(self) -> None:
        """Finish the renames of a transaction killed after its journal was written."""
        journal.roll_forward(self.dbdir, (f"{name}.json" for name in FILES))

    def _lock_file(self) -> int:
        if self._lock_fd is None:
            path = self.dbdir / LOCK_NAME
            try:
                self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
                with contextlib.suppress(OSError):
                    share_with_group(self._lock_fd)
            except PermissionError:
                # Another operator's lock file we may not write: flock needs only a descriptor.
                try:
                    self._lock_fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
                except OSError as e:
                    raise WeekwatchError(f"cannot open the lock file {path}: {e}") from e
            except OSError as e:
                raise WeekwatchError(f"cannot open the lock file {path}: {e}") from e
            LOCK_FDS.add(self._lock_fd)
        return self._lock_fd

    def _sweep_temp_files(self) -> None:
        journal.sweep_temp_files(self.dbdir, (f"{name}.json" for name in FILES))

    def _check_schema(self) -> None:
        doc = self._tables["meta"].by_key(_SCHEMA_KEY)
        if doc is None:
            return  # a new database, or one written before schemas were recorded
        version = doc.get("value")
        meta_path = self._files["meta"].path
        if not isinstance(version, int) or isinstance(version, bool):
            raise WeekwatchError(f"{meta_path}: schema_version {version!r} is not a number")
        if version > SCHEMA_VERSION:
            raise WeekwatchError(
                f"the database {self.dbdir} has schema version {version}, newer than this "
                f"weekwatch understands ({SCHEMA_VERSION}): upgrade weekwatch to open it"
            )

    # -- units ------------------------------------------------------------------------------

    def units(self) -> list[Unit]:
        """All units, in roster order."""
        return [Unit.from_dict({**doc, "id": key}) for key, doc in self.roster()]

    def roster(self) -> list[tuple[str, dict[str, Any]]]:
        """The units' records by id, in roster order, as stored (never change them): an
        action naming one unit of 2,000 makes a `Unit` of that one alone.

        Read from the roster's copy kept beside it (`ROSTER_COPY`, store/derived.py: loaded
        several times faster than units.json's JSON) while units.json has the stamp the copy
        was made from; else from units.json, and the copy made again."""
        with self._lock:
            if self._depth:  # this transaction's own writes are in the table alone
                return _in_order(self._tables["units"].docs())
            stamp = file_stamp(self._files["units"].path)
            if self._roster is None or self._roster[0] != stamp:
                self._roster = (stamp, self._read_roster(stamp))
            return list(self._roster[1])

    def _read_roster(self, stamp: Stamp) -> list[tuple[str, dict[str, Any]]]:
        copy_path = self.dbdir / ROSTER_COPY
        if stamp != MISSING:
            kept = derived.load(copy_path, stamp)
            if isinstance(kept, list):
                return kept
        read, data = self._files["units"].current()  # the stamp of exactly what was parsed
        rows = _in_order((data or {}).get(_table_of("units"), {}))
        if not self.read_only and read != MISSING:
            derived.keep(copy_path, read, rows)
        return rows

    def unit_record(self, unit_id: str) -> dict[str, Any] | None:
        """One unit's record as stored (never change it), or None."""
        with self._lock:
            if self._depth:
                return self._tables["units"].docs().get(unit_id)
            return next((doc for key, doc in self.roster() if key == unit_id), None)

    def units_stamp(self) -> Stamp:
        """The roster file's stamp: changes whenever any process writes the units (an action
        or an arrival does not)."""
        return file_stamp(self._files["units"].path)

    def put_units(self, units: Sequence[Unit]) -> None:
        """Insert or replace units by id; known units keep their place, new ones go last."""
        if not units:
            return
        with self.transaction():
            table = self._tables["units"]
            order = {key: doc.get("order", 0) for key, doc in table.docs().items()}
            next_order = max(order.values(), default=-1) + 1
            docs: dict[str, dict[str, Any]] = {}
            for unit in units:
                if unit.id not in order:
                    order[unit.id], next_order = next_order, next_order + 1
                docs[unit.id] = {**unit.to_dict(), "order": order[unit.id]}
            table.put_many(docs)

    # -- materials --------------------------------------------------------------------------

    def materials(self) -> list[Material]:
        """Every material record (superseded and gone ones too), by (received_at, path)."""
        with self._lock:
            return self._rows.materials()

    def live(self) -> dict[str, Material]:
        """The live record of every path (superseded versions left out), kept as shards
        change rather than made from every record at each call."""
        with self._lock:
            return self._rows.live()

    def material(self, key: str) -> Material | None:
        """One material record by its key, or None."""
        with self._lock:
            return self._rows.material(key)

    def materials_of(self, names: Iterable[str]) -> list[Material]:
        """The records of these materials files only (see shards.shard_name), in no set order."""
        with self._lock:
            return [m for name in names for _, m in self._rows.shard(name)[1].values()]

    def material_docs(self, name: str) -> tuple[Stamp, Mapping[str, Mapping[str, Any]]]:
        """One materials file's records as stored, with the stamp of exactly that file (to be
        read, never changed: they are the file's cached data)."""
        with self._lock:
            stamp, data = self._files[name].current()
            return stamp, data.get("materials", {})

    def put_materials(self, mats: Iterable[Material]) -> None:
        """Insert or replace material records by key, rewriting only the shards they fall in."""
        docs = {m.key: m.to_dict() for m in mats}
        if docs:
            with self.transaction():
                self._put_material_docs(docs)

    def put_encoded(
        self,
        records: Mapping[str, Sequence[bytes]],
        docs: Mapping[str, Mapping[str, dict[str, Any]]] = {},
    ) -> dict[str, Stamp]:
        """A scan from scratch's write: each shard's records already encoded (`records`, by
        shard name, each piece ``"key":{…}`` in UTF-8 JSON, as `model.plain_record_text`
        makes them), with more records as documents (`docs`, by shard), in one transaction.

        A shard found empty under the lock is written from the texts as they are (nothing
        parsed or encoded again); one that holds records by then (another writer came first)
        gets these merged in, as `put_materials` would. Returns the stamp of each shard
        written from the texts, for the stamp index (store/stamp_index.py `put_encoded`)."""
        names = [name for name in MATERIAL_FILES[1:] if name in records or name in docs]
        if not names:
            return {}
        staged: list[str] = []
        with self._txn_lock:  # the stamps below are this transaction's, not a later one's
            with self.transaction():
                for name in names:
                    texts = list(records.get(name, ()))
                    more = docs.get(name)
                    if self._tables[name].docs():
                        merged: dict[str, dict[str, Any]] = {}
                        for text in texts:
                            merged.update(json.loads(b"{" + text + b"}"))
                        merged.update(more or {})
                        self._tables[name].put_many(merged)
                        continue
                    if more:
                        texts.append(encode(dict(more))[1:-2])  # ``{…}\n``: its inside
                    self._files[name].stage(texts)
                    staged.append(name)
            out: dict[str, Stamp] = {}
            for name in staged:
                stamp = self._files[name].staged_stamp
                if stamp is not None:
                    out[name] = stamp
            return out

    # -- actions ----------------------------------------------------------------------------

    def actions(self) -> list[Action]:
        """The action log, by (at, id)."""
        with self._lock:
            docs = self._tables["actions"].docs()
            acts = [Action.from_dict(key, _detached(doc)) for key, doc in docs.items()]
        acts.sort(key=lambda a: (a.at, a.id))
        return acts

    def action_ids(self) -> list[str]:
        """The action log's ids, in no order (no Action made)."""
        with self._lock:
            return list(self._tables["actions"].docs())

    def add_action(self, action: Action) -> None:
        """Append an action; re-adding an identical one is a no-op, a different one an error."""
        # A deep copy, so a caller changing action.data later cannot reach the cached file data.
        doc = copy.deepcopy(action.to_dict())
        with self.transaction():
            table = self._tables["actions"]
            old = table.by_key(action.id)
            if old is None:
                table.insert(document(action.id, doc))
            elif dict(old) != json.loads(encode(doc)):
                raise WeekwatchError(f"another action is already recorded with id {action.id}")

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A stored setting, or default."""
        with self._lock:
            doc = self._tables["meta"].by_key(key)
        return default if doc is None else copy.deepcopy(doc.get("value"))

    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable setting."""
        doc = {"value": copy.deepcopy(value)}
        encode(doc)  # fail here, not halfway through a commit, if it cannot be stored
        with self.transaction():
            self._tables["meta"].put_many({key: doc})

    # -- following other processes ----------------------------------------------------------

    def stamp(self) -> tuple[Stamp, ...]:
        """Stat stamps of every table file: changes whenever any process writes the database."""
        return tuple(file_stamp(f.path) for f in self._files.values())


def _in_order(docs: Mapping[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Units' records in roster order: their `order`, then their id."""
    return sorted(docs.items(), key=lambda kv: (kv[1].get("order", 0), kv[0]))


def _table_of(name: str) -> str:
    return "materials" if name in MATERIAL_FILES else name


def _detached(doc: dict[str, Any]) -> dict[str, Any]:
    # Action.from_dict copies data one level deep; anything nested must not alias the cache.
    data = doc.get("data")
    if isinstance(data, dict) and any(isinstance(v, dict | list) for v in data.values()):
        return {**doc, "data": copy.deepcopy(data)}
    return doc
