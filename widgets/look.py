"""How a cell state looks: a symbol that carries the meaning without colour, and a style.

Shared by the grid and the headless `status` table, so both read the same in monochrome.
No Textual import: plain data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: One symbol per state; the symbol alone must tell the states apart.
SYMBOL = {
    "future": "·",
    "due": "○",
    "on_time": "✓",
    "late": "!",
    "missing": "✗",
    "excused": "E",
    "not_required": "—",  # not owed: a dash reads as "nothing asked" in any colour scheme
}

#: The same in ASCII, for a console that cannot draw the symbols above (TERM=linux).
ASCII_SYMBOL = {
    "future": ".",
    "due": "o",
    "on_time": "v",
    "late": "!",
    "missing": "X",
    "excused": "E",
    "not_required": "-",
}

#: What a cell's history adds after its symbol, worst first (one mark per cell, the first
#: that applies): a promise whose time passed with the cell still open, a promise ahead, an
#: extended deadline, a contact. Letters and signs every terminal draws, readable without
#: colour; the help screen and the README list them.
TRACE_MARK = {
    "broken": "#",
    "promised": "p",
    "extended": "+",
    "contacted": "c",
}
TRACES = tuple(TRACE_MARK)

#: A cell holding a file recommended upward (择优推荐), after its other marks: a star, or
#: `*` on a console that cannot draw one. A shape, not a colour: it reads under NO_COLOR.
STAR = "★"
ASCII_STAR = "*"
#: The narrowest a grid column is drawn: the star goes only where it still fits.
CELL_ROOM = 6

#: Rich styles per state, for 16-colour terminals and the headless table. Severity reads in
#: the order missing (red, bold), late (yellow), due (neutral: nothing is wrong yet).
STYLE = {
    "future": "dim",
    "due": "none",
    "on_time": "green",
    "late": "yellow",
    "missing": "bold red",
    "excused": "cyan",
    "not_required": "dim",
}

#: Under NO_COLOR: attributes only. Missing in reverse video is the loudest thing on screen;
#: late in bold next; due plain. (Colours would turn into greys of poor contrast.)
MONO_STYLE = {
    "future": "dim",
    "due": "none",
    "on_time": "none",
    "late": "bold",
    "missing": "bold reverse",
    "excused": "italic",
    "not_required": "dim",
}

#: The dashboard's colours: per state, the Textual theme variable it is drawn in and the
#: text attributes kept under NO_COLOR. A theme (the `t` key) changes the colours; `STYLE`
#: above stays for the headless table, which has no theme.
THEME_COLOUR = {
    "future": ("", "dim"),
    "due": ("", ""),
    "on_time": ("success", ""),
    "late": ("warning", "bold"),
    "missing": ("error", "bold"),
    "excused": ("primary-lighten-2", ""),
    "not_required": ("", "dim"),
}

#: Worst first, for sorting and for "problems only".
SEVERITY = {
    "missing": 0,
    "late": 1,
    "due": 2,
    "excused": 3,
    "on_time": 4,
    "future": 5,
    "not_required": 6,
}
PROBLEMS = frozenset({"missing", "late"})


def ascii_only(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal draws only ASCII well: the Linux console (TERM=linux), or
    WEEKWATCH_ASCII=1 for any other that cannot."""
    env = os.environ if environ is None else environ
    return env.get("TERM", "").startswith("linux") or env.get("WEEKWATCH_ASCII", "") == "1"


def symbols() -> Mapping[str, str]:
    """The state symbols this terminal can draw."""
    return ASCII_SYMBOL if ascii_only() else SYMBOL


def cell_text(
    state: str, count: int, have: int = 0, need: int = 0, trace: str = "", star: bool = False
) -> str:
    """`✓3`, `!1`, `✗`, `○`, `·`, `E`, `—`: the symbol, and the count where there is one.

    A column nobody owes still shows what came (`—2`): in a week without a daily deadline every
    day is `—`, and the operator must still see who sent something.

    A half-sent cell (`have` of `need` required kinds) says so: `✗1/2`, `○1/2`. `trace`
    (a `TRACE_MARK` key) appends its mark: `✗c` contacted, `✗#` a broken promise. `star`:
    the cell holds a recommended file, `✓3★` (where it fits in `CELL_ROOM`).
    """
    sym = symbols()[state]
    if 0 < have < need and state in ("due", "missing", "future"):
        text = f"{sym}{have}/{need}"
    else:
        counted = ("on_time", "late", "excused", "not_required")
        text = f"{sym}{count}" if count and state in counted else sym
    if trace:
        text += TRACE_MARK[trace]
    if star and len(text) < CELL_ROOM:
        text += star_mark()
    return text


def star_mark() -> str:
    """The recommended files' mark this terminal can draw."""
    return ASCII_STAR if ascii_only() else STAR
