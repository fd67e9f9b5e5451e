"""Live arrivals drawn from the board carried over: the grid equals a whole board judged afresh.

The dashboard's own watcher takes in real files (new ones, a copy of another unit's file, a
rewrite, a file nobody can place, a file removed); after each the screen applies a board
re-judged only for the touched units (store/rejudge.Rejudger) and redraws only their rows.
Every cell the grid draws, its totals rows, the quarantine count and each cell's materials
must then be what a board judged whole from the store gives.
"""

from __future__ import annotations

import hashlib
import os

from textual.geometry import Region

from weekwatch.fixtures.testweek import NOW, TODAY, drop
from weekwatch.store.week import Week
from weekwatch.tui.board_rows import shown as _shown
from weekwatch.tui.view import arrivals_per_hour
from weekwatch.widgets.grid import TOTAL_STATES, state_text


def drawn_as_fresh(app, ws) -> None:
    """Every cell of the grid and its totals equal a board judged whole, now."""
    week = Week(ws, clock=lambda: NOW)
    fresh = week.board(NOW)
    screen = app.dashboard
    grid = screen.grid
    assert screen.board.cells == fresh.cells
    assert screen.board.placed == fresh.placed
    assert screen.board.by_cell == fresh.by_cell
    assert screen.board.quarantined == fresh.quarantined
    assert grid.row_keys == [u.id for u in fresh.units]
    assert screen.per_hour == arrivals_per_hour(fresh, fresh.event.day_of(NOW))
    for u in fresh.units:
        for c in fresh.event.columns:
            want = state_text(*_shown(fresh.cells[(u.id, c)])).plain
            assert grid.get_cell(u.id, c).plain == want, (u.id, c)
    for state in TOTAL_STATES:
        for c in fresh.event.columns:
            want = str(fresh.totals(c).get(state, 0))
            assert grid.get_cell(f"__{state}__", c).plain == want, (state, c)
    # What is on the screen: only the changed rows were drawn again (widgets/grid.py keeps
    # every other line DataTable cached); the same lines as a grid drawn whole from its cells.
    shown = drawn(grid)
    grid._update_count += 1  # DataTable's own invalidation: every cell rendered again
    grid.refresh()
    assert shown == drawn(grid)


def drawn(grid) -> list[list[tuple[str, object]]]:
    """The grid's lines as the screen shows them: each segment's text and style."""
    lines = grid.render_lines(Region(0, 0, grid.size.width, grid.size.height))
    return [[(seg.text, seg.style) for seg in line] for line in lines]


async def test_each_live_arrival_leaves_the_grid_as_a_whole_judging_draws_it(
    week_ws, app_for, settle
):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set())
        screen = app.dashboard
        steps = [
            ("技师学院_第4天_新闻稿.docx", b"news"),  # a new file, today's cell
            ("卫东区_5月15日_照片.jpg", b"news"),  # the same bytes, another unit: not its copy
            ("卫东区_5月15日_照片2.jpg", b"news"),  # the unit's own copy: a duplicate
            ("技师学院_第4天_新闻稿.docx", b"news, corrected"),  # rewritten: a new version
            ("谁也不是.docx", b"?"),  # nobody's: quarantine
            ("xinhua/新华区_2024-05-15_报道.docx", b"report"),
        ]
        carried = 0
        for rel, data in steps:
            digest = hashlib.sha256(data).hexdigest()
            drop(week_ws, rel, NOW, data)
            await settle(
                pilot,
                lambda rel=rel, digest=digest: any(
                    p.material.path == rel and p.material.sha256 == digest
                    for p in screen.board.placed
                ),
                timeout=8,
            )
            await settle(pilot)
            carried += screen.judging.change.units is not None
            drawn_as_fresh(app, week_ws)
        os.unlink(week_ws.inbox / "卫东区_5月15日_照片.jpg")  # gone from the inbox
        await settle(
            pilot,
            lambda: any(
                p.material.gone and p.material.path == "卫东区_5月15日_照片.jpg"
                for p in screen.board.placed
            ),
            timeout=8,
        )
        await settle(pilot)
        drawn_as_fresh(app, week_ws)
        # The arrivals were applied from carried-over boards, not judged whole each time.
        assert carried >= 4
        assert "quarantine 2" in app.query_one("#header").text.plain
        assert app.dashboard.grid.get_cell("jxxx", TODAY).plain.startswith("✓")
