"""One workspace opened: its event, roster, store, and the operator actions on it.

This is the store's API for everyone else: the CLI, the watcher and the dashboard read
boards from it and send every operator action through it.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import assigning, kept_board, marks
from .atomic import Stamp, file_stamp
from .config import load_config
from .db import Store
from .ledger import Ledger, fold
from .model import ACTIONS as ACTIONS  # where callers have found it
from .model import Action, ActionType, Event, Material, Reading, Unit, WeekwatchError
from .obligations import unused_groups
from .workspace import Workspace

if TYPE_CHECKING:
    # Imported where used: an operator's one action (`weekwatch note`) needs none of them.
    from .ingest import Ingestor
    from .reading import Reader
    from .reread import Reread
    from .roster_merge import ImportResult
    from .rules import Board, Placed

Clock = Callable[[], dt.datetime]
#: The meta key holding what the files were last read with (see `reread.read_with`).
READ_WITH = "read_with"


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_operator() -> str:
    import getpass  # a terminal's module: only when no operator was named

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container, a cron job without USER)
        return os.environ.get("USER") or "operator"


class Week:
    """The opened workspace. Thread-safe for reads; writes go through the store's lock."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        read_only: bool = False,
        clock: Clock = system_clock,
        actions: str = "until",
    ) -> None:
        if actions not in ACTIONS:
            raise WeekwatchError(f"--actions: '{actions}'; use one of {', '.join(ACTIONS)}")
        self.workspace = workspace
        # Taken before the file is read: a kept board is keyed by the weekwatch.toml it used.
        self._config_stamp = file_stamp(workspace.config)
        #: Which operator decisions a board applies: those recorded until its moment, or all.
        self.actions = actions
        self.config = load_config(workspace.config)
        self.event: Event = self.config.event
        self.read_only = read_only
        self.clock = clock
        self.store = Store(workspace.dbdir, read_only=read_only)
        self._units_cache: tuple[object, tuple[Unit, ...]] | None = None
        self._reader: tuple[Stamp, Reader, str] | None = None

    @property
    def config_stamp(self) -> Stamp:
        """weekwatch.toml's stamp, taken before it was read: what derived data is keyed by."""
        return self._config_stamp

    # --- the roster -------------------------------------------------------------------
    def units(self) -> tuple[Unit, ...]:
        """The roster: imported units, then any declared in weekwatch.toml (which win by id)."""
        stamp = self.store.units_stamp()  # not the whole store's: a note leaves the roster
        if self._units_cache is None or self._units_cache[0] != stamp:
            merged = {u.id: u for u in self.store.units()}
            merged.update((u.id, u) for u in self.config.units)
            self._units_cache = (stamp, tuple(merged.values()))
        return self._units_cache[1]

    def _kept_units(self) -> tuple[Unit, ...] | None:
        """The roster as converted before, if no process has written it since."""
        if self._units_cache is None or self._units_cache[0] != self.store.units_stamp():
            return None
        return self._units_cache[1]

    def unit(self, unit_id: str) -> Unit:
        units = self._kept_units()
        if units is not None:
            for u in units:
                if u.id == unit_id:
                    return u
        else:  # one record made into a Unit, not the whole roster
            for u in reversed(self.config.units):  # weekwatch.toml's win by id, the last one
                if u.id == unit_id:
                    return u
            doc = self.store.unit_record(unit_id)
            if doc is not None:
                return Unit.from_dict({**doc, "id": unit_id})
        raise WeekwatchError(
            f"no unit with id {unit_id!r} (see `weekwatch units list`)", tag="unit_id", id=unit_id
        )

    def find_unit(self, text: str) -> Unit:
        """The unit typed by id, name or alias (`vocab.find_unit`). Before the roster is
        needed whole, it is searched as records and only the unit found made into a `Unit`:
        a script's `weekwatch note …` on a roster of 2,000 builds one."""
        from .vocab import find_named, find_unit

        units = self._kept_units()
        if units is not None:
            return find_unit(units, text)
        toml = {u.id: u for u in self.config.units}  # they win by id, in the roster's place
        entries: list[Unit | tuple[str, dict[str, Any]]] = []
        named: list[tuple[str, str, Sequence[str]]] = []
        for key, doc in self.store.roster():
            u = toml.pop(key, None)
            if u is None:
                entries.append((key, doc))
                named.append((key, doc["name"], doc.get("aliases") or ()))
            else:
                entries.append(u)
                named.append((u.id, u.name, u.aliases))
        for u in toml.values():
            entries.append(u)
            named.append((u.id, u.name, u.aliases))
        found = entries[find_named(named, text)]
        return found if isinstance(found, Unit) else Unit.from_dict({**found[1], "id": found[0]})

    def import_units(
        self,
        path: Path,
        *,
        sheet: str | None = None,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Read a roster file and add or update its units (matched by id, name, then alias).

        The result says what changed (`reading_changed`: the units a quarantined file may name
        now). With `dry_run` nothing is written.
        """
        from .roster import read_sheet
        from .roster_merge import check_known, plan_import

        roster = read_sheet(path, sheet=sheet, mapping=mapping)
        if not roster.entries:
            raise WeekwatchError(
                f"{path}: no units in it (only a header?); nothing was imported",
                tag="no_units",
                path=path,
            )
        if dry_run:
            result = plan_import(self.units(), roster)
            check_known(result)
            return result
        # Planned and written in one transaction: another import cannot slip in between.
        with self.store.transaction():
            self._units_cache = None  # read past the cache: another import may have written
            result = plan_import(self.units(), roster)
            check_known(result)
            self.store.put_units(result.to_write)
        from dataclasses import replace  # an import's value; an action needs no dataclasses

        return replace(result, written=True)

    def warnings(self) -> list[str]:
        """What in weekwatch.toml looks wrong against the roster but is no error: a [groups]
        type no unit has (likely misspelt, so those units owe everything)."""
        if not self.config.groups:
            return []  # nothing to check: the roster is not converted for it
        return unused_groups(self.config.groups, self.units())

    def reader(self) -> Reader:
        """The reading rules for this roster and week (from the index kept beside the roster
        when it is current: no `Unit` is built, no name folded again)."""
        return self._reading()[0]

    def read_with(self) -> str:
        """`reread.read_with` of this week and roster, kept with the reading index."""
        return self._reading()[1]

    def _reading(self) -> tuple[Reader, str]:
        from .reading_index import reader

        stamp = self.store.units_stamp()
        if self._reader is None or self._reader[0] != stamp:
            self._reader = (stamp, *reader(self))
        return self._reader[1], self._reader[2]

    def ingestor(self) -> Ingestor:
        from .ingest import Ingestor

        # The roster's Units only if a zip or an e-mail is met (its senders, its names).
        return Ingestor(
            self.event, self.reader(), self.store, self.workspace.inbox, units=self.units
        )

    # --- reading again what waits -----------------------------------------------------
    def reread(self) -> Reread:
        """Read again every file the reading rules decided (quarantined or placed by them),
        as of its first arrival, and record what reads differently. Assignments stay."""
        from .reread import reread

        with self.store.transaction():  # nobody writes a record between our read and write
            result = reread(self.store.materials(), self._read_again, self.ledger())
            self.store.put_materials(result.records)
            self.store.set_meta(READ_WITH, self.read_with())
        return result

    def _read_again(self, m: Material, arrived: dt.datetime) -> Reading | None:
        """A record's reading by today's roster and week, as ingest would give it."""
        from .composite import MEMBER, Unpacker

        if not m.within:
            return self.reader().read(m.path, arrived)
        outer = m.within[0]
        if len(m.within) == 1 and m.path.startswith(outer + MEMBER):
            # A zip's member: its own name first, the zip's name and folder as fallback.
            inner = m.path[len(outer) + len(MEMBER) :]
            return Unpacker(self.reader(), self.units()).read_inside(inner, outer, arrived)
        return None  # inside an e-mail: read with its sender, when the e-mail is read again

    def reread_if_stale(self) -> Reread | None:
        """Re-read when the roster or the week changed since the files were last read
        (a roster edited in weekwatch.toml, the week's dates moved)."""

        if self.read_only:
            return None
        current = self.read_with()
        stored = self.store.get_meta(READ_WITH)
        if stored == current:
            return None
        if stored is None and not self.store.materials():
            self.store.set_meta(READ_WITH, current)  # nothing read yet: nothing to read again
            return None
        return self.reread()

    def mark_read(self) -> None:
        """Files were just read with the current roster and week (after an ingest)."""
        current = self.read_with()
        if not self.read_only and self.store.get_meta(READ_WITH) != current:
            self.store.set_meta(READ_WITH, current)

    # --- reading the week -------------------------------------------------------------
    def ledger(self, as_of: dt.datetime | None = None) -> Ledger:
        return fold(self.store.actions(), as_of)

    def ledger_at(self, now: dt.datetime, actions: str | None = None) -> Ledger:
        """The decisions a board at `now` applies: `until` = those recorded by then (the board
        exactly as it was), `all` = every one recorded so far (the final figures: an excuse
        recorded on the 19th for a power cut on the 10th counts in a report as of the 17th)."""
        return self.ledger(None if (actions or self.actions) == "all" else now)

    def board(self, now: dt.datetime | None = None, actions: str | None = None) -> Board:
        """Every cell judged at `now` (default: the clock), with the decisions `actions` says
        (default: this Week's, `until` unless opened otherwise)."""
        now = now or self.clock()
        ledger = self.ledger_at(now, actions)
        from .rules import board

        return board(self.event, self.units(), self.store.materials(), ledger, now)

    def placed(self, as_of: dt.datetime | None = None) -> list[Placed]:
        from .rules import place

        return place(self.event, self.store.materials(), self.ledger(as_of), as_of, self.units())

    # --- the kept board: store/kept_board.py's functions, as this Week's methods ---------
    cache_key = kept_board.cache_key
    rows_key = kept_board.rows_key
    written_stamp = kept_board.written_stamp
    kept_cells = kept_board.kept_cells
    cells = kept_board.cells
    keep = kept_board.keep
    print_material_rows = kept_board.print_material_rows
    material_rows = kept_board.material_rows
    keep_rows = kept_board.keep_rows

    # --- operator actions -------------------------------------------------------------
    def _check_cell(self, cell: str) -> str:
        if cell not in self.event.columns:
            cols = ", ".join(self.event.columns)
            raise WeekwatchError(
                f"no column {cell!r}; the columns are {cols}", tag="column", cell=cell, columns=cols
            )
        return cell

    def _record(
        self,
        type_: ActionType | str,
        *,
        operator: str | None,
        unit: str | None = None,
        cell: str | None = None,
        **data: object,
    ) -> Action:
        if self.read_only:
            raise WeekwatchError(
                "this dashboard is read-only: nothing can be recorded", tag="read_only"
            )
        if unit is not None:
            self.unit(unit)
        if cell is not None:
            self._check_cell(cell)
        at = self.clock().astimezone(self.event.tz)
        stamp = f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%S%f}"
        with self.store.transaction():
            # The log is ordered by (at, id): two actions of one moment (a frozen clock, two
            # operators in the same microsecond) keep the order they were recorded in, because
            # the id's tail starts with how many that moment already holds.
            same = sum(1 for key in self.store.action_ids() if key.startswith(stamp + "-"))
            action = Action(
                id=f"{stamp}-{same:02x}{os.urandom(3).hex()}",
                type=ActionType(type_),  # an unknown type fails here, not in a later reader
                operator=operator or default_operator(),
                at=at,
                unit=unit,
                cell=cell,
                data={k: v for k, v in data.items() if v is not None},
            )
            self.store.add_action(action)
        return action

    def excuse(
        self,
        unit: str,
        cell: str,
        reason: str,
        operator: str | None = None,
        *,
        batch: str | None = None,
    ) -> Action:
        """`batch`: the tag (`new_batch()`) shared by the actions taken on several marked rows
        at once, which one undo takes back together."""
        if not reason.strip():
            raise WeekwatchError("an excuse needs a reason", tag="excuse_reason")
        return self._record(
            "excuse", operator=operator, unit=unit, cell=cell, reason=reason, batch=batch
        )

    def extend(
        self,
        unit: str,
        cell: str,
        until: dt.datetime,
        operator: str | None = None,
        *,
        batch: str | None = None,
    ) -> Action:
        if until.tzinfo is None:
            until = until.replace(tzinfo=self.event.tz)
        return self._record(
            "extend", operator=operator, unit=unit, cell=cell, until=until.isoformat(), batch=batch
        )

    def note(
        self, unit: str, text: str, cell: str | None = None, operator: str | None = None
    ) -> Action:
        if not text.strip():
            raise WeekwatchError("a note needs some text", tag="note_text")
        return self._record("note", operator=operator, unit=unit, cell=cell, text=text)

    def contact(
        self,
        unit: str,
        text: str,
        cell: str | None = None,
        *,
        promised_by: dt.datetime | None = None,
        operator: str | None = None,
        via: str | None = None,
        message_id: str | None = None,
        batch: str | None = None,
    ) -> Action:
        """Log a call or message to the unit's liaison and what was promised; a reminder
        e-mailed by weekwatch says `via="email"` and its Message-ID."""
        return self._record(
            "contact",
            operator=operator,
            unit=unit,
            cell=cell,
            text=text,
            promised_by=promised_by.isoformat() if promised_by else None,
            via=via,
            message_id=message_id,
            batch=batch,
        )

    def current(self) -> dict[str, Placed]:
        """Each path's version in force, placed."""
        return {p.material.path: p for p in self.placed() if not p.superseded}

    def resolve_path(self, text: str, printed: Callable[[str], str] | None = None) -> str:
        """A recorded path from what the operator typed: as `materials` prints it (`printed`),
        as `inbox/…`, or as a path (absolute, or from the current folder) inside the inbox."""
        from .ingest import display_path

        known = dict.fromkeys([*self.current(), *self.holders()])
        typed = text.strip()
        tries = [typed, typed.removeprefix("./").removeprefix("inbox/")]
        inside = _inside(self.workspace.inbox, Path(os.path.expanduser(typed)))
        tries += inside
        # Typed from a printed line (undecodable bytes and controls spelled out), or in another
        # Unicode form (a Mac stores 学 decomposed where a keyboard types it composed).
        forms: list[Callable[[str], str]] = [lambda k: k, display_path]
        if printed is not None:
            forms.append(printed)
        forms.append(lambda k: unicodedata.normalize("NFC", display_path(k)))
        for form in forms:
            by_form: dict[str, list[str]] = {}
            for k in known:
                by_form.setdefault(form(k), []).append(k)
            for t in tries:
                hits = by_form.get(form(t) if form is forms[-1] else t, [])
                if len(hits) == 1:
                    return hits[0]
        if Path(typed).is_absolute() and not inside:
            raise WeekwatchError(
                f"{typed!r} is not inside the inbox {self.workspace.inbox}",
                tag="outside_inbox",
                typed=typed,
                inbox=self.workspace.inbox,
            )
        raise WeekwatchError(
            f"no material at {typed!r} (see `weekwatch materials`)", tag="no_material", typed=typed
        )

    def holders(self) -> set[str]:
        """Every e-mail and zip that files were read from (assignable as a whole)."""
        return {w for p in self.current().values() for w in p.material.within}

    # --- placing by hand: store/assigning.py's functions, as this Week's methods ---------------
    assign = assigning.assign
    dismiss = assigning.dismiss

    # --- marking the best (择优推荐): store/marks.py's functions, as this Week's methods --
    recommend = marks.recommend
    unrecommend = marks.unrecommend

    def undo(self, target: str | None = None, operator: str | None = None) -> Action:
        """Take back an action (default: the newest one still in force); `target` is its id or
        a prefix of it that names only one. An action of a batch (several marked rows at once)
        is taken back with the whole batch, as one undo (`data["targets"]`).

        The target is chosen inside the write lock, from the log as it is then: two operators
        undoing at once take back two different actions, never the same one twice.
        """
        if self.read_only:
            raise WeekwatchError(
                "this dashboard is read-only: nothing can be recorded", tag="read_only"
            )
        with self.store.transaction():
            ledger = self.ledger()
            if target is None:
                last = ledger.last_undoable()
                if last is None:
                    raise WeekwatchError("nothing to undo", tag="nothing_to_undo")
            else:
                last = ledger.find(target)
                if last.id in ledger.undone:
                    raise WeekwatchError(
                        f"action {last.id} is already undone", tag="already_undone", id=last.id
                    )
            batch = ledger.batch(last)
            targets = [a.id for a in batch] if len(batch) > 1 else None
            return self._record(
                "undo",
                operator=operator,
                unit=last.unit,
                cell=last.cell,
                target=last.id,
                targets=targets,
            )

    def redo(self, operator: str | None = None) -> Action:
        """Put back what the operator's newest undo took back (an undo of that undo), while
        they have recorded nothing new since."""
        if self.read_only:
            raise WeekwatchError(
                "this dashboard is read-only: nothing can be recorded", tag="read_only"
            )
        who = operator or default_operator()
        with self.store.transaction():
            last = self.ledger().last_redoable(who)
            if last is None:
                raise WeekwatchError("nothing to redo", tag="nothing_to_redo")
            return self._record(
                "undo", operator=who, unit=last.unit, cell=last.cell, target=last.id, redo=True
            )

    def taken_back(self, undo: Action) -> list[Action]:
        """The actions an undo takes (or took) back, oldest first."""
        ids = undo.data.get("targets") or [undo.data.get("target")]
        return [a for a in self.ledger().actions if a.id in ids]


def new_batch() -> str:
    """A tag for actions recorded together on several marked rows."""
    return os.urandom(6).hex()


def _inside(inbox: Path, typed: Path) -> list[str]:
    """The typed path relative to the inbox, if it lies inside it (as written, and with links
    resolved: the inbox may be reached through a symlinked share)."""
    full = typed if typed.is_absolute() else Path.cwd() / typed
    out = []
    for base, target in (
        (os.path.abspath(inbox), os.path.abspath(full)),
        (os.path.realpath(inbox), os.path.realpath(full)),
    ):
        rel = os.path.relpath(target, base)
        if rel != "." and rel != ".." and not rel.startswith(".." + os.sep):
            out.append(rel.replace(os.sep, "/"))
    return out
