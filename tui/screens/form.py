"""A small modal form: a title and a few text fields; Enter submits, Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from weekwatch.widgets.safe import safe_text


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    required: bool = True
    # Enter passes over it while empty (a rarely needed option: Tab reaches it).
    skip: bool = False


class FormScreen(ModalScreen[dict[str, str] | None]):
    """Returns {field name: text}, or None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="form.cancel", tooltip="key.cancel.tip"),
    ]

    def __init__(self, title: str, fields: Sequence[Field], hint: str) -> None:
        super().__init__(classes="modal")
        self.form_title = title
        self.fields = tuple(fields)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_text(self.form_title, "bold"), classes="dialog-title")
            for f in self.fields:
                yield Label(Text(f.label))
                yield Input(value=f.value, id=f"field-{f.name}")
            yield Static(Text(self.hint, style="dim"), classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        i = inputs.index(event.input)
        # The next field to fill: the next one, passing over optional ones Enter skips
        # (from such a field itself, simply the next: its reason, say).
        after = range(i + 1, len(inputs))
        nxt = next((j for j in after if self.fields[i].skip or not self.fields[j].skip), None)
        if nxt is not None and not inputs[nxt].value:
            inputs[nxt].focus()
            return
        values = {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields}
        for f in self.fields:
            if f.required and not values[f.name].strip():
                self.query_one(f"#field-{f.name}", Input).focus()
                self.app.bell()
                return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """Shows a block of text (a file's record); Escape or Enter closes."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "key.close", id="text.close", tooltip="key.close.tip"),
    ]

    def __init__(self, title: str, body: Text, hint: str) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.body = body
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(safe_text(self.title_text, "bold"), classes="dialog-title")
            # A record of several files is longer than the screen: the body scrolls (arrows,
            # PgUp/PgDn, the wheel) and the title and the closing hint stay in sight.
            with VerticalScroll(classes="dialog-body", id="text-body"):
                yield Static(self.body)
            yield Static(Text(self.hint, style="dim"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#text-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
