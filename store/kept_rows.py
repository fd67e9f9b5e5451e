"""`materials --json`'s records kept in parts beside the kept cells, merged in store order.

Derived data (store/board_cache.py says what the kept board is for). A record's line depends
only on its file's placing, which depends on the units its group of records (one inbox file:
its versions, or a zip's or an e-mail's members) may credit, every record that may credit them,
the extensions of their cells and the recommend marks. So the records are kept by the unit
bucket of their group (``board.r.NN``: the bucket of the group's first unit, or of the inbox
file for a group nobody's), each part in store order; an arrival rewrites only the parts of
the units it touched (store/kept_parts.py `update`), and a reader merges the 64 parts as it
prints (`print_kept`), never holding the whole week's records.

A part is a line naming its token, length and checksum (as every kept part) and then one line
per record: its place in the store's order spelled so that comparing two lines' bytes orders
them as the store does — the arrival in microseconds (20 digits), the path, the record's key —
then the inbox file holding it (empty when the record is that file), whether it waits in
quarantine, and the record as `materials --json` prints it. Every string is UTF-8 with the
bytes 0x00–0x0A written as 0x01 and the byte + 0x10, which keeps their order and leaves 0x00
to end a field and no newline but the line's own.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import mmap
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from .inbox_walk import spelled
from .ledger import Ledger
from .model import Action, Material
from .rejudge import units_of
from .reports import material_json
from .rules import Placed
from .shards import SHARDS

KIND = "r"
_LOW = re.compile(rb"[\x00-\x0a]")
_ESCAPED = re.compile(rb"\x01([\x10-\x1a])")
_EPOCH = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
#: Two days: an arrival on 1 January of year 1 east of Greenwich still spells positive.
_SHIFT = 2 * 86_400 * 1_000_000
WAITING, LISTED = b"w", b"-"
_W = WAITING[0]
_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def bucket(name: str) -> int:
    """The part a unit (or a group nobody's, by its inbox file) is kept in: kept_parts'."""
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % SHARDS


def home(units: Sequence[str], held: str) -> int:
    """The part a group of records is kept in: its first unit's (`units` sorted), or its own."""
    return bucket(units[0] if units else held)


def esc(text: str) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")
    return _LOW.sub(lambda m: b"\x01" + bytes((m[0][0] + 0x10,)), raw) if _LOW.search(raw) else raw


def unesc(raw: bytes) -> str:
    if b"\x01" in raw:
        raw = _ESCAPED.sub(lambda m: bytes((m[1][0] - 0x10,)), raw)
    return raw.decode("utf-8", "surrogatepass")


def _micros(t: dt.datetime) -> int:
    d = (t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)) - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds + _SHIFT


def line_of(p: Placed, recommended: Mapping[str, Action] | None) -> bytes:
    """One record's line in a part (ending in a newline)."""
    m = p.material
    row = material_json(p, recommended)
    try:
        text = _DUMPS(row).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (an undecodable byte in a name or a reason): spelled \\xNN.
        text = _DUMPS(spelled(row)).encode("utf-8", "backslashreplace")
    held = m.container
    return b"".join(
        (
            b"%020d" % _micros(m.received_at),
            esc(m.path),
            b"\0",
            esc(m.key),
            b"\0",
            b"" if held == m.path else esc(held),
            b"\0",
            WAITING if p.waiting else LISTED,
            text,
            b"\n",
        )
    )


def held_of(line: bytes) -> bytes:
    """The inbox file (escaped) a line's record was read from."""
    first, _key, held, _rest = line.split(b"\0", 3)
    return held or first[20:]


def group_units(materials: Iterable[Material], ledger: Ledger) -> dict[str, set[str]]:
    """Every group's units (by the inbox file holding it): what its home is chosen by."""
    out: dict[str, set[str]] = {}
    for m in materials:
        out.setdefault(m.container, set()).update(units_of(m, ledger))
    return out


def encoded(placed: Sequence[Placed], ledger: Ledger) -> tuple[list[bytes], list[int]]:
    """The whole week placed (every record, in store order) as its parts' lines, and the part
    each line is kept in."""
    homes = {
        held: home(sorted(units), held)
        for held, units in group_units((p.material for p in placed), ledger).items()
    }
    lines = [line_of(p, ledger.recommended) for p in placed]
    return lines, [homes[p.material.container] for p in placed]


def bodies(lines: Sequence[bytes], homes: Sequence[int]) -> list[bytes]:
    """Every part's body from the whole week's lines (`encoded`)."""
    parts: list[list[bytes]] = [[] for _ in range(SHARDS)]
    for line, n in zip(lines, homes, strict=True):
        parts[n].append(line)
    out = []
    for part in parts:
        part.sort()  # the store's order already; sorted so a part never depends on it
        out.append(b"".join(part))
    return out


def mended(body: bytes, drop: set[bytes], add: Iterable[bytes]) -> bytes:
    """A part's body with the lines of the groups `drop` (escaped inbox files) taken out and
    `add` put in, in order."""
    lines = [ln for ln in body.splitlines(keepends=True) if held_of(ln) not in drop]
    lines.extend(add)
    lines.sort()
    return b"".join(lines)


