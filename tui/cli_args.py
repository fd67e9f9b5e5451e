"""The `weekwatch` command line's grammar: every command's arguments and help, argparse only.

Building it imports nothing a command uses: a command's body is imported when that command
runs (`tui/cli.py`, `COMMANDS`). `parse` builds only the command the line names (a script's
`weekwatch note …` pays for one command's arguments, not thirty), and the whole grammar for
help, for every mistake (so each is said as before) and for the dashboard.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from weekwatch.store.model import ACTIONS, KINDS, WeekwatchError

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
  活动周前一天          the day before the week: { days_before_start = 1 }
  活动周结束后一周内    { days_after_end = 7 }; also 活动周结束后3天内,
                        活动周结束后三个工作日内 下班前, 活动周开始前10天 17:00
  '{ days_before_start = 10, at = "17:00" }'    ten days before the week begins
  '{ days_after_end = 7 }'                      活动周结束后一周内: within a week after it
  '{ workdays_after_end = 3, at = "下班前" }'    三个工作日内: China's holidays and 调休
examples:
  weekwatch init 潍坊2020 --title 2020年潍坊市职业教育活动周 --start 2020-11-08 \\
      --daily-deadline 24:00 --plan-deadline 活动周前一天 --summary-deadline 2020-11-17
  weekwatch init 平顶山2021 --title 平顶山市2021年职业教育活动周 --start 2021-05-22 \\
      --plan-deadline none --daily-deadline none --summary-deadline 2021-06-02
"""

#: The formats every report is written in (`report … --format`).
FORMATS = ("text", "md", "csv", "json", "xlsx")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, no usage dump, exit 2
        raise WeekwatchError(
            f"{message} (see `{self.prog} --help`)", tag="usage", message=message, prog=self.prog
        )


class _Version(argparse.Action):
    """`--version`: the installed version, looked up only when asked (importlib.metadata is
    a tenth of an action's whole time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kw: Any) -> None:
        kw.setdefault("help", "show program's version number and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kw)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        import sys

        sys.stdout.write(f"weekwatch {version()}\n")  # on stdout, as argparse's own says it
        parser.exit()


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("weekwatch")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type): nan, inf, 0 and -5 are refused."""
    try:
        value = float(text)
    except ValueError:
        said = argparse._("%r is not a number of seconds")  # type: ignore[attr-defined]
        raise argparse.ArgumentTypeError(said % text) from None
    if not math.isfinite(value) or value <= 0:
        said = argparse._("%r: give a number of seconds above 0")  # type: ignore[attr-defined]
        raise argparse.ArgumentTypeError(said % text)
    return value


def add_lang(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: no default of its own, or it would overwrite a --lang given before the command.
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=argparse.SUPPRESS,
        help="language (default: lang in weekwatch.toml, else en)",
    )


Sub = Any  # argparse's _SubParsersAction (private)


