"""Intake never stops silently: a following dashboard takes over when the ingesting process
goes, the header tells who takes in files at every moment, quitting asks when others follow.

The ingesting process is a real `weekwatch watch` (killed with SIGKILL, or stopped with
SIGINT as Ctrl-C does), the follower the real app under `run_test`; every wait is a poll
with a deadline.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from weekwatch.fixtures.damage import kill_group, wait_until, weekwatch
from weekwatch.fixtures.testweek import NOW, TODAY, clock_at, drop
from weekwatch.store import presence
from weekwatch.store.ingest import IngestLock
from weekwatch.tui.app import WeekwatchApp
from weekwatch.tui.screens.confirm import ConfirmScreen


def cell(app: WeekwatchApp, unit: str, col: str) -> str:
    return app.dashboard.grid.get_cell(unit, col).plain


def header(app: WeekwatchApp) -> str:
    return app.query_one("#header").text.plain


async def until(pilot, pred, timeout: float) -> None:
    """Poll `pred` with the app running until it holds; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not pred():
        if loop.time() > end:
            raise AssertionError(f"not within {timeout} s: {header(pilot.app)!r}")
        await pilot.pause(0.1)


def ingesting_process(ws) -> subprocess.Popen:
    proc = weekwatch(ws, "watch")
    if not wait_until(lambda: presence.ingest_holder(ws.dbdir) == str(proc.pid), 30, 0.1):
        kill_group(proc.pid)
        raise AssertionError(f"weekwatch watch did not take the lock: {proc.stderr.read()}")
    return proc


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
async def test_a_follower_takes_over_when_the_ingesting_process_goes(week_ws, app_for, settle, how):
    proc = ingesting_process(week_ws)
    try:
        app = app_for(week_ws, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.watcher is None
            assert f"following pid {proc.pid}" in header(app)
            if how == signal.SIGKILL:
                # Stopped first, so that what is dropped now is nobody's until the takeover.
                os.kill(proc.pid, signal.SIGSTOP)
                drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW)
            os.kill(proc.pid, how)
            if how == signal.SIGKILL:
                os.kill(proc.pid, signal.SIGCONT)
            proc.wait(30)
            await until(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 15)
            assert any(f"pid {proc.pid} stopped taking in files" in t for t in app.toasts)
            await until(pilot, lambda: "watching" in header(app), 5)
            assert "following" not in header(app)
            if how == signal.SIGKILL:
                # The file that came while nobody took files in: counted, and said.
                await until(pilot, lambda: cell(app, "jxxx", TODAY) == "✓1", 10)
                await until(pilot, lambda: any("Scan done: 1 new" in t for t in app.toasts), 5)
            # A file dropped after the takeover is taken in by this dashboard.
            drop(week_ws, "卫东区_2024-05-15_照片.jpg", NOW)
            await until(pilot, lambda: cell(app, "weidong", TODAY) == "✓1", 10)
            assert presence.ingest_holder(week_ws.dbdir) == str(os.getpid())
    finally:
        kill_group(proc.pid)


