"""The dashboard driven through the real app: every key, asserted on the store or the screen."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import NOW, TODAY, TZ, at, clock_at, dashboard_workspace, drop
from weekwatch.store import unit_search
from weekwatch.store.ingest import IngestLock
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.tui.app import WeekwatchApp
from weekwatch.tui.screens.confirm import ConfirmScreen
from weekwatch.tui.screens.form import FormScreen, TextScreen
from weekwatch.tui.screens.help import HelpScreen
from weekwatch.tui.screens.quarantine import QuarantineScreen


def cell(app: WeekwatchApp, unit: str, col: str) -> str:
    return app.dashboard.grid.get_cell(unit, col).plain


async def goto(pilot, unit: str, col: str) -> None:
    assert pilot.app.dashboard.grid.goto(unit, col)
    await pilot.pause()


async def fill(pilot, *values: str, type_: bool = False) -> None:
    """Fill the open form's fields one after the other (Enter moves on, then submits)."""
    from textual.widgets import Input

    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    for inp, v in zip(screen.query(Input), values, strict=False):
        inp.focus()
        if type_:
            await pilot.press(*v)
        elif v:  # "" keeps what the form proposes
            inp.value = v
    await pilot.press("enter")
    await pilot.pause()


async def test_first_screen_shows_the_grid_and_countdown(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.row_keys == ["xinhua", "weidong", "pzy", "wugang", "jxxx"]
        assert cell(app, "xinhua", "2024-05-14") == "!1"
        assert cell(app, "weidong", "2024-05-14") == "✗"
        assert cell(app, "pzy", TODAY) == "✓1"
        assert cell(app, "jxxx", TODAY) == "○"
        assert cell(app, "xinhua", "summary") == "·"
        header = app.query_one("#header").text.plain
        assert "Today's deadline 12:00 · 37 min left" in header
        assert "quarantine 1" in header
        assert app.dashboard.grid.focus_column == TODAY  # the cursor starts on today
        totals = [
            app.dashboard.grid.get_cell(f"__{s}__", "plan").plain
            for s in ("on_time", "late", "missing")
        ]
        assert totals == ["3", "0", "2"]
        assert app.dashboard.grid.get_cell("__missing__", "unit").plain == " ✗ missing"


async def test_moving_with_hjkl_and_arrows(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        assert app.dashboard.grid.focus_unit == "pzy"
        await pilot.press("k")
        assert app.dashboard.grid.focus_unit == "weidong"
        await pilot.press("h")
        assert app.dashboard.grid.focus_column == "2024-05-14"
        await pilot.press("l", "right")
        assert app.dashboard.grid.focus_column == "2024-05-16"
        await pilot.press("down")
        assert app.dashboard.grid.focus_unit == "pzy"
        detail = str(app.query_one("#detail").render())
        assert "平顶山职业技术学院" in detail and "张伟" in detail


async def test_find_by_alias_as_you_type(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"舞钢", "enter")
        await pilot.pause()
        assert app.dashboard.grid.focus_unit == "wugang"
        await pilot.press("slash", *"jx", "enter")
        await pilot.pause()
        assert app.dashboard.grid.focus_unit == "jxxx"


SEARCH_BY_PINYIN = """
import asyncio, sys
from pathlib import Path
from weekwatch.fixtures.testweek import clock_at
from weekwatch.store.workspace import Workspace
from weekwatch.tui.app import make_app
async def main():
    app = make_app(Workspace(Path(sys.argv[1])), clock=clock_at(), watch=False, lang="en",
                   operator="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.dashboard
        for _ in range(1000):
            search = [w for w in screen.workers if w.group == "search"]
            if search and all(w.is_finished for w in search):
                break
            await pilot.pause(0.02)
        await pilot.press("slash", *sys.argv[2])
        await pilot.pause(0.2)
        print(" ".join(screen.grid.row_keys))
        print("pypinyin" in sys.modules)
asyncio.run(main())
"""


@pytest.mark.parametrize("query", ["pdszy", "weidong", "jsxy"])
def test_search_by_pinyin_with_no_pinyin_dictionary_in_the_dashboard(week_ws, query):
    # The names' pinyin is spelt by a short-lived process: pypinyin's dictionaries (~50 MB)
    # never load in the dashboard, and `/` finds units by pinyin all the same.
    week = Week(week_ws)
    want = " ".join(u.id for u in unit_search.rank(week.units(), query))
    assert want  # the query finds someone
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_BY_PINYIN, str(week_ws.root), query],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows, loaded = done.stdout.split("\n")[:2]
    assert rows == want
    assert loaded == "False"


async def test_filter_cycles_and_sort_moves_rows_only_when_asked(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f", "f", "f")  # today's: due, missing, late
        assert app.dashboard.filter == "late_today"
        await pilot.press("f")
        assert app.dashboard.filter == "problems"
        await pilot.press("f")
        assert app.dashboard.filter == "missing"
        assert app.dashboard.grid.row_keys == ["weidong", "pzy", "wugang", "jxxx"]
        await pilot.press("f")
        assert app.dashboard.grid.row_keys == ["xinhua", "weidong"]
        await pilot.press("f")
        assert app.dashboard.filter == "all" and len(app.dashboard.grid.row_keys) == 5
        await pilot.press("s")
        assert app.dashboard.sort == "worst"
        assert app.dashboard.grid.row_keys[0] == "jxxx"
        assert "s: worst first" in app.query_one("#header").text.plain  # short below 120
        await pilot.press("s", "s", "s")
        assert app.dashboard.sort == "roster"
        assert app.dashboard.grid.row_keys == ["xinhua", "weidong", "pzy", "wugang", "jxxx"]


async def test_excuse_records_reason_and_operator(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "jxxx", "2024-05-14")
        await pilot.press("e")
        await fill(pilot, "停电", type_=True)
        await settle(pilot, lambda: cell(app, "jxxx", "2024-05-14") == "E")
        excuse = app.week.ledger().excuses[("jxxx", "2024-05-14")]
        assert excuse.data["reason"] == "停电" and excuse.operator == "tester"
        assert any("Excused 1" in t for t in app.toasts)

        # u takes it back
        await pilot.press("u")
        await settle(pilot, lambda: cell(app, "jxxx", "2024-05-14") == "✗")
        assert ("jxxx", "2024-05-14") not in app.week.ledger().excuses


async def test_cancel_and_mistakes_never_write_or_crash(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")  # Escape cancels
        await pilot.press("x")
        await fill(pilot, "soon")  # not a time: said under the field, not recorded
        assert isinstance(app.screen, FormScreen)
        assert "not a date and time" in app.screen.error("until")
        await pilot.press("escape")
        await pilot.press("u")  # nothing to undo
        await settle(pilot)
        assert app.week.ledger().actions == []
        assert any("Nothing to undo" in t for t in app.toasts)
        assert app.is_running


async def test_extend_until_a_time_today(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "jxxx", TODAY)
        await pilot.press("x")
        await fill(pilot, "15:30")
        await settle(pilot, lambda: ("jxxx", TODAY) in app.week.ledger().extensions)
        assert app.week.ledger().extensions[("jxxx", TODAY)] == dt.datetime(
            2024, 5, 15, 15, 30, tzinfo=TZ
        )


async def test_space_marks_rows_for_a_bulk_contact(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "pzy", TODAY)
        await pilot.press("space", "space")  # marks pzy, then wugang (the cursor moves down)
        assert app.dashboard.marked == {"pzy", "wugang"}
        assert cell(app, "pzy", "unit").startswith("●")
        await pilot.press("c")
        await fill(pilot, "已电话，答应下午补交", "16:00")
        await settle(pilot, lambda: len(app.week.ledger().actions) == 2)
        acts = app.week.ledger().actions
        assert {a.unit for a in acts} == {"pzy", "wugang"}
        assert all(
            a.type == "contact" and a.data["promised_by"].startswith("2024-05-15T16:00")
            for a in acts
        )
        await settle(pilot, lambda: not app.dashboard.marked)

        # a bulk excuse of three marked rows
        await goto(pilot, "weidong", "2024-05-14")
        await pilot.press("space", "space", "space")
        await pilot.press("e")
        await fill(pilot, "系统故障")
        # wugang's 05-14 is on time already: asked first, naming it
        assert isinstance(app.screen, ConfirmScreen)
        assert "舞钢市教育体育局" in app.screen.body and app.week.ledger().excuses == {}
        await pilot.press("y")
        await settle(pilot, lambda: len(app.week.ledger().excuses) == 3)
        assert cell(app, "wugang", "2024-05-14") == "E1"


async def test_note_on_a_cell(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await fill(pilot, "联络员换人")
        await settle(pilot, lambda: app.week.ledger().actions)
        (a,) = app.week.ledger().actions
        assert (a.type, a.unit, a.cell, a.data["text"]) == ("note", "xinhua", TODAY, "联络员换人")
        await settle(pilot, lambda: "联络员换人" in str(app.query_one("#detail").render()))


async def test_rescan_without_a_watcher_scans_once(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        drop(week_ws, "技师学院_2024-05-15_报道.docx", at(15, 10))
        await pilot.press("r")
        await settle(pilot, lambda: cell(app, "jxxx", TODAY) == "✓1")
        # Said once its burst is over (tui/toasts.py).
        await settle(pilot, lambda: any("平顶山技师学院" in t for t in app.toasts))


async def test_enter_opens_the_file_record(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "xinhua", "2024-05-14")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        body = app.screen.body.plain
        assert "xinhua/新华区_2024-05-14_报道.docx" in body and "late" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, TextScreen)


async def test_help_lists_every_binding(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {b.id: b for b in app.screen.bindings}
        for b in (*type(app).BINDINGS, *type(app.dashboard).BINDINGS):
            assert b.id in described and described[b.id].tooltip
            assert described[b.id].description == b.description  # in the operator's language
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_quarantine_view_assigns_with_the_unit_picker(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen)
        assert app.screen.paths == ["不知道是谁的照片.jpg"]
        await pilot.press("enter")
        await pilot.press(*"舞钢", "enter")
        await pilot.pause()
        await fill(pilot, "", "")  # keep the column and kind read from the file
        await settle(pilot, lambda: app.week.ledger().assignments)
        a = app.week.ledger().assignments["不知道是谁的照片.jpg"]
        assert (a.unit, a.cell) == ("wugang", "2024-05-14")
        await settle(pilot, lambda: app.screen.paths == [])
        await pilot.press("escape")
        await settle(pilot, lambda: cell(app, "wugang", "2024-05-14") == "✓2")


async def test_theme_switch_and_palette_commands(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = app.theme
        await pilot.press("t")
        assert app.theme != before
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for label in ("Excuse", "Extend", "Contact", "Note", "Undo", "Find", "Quarantine", "Help"):
            assert label in titles
        assert "Filter: missing" in titles and "Sort: worst first" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"r: due today")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot, lambda: app.dashboard.filter == "due_today")
        assert app.dashboard.grid.row_keys == ["xinhua", "weidong", "wugang", "jxxx"]


async def test_q_quits(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_read_only_refuses_actions(week_ws, app_for, settle):
    app = app_for(week_ws, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "read-only" in app.query_one("#header").text.plain
        for key in ("e", "x", "c", "n", "u"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, FormScreen)
        assert app.week.ledger().actions == []


async def test_as_of_shows_the_week_as_it_stood(week_ws, app_for, settle):
    app = app_for(week_ws, as_of=at(13, 11))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "as of 2024-05-13 11:00" in app.query_one("#header").text.plain
        assert cell(app, "xinhua", "2024-05-14") == "·"  # not begun then
        assert cell(app, "weidong", "2024-05-13") == "○"
        await pilot.press("e")
        assert not isinstance(app.screen, FormScreen)


async def test_follows_when_another_process_ingests(week_ws, app_for, settle):
    lock = IngestLock(week_ws.dbdir)
    lock.acquire()
    try:
        app = app_for(week_ws, watch=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.watcher is None
            assert "following pid" in app.query_one("#header").text.plain
            # Another process (here: another Week on the same workspace) writes: it shows up.
            Week(week_ws, clock=clock_at()).excuse("jxxx", TODAY, "另一个看板", operator="other")
            await settle(pilot, lambda: cell(app, "jxxx", TODAY) == "E", timeout=5)
    finally:
        lock.release()


async def test_deadline_passes_without_a_key(week_ws, app_for, settle):
    now = [dt.datetime(2024, 5, 15, 11, 59, 58, tzinfo=TZ)]
    app = app_for(week_ws, clock=lambda: now[0])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert cell(app, "jxxx", TODAY) == "○"
        assert "Today's deadline 12:00 · 2 s left" in app.query_one("#header").text.plain
        assert app.query_one("#header").has_class("urgent")
        now[0] = dt.datetime(2024, 5, 15, 12, 0, 1, tzinfo=TZ)
        await settle(pilot, lambda: cell(app, "jxxx", TODAY) == "✗", timeout=4)
        assert any("4 cell(s) now missing" in t for t in app.toasts)


async def test_live_arrival_updates_its_cell(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set())
        assert "watching" in app.query_one("#header").text.plain
        assert cell(app, "jxxx", TODAY) == "○"
        # mtime = the frozen now, so the file counts even if the watcher's start-up scan
        # (which reads arrival from mtime) finds it before the event does.
        drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW)
        # How soon it shows is bench/watch_latency.py's figure; here only that it does.
        await settle(pilot, lambda: cell(app, "jxxx", TODAY) == "✓1", timeout=5)
        await settle(pilot, lambda: any("New material: 平顶山技师学院" in t for t in app.toasts))
        assert ("jxxx", TODAY) in app.dashboard.grid._flashing or app.dashboard.grid.get_cell(
            "jxxx", TODAY
        ).plain == "✓1"


async def test_lang_zh_speaks_chinese(week_ws, app_for, settle):
    app = app_for(week_ws, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "今日截止 12:00 · 还有 37 分钟" in app.query_one("#header").text.plain


def test_now_constant_is_day_four():
    assert NOW.date() == dt.date(2024, 5, 15)


async def test_live_quarantined_arrival_updates_the_count(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set())
        drop(week_ws, "谁发的.docx", NOW)
        await settle(pilot, lambda: "quarantine 2" in app.query_one("#header").text.plain, 5)
        drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW)
        await settle(pilot, lambda: cell(app, "jxxx", TODAY) == "✓1", timeout=5)
        # Alone, or in one toast with the quarantined file if both came within one burst.
        await settle(pilot, lambda: any("平顶山技师学院" in t for t in app.toasts))


async def test_files_that_came_while_nothing_watched_are_shown_not_announced(
    week_ws, app_for, settle
):
    drop(week_ws, "技师学院_第3天_照片.jpg", at(14, 10))  # before the app runs
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: cell(app, "jxxx", "2024-05-14") == "✓1", timeout=5)
        await pilot.pause(0.6)
        assert not any("New material" in t for t in app.toasts)


@pytest.mark.parametrize(
    "moment", [at(12, 0) - dt.timedelta(days=3), at(18, 23) + dt.timedelta(days=20)]
)
async def test_empty_roster_and_days_outside_the_week(tmp_path, moment, app_for, settle):
    week_ws = dashboard_workspace(tmp_path / "empty", units=[], drops=[])
    app = app_for(week_ws, clock=clock_at(moment))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.row_keys == [] and app.dashboard.grid.focus_unit is None
        await pilot.press("e", "x", "c", "n", "space", "enter", "f", "s", "slash", "escape")
        await settle(pilot)
        assert app.is_running and app.week.ledger().actions == []


async def test_sort_keeps_the_cursor_on_its_unit_in_a_large_grid(tmp_path, app_for, settle):
    # More rows than the grid adds at once, so the refill after a sort comes in chunks.
    units = [
        Unit(f"u{i:04d}", f"第{i}号职业技术学院", (f"职院{i}",), "高职院校", f"区{i % 10}")
        for i in range(400)
    ]
    drops = [(f"u{i:04d}/u{i:04d}_2024-05-13_报道.docx", at(13, 9)) for i in range(0, 400, 3)]
    app = app_for(dashboard_workspace(tmp_path / "week_ws", units, drops))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: not app.dashboard.grid.filling, timeout=20)
        assert app.dashboard.grid.goto("u0300", TODAY)
        await pilot.press("s")  # worst first: rows move, the grid refills in chunks
        await settle(pilot, lambda: not app.dashboard.grid.filling, timeout=20)
        grid = app.dashboard.grid
        # A new order is read from its top: the cursor on the worst unit, the top in sight.
        assert grid.focus_unit == grid.row_keys[0] and grid.scroll_y == 0
        assert grid.row_count >= 400
        assert grid.goto("u0300", TODAY) and grid.focus_unit == "u0300"


def test_building_the_app_starts_nothing(week_ws, app_for):
    """No thread, no worker, no ingest lock until the app runs."""
    import threading

    before = threading.active_count()
    app = app_for(week_ws, watch=True)
    assert threading.active_count() == before
    assert app.inbox.lock is None and app.inbox.following is None
    lock = IngestLock(week_ws.dbdir)
    lock.acquire()  # would fail had the app taken it
    lock.release()


async def test_state_colours_follow_the_theme(week_ws, app_for, settle, monkeypatch):
    from textual.color import Color

    monkeypatch.setenv("COLORTERM", "truecolor")  # a theme's colours show with 24-bit colour
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        def colour(unit: str, col: str) -> str:
            style = app.dashboard.grid.get_cell(unit, col).style
            return style.color.name if style.color else ""

        def success() -> str:
            return Color.parse(app.get_css_variables()["success"]).rich_color.name

        assert cell(app, "pzy", TODAY) == "✓1"
        before = colour("pzy", TODAY)
        assert before == success()
        await pilot.press("t", "t")  # textual-light, then ansi-dark: the terminal's own green
        await pilot.pause()
        assert app.theme == "ansi-dark"
        assert colour("pzy", TODAY) == success() != before
