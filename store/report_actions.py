"""The action log report (`weekwatch report actions`): every action, as recorded. Pure."""

from __future__ import annotations

from typing import Any

from .ledger import Ledger, assigned_cells, assigned_units
from .model import Action


def what(a: Action) -> str:
    """The action's reason or text, as the operator gave it."""
    d = a.data
    out = d.get("reason") or d.get("text") or d.get("note") or d.get("until") or d.get("target")
    out = out or ""
    path = d.get("path") or ", ".join(d.get("paths") or ())  # a recommend may name several
    if path:
        out = f"{path}: {out}" if out else path
    if d.get("promised_by"):
        out = f"{out} → {d['promised_by']}"
    return str(out)


def actions_json(ledger: Ledger, tz: Any) -> list[dict[str, Any]]:
    rows = []
    for a in ledger.actions:
        units = assigned_units(a) if a.type == "assign" else ((a.unit,) if a.unit else ())
        cells = assigned_cells(a) if a.type == "assign" else ((a.cell,) if a.cell else ())
        rows.append(
            {
                "id": a.id,
                "at": a.at.astimezone(tz).isoformat(),
                "operator": a.operator,
                "unit": "+".join(units) or None,
                "cell": "+".join(cells) or None,
                "action": a.type.value,
                "reason": what(a),
                "in_force": ledger.in_force(a.id),
            }
        )
    return rows
