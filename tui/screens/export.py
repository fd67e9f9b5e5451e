"""The export dialog: which report (any kind in tui/exports.py's registry), which format, the
kind's options; Enter writes it into reports/ in a worker, and the path is toasted.

The dialog stays open when the write fails (a column that does not exist, a full disk): the
error is a toast in the error colour, and the operator corrects the field or cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, RadioSet, Static
from textual.widgets.option_list import Option

from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week
from weekwatch.widgets.choice import ChoiceButton
from weekwatch.widgets.safe import safe_str

from ..exports import EXPORTS, ExportKind, ExportRequest
from ..i18n import I18n
from ..keys import EXPORT_BINDINGS


class ExportScreen(ModalScreen[None]):
    """Pick a report and a format; Enter (or ctrl+s) exports."""

    BINDINGS: ClassVar[list[BindingType]] = [*EXPORT_BINDINGS]

    def __init__(
        self,
        week: Week,
        t: I18n,
        kind: str = "calls",
        values: Mapping[str, str] | None = None,
        fmt: str = "xlsx",
    ) -> None:
        super().__init__(classes="modal")
        self.week = week
        self.t = t
        self.kind = kind if kind in EXPORTS else next(iter(EXPORTS))
        self.fmt = fmt
        self.values = dict(values or {})
        self.busy = False

    def compose(self) -> ComposeResult:
        t = self.t
        # The title, the path and the hint stay in sight; the lists and the kind's options
        # scroll between them when the terminal is too short for all (the pack's at 80×24).
        with Vertical(classes="dialog fitted", id="export"):
            yield Static(Text(t("export.title"), style="bold"), classes="dialog-title")
            with Vertical(classes="dialog-hint", id="export-foot"):
                yield Static(id="export-path")
                yield Static(Text(t("export.hint"), style="dim"))
            with VerticalScroll(classes="fitted-body", id="export-body", can_focus=False):
                yield from self._choices()

    def _choices(self) -> ComposeResult:
        t = self.t
        with Horizontal(id="export-lists"):
            with Vertical():
                yield Label(Text(t("export.kind")))
                kinds = EXPORTS.values()
                yield OptionList(
                    *(Option(_mark(t(k.label), k.id == self.kind), id=k.id) for k in kinds),
                    id="export-kinds",
                    markup=False,
                )
            with Vertical():
                yield Label(Text(t("export.format")))
                yield OptionList(id="export-formats", markup=False)
        with Vertical(id="export-options"):
            for k in EXPORTS.values():
                for o in k.options:
                    yield Label(Text(t(o.label)), classes=f"opt-{k.id}")
                    if o.choices:
                        with RadioSet(id=f"opt-{k.id}-{o.name}", classes=f"opt-{k.id}"):
                            for c in o.choices:
                                yield ChoiceButton(
                                    Text(t(c)), value=c == (self._value(k, o.name) or o.default)
                                )
                    else:
                        yield Input(
                            value=self._value(k, o.name) or o.default,
                            id=f"opt-{k.id}-{o.name}",
                            classes=f"opt-{k.id}",
                        )

    def _value(self, k: ExportKind, name: str) -> str:
        # The dashboard's focus (`unit`, `day`) fills those options of any kind.
        if k.id == self.kind or name in ("unit", "day"):
            return self.values.get(name, "")
        return ""

    def on_mount(self) -> None:
        kinds = self.query_one("#export-kinds", OptionList)
        kinds.highlighted = list(EXPORTS).index(self.kind)
        self._show_kind()
        kinds.focus()

    # --- following the choices ------------------------------------------------------------
    def _show_kind(self) -> None:
        kind = EXPORTS[self.kind]
        formats = self.query_one("#export-formats", OptionList)
        formats.clear_options()
        if self.fmt not in kind.formats:
            self.fmt = kind.formats[0]
        formats.add_options(
            Option(_mark(self.t(f"format.{f}"), f == self.fmt), id=f) for f in kind.formats
        )
        formats.highlighted = kind.formats.index(self.fmt)
        for k in EXPORTS.values():
            for w in self.query(f".opt-{k.id}"):
                w.display = k.id == self.kind
        self._show_path()

    def _show_path(self) -> None:
        kind = EXPORTS[self.kind]
        try:
            path = kind.path(self.week, self.request())
            shown = str(path.relative_to(self.week.workspace.root))
        except (ValueError, OSError):
            return
        self.query_one("#export-path", Static).update(
            Text(self.t("export.path", path=safe_str(shown)))
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        oid = event.option.id or ""
        if event.option_list.id == "export-kinds" and oid in EXPORTS and oid != self.kind:
            self._remark(event.option_list, self.kind, oid, lambda k: self.t(EXPORTS[k].label))
            self.kind = oid
            self._show_kind()
        elif event.option_list.id == "export-formats" and oid and oid != self.fmt:
            self._remark(event.option_list, self.fmt, oid, lambda f: self.t(f"format.{f}"))
            self.fmt = oid
            self._show_path()

    @staticmethod
    def _remark(options: OptionList, old: str, new: str, label: Callable[[str], str]) -> None:
        """The chosen entry marked in text, so the choice reads without colour (NO_COLOR)."""
        options.replace_option_prompt(old, _mark(label(old), False))
        options.replace_option_prompt(new, _mark(label(new), True))

    def on_option_list_option_selected(self, _event: OptionList.OptionSelected) -> None:
        self.action_export()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_export()

    def request(self) -> ExportRequest:
        """What is chosen now."""
        kind = EXPORTS[self.kind]
        options: dict[str, str] = {}
        for o in kind.options:
            w = self.query_one(f"#opt-{kind.id}-{o.name}")
            if isinstance(w, Input):
                options[o.name] = w.value
            elif isinstance(w, RadioSet):
                i = w.pressed_index
                options[o.name] = o.choices[i] if 0 <= i < len(o.choices) else o.default
        return ExportRequest(self.fmt, options, self.t.lang)

    # --- the keys -------------------------------------------------------------------------
    def action_export(self) -> None:
        """Write in a worker of the app's (it finishes even if the dialog is closed)."""
        if self.busy:
            return
        kind, req, week, app = EXPORTS[self.kind], self.request(), self.week, self.app
        for o in kind.options:
            if o.required and not req.options.get(o.name, "").strip():
                self.query_one(f"#opt-{kind.id}-{o.name}").focus()
                app.notify(self.t("export.required", field=self.t(o.label)), severity="warning")
                return
        self.busy = True

        def work() -> None:
            try:
                path = kind.write(week, req)
            except (WeekwatchError, OSError) as exc:
                app.call_from_thread(self._failed, exc)
                return
            app.call_from_thread(self._written, path)

        app.notify(self.t("msg.exporting"), timeout=2)
        app.run_worker(work, thread=True, group="export", exit_on_error=False)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.app.notify(self.t("msg.export_failed", err=exc), severity="error", timeout=10)

    def _written(self, path: Path) -> None:
        self.busy = False
        self.app.notify(self.t("msg.exported", path=path), timeout=10)
        if self.is_current:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _mark(label: str, chosen: bool) -> Text:
    return Text(("● " if chosen else "○ ") + label)
