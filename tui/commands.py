"""The command palette's entries: every key's action, and each filter and sort by name."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App, SystemCommand

from . import view
from .keys import main_bindings


def palette_commands(app: App) -> Iterator[SystemCommand]:
    """What ctrl+p offers besides Textual's own commands (themes, keys, quit)."""
    t = app.t
    for b in main_bindings(t):
        if b.action in ("quit", "noop", "command_palette"):
            continue
        yield SystemCommand(b.description, b.tooltip, lambda a=b.action: app.run_action(a))
    for f in view.FILTERS:
        name = t("palette.filter", name=t(f"filter.{f}"))
        yield SystemCommand(name, name, lambda f=f: app.set_filter(f))
    for s in view.SORTS:
        name = t("palette.sort", name=t(f"sort.{s}"))
        yield SystemCommand(name, name, lambda s=s: app.set_sort(s))