async def test_the_header_says_when_nobody_takes_in_files(week_ws, app_for, settle):
    """A read-only dashboard never ingests: it follows whoever does, or says nobody does."""
    app = app_for(week_ws, watch=True, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "NOT taking in files" in header(app)
        badge = next(s for s in app.query_one("#header").text.spans if "red" in str(s.style))
        assert "NOT taking in files" in app.query_one("#header").text.plain[badge.start : badge.end]
        lock = IngestLock(week_ws.dbdir)
        lock.acquire()  # another process (here: a lock of its own) starts ingesting
        try:
            await until(pilot, lambda: f"following pid {os.getpid()}" in header(app), 5)
            assert "NOT taking in" not in header(app)
        finally:
            lock.release()
        await until(pilot, lambda: "NOT taking in files" in header(app), 5)
        assert app.inbox.lock is None  # read-only: it never took the lock itself


async def test_a_watcher_that_dies_makes_the_header_loud(tmp_path, app_for, settle):
    from weekwatch.fixtures.testweek import dashboard_workspace

    ws = dashboard_workspace(tmp_path / "ws")
    for f in sorted(ws.inbox.rglob("*"), reverse=True):
        (f.unlink if f.is_file() else f.rmdir)()
    ws.inbox.rmdir()
    ws.inbox.write_text("not a folder")  # the damage: the watcher cannot watch this
    app = app_for(ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "NOT taking in files" in header(app), 10)
        assert any("Intake stopped" in t for t in app.toasts)
        assert app.inbox.lock is None  # let go, so another process may take over
        assert presence.ingest_holder(ws.dbdir) is None


async def test_the_header_shows_the_last_completed_scan(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "scanned 11:23:00" in header(app), 10)  # the frozen clock
        assert presence.last_scan(week_ws.dbdir) == NOW


async def test_a_follower_shows_the_ingesting_process_s_last_scan(week_ws, app_for, settle):
    lock = IngestLock(week_ws.dbdir)
    lock.acquire()
    try:
        presence.note_scan(week_ws.dbdir, NOW.replace(minute=20, second=5))
        app = app_for(week_ws, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert f"following pid {os.getpid()} · scanned 11:20:05" in header(app)
            await pilot.press("r")
            await until(pilot, lambda: any("last scan 11:20:05" in t for t in app.toasts), 5)
    finally:
        lock.release()


async def test_a_follower_says_when_the_ingesting_process_stopped_scanning(
    week_ws, app_for, settle
):
    """Alive and holding the lock, but not scanning (stopped, hung): loud too."""
    lock = IngestLock(week_ws.dbdir)
    lock.acquire()
    try:
        presence.note_scan(week_ws.dbdir, NOW.replace(hour=11, minute=10, second=0))
        app = app_for(week_ws, watch=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            text = app.query_one("#header").text
            assert f"pid {os.getpid()} NOT scanning · scanned 11:10:00" in text.plain
            badge = next(s for s in text.spans if "red" in str(s.style))
            assert "NOT scanning" in text.plain[badge.start : badge.end]
            presence.note_scan(week_ws.dbdir, NOW)  # it scans again
            await until(pilot, lambda: f"following pid {os.getpid()} · scanned" in header(app), 5)
    finally:
        lock.release()


async def test_r_says_what_the_rescan_found(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set(), 10)
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: any("Scan done: 0 new, 0 gone" in t for t in app.toasts), 10)


async def test_our_own_write_is_not_taken_for_another_process_s(week_ws, app_for, settle):
    """Between our watcher's write and its saying so, the stamp is nobody's yet: a poll in
    that moment must not judge (and announce) the files as another process's news."""
    from weekwatch.store.week import Week

    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        asked = []
        real = app.dashboard.refresh_board
        app.dashboard.refresh_board = lambda units=None: asked.append(units)
        try:
            Week(week_ws, clock=clock_at()).note("jxxx", "写入", operator="watcher")
            app.dashboard.poll_store(None, ingesting=True)  # the write is not said to be ours
            assert asked == []
            app.dashboard.poll_store(app.week.store.stamp(), ingesting=True)  # now it is
            assert asked == []
            Week(week_ws, clock=clock_at()).note("jxxx", "另一个进程", operator="other")
            app.dashboard.poll_store(None, ingesting=True)
            app.dashboard.poll_store(None, ingesting=True)  # still not ours: another's
            assert asked == [None]
        finally:
            app.dashboard.refresh_board = real


FOLLOWER = """
import sys, time
from pathlib import Path
from weekwatch.store.presence import Follower
Follower(Path(sys.argv[1])).start()
print("following", flush=True)
time.sleep(120)
"""


async def test_quitting_the_ingesting_dashboard_asks_when_others_follow(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.watcher is not None, 10)
        await settle(pilot)
        other = subprocess.Popen(
            [sys.executable, "-c", FOLLOWER, str(week_ws.dbdir)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert other.stdout.readline().strip() == "following"
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5)
            assert str(other.pid) in app.screen.body
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running and not isinstance(app.screen, ConfirmScreen)
            other.kill()  # a follower gone holds nothing: quitting asks no more
            other.wait(10)
            await pilot.press("q")
            await until(pilot, lambda: not app.is_running, 5)
        finally:
            other.kill()
            other.wait(10)


async def test_quitting_asks_and_y_quits(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.watcher is not None, 10)
        other = subprocess.Popen(
            [sys.executable, "-c", FOLLOWER, str(week_ws.dbdir)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert other.stdout.readline().strip() == "following"
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), 5)
            await pilot.press("y")
            await until(pilot, lambda: not app.is_running, 5)
        finally:
            other.kill()
            other.wait(10)
