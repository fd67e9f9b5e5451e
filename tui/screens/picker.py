"""The fuzzy unit picker: type an id, name or alias; the list narrows as you type."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from weekwatch.store.model import Unit
from weekwatch.widgets.safe import safe_str, safe_text

from ..view import find_units


def unit_option(u: Unit) -> Option:
    label = Text(safe_str(u.name))
    label.append(f"  {safe_str(u.id)}", style="dim")
    if u.aliases:
        label.append("  " + safe_str("、".join(u.aliases)), style="dim")
    return Option(label, id=u.id)


class UnitPicker(ModalScreen[str | None]):
    """Returns the chosen unit id, or None."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "key.cancel", id="picker.cancel", tooltip="key.cancel_pick.tip"
        ),
        Binding("down", "down", "key.next", show=False, id="picker.down", tooltip="key.next.tip"),
        Binding("up", "up", "key.prev", show=False, id="picker.up", tooltip="key.prev.tip"),
    ]

    def __init__(
        self,
        units: Sequence[Unit],
        title: str,
        placeholder: str,
        *,
        first: Sequence[str] = (),
        intro: str = "",
    ) -> None:
        super().__init__(classes="modal")
        self.units = tuple(units)
        self.picker_title = title
        self.placeholder = placeholder
        # Units offered first (and highlighted) before anything is typed: the ones a file's
        # name suggests, when assigning it.
        self.first = tuple(u for u in first if any(x.id == u for x in self.units))
        self.intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_text(self.picker_title, "bold"), classes="dialog-title")
            if self.intro:
                yield Static(safe_text(self.intro, "dim"), id="picker-intro")
            yield Input(placeholder=self.placeholder, id="picker-query")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        found = find_units(self.units, query, limit=30)
        if not query.strip() and self.first:
            by_id = {u.id: u for u in self.units}
            found = [by_id[i] for i in self.first] + [u for u in found if u.id not in self.first]
        options.add_options([unit_option(u) for u in found])
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
        else:
            self.app.bell()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
