"""`weekwatch remind`: e-mail the units that owe a cell, one message per unit, from the
workspace's `reminder.txt`; each message recorded in the action log as it is sent."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from weekwatch.store.model import WeekwatchError
from weekwatch.store.notify import NotifyError, markdown, post_markdown
from weekwatch.store.remind import Plan, Reminder, cell_label
from weekwatch.store.remind_config import (
    REMINDABLE,
    SmtpConfig,
    load_notify_config,
    load_remind_config,
    load_smtp_config,
    parse_only,
)
from weekwatch.store.remind_run import deliver, make_plan
from weekwatch.store.remind_schedule import next_slot, start_scheduler
from weekwatch.store.smtp_send import SmtpError
from weekwatch.store.vocab import find_units, parse_cell
from weekwatch.store.week import Week
from weekwatch.widgets.safe import safe_str

_EXAMPLE = (
    '[smtp]\nhost = "smtp.163.com"\nuser = "pds9980@163.com"\n'
    'from = "平顶山市教体局职成科 <pds9980@163.com>"\npassword_env = "WEEKWATCH_SMTP"'
)


def add_parser(sub: Any) -> None:
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


def smtp_config(week: Week) -> SmtpConfig:
    cfg = load_smtp_config(week.workspace.config)
    if cfg is None:
        raise WeekwatchError(
            f"{week.workspace.config}: no [smtp] table; add one, for instance:\n{_EXAMPLE}"
        )
    return cfg


def _units(week: Week, text: str | None) -> list[str] | None:
    """`--units`: the shared reading of units typed (ids, names, aliases, enough of a name)."""
    if not text:
        return None
    return [u.id for u in find_units(week.units(), text)]


def print_message(r: Reminder) -> None:
    print(safe_str(f"To: {', '.join(r.to)}"))
    print(safe_str(f"Subject: {r.message.subject}"))
    print()
    for line in r.message.text.splitlines():
        print(safe_str(line))
    if r.message.html is not None:
        print("(and the same as HTML)")
    print("-" * 40)


def _call_instead(p: Plan) -> None:
    if not p.call_instead:
        return
    print("call instead (no e-mail address on the roster):")
    for c in p.call_instead:
        who = " ".join(x for x in (c.liaison, c.phone or "no phone either") if x)
        print(safe_str(f"  {c.name}  {who}"))


def remind(week: Week, args: argparse.Namespace) -> int:
    ev = week.event
    cell = parse_cell(args.cell, ev, week.clock()) if args.cell else None
    only = parse_only(args.only)
    units = _units(week, args.units)
    cfg = None if args.dry_run else smtp_config(week)
    p = make_plan(week, cell=cell, only=only, units=units, again=args.again, operator=args.operator)
    label = cell_label(p.cell)
    already = f"; {len(p.already)} reminded before (--again to send anyway)" if p.already else ""
    if args.dry_run:
        for r in p.reminders:
            print_message(r)
        print(f"{label}: {len(p.reminders)} would be sent, none sent (dry run){already}")
        _call_instead(p)
        return 0
    assert cfg is not None
    if not p.reminders:
        print(f"{label}: nobody to e-mail{already}")
        _call_instead(p)
        return 0
    cfg.password()  # a missing password is a config problem, said before asking
    if not args.yes:
        question = f"{label}: e-mail {len(p.reminders)} units from {cfg.sender}?"
        if not sys.stdin.isatty():
            raise WeekwatchError(f"{question} No terminal to ask: pass --yes to send")
        answer = input(f"{question} [y/N] ").strip().lower()
        if answer not in ("y", "yes", "是"):
            print("nothing sent")
            return 0

    def said(i: int, r: Reminder) -> None:
        print(safe_str(f"sent {i}/{len(p.reminders)}  {r.name}  → {', '.join(r.to)}"), flush=True)

    try:
        n = deliver(week, cfg, p.reminders, args.operator, said)
    except SmtpError as e:
        print(f"weekwatch: {safe_str(str(e))}", file=sys.stderr)
        _call_instead(p)
        return e.code
    print(f"{label}: {n} sent{already}")
    _call_instead(p)
    return 0


def send_digest(week: Week, text: str) -> int:
    """`report day --send`: the digest as markdown to every robot of `[notify]`."""
    cfg = load_notify_config(week.workspace.config)
    if cfg is None:
        raise WeekwatchError(
            f"{week.workspace.config}: no [notify] table; add wecom_webhook, or "
            "dingtalk_webhook and dingtalk_secret (a plain WeChat group has no robot: "
            "paste `weekwatch report day` instead)"
        )
    lines = text.splitlines()
    title = " ".join(lines[:2]) if lines else week.event.title
    try:
        posted = post_markdown(cfg, title, markdown(title, lines[2:]))
    except NotifyError as e:
        print(f"weekwatch: {safe_str(str(e))}", file=sys.stderr)
        return e.code
    for p in posted:
        print(safe_str(f"posted to {p.platform} ({p.url})"))
    return 0


def start_reminders(week: Week, stop: threading.Event) -> threading.Thread | None:
    """`watch` with `[remind] auto = true`: the schedule in a thread, its news one line each."""
    cfg = load_remind_config(week.workspace.config)
    if not cfg.auto:
        return None
    smtp = load_smtp_config(week.workspace.config)
    if smtp is not None:
        smtp.password()  # a missing password is said now, not at 11:00

    def said(line: str) -> None:
        print(safe_str(f"remind: {line}"), flush=True)

    thread = start_scheduler(week, cfg, smtp, said, stop)
    nxt = next_slot(week.event, cfg, week.clock())
    times = ", ".join(f"{t:%H:%M}" for t in cfg.at)
    then = f"next {nxt.astimezone(week.event.tz):%m-%d %H:%M}" if nxt else "none left this week"
    print(f"reminders by e-mail at {times} each day of the week ({then})", flush=True)
    return thread
