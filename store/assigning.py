"""Placing a file by hand: `Week.assign` (one unit or several, one cell or several, a corrected
arrival; a whole e-mail or zip at once) and `Week.dismiss` (not a material at all). Each is an
action like any other (undoable, in the log); the rules read them from the ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import KINDS, Action, WeekwatchError

if TYPE_CHECKING:
    from .rules import Placed
    from .week import Week


def assign(
    week: Week,
    path: str,
    unit: str | Sequence[str] | None = None,
    cell: str | Sequence[str] | None = None,
    kind: str | None = None,
    operator: str | None = None,
    *,
    received: dt.datetime | None = None,
    reason: str | None = None,
) -> Action:
    """Place a file by hand: for one unit or several (a joint file credits each), in one
    cell or several (a file covering two days), with the arrival time corrected if need be
    (an attachment saved into the folder the next morning). Replaces any earlier decision
    on the file."""
    path = week.resolve_path(path)
    current = week.current()
    if path not in current:
        return _assign_holder(week, path, current, unit, cell, kind, operator)
    p = current[path]
    units = _listed(unit)
    cells = _listed(cell)
    _check_kind(kind)
    if received is not None:
        if received.tzinfo is None:
            received = received.replace(tzinfo=week.event.tz)
        if not (reason or "").strip():
            raise WeekwatchError(
                "a corrected arrival time needs a reason (--reason)", tag="received_reason"
            )
        if not units:
            # Only the time is corrected: the file stays where it is credited now.
            units = list(dict.fromkeys(c.unit for c in p.credits))
    if not units:
        raise WeekwatchError(
            f"{path}: say which unit it belongs to (--unit)", tag="which_unit", path=path
        )
    _check_named(week, units, cells)
    if not cells:
        from .rules import cell_for_kind

        column = cell_for_kind(kind or p.kind, None)
        if column is None and received is not None:
            # An undated name is placed on its arrival day: the corrected one.
            column = week.reader().read(path, received).cell
        column = column or p.cell
        if column is None:
            raise WeekwatchError(
                f"{path}: say which column it belongs to (--cell)", tag="which_cell", path=path
            )
        cells = [column]
    return week._record(
        "assign",
        operator=operator,
        unit=units[0],
        cell=cells[0],
        path=path,
        kind=kind,
        units=units if len(units) > 1 else None,
        cells=cells if len(cells) > 1 else None,
        received=received.isoformat() if received else None,
        reason=reason.strip() if reason and reason.strip() else None,
    )


def _assign_holder(
    week: Week,
    path: str,
    current: dict[str, Placed],
    unit: str | Sequence[str] | None,
    cell: str | Sequence[str] | None,
    kind: str | None,
    operator: str | None,
) -> Action:
    """Assign a whole e-mail or zip: every file read from it goes to the unit; each keeps
    the column its own name gives unless a column (or a kind) is named."""
    inside = [q for q in current.values() if path in q.material.within]
    units = _listed(unit)
    cells = _listed(cell)
    _check_kind(kind)
    if not units:
        raise WeekwatchError(
            f"{path}: say which unit its files belong to (--unit)",
            tag="which_unit_files",
            path=path,
        )
    _check_named(week, units, cells)
    from .rules import cell_for_kind

    if not cells and kind is not None and (column := cell_for_kind(kind, None)):
        cells = [column]
    if not cells and any(q.cell is None for q in inside):
        raise WeekwatchError(
            f"{path}: say which column its files belong to (--cell)",
            tag="which_cell_files",
            path=path,
        )
    return week._record(
        "assign",
        operator=operator,
        unit=units[0],
        cell=cells[0] if cells else None,
        path=path,
        kind=kind,
        units=units if len(units) > 1 else None,
        cells=cells if len(cells) > 1 else None,
    )


def dismiss(week: Week, path: str, reason: str, operator: str | None = None) -> Action:
    """Take a file out of the week: not a material (an empty template, a stranger's file).
    Undoable; the file itself stays in the inbox."""
    path = week.resolve_path(path)
    if not reason.strip():
        raise WeekwatchError("a dismissal needs a reason (--reason)", tag="dismiss_reason")
    p = week.current().get(path)  # None: a whole e-mail or zip, all its files go
    if p is not None and p.dismissed is not None:
        raise WeekwatchError(f"{path} is already dismissed", tag="already_dismissed", path=path)
    return week._record(
        "dismiss",
        operator=operator,
        unit=p.unit if p else None,
        path=path,
        reason=reason.strip(),
    )


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise WeekwatchError(
            f"unknown kind {kind!r}; the kinds are {', '.join(KINDS)}",
            tag="unknown_kind",
            kind=kind,
            kinds=", ".join(KINDS),
        )


def _check_named(week: Week, units: Sequence[str], cells: Sequence[str]) -> None:
    """Each unit and cell named once, and each one the week has."""
    if len(set(units)) != len(units) or len(set(cells)) != len(cells):
        raise WeekwatchError("a unit or a cell is named twice", tag="named_twice")
    for u in units:
        week.unit(u)
    for c in cells:
        week._check_cell(c)


def _listed(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if v]
