"""The `weekwatch` command: the dashboard by default, headless commands for scripts and cron.

Every problem the operator can fix ends as one message on stderr and exit status 2.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from weekwatch.store.model import WeekwatchError
from weekwatch.widgets.safe import safe_str

from .cli_line import read_action

if TYPE_CHECKING:
    import argparse

    from weekwatch.store.model import Action, Material
    from weekwatch.store.reread import Reread
    from weekwatch.store.week import Week

EXIT_USAGE = 2

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
    import json

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
    from weekwatch.store.week import Week
    from weekwatch.store.workspace import find_workspace

    return Week(find_workspace(args.workspace), read_only=read_only)


def _watch(week: Week, args: argparse.Namespace) -> int:
    import signal
    import threading

    from weekwatch.store.ingest import IngestLock, display_path
    from weekwatch.store.watcher import Watcher

    from . import mailcli, remindcli
    from .keeper import start as start_keeper

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    from .i18n import I18n, column_name

    t = I18n(args.lang or week.event.lang or "en")

    def placed(m: Material) -> str:
        if m.quarantine:
            return t("watch.quarantined", reason=t.reason(m.quarantine))
        if t.lang == "en":
            return f"{m.unit} {m.cell}"
        name = next((u.name for u in week.units() if u.id == m.unit), m.unit)
        return f"{name} {column_name(m.cell, t) if m.cell else ''}".rstrip()

    def report(batch) -> None:
        for m in batch.added:
            where = placed(m)
            print(safe_str(t("watch.added", path=display_path(m.path), where=where)), flush=True)
        for m in batch.gone:
            print(safe_str(t("watch.gone", path=display_path(m.path))), flush=True)
        for e in batch.errors:
            print(f"! {safe_str(e)}", file=sys.stderr, flush=True)

    with IngestLock(week.workspace.dbdir):
        again = week.reread_if_stale()
        if again is not None:
            _print_reread(week, again, t.lang)
        print(safe_str(t("watch.watching", inbox=week.workspace.inbox)), flush=True)
        fetching = mailcli.start_fetcher(week, args, stop) if args.fetch else None
        remindcli.start_reminders(week, stop, args.operator)  # [remind] auto = true
        # status and a dashboard's first paint read the judged week it keeps beside the database
        keeper = start_keeper(week.workspace.root)
        try:
            Watcher(
                week.ingestor(),
                clock=week.clock,
                poll=args.poll,
                rescan_every=args.rescan,
                on_batch=report,
            ).run(stop)
        finally:
            keeper.terminate()
            keeper.wait(10)
        if fetching is not None:
            fetching.join(timeout=5)
    return 0


def _status_table(week: Week, args: argparse.Namespace) -> int:
    from . import headless

    as_of = _moment(week, "--as-of", args.as_of) if args.as_of else None
    headless.states(args.only)  # checked before the board is judged
    return headless.print_status(week, week.cells(as_of, args.actions), args)


def _init(args: argparse.Namespace) -> int:
    from weekwatch.store.config_write import init_workspace

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
    from .i18n_done import done

    print(done("done.init", args.lang, config=ws.config, inbox=ws.inbox))
    return 0


def _units(week: Week, args: argparse.Namespace) -> int:
    from . import headless

    if args.units_command == "import":
        from weekwatch.store.reading import digits_only
        from weekwatch.store.roster_header import parse_map

        from .roster_report import dry_run, summary

        result = week.import_units(
            Path(args.file), sheet=args.sheet, mapping=parse_map(args.map), dry_run=args.dry_run
        )
        from .i18n_done import done

        lang = getattr(args, "lang", None) or week.event.lang
        print("\n".join(dry_run(result, lang) if args.dry_run else summary(result, lang)))
        digits = digits_only(result.units)
        if digits:
            shown = ", ".join(digits[:5]) + (", …" if len(digits) > 5 else "")
            said = done("done.digits", lang, n=len(digits), shown=shown)
            print(f"weekwatch: {done('done.warning', lang, text=said)}", file=sys.stderr)
        if result.written:
            # A new unit or alias may place what waits, or move what was placed in its name.
            _print_reread(week, week.reread(), getattr(args, "lang", None))
    elif args.units_command == "list":
        # A header line for a person at a terminal; none for a script reading the rows.
        return headless.print_units(week, args, header=sys.stdout.isatty())
    else:
        raise WeekwatchError(
            "weekwatch units: say `units import FILE` or `units list`", tag="units_say"
        )
    return 0


def _ingest(week: Week, args: argparse.Namespace) -> int:
    from weekwatch.store.ingest import IngestLock

    named = _inbox_paths(week, args.paths)
    with IngestLock(week.workspace.dbdir):
        # What waits is read again first if the roster or the week changed since it was read.
        again = week.reread() if args.reread else week.reread_if_stale()
        ingestor = week.ingestor()
        if named is None:
            batch = ingestor.scan()
        else:
            try:
                batch = ingestor.take(named)
            except WeekwatchError as exc:  # a name as given: its controls spelled out
                fields = {
                    k: safe_str(v) if isinstance(v, str) else v for k, v in exc.fields.items()
                }
                raise WeekwatchError(safe_str(exc), tag=exc.tag, **fields) from None
        week.mark_read()
    for e in batch.errors:
        print(f"! {safe_str(e)}", file=sys.stderr)
    q = batch.quarantined  # counted without making a record of each file
    from .i18n_done import done

    lang = getattr(args, "lang", None) or week.event.lang
    print(done("done.ingest", lang, n=batch.recorded, q=q, gone=len(batch.gone)))
    if again is not None:
        _print_reread(week, again, lang)
    return 0


def _inbox_paths(week: Week, given: Sequence[str]) -> list[str] | None:
    """The inbox-relative paths `ingest PATH…` names; None: the whole inbox (no PATH, or the
    inbox itself named)."""
    from weekwatch.store.inbox_walk import display_path, inbox_relative

    inbox = week.workspace.inbox
    out: list[str] = []
    for path in given:
        rel = inbox_relative(inbox, path)
        if rel is None:
            shown = safe_str(display_path(path))
            raise WeekwatchError(
                f"{shown}: not inside the inbox ({safe_str(str(inbox))}); "
                "weekwatch takes in only what lies there",
                tag="ingest_outside",
                shown=shown,
                inbox=safe_str(str(inbox)),
            )
        if rel == "":
            return None
        out.append(rel)
    return out or None


def _print_reread(week: Week, result: Reread, lang: str | None = None) -> None:
    from .reread_text import summary as reread_summary

    if not (result.changes or result.read or result.kept_assigned):
        return  # nothing recorded yet: nothing to say
    names = {u.id: u.name for u in week.units()}
    for line in reread_summary(result, names, lang or week.event.lang):
        print(safe_str(line))


def _materials(week: Week, args: argparse.Namespace) -> int:
    from . import headless

    return headless.print_materials(week, args)


def _log(week: Week, args: argparse.Namespace) -> int:
    from . import headless

    return headless.print_log(week, args)


def _act(week: Week, args: argparse.Namespace) -> int:
    """The operator actions: each recorded through the Week API, with operator and time."""
    cmd, op = args.command, args.operator
    if cmd == "assign":
        a = week.assign(
            week.resolve_path(args.path, _printed),
            [_unit(week, u) for u in args.unit or ()],
            [_cell(week, c) for c in args.cell or ()],
            _kind(args.kind) if args.kind else None,
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
        from weekwatch.store.ledger import assigned_cells, assigned_units

        where = " ".join(("+".join(assigned_units(a)), "+".join(assigned_cells(a))))
    if a.data.get("path"):
        where = f"{_printed(a.data['path'])} → {where}" if where else _printed(a.data["path"])
    lang = getattr(args, "lang", None) or week.event.lang
    if lang == "zh":  # names and columns as the grid shows them
        where = _where_zh(week, a)
        from .i18n_done import done

        what = done(f"done.{a.type}", lang)
        print(safe_str(done("done.action", lang, what=what, where=where, id=a.id)))
        return 0
    print(safe_str(f"recorded {a.type} {where} [{a.id}]"))
    return 0


def _where_zh(week: Week, a: Action) -> str:
    """An action's units by name and its columns as the grid labels them (方案, 05-14)."""
    from weekwatch.store.ledger import assigned_cells, assigned_units

    from .i18n_done import grid_column

    if a.type == "assign":
        units, cells = assigned_units(a), assigned_cells(a)
    else:
        units, cells = ((a.unit,) if a.unit else ()), ((a.cell,) if a.cell else ())
    names = "+".join(_unit_name(week, u) for u in units)
    where = " ".join(x for x in (names, "+".join(grid_column(c, "zh") for c in cells)) if x)
    if a.data.get("path"):
        path = _printed(a.data["path"])
        where = f"{path} → {where}" if where else path
    return where


