"""Every cell's state as last judged from the kept cells, with the span of moments it holds for.

Derived data beside the kept cells (store/kept_parts.py). A reader of the kept cells judges the
2,000 × 9 cells at its own moment from their arrivals (`rules.judge`: reading the 64 cells
parts and judging them, ~0.3 s at 100,000 materials). With no new arrival a cell's state
changes only at a column's opening, a deadline or an extension's end (`rules.steady_until`),
and with the operators' excuses and extensions: so the states judged at one moment serve every
moment until the next such change, for the same kept cells and the same excuses and
extensions. ``board.j`` holds them (one file: a line naming the kept cells' key, what the
excuses and extensions were, the span, the length and checksum of what follows; then each
unit's states). After an arrival the kept cells' writer judges again only the units it placed
again, at the newest arrival, if the span still holds then (`mend`).

A file torn, tampered, of another version, for other kept cells or other decisions, or whose
span does not hold the moment reads as absent: the caller judges from the kept cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .ledger import Ledger
from .model import Event, State, Unit, moment
from .rules import Arrivals, CellState, KindArrivals, judge, steady_until

JUDGED = "board.j"
VERSION = 1

Cells = dict[tuple[str, str], CellState]


def mark_of(ledger: Ledger) -> str:
    """What a cell's state depends on among the decisions: the excuses and the extensions."""
    excused = sorted(ledger.excuses)
    extended = sorted((u, c, t.isoformat()) for (u, c), t in ledger.extensions.items())
    return hashlib.sha256(repr((excused, extended)).encode()).hexdigest()


def read(
    dbdir: Path,
    key: str,
    mark: str,
    now: dt.datetime,
    columns: Sequence[str],
    units: Sequence[str],
) -> Cells | None:
    """The states of the `units`' cells kept for the kept cells `key`, judged with the
    decisions `mark`, if their span holds `now` and the file is whole; else None."""
    doc = _load(dbdir, key, mark, columns)
    if doc is None:
        return None
    try:
        since, until = moment(doc["since"]), doc["until"]
        if now < since or (until is not None and now >= moment(until)):
            return None
        if set(doc["units"]) != set(units):
            return None
        return _cells(doc["units"], columns)
    except (ValueError, TypeError, KeyError):
        return None


def write(
    dbdir: Path,
    key: str,
    mark: str,
    event: Event,
    ledger: Ledger,
    now: dt.datetime,
    cells: Mapping[tuple[str, str], CellState],
    units: Iterable[str],
) -> bool:
    """Keep every cell's state judged at `now` (from the kept cells `key`)."""
    until = steady_until(event, ledger, now)
    columns = event.columns
    by_unit = {u: [_spelled(cells[(u, c)]) for c in columns] for u in units}
    return _write(dbdir, key, mark, now, until, columns, by_unit)


def mend(
    dbdir: Path,
    was: str,
    key: str,
    event: Event,
    ledger: Ledger,
    roster: Sequence[Unit],
    touched: Iterable[str],
    times: Arrivals,
    kinds: KindArrivals,
    newest: dt.datetime | None,
) -> bool:
    """After the kept cells `was` were brought current as `key` by placing the `touched` units
    again (their arrivals `times`, `kinds`): keep the states with those units judged again at
    the newest arrival, if the states kept for `was` hold until then. Otherwise the kept
    states are left as they are, stale (the next reader judges and keeps them)."""
    columns = event.columns
    mark = mark_of(ledger)
    doc = _load(dbdir, was, mark, columns)
    if doc is None:
        return False
    since, until = moment(doc["since"]), doc["until"]
    at = since if newest is None or newest <= since else newest
    if until is not None and at >= moment(until):
        return False  # a deadline or an opening passed since they were judged
    by_unit: dict[str, Any] = doc["units"]
    units = set(touched)
    again = judge(event, [u for u in roster if u.id in units], times, kinds, ledger, at)
    for unit in units:
        if (unit, columns[0]) in again:
            by_unit[unit] = [_spelled(again[(unit, c)]) for c in columns]
    return _write(dbdir, key, mark, at, steady_until(event, ledger, at), columns, by_unit)


def _spelled(s: CellState) -> list[Any]:
    return [s.state.value, s.count, list(s.lacking), s.need]


def _cells(by_unit: Mapping[str, Sequence[Sequence[Any]]], columns: Sequence[str]) -> Cells:
    shared: dict[tuple[Any, ...], CellState] = {}  # most cells are alike: one object each
    out: Cells = {}
    for unit, states in by_unit.items():
        for col, (state, count, lacking, need) in zip(columns, states, strict=True):
            spelled = (state, count, *lacking, need)
            s = shared.get(spelled)
            if s is None:
                s = shared[spelled] = CellState(State(state), count, tuple(lacking), need)
            out[(unit, col)] = s
    return out


def _load(dbdir: Path, key: str, mark: str, columns: Sequence[str]) -> dict[str, Any] | None:
    try:
        with open(dbdir / JUDGED, "rb") as fh:
            head = json.loads(fh.readline())
            body = fh.read()
        if not isinstance(head, dict) or head.get("v") != VERSION:
            return None
        if (head.get("key"), head.get("mark"), head.get("columns")) != (key, mark, list(columns)):
            return None
        if head.get("len") != len(body) or head.get("crc") != zlib.crc32(body):
            return None
        units = json.loads(body)
        if not isinstance(units, dict):
            return None
        return {"since": head["since"], "until": head["until"], "units": units}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write(
    dbdir: Path,
    key: str,
    mark: str,
    since: dt.datetime,
    until: dt.datetime | None,
    columns: Sequence[str],
    by_unit: Mapping[str, Any],
) -> bool:
    from .board_cache import _write as replace

    body = json.dumps(by_unit, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    head = {
        "v": VERSION,
        "key": key,
        "mark": mark,
        "columns": list(columns),
        "since": since.isoformat(),
        "until": None if until is None else until.isoformat(),
        "len": len(body),
        "crc": zlib.crc32(body),
    }
    return replace(dbdir / JUDGED, json.dumps(head).encode("ascii") + b"\n" + body)
