"""Bringing a database written by an older weekwatch up to today's schema, on open.

Each step takes the raw tables (id → document) of one version and returns the documents it
changed; `store/db.py` runs the steps in one transaction, then records the new version, so a
kill mid-way leaves the old version recorded and the next open runs the step again (steps are
idempotent: a document already in the new shape is left alone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .reasons import from_legacy_text

Docs = Mapping[str, Mapping[str, Any]]
#: table → (id → the whole new document)
Changes = dict[str, dict[str, dict[str, Any]]]


def _reasons_as_codes(tables: Mapping[str, Docs]) -> Changes:
    """1 → 2: a quarantine reason stored as English prose becomes codes with arguments."""
    changed: dict[str, dict[str, Any]] = {}
    for key, doc in tables.get("materials", {}).items():
        text = doc.get("quarantine")
        if isinstance(text, str):
            q = from_legacy_text(text) if text else None
            changed[key] = {**doc, "quarantine": q.to_json() if q else None}
    return {"materials": changed}


def _materials_in_shards(tables: Mapping[str, Docs]) -> Changes:
    """2 → 3: the materials table split into shards. No document changes: `store/db.py`
    moves every record of materials.json into its shard (`Store._absorb_legacy`) in the same
    transaction, and removes the old file once the shards are written."""
    return {}


#: STEPS[v] turns a version-v database into version v + 1.
STEPS: dict[int, Callable[[Mapping[str, Docs]], Changes]] = {
    1: _reasons_as_codes,
    2: _materials_in_shards,
}
SCHEMA_VERSION = max(STEPS) + 1


def migrate(version: int, read: Callable[[str], Docs]) -> Changes:
    """Every change from `version` up to SCHEMA_VERSION; `read(table)` gives a raw table."""
    out: Changes = {}
    names = ("units", "materials", "actions")
    for v in range(version, SCHEMA_VERSION):
        # Later steps see earlier steps' changes.
        tables = {n: {**read(n), **out.get(n, {})} for n in names}
        for table, docs in STEPS[v](tables).items():
            out.setdefault(table, {}).update(docs)
    return out
