"""The `weekwatch` command: the dashboard by default, headless commands for scripts and cron.

Every problem the operator can fix ends as one message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from weekwatch.store import vocab
from weekwatch.store.config import check_year, init_workspace
from weekwatch.store.ingest import IngestLock, display_path
from weekwatch.store.ledger import assigned_cells, assigned_units
from weekwatch.store.model import KINDS, WeekwatchError
from weekwatch.store.operators import resolve as resolve_operator
from weekwatch.store.reread import Reread
from weekwatch.store.reread import summary as reread_summary
from weekwatch.store.roster_header import parse_map
from weekwatch.store.week import ACTIONS, Week
from weekwatch.store.workspace import find_workspace
from weekwatch.widgets.safe import safe_str

from . import headless, mailcli, recommend_cli, remindcli, undo_cli
from .report_cli import add_parser as add_report_parser
from .report_cli import run_report

EXIT_USAGE = 2


INIT_EPILOG = """\
deadlines, written as the notices say them (every flag that takes a moment reads these too):
  2020-11-07            于2020年11月7日之前: a date alone is the end of that day (23:59:59)
  "2024-05-12 12:00"    5月12日中午12点前; "2024-05-12 24:00" is the end of the day
  "2024-05-19 下班前"    5月19日下班前 (or "end of day"): the end of the working day,
                        --workday-end (17:30 unless set)
  "+1d 12:00"           daily, 次日12:00: 每天中午12:00前 read as the previous day's
                        materials by noon; day N's materials are due by 12:00 on day N+1
  24:00                 daily, 每天 with no hour: by the end of each day
  none                  not asked for: nobody owes that column (seed 001 asks only for
                        the summary: --plan-deadline none --daily-deadline none)
  '{ days_before_start = 10, at = "17:00" }'    ten days before the week begins
  '{ days_after_end = 7 }'                      活动周结束后一周内: within a week after it
  '{ workdays_after_end = 3, at = "下班前" }'    三个工作日内: China's holidays and 调休
examples:
  weekwatch init 潍坊2020 --title 2020年潍坊市职业教育活动周 --start 2020-11-08 \\
      --daily-deadline 24:00 --plan-deadline 2020-11-07 --summary-deadline 2020-11-17
  weekwatch init 平顶山2021 --title 平顶山市2021年职业教育活动周 --start 2021-05-22 \\
      --plan-deadline none --daily-deadline none --summary-deadline 2021-06-02
