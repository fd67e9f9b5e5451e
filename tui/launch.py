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
    from weekwatch.store.operators import resolve
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
    who = resolve(operator, ws.config)
    # A shared login is asked once who operates; a dashboard that records nothing is not.
    ask = who.ask and not read_only and moment is None
    app = make_app(
        ws,
        read_only=read_only,
        as_of=moment,
        lang=lang,
        operator=None if ask else who.name,
        keymap=keymap,
        actions=actions or "until",
    )
    if ask:
        app.dashboard.ask_operator = True
    app.run()
    return app.return_code or 0
