"""What the operator sees of the tall dialogs at 80×24, frozen: the export dialog with the
pack's options, without colour (the chosen scope told by its mark alone), and the four-field
assign form — each keeps its title and hint in sight and scrolls what lies between."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from weekwatch.fixtures.packweek import pack_week
from weekwatch.fixtures.testweek import dashboard_workspace
from weekwatch.tui.screens.export import ExportScreen
from weekwatch.tui.screens.form import FormScreen


@pytest.fixture(autouse=True)
def true_colour(monkeypatch):
    monkeypatch.setenv("COLORTERM", "truecolor")


def test_export_dialog_with_the_packs_options(snap_compare, ws, app_for, settle, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    pack_week(ws)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
        kinds = pilot.app.screen.query_one("#export-kinds")
        kinds.highlighted = [o.id for o in kinds.options].index("pack")
        await pilot.press("tab", "tab")  # to the scope: the options scroll into sight
        await pilot.pause()

    assert snap_compare(app_for(ws, lang="zh"), terminal_size=(80, 24), run_before=run_before)


@pytest.fixture
def fixed_ws():
    """The dashboard's week at a path that does not change between runs: the assign form's
    title names the file by its full path. One run at a time holds it (a lock beside it)."""
    base = Path("/tmp/weekwatch-snapshot-dialogs")
    base.mkdir(exist_ok=True)
    with open(base / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root = base / "周"
        shutil.rmtree(root, ignore_errors=True)
        try:
            yield dashboard_workspace(root)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def test_assign_form_of_four_fields(snap_compare, fixed_ws, app_for, settle):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"舞钢", "enter")
        await settle(pilot, lambda: isinstance(pilot.app.screen, FormScreen))
        await settle(pilot, lambda: pilot.app.screen.query_one("#form-body").scroll_y == 0)
        # The focused field's cursor blinks every half second: on a loaded machine the picture
        # was taken as often in its off phase. Held on, as the operator sees it when typing.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app_for(fixed_ws, lang="zh"), terminal_size=(80, 24), run_before=run_before)
