"""The materials table in shards, and the store's materials read from them in order.

The records are split by a hash of the path of the file in the inbox that holds them (so a
file's versions, and a zip's members, share a shard): one arrival rewrites one shard of a 64th of
the week, and a reader re-reads and converts only the shards whose stamp changed.
``materials.json`` is the unsharded table of schema 2 and earlier: read (under the shards) while
it exists, moved into the shards when a writable store opens it (store/db.py).
"""

from __future__ import annotations

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


def shard_name(held_in: str) -> str:
    """The materials file holding the records of the inbox file `held_in` (all its versions
    and, for a zip or an e-mail, all its members)."""
    return MATERIAL_FILES[1 + zlib.crc32(held_in.encode("utf-8", "surrogatepass")) % SHARDS]


def materials_stamp(dbdir: Path) -> tuple[Stamp, ...]:
    """The stamps of every materials file: unchanged unless some material record was written."""
    return tuple(file_stamp(dbdir / f"{name}.json") for name in MATERIAL_FILES)


class MaterialRows:
    """Each materials file's records as Materials, kept with the stamp of the file they came
    from, and the last merged order. Not thread safe: the Store calls it under its lock."""

    def __init__(self, files: Mapping[str, JsonFileStorage]) -> None:
        self._files = {name: files[name] for name in MATERIAL_FILES}
        self._shards: dict[str, tuple[Stamp, list[Row]]] = {}
        # materials()'s last result, with the stamps of the files it was made of.
        self._mat_stamp: tuple[Stamp | None, ...] | None = None
        self._mat_sorted: list[Material] = []

    def materials(self) -> list[Material]:
        """Every material record (superseded and gone ones too), by (received_at, path)."""
        parts = [self.shard(name) for name in MATERIAL_FILES]
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

    def shard(self, name: str) -> tuple[Stamp | None, list[Row]]:
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
        for name in reversed(MATERIAL_FILES):  # a shard's record before the old file's
            for (_, _, k), m in self.shard(name)[1]:
                if k == key:
                    return m
        return None
