"""A yes/no question before something the operator may regret: y confirms, n or Escape not."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from weekwatch.widgets.safe import safe_text


class ConfirmScreen(ModalScreen[bool]):
    """Says what will happen and returns whether the operator said yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "key.yes", id="confirm.yes", tooltip="key.yes.tip"),
        Binding("n,escape", "answer(False)", "key.no", id="confirm.no", tooltip="key.no.tip"),
    ]

    def __init__(self, title: str, body: str, hint: str) -> None:
        super().__init__(classes="modal")
        self.question = title
        self.body = body
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_text(self.question, "bold"), classes="dialog-title")
            # Line by line: safe_text spells out control characters, newlines too.
            body = Text("\n").join(safe_text(line) for line in self.body.split("\n"))
            yield Static(body, classes="dialog-body")
            yield Static(Text(self.hint, style="dim"), classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
