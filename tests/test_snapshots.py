"""What the operator sees, frozen: the main screen at 80×24 and 160×50, monochrome, zh and en."""

from __future__ import annotations

import pytest
from test_app import app_for, settle
from test_app_kit import make_workspace


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


async def _ready(pilot) -> None:
    await settle(pilot)
    await pilot.pause()


@pytest.mark.parametrize(
    ("lang", "size"),
    [("en", (80, 24)), ("zh", (80, 24)), ("en", (160, 50)), ("zh", (160, 50))],
)
def test_main_screen(snap_compare, ws, lang, size):
    # One step left: the cursor on a late cell, so the detail pane shows a late material.
    assert snap_compare(app_for(ws, lang=lang), terminal_size=size, press=["h"], run_before=_ready)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_screen_monochrome(snap_compare, ws, monkeypatch, lang):
    """NO_COLOR: the symbols alone must tell the states apart."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(
        app_for(ws, lang=lang), terminal_size=(80, 24), press=["h"], run_before=_ready
    )


def test_help_screen(snap_compare, ws):
    assert snap_compare(
        app_for(ws, lang="en"), terminal_size=(100, 40), press=["question_mark"], run_before=_ready
    )


def test_quarantine_screen(snap_compare, ws):
    assert snap_compare(
        app_for(ws, lang="zh"), terminal_size=(100, 30), press=["i"], run_before=_ready
    )