def _init(sub: Sub) -> None:
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
        help="a moment, a date alone, a {…} table, words (活动周前一天), or none (default: day 1 "
        "at the daily deadline)",
    )
    s.add_argument(
        "--summary-deadline",
        help="a moment, a date alone, a {…} table, words (活动周结束后一周内), or none (default: "
        "7 days after the last day, 18:00)",
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


def _units(sub: Sub) -> None:
    u = sub.add_parser("units", help="the roster").add_subparsers(
        dest="units_command", parser_class=Parser
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
    add_lang(ul)


def _ingest(sub: Sub) -> None:
    s = sub.add_parser("ingest", help="scan the inbox once (or take in only PATHs), then exit")
    s.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only these files or folders of the inbox (what a hook knows arrived or went)",
    )
    s.add_argument(
        "--reread",
        action="store_true",
        help="also read again every file not assigned by an operator (as of its first arrival)",
    )


def _watch(sub: Sub) -> None:
    s = sub.add_parser("watch", help="ingest dropped files until stopped (SIGTERM / Ctrl-C)")
    s.add_argument("--poll", action="store_true", help="poll instead of OS events (network shares)")
    s.add_argument(
        "--rescan", type=seconds, default=60.0, metavar="SECONDS", help="full rescan interval"
    )
    s.add_argument(
        "--fetch", action="store_true", help="also fetch the mailbox ([mail] in weekwatch.toml)"
    )
    s.add_argument(
        "--fetch-every",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="fetch interval (a server offering IDLE also says at once when mail comes)",
    )


def _fetch(sub: Sub) -> None:
    sub.add_parser(
        "fetch", help="save the designated mailbox's new messages into inbox/mail/ (read-only)"
    )


def _materials(sub: Sub) -> None:
    s = sub.add_parser("materials", help="list the files the inbox holds")
    s.add_argument("--json", action="store_true")
    s.add_argument("--quarantine", action="store_true", help="only files waiting to be placed")
    add_lang(s)


def _status(sub: Sub) -> None:
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
    add_lang(s)
    s.add_argument(
        "--actions",
        choices=ACTIONS,
        default=argparse.SUPPRESS,
        help="until: the board exactly as it was at --as-of (default); all: with every excuse, "
        "extension and assignment recorded since applied to the cells up to that moment",
    )


def _assign(sub: Sub) -> None:
    s = sub.add_parser("assign", help="place a quarantined or misplaced file")
    s.add_argument("path", help="as `materials` prints it, as inbox/…, or a path inside the inbox")
    s.add_argument(
        "--unit", action="append", help="id, name or alias; twice for a joint file (each credited)"
    )
    s.add_argument("--cell", action="append", help="twice for a file covering two days")
    s.add_argument(
        "--kind",
        help=f"{', '.join(KINDS)}; or as the dashboard names it (照片, 典型案例, 总结 …)",
    )
    s.add_argument("--received", help="when it really arrived (ISO; e.g. mail saved next morning)")
    s.add_argument("--reason", help="why (required with --received)")


def _dismiss(sub: Sub) -> None:
    s = sub.add_parser("dismiss", help="take a file out of the week: not a material (undoable)")
    s.add_argument("path", help="as `materials` prints it, as inbox/…, or a path inside the inbox")
    s.add_argument("--reason", required=True)


def _excuse(sub: Sub) -> None:
    s = sub.add_parser("excuse", help="excuse a unit's cell, with a reason")
    s.add_argument("unit")
    s.add_argument("cell")
    s.add_argument("--reason", required=True)


def _extend(sub: Sub) -> None:
    s = sub.add_parser("extend", help="extend a cell's deadline")
    s.add_argument("unit")
    s.add_argument("cell")
    s.add_argument(
        "--until",
        required=True,
        help="date-time, in the event's zone unless an offset is given; a date alone is "
        "the end of that day; '2024-05-19 下班前' the end of the working day",
    )


def _note(sub: Sub) -> None:
    s = sub.add_parser("note", help="note on a unit (or one of its cells)")
    s.add_argument("unit")
    s.add_argument("rest", nargs="+", metavar="[CELL] TEXT")


def _contact(sub: Sub) -> None:
    s = sub.add_parser("contact", help="log a call or message to a unit's liaison")
    s.add_argument("unit")
    s.add_argument("rest", nargs="+", metavar="[CELL] TEXT")
    s.add_argument("--promised-by", help="what the liaison promised, by when (ISO)")


def _undo(sub: Sub) -> None:
    s = sub.add_parser(
        "undo", help="take back an action (default: your newest in force; a batch as one)"
    )
    s.add_argument("action", nargs="?", help="its id as `log` prints it, or a unique prefix")


def _redo(sub: Sub) -> None:
    sub.add_parser("redo", help="put back what your newest undo took back")


def _remind(sub: Sub) -> None:
    from weekwatch.store.remind_config import REMINDABLE

    s = sub.add_parser("remind", help="e-mail a reminder to each unit that owes a cell")
    s.add_argument("--cell", help="the column (default: the current one)")
    s.add_argument(
        "--only",
        default=",".join(REMINDABLE),
        help="which cells: due, missing, late, comma-separated (default: all three)",
    )
    s.add_argument("--units", help="only these units (ids, names or aliases, comma-separated)")
    s.add_argument("--dry-run", action="store_true", help="print every message; send nothing")
    s.add_argument("--yes", action="store_true", help="send without asking")
    s.add_argument("--again", action="store_true", help="also units already reminded for this cell")
    s.add_argument(
        "--as-of",
        default=argparse.SUPPRESS,  # as `weekwatch --as-of X remind`: the top level's default
        help="judge, date and record the reminders as of then (try it with --dry-run)",
    )
    add_lang(s)


def _log(sub: Sub) -> None:
    s = sub.add_parser("log", help="the action log")
    s.add_argument("--json", action="store_true")
    add_lang(s)


def _report(sub: Sub) -> None:
    r = sub.add_parser("report", help="the call list, the day's digest, the week's statistics")
    rs = r.add_subparsers(dest="report", parser_class=type(r))

    def common(p: argparse.ArgumentParser, actions: str = "until") -> None:
        p.add_argument("--format", choices=FORMATS, default="text")
        p.add_argument("--output", help="write to this file (default: print)")
        # SUPPRESS: a value given before `report` stands (tui/cli.run fills the defaults in).
        p.add_argument(
            "--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="labels (default zh)"
        )
        p.add_argument(
            "--as-of",
            default=argparse.SUPPRESS,
            help="the week as it stood then (date-time; a date alone: its end)",
        )
        p.set_defaults(default_actions=actions)
        p.add_argument(
            "--actions",
            choices=ACTIONS,
            default=argparse.SUPPRESS,
            help=f"until: the decisions recorded by --as-of; all: every excuse, extension and "
            f"assignment recorded so far, applied to the cells up to --as-of (default {actions})",
        )

    p = rs.add_parser("calls", help="whom to phone: missing or late, worst first")
    p.add_argument("--cell", help="the column (default: the current one)")
    common(p)
    p = rs.add_parser("day", help="the day's digest, to paste into a message")
    p.add_argument("date", nargs="?", help="YYYY-MM-DD or 5月13日 (default: today)")
    common(p)
    p.add_argument(
        "--send", action="store_true", help="post it to the work group's robots ([notify])"
    )
    common(rs.add_parser("stats", help="the week's statistics per unit, totals, per day"), "all")
    common(rs.add_parser("actions", help="the full action log"))
    p = rs.add_parser("consolidate", help="the 情况统计表: the units' figures in one table")
    p.add_argument(
        "--template", required=True, help="the template the units filled in (.xlsx, .xls, .csv)"
    )
    common(p, "all")
    _pack(rs)


def _pack(rs: Sub) -> None:
    from weekwatch.store.pack_names import NAME_MODES

    p = rs.add_parser(
        "pack",
        help="the week's materials renamed, foldered and indexed, as one zip",
        description="Copy the counted materials (never moving anything in inbox/) into one zip: "
        "<unit>/<column>/<kind>-<nn>-<name>, with an index 目录.xlsx.",
    )
    p.add_argument("--recommended", action="store_true", help="only the recommended (★)")
    p.add_argument("--kinds", help="K,... (photo,video,... or 照片,视频,...)")
    p.add_argument("--units", help="U,... by id, name or alias")
    p.add_argument("--cells", help="C,... (plan, summary, a date, a day number)")
    late = p.add_mutually_exclusive_group()
    late.add_argument("--include-late", dest="late", action="store_true", default=True)
    late.add_argument("--exclude-late", dest="late", action="store_false")
    p.add_argument(
        "--names",
        choices=NAME_MODES,
        default="utf8",
        help="utf8 (the zip's UTF-8 flag) or gbk (older Chinese Windows' built-in unzip)",
    )
    p.add_argument("--output", help="FILE.zip or a folder (default: reports/, a dated name)")
    p.add_argument(
        "--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="labels (default zh)"
    )


def _recommend(sub: Sub) -> None:
    s = sub.add_parser(
        "recommend",
        help="mark files as the best, to recommend upward (★); --undo takes the mark off",
    )
    s.add_argument(
        "path",
        nargs="+",
        help="as `materials` prints it (an e-mail's or zip's path marks every file inside)",
    )
    s.add_argument("--note", help="why it is recommended (shown in the pack's index)")
    s.add_argument("--undo", action="store_true", help="take the mark off these files")


def _tui(sub: Sub) -> None:
    _dashboard_options(sub.add_parser("tui", help="open the dashboard (the default)"))


def _demo(sub: Sub) -> None:
    s = sub.add_parser("demo", help="the dashboard on the bundled demo week")
    s.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS)
    s.add_argument("--interval", type=float, default=4.0, help="seconds between demo drops")
    s.add_argument(
        "--keep", action="store_true", help="keep the demo's workspace (removed at the end)"
    )


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


