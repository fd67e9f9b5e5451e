"""The kept cells in parts, so that another process's arrival re-judges only what it touched.

Derived data beside the database (store/board_cache.py says what it is for). At 100,000
materials placing the whole week takes seconds; an arrival can change only the cells of the
units its records may credit (store/rejudge.py says why), so what is kept lets the next reader
(or the keeper) find those units and the records that may credit them without reading the
week:

* ``board.cells`` — the head: the key the whole is valid for, the `base` it can be brought
  current from (the roster's stamp, weekwatch.toml's, the code's, the placing decisions), the
  stamp of every materials shard it was made from, the newest arrival, and the token of every
  part below as it must be;
* ``board.c.NN`` — the counted arrivals of the cells of the units in bucket NN (a unit's
  bucket: a hash of its id), what `rules.judge` judges a cell from;
* ``board.d.NN`` — every group of records (one inbox file: its versions, or a zip's or an
  e-mail's members) that may credit a unit of bucket NN, as stored, with the units it may credit;
* ``board.s.NN`` — for materials shard NN: each group's checksum and its units, as kept;
* ``board.r.NN`` — `materials --json`'s records of the groups homed in bucket NN, in store
  order (store/kept_rows.py), kept only while the head names the extensions and marks they
  were printed with (`rows`; None: not kept).

Bringing it current (`update`): the shards whose stamp changed are read and their groups
compared by checksum with ``board.s``; the units the changed groups credited or may credit now
are touched; every group that may credit a touched unit is taken from the ``board.d`` parts of
their buckets (more units, more buckets, until none is added: a joint file, a zip for two
units); those records are placed through `rules.place` and the touched units' arrivals replace
theirs, and their records' lines (and those of a changed group nobody's) replace theirs.
Only the parts that changed are written, then the head. Anything else — the roster,
weekwatch.toml, the code, an assignment or a dismissal — needs the whole week (`write_whole`).

Every part names a token the head must name, with its length and checksum: a part torn, cut
short, tampered, or written by a keeper killed before its head, reads as absent, and the whole
is judged afresh. Writers take ``board.lock`` (one at a time); readers never wait on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import kept_judged, kept_rows
from .atomic import Stamp, file_stamp, load
from .kept_locks import (  # re-exported: the keeper and the tests name them here
    KEEPER_LOCK as KEEPER_LOCK,
)
from .kept_locks import LOCK as LOCK
from .kept_locks import (
    ROWS_LOCK as ROWS_LOCK,
)
from .kept_locks import (
    keeping as keeping,
)
from .kept_locks import (
    locked as locked,
)
from .kept_locks import (
    wait_for_keeper as wait_for_keeper,
)
from .ledger import Ledger
from .model import Event, Material, Unit, moment
from .rejudge import units_of
from .rules import Arrivals, KindArrivals, arrivals, place
from .shards import SHARDS

PARTS_VERSION = 3
HEAD = "board.cells"
#: The kept parts: cells by unit bucket, records by unit bucket, checksums by materials shard,
#: printed records by unit bucket.
KINDS = ("c", "d", "s", "r")
SHARD_NAMES = tuple(f"materials.{i:02d}" for i in range(SHARDS))
#: Past this many unit buckets touched, placing them again costs what the whole week does.
WHOLE_PAST = SHARDS // 2


def bucket(unit: str) -> int:
    """The part a unit's cells and records are kept in."""
    return zlib.crc32(unit.encode("utf-8", "surrogatepass")) % SHARDS


def part_name(kind: str, n: int) -> str:
    return f"board.{kind}.{n:02d}"


def held_in(doc: Mapping[str, Any]) -> str:
    """The inbox file a stored record was read from (what its shard is chosen by)."""
    within = doc.get("within") or ()
    return str(within[0]) if within else str(doc["path"])


@dataclass(frozen=True)
class Head:
    key: str
    base: str
    newest: dt.datetime | None
    stamps: dict[str, Stamp]  # each materials shard's, as the parts were made from it
    parts: dict[str, str]  # part name → the token it must hold
    #: What the printed records (``board.r``) were printed with (`kept_board.Keys.extra`:
    #: the extensions and marks), None when they are not kept for this head.
    rows: str | None = None


