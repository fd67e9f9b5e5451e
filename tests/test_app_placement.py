"""The dashboard's placement decisions: dismissing from the quarantine list, the assign
dialog's corrected arrival time, the quarantine badge. The real app through App.run_test."""

from __future__ import annotations

from textual.widgets import Input

from weekwatch.tui.screens.form import FormScreen
from weekwatch.tui.screens.quarantine import QuarantineScreen

STRAY = "不知道是谁的照片.jpg"  # the dashboard week's one quarantined file (arrived 14 May 15:00)


def badges(app) -> list[str]:
    header = app.dashboard.compute_header()
    return [text for text, _ in header.badges]


async def fill(pilot, **values: str) -> None:
    """Fill the open form's fields by name, then submit."""
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    for f in screen.fields:
        if f.name in values:
            screen.query_one(f"#field-{f.name}", Input).value = values[f.name]
    screen.query_one(f"#field-{screen.fields[-1].name}", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_dismiss_from_the_quarantine_list_and_undo(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "quarantine 1" in badges(app)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen) and app.screen.paths == [STRAY]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await fill(pilot, reason="别的活动的照片")
        await settle(pilot, lambda: app.week.ledger().dismissals)
        a = app.week.ledger().dismissals[STRAY]
        assert (a.data["reason"], a.operator) == ("别的活动的照片", "tester")
        await settle(pilot, lambda: app.screen.paths == [])
        await pilot.press("escape")
        # The badge counts only what awaits a decision: nothing does now.
        await settle(pilot, lambda: not any(b.startswith("quarantine") for b in badges(app)))
        assert (week_ws.inbox / STRAY).exists()

        await pilot.press("u")  # undo puts it back in quarantine
        await settle(pilot, lambda: "quarantine 1" in badges(app))
        assert app.week.ledger().dismissals == {}


async def test_dismiss_needs_a_reason_and_escape_writes_nothing(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # no reason: the form stays
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen)
        assert app.week.ledger().actions == []


async def test_assign_dialog_offers_the_real_arrival_time(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press(*"舞钢", "enter")
        await pilot.pause()
        # Sent at 11:20 on the 14th (before noon), saved into the folder at 15:00.
        await fill(pilot, received="2024-05-14 11:20", reason="邮件11:20已到")
        await settle(pilot, lambda: app.week.ledger().assignments)
        a = app.week.ledger().assignments[STRAY]
        assert (a.unit, a.cell) == ("wugang", "2024-05-14")
        assert a.data["received"] == "2024-05-14T11:20:00+08:00"
        assert a.data["reason"] == "邮件11:20已到"
        p = next(p for p in app.dashboard.board.placed if p.material.path == STRAY)
        assert not p.late and p.judged_at.hour == 11


async def test_assign_dialog_enter_passes_over_the_arrival_time(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press(*"舞钢", "enter")
        await pilot.pause()
        # Column and kind as read: Enter moves to the kind, then confirms (the kind is the
        # last field Enter visits: the arrival time and its reason are passed over).
        await pilot.press("enter")
        assert app.screen.focused.id == "field-kind"
        await pilot.press("enter")
        await settle(pilot, lambda: app.week.ledger().assignments)
        assert isinstance(app.screen, QuarantineScreen)
        a = app.week.ledger().assignments[STRAY]
        assert "received" not in a.data
        p = next(p for p in app.dashboard.board.placed if p.material.path == STRAY)
        assert p.late  # 15:00 is after the noon deadline


async def test_the_watching_dashboard_reads_again_what_waits_after_a_roster_change(
    week_ws, app_for, settle
):
    from weekwatch.fixtures.testweek import at, clock_at, drop
    from weekwatch.store.model import Unit
    from weekwatch.store.week import Week

    # A file of a unit not yet on the roster, scanned; then the roster gains the unit by a
    # write that read nothing again (another tool, an older weekwatch).
    drop(week_ws, "鲁山县教体局_2024-05-15_报道.docx", at(15, 9))
    week = Week(week_ws, clock=clock_at())
    week.ingestor().scan()
    week.mark_read()
    week.store.put_units([Unit("lushan", "鲁山县教育体育局", ("鲁山县", "鲁山县教体局"))])

    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set())
        await settle(
            pilot,
            lambda: app.dashboard.grid.get_cell("lushan", "2024-05-15").plain == "✓1",
            timeout=5,
        )
    rec = next(m for m in Week(week_ws).store.materials() if m.path.startswith("鲁山县"))
    assert (rec.unit, rec.cell, rec.received_at) == ("lushan", "2024-05-15", at(15, 9))


async def test_a_rewritten_files_record_lists_its_versions_and_its_cell_stays(
    week_ws, app_for, settle
):
    import os

    from weekwatch.fixtures.testweek import at, clock_at
    from weekwatch.store.week import Week
    from weekwatch.tui.screens.form import TextScreen

    rel = "舞钢_2024-05-14_报道.docx"  # arrived 14 May 10:00: on time
    path = week_ws.inbox / rel
    path.write_bytes(b"the corrected report")
    os.utime(path, (at(15, 11).timestamp(),) * 2)
    Week(week_ws, clock=clock_at()).ingestor().scan()

    app = app_for(week_ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.get_cell("wugang", "2024-05-14").plain == "✓1"
        assert app.dashboard.grid.goto("wugang", "2024-05-14")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        body = app.screen.body.plain
        assert body.count("version: ") == 2
        assert "judged_at: 2024-05-14T10:00:00+08:00" in body
