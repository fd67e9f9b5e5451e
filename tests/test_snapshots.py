"""What the operator sees, frozen: the main screen at 80×24 and 160×50, monochrome, zh and en."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def true_colour(monkeypatch):
    """Frozen in the theme's own colours, whatever the terminal running the tests offers
    (16 colours and NO_COLOR draw differently: tests/test_app_terminals.py)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture
def ready(settle):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize(
    ("lang", "size"),
    [("en", (80, 24)), ("zh", (80, 24)), ("en", (160, 50)), ("zh", (160, 50))],
)
def test_main_screen(snap_compare, week_ws, app_for, ready, lang, size):
    # One step left: the cursor on a late cell, so the detail pane shows a late material.
    assert snap_compare(
        app_for(week_ws, lang=lang), terminal_size=size, press=["h"], run_before=ready
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_screen_monochrome(snap_compare, week_ws, app_for, ready, monkeypatch, lang):
    """NO_COLOR: the symbols alone must tell the states apart."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(
        app_for(week_ws, lang=lang), terminal_size=(80, 24), press=["h"], run_before=ready
    )


def test_help_screen(snap_compare, week_ws, app_for, ready):
    assert snap_compare(
        app_for(week_ws, lang="en"),
        terminal_size=(100, 40),
        press=["question_mark"],
        run_before=ready,
    )


def test_quarantine_screen(snap_compare, week_ws, app_for, ready):
    assert snap_compare(
        app_for(week_ws, lang="zh"), terminal_size=(100, 30), press=["i"], run_before=ready
    )