#: Every command's arguments, in the order `weekwatch --help` lists them.
GRAMMAR: dict[str, Callable[[Sub], None]] = {
    "init": _init,
    "units": _units,
    "ingest": _ingest,
    "watch": _watch,
    "fetch": _fetch,
    "materials": _materials,
    "status": _status,
    "assign": _assign,
    "dismiss": _dismiss,
    "excuse": _excuse,
    "extend": _extend,
    "note": _note,
    "contact": _contact,
    "undo": _undo,
    "redo": _redo,
    "remind": _remind,
    "log": _log,
    "report": _report,
    "recommend": _recommend,
    "tui": _tui,
    "demo": _demo,
}


def build(only: str | None = None) -> argparse.ArgumentParser:
    """The whole grammar, or the top level with the one command `only`."""
    p = Parser(prog="weekwatch", description="Watch an activity week's submissions.")
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
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    for name, add in GRAMMAR.items():
        if only is None or name == only:
            add(sub)
    # The dashboard's options work with or without the `tui` word (`weekwatch --read-only`).
    _dashboard_options(p, top=True)
    return p


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line read as the whole grammar reads it.

    The command is guessed as the first word that names one; the line is parsed with that
    command's arguments alone, and taken only if it reads as that command. Anything else (no
    command, a top-level -h, a mistake, a guess a top-level option's value fooled) is parsed
    again with the whole grammar, so its help and its error messages are the whole grammar's.
    """
    import sys

    words = list(sys.argv[1:] if argv is None else argv)
    only = _named(words)
    if only is not None:
        try:
            args = build(only).parse_args(words)
        except WeekwatchError:
            pass  # said below, with every command known
        else:
            if args.command == only:
                return args
    return build().parse_args(words)


def _named(words: list[str]) -> str | None:
    for word in words:
        if word in GRAMMAR:
            return word
        if word.startswith(("-h", "--h")):
            return None  # the top level's help lists every command
    return None
