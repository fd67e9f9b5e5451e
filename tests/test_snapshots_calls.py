"""What the operator sees of the call list, frozen: 80×24 in English, and in Chinese without
colour (the overdue promise must read by its mark alone)."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.testweek import at, clock_at
from weekwatch.store.week import Week


@pytest.fixture
def ready(settle):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.pause()

    return run_before


@pytest.fixture
def promised(week_ws):
    week = Week(week_ws, clock=clock_at(at(14, 16)))
    week.contact("weidong", "李娜说明早补交", "2024-05-15", promised_by=at(15, 10), operator="小王")
    return week_ws


@pytest.mark.parametrize(("lang", "no_color"), [("en", False), ("zh", True)])
def test_call_list(snap_compare, promised, app_for, ready, monkeypatch, lang, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(promised, lang=lang, clock=clock_at(at(15, 13)))
    # Down to 卫东区: the pane under the table shows its contact and the broken promise.
    assert snap_compare(app, terminal_size=(80, 24), press=["j", "j"], run_before=ready)
