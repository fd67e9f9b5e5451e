"""A radio button whose choice reads without colour.

Textual's `RadioButton` draws the same ● for a chosen and an unchosen button and tells them
apart by colour alone: under NO_COLOR every button of a set looked chosen. Here the mark is a
shape: ● chosen, ○ not; on the Linux console, which lacks the half blocks around it, `(*)`
and `( )`.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton

from .look import ascii_only


class ChoiceButton(RadioButton):
    """A `RadioButton` whose mark is ● when chosen and ○ when not."""

    @property
    def _button(self) -> Content:
        # ToggleButton draws BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT: the inner follows the value.
        if ascii_only():
            self.BUTTON_LEFT, self.BUTTON_RIGHT = "(", ")"
            self.BUTTON_INNER = "*" if self.value else " "
        else:
            self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button
