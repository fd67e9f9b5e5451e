"""The state styles of the current Textual theme (see `look.THEME_COLOUR`), and of the
terminal's colour mode: none (NO_COLOR), 16 colours, or more."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from rich._palettes import STANDARD_PALETTE
from rich.color import Color as RichColor
from rich.style import Style
from textual.app import App
from textual.color import Color, ColorParseError

from .look import MONO_STYLE, STYLE, THEME_COLOUR

#: "none": NO_COLOR (attributes only); "ansi": 16 colours (fixed ANSI styles: a theme's
#: colours land on whatever of the 16 is nearest, which put due and late on the same red);
#: "theme": 256 colours or true colour, the theme's own.
ColourMode = Literal["none", "ansi", "theme"]


def colour_mode(app: App[Any]) -> ColourMode:
    """The colour mode the app draws in."""
    if app.no_color:
        return "none"
    if app.console.color_system in ("standard", "windows"):
        return "ansi"
    return "theme"


def state_styles(variables: Mapping[str, str], mode: ColourMode = "theme") -> dict[str, Style]:
    """Per state, a Rich style: in the theme's colour (its `App.get_css_variables()`), or
    the fixed look of `mode`."""
    if mode == "none":
        return {state: Style.parse(s) for state, s in MONO_STYLE.items()}
    if mode == "ansi":
        return {state: _exact_ansi(Style.parse(s)) for state, s in STYLE.items()}
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


def _exact_ansi(style: Style) -> Style:
    """An ANSI colour as the exact RGB that 16-colour output maps back to that ANSI colour.

    Textual turns ANSI colours into its ANSI theme's RGB (red becomes a Monokai pink) and a
    16-colour terminal then gets the nearest of its 16: magenta for red, bright red for
    yellow. The palette's own RGB comes back as the very colour asked for.
    """
    color = style.color
    if color is None or color.number is None or color.number > 15:
        return style
    triplet = STANDARD_PALETTE[color.number]
    return style + Style(color=RichColor.from_triplet(triplet))


def app_styles(app: App[Any]) -> dict[str, Style]:
    """The state styles the app draws in now (its theme and colour mode)."""
    return state_styles(app.get_css_variables(), colour_mode(app))
