"""The first paint from the cells another process kept, then the whole board in a worker.

A board kept beside the database (store/board_cache.py, by `Week.cells` here as `status`
would) lets the dashboard draw its grid before the week's materials are read and placed; the
whole board follows from the judging worker. The grid it then shows must be the one a whole
judging draws, and a file written while the whole board was being judged must not be lost.
Kept cells that no longer match the database are never painted.
"""

from __future__ import annotations

import threading

from weekwatch.fixtures.testweek import NOW, TODAY, clock_at, drop
from weekwatch.store.week import Week
from weekwatch.tui import judge as judging
from weekwatch.tui.board_rows import shown as _shown
from weekwatch.widgets.grid import TOTAL_STATES, state_text


def grid_is(app, board) -> None:
    """Every cell and total the grid draws is `board`'s."""
    grid = app.dashboard.grid
    assert grid.row_keys == [u.id for u in board.units]
    for u in board.units:
        for c in board.event.columns:
            assert grid.get_cell(u.id, c).plain == state_text(*_shown(board.cells[(u.id, c)])).plain
    for state in TOTAL_STATES:
        for c in board.event.columns:
            assert grid.get_cell(f"__{state}__", c).plain == str(board.totals(c).get(state, 0))


def held_whole(monkeypatch) -> threading.Event:
    """The first whole judging waits until the returned event is set: the fill, held open."""
    go = threading.Event()
    real = judging.Judging.judge

    def judge(self, now, units=None, *, index=True):
        if units is None and not go.is_set():
            assert go.wait(20), "the test never let the whole board be judged"
        return real(self, now, units, index=index)

    monkeypatch.setattr(judging.Judging, "judge", judge)
    return go


async def test_the_grid_is_painted_from_kept_cells_and_filled_by_the_whole_board(
    week_ws, app_for, settle, monkeypatch
):
    Week(week_ws, clock=clock_at()).cells(NOW)  # kept, as `weekwatch status` keeps it
    go = held_whole(monkeypatch)
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.dashboard
        for _ in range(500):
            if screen.provisional:
                break
            await pilot.pause(0.02)
        # Painted before any material was placed: the kept cells, exactly the whole board's.
        assert screen.board.placed == ()
        assert screen.first_paint is not None
        grid_is(app, Week(week_ws, clock=clock_at()).board(NOW))
        # A file written while the whole board is judged (nothing watches yet).
        drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW, b"news")
        go.set()
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 10)
        await settle(pilot, lambda: screen.grid.get_cell("jxxx", TODAY).plain == "✓1", 10)
        assert not screen.provisional
        fresh = Week(week_ws, clock=clock_at()).board(NOW)
        assert screen.board.cells == fresh.cells
        assert screen.board.placed == fresh.placed
        grid_is(app, fresh)
        assert "quarantine 1" in app.query_one("#header").text.plain


async def test_kept_cells_are_brought_current_after_another_process_wrote(
    week_ws, app_for, settle, monkeypatch
):
    week = Week(week_ws, clock=clock_at())
    week.cells(NOW)
    drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW, b"news")
    week.ingestor().scan()  # a write the kept cells do not know: only its unit placed again
    go = held_whole(monkeypatch)
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        assert app.dashboard.board is not None  # painted before the whole week is judged
        assert app.dashboard.grid.get_cell("jxxx", TODAY).plain == "✓1"
        go.set()
        await settle(pilot)
        grid_is(app, Week(week_ws, clock=clock_at()).board(NOW))


async def test_kept_cells_that_no_longer_match_the_database_are_not_painted(
    week_ws, app_for, settle, monkeypatch
):
    week = Week(week_ws, clock=clock_at())
    week.cells(NOW)
    text = week_ws.config.read_text(encoding="utf-8")
    week_ws.config.write_text(text.replace("12:00", "10:00"), encoding="utf-8")
    assert week_ws.config.read_text(encoding="utf-8") != text  # the deadline moved
    drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW, b"news")
    Week(week_ws, clock=clock_at()).ingestor().scan()
    go = held_whole(monkeypatch)
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        assert app.dashboard.board is None  # nothing painted from the stale cells
        go.set()
        await settle(pilot)
        assert app.dashboard.grid.get_cell("jxxx", TODAY).plain.endswith("1")
        grid_is(app, Week(week_ws, clock=clock_at()).board(NOW))


async def test_a_dashboard_keeps_its_board_for_the_next_one_unless_it_only_looks(
    week_ws, app_for, settle
):
    kept = week_ws.dbdir / "board.cells"
    for only_looks in ({"read_only": True}, {"as_of": NOW}):
        app = app_for(week_ws, **only_looks)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
        assert not kept.exists(), only_looks  # it writes nothing, not even derived data
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert kept.exists()
    assert Week(week_ws, clock=clock_at()).kept_cells(NOW) is not None  # current: it serves


async def test_the_week_is_judged_whole_once_at_start_however_long_it_takes(
    week_ws, app_for, settle, monkeypatch
):
    # At 100,000 files the first whole judging takes seconds; the store's stamp is polled
    # every 0.5 s meanwhile. The first board carries the stamp taken before its judging, so
    # those polls must not ask for the week again (a second whole judging: its time, and a
    # second board in memory beside the first).
    wholes = []
    real = judging.Judging.judge

    def judge(self, now, units=None, *, index=True):
        if units is None:
            wholes.append(now)
        return real(self, now, units, index=index)

    monkeypatch.setattr(judging.Judging, "judge", judge)
    go = held_whole(monkeypatch)
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.dashboard
        await pilot.pause(1.6)  # three polls of the store while the week is judged
        assert screen.board is None
        go.set()
        await settle(pilot, lambda: screen.board is not None and not screen.feed.busy, 10)
        await pilot.pause(0.6)  # another poll, the board in
        await settle(pilot, lambda: not screen.feed.busy, 10)
        assert len(wholes) == 1
        assert screen.feed.applied == 1
        grid_is(app, Week(week_ws, clock=clock_at()).board(NOW))
