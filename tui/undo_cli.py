"""`weekwatch undo` and `weekwatch redo`: take back an action (a batch as one), put it back.

Without an id, `undo` takes back the operator's own newest action; another operator's is taken
back only by its id, so nobody undoes a colleague's decision by accident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from weekwatch.store.inbox_walk import display_path
from weekwatch.store.model import Action, WeekwatchError
from weekwatch.store.week import Week, default_operator
from weekwatch.widgets.safe import safe_str

from .guards import action_text, local, names
from .i18n import I18n
from .i18n_done import done

if TYPE_CHECKING:
    import argparse


def undo(week: Week, args: argparse.Namespace) -> int:
    me = args.operator or default_operator()
    if args.action:
        a = week.undo(args.action, operator=args.operator)
    else:
        ledger = week.ledger()
        mine = ledger.last_undoable(me)
        if mine is None:
            other = ledger.last_undoable()
            if other is None:
                raise WeekwatchError("nothing to undo", tag="nothing_to_undo")
            what, at = _what(week, [other]), local(other.at, week.event.tz)
            raise WeekwatchError(
                f"nothing of {me}'s to undo; the newest action is {other.operator}'s "
                f"({what}, {at}): `weekwatch undo {other.id}` takes it back",
                tag="not_yours",
                me=me,
                other=other.operator,
                what=what,
                what_zh=_what(week, [other], "zh"),
                at=at,
                id=other.id,
            )
        a = week.undo(mine.id, operator=args.operator)
    _said(week, a, _lang(week, args))
    return 0


def redo(week: Week, args: argparse.Namespace) -> int:
    a = week.redo(operator=args.operator)
    _said(week, a, _lang(week, args), "redo")
    return 0


def _lang(week: Week, args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or week.event.lang or "en"


def _what(week: Week, actions: list[Action], lang: str = "en") -> str:
    # Paths off a non-UTF-8 disk carry lone surrogates: spelled as `materials` prints them.
    return safe_str(display_path(action_text(actions, names(week.units()), I18n(lang))))


def _said(week: Week, a: Action, lang: str, word: str = "undo") -> None:
    taken = week.taken_back(a)
    if word == "redo" and taken:
        taken = week.taken_back(taken[0]) or taken  # what the redo puts back
    what = _what(week, taken, lang) if taken else ""
    ids = " ".join(f"[{x.id}]" for x in taken)
    print(safe_str(done(f"done.{word}", lang, what=what, ids=ids, id=a.id)))
    if any(x.data.get("via") == "email" for x in taken):  # the log forgets it; the liaison not
        print(done("done.email_stays", lang))
