"""The action log folded into what is in force: excuses, extensions, assignments, history.

Pure: no I/O. An action is never removed from the log; an `undo` action takes back an earlier
one (and undoing an undo puts its target back in force). A file has at most one placing
decision in force: a later `assign` or `dismiss` of the same path replaces the earlier one
(which the log then shows as replaced, not in force), and undoing the later puts the earlier
back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .model import Action, WeekwatchError
from .values import field, value

#: Actions that decide where a file goes; one per path is in force.
PLACING = frozenset({"assign", "dismiss"})


def assigned_units(a: Action) -> tuple[str, ...]:
    """The units an assignment credits (a joint file credits each of them)."""
    units = a.data.get("units")
    if units:
        return tuple(units)
    return (a.unit,) if a.unit else ()


def assigned_cells(a: Action) -> tuple[str, ...]:
    """The cells an assignment credits (a file covering two days credits both)."""
    cells = a.data.get("cells")
    if cells:
        return tuple(cells)
    return (a.cell,) if a.cell else ()


def marked_paths(a: Action) -> tuple[str, ...]:
    """The files a recommend or unrecommend action names (one key on a cell marks them all)."""
    paths = a.data.get("paths")
    if paths:
        return tuple(paths)
    return (a.data["path"],) if a.data.get("path") else ()


def assigned_received(a: Action) -> dt.datetime | None:
    """The arrival time an operator gave the file (`assign --received`), if any."""
    received = a.data.get("received")
    return dt.datetime.fromisoformat(received) if received else None


@value(frozen=False)
class Ledger:
    """What the operators' decisions amount to at one moment."""

    excuses: dict[tuple[str, str], Action] = field(default_factory=dict)
    extensions: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)
    assignments: dict[str, Action] = field(default_factory=dict)  # by material path
    dismissals: dict[str, Action] = field(default_factory=dict)  # by material path
    actions: list[Action] = field(default_factory=list)  # every action up to the moment
    undone: set[str] = field(default_factory=set)
    replaced: dict[str, str] = field(default_factory=dict)  # action id → the id replacing it
    #: The files marked as the best (择优推荐), by material path → the recommend in force.
    recommended: dict[str, Action] = field(default_factory=dict)

    def recommend_note(self, path: str) -> str | None:
        """The note of a recommended file ("" without one); None if it is not recommended."""
        a = self.recommended.get(path)
        return None if a is None else str(a.data.get("note") or "")

    def history(self, unit: str, cell: str | None = None) -> list[Action]:
        """A unit's actions (or one cell's, plus the unit's cell-less notes), oldest first."""
        out = []
        for a in self.actions:
            if a.type == "assign":
                units, cells = assigned_units(a), assigned_cells(a)
                if unit in units and (cell is None or cell in cells):
                    out.append(a)
            elif a.unit == unit and (cell is None or a.cell in (cell, None)):
                out.append(a)
        return out

    def in_force(self, action_id: str) -> bool:
        return action_id not in self.undone and action_id not in self.replaced

    def last_undoable(self, operator: str | None = None) -> Action | None:
        """The newest action still in force that an undo would take back."""
        for a in reversed(self.actions):
            if a.type == "undo" or a.id in self.undone:
                continue
            if operator is None or a.operator == operator:
                return a
        return None

    def batch(self, action: Action) -> list[Action]:
        """The actions recorded together with `action` on several marked rows, still in force
        (itself alone when it was not one of a batch): an undo takes them back as one."""
        tag = action.data.get("batch")
        if not tag:
            return [action]
        return [
            a
            for a in self.actions
            if a.data.get("batch") == tag and a.type != "undo" and a.id not in self.undone
        ] or [action]

    def last_redoable(self, operator: str | None = None) -> Action | None:
        """The newest undo (not itself a redo) still in force that a redo would take back —
        only while the operator has recorded nothing new since (a new action ends the redo)."""
        for a in reversed(self.actions):
            if operator is not None and a.operator != operator:
                continue
            if a.type != "undo":
                return None  # something new since the undos: nothing to redo
            if a.id not in self.undone and not a.data.get("redo"):
                return a
        return None

    def find(self, text: str) -> Action:
        """An action by its id, or by a prefix of it (or of its random tail) naming only one."""
        text = text.strip()
        exact = [a for a in self.actions if a.id == text]
        if exact:
            return exact[0]
        hits = [
            a
            for a in self.actions
            if text and (a.id.startswith(text) or a.id.partition("-")[2].startswith(text))
        ]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise WeekwatchError(
                f"no action with id {text!r} (see `weekwatch log`)", tag="no_action", text=text
            )
        ids = ", ".join(a.id for a in hits[:5]) + (", …" if len(hits) > 5 else "")
        raise WeekwatchError(
            f"{text!r} names {len(hits)} actions ({ids}): give more of the id",
            tag="several_actions",
            text=text,
            n=len(hits),
            ids=ids,
        )


def fold(actions: Iterable[Action], as_of: dt.datetime | None = None) -> Ledger:
    """Fold the log (any order) into the ledger in force at `as_of` (default: all of it)."""
    log = sorted((a for a in actions if as_of is None or a.at <= as_of), key=lambda a: (a.at, a.id))
    by_id = {a.id: a for a in log}
    # An undo only ever targets an earlier action, so walking back from the newest settles
    # every undo before its own target is looked at (an undone undo takes nothing back).
    undone: set[str] = set()
    for a in reversed(log):
        if a.type != "undo" or a.id in undone:
            continue
        # `targets`: an undo of a batch (several marked rows) takes all of it back as one.
        for target in a.data.get("targets") or [a.data.get("target")]:
            if target in by_id:
                undone.add(target)

    ledger = Ledger(actions=log, undone=undone)
    placing: dict[str, Action] = {}  # the one placing decision in force per path
    for a in log:
        if a.id in undone:
            continue
        if a.type == "excuse" and a.unit and a.cell:
            ledger.excuses[(a.unit, a.cell)] = a
        elif a.type == "extend" and a.unit and a.cell:
            ledger.extensions[(a.unit, a.cell)] = dt.datetime.fromisoformat(a.data["until"])
        elif a.type == "recommend":
            # A later mark of the same file replaces the earlier one's note; undoing the later
            # puts the earlier back, since the undone one is skipped in this walk.
            for path in marked_paths(a):
                ledger.recommended[path] = a
        elif a.type == "unrecommend":
            for path in marked_paths(a):
                ledger.recommended.pop(path, None)
        elif a.type in PLACING and a.data.get("path"):
            path = a.data["path"]
            earlier = placing.get(path)
            if earlier is not None:
                # Re-assigning corrects the earlier decision; it never adds to it in silence
                # (a joint file is one assignment naming several units).
                ledger.replaced[earlier.id] = a.id
            placing[path] = a
    for path, a in placing.items():
        (ledger.assignments if a.type == "assign" else ledger.dismissals)[path] = a
    return ledger
