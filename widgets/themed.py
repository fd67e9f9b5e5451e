"""The state styles of the current Textual theme (see `look.THEME_COLOUR`)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from textual.color import Color, ColorParseError

from .look import STYLE, THEME_COLOUR


def state_styles(variables: Mapping[str, str]) -> dict[str, Style]:
    """Per state, a Rich style in the theme's colour (its `App.get_css_variables()`)."""
    out: dict[str, Style] = {}
    for state, (var, attrs) in THEME_COLOUR.items():
        style = Style.parse(attrs) if attrs else Style()
        value = variables.get(var) if var else None
        if value is None and var:
            style = Style.parse(STYLE[state])  # a theme without the variable: the fixed look
        elif value is not None:
            try:
                style += Style(color=Color.parse(value).rich_color)
            except ColorParseError:
                style = Style.parse(STYLE[state])
        out[state] = style
    return out
