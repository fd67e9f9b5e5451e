"""Marking the best files (择优推荐) to recommend to the level above: `Week.recommend` and
`Week.unrecommend`. Each mark is an action like any other (undoable, in the log); the ledger
folds them into the marks in force (`Ledger.recommended`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import Action, WeekwatchError

if TYPE_CHECKING:
    from .week import Week


def _files(week: Week, paths: Sequence[str]) -> list[str]:
    """Recorded material paths from what was typed; a whole e-mail or zip names its files."""
    current = week.current()
    out: list[str] = []
    for typed in paths:
        path = week.resolve_path(typed)
        if path in current:
            out.append(path)
        else:
            out += sorted(p for p, pl in current.items() if path in pl.material.within)
    if not out:
        raise WeekwatchError(
            "name the file to mark (as `weekwatch materials` prints it)", tag="name_file"
        )
    return list(dict.fromkeys(out))


def recommend(
    week: Week, paths: Sequence[str], note: str | None = None, operator: str | None = None
) -> Action:
    """Mark files as the best, to recommend to the level above, with an optional note
    (marking a marked file again replaces its note). Undoable like every action."""
    files = _files(week, paths)
    note = (note or "").strip() or None
    with week.store.transaction():
        ledger = week.ledger()
        if note is None and all(p in ledger.recommended for p in files):
            from .ingest import display_path

            shown = ", ".join(display_path(p) for p in files[:3])
            raise WeekwatchError(
                f"already recommended: {shown} (--undo takes the mark off)",
                tag="already_recommended",
                shown=shown,
            )
        return _mark(week, "recommend", files, operator, note=note)


def unrecommend(week: Week, paths: Sequence[str], operator: str | None = None) -> Action:
    """Take the mark off recommended files (recorded, so `undo` puts it back)."""
    files = _files(week, paths)
    with week.store.transaction():
        ledger = week.ledger()
        marked = [p for p in files if p in ledger.recommended]
        if not marked:
            from .ingest import display_path

            shown = ", ".join(display_path(p) for p in files[:3])
            raise WeekwatchError(f"not recommended: {shown}", tag="not_recommended", shown=shown)
        return _mark(week, "unrecommend", marked, operator)


def _mark(
    week: Week, type_: str, files: list[str], operator: str | None, note: str | None = None
) -> Action:
    first = week.current()[files[0]]
    return week._record(
        type_,
        operator=operator,
        unit=first.unit,
        cell=first.cell,
        path=files[0] if len(files) == 1 else None,
        paths=files if len(files) > 1 else None,
        note=note,
    )