def _unit_name(week: Week, unit_id: str) -> str:
    try:
        return week.unit(unit_id).name
    except WeekwatchError:  # gone from the roster since: its id
        return unit_id


def _printed(path: str) -> str:
    """A path as `materials` prints it."""
    from weekwatch.store.ingest import display_path

    return safe_str(display_path(path))


#: Headless commands on an opened workspace: the module and function that run each, imported
#: only when that command runs, and whether it only reads the workspace.
COMMANDS = {
    "units": (__name__, "_units", False),
    "ingest": (__name__, "_ingest", False),
    "watch": (__name__, "_watch", False),
    "fetch": (f"{__package__}.mailcli", "fetch", False),
    "materials": (__name__, "_materials", True),
    "status": (__name__, "_status_table", True),
    "log": (__name__, "_log", True),
    "report": (f"{__package__}.report_cli", "run_report", True),
    "remind": (f"{__package__}.remindcli", "remind", False),
    "recommend": (f"{__package__}.recommend_cli", "recommend", False),
    **{
        name: (__name__, "_act", False)
        for name in ("assign", "dismiss", "excuse", "extend", "note", "contact")
    },
    "undo": (f"{__package__}.undo_cli", "undo", False),
    "redo": (f"{__package__}.undo_cli", "redo", False),
}


