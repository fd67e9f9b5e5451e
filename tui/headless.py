"""What the headless commands print for people: `status`, `materials`, `log`, `units list`.

In the operator's language (`--lang`, else `lang` in weekwatch.toml, else English); times in
the event's zone, to the second; names, not ids. `--json` output is the stable shape of
store/reports.py and speaks no language. No Textual here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from weekwatch.store.inbox_walk import display_path, spelled
from weekwatch.store.ledger import Ledger, assigned_cells, assigned_units
from weekwatch.store.model import STATES, Action, Event, WeekwatchError
from weekwatch.store.report_actions import what
from weekwatch.store.week import Week
from weekwatch.widgets.look import symbols
from weekwatch.widgets.safe import safe_str

# `log` and `units list` need neither the cell rules nor Rich: those are imported where a
# board is printed.
from .i18n import I18n, column_name

if TYPE_CHECKING:
    from weekwatch.store.rules import Cells

#: The order a summary counts states in.
SUMMARY_STATES = ("on_time", "late", "due", "missing", "excused")


def output_lang(week: Week, args: argparse.Namespace) -> I18n:
    return I18n(getattr(args, "lang", None) or week.event.lang or "en")


def print_json(obj: object) -> None:
    # Paths off a non-UTF-8 disk carry lone surrogates, which no terminal encoding takes.
    json.dump(spelled(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_json_lined(doc: dict, many: str) -> None:
    """A document whose list `many` is long (2,000 units): each field on a line, each item of
    the list on a line of its own, through the C encoder (indenting is pure Python)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    parts = [f"  {dumps(k)}: {dumps(v)}" for k, v in doc.items() if k != many]
    items = ",\n".join(f"    {dumps(item)}" for item in doc[many])
    parts.append(f"  {dumps(many)}: [\n{items}\n  ]" if items else f"  {dumps(many)}: []")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an undecodable byte): spelled \\xNN
        print_json(doc)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# --- status ---------------------------------------------------------------------------------


def column_arg(text: str, event: Event, now_board: Cells) -> str:
    """`--column`: a cell as the grid labels it (`today`/`今天`, `05-14`, `方案`, `第3天`…),
    read by the one input vocabulary (store/vocab.py); `today` is the day of `--as-of`."""
    from weekwatch.store.vocab import parse_cell

    from .view import today_column

    if text.strip().lower() in ("today", "今天") and today_column(event, now_board.now) is None:
        when = now_board.now.astimezone(event.tz)
        raise WeekwatchError(
            f"--column {text}: {when:%Y-%m-%d} is not a day of the week "
            f"({event.start:%Y-%m-%d} – {event.end:%Y-%m-%d})",
            tag="not_a_day",
            text=text,
            when=f"{when:%Y-%m-%d}",
            start=f"{event.start:%Y-%m-%d}",
            end=f"{event.end:%Y-%m-%d}",
        )
    try:
        return parse_cell(text, event, now_board.now)
    except WeekwatchError as e:
        raise WeekwatchError(f"--column: {e}", tag="flag", flag="--column", error=e) from None


def print_status(week: Week, board: Cells, args: argparse.Namespace) -> int:
    only = states(args.only)
    column = column_arg(args.column, board.event, board) if args.column else None
    if args.json:
        from weekwatch.store.reports import status_json

        doc = status_json(board, None if column else only)
        if column:
            # Only the units whose cell in that column is in one of the states asked for.
            doc["units"] = [
                u for u in doc["units"] if not only or u["cells"][column]["state"] in only
            ]
        if args.actions != "until":
            # Said only when not the default, so the JSON of a plain look back is as it was.
            doc["actions"] = args.actions
        print_json_lined(doc, "units")
        return 0
    from rich.console import Console

    from .status_table import print_status_table

    t = output_lang(week, args)
    print_status_table(Console(), board, only, args.actions, t, column)
    sys.stdout.flush()
    # Plain print: one line however wide, for a cron mail or a chat message.
    print(safe_str(summary_line(board, column, t)), flush=True)
    return 0


