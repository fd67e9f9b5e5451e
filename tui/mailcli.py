"""The mailbox on the command line: `weekwatch fetch`, and `watch --fetch` fetching alongside."""

from __future__ import annotations

import argparse
import sys
import threading

from weekwatch.store.mailconfig import MailConfig, load_mail_config
from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week
from weekwatch.widgets.safe import safe_str

_EXAMPLE = (
    '[mail]\nhost = "imap.163.com"\nuser = "pdszhijiao@163.com"\npassword_env = "WEEKWATCH_MAIL"'
)


def mail_config(week: Week) -> MailConfig:
    cfg = load_mail_config(week.workspace.config)
    if cfg is None:
        raise WeekwatchError(
            f"{week.workspace.config}: no [mail] table; add one, for instance:\n{_EXAMPLE}",
            tag="no_table",
            path=week.workspace.config,
            table="mail",
            example=_EXAMPLE,
        )
    return cfg


def fetch(week: Week, args: argparse.Namespace) -> int:
    """`weekwatch fetch`: one pass. Exit 2 for what the operator can fix, 1 for the network."""
    from weekwatch.store.fetch import describe, fetch_once, set_state

    cfg = mail_config(week)
    cfg.password()  # a missing password is a config problem, said before connecting
    try:
        result = fetch_once(cfg, week.store, week.workspace.inbox, week.event.tz)
    except Exception as exc:
        line, code = describe(exc, cfg)
        set_state(week.store, False, line)
        print(f"weekwatch: {safe_str(line)}", file=sys.stderr)
        return code
    set_state(week.store, True)
    for path in result.saved:
        print(safe_str(f"+ {path}"))
    again = " (the folder was renumbered: looked at every message again)" if result.reset else ""
    same = f", {result.skipped} saved before" if result.skipped else ""
    print(safe_str(f"{cfg.folder}: {len(result.saved)} new{same}{again}"))
    return 0


def start_fetcher(week: Week, args: argparse.Namespace, stop: threading.Event) -> threading.Thread:
    """`watch --fetch`: the mailbox fetched in a thread; its failures one line each."""
    from weekwatch.store.fetch import Fetcher

    cfg = mail_config(week)
    cfg.password()

    def said(line: str) -> None:
        print(f"! {safe_str(line)} (retrying)", file=sys.stderr, flush=True)

    fetcher = Fetcher(
        cfg,
        week.store,
        week.workspace.inbox,
        week.event.tz,
        every=args.fetch_every,
        on_error=said,
    )
    thread = threading.Thread(target=fetcher.run, args=(stop,), name="fetch", daemon=True)
    thread.start()
    return thread


def start_fetching(week: Week, stop: threading.Event) -> threading.Thread | None:
    """The dashboard's mailbox, fetched beside its watcher when weekwatch.toml has [mail].

    A failure never reaches the screen as a traceback: the fetcher records it as the store's
    mailbox state, which the header shows (and every other dashboard, through the store)."""
    # Imported when used: IMAP (imapclient, ssl) costs every other command's start.
    from weekwatch.store.fetch import Fetcher, set_state

    try:
        cfg = load_mail_config(week.workspace.config)
        if cfg is None:
            return None
        cfg.password()
    except WeekwatchError as exc:
        set_state(week.store, False, str(exc))
        return None
    fetcher = Fetcher(
        cfg, week.store, week.workspace.inbox, week.event.tz, on_error=lambda _line: None
    )
    thread = threading.Thread(target=fetcher.run, args=(stop,), name="fetch", daemon=True)
    thread.start()
    return thread
