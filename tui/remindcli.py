"""`weekwatch remind`: e-mail the units that owe a cell, one message per unit, from the
workspace's `reminder.txt`; each message recorded in the action log as it is sent."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from weekwatch.store.model import WeekwatchError
from weekwatch.store.notify import NotifyError, markdown, post_markdown
from weekwatch.store.remind import Plan, Reminder, bureau_of, cell_label, plan, send_all
from weekwatch.store.remind_config import (
    REMINDABLE,
    SmtpConfig,
    load_notify_config,
    load_remind_config,
    load_smtp_config,
    parse_only,
)
from weekwatch.store.remind_template import load_template
from weekwatch.store.report_cells import current_column
from weekwatch.store.smtp_send import Sender, SmtpError
from weekwatch.store.vocab import parse_cell
from weekwatch.store.week import Week, default_operator
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
    if not text:
        return None
    from .cli import _unit  # one reading of a unit typed on the command line

    return [_unit(week, t) for t in text.replace("，", ",").split(",") if t.strip()]


def make_plan(
    week: Week,
    *,
    cell: str | None = None,
    only: tuple[str, ...] = REMINDABLE,
    units: list[str] | None = None,
    again: bool = False,
    operator: str | None = None,
) -> Plan:
    """What a run would send now: the board judged by the rules, the template filled."""
    template = load_template(week.workspace.root)
    board = week.board()
    col = cell or current_column(board)
    cfg = load_smtp_config(week.workspace.config)
    bureau = bureau_of(cfg, load_remind_config(week.workspace.config).bureau)
    return plan(
        board,
        week.ledger(),
        template,
        col,
        only=only,
        units=units,
        again=again,
        bureau=bureau,
        operator=operator or default_operator(),
    )


def recorder(week: Week, operator: str | None) -> Callable[[Reminder, str], object]:
    def record(r: Reminder, message_id: str) -> object:
        return week.contact(
            r.unit,
            f"催报邮件：{r.message.subject}（{'、'.join(r.to)}）",
            r.cell,
            operator=operator,
            via="email",
            message_id=message_id,
        )

    return record


def deliver(
    week: Week,
    cfg: SmtpConfig,
    reminders: tuple[Reminder, ...],
    operator: str | None,
    progress: Callable[[int, Reminder], None] = lambda _i, _r: None,
) -> int:
    """Send and record every reminder; raises SmtpError with how many went before it."""
    password = cfg.password()
    sender = Sender(cfg, password)
    with sender:
        return send_all(
            reminders,
            cfg,
            sender,
            recorder(week, operator),
            now=week.clock,
            sleep=time.sleep,
            progress=progress,
        )


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
