"""The record view: everything the store knows about each file of a cell, one after the other
(the body scrolls), and one file chosen among them — `←` `→` choose it, `*` marks it as the
best or takes the mark off. The chosen file's line says ★ when it is marked."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from weekwatch.store.rules import Placed
from weekwatch.widgets.safe import safe_text

from .form import TextScreen

#: Before a recommended file's name: the star carries the meaning without colour.
STAR = "★"


class RecordScreen(TextScreen):
    """A TextScreen (the records of all the cell's files as its body) with one file chosen;
    `on_recommend(placed)` toggles that file's mark, `marked()` says which paths carry one."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "key.close", id="text.close", tooltip="key.close.tip"),
        Binding(
            "asterisk",
            "recommend",
            "key.recommend",
            key_display="*",
            id="record.recommend",
            tooltip="key.recommend.tip",
        ),
        # Over the body's own left/right (it never scrolls sideways).
        Binding(
            "left",
            "choose(-1)",
            "key.prev_file",
            id="record.prev",
            tooltip="key.prev_file",
            priority=True,
        ),
        Binding(
            "right",
            "choose(1)",
            "key.next_file",
            id="record.next",
            tooltip="key.next_file",
            priority=True,
        ),
    ]

    def __init__(
        self,
        title: str,
        files: Sequence[Placed],
        records: Sequence[Text],
        hint: str,
        marked: Callable[[], Collection[str]],
        on_recommend: Callable[[Placed], None],
    ) -> None:
        super().__init__(title, Text("\n").join(records), hint)
        self.files = tuple(files)
        self.marked = marked
        self.on_recommend = on_recommend
        self.chosen = 0
        # The line each file's record starts on, to scroll the chosen one into view.
        self.starts: list[int] = []
        line = 0
        for r in records:
            self.starts.append(line)
            line += len(r.plain.split("\n"))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(safe_text(self.title_text, "bold"), classes="dialog-title")
            yield Static(self.chosen_line(), id="record-chosen")
            with VerticalScroll(classes="dialog-body", id="text-body"):
                yield Static(self.body)
            yield Static(Text(self.hint, style="dim"), classes="dialog-hint")

    def chosen_line(self) -> Text:
        """`★ 2/4 mail/x.eml#照片.jpg`: the file `*` applies to (a blank where no star)."""
        p = self.files[self.chosen]
        star = STAR if p.material.path in self.marked() else " "
        line = Text(f"{star} {self.chosen + 1}/{len(self.files)} ", style="bold")
        return line.append_text(safe_text(p.material.path))

    @property
    def chosen_file(self) -> Placed:
        return self.files[self.chosen]

    def show_marks(self) -> None:
        """Redraw the chosen file's line (after a mark was written)."""
        if self.is_attached:
            self.query_one("#record-chosen", Static).update(self.chosen_line())

    def action_choose(self, step: int) -> None:
        self.chosen = (self.chosen + step) % len(self.files)
        self.show_marks()
        self.query_one("#text-body", VerticalScroll).scroll_to(
            y=self.starts[self.chosen], animate=False
        )

    def action_recommend(self) -> None:
        self.on_recommend(self.chosen_file)
