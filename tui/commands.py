"""The command palette's entries: every key's action, and each filter and sort by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from . import view
from .keys import help_bindings

if TYPE_CHECKING:
    from .app import WeekwatchApp


def palette_commands(app: WeekwatchApp) -> Iterator[SystemCommand]:
    """What ctrl+p offers besides Textual's own commands (themes, keys, quit)."""
    t = app.t
    board = app.dashboard
    for b in help_bindings(t, writable=board.writable):
        if b.action in ("quit", "noop", "command_palette"):
            continue
        # The grid's actions are the dashboard's; help and theme are the app's.
        target = app if b.id and b.id.startswith("app.") else board
        yield SystemCommand(b.description, b.tooltip, lambda a=b.action, n=target: n.run_action(a))
    key = "palette.unmute" if app.toaster.muted else "palette.mute"
    yield SystemCommand(t(key), t(f"{key}.tip"), app.action_toggle_toasts)
    for f in view.filters(board.board):
        name = t("palette.filter", name=t(f"filter.{f}"))
        yield SystemCommand(name, name, lambda f=f: setattr(board, "filter", f))
    for s in view.SORTS:
        name = t("palette.sort", name=t(f"sort.{s}"))
        yield SystemCommand(name, name, lambda s=s: setattr(board, "sort", s))
