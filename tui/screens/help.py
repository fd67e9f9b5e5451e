"""The help screen, built from the bindings themselves, plus the legend of cell symbols."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from weekwatch.widgets.look import STYLE, TRACE_MARK, cell_text, star_mark, symbols
from weekwatch.widgets.themed import app_styles

from ..i18n import I18n


def key_display(b: Binding) -> str:
    return b.key_display or ", ".join(k.strip() for k in b.key.split(","))


def help_table(bindings: Iterable[Binding], t: I18n) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(no_wrap=True)
    table.add_column()
    seen: set[str] = set()
    for b in bindings:
        if b.id in seen or not b.description:
            continue
        seen.add(b.id or b.key)
        table.add_row(Text(key_display(b)), Text(b.description), Text(b.tooltip, style="dim"))
    return table


def legend(t: I18n, styles: Mapping[str, Style | str] = STYLE) -> Text:
    text = Text()
    for state, sym in symbols().items():
        text.append(f" {sym} ", style=styles[state])
        text.append(t(f"state.{state}") + "  ")
    text.append(f" {cell_text('not_required', 2)} ", style=styles["not_required"])
    text.append(t("state.not_required_sent", n=2) + "  ")
    return text


def trace_legend(t: I18n) -> Text:
    """The marks after a cell's symbol: what was done about it (`✗c`, `✗#`)."""
    text = Text()
    for trace, mark in TRACE_MARK.items():
        text.append(f" {mark} ", style="bold")
        text.append(t(f"trace.{trace}") + "  ")
    text.append(f"\n {star_mark()} ", style="bold")  # after them in the cell: ✓2c★
    text.append(t("trace.recommended") + "  ")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,question_mark,q",
            "close",
            "key.close",
            id="help.close",
            tooltip="key.close_help.tip",
        ),
    ]

    def __init__(self, bindings: Iterable[Binding], t: I18n) -> None:
        super().__init__(classes="modal")
        self.bindings = list(bindings)
        self.t = t

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Static(Text(self.t("help.title"), style="bold"), classes="dialog-title")
            yield Static(help_table(self.bindings, self.t))
            yield Static(Text(self.t("help.legend"), style="bold"), classes="dialog-title")
            yield Static(legend(self.t, app_styles(self.app)))
            yield Static(Text(self.t("trace.title"), style="bold"), classes="dialog-title")
            yield Static(trace_legend(self.t))

    def action_close(self) -> None:
        self.dismiss(None)
