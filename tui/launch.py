"""`weekwatch tui`: open the dashboard on a workspace."""

from __future__ import annotations

from weekwatch.store.config import load_config
from weekwatch.store.model import WeekwatchError
from weekwatch.store.workspace import Workspace


def run_dashboard(
    ws: Workspace,
    *,
    read_only: bool = False,
    as_of: str | None = None,
    lang: str | None = None,
    operator: str | None = None,
    actions: str | None = None,
) -> int:
    """Run the app until the operator quits; WeekwatchError (bad --as-of, ...) propagates."""
    from weekwatch.store.vocab import parse_when
    from weekwatch.store.week import system_clock

    from .app import make_app
    from .keymap import load_keymap

    moment = None
    if as_of:
        event = load_config(ws.config).event
        try:
            moment = parse_when(as_of, event, system_clock())
        except WeekwatchError as e:
            raise WeekwatchError(f"--as-of: {e}") from None
    keymap = load_keymap()
    app = make_app(
        ws,
        read_only=read_only,
        as_of=moment,
        lang=lang,
        operator=operator,
        keymap=keymap,
        actions=actions or "until",
    )
    app.run()
    return app.return_code or 0
