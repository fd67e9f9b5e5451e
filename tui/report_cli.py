"""`weekwatch report calls|stats|day|actions|consolidate`: the reports on the command line.

The numbers come from store/report_*.py (the cell rules' board); this module only picks the
moment, the language and the format, and writes the result."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from weekwatch.store.model import State, WeekwatchError
from weekwatch.store.report_actions import actions_json
from weekwatch.store.report_calls import Call, calls, calls_column, calls_json
from weekwatch.store.report_day import day_digest, digest_json
from weekwatch.store.report_stats import COUNTED_KINDS, DAY_STATES, stats, stats_json
from weekwatch.store.vocab import parse_cell, parse_when
from weekwatch.store.week import Week
from weekwatch.widgets.safe import safe_str

from .cli_args import FORMATS as FORMATS  # where callers have found it
from .describe import column_name, kinds_text
from .i18n import I18n
from .pack_cli import run_pack
from .report_formats import Cell, csv_table, json_text, md_escape, md_table, text_table
from .report_text import day_text


def run_report(week: Week, args: argparse.Namespace) -> int:
    if args.report == "pack":
        return run_pack(week, args)
    written = write_report(week, args)
    if isinstance(written, int):  # `day --send`: the exit status of the sending
        return written
    if written is not None:
        print(written)
    return 0


def write_report(week: Week, args: argparse.Namespace) -> Path | int | None:
    """The report `args` ask for, written to `args.output` (xlsx: by default into reports/ with
    a dated name): the path written, or None when it went to stdout (an exit status when it
    was sent). The dashboard's export calls this with an output, so nothing is printed under
    the app."""
    try:
        return _run_report(week, args)
    except _Xlsx as x:
        from .report_xlsx import write_xlsx

        path = Path(args.output) if args.output else report_path(week, args.report, x.when, "xlsx")
        write_xlsx(path, x.title, x.headers, x.rows)
        return path


def report_path(week: Week, report: str, when: dt.datetime, ext: str) -> Path:
    """Where a report goes by default: reports/ in the workspace, named for it and the moment."""
    when = when.astimezone(week.event.tz)
    return week.workspace.root / "reports" / f"{report}-{when:%Y%m%d-%H%M}.{ext}"


#: Each report's name in its title row.
_NAMES = {
    "calls": ("催报名单", "call list"),
    "day": ("日报", "day's digest"),
    "stats": ("报送情况统计", "statistics"),
    "actions": ("操作记录", "action log"),
    "consolidate": ("情况统计表汇总", "情况统计表 consolidated"),
}


def actions_words(actions: str, lang: str) -> str:
    """What a report's title says of the decisions it applies (`--actions`)."""
    # The words of `status` and the dashboard's look-back badge.
    if actions == "all":
        return "含此后的决定" if lang == "zh" else "with every later decision"
    return "按当时的决定" if lang == "zh" else "decisions until then"


def title(week: Week, report: str, when: dt.datetime, actions: str, lang: str) -> str:
    ev = week.event
    name = _NAMES[report][0 if lang == "zh" else 1]
    at = f"{when.astimezone(ev.tz):%Y-%m-%d %H:%M}"
    at = f"截至 {at}" if lang == "zh" else f"as of {at}"
    return " · ".join([safe_str(ev.title), name, at, actions_words(actions, lang)])


def _moment(week: Week, flag: str, text: str) -> dt.datetime:
    try:
        return parse_when(text, week.event, week.clock())
    except WeekwatchError as e:
        raise WeekwatchError(f"{flag}: {e}", tag="flag", flag=flag, error=e) from None