"""

#: The init flag behind each field of weekwatch.toml, so a bad value names what was typed.
INIT_FLAGS = {
    "title": "--title",
    "days": "--days",
    "timezone": "--timezone",
    "daily_deadline": "--daily-deadline",
    "plan_deadline": "--plan-deadline",
    "summary_deadline": "--summary-deadline",
    "workday_end": "--workday-end",
    "theme": "--theme",
    "lang": "--lang",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, no usage dump, exit 2
        raise WeekwatchError(f"{message} (see `{self.prog} --help`)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="weekwatch", description="Watch an activity week's submissions.")
    p.add_argument(
        "-w",
        "--workspace",
        help="workspace folder (else $WEEKWATCH_WORKSPACE, else here or a parent)",
    )
    p.add_argument(
        "--operator",
        help="who records actions (default: the name remembered for you, the workspace's "
        "`operator`, the login name)",
    )
    p.add_argument("--version", action="version", version=f"weekwatch {_version()}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    s = sub.add_parser(
        "init",
        help="create a workspace",
        description="Create a workspace: weekwatch.toml and inbox/.",
        epilog=INIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Every option says its default (`init --help`): what an omitted flag writes.
    s.add_argument("dir", help="the folder to make the workspace in (created if need be)")
    s.add_argument("--title", required=True, help="the week's title, as the notice writes it")
    s.add_argument("--start", required=True, help="the first day, YYYY-MM-DD")
    s.add_argument("--days", type=int, default=7, help="how many days (default: 7)")
    s.add_argument(
        "--timezone",
        default="Asia/Shanghai",
        help="the zone of every time (default: Asia/Shanghai)",
    )
    s.add_argument(
        "--daily-deadline",
        default="12:00",
        help='HH:MM on the day, "+1d HH:MM" (次日) the next day, 24:00, or none (default: 12:00)',
    )
    s.add_argument(
        "--plan-deadline",
        help="a moment, a date alone, a {…} table, or none (default: day 1 at the daily deadline)",
    )
    s.add_argument(
        "--summary-deadline",
        help="a moment, a date alone, a {…} table, or none (default: 7 days after the last "
        "day, 18:00)",
    )
    s.add_argument("--workday-end", help="what 下班前 means, HH:MM (default: 17:30)")
    s.add_argument("--theme", default="", help="the week's theme, 主题 (default: none)")
    s.add_argument(
        "--lang",
        default="",
        choices=["", "zh", "en"],
        help="the workspace's language: the dashboard's and the headless commands' (default: "
        "none: the dashboard follows the locale, the headless commands speak English)",
    )

    u = sub.add_parser("units", help="the roster").add_subparsers(
        dest="units_command", parser_class=_Parser
    )
    ui = u.add_parser(
        "import",
        help="import a roster (.xlsx, .xls or .csv); updates units matched by id, name or alias",
    )
    ui.add_argument("file")
    ui.add_argument("--sheet", help="the sheet to read (default: the first with a header)")
    ui.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="列名=FIELD",
        help="the field a column fills, e.g. --map 学校全称=name (FIELD '-' keeps it out)",
    )
    ui.add_argument(
        "--dry-run",
        action="store_true",
        help="show the header, columns, units, skipped rows and warnings; write nothing",
    )
    ul = u.add_parser("list", help="list the units")
    ul.add_argument("--json", action="store_true")
    headless.add_lang(ul)

    s = sub.add_parser("ingest", help="scan the inbox once, then exit")
    s.add_argument(
        "--reread",
        action="store_true",
        help="also read again every file not assigned by an operator (as of its first arrival)",
    )
    s = sub.add_parser("watch", help="ingest dropped files until stopped (SIGTERM / Ctrl-C)")
    s.add_argument("--poll", action="store_true", help="poll instead of OS events (network shares)")
    s.add_argument(
        "--rescan", type=_seconds, default=60.0, metavar="SECONDS", help="full rescan interval"
    )
    mailcli.add_arguments(sub, s)  # `fetch`, and `watch --fetch`

    s = sub.add_parser("materials", help="list the files the inbox holds")
    s.add_argument("--json", action="store_true")
    s.add_argument("--quarantine", action="store_true", help="only files waiting to be placed")
    headless.add_lang(s)

    s = sub.add_parser("status", help="units × days, each cell's state")
    s.add_argument("--json", action="store_true")
    s.add_argument(
        "--as-of",
        default=argparse.SUPPRESS,  # as `weekwatch --as-of X status`: the top level's default
        help="the week as it stood then (date-time; a date alone: its end)",
    )
    s.add_argument("--only", help="comma-separated states: units having such a cell")
    s.add_argument(
        "--column",
        help="only this column: today (今天), plan, summary, a date or a day number; with "
        "--only, the units whose cell there is in such a state (status --column today "
        "--only due,missing: whom to call)",
    )
    headless.add_lang(s)
    s.add_argument(
        "--actions",
        choices=ACTIONS,
        default=argparse.SUPPRESS,
        help="until: the board exactly as it was at --as-of (default); all: with every excuse, "
        "extension and assignment recorded since applied to the cells up to that moment",
    )

    s = sub.add_parser("assign", help="place a quarantined or misplaced file")
    s.add_argument("path", help="as `materials` prints it, as inbox/…, or a path inside the inbox")
    s.add_argument(
        "--unit", action="append", help="id, name or alias; twice for a joint file (each credited)"
    )
    s.add_argument("--cell", action="append", help="twice for a file covering two days")
    s.add_argument("--kind", choices=KINDS)
    s.add_argument("--received", help="when it really arrived (ISO; e.g. mail saved next morning)")
    s.add_argument("--reason", help="why (required with --received)")
    s = sub.add_parser("dismiss", help="take a file out of the week: not a material (undoable)")
    s.add_argument("path", help="as `materials` prints it, as inbox/…, or a path inside the inbox")
    s.add_argument("--reason", required=True)
    s = sub.add_parser("excuse", help="excuse a unit's cell, with a reason")
    s.add_argument("unit")
    s.add_argument("cell")
    s.add_argument("--reason", required=True)
    s = sub.add_parser("extend", help="extend a cell's deadline")
    s.add_argument("unit")
    s.add_argument("cell")
    s.add_argument(
        "--until",
        required=True,
        help="date-time, in the event's zone unless an offset is given; a date alone is "
        "the end of that day; '2024-05-19 下班前' the end of the working day",
    )
    s = sub.add_parser("note", help="note on a unit (or one of its cells)")
    s.add_argument("unit")
    s.add_argument("rest", nargs="+", metavar="[CELL] TEXT")
    s = sub.add_parser("contact", help="log a call or message to a unit's liaison")
    s.add_argument("unit")
    s.add_argument("rest", nargs="+", metavar="[CELL] TEXT")
    s.add_argument("--promised-by", help="what the liaison promised, by when (ISO)")
    undo_cli.add_parsers(sub)
    remindcli.add_parser(sub)
    s = sub.add_parser("log", help="the action log")
    s.add_argument("--json", action="store_true")
    headless.add_lang(s)
    add_report_parser(sub)
    recommend_cli.add_parser(sub)

    # The dashboard's options work with or without the `tui` word (`weekwatch --read-only`).
    _dashboard_options(p, top=True)
    _dashboard_options(sub.add_parser("tui", help="open the dashboard (the default)"))
    s = sub.add_parser("demo", help="the dashboard on the bundled demo week")
    s.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS)
    s.add_argument("--interval", type=float, default=4.0, help="seconds between demo drops")
    s.add_argument(
        "--keep", action="store_true", help="keep the demo's workspace (removed at the end)"
    )
    return p


def _dashboard_options(p: argparse.ArgumentParser, top: bool = False) -> None:
    # Only the top level sets defaults: a subcommand's default would overwrite a value given
    # before the subcommand's name.
    default = None if top else argparse.SUPPRESS
    p.add_argument("--lang", choices=["zh", "en"], default=default, help="interface language")
    p.add_argument(
        "--read-only",
        action="store_true",
        default=False if top else default,
        help="open the dashboard so that nothing can be written",
    )
    p.add_argument("--as-of", default=default, help="open a frozen moment (no watcher)")
    p.add_argument(
        "--actions",
        choices=ACTIONS,
        default=default,
        help="with --as-of: the decisions recorded until then (default), or all of them",
    )


def _split_cell(week: Week, rest: list[str]) -> tuple[str | None, str]:
    if len(rest) > 1:
        try:
            return _cell(week, rest[0]), " ".join(rest[1:])
        except WeekwatchError:
            pass
    return None, " ".join(rest)


#: A lone surrogate from an undecodable byte of a file name (os.fsdecode), as JSON leaves it.
_SURROGATE = re.compile("[\udc80-\udcff]")


def _print_json(obj: object) -> None:
    # Streamed in pieces of 64 kB: json.dump with indent writes each of millions of tokens
    # apart, json.dumps holds every token and the whole text at once.
    buf: list[str] = []
    size = 0
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(obj):
        buf.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            _write_spelled("".join(buf))
            buf, size = [], 0
    _write_spelled("".join(buf) + "\n")


def _write_spelled(text: str) -> None:
    # Paths off a non-UTF-8 disk carry lone surrogates, which no terminal encoding takes: each
    # is written as display_path spells it, \xNN (its backslash escaped, as JSON must).
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _SURROGATE.sub(lambda m: f"\\\\x{ord(m.group()) - 0xDC00:02x}", text)
    sys.stdout.write(text)


def _open(args: argparse.Namespace, *, read_only: bool = False) -> Week:
    return Week(find_workspace(args.workspace), read_only=read_only)


def _watch(week: Week, args: argparse.Namespace) -> int:
    from weekwatch.store.watcher import Watcher

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    def report(batch) -> None:
        for m in batch.added:
            where = f"quarantine: {m.quarantine.text()}" if m.quarantine else f"{m.unit} {m.cell}"
            print(safe_str(f"+ {display_path(m.path)}  →  {where}"), flush=True)
        for m in batch.gone:
            print(safe_str(f"- {display_path(m.path)}  (gone)"), flush=True)
        for e in batch.errors:
            print(f"! {safe_str(e)}", file=sys.stderr, flush=True)

    with IngestLock(week.workspace.dbdir):
        again = week.reread_if_stale()
        if again is not None:
            _print_reread(week, again)
        print(f"watching {week.workspace.inbox} (Ctrl-C to stop)", flush=True)
        fetching = mailcli.start_fetcher(week, args, stop) if args.fetch else None
        remindcli.start_reminders(week, stop, args.operator)  # [remind] auto = true
        Watcher(
            week.ingestor(),
            clock=week.clock,
            poll=args.poll,
            rescan_every=args.rescan,
            on_batch=report,
        ).run(stop)
        if fetching is not None:
            fetching.join(timeout=5)
    return 0


def _status_table(week: Week, args: argparse.Namespace) -> int:
    as_of = _moment(week, "--as-of", args.as_of) if args.as_of else None
    headless.states(args.only)  # checked before the board is judged
    return headless.print_status(week, week.board(as_of, args.actions), args)


def _init(args: argparse.Namespace) -> int:
    ws = init_workspace(
        Path(args.dir),
        flags=INIT_FLAGS,
        title=args.title,
        start=_date(args.start),
        days=args.days,
        timezone=args.timezone,
        daily_deadline=args.daily_deadline,
        plan_deadline=args.plan_deadline,
        summary_deadline=args.summary_deadline,
        workday_end=args.workday_end,
        theme=args.theme,
        lang=args.lang,
    )
    print(f"created {ws.config}; drop files into {ws.inbox}")
    return 0


def _units(week: Week, args: argparse.Namespace) -> int:
    if args.units_command == "import":
        from weekwatch.store.reading import digits_only

        from .roster_report import dry_run, summary

        result = week.import_units(
            Path(args.file), sheet=args.sheet, mapping=parse_map(args.map), dry_run=args.dry_run
        )
        print("\n".join(dry_run(result) if args.dry_run else summary(result)))
        digits = digits_only(result.units)
        if digits:
            shown = ", ".join(digits[:5]) + (", …" if len(digits) > 5 else "")
            print(
                f"weekwatch: warning: {len(digits)} ids or aliases are digits alone ({shown}): "
                "they name a unit only as a whole folder or file name, never inside a name "
                "(in 11-09活动照片 the 11 is a date); give those units aliases",
                file=sys.stderr,
            )
        if result.written:
            # A new unit or alias may place what waits, or move what was placed in its name.
            _print_reread(week, week.reread())
    elif args.units_command == "list":
        # A header line for a person at a terminal; none for a script reading the rows.
        return headless.print_units(week, args, header=sys.stdout.isatty())
    else:
        raise WeekwatchError("weekwatch units: say `units import FILE` or `units list`")
    return 0


def _ingest(week: Week, args: argparse.Namespace) -> int:
    with IngestLock(week.workspace.dbdir):
        # What waits is read again first if the roster or the week changed since it was read.
        again = week.reread() if args.reread else week.reread_if_stale()
        batch = week.ingestor().scan()
        week.mark_read()
    for e in batch.errors:
        print(f"! {safe_str(e)}", file=sys.stderr)
    q = sum(1 for m in batch.added if m.quarantine)
    print(f"{len(batch.added)} new ({q} quarantined), {len(batch.gone)} gone")
    if again is not None:
        _print_reread(week, again)
    return 0


def _print_reread(week: Week, result: Reread) -> None:
    if not (result.changes or result.read or result.kept_assigned):
        return  # nothing recorded yet: nothing to say
    names = {u.id: u.name for u in week.units()}
    for line in reread_summary(result, names):
        print(safe_str(line))


def _materials(week: Week, args: argparse.Namespace) -> int:
    return headless.print_materials(week, args)


def _log(week: Week, args: argparse.Namespace) -> int:
    return headless.print_log(week, args)


def _act(week: Week, args: argparse.Namespace) -> int:
    """The operator actions: each recorded through the Week API, with operator and time."""
    cmd, op = args.command, args.operator
    if cmd == "assign":
        a = week.assign(
            week.resolve_path(args.path, _printed),
            [_unit(week, u) for u in args.unit or ()],
            [_cell(week, c) for c in args.cell or ()],
            args.kind,
            operator=op,
            received=_moment(week, "--received", args.received) if args.received else None,
            reason=args.reason,
        )
    elif cmd == "dismiss":
        a = week.dismiss(week.resolve_path(args.path, _printed), args.reason, operator=op)
    elif cmd == "excuse":
        a = week.excuse(_unit(week, args.unit), _cell(week, args.cell), args.reason, operator=op)
    elif cmd == "extend":
        until = _moment(week, "--until", args.until)
        a = week.extend(_unit(week, args.unit), _cell(week, args.cell), until, operator=op)
    elif cmd == "note":
        cell, text = _split_cell(week, args.rest)
        a = week.note(_unit(week, args.unit), text, cell, operator=op)
    elif cmd == "contact":
        cell, text = _split_cell(week, args.rest)
        by = _moment(week, "--promised-by", args.promised_by) if args.promised_by else None
        a = week.contact(_unit(week, args.unit), text, cell, promised_by=by, operator=op)
    else:
        raise AssertionError(cmd)
    where = " ".join(x for x in (a.unit, a.cell) if x)
    if a.type == "assign":
        where = " ".join(("+".join(assigned_units(a)), "+".join(assigned_cells(a))))
    if a.data.get("path"):
        where = f"{_printed(a.data['path'])} → {where}" if where else _printed(a.data["path"])
    print(safe_str(f"recorded {a.type} {where} [{a.id}]"))
    return 0


def _printed(path: str) -> str:
    """A path as `materials` prints it."""
    return safe_str(display_path(path))


#: Headless commands on an opened workspace, and whether they only read it.
COMMANDS = {
    "units": (_units, False),
    "ingest": (_ingest, False),
    "watch": (_watch, False),
    "fetch": (mailcli.fetch, False),
    "materials": (_materials, True),
    "status": (_status_table, True),
    "log": (_log, True),
    "report": (run_report, True),
    "remind": (remindcli.remind, False),
    "recommend": (recommend_cli.recommend, False),
    **{
        name: (_act, False) for name in ("assign", "dismiss", "excuse", "extend", "note", "contact")
    },
    "undo": (undo_cli.undo, False),
    "redo": (undo_cli.redo, False),
}


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    cmd = args.command or "tui"
    # A command's options have no defaults of their own where the top level has the same option
    # (`weekwatch --lang zh log` = `weekwatch log --lang zh`); theirs are filled in here.
    if cmd not in ("tui", "demo"):
        if getattr(args, "actions", None) is None:
            args.actions = getattr(args, "default_actions", "until")
        if cmd == "report" and args.lang is None:
            args.lang = "zh"  # reports speak Chinese unless asked
    if cmd == "init":
        return _init(args)
    if cmd == "demo":
        from .demo import run_demo

        return run_demo(lang=args.lang, interval=args.interval, keep=args.keep)
    if cmd == "tui":
        from .launch import run_dashboard

        return run_dashboard(
            find_workspace(args.workspace),
            read_only=args.read_only,
            as_of=args.as_of,
            lang=args.lang,
            operator=args.operator,
            actions=args.actions,
        )
    handler, read_only = COMMANDS[cmd]
    read_only = read_only or (
        cmd == "units" and (args.units_command == "list" or getattr(args, "dry_run", False))
    )
    week = _open(args, read_only=read_only)
    # Actions are recorded under a person's name: --operator, the one remembered, the
    # workspace's `operator`, else the login name (store/operators.py).
    args.operator = resolve_operator(args.operator, week.workspace.config).name
    if cmd == "watch":  # runs until stopped: warn first
        _warn(week)
        return handler(week, args)
    code = handler(week, args)
    _warn(week)  # after the command, so `units import` is warned against its new roster
    return code


def _warn(week: Week) -> None:
    for w in week.warnings():
        print(f"weekwatch: warning: {safe_str(w)}", file=sys.stderr)


def _unit(week: Week, text: str) -> str:
    """A unit by id, name or alias (store/vocab.py)."""
    return vocab.find_unit(week.units(), text).id


def _cell(week: Week, text: str) -> str:
    """A cell as the grid labels it: plan/方案, 05-14, 3, today/今天 (store/vocab.py)."""
    return vocab.parse_cell(text, week.event, week.clock())


def _moment(week: Week, flag: str, text: str) -> dt.datetime:
    """A moment typed after `flag`: today's HH:MM, `today 15:00`, every form a deadline takes;
    errors name the flag."""
    try:
        return vocab.parse_when(text, week.event, week.clock())
    except WeekwatchError as e:
        raise WeekwatchError(f"{flag}: {e}") from None


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise WeekwatchError(f"--start {text!r}: expected a date as YYYY-MM-DD") from None
    check_year(day, f"--start {text}")
    return day


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weekwatch")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type): nan, inf, 0 and -5 are refused."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0")
    return value


def main(argv: Sequence[str] | None = None) -> None:
    try:
        code = run(argv)
    except WeekwatchError as exc:
        print(f"weekwatch: {exc}", file=sys.stderr)
        code = EXIT_USAGE
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # `weekwatch materials | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except PermissionError as exc:  # the operator (or the folder's owner) can fix it
        where = f"{display_path(str(exc.filename))}: " if exc.filename else ""
        print(
            f"weekwatch: {where}{exc.strerror or exc}: this account may not use it; a workspace "
            "shared by several operators needs them in one group (chmod -R g+rwX, chgrp -R)",
            file=sys.stderr,
        )
        code = EXIT_USAGE
    except OSError as exc:  # a full disk, a broken share: say which, plainly
        where = f"{display_path(str(exc.filename))}: " if exc.filename else ""
        print(f"weekwatch: {where}{exc.strerror or exc}", file=sys.stderr)
        code = 1
    except (OverflowError, RecursionError) as exc:  # a value past what any check foresaw
        print(f"weekwatch: a value is out of range ({exc})", file=sys.stderr)
        code = EXIT_USAGE
    sys.exit(code)
