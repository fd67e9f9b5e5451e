"""The materials table in shards, and the store's materials read from them in order.

The records are split by a hash of the path of the file in the inbox that holds them (so a
file's versions, and a zip's members, share a shard): one arrival rewrites one shard of a 64th of
the week, and a reader re-reads and converts only the shards whose stamp changed.
``materials.json`` is the unsharded table of schema 2 and earlier: read (under the shards) while
it exists, moved into the shards when a writable store opens it (store/db.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import zlib
from collections.abc import Mapping
from pathlib import Path

from .atomic import Stamp, file_stamp
from .model import Material
from .tables import JsonFileStorage

#: How many files the materials table is split into (a record's shard: `shard_name`).
SHARDS = 64
#: The files of the materials table: the schema-2 file first (read under the shards), then
#: the shards. Each holds a TinyDB table named "materials".
MATERIAL_FILES = ("materials", *(f"materials.{i:02d}" for i in range(SHARDS)))
LEGACY = "materials"

#: A material with its place in the store's order: (received_at, path, key).
Row = tuple[tuple[dt.datetime, str, str], Material]
_NO_ROWS: tuple[None, dict[str, Row]] = (None, {})


def shard_name(held_in: str) -> str:
    """The materials file holding the records of the inbox file `held_in` (all its versions
    and, for a zip or an e-mail, all its members)."""
    return MATERIAL_FILES[1 + zlib.crc32(held_in.encode("utf-8", "surrogatepass")) % SHARDS]


def materials_stamp(dbdir: Path) -> tuple[Stamp, ...]:
    """The stamps of every materials file: unchanged unless some material record was written."""
    return tuple(file_stamp(dbdir / f"{name}.json") for name in MATERIAL_FILES)


#: Above this many records changed since the last read, the order is sorted afresh rather than
#: mended record by record (each mend moves the list's tail in memory).
MEND_MAX = 4096


class MaterialRows:
    """Each materials file's records as Materials, kept with the stamp of the file they came
    from, and the store's order of them all, mended as shards change rather than sorted again.
    Not thread safe: the Store calls it under its lock."""

    def __init__(self, files: Mapping[str, JsonFileStorage]) -> None:
        self._files = {name: files[name] for name in MATERIAL_FILES}
        # Each file's records by key, as of the file with that stamp.
        self._shards: dict[str, tuple[Stamp, dict[str, Row]]] = {}
        # The order of every record and the live record of each path, with the stamps of the
        # files they were made of (None: not made yet, or made from an uncommitted write).
        self._stamps: tuple[Stamp, ...] | None = None
        self._basis: dict[str, tuple[Stamp, dict[str, Row]]] = {}
        self._order: list[Row] = []
        self._live: dict[str, Material] = {}
        # Whether some path has two records neither superseded (never written so, but a
        # hand-edited file could hold it): then the last in order is its live one, found anew.
        self._doubled = False
        # materials()'s last list, and the stamps it was made at.
        self._mats: list[Material] = []
        self._mats_of: tuple[Stamp, ...] | None = None

    def materials(self) -> list[Material]:
        """Every material record (superseded and gone ones too), by (received_at, path)."""
        order = self._current()
        if order is None:
            return [m for _, m in self._rows()]
        if self._mats_of is not self._stamps:
            self._mats, self._mats_of = [m for _, m in order], self._stamps
        return list(self._mats)  # Materials are frozen: sharing them is safe

    def live(self) -> dict[str, Material]:
        """The live record of every path (superseded versions left out), a copy to keep."""
        if self._current() is not None:
            return dict(self._live)
        return {m.path: m for _, m in self._rows() if not m.superseded}

    def material(self, key: str) -> Material | None:
        """One material record by its key, or None."""
        for name in reversed(MATERIAL_FILES):  # a shard's record before the old file's
            row = self.shard(name)[1].get(key)
            if row is not None:
                return row[1]
        return None

    def shard(self, name: str) -> tuple[Stamp | None, dict[str, Row]]:
        """One materials file's records by key, converted again only when the file changed.
        A record equal to the one already held is kept as it was (readers compare by it)."""
        file = self._files[name]
        stamp = file.clean_stamp()
        hit = self._shards.get(name)
        if hit is not None and stamp is not None and hit[0] == stamp:
            return hit
        held = hit[1] if hit is not None else {}
        served, data = file.snapshot()
        rows: dict[str, Row] = {}
        for key, doc in data.get("materials", {}).items():
            m = Material.from_dict(key, doc)
            old = held.get(key)
            if old is not None and old[1] == m and old[1].origin == m.origin:
                rows[key] = old
            else:
                rows[key] = ((m.received_at, m.path, key), m)
        if served is None:
            return None, rows
        self._shards[name] = (served, rows)
        # The Materials are what readers keep; a write parses its few shards again.
        file.release()
        return served, rows

    # -- the order --------------------------------------------------------------------------

    def _current(self) -> list[Row] | None:
        """The order brought up to date with the files, or None when it cannot be kept (the
        old unsharded file still holds records, or a transaction holds uncommitted ones)."""
        parts = {name: self.shard(name) for name in MATERIAL_FILES}
        if any(stamp is None for stamp, _ in parts.values()) or parts[LEGACY][1]:
            return None
        basis = {name: (stamp, rows) for name, (stamp, rows) in parts.items() if stamp is not None}
        stamps = tuple(stamp for stamp, _ in basis.values())
        if stamps == self._stamps:
            return self._order
        gone: list[Row] = []
        new: list[Row] = []
        for name, (stamp, rows) in basis.items():
            was_stamp, old = self._basis.get(name, _NO_ROWS)
            if was_stamp != stamp:
                gone += [row for key, row in old.items() if rows.get(key) is not row]
                new += [row for key, row in rows.items() if old.get(key) is not row]
        if self._stamps is None or len(gone) + len(new) > MEND_MAX or not self._mend(gone, new):
            self._rebuild([row for _, rows in basis.values() for row in rows.values()])
        self._stamps, self._basis = stamps, basis
        return self._order

    def _rows(self) -> list[Row]:
        order = self._current()
        if order is not None:
            return order
        # Read through the old file (theirs win over it) or an uncommitted write: made afresh.
        parts = [self.shard(name)[1] for name in MATERIAL_FILES]
        rows = [row for shard in parts[1:] for row in shard.values()]
        if parts[0]:
            moved = {row[0][2] for row in rows}
            rows += [row for row in parts[0].values() if row[0][2] not in moved]
        rows.sort()
        return rows

    def _rebuild(self, rows: list[Row]) -> None:
        # Keys made once per record, unique (the record's key is last); their datetimes
        # share one tzinfo (model.moment), so the tuples compare in C, field by field.
        rows.sort()
        self._order = rows
        self._live = {m.path: m for _, m in rows if not m.superseded}
        self._doubled = len(self._live) != sum(1 for _, m in rows if not m.superseded)

    def _mend(self, gone: list[Row], new: list[Row]) -> bool:
        """Take the records a changed shard lost out of the order and put its new ones in;
        False if the order did not hold a record it should have (then it is made afresh)."""
        order = self._order
        for row in gone:
            at = bisect.bisect_left(order, (row[0],))
            if at == len(order) or order[at] is not row:
                return False
            del order[at]
        for row in new:
            bisect.insort(order, row)
        live = self._live
        if self._doubled:
            self._live = {m.path: m for _, m in order if not m.superseded}
            return True
        for _, m in gone:
            if not m.superseded and live.get(m.path) is m:
                del live[m.path]
        for _, m in new:
            if not m.superseded:
                if m.path in live:
                    # Two live records of one path: the order decides which one counts.
                    self._doubled = True
                    self._live = {m.path: m for _, m in order if not m.superseded}
                    return True
                live[m.path] = m
        return True
