"""What `weekwatch units import` prints: the summary, and with --dry-run the whole picture (the
header found, each column's field, the units with what weekwatch derived marked, the skipped rows,
the warnings), in the operator's language (the words: tui/i18n_done.py). Plain lines; every
piece of the file's text goes through `safe_str`."""

from __future__ import annotations

from collections import Counter

from weekwatch.store.roster import REASONS
from weekwatch.store.roster_merge import Change, ImportResult
from weekwatch.widgets.safe import safe_str

from .i18n_done import done

#: How many skipped rows and warnings are listed one by one; the rest are counted.
SHOWN = 50
MARK = "*"


def summary(result: ImportResult, lang: str = "en") -> list[str]:
    """The lines every import prints: counts, the skipped rows' reasons, the warnings."""
    r = result.roster
    head = done(
        "roster.head",
        lang,
        added=len(result.added),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
        n=len(result.units),
    )
    lines = [head + (done("roster.dry", lang) if not result.written else "")]
    reasons = Counter(s.reason for s in r.skipped)
    if reasons or r.blank_rows:
        parts = [done("roster.part", lang, n=n, why=_why(k, lang)) for k, n in reasons.items()]
        if r.blank_rows:
            parts.append(done("roster.blank", lang, n=r.blank_rows))
        total = sum(reasons.values()) + r.blank_rows
        lines.append(
            done("roster.skipped", lang, n=total, parts=done("roster.sep", lang).join(parts))
        )
    if result.others:
        ids = ", ".join(safe_str(c.unit.id) for c in result.others[:10])
        lines.append(done("roster.others", lang, n=len(result.others), ids=ids))
    if result.warnings:
        n = len(result.warnings)
        lines.append(done("roster.warning" if n == 1 else "roster.warnings", lang, n=n))
        lines.extend(f"  ! {safe_str(w)}" for w in result.warnings[:SHOWN])
        if len(result.warnings) > SHOWN:
            lines.append(done("roster.more", lang, n=len(result.warnings) - SHOWN))
    return lines


def _why(reason: str, lang: str) -> str:
    """A skipped row's reason (store/roster.py REASONS) in `lang`."""
    return done(f"roster.why.{reason}", lang) if lang == "zh" else REASONS[reason]


def _marked(value: str, inferred: bool) -> str:
    return f"{safe_str(value)}{MARK}" if inferred and value else safe_str(value)


def unit_line(c: Change, lang: str = "en") -> str:
    u = c.unit
    aliases = "、".join(_marked(a, a in u.inferred_aliases) for a in u.aliases)
    how = done(f"roster.{c.kind}", lang)
    if c.matched_by:
        how += done("roster.matched", lang, by=done(f"roster.by.{c.matched_by}", lang))
    if c.kind == "updated":
        how += done("roster.fields", lang, fields=", ".join(c.fields))
    cols = [
        _where(c.where, lang),
        _marked(u.id, "id" in u.inferred),
        safe_str(u.name),
        done("roster.type", lang, type=_marked(u.type, "type" in u.inferred) or "-"),
        done("roster.aliases", lang, aliases=aliases or "-"),
        done("roster.liaison", lang, name=safe_str(u.liaison_name) or "-"),
        safe_str(u.liaison_phone) or "-",
        safe_str(u.liaison_email) or "-",
        how,
    ]
    return "  " + "\t".join(cols)


def dry_run(result: ImportResult, lang: str = "en") -> list[str]:
    """The whole picture of an import, before anything is written."""
    r = result.roster
    lines: list[str] = []
    where = done("roster.sheet", lang, sheet=safe_str(r.sheet)) if r.sheet else ""
    if len(r.sheets) > 1:
        where += done("roster.sheets", lang, sheets=", ".join(safe_str(s) for s in r.sheets))
    lines.append(f"{safe_str(r.path)}{where}")
    labels = " | ".join(safe_str(c) for c in r.header_cells if c)
    lines.append(done("roster.header", lang, at=_at(r.word, r.header.row, lang), labels=labels))
    lines.append(done("roster.columns", lang))
    for col in r.header.columns:
        target = col.field or "-"
        note = done("roster.note", lang, why=_column_why(col.why, lang)) if col.why else ""
        lines.append(f"  {col.letter}\t{safe_str(col.label)}\t→ {target}{note}")
    lines.append(done("roster.units", lang, n=len(result.changes), mark=MARK))
    lines.extend(unit_line(c, lang) for c in result.changes)
    if r.skipped:
        lines.append(done("roster.skipped_rows", lang, n=len(r.skipped), blank=r.blank_rows))
        for s in r.skipped[:SHOWN]:
            why = _why(s.reason, lang)
            lines.append(f"  {_at(r.word, s.row, lang)}\t{why}\t{safe_str(s.text)}")
        if len(r.skipped) > SHOWN:
            lines.append(done("roster.more", lang, n=len(r.skipped) - SHOWN))
    lines.extend(summary(result, lang))
    return lines


def _at(word: str, row: int, lang: str) -> str:
    """`line 4` / `row 4`, `第 4 行`."""
    return done("roster.at", lang, row=row) if lang == "zh" else f"{word} {row}"


def _where(where: str, lang: str) -> str:
    """A unit's place in the file as the import found it: `line 4` (`第 4 行`)."""
    word, _, rows = where.partition(" ")
    if lang == "zh" and word in ("line", "row", "lines", "rows") and rows:
        return done("roster.at", lang, row=safe_str(rows))
    return safe_str(where)


def _column_why(why: str, lang: str) -> str:
    key = f"roster.col.{why}"
    return done(key, lang) if lang == "zh" and key in _COLUMN_WHYS else why


_COLUMN_WHYS = frozenset(
    f"roster.col.{w}" for w in ("kept out", "kept out (--map)", "from --map", "mobile", "office")
)
