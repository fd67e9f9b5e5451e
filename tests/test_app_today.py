"""Today in focus, through the real app: the due row, today's filters, Esc, worst first, the
search that narrows the grid as you type (pinyin too), the marks of what was done in a cell."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.testweek import TODAY, at, clock_at
from weekwatch.store.week import Week
from weekwatch.tui.app import WeekwatchApp
from weekwatch.widgets.grid import HEAD

SIZES = [(80, 24), (120, 40)]


def cell(app: WeekwatchApp, unit: str, col: str) -> str:
    return app.dashboard.grid.get_cell(unit, col).plain


def states_today(app: WeekwatchApp) -> dict[str, str]:
    board = app.dashboard.board
    return {u.id: board.cell(u.id, TODAY).state for u in board.units}


@pytest.mark.parametrize("size", [*SIZES, (100, 30)])
async def test_due_is_counted_in_the_totals_and_in_todays_line(week_ws, app_for, settle, size):
    app = app_for(week_ws)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        due = sum(1 for s in states_today(app).values() if s == "due")
        assert due == 4  # at 11:23 on day 4 only 平职院 has sent today's material
        grid = app.dashboard.grid
        assert grid.get_cell("__due__", "unit").plain == " ○ due"
        assert grid.get_cell("__due__", TODAY).plain == str(due)
        # Today's line stays on screen at every width: beside the grid or in the one line.
        assert f"due {due}" in app.dashboard.compute_today().share
        # Drawn: beside the grid (wide), or in the detail pane's one line (short screens).
        drawn = [
            w
            for w in app.screen.query(".today-share, #detail")
            if f"due {due}" in str(w.render()) and w.region.height and w.region.width
        ]
        assert drawn, "today's line is not on screen"


async def test_todays_filters_look_at_todays_column_only(week_ws, app_for, settle):
    week = Week(week_ws, clock=clock_at())
    app = app_for(week_ws, clock=clock_at(at(15, 12, 30)))  # past today's noon deadline
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        today = states_today(app)
        missing_today = [u for u, s in today.items() if s == "missing"]
        assert missing_today == ["xinhua", "weidong", "wugang", "jxxx"]
        await pilot.press("f", "f")
        assert app.dashboard.filter == "missing_today"
        assert app.dashboard.grid.row_keys == missing_today
        assert "[filter: missing today]" in app.query_one("#header").text.plain
        # The whole week's "missing" also lists a unit whose only gap is an earlier day.
        app.dashboard.filter = "missing"
        await pilot.pause()
        assert set(app.dashboard.grid.row_keys) >= set(missing_today)
        # Nobody is late today: the empty grid says so rather than look broken.
        app.dashboard.filter = "late_today"
        await pilot.pause()
        assert app.dashboard.grid.row_keys == []
        assert "No unit matches “late today”" in str(app.query_one("#detail").render())
        await pilot.press("escape")
        assert app.dashboard.filter == "all" and len(app.dashboard.grid.row_keys) == 5
        assert "filter:" not in app.query_one("#header").text.plain
    assert week.ledger().actions == []


async def test_filter_and_sort_stay_in_sight_at_80_columns(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "s")
        await pilot.pause()
        second = app.query_one("#header").text.plain.split("\n")[1]
        # The header's second line, as wide as the screen: the view badges come first.
        visible = second[:78]
        assert "[f: due today]" in visible and "[s: worst first]" in visible
        await pilot.press("escape")
        assert (app.dashboard.filter, app.dashboard.sort) == ("all", "roster")


async def test_worst_first_puts_the_cursor_on_the_first_row(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        assert grid.goto("wugang", TODAY)
        await pilot.press("s")
        await pilot.pause()
        assert app.dashboard.sort == "worst"
        assert grid.cursor_row == HEAD and grid.focus_unit == grid.row_keys[0] == "jxxx"
        assert grid.focus_column == TODAY and grid.scroll_y == 0


@pytest.mark.parametrize("size", SIZES)
async def test_slash_narrows_the_grid_as_you_type(week_ws, app_for, settle, size):
    app = app_for(week_ws)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        await pilot.press("slash", *"wei")
        await pilot.pause()
        assert grid.row_keys == ["weidong"]  # 卫东区: wei(dong) in full pinyin
        await pilot.press(*"x")
        await pilot.pause()
        assert grid.row_keys == []
        count = str(app.query_one("#search-count").render())
        assert "no unit matches “weix”" in count
        await pilot.press("enter")  # nothing to go to: the search stays open
        assert app.focused is app.query_one("#search")
        await pilot.press("escape")
        await pilot.pause()
        assert len(grid.row_keys) == 5 and not app.query_one("#searchbar").display


async def test_enter_picks_the_best_of_several_matches(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        await pilot.press("slash", *"pds")  # 平顶山职业技术学院, 平顶山技师学院: by initials
        await pilot.pause()
        # Ranked, not in roster order (pzy comes first in the roster).
        assert grid.row_keys == ["jxxx", "pzy"]
        assert "2 unit(s)" in str(app.query_one("#search-count").render())
        await pilot.press("enter")
        await pilot.pause()
        assert grid.focus_unit == "jxxx" and app.focused is grid
        assert "[/ pds]" in app.query_one("#header").text.plain
        await pilot.press("escape")  # the narrowing goes; the cursor stays on its unit
        await pilot.pause()
        assert len(grid.row_keys) == 5 and grid.focus_unit == "jxxx"


async def test_slash_then_initials_with_gaps(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"wgs", "enter")  # 舞钢市教育体育局
        await pilot.pause()
        assert app.dashboard.grid.focus_unit == "wugang"


async def test_a_cell_shows_what_was_done_about_it(week_ws, app_for, settle):
    week = Week(week_ws, clock=lambda: at(15, 11))
    week.contact("weidong", "没人接", TODAY, operator="王")
    week.contact("wugang", "答应 11:10 前发", TODAY, promised_by=at(15, 11, 10), operator="王")
    week.contact("jxxx", "答应 14:00 前发", TODAY, promised_by=at(15, 14), operator="王")
    week.extend("xinhua", TODAY, at(15, 18), operator="王")
    app = app_for(week_ws)  # 11:23
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert cell(app, "weidong", TODAY) == "○c"
        assert cell(app, "wugang", TODAY) == "○#"  # promised 11:10, nothing yet
        assert cell(app, "jxxx", TODAY) == "○p"
        assert cell(app, "xinhua", TODAY) == "○+"
        assert cell(app, "pzy", TODAY) == "✓1"
        app.dashboard.grid.goto("wugang", TODAY)
        await pilot.pause()
        detail = str(app.query_one("#detail").render())
        assert "promise broken" in detail
        # The history speaks local time: the promise as 05-15 11:10, not an ISO string.
        assert "→ 05-15 11:10" in detail and "T11:10:00+08:00" not in detail
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "# promise broken" in help_text and "c contacted" in help_text
