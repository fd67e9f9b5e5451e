"""The dashboard's key bindings: every one a Textual `Binding` with an id (what a user's key
map names, see `keymap.py`) and a tooltip, written with message keys that `localized`
turns into the operator's language.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import TypeVar

from textual.binding import Binding
from textual.dom import DOMNode

from .i18n import I18n

#: App-wide keys: they work on every screen (help and theme also over a modal).
APP_BINDINGS = [
    Binding("q", "quit", "key.quit", id="app.quit", tooltip="key.quit.tip"),
    Binding(
        "question_mark", "help", "key.help", key_display="?", id="app.help", tooltip="key.help.tip"
    ),
    Binding("t", "cycle_theme", "key.theme", show=False, id="app.theme", tooltip="key.theme.tip"),
]

#: Listed in help, not bound: the palette key is the App's own (its footer label is Textual's).
PALETTE = Binding(
    "ctrl+p",
    "command_palette",
    "key.palette",
    show=False,
    id="app.palette",
    tooltip="key.palette.tip",
)

#: The grid's keys: on the dashboard screen only, so a screen on top switches them off.
GRID_BINDINGS = [
    Binding("slash", "find", "key.find", key_display="/", id="grid.find", tooltip="key.find.tip"),
    Binding("f", "cycle_filter", "key.filter", id="grid.filter", tooltip="key.filter.tip"),
    Binding("s", "cycle_sort", "key.sort", id="grid.sort", tooltip="key.sort.tip"),
    Binding("e", "excuse", "key.excuse", id="grid.excuse", tooltip="key.excuse.tip"),
    Binding("x", "extend", "key.extend", id="grid.extend", tooltip="key.extend.tip"),
    Binding("c", "contact", "key.contact", id="grid.contact", tooltip="key.contact.tip"),
    Binding("n", "note", "key.note", id="grid.note", tooltip="key.note.tip"),
    Binding("u", "undo", "key.undo", id="grid.undo", tooltip="key.undo.tip"),
    Binding("U", "redo", "key.redo", show=False, id="grid.redo", tooltip="key.redo.tip"),
    Binding(
        "asterisk",
        "recommend",
        "key.recommend",
        show=False,
        key_display="*",
        id="grid.recommend",
        tooltip="key.recommend.tip",
    ),
    Binding(
        "space",
        "mark",
        "key.mark",
        show=False,
        key_display="space",
        id="grid.mark",
        tooltip="key.mark.tip",
    ),
    Binding("r", "rescan", "key.rescan", show=False, id="grid.rescan", tooltip="key.rescan.tip"),
    Binding(
        "i", "quarantine", "key.quarantine", id="grid.quarantine", tooltip="key.quarantine.tip"
    ),
    Binding("p", "calls", "key.calls", id="grid.calls", tooltip="key.calls.tip"),
    Binding("w", "export", "key.export", id="grid.export", tooltip="key.export.tip"),
    Binding(
        "o",
        "record",
        "key.record",
        show=False,
        key_display="enter, o",
        id="grid.record",
        tooltip="key.record.tip",
    ),
    Binding(
        "escape",
        "clear_view",
        "key.clear",
        show=False,
        key_display="Esc",
        id="grid.clear",
        tooltip="key.clear.tip",
    ),
    Binding(
        "v", "toggle_detail", "key.detail", show=False, id="grid.detail", tooltip="key.detail.tip"
    ),
    Binding(
        "m", "remind_email", "key.remind", show=False, id="grid.remind", tooltip="key.remind.tip"
    ),
    Binding(
        "M",
        "remind_skip",
        "key.remind_skip",
        show=False,
        id="grid.remind_skip",
        tooltip="key.remind_skip.tip",
    ),
    # Shown in help only: moving is the grid widget's own.
    Binding(
        "up,down,left,right,h,j,k,l",
        "noop",
        "key.move",
        show=False,
        key_display="←↓↑→ hjkl",
        id="grid.move",
        tooltip="key.move.tip",
    ),
]

#: The call list's keys (tui/screens/calls.py). Enter is the table's own (a row chosen).
CALLS_BINDINGS = [
    Binding("escape", "back", "key.back", id="calls.back", tooltip="key.back.tip"),
    Binding(
        "enter",
        "contact",
        "key.contact",
        key_display="⏎",
        priority=True,  # before the table's own Enter, so the footer offers it
        id="calls.contact",
        tooltip="key.calls_contact.tip",
    ),
    Binding("p", "copy_phone", "key.copy_phone", id="calls.copy", tooltip="key.copy_phone.tip"),
    Binding(
        "m", "remind", "key.remind", show=False, id="calls.remind", tooltip="key.calls_remind.tip"
    ),
    Binding(
        "left_square_bracket",
        "column(-1)",
        "key.prev_column",
        key_display="[",
        id="calls.prev",
        tooltip="key.prev_column.tip",
    ),
    Binding(
        "right_square_bracket",
        "column(1)",
        "key.next_column",
        key_display="]",
        id="calls.next",
        tooltip="key.next_column.tip",
    ),
    Binding("w", "export", "key.export", id="calls.export", tooltip="key.export.tip"),
    Binding("j", "cursor_down", "key.down", show=False, id="calls.down", tooltip="key.down.tip"),
    Binding("k", "cursor_up", "key.up", show=False, id="calls.up", tooltip="key.up.tip"),
]

#: The export dialog's keys (tui/screens/export.py).
EXPORT_BINDINGS = [
    Binding("escape", "cancel", "key.cancel", id="export.cancel", tooltip="key.cancel.tip"),
    Binding("ctrl+s", "export", "key.write", id="export.write", tooltip="key.write.tip"),
]

#: The order help lists the keys in.
HELP_ORDER = (
    "app.palette",
    "app.quit",
    *(b.id for b in GRID_BINDINGS if b.id != "grid.move"),
    "app.theme",
    "app.help",
    "app.palette",
    "grid.move",
)


def help_bindings(
    t: I18n, keymap: Mapping[str, str] | None = None, *, writable: bool = True
) -> list[Binding]:
    """Every key of the dashboard, translated, with the user's key map applied, in help order
    (without the keys that write, unless `writable`)."""
    keymap = keymap or {}
    out = []
    for b in translated([*APP_BINDINGS, PALETTE, *GRID_BINDINGS], t):
        if not writable and writes(b):
            continue
        if b.id is not None and b.id in keymap:
            b = dataclasses.replace(b, key=keymap[b.id], key_display=None)
        out.append(b)
    return sorted(out, key=lambda b: HELP_ORDER.index(b.id or ""))


#: The dashboard's own: quit and help first, so a narrow footer still shows `? Help`, then
#: the grid's keys (quit and help are the app's, repeated here for their place in the footer).
DASHBOARD_BINDINGS = [
    dataclasses.replace(APP_BINDINGS[0], action="app.quit"),
    dataclasses.replace(APP_BINDINGS[1], action="app.help"),
    *GRID_BINDINGS,
]

#: The actions that record something (or only prepare it, as marking rows does): hidden in
#: read-only and as-of dashboards — footer, help, palette, quarantine list — not refused.
WRITES = frozenset(
    {
        "excuse",
        "extend",
        "contact",
        "note",
        "undo",
        "redo",
        "mark",
        "assign",
        "dismiss_file",
        "remind_email",
        "remind_skip",
    }
)


def writes(b: Binding) -> bool:
    """Whether a binding's action records something."""
    return b.action.rsplit(".", 1)[-1] in WRITES


N = TypeVar("N", bound=type[DOMNode])


def translated(bindings: list[Binding], t: I18n) -> list[Binding]:
    """The same bindings, their descriptions and tooltips in `t`'s language."""
    return [
        dataclasses.replace(b, description=t(b.description), tooltip=t(b.tooltip)) for b in bindings
    ]


def localized(cls: N, t: I18n) -> N:
    """`cls` with its own BINDINGS spoken in the operator's language (one class per language:
    bindings are class-level in Textual, and a key map applies to them by id)."""
    return _localized(cls, t.lang)  # type: ignore[return-value]


@functools.cache
def _localized(cls: type[DOMNode], lang: str) -> type[DOMNode]:
    own = [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    return type(
        cls.__name__,
        (cls,),
        {
            "BINDINGS": translated(own, I18n(lang)),
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
        },
    )
