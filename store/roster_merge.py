"""A roster file meets a workspace's roster: which unit each row is, what changes. Pure.

Ids are stable: a row is matched to a unit already in the workspace by id, then by name, then
by alias, and a matched unit keeps its id whatever the file says. Only a unit new to the
workspace gets an id: the file's 编号, or one made from the name's pinyin initials.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Unit, WeekwatchError
from .names import Judge
from .roster import Entry, Roster, fold, validate_units
from .unit_names import alias_candidates, infer_type, initials

#: The fields an import can change, in the order a change is told.
UNIT_FIELDS = (
    "id",
    "name",
    "aliases",
    "type",
    "region",
    "liaison_name",
    "liaison_phone",
    "liaison_email",
)
# Judges whether a short name inside another unit's name would be read there as itself.
_WHOLE = Judge({}, ())
#: Fields the reading rules match file names against: a change re-reads the quarantine.
READING_FIELDS = frozenset({"id", "name", "aliases"})


@dataclass(frozen=True)
class Change:
    """One unit's import: as it will be, as it was (None: new), and how it was recognised."""

    unit: Unit
    before: Unit | None
    where: str  # the rows of the file ("row 4", "rows 4–5"); "" for a unit the file lacks
    matched_by: str = ""  # "id", "name", "alias"; "" for a new unit
    fields: tuple[str, ...] = ()  # the fields that change (all for a new unit)

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        return "updated" if self.fields else "unchanged"


