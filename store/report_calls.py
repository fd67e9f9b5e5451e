"""The call list (`weekwatch report calls`): whom to phone, worst first, with the liaison and
what was already tried. Pure: computed from the judged board and the ledger at one moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .ledger import Ledger
from .model import Action, State
from .report_cells import current_column, lateness, minutes
from .rules import Board, deadline, owed_columns, requires

#: The cell states that put a unit on the call list.
CALLED = frozenset({State.MISSING, State.LATE})


@dataclass(frozen=True)
class Contact:
    at: dt.datetime
    operator: str
    cell: str | None
    text: str
    promised_by: dt.datetime | None
    overdue: bool  # promised by a moment now past, and the cell still not sent


@dataclass(frozen=True)
class Call:
    unit: str
    name: str
    liaison: str
    phone: str
    email: str
    cell: str
    state: State
    missing_week: int  # how many of the unit's cells are missing this week
    late_minutes: int | None  # this cell's lateness, if late
    deadline: dt.datetime
    lacking: tuple[str, ...]  # required kinds not arrived (("any",): nothing at all)
    sent: tuple[str, ...]  # required kinds that did arrive (a half-sent cell)
    contacts: tuple[Contact, ...]

    @property
    def promise_overdue(self) -> bool:
        return any(c.overdue for c in self.contacts)


def _contacts(ledger: Ledger, unit: str, cell: str, now: dt.datetime, open_: bool) -> list[Contact]:
    out = []
    for a in ledger.history(unit, cell):
        if a.type != "contact" or a.id in ledger.undone or a.at > now:
            continue
        out.append(_contact(a, now, open_))
    return out


def _contact(a: Action, now: dt.datetime, open_: bool) -> Contact:
    raw = a.data.get("promised_by")
    by = dt.datetime.fromisoformat(raw) if raw else None
    return Contact(
        a.at, a.operator, a.cell, a.data.get("text", ""), by, bool(by and by < now and open_)
    )


def calls_column(board: Board) -> str:
    """The column a call is about: the current one, or where the week asks nobody for it (a
    ministry's week sends day materials "及时", with no deadline), the last column before it
    that is owed — the plan during the week — else the first owed after it."""
    ev = board.event
    col = current_column(board)
    owed = owed_columns(ev)
    if col in owed or not owed:
        return col
    at = ev.columns.index(col)
    before = [c for c in owed if ev.columns.index(c) < at]
    return before[-1] if before else owed[0]


def calls(board: Board, ledger: Ledger, cell: str | None = None) -> list[Call]:
    """The units whose `cell` (default: `calls_column`) is missing or late, worst first:
    most cells missing this week, then a missing cell before a late one, the later first."""
    ev = board.event
    col = cell or calls_column(board)
    rows: list[tuple[tuple[Any, ...], Call]] = []
    for i, u in enumerate(board.units):
        s = board.cell(u.id, col)
        if s.state not in CALLED:
            continue
        due = deadline(ev, col, ledger.extensions.get((u.id, col)))
        late = minutes(lateness(board, u.id, col, due))
        missing = sum(1 for c in ev.columns if board.cell(u.id, c).state == State.MISSING)
        sent = tuple(k for k in requires(ev, col) if k not in s.lacking) if s.need else ()
        row = Call(
            u.id,
            u.name,
            u.liaison_name,
            u.liaison_phone,
            u.liaison_email,
            col,
            s.state,
            missing,
            late,
            due,
            s.lacking,
            sent,
            tuple(_contacts(ledger, u.id, col, board.now, s.state == State.MISSING)),
        )
        worse = 0 if s.state == State.MISSING else 1
        rows.append(((-missing, worse, -(late or 0), i), row))
    rows.sort(key=lambda r: r[0])
    return [r for _, r in rows]


def calls_json(board: Board, cell: str, rows: list[Call]) -> dict[str, Any]:
    tz = board.event.tz
    return {
        "as_of": board.now.astimezone(tz).isoformat(),
        "cell": cell,
        "units": [
            {
                "id": r.unit,
                "name": r.name,
                "liaison": r.liaison,
                "phone": r.phone,
                "email": r.email,
                "cell": r.cell,
                "state": r.state.value,
                "missing_this_week": r.missing_week,
                "late_minutes": r.late_minutes,
                "deadline": r.deadline.astimezone(tz).isoformat(),
                "lacking": list(r.lacking),
                "sent": list(r.sent),
                "promise_overdue": r.promise_overdue,
                "contacts": [
                    {
                        "at": c.at.astimezone(tz).isoformat(),
                        "operator": c.operator,
                        "cell": c.cell,
                        "text": c.text,
                        "promised_by": c.promised_by.astimezone(tz).isoformat()
                        if c.promised_by
                        else None,
                        "overdue": c.overdue,
                    }
                    for c in r.contacts
                ],
            }
            for r in rows
        ],
    }
