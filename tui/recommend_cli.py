"""`weekwatch recommend PATH… [--note TEXT]` and `recommend --undo PATH…`: marking the best.

The mark is an operator action (store/week.py `recommend`, `unrecommend`): in the action log,
seen by every dashboard, taken back by `weekwatch undo`."""

from __future__ import annotations

import argparse

from weekwatch.store.ingest import display_path
from weekwatch.store.ledger import marked_paths
from weekwatch.store.week import Week
from weekwatch.widgets.safe import safe_str


def _printed(path: str) -> str:
    return safe_str(display_path(path))


def recommend(week: Week, args: argparse.Namespace) -> int:
    if args.undo and args.note:
        from weekwatch.store.model import WeekwatchError

        raise WeekwatchError("recommend --undo takes no --note", tag="undo_note")
    paths = [week.resolve_path(p, _printed) for p in args.path]
    if args.undo:
        a = week.unrecommend(paths, operator=args.operator)
    else:
        a = week.recommend(paths, args.note, operator=args.operator)
    files = marked_paths(a)
    for path in files:
        print(f"{'☆' if args.undo else '★'} {_printed(path)}")
    from .i18n_done import done

    lang = getattr(args, "lang", None) or week.event.lang
    note = a.data.get("note")
    note = done("done.recommend_note", lang, note=safe_str(note)) if note else ""
    print(safe_str(done(f"done.{a.type}", lang, n=len(files), note=note, id=a.id)))
    return 0
