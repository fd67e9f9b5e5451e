"""The header and the side pane (today's picture, the focused cell's detail): a mixin of the app."""

from __future__ import annotations

from textual.widgets import Static

from weekwatch.widgets.header import WeekHeader
from weekwatch.widgets.today import TodayPicture

from . import view
from .describe import detail


class Panes:
    """Redraws the header, today's picture and the detail pane from the app's latest board."""

    def _update_header(self) -> None:
        if not self.is_running:
            return
        now = self.clock()
        ev = self.event
        text, urgent = view.countdown(ev, now, self.t)
        badges: list[tuple[str, str]] = []
        if self.board is not None:
            waiting = sum(1 for p in self.board.quarantined if not p.material.gone)
            if waiting:
                badges.append((self.t("badge.quarantine", n=waiting), "bold"))
        if self.frozen:
            badges.append(
                (self.t("badge.as_of", when=f"{now.astimezone(ev.tz):%Y-%m-%d %H:%M}"), "bold")
            )
        if self.week.read_only:
            badges.append((self.t("badge.read_only"), "bold"))
        if self.following:
            badges.append((self.t("badge.following", pid=self.following), ""))
        elif self.watcher is not None or self._lock is not None:
            badges.append((self.t("badge.watching"), "dim"))
        if self.filter != "all":
            badges.append((self.t("badge.filter", name=self.t(f"filter.{self.filter}")), ""))
        if self.sort != "roster":
            badges.append((self.t("badge.sort", name=self.t(f"sort.{self.sort}")), ""))
        if self.marked:
            badges.append((self.t("badge.marked", n=len(self.marked)), "bold"))
        when = f"{now.astimezone(ev.tz):%Y-%m-%d %H:%M:%S %Z}"
        self.query_one(WeekHeader).show(ev.title, ev.theme, when, text, urgent, badges)

    def _update_side(self) -> None:
        board = self.board
        if board is None:
            return
        today = view.today_column(board.event, board.now)
        if today is None:
            share = self.t("today.none")
        else:
            on, total = view.on_time_share(board, today)
            share = self.t(
                "today.share", on=on, all=total, pct=round(100 * on / total) if total else 0
            )
        self.query_one(TodayPicture).show(self.per_hour, share)
        self._update_detail()

    def _update_detail(self) -> None:
        if not self.is_running:
            return
        if self.board is None:
            return
        uid, col = self.grid.focus_unit, self.grid.focus_column
        unit = next((u for u in self.board.units if u.id == uid), None) if uid else None
        text = detail(self.board, self.ledger, unit, col if unit else None, self.t)
        self.query_one("#detail", Static).update(text)
