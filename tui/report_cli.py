"""`weekwatch report calls|stats|day|actions`: the reports on the command line.

The numbers come from store/report_*.py (the cell rules' board); this module only picks the
moment, the language and the format, and writes the result."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from weekwatch.store.config import parse_column, parse_moment
from weekwatch.store.model import State, WeekwatchError
from weekwatch.store.report_actions import actions_json
from weekwatch.store.report_calls import Call, calls, calls_json
from weekwatch.store.report_day import day_digest, digest_json
from weekwatch.store.report_stats import COUNTED_KINDS, DAY_STATES, stats, stats_json
from weekwatch.store.week import Week

from .describe import column_name, kinds_text
from .i18n import I18n
from .report_formats import Cell, csv_table, json_text, md_table, text_table
from .report_text import day_text

FORMATS = ("text", "md", "csv", "json", "xlsx")


def add_parser(sub: Any) -> None:
    r = sub.add_parser("report", help="the call list, the day's digest, the week's statistics")
    rs = r.add_subparsers(dest="report", parser_class=type(r))

    def common(p: argparse.ArgumentParser, moment: bool = True) -> None:
        p.add_argument("--format", choices=FORMATS, default="text")
        p.add_argument("--output", help="write to this file (default: print)")
        p.add_argument("--lang", choices=["zh", "en"], default="zh", help="labels (default zh)")
        if moment:
            p.add_argument("--as-of", help="the week as it stood then (ISO date-time)")

    p = rs.add_parser("calls", help="whom to phone: missing or late, worst first")
    p.add_argument("--cell", help="the column (default: the current one)")
    common(p)
    p = rs.add_parser("day", help="the day's digest, to paste into a message")
    p.add_argument("date", nargs="?", help="YYYY-MM-DD or 5月13日 (default: today)")
    common(p)
    common(rs.add_parser("stats", help="the week's statistics per unit, totals, per day"))
    common(rs.add_parser("actions", help="the full action log"))


def run_report(week: Week, args: argparse.Namespace) -> int:
    try:
        return _run_report(week, args)
    except _Xlsx as x:
        from .report_xlsx import write_xlsx

        ev = week.event
        when = (parse_moment(args.as_of, ev.tz) if args.as_of else week.clock()).astimezone(ev.tz)
        path = (
            Path(args.output)
            if args.output
            else week.workspace.root / "reports" / f"{args.report}-{when:%Y%m%d-%H%M}.xlsx"
        )
        write_xlsx(path, f"{ev.title} · {args.report} · {when:%Y-%m-%d %H:%M}", x.headers, x.rows)
        print(path)
        return 0


def _run_report(week: Week, args: argparse.Namespace) -> int:
    if not args.report:
        raise WeekwatchError("weekwatch report: say calls, day, stats or actions")
    ev = week.event
    as_of = parse_moment(args.as_of, ev.tz) if args.as_of else None
    t = I18n(args.lang)
    out: str
    if args.report == "calls":
        board = week.board(as_of)
        col = parse_column(args.cell, ev) if args.cell else None
        rows = calls(board, week.ledger(board.now), col)
        col = col or (rows[0].cell if rows else None)
        from weekwatch.store.report_cells import current_column

        col = col or current_column(board)
        data = calls_json(board, col, rows)
        out = _emit(args.format, data, *_calls_table(rows, t, ev.tz))
    elif args.report == "stats":
        board = week.board(as_of)
        s = stats(board)
        data = stats_json(board, s)
        headers, rows_ = _stats_table(data, t)
        out = _emit(args.format, data, headers, rows_)
        if args.format == "text":
            out += "\n" + _share_lines(data, t) + "\n"
    elif args.report == "day":
        day = parse_column(args.date, ev) if args.date else None
        now = as_of or week.clock()
        if day is not None and as_of is None:
            # A past day's digest: as it stood at the day's end (or now, if sooner).
            now = min(now, ev.at(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time()))
        board = week.board(now)
        d = day_digest(board, week.ledger(now), day)
        data = digest_json(board, d)
        if args.format == "text":
            out = day_text(d, board, t) + "\n"
        elif args.format == "xlsx":
            raise _Xlsx(*_day_table(data, t))
        else:
            out = _emit(args.format, data, *_day_table(data, t))
    else:
        data_rows = actions_json(week.ledger(as_of), ev.tz)
        headers = [_l(t, *h) for h in _ACTION_HEADERS]
        table: list[list[Cell]] = [
            [
                r["at"][:16].replace("T", " "),
                r["operator"],
                r["unit"],
                r["cell"],
                r["action"],
                r["reason"]
                + ("" if r["in_force"] else (" (已撤销)" if t.lang == "zh" else " (undone)")),
            ]
            for r in data_rows
        ]
        out = _emit(args.format, data_rows, headers, table)
    _write(out, args.output, args.format)
    return 0


def _l(t: I18n, zh: str, en: str) -> str:
    return zh if t.lang == "zh" else en


class _Xlsx(Exception):
    """Raised by `_emit` for xlsx: the table goes to a workbook, not to text."""

    def __init__(self, headers: list[str], rows: list[list[Cell]]) -> None:
        self.headers, self.rows = headers, rows


def _emit(fmt: str, data: object, headers: list[str], rows: list[list[Cell]]) -> str:
    if fmt == "xlsx":
        raise _Xlsx(headers, rows)
    if fmt == "json":
        return json_text(data)
    if fmt == "csv":
        return csv_table(headers, rows)
    if fmt == "md":
        return md_table(headers, rows) + "\n"
    return text_table(headers, rows) + "\n"


def _write(out: str, output: str | None, fmt: str) -> None:
    if output:
        Path(output).write_text(out, encoding="utf-8", newline="")
        print(output)
        return
    sys.stdout.write(out)


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

    def sent(c: dict[str, int]) -> str:
        return f"{c.get(State.ON_TIME, 0)}+{c.get(State.LATE, 0)}"

    table.append(
        [_l(t, "合计", "Total"), *(tot["days"][s] for s in DAY_STATES)]
        + [tot["kinds"][k] for k in COUNTED_KINDS]
        + [sent(tot["plan"]), sent(tot["summary"])]
    )
    return headers, table


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
