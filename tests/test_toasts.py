"""Toasts as the operator sees them: whole Chinese names, never over the grid, the detail pane
or a dialog, bursts said once, quarantined and removed files said too, mutable."""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from textual.widgets._toast import Toast

from weekwatch.fixtures.testweek import NOW, TODAY, drop
from weekwatch.tui.app import WeekwatchApp
from weekwatch.tui.screens.form import FormScreen

NAME = "平煤神马技师学院"  # a name whose first characters a toast over the side pane lost


def screen_text(app: WeekwatchApp) -> str:
    """What the terminal shows, as text (from the screenshot Textual renders)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def cell(app: WeekwatchApp, unit: str, col: str) -> str:
    return app.dashboard.grid.get_cell(unit, col).plain


async def until(pilot, pred, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not pred():
        if loop.time() > end:
            raise AssertionError(f"not within {timeout} s; toasts: {pilot.app.toasts[-5:]}")
        await pilot.pause(0.1)


def shown(app: WeekwatchApp) -> list[Toast]:
    return list(app.screen.query(Toast))


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (100, 30)])
async def test_a_toast_shows_a_chinese_name_whole(week_ws, app_for, settle, size):
    app = app_for(week_ws)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        app.notify(f"New material: {NAME} (12-01)")
        await until(pilot, lambda: bool(shown(app)), 5)
        await pilot.pause(0.2)
        assert f"New material: {NAME} (12-01)" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_toasts_cover_neither_the_grid_nor_the_detail_pane(week_ws, app_for, settle, size):
    app = app_for(week_ws)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        for i in range(4):  # several at once: still one line
            app.notify(f"第{i}条 {NAME} 的很长很长的提示，长到一行放不下也不会换行遮住下面的格子")
        await until(pilot, lambda: bool(shown(app)), 5)
        await pilot.pause(0.2)
        visible = [t for t in shown(app) if t.region.area]  # those scrolled away have none
        grid = app.dashboard.grid.region
        side = app.query_one("#side").region
        for t in visible:
            assert t.region.y == 0 and t.region.height == 1  # the header's title line only
            assert not t.region.overlaps(grid) and not t.region.overlaps(side)
        # The newest is the one in sight, cut short on its line.
        assert len(visible) == 1 and "第3条" in str(visible[0].render())


async def test_a_toast_replaces_the_one_before_on_its_line(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for text in ("first", "second", "third"):
            app.notify(text)
            await until(pilot, lambda t=text: any(t in str(x.render()) for x in shown(app)), 5)
            await pilot.pause(0.3)
            (seen,) = [x for x in shown(app) if x.region.area]
            assert str(seen.render()) == text and seen.region.y == 0


async def test_a_toast_does_not_cover_a_dialog(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("c")  # the contact form, the tallest
        await until(pilot, lambda: isinstance(app.screen, FormScreen), 5)
        app.notify(
            "Gone from the inbox: 舞钢市/2024-05-13/舞钢市教育体育局职业启蒙进校园活动照片一组.zip"
            f" (still counts for {NAME} 05-13)",
            severity="warning",
        )
        await until(pilot, lambda: bool(shown(app)), 5)
        await pilot.pause(0.2)
        dialog = app.screen.query_one(".dialog").region
        assert all(not t.region.overlaps(dialog) for t in shown(app))


async def test_a_burst_of_arrivals_is_one_toast(week_ws, app_for, settle, tmp_path):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 10)
        await settle(pilot)
        before = len(app.toasts)
        # A folder of three files moved into the inbox at once, as a mail fetcher does.
        staging = tmp_path / "今日材料"
        staging.mkdir()
        for name in ("技师学院_第4天_新闻稿.docx", "卫东区_2024-05-15_照片.jpg", "谁发的.docx"):
            (staging / name).write_bytes(name.encode())
        staging.rename(week_ws.inbox / "今日材料")
        await until(pilot, lambda: cell(app, "weidong", TODAY) == "✓1", 10)
        await until(pilot, lambda: len(app.toasts) > before, 5)
        await pilot.pause(1)
        assert app.toasts[before:] == [
            "3 new files: 卫东区教育体育局 (05-15), 平顶山技师学院 (05-15), "
            "quarantine: 今日材料/谁发的.docx"
        ]


async def test_a_quarantined_arrival_gets_a_toast(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 10)
        await settle(pilot)
        drop(week_ws, "谁发的.docx", NOW)
        await until(pilot, lambda: "New file in quarantine: 谁发的.docx" in app.toasts, 10)


async def test_a_file_removed_after_it_counted_is_said_and_still_counts(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 10)
        await settle(pilot)
        path = drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW)
        await until(pilot, lambda: cell(app, "jxxx", TODAY) == "✓1", 10)
        path.unlink()  # the operator moved it away
        await until(pilot, lambda: any("Gone from the inbox" in t for t in app.toasts), 10)
        said = next(t for t in app.toasts if "Gone from the inbox" in t)
        assert "技师学院_第4天_新闻稿.docx" in said and "still counts for 平顶山技师学院" in said
        await settle(pilot)
        assert cell(app, "jxxx", TODAY) == "✓1"
        assert app.dashboard.grid.goto("jxxx", TODAY)
        await pilot.pause()
        app.dashboard.update_detail()
        assert "gone from the inbox, still counts" in str(app.query_one("#detail").render())


async def test_toasts_can_be_muted_from_the_palette(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 10)
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"Mute toasts")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: app.toaster.muted, 5)
        app.clear_notifications()
        drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW)
        await until(pilot, lambda: any("New material" in t for t in app.toasts), 10)
        await pilot.pause(0.3)
        assert not shown(app)  # said in the log, not on screen
        app.notify("Intake stopped: x", severity="error")
        await until(pilot, lambda: bool(shown(app)), 5)  # errors still show


async def test_a_toast_that_lands_as_the_dashboard_closes_is_dropped(week_ws, app_for, settle):
    # A watcher's "Scan done" or a worker's error posted just before the operator quits is
    # handled after the screens are gone: it must not end the app with a traceback.
    from textual.notifications import Notification, Notify

    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert not app._screen_stack  # closed: no screen to show a toast on
    app._on_notify(Notify(Notification("Scan done: 1 new, 0 gone", severity="information")))
    assert "Scan done: 1 new, 0 gone" in [n.message for n in app._notifications]