def _run_report(week: Week, args: argparse.Namespace) -> Path | int | None:
    if not args.report:
        raise WeekwatchError(
            "weekwatch report: say calls, day, stats, actions or pack", tag="report_say"
        )
    ev = week.event
    as_of = _moment(week, "--as-of", args.as_of) if args.as_of else None
    t = I18n(args.lang)
    acts = args.actions
    # The moment the report speaks of (the title's); `day` has its own, below.
    when = as_of or week.clock()
    head = title(week, args.report, when, acts, t.lang)
    out: str
    if args.report == "calls":
        board = week.board(as_of, acts)
        col = parse_cell(args.cell, ev, week.clock()) if args.cell else None
        rows = calls(board, week.ledger_at(board.now, acts), col)
        col = col or (rows[0].cell if rows else None)
        col = col or calls_column(board)
        data = calls_json(board, col, rows) | {"actions": acts}
        out = _emit(args.format, data, *_calls_table(rows, t, ev.tz), head, when)
    elif args.report == "stats":
        board = week.board(as_of, acts)
        s = stats(board)
        data = stats_json(board, s) | {"actions": acts}
        headers, rows_ = _stats_table(data, t)
        out = _emit(args.format, data, headers, rows_, head, when)
        if args.format == "text" and not args.output and sys.stdout.isatty():
            _print_rich(head, headers, rows_, data, t)
            return None  # printed; nothing written to a file
        if args.format == "text":
            out += "\n" + _share_lines(data, t) + "\n"
    elif args.report == "consolidate":
        out = _consolidate(week, args, as_of, head)
    elif args.report == "day":
        day = parse_cell(args.date, ev, week.clock()) if args.date else None
        now = as_of or week.clock()
        if day is not None and as_of is None:
            # A past day's digest: as it stood at the day's end (or now, if sooner).
            now = min(now, ev.at(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time()))
        board = week.board(now, acts)
        d = day_digest(board, week.ledger_at(now, acts), day)
        data = digest_json(board, d) | {"actions": acts}
        head = title(week, "day", now, acts, t.lang)
        if getattr(args, "send", False):
            from .remindcli import send_digest

            return send_digest(week, day_text(d, board, t, actions_words(acts, t.lang)))
        if args.format == "text":
            out = day_text(d, board, t, actions_words(acts, t.lang)) + "\n"
        else:
            out = _emit(args.format, data, *_day_table(data, t), head, now)
    else:
        # The log as recorded by the moment, or (all) every action recorded so far.
        ledger = week.ledger_at(as_of, acts) if as_of else week.ledger()
        data_rows = actions_json(ledger, ev.tz)
        headers = [_l(t, *h) for h in _ACTION_HEADERS]
        said = _ActionWords(week, t)
        table: list[list[Cell]] = [
            [
                r["at"][:16].replace("T", " "),
                r["operator"],
                said.units(r["unit"]),
                said.cells(r["cell"]),
                said.action(r["action"]),
                said.reason(r["reason"])
                + ("" if r["in_force"] else (" (已撤销)" if t.lang == "zh" else " (undone)")),
            ]
            for r in data_rows
        ]
        out = _emit(args.format, data_rows, headers, table, head, when)
    return _write(out, args.output)


class _ActionWords:
    """The action log's columns as the operator reads them: under zh, unit names, the grid's
    column labels, the action in words and its moments in the week's time; under en, as
    recorded (the JSON's values)."""

    _ISO = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)"

    def __init__(self, week: Week, t: I18n) -> None:
        self.t, self.tz = t, week.event.tz
        self.names = {u.id: u.name for u in week.units()} if t.lang == "zh" else {}

    def units(self, value: str | None) -> str | None:
        if not value or self.t.lang != "zh":
            return value
        return "+".join(self.names.get(u, u) for u in value.split("+"))

    def cells(self, value: str | None) -> str | None:
        if not value or self.t.lang != "zh":
            return value
        return "+".join(column_name(c, self.t) for c in value.split("+"))

    def action(self, value: str) -> str:
        from .i18n import keys

        key = f"act.{value}"
        return self.t(key) if self.t.lang == "zh" and key in keys() else value

    def reason(self, value: str) -> str:
        if self.t.lang != "zh":
            return value
        import re

        def local(m: re.Match[str]) -> str:
            moment = dt.datetime.fromisoformat(m.group().replace("Z", "+00:00"))
            return f"{moment.astimezone(self.tz):%Y-%m-%d %H:%M}"

        return re.sub(self._ISO, local, value)


def _consolidate(week: Week, args: argparse.Namespace, as_of: dt.datetime | None, head: str) -> str:
    from weekwatch.store.consolidate import read_template
    from weekwatch.store.contents import material_bytes
    from weekwatch.store.report_consolidate import consolidate, consolidated_json

    from .report_consolidate import consolidated_table

    template = read_template(Path(args.template))
    board = week.board(as_of, args.actions)
    inbox = week.workspace.inbox
    c = consolidate(board, template, lambda m: material_bytes(inbox, m))
    data = consolidated_json(board, c, args.actions)
    return _emit(args.format, data, *consolidated_table(c, args.lang), head, board.now)


def _l(t: I18n, zh: str, en: str) -> str:
    return zh if t.lang == "zh" else en


class _Xlsx(Exception):
    """Raised by `_emit` for xlsx: the table goes to a workbook, not to text."""

    def __init__(
        self, title: str, when: dt.datetime, headers: list[str], rows: list[list[Cell]]
    ) -> None:
        self.title, self.when, self.headers, self.rows = title, when, headers, rows


def _emit(
    fmt: str,
    data: object,
    headers: list[str],
    rows: list[list[Cell]],
    head: str,
    when: dt.datetime | None = None,
) -> str:
    """The report in its format; text, Markdown and the workbook open with the title row."""
    if fmt == "xlsx":
        raise _Xlsx(head, when or dt.datetime.now(dt.UTC), headers, rows)
    if fmt == "json":
        return json_text(data)
    if fmt == "csv":
        return csv_table(headers, rows)
    if fmt == "md":
        return f"**{md_escape(head)}**\n\n" + md_table(headers, rows) + "\n"
    return head + "\n" + text_table(headers, rows) + "\n"


def _write(out: str, output: str | None) -> Path | None:
    if output:
        Path(output).write_text(out, encoding="utf-8", newline="")
        return Path(output)
    sys.stdout.write(out)
    return None


