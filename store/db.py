"""The weekwatch database: TinyDB tables in JSON files, shared by several processes on one server.

Layout of the database folder::

    units.json  actions.json  meta.json                   one TinyDB table per file
    materials.00.json … materials.63.json                 the materials table, in shards
    store.lock                                            flock()ed by every writer

Each table has a file of its own so that an operator's one-line action never rewrites the tens of
thousands of material records. The materials are split further, by a hash of the path of the file
in the inbox that holds them (so a file's versions, and a zip's members, share a shard): one
arrival rewrites one shard of a 64th of the week, and a reader re-reads only the shards whose
stamp changed, so neither grows with the week. ``materials.json`` is the unsharded table of
schema 2 and earlier: read (under the shards) while it exists, moved into the shards on open.

Rules every process follows (they make several dashboards and one watcher safe together):

* A file is only ever replaced whole: temp file in the same folder, fsync, ``os.replace``, fsync
  of the folder. A kill at any instant leaves either the old or the new file, never a mix.
* Every write happens in :meth:`Store.transaction`, under an exclusive ``flock`` of
  ``store.lock``, starting from the files as they are on disk at that moment.
* Readers take no lock (a replace is atomic) and re-read a file whenever its stat stamp
  ``(st_mtime_ns, st_size, st_ino)`` changed. Writers make each new file's mtime strictly greater
  than the old one's, because ext4 reuses a freed inode at once and a coarse clock can repeat an
  mtime: without that, a same-sized rewrite could look unchanged to a reader.

A transaction that writes several files replaces them one by one (units, materials shards,
actions, meta): each file is atomic, the set of them is not. A batch of materials touches the
shards its records fall in; every other Store write touches one file.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import json
import os
import secrets
import stat
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from tinydb.storages import Storage
from tinydb.table import Document, Table

from .migrations import SCHEMA_VERSION, migrate
from .model import Action, Material, Unit, WeekwatchError

#: The tables, in the order a transaction writes them: meta last, so bookkeeping never runs
#: ahead of the data it describes.
TABLES = ("units", "materials", "actions", "meta")
#: How many files the materials table is split into (a record's shard: `shard_of`).
SHARDS = 64
#: The files of the materials table: the schema-2 file first (read under the shards), then
#: the shards. Each holds a TinyDB table named "materials".
MATERIAL_FILES = ("materials", *(f"materials.{i:02d}" for i in range(SHARDS)))
#: Every file, in the order a transaction writes them.
FILES = ("units", *MATERIAL_FILES, "actions", "meta")
LEGACY = "materials"
#: The journal of a transaction that replaces several files (see `Store._commit`).
JOURNAL = "commit.journal"
LOCK_NAME = "store.lock"
_SCHEMA_KEY = "schema_version"
#: Temp files are named ``.<table>.json.tmp-<pid>-<random>``; only a killed writer leaves one.
_TMP_MARK = ".tmp-"

#: A file's stat stamp: (st_mtime_ns, st_size, st_ino).
Stamp = tuple[int, int, int]
#: The stamp of a file that does not exist (no real file has a negative size).
MISSING: Stamp = (0, -1, 0)

JsonData = dict[str, dict[str, Any]]
#: A material with its place in the store's order: (received_at, path, key).
Row = tuple[tuple[dt.datetime, str, str], Material]

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
        """Insert or replace documents by id, in a few passes over the table whatever their number.

        ``Table.upsert`` rebuilds the whole table once per document (quadratic for a batch of
        20,000); before TinyDB 4.9 ``remove`` raises KeyError for an absent id, so the present
        ids are picked out of the raw table first (no Document copies).
        """
        if not docs:
            return
        raw = self.docs()
        present = [key for key in docs if key in raw]
        if present:
            self.remove(doc_ids=present)  # type: ignore[arg-type]
        self.insert_multiple(_doc(key, value) for key, value in docs.items())


def _doc(key: str, value: Mapping[str, Any]) -> Document:
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

    # -- tinydb.storages.Storage -------------------------------------------------------------

    def read(self) -> JsonData:
        if not self._in_txn:
            return self.current()[1]
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
            self._cache = _load(self.path, self.table)
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

    def pending(self) -> bool:
        """Whether the transaction changed this file and it is not written yet."""
        return self._dirty and self._work is not None and not self._written

    def payload(self) -> bytes:
        assert self._work is not None
        return _encode(self._work)

    def committed(self, stamp: Stamp) -> None:
        """The file was replaced by the transaction's data, now on disk with this stamp."""
        assert self._work is not None
        self._cache, self._written = (stamp, self._work), True

    def end(self, ok: bool) -> None:
        """Leave the transaction, caching only data known to equal the file on disk."""
        if self._work is not None and not self._written:
            # Read but not replaced: after a failure TinyDB may have mutated it half-way.
            self._cache = (self._work_stamp, self._work) if ok and not self._dirty else None
        self._in_txn, self._work, self._dirty, self._written = False, None, False, False


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
        # Each materials file's records as Materials, with the stamp of the file they came from:
        # after a write only the shards it replaced are read and converted again.
        self._shards: dict[str, tuple[Stamp, list[Row]]] = {}
        # materials()'s last result, with the stamps of the files it was made of.
        self._mat_stamp: tuple[Stamp | None, ...] | None = None
        self._mat_sorted: list[Material] = []
        self._drop: list[Path] = []  # files to remove once a transaction has committed
        if read_only:
            self._check_schema()
            return
        make_db_folder(self.dbdir)
        with self.transaction():
            doc = self._tables["meta"].by_key(_SCHEMA_KEY)
            if doc is None:
                self._tables["meta"].insert(_doc(_SCHEMA_KEY, {"value": SCHEMA_VERSION}))
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
                                _unlink(path)
                            _fsync_dir(self.dbdir)
                        ok = True
                    finally:
                        for f in self._files.values():
                            f.end(ok)
                        self._depth = 0
                        self._drop = []
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _commit(self, files: list[JsonFileStorage]) -> None:
        """Replace every changed file, all of them or (after a kill) none, as far as the next
        writer can tell: several files are first written whole beside their targets, then a
        journal naming them is put in place, then they are renamed over their targets. A kill
        before the journal leaves only temp files (swept); after it, the next transaction
        finishes the renames (`_roll_forward`) before it reads anything."""
        if not files:
            return
        if len(files) == 1:
            files[0].committed(_atomic_write(files[0].path, files[0].payload()))
            _fsync_dir(self.dbdir)
            return
        staged: list[tuple[JsonFileStorage, Path, Stamp]] = []
        try:
            for f in files:
                staged.append((f, *_write_temp(f.path, f.payload())))
            _fsync_dir(self.dbdir)
            names = [[tmp.name, f.path.name] for f, tmp, _ in staged]
            _atomic_write(self.dbdir / JOURNAL, _encode(names))
        except BaseException:
            for _, tmp, _ in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise
        for f, tmp, stamp in staged:
            _replace(tmp, f.path)
            f.committed(stamp)
        _fsync_dir(self.dbdir)
        _unlink(self.dbdir / JOURNAL)

    def _roll_forward(self) -> None:
        """Finish the renames of a transaction killed after its journal was written."""
        journal = self.dbdir / JOURNAL
        try:
            raw = journal.read_bytes()
        except FileNotFoundError:
            return
        except OSError as e:
            raise WeekwatchError(f"cannot read {journal}: {e}") from e
        try:
            names = json.loads(raw)
            pairs = [(str(a), str(b)) for a, b in names]
        except (ValueError, TypeError) as e:
            raise WeekwatchError(f"{journal} is not readable ({e}): move it aside") from e
        known = {f"{name}.json" for name in FILES}
        for tmp, target in pairs:
            if target not in known or "/" in tmp or not tmp.startswith(f".{target}{_TMP_MARK}"):
                raise WeekwatchError(f"{journal} names a file it should not ({tmp}): move it aside")
            if (self.dbdir / tmp).exists():
                _replace(self.dbdir / tmp, self.dbdir / target)
        _fsync_dir(self.dbdir)
        _unlink(journal)

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
        # Under the lock no writer is mid-write, so any temp file is a killed writer's leftover.
        prefixes = (*(f".{name}.json{_TMP_MARK}" for name in FILES), f".{JOURNAL}{_TMP_MARK}")
        with os.scandir(self.dbdir) as entries:
            for entry in entries:
                if entry.name.startswith(prefixes):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)

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
        with self._lock:
            docs = sorted(
                self._tables["units"].docs().items(), key=lambda kv: (kv[1].get("order", 0), kv[0])
            )
        return [Unit.from_dict({**doc, "id": key}) for key, doc in docs]

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
            parts = [self._shard(name) for name in MATERIAL_FILES]
            stamps = tuple(stamp for stamp, _ in parts)
            if stamps == self._mat_stamp:
                return list(self._mat_sorted)  # Materials are frozen: sharing them is safe
            rows = [row for _, shard in parts[1:] for row in shard]
            if parts[0][1]:  # the old file, not yet moved into the shards: theirs win
                moved = {row[0][2] for row in rows}
                rows += [row for row in parts[0][1] if row[0][2] not in moved]
            # Keys made once per record, unique (the record's key is last); their datetimes
            # share one tzinfo (model.moment), so the tuples compare in C, field by field.
            rows.sort()
            mats = [m for _, m in rows]
            if None not in stamps:
                self._mat_stamp, self._mat_sorted = stamps, mats
            return list(mats)

    def _shard(self, name: str) -> tuple[Stamp | None, list[Row]]:
        """One materials file's records, converted again only when the file changed."""
        file = self._files[name]
        stamp = file.clean_stamp()
        hit = self._shards.get(name)
        if hit is not None and stamp is not None and hit[0] == stamp:
            return hit
        served, data = file.snapshot()
        rows = []
        for key, doc in data.get("materials", {}).items():
            m = Material.from_dict(key, doc)
            rows.append(((m.received_at, m.path, key), m))
        rows.sort()
        if served is None:
            return None, rows
        self._shards[name] = (served, rows)
        # The Materials are what readers keep; a write parses its few shards again.
        file.release()
        return served, rows

    def material(self, key: str) -> Material | None:
        """One material record by its key, or None."""
        with self._lock:
            for name in reversed(MATERIAL_FILES):  # a shard's record before the old file's
                for (_, _, k), m in self._shard(name)[1]:
                    if k == key:
                        return m
        return None

    def put_materials(self, mats: Iterable[Material]) -> None:
        """Insert or replace material records by key, rewriting only the shards they fall in."""
        docs = {m.key: m.to_dict() for m in mats}
        if docs:
            with self.transaction():
                self._put_material_docs(docs)

    # -- actions ----------------------------------------------------------------------------

    def actions(self) -> list[Action]:
        """The action log, by (at, id)."""
        with self._lock:
            docs = self._tables["actions"].docs()
            acts = [Action.from_dict(key, _detached(doc)) for key, doc in docs.items()]
        acts.sort(key=lambda a: (a.at, a.id))
        return acts

    def add_action(self, action: Action) -> None:
        """Append an action; re-adding an identical one is a no-op, a different one an error."""
        # A deep copy, so a caller changing action.data later cannot reach the cached file data.
        doc = copy.deepcopy(action.to_dict())
        with self.transaction():
            table = self._tables["actions"]
            old = table.by_key(action.id)
            if old is None:
                table.insert(_doc(action.id, doc))
            elif dict(old) != json.loads(_encode(doc)):
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
        _encode(doc)  # fail here, not halfway through a commit, if it cannot be stored
        with self.transaction():
            self._tables["meta"].put_many({key: doc})

    # -- following other processes ----------------------------------------------------------

    def stamp(self) -> tuple[Stamp, ...]:
        """Stat stamps of every table file: changes whenever any process writes the database."""
        return tuple(file_stamp(f.path) for f in self._files.values())