# --- reading ----------------------------------------------------------------------------------
def read_head(dbdir: Path) -> Head | None:
    try:
        with open(dbdir / HEAD, "rb") as fh:
            doc = json.loads(fh.readline())
        if not isinstance(doc, dict) or doc.get("v") != PARTS_VERSION:
            return None
        stamps = {str(k): (int(a), int(b), int(c)) for k, (a, b, c) in doc["stamps"].items()}
        parts = {str(k): str(v) for k, v in doc["parts"].items()}
        if set(stamps) != set(SHARD_NAMES) or len(parts) != len(KINDS) * SHARDS:
            return None
        newest, rows = doc["newest"], doc.get("rows")
        return Head(
            str(doc["key"]),
            str(doc["base"]),
            None if newest is None else moment(newest),
            stamps,
            parts,
            None if rows is None else str(rows),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


#: What an empty part holds: it has no file (a week of few units leaves most buckets empty,
#: and 192 files of a page each would fill a small disk), its token in the head "".
EMPTY = {"c": b'{"cells":[]}', "d": b'{"groups":{}}', "s": b'{"groups":{}}', "r": b""}


def read_raw(dbdir: Path, name: str, token: str) -> bytes | None:
    """A part's body if it is whole and the one the head names; else None."""
    if token == "":
        return EMPTY[name.split(".")[1]]
    try:
        with open(dbdir / name, "rb") as fh:
            head = json.loads(fh.readline())
            body = fh.read()
        if not isinstance(head, dict) or head.get("token") != token:
            return None
        if head.get("len") != len(body) or head.get("crc") != zlib.crc32(body):
            return None
        return body
    except (OSError, ValueError, TypeError):
        return None


def read_part(dbdir: Path, name: str, token: str) -> Any:
    """A part's content if it is whole and the one the head names; else None."""
    body = read_raw(dbdir, name, token)
    try:
        return None if body is None else json.loads(body)
    except ValueError:
        return None


@dataclass(frozen=True)
class KeptArrivals:
    """What the parts' cells hold: the arrivals `rules.judge` judges every cell from."""

    newest: dt.datetime | None
    times: Arrivals
    kinds: KindArrivals


def read_cells(dbdir: Path, key: str) -> KeptArrivals | None:
    """Every kept cell's arrivals if the head is `key`'s and every cells part is whole."""
    head = read_head(dbdir)
    if head is None or head.key != key:
        return None
    seen: dict[str, dt.datetime] = {}  # one moment object per distinct text

    def when(iso: str) -> dt.datetime:
        t = seen.get(iso)
        if t is None:
            t = seen[iso] = moment(iso)
        return t

    times: Arrivals = {}
    kinds: KindArrivals = {}
    try:
        for n in range(SHARDS):
            name = part_name("c", n)
            doc = read_part(dbdir, name, head.parts[name])
            if not isinstance(doc, dict):
                return None
            for unit, col, ts, by in doc["cells"]:
                if not (isinstance(unit, str) and isinstance(col, str)):
                    return None
                times[(unit, col)] = [when(t) for t in ts]
                kinds[(unit, col)] = {k: [when(t) for t in v] for k, v in by.items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return KeptArrivals(head.newest, times, kinds)


# --- writing ----------------------------------------------------------------------------------


def _write_part(dbdir: Path, name: str, body: bytes) -> str:
    from .board_cache import _write

    if body == EMPTY[name.split(".")[1]]:
        with contextlib.suppress(OSError):
            os.unlink(dbdir / name)  # no longer named by the head once it is written
        return ""
    token = secrets.token_hex(8)
    head = {"v": PARTS_VERSION, "token": token, "len": len(body), "crc": zlib.crc32(body)}
    if not _write(dbdir / name, _line(head) + body):
        raise OSError(f"{name}: not written")
    return token


def _write_head(dbdir: Path, head: Head) -> None:
    from .board_cache import _write

    doc = {
        "v": PARTS_VERSION,
        "key": head.key,
        "base": head.base,
        "newest": head.newest.isoformat() if head.newest else None,
        "stamps": head.stamps,
        "parts": head.parts,
        "rows": head.rows,
    }
    if not _write(dbdir / HEAD, _line(doc)):
        raise OSError(f"{HEAD}: not written")


def _line(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("ascii") + b"\n"


def _dumps(obj: Any) -> bytes:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an undecodable name): kept as \u escapes
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def load_shard(dbdir: Path, name: str) -> tuple[Stamp, dict[str, Any]]:
    """One materials shard's records as stored, with the stamp of exactly the file read (not
    through the store's caches: held here only while its groups are compared)."""
    stamp, data = load(dbdir / f"{name}.json", "materials")
    return stamp, data.get("materials", {})


def _cells_body(times: Arrivals, kinds: KindArrivals, units: Iterable[tuple[str, str]]) -> bytes:
    cells = [
        [u, c, [t.isoformat() for t in times[(u, c)]], _kind_isos(kinds.get((u, c), {}))]
        for (u, c) in units
    ]
    return _dumps({"cells": cells})


def _kind_isos(by: Mapping[str, Sequence[dt.datetime]]) -> dict[str, list[str]]:
    return {k: [t.isoformat() for t in v] for k, v in by.items()}


#: A group of records as kept: the units it may credit, its records by key (as stored).
Group = tuple[list[str], dict[str, Any]]


def _group_units(docs: Mapping[str, Any], ledger: Ledger) -> list[str]:
    out: set[str] = set()
    for key, doc in docs.items():
        out |= units_of(Material.from_dict(key, doc), ledger)
    return sorted(out)


def _groups_of(docs: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, doc in docs.items():
        out.setdefault(held_in(doc), {})[key] = doc
    return out


def write_whole(
    dbdir: Path,
    key_for: Callable[[Mapping[str, Stamp]], str],
    key: str,
    base: str,
    materials: Sequence[Material],
    placed_arrivals: tuple[Arrivals, KindArrivals],
    newest: dt.datetime | None,
    ledger: Ledger,
) -> bool:
    """Keep the whole week in parts, from the arrivals of its whole placing and `materials`
    (read when `key` was taken); each shard read again as stored, one at a time, its groups
    written out to their buckets' parts as they are found (a whole week's records are never
    held at once: they are the size of the store). False, and nothing kept, when a shard
    changed since `key` (`key_for` its stamps)."""
    from .board_cache import TMP_MARK

    by_key = {m.key: m for m in materials}
    tag = f"{TMP_MARK}body-{os.getpid()}-{secrets.token_hex(4)}"
    bodies = [dbdir / f".{part_name('d', n)}{tag}" for n in range(SHARDS)]
    sums_of: list[int] = [0] * SHARDS  # each records part's checksum and length so far
    sizes: list[int] = [0] * SHARDS
    outs: list[Any] = []
    try:
        for path in bodies:
            outs.append(open(path, "wb"))  # noqa: SIM115 - closed in the finally below
        s_bodies: list[bytes] = []
        stamps: dict[str, Stamp] = {}

        def put(n: int, chunk: bytes) -> None:
            outs[n].write(chunk)
            sums_of[n] = zlib.crc32(chunk, sums_of[n])
            sizes[n] += len(chunk)

        for n in range(SHARDS):
            put(n, b'{"groups":{')
        for name in SHARD_NAMES:
            stamps[name], docs = load_shard(dbdir, name)
            sums: dict[str, list[Any]] = {}
            for hold, group in _groups_of(docs).items():
                units: set[str] = set()
                for k in group:
                    m = by_key.get(k)
                    if m is None:
                        return False  # written since the materials were read
                    units |= units_of(m, ledger)
                listed = sorted(units)
                sums[hold] = [zlib.crc32(_dumps(group)), listed]
                if listed:
                    entry = _dumps(hold) + b":" + _dumps([listed, group])
                    for n in {bucket(u) for u in listed}:
                        put(n, entry if sizes[n] == len(EMPTY["d"]) - 2 else b"," + entry)
            s_bodies.append(_dumps({"groups": sums}))
            del docs
        if key_for(stamps) != key:
            return False  # another process wrote since the key was taken
        for n in range(SHARDS):
            put(n, b"}}")
            outs[n].close()
        times, kinds = placed_arrivals
        c_units: list[list[tuple[str, str]]] = [[] for _ in range(SHARDS)]
        for u, c in times:
            c_units[bucket(u)].append((u, c))
        tokens: dict[str, str] = {}
        for n in range(SHARDS):
            c, d, sn = part_name("c", n), part_name("d", n), part_name("s", n)
            tokens[c] = _write_part(dbdir, c, _cells_body(times, kinds, c_units[n]))
            tokens[d] = _write_part(dbdir, d, bodies[n].read_bytes())  # one part at a time
            tokens[sn] = _write_part(dbdir, sn, s_bodies[n])
            tokens[part_name("r", n)] = ""  # the records are kept apart (`write_rows`)
        _write_head(dbdir, Head(key, base, newest, stamps, tokens))
        for n in range(SHARDS):
            with contextlib.suppress(OSError):
                os.unlink(dbdir / part_name("r", n))  # no longer named by the head
        return True
    finally:
        for out in outs:
            out.close()
        for path in bodies:
            with contextlib.suppress(OSError):
                os.unlink(path)


def write_rows(dbdir: Path, key: str, extra: str, bodies: Sequence[bytes]) -> bool:
    """Keep the printed records of the whole week (`kept_rows.whole_bodies`, placed from the
    materials the kept cells `key` were made of) with the head, printed with `extra`. False,
    and nothing kept, when the kept cells are not `key`'s. Call with the keeping lock held."""
    head = read_head(dbdir)
    if head is None or head.key != key:
        return False
    parts = dict(head.parts)
    for n, body in enumerate(bodies):
        name = part_name(kept_rows.KIND, n)
        parts[name] = _write_part(dbdir, name, body)
    _write_head(dbdir, Head(head.key, head.base, head.newest, head.stamps, parts, extra))
    with contextlib.suppress(OSError):
        os.unlink(dbdir / "board.rows")  # the records as one file, as kept before the parts
    return True


@dataclass(frozen=True)
class Updated:
    """What bringing the parts current did: the units placed again, the parts written."""

    units: frozenset[str]
    written: tuple[str, ...]


def update(
    dbdir: Path,
    event: Event,
    base: str,
    key_for: Callable[[Mapping[str, Stamp]], str],
    ledger: Ledger,
    *,
    verify: bool = True,
    roster: Sequence[Unit] | None = None,
    extra: str | None = None,
) -> Updated | None:
    """Bring the kept parts current by placing again only the units the changed shards touch.

    `key_for(stamps)` gives the key of the whole made from those shard stamps. Returns None when the
    parts cannot be brought current so (absent, damaged, another base): judge the whole week.
    The printed records are brought current with the cells when they were kept with `extra`
    (the extensions and marks now) and the `roster` is given; else they are no longer kept.
    Call with the keeping lock held (`locked`)."""
    head = read_head(dbdir)
    if head is None or head.base != base:
        return None
    stamps = dict(head.stamps)
    changed = [n for n in SHARD_NAMES if file_stamp(dbdir / f"{n}.json") != head.stamps[n]]
    if not changed and head.key == key_for(stamps):
        if verify and read_cells(dbdir, head.key) is None:
            return None  # a part damaged: kept again whole
        return Updated(frozenset(), ())  # current already (another process brought it so)
    rows = extra is not None and head.rows == extra and roster is not None
    was_units: dict[str, list[str]] = {}  # a changed or gone group's units, as kept
    touched: set[str] = set()
    new_groups: dict[str, Group] = {}  # held_in → its records now (absent: gone)
    gone: set[str] = set()
    s_parts: dict[str, dict[str, list[Any]]] = {}
    for name in changed:
        n = SHARD_NAMES.index(name)
        old = read_part(dbdir, part_name("s", n), head.parts[part_name("s", n)])
        if not isinstance(old, dict) or not isinstance(old.get("groups"), dict):
            return None
        old_sums: dict[str, list[Any]] = old["groups"]
        stamp, docs = load_shard(dbdir, name)
        stamps[name] = stamp
        sums: dict[str, list[Any]] = {}
        for hold, group in _groups_of(docs).items():
            crc = zlib.crc32(_dumps(group))
            was = old_sums.get(hold)
            if was is not None and was[0] == crc:
                sums[hold] = was
                continue
            units = _group_units(group, ledger)
            sums[hold] = [crc, units]
            new_groups[hold] = (units, group)
            touched.update(units)
            if was is not None:
                touched.update(was[1])
                was_units[hold] = list(was[1])
        for hold, was in old_sums.items():
            if hold not in sums:
                gone.add(hold)
                touched.update(was[1])
                was_units[hold] = list(was[1])
        s_parts[name] = sums
    # Every group that may credit a touched unit, from the records parts of their buckets.
    loaded: dict[int, dict[str, Group]] = {}

    def load(n: int) -> dict[str, Group]:
        if n not in loaded:
            doc = read_part(dbdir, part_name("d", n), head.parts[part_name("d", n)])
            if not isinstance(doc, dict) or not isinstance(doc.get("groups"), dict):
                raise _Damaged(part_name("d", n))
            groups = {h: (list(g[0]), dict(g[1])) for h, g in doc["groups"].items()}
            for h in gone | set(new_groups):
                groups.pop(h, None)  # as it was: replaced below where it credits this bucket
            loaded[n] = groups
        return loaded[n]

    try:
        for hold, now_group in new_groups.items():
            for n in {bucket(u) for u in now_group[0]}:
                load(n)[hold] = now_group
        found: dict[str, Group] = {}
        while True:
            for n in sorted({bucket(u) for u in touched}):
                for hold, kept in load(n).items():
                    if hold not in found and not touched.isdisjoint(kept[0]):
                        found[hold] = kept
            wider = touched.union(*(g[0] for g in found.values()))
            if wider == touched:
                break
            touched = wider
    except _Damaged:
        return None
    if len({bucket(u) for u in touched}) > WHOLE_PAST:
        return None  # most of the week touched (a reading of every file again): judged whole
    # A changed group nobody's credits no cell, but its records are printed.
    nobodys = {h: g for h, g in new_groups.items() if not g[0]} if rows else {}
    again = [*found.values(), *nobodys.values()]
    records = [Material.from_dict(k, d) for _, group in again for k, d in group.items()]
    records.sort(key=lambda m: (m.received_at, m.path, m.key))
    placed = place(event, records, ledger, roster=roster)
    times, kinds = arrivals(placed)
    written: list[str] = []
    parts = dict(head.parts)
    if rows:
        now_units = {h: g[0] for h, g in (*found.items(), *nobodys.items())}
        mends = kept_rows.mends(placed, now_units, was_units, ledger)
        for n, (drop, add) in sorted(mends.items()):
            name = part_name(kept_rows.KIND, n)
            body = read_raw(dbdir, name, head.parts[name])
            if body is None:
                return None
            parts[name] = _write_part(dbdir, name, kept_rows.mended(body, drop, add))
            written.append(name)
    for n in sorted({bucket(u) for u in touched}):
        name = part_name("c", n)
        doc = read_part(dbdir, name, head.parts[name])
        if not isinstance(doc, dict):
            return None
        cells = [c for c in doc["cells"] if c[0] not in touched]
        cells += [
            [u, c, [t.isoformat() for t in ts], _kind_isos(kinds.get((u, c), {}))]
            for (u, c), ts in times.items()
            if bucket(u) == n and u in touched
        ]
        parts[name] = _write_part(dbdir, name, _dumps({"cells": cells}))
        written.append(name)
    for n, groups in loaded.items():
        name = part_name("d", n)
        parts[name] = _write_part(dbdir, name, _dumps({"groups": groups}))
        written.append(name)
    for shard, sums in s_parts.items():
        name = part_name("s", SHARD_NAMES.index(shard))
        parts[name] = _write_part(dbdir, name, _dumps({"groups": sums}))
        written.append(name)
    arrived = [
        Material.from_dict(k, d).received_at for _, g in new_groups.values() for k, d in g.items()
    ]
    newest = max((t for t in (head.newest, *arrived) if t is not None), default=None)
    key = key_for(stamps)
    _write_head(dbdir, Head(key, base, newest, stamps, parts, extra if rows else None))
    if roster is not None:
        kept_judged.mend(dbdir, head.key, key, event, ledger, roster, touched, times, kinds, newest)
    return Updated(frozenset(touched), tuple(written))


class _Damaged(Exception):
    pass


def discard(dbdir: Path) -> None:
    """Remove every kept part (nothing is lost: the next reader judges afresh)."""
    for name in (HEAD, *(part_name(k, n) for k in KINDS for n in range(SHARDS))):
        with contextlib.suppress(OSError):
            os.unlink(dbdir / name)