def _calls_table(rows: list[Call], t: I18n, tz: Any) -> tuple[list[str], list[list[Cell]]]:
    headers = [
        _l(t, "单位", "Unit"),
        _l(t, "状态", "State"),
        _l(t, "本周未交", "Missing this week"),
        _l(t, "迟交分钟", "Late (min)"),
        _l(t, "联系人", "Liaison"),
        _l(t, "电话", "Phone"),
        _l(t, "邮箱", "E-mail"),
        _l(t, "已联系", "Tried"),
        _l(t, "承诺逾期", "Promise overdue"),
    ]
    table: list[list[Cell]] = []
    for r in rows:
        state = t(f"state.{r.state.value}")
        if r.sent and r.lacking:
            state += "：" if t.lang == "zh" else ": "
            state += t(
                "detail.sent_not", sent=kinds_text(r.sent, t), lacking=kinds_text(r.lacking, t)
            )
        tried = "; ".join(
            f"{c.at.astimezone(tz):%m-%d %H:%M} {c.operator} {c.text}"
            + (f" → {c.promised_by.astimezone(tz):%m-%d %H:%M}" if c.promised_by else "")
            for c in r.contacts
        )
        table.append(
            [
                r.name,
                state,
                r.missing_week,
                r.late_minutes,
                r.liaison,
                r.phone,
                r.email,
                tried,
                _l(t, "是", "yes") if r.promise_overdue else "",
            ]
        )
    return headers, table


def _stats_table(data: dict[str, Any], t: I18n) -> tuple[list[str], list[list[Cell]]]:
    headers = [_l(t, "单位", "Unit")]
    headers += [t(f"state.{s.value}") for s in DAY_STATES]
    headers += [t(f"kind.{k.value}") for k in COUNTED_KINDS]
    headers += [t("col.plan"), t("col.summary")]
    table: list[list[Cell]] = []
    for u in data["units"]:
        table.append(
            [
                u["name"],
                *(u["days"][s] for s in DAY_STATES),
                *(u["kinds"][k] for k in COUNTED_KINDS),
            ]
            + [t(f"state.{u['plan']}"), t(f"state.{u['summary']}")]
        )
    tot = data["totals"]
    table.append(
        [_l(t, "合计", "Total"), *(tot["days"][s] for s in DAY_STATES)]
        + [tot["kinds"][k] for k in COUNTED_KINDS]
        + [state_counts(tot["plan"], t), state_counts(tot["summary"], t)]
    )
    return headers, table


#: The order a totals cell names the states in: what was sent first.
_COUNT_ORDER = (State.ON_TIME, State.LATE, State.MISSING, State.EXCUSED, State.DUE, State.FUTURE)


def state_counts(counts: dict[str, int], t: I18n) -> str:
    """Units by state in words: `按时3、未交2` / `3 on time, 2 missing` (none: `—`)."""
    named = [(s, counts[s]) for s in _COUNT_ORDER if counts.get(s)]
    if t.lang == "zh":
        return "、".join(f"{t(f'state.{s.value}')}{n}" for s, n in named) or "—"
    return ", ".join(f"{n} {t(f'state.{s.value}')}" for s, n in named) or "—"


def _print_rich(
    head: str, headers: list[str], rows: list[list[Cell]], data: dict[str, Any], t: I18n
) -> None:
    from rich.console import Console

    from .report_chart import rich_table, share_chart

    console = Console()
    console.print(rich_table(head, headers, rows))
    console.print(share_chart(data["per_day"], t))


def _share_lines(data: dict[str, Any], t: I18n) -> str:
    """The on-time share per day as a bar chart, in plain characters."""
    lines = [_l(t, "每日按时报送率", "On-time share per day")]
    for d in data["per_day"]:
        share = d["share"]
        label = column_name(d["day"], t)
        if share is None:
            lines.append(f"{label}  " + _l(t, "未截止", "not yet due"))
            continue
        bar = "█" * round(share * 20)
        lines.append(f"{label}  {bar:<20} {share:.0%} ({d['on_time']}/{d['owing']})")
    return "\n".join(lines)


def _day_table(data: dict[str, Any], t: I18n) -> tuple[list[str], list[list[Cell]]]:
    headers = [_l(t, "单位", "Unit"), _l(t, "状态", "State"), _l(t, "迟交分钟", "Late (min)")]
    headers += [t(f"kind.{k.value}") for k in COUNTED_KINDS]
    table: list[list[Cell]] = []
    for u in data["units"]:
        table.append(
            [u["name"], t(f"state.{u['state']}"), u["late_minutes"]]
            + [u["arrivals"].get(k, 0) for k in COUNTED_KINDS]
        )
    return headers, table


_ACTION_HEADERS = [
    ("时间", "Time"),
    ("操作人", "Operator"),
    ("单位", "Unit"),
    ("栏目", "Cell"),
    ("操作", "Action"),
    ("原因/内容", "Reason"),
]