def states(text: str | None) -> frozenset[str] | None:
    """`--only`: the states named, checked."""
    only = frozenset(s.strip() for s in text.split(",") if s.strip()) if text else None
    if only and not only <= set(STATES):
        bad = ", ".join(sorted(only - set(STATES)))
        raise WeekwatchError(
            f"--only: unknown state {bad}; the states are {', '.join(STATES)}",
            tag="unknown_state",
            bad=bad,
            states=", ".join(STATES),
        )
    return only


def summary_line(board: Cells, column: str | None, t: I18n) -> str:
    """One line: the column asked for (else today's) by state; outside the week, every cell."""
    from .view import today_column

    ev = board.event
    column = column or today_column(ev, board.now)
    if column is not None:
        counts = board.totals(column)
        owing = board.owing(column)
        label = column_name(column, t)
        if column == today_column(ev, board.now):
            label = t("cli.today_label", col=label)
        return t("cli.summary", col=label, counts=_counts(counts, t), n=owing)
    total: Counter[str] = Counter()
    for c in ev.columns:
        total.update(board.totals(c))
    cells = sum(n for s, n in total.items() if s != "not_required")
    return t("cli.summary_week", counts=_counts(total, t), n=cells)


def _counts(counts: Counter[str], t: I18n) -> str:
    sym = symbols()
    return " · ".join(f"{counts.get(s, 0)} {sym[s]} {t(f'state.{s}')}" for s in SUMMARY_STATES)


# --- materials ------------------------------------------------------------------------------


def print_materials(week: Week, args: argparse.Namespace) -> int:
    if args.json:
        # Kept between processes (store/board_cache.py); one record a line, as it was placed.
        sys.stdout.flush()
        week.print_material_rows(sys.stdout.buffer, waiting_only=args.quarantine)
        sys.stdout.buffer.flush()
        return 0
    placed = week.placed()
    if args.quarantine:
        placed = [p for p in placed if p.waiting]
    from weekwatch.store.reports import materials_json

    rows = materials_json(placed, week.ledger().recommended)
    t = output_lang(week, args)
    names = {u.id: u.name for u in week.units()}
    for p, r in zip(placed, rows, strict=True):
        print(safe_str(material_line(r, t.reason(p.quarantine), week.event, names, t)))
    return 0


def material_line(r: dict, reason: str, event: Event, names: dict[str, str], t: I18n) -> str:
    """`2024-05-13 10:00:00  舞钢市/…/典型案例.docx  →  舞钢市教育体育局 05-13 [case]`."""
    credits = r["credits"]
    if r.get("dismissed") is not None:
        where = t("cli.dismissed", reason=r["dismissed"])
    elif r["quarantine"]:
        where = t("cli.quarantine", reason=reason)
    elif credits:
        where = ", ".join(_cell(c["unit"], c["cell"], names, t) for c in credits)
    else:
        where = _cell(r["unit"], r["cell"], names, t)
    flags = [t("cli.late")] * r["late"] + [t("cli.gone")] * bool(r.get("gone"))
    if r.get("until"):
        flags.append(t("cli.until", day=r["until"]))  # a range: counted for its first day
    if r["duplicate_of"]:
        flags.append(t("cli.duplicate", path=r["duplicate_of"]))
    if r["assigned"]:
        flags.append(t("cli.assigned"))
    if r.get("recommended"):  # chosen as the best (择优推荐)
        flags.append("★" + (f" {r['recommend_note']}" if r["recommend_note"] else ""))
    versions = r["versions"]
    if r.get("superseded"):
        flags.append(t("cli.superseded"))
    elif len(versions) > 1:
        first = _local(r["first_received_at"], event)
        flags.append(t("cli.version", n=len(versions), first=first))
    if r["judged_at"] not in (r["received_at"], r["first_received_at"]):
        flags.append(t("cli.by_operator", when=_local(r["judged_at"], event)))
    kind = r["kind"] if t.lang == "en" else t(f"kind.{r['kind']}")
    tail = "".join(f" {f}" for f in flags)
    return f"{_local(r['received_at'], event)}  {r['path']}  →  {where} [{kind}]{tail}"


