"""`weekwatch remind`: e-mail the units that owe a cell, one message per unit, from the
workspace's `reminder.txt`; each message recorded in the action log as it is sent."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading

from weekwatch.store.model import WeekwatchError
from weekwatch.store.notify import NotifyError, markdown, post_markdown
from weekwatch.store.remind import Plan, Reminder, cell_label
from weekwatch.store.remind_config import (
    SmtpConfig,
    load_notify_config,
    load_remind_config,
    load_smtp_config,
    parse_only,
)
from weekwatch.store.remind_run import deliver, make_plan
from weekwatch.store.remind_schedule import News, next_slot, start_scheduler
from weekwatch.store.smtp_send import SmtpError
from weekwatch.store.vocab import find_units, parse_cell, parse_when
from weekwatch.store.week import Week
from weekwatch.widgets.safe import safe_str

from .headless import output_lang
from .i18n import I18n

_EXAMPLE = (
    '[smtp]\nhost = "smtp.163.com"\nuser = "pds9980@163.com"\n'
    'from = "平顶山市教体局职成科 <pds9980@163.com>"\npassword_env = "WEEKWATCH_SMTP"'
)


def smtp_config(week: Week) -> SmtpConfig:
    cfg = load_smtp_config(week.workspace.config)
    if cfg is None:
        raise WeekwatchError(
            f"{week.workspace.config}: no [smtp] table; add one, for instance:\n{_EXAMPLE}",
            tag="no_table",
            path=week.workspace.config,
            table="smtp",
            example=_EXAMPLE,
        )
    return cfg


def _units(week: Week, text: str | None) -> list[str] | None:
    """`--units`: the shared reading of units typed (ids, names, aliases, enough of a name)."""
    if not text:
        return None
    return [u.id for u in find_units(week.units(), text)]


def print_message(r: Reminder, t: I18n) -> None:
    print(safe_str(t("remind.cli.to", to=", ".join(r.to))))
    print(safe_str(t("remind.cli.subject", subject=r.message.subject)))
    print()
    for line in r.message.text.splitlines():
        print(safe_str(line))
    if r.message.html is not None:
        print(t("remind.cli.html"))
    print("-" * 40)


def _call_instead(p: Plan, t: I18n) -> None:
    if not p.call_instead:
        return
    print(t("remind.cli.call_head"))
    for c in p.call_instead:
        who = " ".join(x for x in (c.liaison, c.phone or t("remind.cli.no_phone")) if x)
        print(safe_str(f"  {c.name}  {who}"))


def _said(e: WeekwatchError, t: I18n) -> str:
    """A typed value's mistake in the chosen language, with this week's examples."""
    from .guards import say  # the dialogs' words for input mistakes, shared

    return say(e, t)


def _as_of(week: Week, args: argparse.Namespace) -> dt.datetime | None:
    """The global `--as-of`: the board judged, the messages dated and the contacts recorded
    as of that moment, with the decisions `--actions` says (until it, by default)."""
    text = getattr(args, "as_of", None)
    if not text:
        return None
    try:
        moment = parse_when(text, week.event, week.clock())
    except WeekwatchError as e:
        raise WeekwatchError(f"--as-of: {_said(e, output_lang(week, args))}") from None
    week.clock = lambda: moment
    week.actions = getattr(args, "actions", None) or week.actions
    return moment


def remind(week: Week, args: argparse.Namespace) -> int:
    t = output_lang(week, args)
    moment = _as_of(week, args)
    ev = week.event
    try:
        cell = parse_cell(args.cell, ev, week.clock()) if args.cell else None
    except WeekwatchError as e:
        raise WeekwatchError(f"--cell: {_said(e, t)}") from None
    only = parse_only(args.only)
    try:
        units = _units(week, args.units)
    except WeekwatchError as e:
        raise WeekwatchError(f"--units: {_said(e, t)}") from None
    cfg = None if args.dry_run else smtp_config(week)
    p = make_plan(week, cell=cell, only=only, units=units, again=args.again, operator=args.operator)
    label = cell_label(p.cell)  # 5月15日, 活动方案: as the message says it
    already = t("remind.cli.already", n=len(p.already)) if p.already else ""
    if moment is not None:
        print(t("remind.cli.as_of", when=f"{moment.astimezone(ev.tz):%Y-%m-%d %H:%M}"))
    if args.dry_run:
        for r in p.reminders:
            print_message(r, t)
        print(safe_str(t("remind.cli.dry", label=label, n=len(p.reminders), already=already)))
        _call_instead(p, t)
        return 0
    assert cfg is not None
    if not p.reminders:
        print(safe_str(t("remind.cli.nobody", label=label, already=already)))
        _call_instead(p, t)
        return 0
    cfg.password()  # a missing password is a config problem, said before asking
    if not args.yes:
        question = t("remind.cli.ask", label=label, n=len(p.reminders), sender=cfg.sender)
        if not sys.stdin.isatty():
            raise WeekwatchError(t("remind.cli.no_terminal", question=question))
        answer = input(f"{question} [y/N] ").strip().lower()
        if answer not in ("y", "yes", "是"):
            print(t("remind.cli.nothing"))
            return 0

    def said(i: int, r: Reminder) -> None:
        line = t("remind.cli.sent_one", i=i, n=len(p.reminders), name=r.name, to=", ".join(r.to))
        print(safe_str(line), flush=True)

    try:
        n = deliver(week, cfg, p.reminders, args.operator, said)
    except SmtpError as e:
        print(f"weekwatch: {safe_str(str(e))}", file=sys.stderr)
        _call_instead(p, t)
        return e.code
    print(safe_str(t("remind.cli.sent", label=label, n=n, already=already)))
    _call_instead(p, t)
    return 0


def send_digest(week: Week, text: str) -> int:
    """`report day --send`: the digest as markdown to every robot of `[notify]`."""
    cfg = load_notify_config(week.workspace.config)
    if cfg is None:
        raise WeekwatchError(
            f"{week.workspace.config}: no [notify] table; add wecom_webhook, or "
            "dingtalk_webhook and dingtalk_secret (a plain WeChat group has no robot: "
            "paste `weekwatch report day` instead)",
            tag="no_notify",
            path=week.workspace.config,
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


def start_reminders(
    week: Week, stop: threading.Event, operator: str = ""
) -> threading.Thread | None:
    """`watch` with `[remind] auto = true`: the schedule in a thread, its news one line each;
    the messages signed `operator` (who `watch` runs as)."""
    cfg = load_remind_config(week.workspace.config)
    if not cfg.auto:
        return None
    smtp = load_smtp_config(week.workspace.config)
    if smtp is not None:
        smtp.password()  # a missing password is said now, not at 11:00

    def said(news: News) -> None:
        print(safe_str(f"remind: {news}"), flush=True)  # in English, as `watch` speaks

    thread = start_scheduler(week, cfg, smtp, said, stop, operator)
    nxt = next_slot(week.event, cfg, week.clock())
    times = ", ".join(f"{t:%H:%M}" for t in cfg.at)
    then = f"next {nxt.astimezone(week.event.tz):%m-%d %H:%M}" if nxt else "none left this week"
    print(f"reminders by e-mail at {times} each day of the week ({then})", flush=True)
    return thread
