"""A small picture of the day: arrivals per hour as a sparkline, and today's on-time share."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Sparkline, Static


@dataclass(frozen=True)
class TodayView:
    """What the picture shows: arrivals in each hour of today, and the share line."""

    per_hour: tuple[int, ...]
    share: str


class TodayPicture(Vertical):
    DEFAULT_CSS = """
    TodayPicture { height: auto; }
    TodayPicture Sparkline { height: 2; margin: 0 0; }
    TodayPicture Static { height: 1; }
    TodayPicture .today-share { height: auto; }
    """

    #: Bound to the screen's computed picture (`data_bind`): drawn whenever it changes.
    view: reactive[TodayView | None] = reactive(None)

    def __init__(self, title: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title, style="bold"), classes="today-title")
        yield Sparkline([0] * 24, summary_function=max)
        yield Static(Text("00        12       23", style="dim"), classes="today-axis")
        yield Static("", classes="today-share")

    def on_mount(self) -> None:
        self.watch_view(self.view)

    def watch_view(self, view: TodayView | None) -> None:
        if view is None or not self.is_mounted:
            return
        spark = self.query_one(Sparkline)
        if list(spark.data or []) != list(view.per_hour):
            spark.data = list(view.per_hour)
        self.query_one(".today-share", Static).update(Text(view.share))
