"""What `weekwatch units import` prints: the summary, and with --dry-run the whole picture (the
header found, each column's field, the units with what weekwatch derived marked, the skipped rows,
the warnings). Plain lines; every piece of the file's text goes through `safe_str`."""

from __future__ import annotations

from collections import Counter

from weekwatch.store.roster import REASONS
from weekwatch.store.roster_merge import Change, ImportResult
from weekwatch.widgets.safe import safe_str

#: How many skipped rows and warnings are listed one by one; the rest are counted.
SHOWN = 50
MARK = "*"


def summary(result: ImportResult) -> list[str]:
    """The lines every import prints: counts, the skipped rows' reasons, the warnings."""
    r = result.roster
    n_in = len(result.units)
    verb = "would be" if not result.written else ""
    head = (
        f"{len(result.added)} units added, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged ({n_in} in the roster)"
    )
    lines = [f"{head}{' — nothing written (--dry-run)' if verb else ''}"]
    reasons = Counter(s.reason for s in r.skipped)
    if reasons or r.blank_rows:
        parts = [f"{n} {REASONS[k]}" for k, n in reasons.items()]
        if r.blank_rows:
            parts.append(f"{r.blank_rows} blank")
        total = sum(reasons.values()) + r.blank_rows
        lines.append(f"{total} rows skipped: {', '.join(parts)}")
    if result.others:
        lines.append(
            f"{len(result.others)} other units' derived aliases change "
            f"({', '.join(safe_str(c.unit.id) for c in result.others[:10])})"
        )
    if result.warnings:
        n = len(result.warnings)
        lines.append(f"{n} warning{'s' if n > 1 else ''}:")
        lines.extend(f"  ! {safe_str(w)}" for w in result.warnings[:SHOWN])
        if len(result.warnings) > SHOWN:
            lines.append(f"  … and {len(result.warnings) - SHOWN} more")
    return lines


def _marked(value: str, inferred: bool) -> str:
    return f"{safe_str(value)}{MARK}" if inferred and value else safe_str(value)


def unit_line(c: Change) -> str:
    u = c.unit
    aliases = "、".join(_marked(a, a in u.inferred_aliases) for a in u.aliases)
    how = {"added": "new", "updated": "updated", "unchanged": "unchanged"}[c.kind]
    if c.matched_by:
        how += f" (matched by {c.matched_by})"
    if c.kind == "updated":
        how += ": " + ", ".join(c.fields)
    cols = [
        safe_str(c.where),
        _marked(u.id, "id" in u.inferred),
        safe_str(u.name),
        f"type {_marked(u.type, 'type' in u.inferred) or '-'}",
        f"aliases {aliases or '-'}",
        f"liaison {safe_str(u.liaison_name) or '-'}",
        safe_str(u.liaison_phone) or "-",
        safe_str(u.liaison_email) or "-",
        how,
    ]
    return "  " + "\t".join(cols)


def dry_run(result: ImportResult) -> list[str]:
    """The whole picture of an import, before anything is written."""
    r = result.roster
    lines: list[str] = []
    where = f", sheet '{safe_str(r.sheet)}'" if r.sheet else ""
    if len(r.sheets) > 1:
        where += f" (sheets: {', '.join(safe_str(s) for s in r.sheets)})"
    lines.append(f"{safe_str(r.path)}{where}")
    labels = " | ".join(safe_str(c) for c in r.header_cells if c)
    lines.append(f"header: {r.word} {r.header.row}: {labels}")
    lines.append("columns:")
    for col in r.header.columns:
        target = col.field or "-"
        note = f" ({col.why})" if col.why else ""
        lines.append(f"  {col.letter}\t{safe_str(col.label)}\t→ {target}{note}")
    lines.append(f"units ({len(result.changes)}; {MARK} = derived by weekwatch from the name):")
    lines.extend(unit_line(c) for c in result.changes)
    if r.skipped:
        lines.append(f"skipped rows ({len(r.skipped)}, and {r.blank_rows} blank):")
        for s in r.skipped[:SHOWN]:
            lines.append(f"  {r.word} {s.row}\t{s.why}\t{safe_str(s.text)}")
        if len(r.skipped) > SHOWN:
            lines.append(f"  … and {len(r.skipped) - SHOWN} more")
    lines.extend(summary(result))
    return lines
