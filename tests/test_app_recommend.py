"""The ★ key on the dashboard: on a cell (all its files) and on one file of the record view;
written through the store, so `u` takes it back and another process sees it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from weekwatch.fixtures.packweek import MAIL, pack_week
from weekwatch.fixtures.testweek import clock_at
from weekwatch.store.week import Week
from weekwatch.tui.screens.form import FormScreen
from weekwatch.tui.screens.record import RecordScreen

CELL = ("wugang", "2024-05-14")  # the e-mail: two photos and a zip of two files


def seen_elsewhere(ws) -> dict[str, bool]:
    """Each path's mark, as a separate `weekwatch materials --json` process reads it."""
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    done = subprocess.run(
        [sys.executable, "-m", "weekwatch", "materials", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return {r["path"]: r["recommended"] for r in json.loads(done.stdout)}


def marked(ws) -> dict[str, str]:
    ledger = Week(ws).ledger()
    return {p: ledger.recommend_note(p) or "" for p in ledger.recommended}


async def test_star_on_a_cell_marks_its_files_and_u_takes_it_back(ws, app_for, settle):
    pack_week(ws)
    app = app_for(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto(*CELL)
        await pilot.pause()
        await pilot.press("asterisk")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"画面好", "enter")
        await settle(pilot, lambda: len(marked(ws)) == 4)
        inside = {p for p in seen_elsewhere(ws) if p.startswith(MAIL)}
        assert set(marked(ws)) == inside and set(marked(ws).values()) == {"画面好"}
        assert all(seen_elsewhere(ws)[p] for p in inside)
        await settle(pilot, lambda: "★" in str(app.query_one("#detail").render()))
        detail = str(app.query_one("#detail").render())
        assert detail.count("★") == 4 and "画面好" in detail
        assert any("4" in t and "★" in t for t in app.toasts)

        await pilot.press("asterisk")  # all marked: the key takes the marks off
        await settle(pilot, lambda: marked(ws) == {})
        assert not any(seen_elsewhere(ws).values())
        await pilot.press("u")  # undo the unmarking: marked again
        await settle(pilot, lambda: len(marked(ws)) == 4)
        assert sum(seen_elsewhere(ws).values()) == 4


async def test_star_in_the_record_view_toggles_the_chosen_file(ws, app_for, settle):
    pack_week(ws)
    app = app_for(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto(*CELL)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, RecordScreen)
        assert f"{MAIL}#活动照片1.jpg" in view.body.plain  # every file's record, as before
        first = view.chosen_file.material.path
        assert view.chosen_line().plain == f"  1/4 {first}"
        await pilot.press("right")
        chosen = view.chosen_file.material.path
        assert chosen != first and view.chosen_line().plain.startswith("  2/4 ")
        await pilot.press("asterisk")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")  # no note
        await settle(pilot, lambda: chosen in marked(ws))
        assert marked(ws) == {chosen: ""}
        assert seen_elsewhere(ws)[chosen]
        assert app.screen is view
        await settle(pilot, lambda: view.chosen_line().plain.startswith("★ 2/4"))
        await pilot.press("left")  # the first file carries no star
        assert view.chosen_line().plain == f"  1/4 {first}"
        await pilot.press("right", "asterisk")  # marked: the key takes it off, no form
        await settle(pilot, lambda: marked(ws) == {})
        await settle(pilot, lambda: view.chosen_line().plain.startswith("  2/4"))
        await pilot.press("escape")
        assert not isinstance(app.screen, RecordScreen)


async def test_star_is_refused_on_a_read_only_dashboard(ws, app_for, settle):
    pack_week(ws)
    app = app_for(ws, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto(*CELL)
        await pilot.press("asterisk")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert marked(ws) == {}


async def test_a_mark_made_elsewhere_shows_on_the_dashboard(ws, app_for, settle):
    pack_week(ws)
    app = app_for(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto(*CELL)
        await pilot.pause()
        assert "★" not in str(app.query_one("#detail").render())
        # Another operator, another process: the same store, written through its own Week
        # (on the dashboard's clock: a board at a moment applies what was recorded by then).
        Week(ws, clock=clock_at()).recommend([f"{MAIL}#活动照片2.jpg"], "另一位操作员")
        await settle(pilot, lambda: "另一位操作员" in str(app.query_one("#detail").render()))
        assert str(app.query_one("#detail").render()).count("★") == 1


def cell_shown(app, unit: str, column: str) -> str:
    return app.dashboard.grid.get_cell(unit, column).plain


async def test_the_grid_cell_shows_the_star_and_the_legend_says_it(ws, app_for, settle):
    pack_week(ws)
    app = app_for(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = cell_shown(app, *CELL)
        assert "★" not in before
        Week(ws, clock=clock_at()).recommend([f"{MAIL}#活动照片2.jpg"], "")
        await settle(pilot, lambda: "★" in cell_shown(app, *CELL))
        assert cell_shown(app, *CELL) == before + "★"  # after the symbol, count and marks
        others = [cell_shown(app, "wugang", c) for c in app.week.event.columns if c != CELL[1]]
        assert not any("★" in c for c in others)  # only the cell the file counts in
        Week(ws, clock=clock_at()).unrecommend([f"{MAIL}#活动照片2.jpg"])
        await settle(pilot, lambda: "★" not in cell_shown(app, *CELL))
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "★ holds a recommended file" in help_text


async def test_the_star_on_the_linux_console_is_ascii(ws, app_for, settle, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.setenv("NO_COLOR", "1")
    pack_week(ws)
    Week(ws, clock=clock_at()).recommend([f"{MAIL}#活动照片2.jpg"], "")
    app = app_for(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: cell_shown(app, *CELL).endswith("*"))
        shown = cell_shown(app, *CELL)
        assert shown.isascii() and shown.startswith("v")  # on time, recommended: `v4*`
