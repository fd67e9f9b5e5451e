"""The one test kit: real workspaces in real folders, the real app on a frozen clock.

Plain values and helpers of the test week (`at`, `drop`, `NOW`, `TODAY`, the rosters) live in
`weekwatch.fixtures.testweek`; test modules import those, never each other.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from weekwatch.fixtures.testweek import clock_at, dashboard_workspace, empty_workspace
from weekwatch.store.workspace import Workspace

# The one-off commands the tests run hand no keeping on to a detached keeper (tui/keeper.py
# `hand_on`): it would outlive the test's folder. tests/test_keeper.py turns it on to test it.
os.environ["WEEKWATCH_KEEPER"] = "0"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A fresh workspace for the 2024 week with three units and an empty inbox."""
    return empty_workspace(tmp_path / "week")


@pytest.fixture
def week_ws(tmp_path: Path) -> Workspace:
    """The dashboard's week on day 4: five units, eleven files scanned, one quarantined."""
    return dashboard_workspace(tmp_path / "ws")


@pytest.fixture
def app_for() -> Callable[..., Any]:
    """Build the app as the tests want it: frozen at NOW, English, no watcher, operator tester."""
    from weekwatch.tui.app import make_app

    def build(ws: Workspace, **kw: Any) -> Any:
        kw.setdefault("clock", clock_at())
        kw.setdefault("watch", False)
        kw.setdefault("lang", "en")
        kw.setdefault("operator", "tester")
        return make_app(ws, **kw)

    return build


async def _settle(
    pilot: Any, until: Callable[[], bool] | None = None, timeout: float = 5.0
) -> None:
    """Let workers finish and messages land; with `until`, poll until it holds."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        busy = [w for w in app.workers if w.group != "watcher" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause(0.05)
        done = app.dashboard.board is not None and (until is None or until())
        if done and not [w for w in app.workers if w.group != "watcher" and not w.is_finished]:
            return
        if loop.time() > end:
            raise AssertionError("the app did not settle")


@pytest.fixture
def settle() -> Callable[..., Any]:
    """`await settle(pilot, until=None, timeout=5.0)`: the app has judged and is idle."""
    return _settle
