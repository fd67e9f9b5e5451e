"""The ★ key: mark the focused cell's files (or one file of the record view) as the best, with
an optional note, or take the mark off when they all carry it. Written through `Week`
(`recommend`, `unrecommend`) like every action, so `u` takes it back and other dashboards see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .screens.form import Field

if TYPE_CHECKING:
    from .triage import Triage


def toggle(
    triage: Triage, paths: list[str], who: str, done: Callable[[], None] | None = None
) -> None:
    if not paths or not triage._writable():
        return
    screen, t, week = triage.screen, triage.t, triage.week
    operator = screen.operator
    app = screen.app
    marked = week.ledger().recommended  # as written now, not as the last board saw it

    def finished() -> None:
        if done is not None:
            app.call_from_thread(done)

    if all(p in marked for p in paths):

        def off() -> str:
            week.unrecommend(paths, operator=operator)
            finished()
            return t("msg.unrecommended", n=len(paths))

        triage._act(off)
        return
    todo = [p for p in paths if p not in marked]

    def then(values: dict[str, str]) -> None:
        def on() -> str:
            week.recommend(todo, values["note"], operator=operator)
            finished()
            return t("msg.recommended", n=len(todo))

        triage._act(on)

    fields = [Field("note", t("recommend.note"), required=False)]
    triage._form(t("recommend.title", who=who), fields, then)
