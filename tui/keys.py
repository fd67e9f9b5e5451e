"""The dashboard's key bindings, per language; each has an id (for keymaps) and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

from .i18n import I18n

#: (key, action, message key, id, shown in the footer, key as shown)
_KEYS = (
    ("q", "quit", "quit", "app.quit", True, None),
    ("slash", "find", "find", "grid.find", True, "/"),
    ("f", "cycle_filter", "filter", "grid.filter", True, None),
    ("s", "cycle_sort", "sort", "grid.sort", True, None),
    ("e", "excuse", "excuse", "grid.excuse", True, None),
    ("x", "extend", "extend", "grid.extend", True, None),
    ("c", "contact", "contact", "grid.contact", True, None),
    ("n", "note", "note", "grid.note", True, None),
    ("u", "undo", "undo", "grid.undo", True, None),
    ("space", "mark", "mark", "grid.mark", False, "space"),
    ("r", "rescan", "rescan", "grid.rescan", False, None),
    ("i", "quarantine", "quarantine", "grid.quarantine", True, None),
    ("o", "record", "record", "grid.record", False, "enter, o"),
    ("t", "cycle_theme", "theme", "app.theme", False, None),
    ("question_mark", "help", "help", "app.help", True, "?"),
)

#: Actions that work on the grid, refused while another screen is on top.
GRID_ACTIONS = frozenset(a for _, a, *_ in _KEYS) - {"quit", "help", "cycle_theme"}


def main_bindings(t: I18n) -> list[Binding]:
    out = [
        Binding(
            key,
            action,
            t(f"key.{msg}"),
            show=show,
            key_display=display,
            id=id_,
            tooltip=t(f"key.{msg}.tip"),
        )
        for key, action, msg, id_, show, display in _KEYS
    ]
    # Shown in help only: the palette key is the App's own, and moving is the grid's.
    out.append(
        Binding(
            "ctrl+p",
            "command_palette",
            t("key.palette"),
            show=False,
            id="app.palette",
            tooltip=t("key.palette.tip"),
        )
    )
    out.append(
        Binding(
            "up,down,left,right,h,j,k,l",
            "noop",
            t("key.move"),
            show=False,
            key_display="←↓↑→ hjkl",
            id="grid.move",
            tooltip=t("key.move.tip"),
        )
    )
    return out