def _handler(cmd: str) -> tuple[Callable[[Week, argparse.Namespace], int], bool]:
    import importlib

    module, name, read_only = COMMANDS[cmd]
    return getattr(importlib.import_module(module), name), read_only


def run(argv: Sequence[str] | None = None) -> int:
    """The command a line names, run; a problem the operator can fix is raised as one
    `WeekwatchError`, in the workspace's language (`--lang`, else its `lang`) once known."""
    lang: list[str] = []  # filled as soon as the language is known
    try:
        return _run(argv, lang)
    except WeekwatchError as e:
        if not lang:  # before the workspace was open (a weekwatch.toml that does not load)
            from .i18n_args import line_lang

            lang.append(line_lang(list(sys.argv[1:] if argv is None else argv)))
        if lang[-1] == "en":
            raise
        from .i18n_cli import said

        text = said(e, lang[-1])
        if text == str(e):
            raise  # no words of its own in that language yet: as the store says it
        raise WeekwatchError(text) from e


def _run(argv: Sequence[str] | None, lang: list[str]) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = read_action(words)  # a plain action line; any other is argparse's
    if args is None:
        args = _parse(words, lang)
    asked = getattr(args, "lang", None)  # --lang itself, not a report's Chinese default
    if asked:
        lang.append(asked)
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
        from weekwatch.store.workspace import find_workspace

        from .launch import run_dashboard

        return run_dashboard(
            find_workspace(args.workspace),
            read_only=args.read_only,
            as_of=args.as_of,
            lang=args.lang,
            operator=args.operator,
            actions=args.actions,
        )
    handler, read_only = _handler(cmd)
    read_only = read_only or (
        cmd == "units" and (args.units_command == "list" or getattr(args, "dry_run", False))
    )
    week = _open(args, read_only=read_only)
    lang.append(asked or week.event.lang or "en")
    # Actions are recorded under a person's name: --operator, the one remembered, the
    # workspace's `operator`, else the login name (store/operators.py).
    from weekwatch.store.operators import resolve as resolve_operator

    args.operator = resolve_operator(args.operator, week.workspace.config).name
    if cmd == "watch":  # runs until stopped: warn first
        _warn(week, lang[-1])
        return handler(week, args)
    from .keeper import HANDS_ON

    stamp = week.written_stamp() if cmd in HANDS_ON and not read_only else None
    code = handler(week, args)
    if stamp is not None and code == 0 and week.written_stamp() != stamp:
        # A one-off write: a keeper re-judges what it changed for the next reader.
        from .keeper import hand_on

        hand_on(week.workspace.root)
    _warn(week, lang[-1])  # after the command, so `units import` is warned against its roster
    return code


