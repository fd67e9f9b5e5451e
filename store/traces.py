"""What was done about a cell, as the grid marks it: contacted, promised, a broken promise,
extended. Pure: computed from the judged board and the ledger at the board's moment.

The marks themselves (letters readable without colour) are the widgets' (`widgets/look.py`);
whether a promise is overdue is the call list's rule (`report_calls`), reused here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from .ledger import Ledger
from .model import State
from .report_calls import _contacts
from .rules import Board, Placed

#: A promise counts as broken while the cell is still unsent past the promised moment.
OPEN = frozenset({State.MISSING, State.DUE})


def cell_trace(board: Board, ledger: Ledger, unit: str, column: str) -> str:
    """The one trace that matters most: "broken", "promised", "extended", "contacted" or ""."""
    state = board.cell(unit, column).state
    contacts = _contacts(ledger, unit, column, board.now, state in OPEN)
    # A contact logged against the whole unit (no cell) is not this cell's.
    contacts = [c for c in contacts if c.cell == column]
    if any(c.overdue for c in contacts):
        return "broken"
    if state in OPEN and any(c.promised_by and c.promised_by >= board.now for c in contacts):
        return "promised"
    if (unit, column) in ledger.extensions:
        return "extended"
    return "contacted" if contacts else ""


def traces(board: Board, ledger: Ledger) -> dict[tuple[str, str], str]:
    """Every cell with a trace, and its trace (cells without one are left out)."""
    touched = {
        (a.unit, a.cell)
        for a in ledger.actions
        if a.type == "contact" and a.unit and a.cell and a.id not in ledger.undone
    }
    touched |= set(ledger.extensions)
    out: dict[tuple[str, str], str] = {}
    for unit, column in touched:
        if (unit, column) not in board.cells:
            continue
        trace = cell_trace(board, ledger, unit, column)
        if trace:
            out[(unit, column)] = trace
    return out


def recommended_cells(
    board: Board,
    ledger: Ledger,
    prev: frozenset[tuple[str, str]] | None = None,
    units: Collection[str] | None = None,
) -> frozenset[tuple[str, str]]:
    """The cells holding a file recommended upward (★) that counts there.

    With `prev` (the answer for the board before, under the same recommendations) and `units`
    (the units an arrival had judged again since), only those units' cells are looked at
    again: an arrival on a province's board does not walk every file."""
    rec = ledger.recommended
    if not rec:
        return frozenset()
    if prev is not None and units is not None:
        out = {cell for cell in prev if cell[0] not in units}
        for unit in units:
            for column in board.event.columns:
                if any(
                    _counts_recommended(p, rec, unit, column)
                    for p in board.by_cell.get((unit, column), ())
                ):
                    out.add((unit, column))
        return frozenset(out)
    return frozenset(
        (c.unit, c.cell)
        for p in board.placed
        if p.material.path in rec and not p.superseded
        for c in p.credits
        if c.duplicate_of is None
    )


def _counts_recommended(p: Placed, rec: Mapping[str, object], unit: str, column: str) -> bool:
    if p.material.path not in rec or p.superseded:
        return False
    return any(c.unit == unit and c.cell == column and c.duplicate_of is None for c in p.credits)


def promise_times(ledger: Ledger) -> list[dt.datetime]:
    """Every promised moment in force: a cell's mark changes by itself when one passes."""
    out = []
    for a in ledger.actions:
        raw = a.data.get("promised_by")
        if a.type == "contact" and raw and a.id not in ledger.undone:
            out.append(dt.datetime.fromisoformat(raw))
    return out
