"""`weekwatch tui`: open the dashboard on a workspace."""

from __future__ import annotations

from weekwatch.store.config import load_config, parse_moment
from weekwatch.store.workspace import Workspace


def run_dashboard(
    ws: Workspace,
    *,
    read_only: bool = False,
    as_of: str | None = None,
    lang: str | None = None,
    operator: str | None = None,
) -> int:
    """Run the app until the operator quits; WeekwatchError (bad --as-of, ...) propagates."""
    from .app import make_app
    from .keymap import load_keymap

    moment = None
    if as_of:
        moment = parse_moment(as_of, load_config(ws.config).event.tz)
    keymap = load_keymap()
    app = make_app(
        ws, read_only=read_only, as_of=moment, lang=lang, operator=operator, keymap=keymap
    )
    app.run()
    return app.return_code or 0
