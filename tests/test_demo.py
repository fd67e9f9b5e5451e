"""The demo tells the truth: no file before its day, a title of its year, its workspace said
at start and removed at the end unless kept."""

from __future__ import annotations

import datetime as dt
import time

from weekwatch.fixtures.drops import load_demo_event
from weekwatch.tui.demo import Dropper, dated_ahead, demo_event, make_demo, prepare_demo, run_demo

TZ = load_demo_event()[0].tz
NOW = dt.datetime(2026, 12, 1, 19, 18, tzinfo=TZ)  # an evening on day 4, as the demo was seen


def test_the_title_says_the_year_of_the_dates():
    event = demo_event(NOW)
    assert event.start.year == 2026 and event.title.startswith("2026年")
    assert "2024" not in event.title
    assert demo_event(dt.datetime(2031, 1, 2, 9, tzinfo=TZ)).title.startswith("2030年")


def test_the_dropper_never_drops_a_file_dated_later_than_today(tmp_path):
    ws, upcoming = prepare_demo(tmp_path / "demo", NOW)
    event = demo_event(NOW)
    assert any(dated_ahead(d, event, NOW) for d in upcoming)  # the plan holds such files
    dropper = Dropper(ws.inbox, upcoming, 0.001, lambda: NOW, event)
    dropper.start()
    end = time.monotonic() + 20
    while time.monotonic() < end and any(not dated_ahead(d, event, NOW) for d in dropper.drops):
        time.sleep(0.05)
    dropper.close()
    assert dropper.written, "nothing was dropped"
    today = NOW.date()
    for d in dropper.written:
        assert d.expect_cell in (None, "plan") or dt.date.fromisoformat(d.expect_cell) <= today
    on_disk = {p.relative_to(ws.inbox).as_posix() for p in ws.inbox.rglob("*") if p.is_file()}
    assert all(d.relpath in on_disk for d in dropper.written)
    assert all(dated_ahead(d, event, NOW) for d in dropper.drops)  # what is left waits


async def test_the_first_toast_says_where_the_demo_workspace_is(tmp_path):
    app, dropper, ws = make_demo(tmp_path / "demo", lang="en", clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        assert any(str(ws.root) in t for t in app.toasts[:3]), app.toasts


def _quit_at_once(app):
    async def pilot(p):
        await p.pause(0.5)
        await p.press("q")

    app.run(headless=True, size=(100, 30), auto_pilot=pilot)


def test_a_demo_run_removes_its_workspace(tmp_path, capsys):
    assert run_demo(lang="en", clock=lambda: NOW, parent=tmp_path, run=_quit_at_once) == 0
    assert list(tmp_path.iterdir()) == []
    assert "was removed" in capsys.readouterr().out


def test_a_demo_run_with_keep_keeps_it(tmp_path, capsys):
    run_demo(lang="en", clock=lambda: NOW, parent=tmp_path, run=_quit_at_once, keep=True)
    (kept,) = tmp_path.iterdir()
    assert (kept / "weekwatch.toml").exists()
    assert f"stays in {kept}" in capsys.readouterr().out
