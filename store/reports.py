"""Machine-readable output: the stable JSON shapes other tools read. Built from the rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .ingest import display_path
from .model import Action
from .rules import Cells, Placed


def material_json(p: Placed, recommended: Mapping[str, Action] | None = None) -> dict[str, Any]:
    """One listed file, as `weekwatch materials --json` prints it (`recommended`: the ledger's
    marks, path → the recommend in force)."""
    m = p.material
    mark = (recommended or {}).get(m.path) if not p.superseded else None
    out = {
        "path": display_path(m.path),
        "unit": p.unit,
        "cell": p.cell,
        "kind": p.kind,
        "sha256": m.sha256,
        "size": m.size,
        "received_at": m.received_at.isoformat(),
        "late": p.late,
        "duplicate_of": display_path(p.duplicate_of) if p.duplicate_of else None,
        # The English text for people and scripts that read it; the code for scripts that decide.
        "quarantine": p.quarantine.text("en") if p.quarantine else None,
        "quarantine_code": p.quarantine.code.value if p.quarantine else None,
        "first_received_at": p.history[0].received_at.isoformat(),
        "judged_at": p.judged_at.isoformat(),
        "credits": [{"unit": c.unit, "cell": c.cell, "late": c.late} for c in p.credits],
        "assigned": p.assigned,
        "recommended": mark is not None,
        "recommend_note": (mark.data.get("note") or "") if mark is not None else None,
        "versions": [
            {"sha256": v.sha256, "size": v.size, "received_at": v.received_at.isoformat()}
            for v in p.history
        ],
    }
    if p.superseded:
        out["superseded"] = True
    if p.dismissed is not None:
        out["dismissed"] = p.dismissed
    if m.gone:
        out["gone"] = True
    if m.until:
        out["until"] = m.until  # a range's last day: the file covers cell … until
    return out


def materials_json(
    placed: Iterable[Placed], recommended: Mapping[str, Action] | None = None
) -> list[dict[str, Any]]:
    return [material_json(p, recommended) for p in placed]


def status_json(b: Cells, only: frozenset[str] | None = None) -> dict[str, Any]:
    """`weekwatch status --json`: every unit's cells; with `only`, units having such a cell."""
    ev = b.event
    units = []
    for u in b.units:
        cells = {c: b.cell(u.id, c) for c in ev.columns}
        if only and not any(s.state in only for s in cells.values()):
            continue
        units.append(
            {
                "id": u.id,
                "name": u.name,
                # `lacking`: the required kinds not arrived yet (["any"]: nothing yet, under
                # "any"); [] when complete and for a cell the unit does not owe.
                "cells": {
                    c: {"state": s.state, "count": s.count, "lacking": list(s.lacking)}
                    for c, s in cells.items()
                },
            }
        )
    return {
        "as_of": b.now.astimezone(ev.tz).isoformat(),
        "event": {
            "title": ev.title,
            "theme": ev.theme,
            "start": ev.start.isoformat(),
            "end": ev.end.isoformat(),
            "timezone": ev.timezone,
        },
        "columns": list(ev.columns),
        "units": units,
    }