def _parse(words: list[str], lang: list[str]) -> argparse.Namespace:
    """The line as argparse reads it; its help and its mistakes in the line's language."""
    from .cli_args import parse

    helps = any(w == "-h" or (w.startswith("--h") and "--help".startswith(w)) for w in words)
    if not helps:
        try:
            return parse(words)
        except WeekwatchError:
            pass  # read again below, to be said in the line's language
    from .i18n_args import line_lang, speaking

    lang.append(line_lang(words))
    with speaking(lang[-1]):
        return parse(words)


def _warn(week: Week, lang: str = "en") -> None:
    warnings = week.warnings()
    if warnings:
        from .i18n_done import done

        for w in warnings:
            print(f"weekwatch: {done('done.warning', lang, text=safe_str(w))}", file=sys.stderr)


def _unit(week: Week, text: str) -> str:
    """A unit by id, name or alias (store/vocab.py)."""
    return week.find_unit(text).id


def _cell(week: Week, text: str) -> str:
    """A cell as the grid labels it: plan/方案, 05-14, 3, today/今天 (store/vocab.py)."""
    from weekwatch.store import vocab

    return vocab.parse_cell(text, week.event, week.clock())


def _kind(text: str) -> str:
    """`--kind`: its name (photo) or as the dashboard's form and the file names say it
    (照片, 典型案例, 視頻 in traditional characters; store/vocab.py)."""
    from weekwatch.store import vocab

    try:
        return vocab.parse_kind(text)
    except WeekwatchError as e:
        raise WeekwatchError(f"--kind: {e}", tag="flag", flag="--kind", error=e) from None


def _moment(week: Week, flag: str, text: str) -> dt.datetime:
    """A moment typed after `flag`: today's HH:MM, `today 15:00`, every form a deadline takes;
    errors name the flag."""
    from weekwatch.store import vocab

    try:
        return vocab.parse_when(text, week.event, week.clock())
    except WeekwatchError as e:
        raise WeekwatchError(f"{flag}: {e}", tag="flag", flag=flag, error=e) from None


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise WeekwatchError(
            f"--start {text!r}: expected a date as YYYY-MM-DD", tag="start_date", text=text
        ) from None
    from weekwatch.store.config import check_year

    check_year(day, f"--start {text}")
    return day


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
        print(f"weekwatch: {_os_said('os.permission', exc, argv)}", file=sys.stderr)
        code = EXIT_USAGE
    except OSError as exc:  # a full disk, a broken share: say which, plainly
        print(f"weekwatch: {_os_said('os.error', exc, argv)}", file=sys.stderr)
        code = 1
    except (OverflowError, RecursionError) as exc:  # a value past what any check foresaw
        print(f"weekwatch: {_os_said('os.range', exc, argv)}", file=sys.stderr)
        code = EXIT_USAGE
    sys.exit(code)


def _os_said(key: str, exc: Exception, argv: Sequence[str] | None) -> str:
    """What the system refused, in the line's language (its `--lang`, else its workspace's)."""
    import errno as codes

    from weekwatch.store.ingest import display_path

    from .i18n_args import line_lang
    from .i18n_cli import CLI

    lang = line_lang(list(sys.argv[1:] if argv is None else argv))
    i = 0 if lang == "zh" else 1
    filename = getattr(exc, "filename", None)
    where = f"{display_path(str(filename))}: " if filename else ""
    why = getattr(exc, "strerror", None) or str(exc)
    if lang == "zh":
        where = where.replace(": ", "：") if where else ""
        name = codes.errorcode.get(getattr(exc, "errno", None) or 0, "")
        why = CLI.get(f"os.{name}", (why, why))[0]
    return CLI[key][i].format(where=where, why=why, error=exc)
