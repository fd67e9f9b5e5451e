"""How a cell state looks: a symbol that carries the meaning without colour, and a style.

Shared by the grid and the headless `status` table, so both read the same in monochrome.
No Textual import: plain data.
"""

from __future__ import annotations

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

#: Rich styles per state (ignored under NO_COLOR; the symbol still reads).
STYLE = {
    "future": "dim",
    "due": "yellow",
    "on_time": "green",
    "late": "bold dark_orange",
    "missing": "bold red",
    "excused": "cyan",
    "not_required": "dim",
}

#: The dashboard's colours: per state, the Textual theme variable it is drawn in and the
#: text attributes kept under NO_COLOR. A theme (the `t` key) changes the colours; `STYLE`
#: above stays for the headless table, which has no theme.
THEME_COLOUR = {
    "future": ("", "dim"),
    "due": ("warning-lighten-2", ""),
    "on_time": ("success", ""),
    "late": ("warning-darken-1", "bold"),
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


def cell_text(state: str, count: int, have: int = 0, need: int = 0) -> str:
    """`✓3`, `!1`, `✗`, `○`, `·`, `E`, `—`: the symbol, and the count where there is one.

    A half-sent cell (`have` of `need` required kinds) says so: `✗1/2`, `○1/2`.
    """
    sym = SYMBOL[state]
    if 0 < have < need and state in ("due", "missing", "future"):
        return f"{sym}{have}/{need}"
    return f"{sym}{count}" if count and state in ("on_time", "late", "excused") else sym
