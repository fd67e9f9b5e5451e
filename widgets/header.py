"""The dashboard's header: title and theme, the time now, the next deadline, badges."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from .safe import safe_str


@dataclass(frozen=True)
class HeaderView:
    """What the header shows. `badges`: (text, style) pairs, shown as [text] so they read
    without colour."""

    title: str
    theme: str
    now: str
    countdown: str
    urgent: bool
    badges: tuple[tuple[str, str], ...] = ()


class WeekHeader(Static):
    """Two lines. The countdown turns urgent (reverse, bold) in the last hour."""

    DEFAULT_CSS = """
    WeekHeader { height: 2; padding: 0 1; background: $panel; }
    """

    #: Bound to the screen's computed header (`data_bind`): drawn whenever it changes.
    view: reactive[HeaderView | None] = reactive(None)
    text = Text()

    def watch_view(self, view: HeaderView | None) -> None:
        if view is not None:
            self.show(view)

    def show(self, view: HeaderView) -> None:
        line = Text(safe_str(view.title), style="bold", no_wrap=True, overflow="ellipsis")
        if view.theme:
            line.append("  「" + safe_str(view.theme) + "」")
        line.append(f"   {view.now}")
        second = Text(no_wrap=True, overflow="ellipsis")
        second.append(f" {view.countdown} ", style="bold reverse" if view.urgent else "bold")
        for text, style in view.badges:
            second.append("  ")
            second.append(f"[{safe_str(text)}]", style=style)
        self.text = Text("\n").join([line, second])
        self.update(self.text)
        self.set_class(view.urgent, "urgent")