def _cell(unit: str | None, cell: str | None, names: dict[str, str], t: I18n) -> str:
    name = names.get(unit or "", unit or "—")
    return f"{name} {column_name(cell, t)}" if cell else name


def _local(iso: str, event: Event) -> str:
    import datetime as dt

    return f"{dt.datetime.fromisoformat(iso).astimezone(event.tz):%Y-%m-%d %H:%M:%S}"


# --- log ------------------------------------------------------------------------------------


def print_log(week: Week, args: argparse.Namespace) -> int:
    ledger = week.ledger()
    if args.json:
        rows = [
            dict(
                a.to_dict(),
                id=a.id,
                undone=a.id in ledger.undone,
                replaced_by=ledger.replaced.get(a.id),
            )
            for a in ledger.actions
        ]
        print_json(rows)
        return 0
    t = output_lang(week, args)
    names = {u.id: u.name for u in week.units()}
    for line in log_lines(ledger, week.event, names, t):
        print(safe_str(display_path(line)))
    return 0


def log_lines(ledger: Ledger, event: Event, names: dict[str, str], t: I18n) -> Iterable[str]:
    """`2024-05-14 09:12:33  小王  宝丰县教育体育局 05-14  excused: 停电  [a1b2c3d4]`."""
    by_id = {a.id: a for a in ledger.actions}
    for a in ledger.actions:
        when = f"{a.at.astimezone(event.tz):%Y-%m-%d %H:%M:%S}"
        where = _where(a, names, t)
        words = _words(a, by_id, names, event, t)
        line = "  ".join(part for part in (when, a.operator, where, words) if part)
        if a.id in ledger.undone:
            line += "  " + t("log.undone")
        if ledger.replaced.get(a.id):
            line += "  " + t("log.replaced", id=ledger.replaced[a.id])
        yield f"{line}  [{a.id}]"


def _where(a: Action, names: dict[str, str], t: I18n) -> str:
    if a.type == "assign":
        units, cells = assigned_units(a), assigned_cells(a)
    else:
        units = (a.unit,) if a.unit else ()
        cells = (a.cell,) if a.cell else ()
    shown = [names.get(u, u) for u in units]
    if a.type != "undo":
        shown += [column_name(c, t) for c in cells if c]
    return " ".join(shown)


def _words(
    a: Action, by_id: dict[str, Action], names: dict[str, str], event: Event, t: I18n
) -> str:
    d = a.data
    if a.type == "extend":
        return t("log.extend", what=_moment(d.get("until"), event))
    if a.type == "contact":
        text = t("log.contact", what=d.get("text") or "")
        if d.get("promised_by"):
            text += "  " + t("log.promised", when=_moment(d["promised_by"], event))
        return text
    if a.type == "undo":
        target = by_id.get(str(d.get("target") or ""))
        if target is None:
            return t("log.undo", what=d.get("target") or "")
        whom = _where(target, names, t)
        return t("log.undo", what=f"{t('log.' + target.type + '.name')} {whom} [{target.id}]")
    return t(f"log.{a.type}", what=what(a))


def _moment(iso: object, event: Event) -> str:
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{moment.astimezone(event.tz):%Y-%m-%d %H:%M}"


# --- units list -----------------------------------------------------------------------------


def print_units(week: Week, args: argparse.Namespace, header: bool = False) -> int:
    units = week.units()
    if args.json:
        print_json([u.to_dict() for u in units])
        return 0
    if header:
        print(output_lang(week, args)("cli.units_header"))
    for u in units:
        values = (u.id, u.name, "、".join(u.aliases), u.type, u.region)
        liaison = (u.liaison_name, u.liaison_phone, u.liaison_email)
        # Each field made safe on its own: the tabs between them are real tabs.
        print("\t".join(safe_str(v) for v in (*values, *liaison)))
    return 0
