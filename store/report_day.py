"""The day's digest (`weekwatch report day`): arrivals by unit and kind, who was late and by
how much, who is missing, what waits in quarantine, the on-time share. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .ingest import display_path
from .ledger import Ledger
from .model import State
from .report_cells import current_column, lateness, minutes, on_time_share
from .rules import Board, deadline, requires


@dataclass(frozen=True)
class UnitDay:
    unit: str
    name: str
    state: State
    late_minutes: int | None
    arrivals: dict[str, int]  # counted materials of the day's cell, by kind
    lacking: tuple[str, ...]
    sent: tuple[str, ...]  # required kinds that arrived, for a half-sent cell


@dataclass(frozen=True)
class Digest:
    day: str
    units: tuple[UnitDay, ...]
    quarantine: tuple[str, ...]  # the files waiting for a decision, as `materials` prints them
    share: float | None
    owing: int


def day_digest(board: Board, ledger: Ledger, day: str | None = None) -> Digest:
    ev = board.event
    col = day or current_column(board)
    rows = []
    for u in board.units:
        s = board.cell(u.id, col)
        kinds: Counter[str] = Counter()
        for p in board.materials_of(u.id, col):
            if p.judged_at <= board.now and any(
                c.unit == u.id and c.cell == col and c.duplicate_of is None for c in p.credits
            ):
                kinds[p.kind] += 1
        due = deadline(ev, col, ledger.extensions.get((u.id, col)))
        sent = tuple(k for k in requires(ev, col) if k not in s.lacking) if s.partial else ()
        rows.append(
            UnitDay(
                u.id,
                u.name,
                s.state,
                minutes(lateness(board, u.id, col, due)),
                dict(sorted(kinds.items())),
                s.lacking,
                sent,
            )
        )
    waiting = tuple(display_path(p.material.path) for p in board.quarantined)
    return Digest(col, tuple(rows), waiting, on_time_share(board, col), board.owing(col))


def digest_json(board: Board, d: Digest) -> dict[str, Any]:
    return {
        "as_of": board.now.astimezone(board.event.tz).isoformat(),
        "day": d.day,
        "owing": d.owing,
        "on_time_share": d.share,
        "units": [
            {
                "id": u.unit,
                "name": u.name,
                "state": u.state.value,
                "late_minutes": u.late_minutes,
                "arrivals": u.arrivals,
                "lacking": list(u.lacking),
                "sent": list(u.sent),
            }
            for u in d.units
        ],
        "quarantine": list(d.quarantine),
    }
