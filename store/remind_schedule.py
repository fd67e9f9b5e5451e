"""The reminder schedule (`[remind] at = ["11:00"]`, `auto = true`): at each time, on each day
of the week, the process taking in files (`weekwatch watch`, or the ingesting dashboard) sends
the reminder for the cells still owed — the units already reminded for that cell are skipped as
always. An operator may cancel the next one; the cancellation is kept in the store, so every
dashboard and the watcher see it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Event, WeekwatchError
from .operators import resolve
from .remind_config import RemindConfig, SmtpConfig
from .remind_run import deliver, make_plan
from .report_cells import column_at
from .week import Week

#: The store's meta key for the cancelled slot (its ISO moment).
SKIP = "remind_skip"
#: Who the log says sent a scheduled reminder.
OPERATOR = "schedule"


def slots(event: Event, cfg: RemindConfig) -> list[dt.datetime]:
    """Every moment a scheduled reminder is due: each time of `at` on each day of the week."""
    return sorted(event.at(day, t) for day in event.dates for t in cfg.at)


def next_slot(event: Event, cfg: RemindConfig, now: dt.datetime) -> dt.datetime | None:
    return next((s for s in slots(event, cfg) if s > now), None)


def skipped(store: Any) -> str | None:
    value = store.get_meta(SKIP)
    return value if isinstance(value, str) else None


def cancel_next(week: Week, cfg: RemindConfig) -> dt.datetime | None:
    """Cancel the next scheduled reminder (again: restore it). Returns the slot, or None if
    no reminder is left this week."""
    slot = next_slot(week.event, cfg, week.clock())
    if slot is None:
        return None
    key = slot.isoformat()
    week.store.set_meta(SKIP, None if skipped(week.store) == key else key)
    return slot


def column_due(event: Event, now: dt.datetime) -> str:
    """The column a reminder at `now` is about: the one `weekwatch remind` picks then, the
    day's own column during the week (under `+1d 12:00` too: the 11:00 reminder of 15 May
    is about 15 May's materials, due at noon on the 16th, not the 14th's)."""
    return column_at(event, now)


@dataclass(frozen=True)
class News:
    """What a scheduled slot did, for the process that ran it to say in its own language
    (`weekwatch watch` prints it, the dashboard toasts it)."""

    slot: dt.datetime  # in the week's zone
    sent: int = 0
    call: tuple[str, ...] = ()  # owing, no e-mail address: the units to phone
    cancelled: bool = False
    error: str = ""

    def __str__(self) -> str:
        when = f"{self.slot:%m-%d %H:%M}"
        if self.cancelled:
            return f"reminder of {when} cancelled by an operator: not sent"
        if self.error:
            return f"reminder of {when}: {self.error}"
        call = f"; call instead: {', '.join(self.call)}" if self.call else ""
        return f"reminder of {when}: {self.sent} e-mailed{call}"


@dataclass
class Scheduler:
    """Watches the clock in a thread: each slot crossed while running fires once."""

    week: Week
    cfg: RemindConfig
    smtp: SmtpConfig
    said: Callable[[News], None]
    poll: float = 1.0
    sleep: Callable[[float], None] | None = None
    #: `{operator}` in the message: who runs the schedule (the dashboard's operator, or the
    #: one `watch` was started as); empty: as `resolve` finds them (remembered, the
    #: workspace's `operator`, the login name).
    operator: str = ""

    def run(self, stop: threading.Event) -> None:
        last = self.week.clock()
        every = slots(self.week.event, self.cfg)
        while not stop.wait(self.poll):
            now = self.week.clock()
            for slot in every:
                if last < slot <= now:
                    self.fire(slot)
            last = now

    def signer(self) -> str:
        return self.operator or resolve(None, self.week.workspace.config).name

    def fire(self, slot: dt.datetime) -> int:
        store = self.week.store
        when = slot.astimezone(self.week.event.tz)
        if skipped(store) == slot.isoformat():
            store.set_meta(SKIP, None)
            self.said(News(when, cancelled=True))
            return 0
        try:
            p = make_plan(
                self.week,
                cell=column_due(self.week.event, slot),
                only=self.cfg.only,
                operator=self.signer(),  # the message is signed; the log says "schedule"
            )
            n = deliver(self.week, self.smtp, p.reminders, OPERATOR, sleep=self.sleep or time.sleep)
        except WeekwatchError as e:  # one line; the watcher goes on
            self.said(News(when, error=str(e)))
            return 0
        self.said(News(when, n, tuple(c.name for c in p.call_instead)))
        return n


def start_scheduler(
    week: Week,
    cfg: RemindConfig,
    smtp: SmtpConfig | None,
    said: Callable[[News], None],
    stop: threading.Event,
    operator: str = "",
) -> threading.Thread | None:
    """The schedule in a daemon thread when `[remind] auto` is on (and [smtp] is set)."""
    if not cfg.auto:
        return None
    if smtp is None:
        raise WeekwatchError(f"{week.workspace.config}: [remind] auto = true needs an [smtp] table")
    thread = threading.Thread(
        target=Scheduler(week, cfg, smtp, said, operator=operator).run,
        args=(stop,),
        name="remind",
        daemon=True,
    )
    thread.start()
    return thread
