"""Reminders from the dashboard (composed into a screen, like `Triage`): e-mail the marked units
(or every unit owing the focused column) — a preview of the first message and the count,
confirm, a toast per message, the board updated; the header's badge for the schedule, and
cancelling its next reminder. The sending itself is `store/remind_run.py`, as for the CLI."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from weekwatch.store.model import WeekwatchError
from weekwatch.store.remind import Plan, Reminder
from weekwatch.store.remind_config import (
    RemindConfig,
    load_remind_config,
    load_smtp_config,
)
from weekwatch.store.remind_run import deliver, make_plan
from weekwatch.store.remind_schedule import (
    News,
    cancel_next,
    next_slot,
    skipped,
    start_scheduler,
)
from weekwatch.store.week import Week

if TYPE_CHECKING:
    from textual.screen import Screen

    from .i18n import I18n

#: How many lines of the first message the preview shows: the dialog, its y/n hint included,
#: must fit an 80×24 terminal.
PREVIEW_LINES = 5


def remind_config(week: Week) -> RemindConfig:
    try:
        return load_remind_config(week.workspace.config)
    except WeekwatchError:
        return RemindConfig()  # the CLI says what is wrong; the dashboard just shows no badge


def schedule_badge(week: Week, cfg: RemindConfig, t: Any) -> str | None:
    """`[催报 11:00]` while the schedule is on (`已取消` when the next one is cancelled)."""
    if not cfg.auto:
        return None
    slot = next_slot(week.event, cfg, week.clock())
    if slot is None:
        return None
    when = f"{slot.astimezone(week.event.tz):%H:%M}"
    off = skipped(week.store) == slot.isoformat()
    return str(t("badge.remind_off" if off else "badge.remind", at=when))


def news_text(news: News | str, t: I18n) -> str:
    """A scheduled reminder's news in the dashboard's language."""
    if isinstance(news, str):
        return news  # the schedule could not start: the store's own words
    when = f"{news.slot:%m-%d %H:%M}"
    if news.cancelled:
        return t("remind.news.cancelled", when=when)
    if news.error:
        return t("remind.news.failed", when=when, error=news.error)
    sep = "、" if t.lang == "zh" else ", "
    call = t("remind.news.call", names=sep.join(news.call)) if news.call else ""
    return t("remind.news.sent", when=when, n=news.sent) + call


def start_reminding(
    week: Week, stop: threading.Event, said: Any, operator: str = ""
) -> threading.Thread | None:
    """The ingesting dashboard's schedule (`[remind] auto = true`), its messages signed by
    the dashboard's `operator`; problems become `said`."""
    try:
        cfg = load_remind_config(week.workspace.config)
        if not cfg.auto:
            return None
        smtp = load_smtp_config(week.workspace.config)
        return start_scheduler(week, cfg, smtp, said, stop, operator)
    except WeekwatchError as exc:
        said(str(exc))
        return None


def preview(p: Plan, t: Any) -> str:
    first: Reminder = p.reminders[0]
    lines = [
        t("remind.count", n=len(p.reminders)),
        "To: " + ", ".join(first.to),
        "Subject: " + first.message.subject,
        "",
        *[x for x in first.message.text.splitlines() if x.strip()][:PREVIEW_LINES],
    ]
    if p.call_instead:
        names = "、".join(f"{c.name} {c.phone}".strip() for c in p.call_instead)
        lines += ["", t("remind.call_instead", names=names)]
    return "\n".join(lines)


class RemindFlow:
    """The screen's e-mail reminders. `screen` has `week`, `t`, `operator`, `marked`,
    `refresh_board` and a grid with `focus_column`."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self.week: Week = screen.week  # type: ignore[attr-defined]
        self.t = screen.t  # type: ignore[attr-defined]
        self.cfg = remind_config(self.week)

    def notify(self, message: str, **kw: Any) -> None:
        self.screen.app.notify(message, **kw)

    def badge(self) -> str | None:
        return schedule_badge(self.week, self.cfg, self.t)

    def remind(self, units: Sequence[str] | None, cell: str | None) -> None:
        """Plan in a worker, then ask with a preview; send only on yes."""
        app = self.screen.app
        operator = getattr(self.screen, "operator", None)

        def work() -> None:
            try:
                if load_smtp_config(self.week.workspace.config) is None:
                    raise WeekwatchError(self.t("remind.no_smtp"))
                p = make_plan(self.week, cell=cell, units=units, operator=operator)
            except WeekwatchError as exc:
                app.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
                return
            app.call_from_thread(self._ask, p)

        self.screen.run_worker(work, thread=True, group="remind", exit_on_error=False)

    def _ask(self, p: Plan) -> None:
        from .screens.confirm import ConfirmScreen

        if not p.reminders:
            said = self.t("remind.nobody", n=len(p.already))
            if p.call_instead:
                said += " " + self.t(
                    "remind.call_instead", names="、".join(c.name for c in p.call_instead)
                )
            self.notify(said, severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._send(p)

        self.screen.app.push_screen(
            ConfirmScreen(self.t("remind.title"), preview(p, self.t), self.t("remind.hint")),
            answered,
        )

    def _send(self, p: Plan) -> None:
        app = self.screen.app
        operator = getattr(self.screen, "operator", None)
        total = len(p.reminders)

        def progress(i: int, r: Reminder) -> None:
            app.call_from_thread(
                self.notify, self.t("remind.sent_one", i=i, n=total, name=r.name), timeout=3
            )

        def work() -> None:
            try:
                cfg = load_smtp_config(self.week.workspace.config)
                if cfg is None:
                    raise WeekwatchError(self.t("remind.no_smtp"))
                n = deliver(self.week, cfg, p.reminders, operator, progress)
            except WeekwatchError as exc:
                app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
                app.call_from_thread(self._refresh)
                return
            app.call_from_thread(self.notify, self.t("remind.done", n=n))
            app.call_from_thread(self._refresh)

        self.screen.run_worker(work, thread=True, group="remind", exit_on_error=False)

    def _refresh(self) -> None:
        refresh = getattr(self.screen, "refresh_board", None)
        if refresh is not None and self.screen.is_running:
            refresh()
        if hasattr(self.screen, "marked") and self.screen.is_running:
            self.screen.marked = frozenset()

    def cancel_next(self) -> None:
        slot = cancel_next(self.week, self.cfg) if self.cfg.auto else None
        if slot is None:
            self.notify(self.t("remind.no_schedule"), severity="warning")
            return
        when = f"{slot.astimezone(self.week.event.tz):%m-%d %H:%M}"
        off = skipped(self.week.store) == slot.isoformat()
        self.notify(self.t("remind.cancelled" if off else "remind.restored", at=when))
        self.show_badge()

    def show_badge(self) -> None:
        """The header's schedule badge, read again (the cancellation may be another's)."""
        if hasattr(self.screen, "remind_badge"):
            self.screen.remind_badge = self.badge() or ""