def shard_name(held_in: str) -> str:
    """The materials file holding the records of the inbox file `held_in` (all its versions
    and, for a zip or an e-mail, all its members)."""
    return MATERIAL_FILES[1 + zlib.crc32(held_in.encode("utf-8", "surrogatepass")) % SHARDS]


def materials_stamp(dbdir: Path) -> tuple[Stamp, ...]:
    """The stamps of every materials file: unchanged unless some material record was written."""
    return tuple(file_stamp(dbdir / f"{name}.json") for name in MATERIAL_FILES)


def _table_of(name: str) -> str:
    return "materials" if name in MATERIAL_FILES else name


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise WeekwatchError(f"cannot remove {path}: {e}") from e


def _detached(doc: dict[str, Any]) -> dict[str, Any]:
    # Action.from_dict copies data one level deep; anything nested must not alias the cache.
    data = doc.get("data")
    if isinstance(data, dict) and any(isinstance(v, dict | list) for v in data.values()):
        return {**doc, "data": copy.deepcopy(data)}
    return doc


# -- files ----------------------------------------------------------------------------------


def file_stamp(path: Path) -> Stamp:
    """(st_mtime_ns, st_size, st_ino) of a file, or MISSING."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return MISSING
    except OSError as e:
        raise WeekwatchError(f"cannot read {path}: {e}") from e
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _load(path: Path, table: str) -> tuple[Stamp, JsonData]:
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


def _encode(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # A file name from a non-UTF-8 disk carries lone surrogates (os.fsdecode); \u escapes
        # keep them exactly and keep the file valid UTF-8.
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


#: Bumps tried to make a new mtime exceed the old one on file systems with coarse timestamps.
_MTIME_STEPS_NS = (1, 1_000, 1_000_000, 2_000_000_000)


def _atomic_write(path: Path, payload: bytes) -> Stamp:
    """Replace path by a file holding payload, durably; return the new file's stamp."""
    tmp, stamp = _write_temp(path, payload)
    try:
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return stamp


def _write_temp(path: Path, payload: bytes) -> tuple[Path, Stamp]:
    """A synced temp file beside path holding payload, with an mtime above path's; its stamp
    (a rename keeps it)."""
    try:
        old: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        old = None
    except OSError as e:
        raise WeekwatchError(f"cannot write {path}: {e}") from e
    tmp = path.with_name(f".{path.name}{_TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
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


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as e:
        raise WeekwatchError(f"cannot write {path}: {e}") from e


def _fsync_dir(path: Path) -> None:
    # Makes the renames durable; without it a power cut could bring back the old files.
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
