"""The Linux console (TERM=linux): its font has no eighth blocks, so scrollbars are drawn in
whole cells (a thumb of reverse-video spaces) instead of Textual's smooth ▁▂▃ ends."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBarRender
from textual.widget import Widget


class WholeCellScrollBar(ScrollBarRender):
    """A scrollbar whose thumb starts and ends on whole cells: drawable by any console."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def plain_scrollbars(widget: Widget) -> None:
    """Draw `widget`'s scrollbars in whole cells."""
    # Per instance, as Textual's ScrollBar documents (typed as a ClassVar there).
    widget.vertical_scrollbar.renderer = WholeCellScrollBar  # type: ignore[misc]
    widget.horizontal_scrollbar.renderer = WholeCellScrollBar  # type: ignore[misc]