@dataclass(frozen=True)
class ImportResult:
    """What importing a roster file does (or, on a dry run, would do) to the workspace."""

    roster: Roster
    changes: tuple[Change, ...]  # the file's units, in file order
    others: tuple[Change, ...] = ()  # units the file lacks whose derived aliases change
    units: tuple[Unit, ...] = ()  # the whole roster afterwards, in roster order
    warnings: tuple[str, ...] = ()  # the file's, then the matching's
    written: bool = False

    def _of(self, kind: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    @property
    def added(self) -> tuple[Change, ...]:
        return self._of("added")

    @property
    def updated(self) -> tuple[Change, ...]:
        return self._of("updated")

    @property
    def unchanged(self) -> tuple[Change, ...]:
        return self._of("unchanged")

    @property
    def to_write(self) -> tuple[Unit, ...]:
        return tuple(c.unit for c in (*self.changes, *self.others) if c.kind != "unchanged")

    @property
    def reading_changed(self) -> tuple[str, ...]:
        """Ids of the units whose id, name or aliases are new: files the reading rules could
        not place before may name them now."""
        return tuple(
            c.unit.id
            for c in (*self.changes, *self.others)
            if c.before is None or READING_FIELDS.intersection(c.fields)
        )


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def _written_aliases(unit: Unit) -> tuple[str, ...]:
    inferred = set(unit.inferred_aliases)
    return tuple(a for a in unit.aliases if a not in inferred)


def plan_import(existing: Sequence[Unit], roster: Roster) -> ImportResult:
    """The units after importing `roster` into a workspace holding `existing` (nothing written)."""
    entries = roster.entries
    matched: dict[int, tuple[Unit, str]] = {}  # entry index -> (existing unit, matched by)
    free = {u.id: u for u in existing}
    warnings: list[str] = list(roster.warnings)

    def match(
        pass_name: str,
        keys_of_entry: Callable[[Entry], list[str]],
        keys_of_unit: Callable[[Unit], list[str]],
    ) -> None:
        index: dict[str, set[str]] = {}
        for u in free.values():
            for k in keys_of_unit(u):
                if k:
                    index.setdefault(k, set()).add(u.id)
        for i, e in enumerate(entries):
            if i in matched:
                continue
            hits: set[str] = set().union(*(index.get(k, set()) for k in keys_of_entry(e) if k))
            hits &= free.keys()
            if len(hits) == 1:
                uid = hits.pop()
                matched[i] = (free.pop(uid), pass_name)
            elif len(hits) > 1:
                names = ", ".join(sorted(hits))
                warnings.append(
                    f"{e.where}: '{e.name}' could be any of the units {names}; "
                    "it is taken as a new unit"
                )

    # By id first, then by name, then by alias: each pass over all rows, so that a later row's
    # exact name is never taken by an earlier row's alias.
    match("id", lambda e: [fold(e.id)], lambda u: [fold(u.id)])
    match("name", lambda e: [_key(e.name)], lambda u: [_key(u.name)])
    match(
        "alias",
        lambda e: [_key(x) for x in (e.name, *e.aliases, *alias_candidates(e.name))],
        lambda u: [_key(x) for x in (u.name, *u.aliases, *alias_candidates(u.name))],
    )

    file_fields = roster.fields
    taken = {u.id.casefold() for u in existing}
    drafts: list[tuple[Unit, Unit | None, Entry | None, str]] = []
    for i, e in enumerate(entries):
        before, how = matched.get(i, (None, ""))
        if before is not None and e.id and fold(e.id) != fold(before.id):
            warnings.append(
                f"{e.where}: 编号 '{e.id}' differs from the id '{before.id}' the workspace "
                f"knows '{before.name}' by; the id is kept (ids never change)"
            )
        if before is not None:
            uid, id_inferred = before.id, "id" in before.inferred
        elif e.id:
            uid, id_inferred = e.id, False
            taken.add(uid.casefold())
        else:
            uid, id_inferred = _new_id(e.name, taken), True
        unit = _merge(uid, id_inferred, e, before, file_fields)
        drafts.append((unit, before, e, how))
    in_file = {d[0].id for d in drafts}
    for u in existing:
        if u.id not in in_file:
            drafts.append((u, u, None, ""))
    # The order of the roster: the workspace's units where they were, new ones after.
    position = {u.id: n for n, u in enumerate(existing)}
    drafts.sort(key=lambda d: position.get(d[0].id, len(position)))
    final = _with_aliases([d[0] for d in drafts], eligible={u.id for u in in_file_units(drafts)})
    locations = [d[2].where if d[2] is not None else "in the workspace" for d in drafts]
    validate_units(final, roster.path, locations)

    changes: dict[str, Change] = {}
    others: list[Change] = []
    for unit, (_, before, entry, how) in zip(final, drafts, strict=True):
        fields = _changed(before, unit)
        if entry is not None:
            changes[unit.id] = Change(unit, before, entry.where, how, fields)
        elif fields:
            others.append(Change(unit, before, "", "", fields))
    ordered = tuple(changes[d[0].id] for d in sorted(drafts, key=_file_order) if d[2])
    return ImportResult(
        roster=roster,
        changes=ordered,
        others=tuple(others),
        units=tuple(final),
        warnings=tuple(warnings),
    )


def in_file_units(
    drafts: Iterable[tuple[Unit, Unit | None, Entry | None, str]],
) -> Iterable[Unit]:
    """The units the file lists, and those whose aliases weekwatch derived before: the units
    whose derived aliases an import may redo. A unit written by hand is left as it is."""
    for unit, before, entry, _ in drafts:
        if entry is not None or (before is not None and before.inferred_aliases):
            yield unit


def _file_order(d: tuple[Unit, Unit | None, Entry | None, str]) -> int:
    return d[2].rows[0] if d[2] is not None else 0


def _new_id(name: str, taken: set[str]) -> str:
    base = initials(name)
    uid = base
    n = 2
    while uid.casefold() in taken:
        uid, n = f"{base}{n}", n + 1
    taken.add(uid.casefold())
    return uid


def _merge(
    uid: str, id_inferred: bool, e: Entry, before: Unit | None, file_fields: frozenset[str]
) -> Unit:
    """The unit as the file says it, with what the file leaves blank kept from before.

    A blank cell or a column the file lacks never erases what the workspace knows: a liaison
    sheet has no region column, and re-importing it must not wipe the regions.
    """
    old = before or Unit(id=uid, name=e.name)
    liaison = "、".join(e.liaison_names) or old.liaison_name
    phone = "; ".join(e.phones) or old.liaison_phone
    email = "; ".join(e.emails) or old.liaison_email
    written = e.aliases if e.aliases else _written_aliases(old)
    inferred: list[str] = ["id"] if id_inferred else []
    if e.type:
        type_ = e.type
    elif before is not None and before.type and "type" not in before.inferred:
        type_ = before.type  # written by an earlier import or by hand: not guessed over
    else:
        type_ = infer_type(e.name)
        if type_:
            inferred.append("type")
    del file_fields  # blank and missing are treated alike (see the docstring)
    return Unit(
        id=uid,
        name=e.name,
        aliases=written,
        type=type_,
        region=e.region or old.region,
        liaison_name=liaison,
        liaison_phone=phone,
        liaison_email=email,
        inferred=tuple(inferred),
    )


def _with_aliases(units: list[Unit], eligible: set[str]) -> list[Unit]:
    """Each eligible unit without written aliases gets derived ones, kept only where they
    name that unit alone.

    A derived alias is dropped when another unit's id, name or alias is it, or holds it
    (潍坊 from 潍坊市教育局 sits inside 潍坊职业学院: a file of the college would be placed
    with the bureau), or when two units would derive it. Held inside a longer name does not
    count — another office of the place (新疆 in 新疆生产建设兵团教育局), an institution's
    name (寿光市 in 寿光市职业教育中心学校, 潍坊 in 潍坊职业学院) —: the reading rules never read
    it there as the place (`names.Judge.whole_in`), and where a file's name goes on after it
    as the other's might (寿光市职教…), they read on (store/names.py) or ask.
    """
    candidates: dict[str, tuple[str, ...]] = {}
    owners: dict[str, set[str]] = {}
    for u in units:
        # A unit with a written 简称 is called what the bureau wrote: nothing is guessed for it.
        if u.id in eligible and not _written_aliases(u):
            cands = tuple(c for c in alias_candidates(u.name) if fold(c) != fold(u.name))
            candidates[u.id] = cands
            for c in cands:
                owners.setdefault(fold(c), set()).add(u.id)
    if not candidates:
        return units
    # Which units' labels hold each candidate: every substring of a label of a candidate's
    # length, looked up in a set (a few million steps for ten thousand units, never a scan of
    # every label for every candidate).
    lengths = {len(k) for k in owners}
    holders: dict[str, set[str]] = {}
    for u in units:
        for label in {fold(x) for x in (u.id, u.name, *_written_aliases(u))}:
            for n in lengths:
                for i in range(len(label) - n + 1):
                    sub = label[i : i + n]
                    if sub in owners and _WHOLE.whole_in(label, i, i + n):
                        holders.setdefault(sub, set()).add(u.id)
    out: list[Unit] = []
    for u in units:
        mine = candidates.get(u.id)
        if mine is None:
            out.append(u)
            continue
        alone = {u.id}
        keep = [
            c for c in mine if owners[fold(c)] == alone and holders.get(fold(c), alone) <= alone
        ]
        written = _written_aliases(u)
        out.append(
            Unit(
                id=u.id,
                name=u.name,
                aliases=(*written, *keep),
                type=u.type,
                region=u.region,
                liaison_name=u.liaison_name,
                liaison_phone=u.liaison_phone,
                liaison_email=u.liaison_email,
                inferred=u.inferred,
                inferred_aliases=tuple(keep),
            )
        )
    return out


def _changed(before: Unit | None, after: Unit) -> tuple[str, ...]:
    if before is None:
        return UNIT_FIELDS
    b, a = before.to_dict(), after.to_dict()
    fields = [f for f in UNIT_FIELDS if b.get(f) != a.get(f)]
    if not fields and (before.inferred, before.inferred_aliases) != (
        after.inferred,
        after.inferred_aliases,
    ):
        fields.append("type" if before.inferred != after.inferred else "aliases")
    return tuple(fields)


def check_known(result: ImportResult) -> None:
    """Raise if nothing in the file was a unit (a wrong sheet, a header that matched by chance)."""
    if not result.changes:
        r = result.roster
        where = f", sheet '{r.sheet}'" if r.sheet else ""
        raise WeekwatchError(
            f"{r.path}{where}: no unit below the header ({r.word} {r.header.row}); "
            f"{len(r.skipped)} rows skipped, {r.blank_rows} blank"
        )
