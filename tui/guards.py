"""What the triage keys ask before they write, and how they say what they did. No Textual.

Pure functions of the week, its board and ledger: whether an extension moves a deadline earlier,
whether an excuse covers a cell already on time, what an undo takes back and whose it is, each
marked unit's own gap for a bulk contact, the units a quarantined file's name suggests, and an
input mistake said in the operator's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from weekwatch.store.ledger import Ledger
from weekwatch.store.model import KINDS, Action, Event, State, Unit
from weekwatch.store.reasons import Code
from weekwatch.store.vocab import InputError, find_unit, in_lang

from .i18n import I18n, column_name

if TYPE_CHECKING:
    from weekwatch.store.rules import Board, Placed

#: A cell worth a call: what a bulk contact is about for each marked unit, worst first.
GAPS = (State.MISSING, State.LATE, State.DUE)
#: The reasons whose `units` argument lists the units a file's name points to.
SUGGESTING = (
    Code.TWO_UNITS,
    Code.MANY_UNITS,
    Code.MAIL_UNITS,
    Code.AFTER_OTHER,
    Code.SHARED_START,  # the bureau 寿光市 is short for, then the schools it begins
)


def say(error: Exception, t: I18n) -> str:
    """An input mistake in the interface language (with this week's examples); any other
    problem as the store words it."""
    if not isinstance(error, InputError) or error.detail:
        return str(error)
    sep = "、" if t.lang == "zh" else ", "
    said = t(
        f"input.{error.code}",
        text=error.text,
        examples=sep.join(in_lang(error.examples, t.lang)),
        candidates="、".join(error.candidates),
    )
    if error.code == "unit" and error.candidates:
        said += t("input.unit_like", candidates="、".join(error.candidates))
    return said


def kind_name(kind: str, t: I18n) -> str:
    """A kind as the form shows it: 照片 under zh (read back by `vocab.parse_kind`), the name
    itself (photo) in English."""
    return t(f"kind.{kind}") if t.lang == "zh" else kind


def kind_names(t: I18n) -> str:
    """Every kind one can type, in the interface language: 活动方案、信息采集表… or plan, …"""
    return ("、" if t.lang == "zh" else ", ").join(kind_name(k, t) for k in KINDS)


def local(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return f"{moment.astimezone(tz):%m-%d %H:%M}"


def earlier_deadline(
    event: Event, ledger: Ledger, unit: str, column: str, until: dt.datetime
) -> dt.datetime | None:
    """The cell's deadline now in force, if `until` would move it earlier (else None)."""
    try:
        from weekwatch.store.rules import deadline  # `weekwatch undo` needs no cell rules

        now_due = deadline(event, column, ledger.extensions.get((unit, column)))
    except AssertionError:  # a column nobody owes has no deadline to move
        return None
    return now_due if until < now_due else None


def on_time(board: Board, units: Iterable[str], column: str) -> list[str]:
    """Those of `units` whose cell in `column` is already on time."""
    return [u for u in units if board.cell(u, column).state == State.ON_TIME]


def own_gap(board: Board, unit: str, column: str | None) -> str | None:
    """The cell a call to `unit` is about: the cursor's column if it is a gap of this unit's,
    else the unit's newest missing cell, then its newest late one; else the cursor's column."""
    if column is not None and board.cell(unit, column).state in GAPS:
        return column
    for state in (State.MISSING, State.LATE):
        for c in reversed(board.event.columns):
            if board.cell(unit, c).state == state:
                return c
    return column


def names(units: Iterable[Unit]) -> dict[str, str]:
    return {u.id: u.name for u in units}


def who(names_: dict[str, str], units: Sequence[str], column: str | None, t: I18n) -> str:
    """`新华区教育体育局 · 05-15`; several units: the first three and how many."""
    text = "、".join(names_.get(u, u) for u in units[:3])
    if len(units) > 3:
        text += t("act.n_units", n=len(units))
    return f"{text} · {column_name(column, t)}" if column else text


def action_text(actions: Sequence[Action], names_: dict[str, str], t: I18n) -> str:
    """What actions (one, or a batch taken back together) are, in words: `免交 新华区… · 05-15`."""
    first = actions[0]
    kind = t(f"act.{first.type}") if f"act.{first.type}" in _known() else str(first.type)
    units = [a.unit for a in actions if a.unit]
    if first.type == "assign":
        units = list(first.data.get("units") or units)
    where = who(names_, units, first.cell, t) if units else ""
    path = first.data.get("path")
    if path:
        where = f"{path} → {where}" if where else path
    if len(actions) > 1 and len(units) <= 3:
        where += t("act.n_units", n=len(actions))
    return f"{kind} {where}".strip()


def _known() -> frozenset[str]:
    from .i18n import keys

    return keys()


def suggested(placed: Placed | None, units: Sequence[Unit]) -> list[str]:
    """The units a quarantined file's name or message points to, as ids, in the order named."""
    if placed is None:
        return []
    out: list[str] = []
    if placed.material.unit:
        out.append(placed.material.unit)
    q = placed.quarantine
    for r in q.reasons if q else ():
        if r.code not in SUGGESTING:
            continue
        args = dict(r.args)
        named: object = args.get("units", ())
        if r.code is Code.SHARED_START:
            others = args.get("others", ())
            named = (str(args.get("unit", "")), *(others if isinstance(others, tuple) else ()))
        for text in named if isinstance(named, tuple) else (named,):
            # "新华区教育体育局 (新华区)": the unit's name, then the words that named it.
            bare = re.sub(r"\s*\([^)]*\)\s*$", "", str(text))
            try:
                uid = find_unit(units, bare).id
            except InputError:
                continue
            if uid not in out:
                out.append(uid)
    if not out and q is not None:
        # No unit named: the units the search finds for the longer name a short one sat in
        # (新疆兵团 → 新疆生产建设兵团教育局), or for the words the file's name begins with
        # (交通行指委 → 全国交通运输职业教育教学指导委员会). Offered first, never taken.
        from weekwatch.store.folding import normalize
        from weekwatch.store.unit_search import rank

        for r in q.reasons:
            words = dict(r.args).get("inside") if r.code is Code.ONLY_INSIDE else None
            if r.code is Code.NO_UNIT:
                lead = _LEADING.match(normalize(placed.material.path.rpartition("/")[2]))
                words = lead.group() if lead else None
            for u in rank(units, str(words), limit=3) if words else ():
                if u.id not in out:
                    out.append(u.id)
    return out


# The words a file's name begins with, before its date, its separators or its keywords.
_LEADING = re.compile(r"[\u3400-\u9fff]{2,12}")
