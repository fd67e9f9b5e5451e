"""The action log folded into what is in force: excuses, extensions, assignments, history.

Pure: no I/O. An action is never removed from the log; an `undo` action takes back an earlier
one (and undoing an undo puts its target back in force).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Action


@dataclass
class Ledger:
    """What the operators' decisions amount to at one moment."""

    excuses: dict[tuple[str, str], Action] = field(default_factory=dict)
    extensions: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)
    assignments: dict[str, Action] = field(default_factory=dict)  # by material path
    actions: list[Action] = field(default_factory=list)  # every action up to the moment
    undone: set[str] = field(default_factory=set)

    def history(self, unit: str, cell: str | None = None) -> list[Action]:
        """A unit's actions (or one cell's, plus the unit's cell-less notes), oldest first."""
        return [
            a for a in self.actions if a.unit == unit and (cell is None or a.cell in (cell, None))
        ]

    def last_undoable(self, operator: str | None = None) -> Action | None:
        """The newest action still in force that an undo would take back."""
        for a in reversed(self.actions):
            if a.type == "undo" or a.id in self.undone:
                continue
            if operator is None or a.operator == operator:
                return a
        return None


def fold(actions: Iterable[Action], as_of: dt.datetime | None = None) -> Ledger:
    """Fold the log (any order) into the ledger in force at `as_of` (default: all of it)."""
    log = sorted((a for a in actions if as_of is None or a.at <= as_of), key=lambda a: (a.at, a.id))
    by_id = {a.id: a for a in log}
    # An undo only ever targets an earlier action, so walking back from the newest settles
    # every undo before its own target is looked at (an undone undo takes nothing back).
    undone: set[str] = set()
    for a in reversed(log):
        target = a.data.get("target")
        if a.type == "undo" and a.id not in undone and target in by_id:
            undone.add(target)

    ledger = Ledger(actions=log, undone=undone)
    for a in log:
        if a.id in undone:
            continue
        if a.type == "excuse" and a.unit and a.cell:
            ledger.excuses[(a.unit, a.cell)] = a
        elif a.type == "extend" and a.unit and a.cell:
            ledger.extensions[(a.unit, a.cell)] = dt.datetime.fromisoformat(a.data["until"])
        elif a.type == "assign" and a.data.get("path"):
            ledger.assignments[a.data["path"]] = a
    return ledger
