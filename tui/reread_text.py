"""What a re-read changed, in the operator's language: one line in sum, then one per file.

`3 files now placed, 1 moved from 潍坊职业学院 to 潍坊技师学院` /
`3 个文件现已归位，1 个从 潍坊职业学院 改归 潍坊技师学院`; the words are tui/i18n_done.py's.
"""

from __future__ import annotations

from collections.abc import Mapping

from weekwatch.store.ingest import display_path
from weekwatch.store.model import Material
from weekwatch.store.reread import Change, Reread

from .i18n import I18n, column_name
from .i18n_done import done


def summary(result: Reread, names: Mapping[str, str], lang: str = "en") -> list[str]:
    """The lines `ingest`, `units import` and `watch` print after a re-read."""

    def t(key: str, **fields: object) -> str:
        return done(key, lang, **fields)

    def name(uid: str | None) -> str:
        return names.get(uid, uid) if uid else "—"

    def files(n: int) -> str:
        return t("reread.file" if n == 1 else "reread.files", n=n)

    by: dict[str, list[Change]] = {}
    for c in result.changes:
        by.setdefault(c.what, []).append(c)
    parts = []
    if by.get("placed"):
        parts.append(t("reread.placed", files=files(len(by["placed"]))))
    moved = by.get("moved", [])
    if len(moved) == 1:
        b, a = moved[0].before, moved[0].after
        parts.append(t("reread.moved_one", before=name(b.unit), after=name(a.unit)))
    elif moved:
        parts.append(t("reread.moved", n=len(moved)))
    for what in ("recelled", "quarantined", "reason"):
        if by.get(what):
            parts.append(t(f"reread.{what}", n=len(by[what])))
    kept = t("reread.kept", n=result.kept_assigned) if result.kept_assigned else ""
    head = t(
        "reread.head",
        parts=t("reread.sep").join(parts) if parts else t("reread.nothing"),
        files=files(result.read),
        kept=kept,
    )
    lines = [head]

    def where(m: Material) -> str:
        if m.quarantine:
            return t("reread.quarantine", reason=m.quarantine.text(lang))
        if lang == "zh" and m.cell:
            return f"{name(m.unit)} {column_name(m.cell, I18n(lang))}"
        return f"{name(m.unit)} {m.cell}"

    for c in result.changes:
        note = t("reread.dismissed") if c.dismissed else ""
        lines.append(
            t(
                "reread.change",
                path=display_path(c.before.path),
                was=where(c.before),
                now=where(c.after),
                note=note,
            )
        )
    return lines