def mends(
    placed: Iterable[Placed],
    units: Mapping[str, Sequence[str]],
    was: Mapping[str, Sequence[str]],
    ledger: Ledger,
) -> dict[int, tuple[set[bytes], list[bytes]]]:
    """What bringing the parts current changes, by part: the groups whose lines are taken out
    (those placed again, by `units` now; those changed or gone, by `was` as kept) and the lines
    put in (`placed`: every record of the groups in `units`)."""
    drop = {esc(held) for held in (*units, *was)}
    out: dict[int, tuple[set[bytes], list[bytes]]] = {}
    for held, kept in was.items():
        out.setdefault(home(kept, held), (drop, []))
    for p in placed:
        held = p.material.container
        out.setdefault(home(units[held], held), (drop, []))[1].append(
            line_of(p, ledger.recommended)
        )
    return out


# --- reading ----------------------------------------------------------------------------------
#: How much of each part is read at a time while merging (64 parts: 8 MB in flight).
BLOCK = 1 << 17


def _checked(path: Path, token: str) -> IO[bytes] | None:
    """The part's file, positioned at its first record, if it is whole and the head's. The
    checksum is taken over the file mapped, not read: no copy of it is made, and its pages
    leave this process's memory as the map is closed."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError:
        return None
    try:
        head = json.loads(fh.readline())
        if not isinstance(head, dict) or head.get("token") != token:
            raise ValueError(path.name)
        start = fh.tell()
        size = os.fstat(fh.fileno()).st_size - start
        crc = 0
        if size > 0:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm, memoryview(mm) as view:
                crc = zlib.crc32(view[start:])
        if size != head.get("len") or crc != head.get("crc"):
            raise ValueError(path.name)  # cut short or damaged
        return fh
    except (OSError, ValueError, TypeError):
        fh.close()
        return None


def _lines(fh: IO[bytes]) -> Iterator[list[bytes]]:
    """A part's lines (without their newline), a block at a time."""
    tail = b""
    while chunk := fh.read(BLOCK):
        lines = (tail + chunk).split(b"\n")
        tail = lines.pop()
        if lines:
            yield lines
    if tail:
        yield [tail]


def _merged(files: Sequence[IO[bytes]]) -> Iterator[list[bytes]]:
    """The lines of sorted files, merged, a block at a time: each round takes from every
    file's lines read so far those up to the least of their last ones (no line unread can
    come before it) and sorts them (runs already sorted: a merge, in C)."""
    blocks = [_lines(fh) for fh in files]
    pending: list[list[bytes]] = [[] for _ in files]
    live = list(range(len(files)))
    while True:
        for i in live:
            if not pending[i]:
                pending[i] = next(blocks[i], [])
        live = [i for i in live if pending[i]]
        if not live:
            return
        upto = min(pending[i][-1] for i in live)
        out: list[bytes] = []
        for i in live:
            lines = pending[i]
            k = bisect.bisect_right(lines, upto)
            out += lines[:k]
            pending[i] = lines[k:]
        out.sort()
        yield out


def _rows_of(lines: Sequence[bytes], waiting_only: bool) -> list[bytes]:
    """The records of lines (without their newline) as printed. A record holds no NUL (JSON
    spells it \\u0000): a line's last NUL ends its prefix, before the waiting mark."""
    if waiting_only:
        return [ln[i + 2 :] for ln in lines if ln[(i := ln.rindex(0)) + 1] == _W]
    return [ln[ln.rindex(0) + 2 :] for ln in lines]


def _print(out: Any, blocks: Iterable[Sequence[bytes]], waiting_only: bool) -> None:
    """`materials --json`'s array: one record a line, `,` after each but the last."""
    first = True
    for block in blocks:
        rows = _rows_of(block, waiting_only)
        if rows:
            out.write((b"[\n" if first else b",\n") + b",\n".join(rows))
            first = False
    out.write(b"[]\n" if first else b"\n]\n")


def print_kept(
    dbdir: Path,
    names: Sequence[str],
    tokens: Mapping[str, str],
    out: Any,
    waiting_only: bool = False,
) -> bool:
    """Print the records of the parts `names` (their tokens in `tokens`), merged in store
    order, as `materials --json` prints them. Every part is checked whole first, so a damaged
    one prints nothing. Returns whether it printed."""
    files: list[IO[bytes]] = []
    try:
        for name in names:
            token = tokens.get(name)
            if token is None:
                return False
            if token == "":
                continue  # an empty part has no file
            fh = _checked(dbdir / name, token)
            if fh is None:
                return False
            files.append(fh)
        _print(out, _merged(files), waiting_only)
        return True
    finally:
        for fh in files:
            fh.close()


def print_lines(out: Any, lines: Sequence[bytes], waiting_only: bool = False) -> None:
    """Lines (`encoded`, in store order) printed as `print_kept` prints the kept ones."""
    step = 4096
    blocks = ([ln[:-1] for ln in lines[i : i + step]] for i in range(0, len(lines), step))
    _print(out, blocks, waiting_only)
