"""A small modal form: a title and a few text fields.

Enter goes to the next field and confirms on the last, in every form; Escape cancels. A check
the caller gives reads the values before the form closes: a mistake is said under its field
and the form stays open with everything typed (and the unit picked before it) kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import DescendantFocus
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
    note: str = ""  # a dim line under the field: what it accepts


#: Reads the values; returns {field name: what is wrong with it}, empty when all is well.
Check = Callable[[dict[str, str]], dict[str, str]]


class FormScreen(ModalScreen[dict[str, str] | None]):
    """Returns {field name: text}, or None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="form.cancel", tooltip="key.cancel.tip"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        hint: str,
        *,
        check: Check | None = None,
        required: str = "required",
        intro: str = "",
    ) -> None:
        super().__init__(classes="modal")
        self.form_title = title
        self.fields = tuple(fields)
        self.hint = hint
        self.check = check
        self.required = required  # the words under an empty required field
        self.intro = intro  # a line under the title: the unit picked before, say

    def compose(self) -> ComposeResult:
        # The title and the hint stay in sight; the fields scroll between them when the
        # terminal is too short for all (the assign form's four at 80×24).
        with Vertical(classes="dialog fitted", id="form"):
            yield Static(safe_text(self.form_title, "bold"), classes="dialog-title")
            yield Static(Text(self.hint, style="dim"), classes="dialog-hint")
            with VerticalScroll(classes="fitted-body", id="form-body", can_focus=False):
                if self.intro:
                    yield Static(safe_text(self.intro), id="form-intro")
                for f in self.fields:
                    with Vertical(classes="form-field"):
                        yield Label(Text(f.label))
                        yield Input(value=f.value, id=f"field-{f.name}")
                        if f.note:
                            yield Static(safe_text(f.note, "dim"), classes="field-note")
                        yield Static("", id=f"error-{f.name}", classes="field-error")

    def on_mount(self) -> None:
        for f in self.fields:
            self.query_one(f"#error-{f.name}", Static).display = False
        # Opened at the top, the first field's label in sight: focusing the first input
        # before the first layout scrolls it to the middle of a body not yet its height.
        body = self.query_one("#form-body", VerticalScroll)
        self.call_after_refresh(lambda: self.call_after_refresh(body.scroll_home, animate=False))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # A field scrolled into sight whole, its label with it (not only its input).
        field = event.widget.parent
        if isinstance(field, Vertical) and field.has_class("form-field"):
            body = self.query_one("#form-body", VerticalScroll)
            self.call_after_refresh(body.scroll_to_widget, field, animate=False)

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields}

    def error(self, name: str) -> str:
        """What is said under a field now ("" if nothing)."""
        return "".join(str(s.render()) for s in self.query(f"#error-{name}") if s.display)

    def show_errors(self, errors: dict[str, str]) -> None:
        for f in self.fields:
            shown = self.query_one(f"#error-{f.name}", Static)
            message = errors.get(f.name, "")
            shown.update(safe_text(message) if message else "")
            shown.display = bool(message)
        first = next((f for f in self.fields if f.name in errors), None)
        if first is not None:
            self.query_one(f"#field-{first.name}", Input).focus()
            self.app.bell()

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        # (Query, not query_one: a field's first value may be announced before its error
        # line is mounted.)
        for shown in self.query(f"#error-{name}"):
            shown.display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        i = inputs.index(event.input)
        # The next field: the next one, passing over the optional ones Enter skips while
        # they are empty (from such a field itself, simply the next: its reason, say).
        nxt = next(
            (
                j
                for j in range(i + 1, len(inputs))
                if self.fields[i].skip or not (self.fields[j].skip and not inputs[j].value)
            ),
            None,
        )
        if nxt is not None:
            inputs[nxt].focus()
            return
        self.submit()

    def submit(self) -> None:
        values = self.values()
        errors = {
            f.name: self.required for f in self.fields if f.required and not values[f.name].strip()
        }
        if not errors and self.check is not None:
            errors = self.check(values)
        if errors:
            self.show_errors(errors)
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
