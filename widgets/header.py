"""The dashboard's header: title and theme, the time now, the next deadline, badges."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from .safe import safe_str


class WeekHeader(Static):
    """Two lines. The countdown turns urgent (reverse, bold) in the last hour."""

    DEFAULT_CSS = """
    WeekHeader { height: 2; padding: 0 1; background: $panel; }
    """

    text = Text()

    def show(
        self,
        title: str,
        theme: str,
        now: str,
        countdown: str,
        urgent: bool,
        badges: Sequence[tuple[str, str]],
    ) -> None:
        """`badges`: (text, style) pairs, shown as [text] so they read without colour."""
        line = Text(safe_str(title), style="bold", no_wrap=True, overflow="ellipsis")
        if theme:
            line.append("  「" + safe_str(theme) + "」")
        line.append(f"   {now}")
        second = Text(no_wrap=True, overflow="ellipsis")
        second.append(f" {countdown} ", style="bold reverse" if urgent else "bold")
        for text, style in badges:
            second.append("  ")
            second.append(f"[{safe_str(text)}]", style=style)
        self.text = Text("\n").join([line, second])
        self.update(self.text)
        self.set_class(urgent, "urgent")
