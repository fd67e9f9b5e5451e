"""A small picture of the day: arrivals per hour as a sparkline, and today's on-time share."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static


class TodayPicture(Vertical):
    DEFAULT_CSS = """
    TodayPicture { height: auto; }
    TodayPicture Sparkline { height: 2; margin: 0 0; }
    TodayPicture Static { height: 1; }
    """

    def __init__(self, title: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title, style="bold"), classes="today-title")
        yield Sparkline([0] * 24, summary_function=max)
        yield Static(Text("00        12       23", style="dim"), classes="today-axis")
        yield Static("", classes="today-share")

    def show(self, per_hour: Sequence[int], share: str) -> None:
        spark = self.query_one(Sparkline)
        if list(spark.data or []) != list(per_hour):
            spark.data = list(per_hour)
        self.query_one(".today-share", Static).update(Text(share))
