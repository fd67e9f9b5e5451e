"""Re-reading what waits: after the roster or the week's dates change, files are read again.

Pure: records, a reading function and the ledger in; the records to write and what changed out.
Every quarantined file and every file the reading rules placed is read again *as of its first
arrival* (a file read today would otherwise land on today); a file an operator assigned is left
as assigned — a re-read never undoes an operator's decision. A dismissed file is read again
too, but stays dismissed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from .ingest import first_arrivals
from .ledger import Ledger
from .model import Event, Material, Reading, Unit
from .reasons import Code

#: Reasons the reading rules give from a file's path: a re-read may change them. Any other
#: reason is about the file itself (its size, its type) and stays, whatever the roster says.
READ_CODES = frozenset(
    {
        Code.NO_UNIT,
        Code.ONLY_INSIDE,
        Code.SHARED_START,
        Code.TWO_UNITS,
        Code.MANY_UNITS,
        Code.AFTER_OTHER,
        Code.DATE_OUTSIDE,
        Code.OTHER_YEAR,
        Code.DAY_OUTSIDE,
        Code.WEEKDAY_OUTSIDE,
        Code.ARRIVED_OUTSIDE,
        Code.LEGACY,  # prose from before codes; an empty file's prose was converted to EMPTY
    }
)
#: Reasons about the file itself (or about what holds it), never re-read: every code is in
#: one set or the other (tests/test_reread.py checks), so a new code is a decision.
FILE_CODES = frozenset(
    {
        Code.EMPTY,
        Code.SYMLINK,
        Code.FIFO,
        Code.SOCKET,
        Code.DEVICE,
        Code.UNREADABLE,
        Code.FOLDER_UNREADABLE,
        Code.ARCHIVE_UNSUPPORTED,
        Code.ZIP_UNREADABLE,
        Code.ZIP_CORRUPT,
        Code.ZIP_ENCRYPTED,
        Code.ZIP_METHOD,
        Code.ZIP_TOO_MANY,
        Code.ZIP_TOO_BIG,
        Code.ZIP_BOMB,
        Code.ZIP_EMPTY,
        Code.UNREADABLE_INSIDE,
        Code.MAIL_UNITS,  # decided for an e-mail's files together, when it is read whole
    }
)


@dataclass(frozen=True)
class Change:
    """One file that reads differently now."""

    before: Material
    after: Material
    dismissed: bool = False  # the operator dismissed it: it stays out whatever it reads as

    @property
    def what(self) -> str:
        """`placed`, `quarantined`, `moved` (another unit), `recelled` (another column, kind
        or range of days) or `reason` (still in quarantine, for another reason)."""
        b, a = self.before, self.after
        if b.quarantine is not None and a.quarantine is None:
            return "placed"
        if b.quarantine is None and a.quarantine is not None:
            return "quarantined"
        if a.quarantine is not None:
            return "reason"
        if b.unit != a.unit:
            return "moved"
        return "recelled"


@dataclass(frozen=True)
class Reread:
    """What a re-read found: the changed files, and how many files it left to the operators."""

    changes: tuple[Change, ...]
    read: int  # files read again
    kept_assigned: int  # files an operator assigned: left as they are

    @property
    def records(self) -> list[Material]:
        return [c.after for c in self.changes]


def reread(
    materials: Iterable[Material],
    read: Callable[[Material, dt.datetime], Reading | None],
    ledger: Ledger,
) -> Reread:
    """Read again every current record the reading rules decided, as of its first arrival.

    `read` reads one record's path (None: it cannot be read on its own, e.g. an e-mail's
    attachment, whose sender decides; it is left as it is)."""
    mats = list(materials)
    firsts = first_arrivals(mats)
    changes: list[Change] = []
    n = kept = 0
    for m in mats:
        if m.superseded:
            continue
        if m.path in ledger.assignments:
            kept += 1
            continue
        if m.quarantine is not None and not set(m.quarantine.codes) <= READ_CODES:
            continue
        r = read(m, firsts.get(m.path, m.received_at))
        if r is None:
            continue
        n += 1
        after = replace(
            m, unit=r.unit, kind=r.kind, cell=r.cell, quarantine=r.quarantine, until=r.until
        )
        if (after.unit, after.kind, after.cell, after.until, after.quarantine) != (
            m.unit,
            m.kind,
            m.cell,
            m.until,
            m.quarantine,
        ):
            changes.append(Change(m, after, dismissed=m.path in ledger.dismissals))
    return Reread(tuple(changes), n, kept)


def read_with(event: Event, units: Sequence[Unit]) -> str:
    """A fingerprint of what the reading rules read with: the week and the roster's names.

    Stored after each ingest or re-read; when it differs, what waits is read again.
    """
    roster = sorted((u.id, u.name, sorted(u.aliases)) for u in units)
    text = json.dumps([repr(event), roster], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
