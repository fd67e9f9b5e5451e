"""A watcher whose writes fail (a full disk, the inbox moved away): one line, back-off, catch-up."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import subprocess
import types

import pytest
import watchfiles

from weekwatch.fixtures.damage import wait_until, weekwatch
from weekwatch.fixtures.testweek import at, drop
from weekwatch.store import atomic
from weekwatch.store import watcher as watcher_mod
from weekwatch.store.watcher import Watcher
from weekwatch.store.week import Week


class FakeTime:
    """The watcher's monotonic clock, moved by the test: a minute of failures in no time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def _disk_full(monkeypatch, state: dict) -> None:
    real = atomic.write_temp

    def write(path, payload):
        if state["full"]:
            # What the real write raises on ENOSPC (store/atomic.py turns the OSError into this).
            err = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            raise atomic.WeekwatchError(f"cannot write {path}: {err}")
        return real(path, payload)

    monkeypatch.setattr(atomic, "write_temp", write)


@pytest.mark.parametrize("fault", ["disk full", "inbox moved away"])
def test_a_failing_watcher_backs_off_says_it_once_and_catches_up(ws, monkeypatch, caplog, fault):
    clock = FakeTime()
    monkeypatch.setattr(watcher_mod, "time", types.SimpleNamespace(monotonic=clock.monotonic))
    week = Week(ws, clock=lambda: at(14))
    problems: list[str | None] = []
    w = Watcher(week.ingestor(), clock=week.clock, rescan_every=60, on_problem=problems.append)
    scans = []
    real_scan = w.ingestor.scan
    w.ingestor.scan = lambda: scans.append(clock.now) or real_scan()  # type: ignore[method-assign]
    w._tick(set())  # the start-up scan
    assert w.ready.is_set()
    state = {"full": False}
    _disk_full(monkeypatch, state)
    moved = ws.root / "inbox.moved"
    if fault == "disk full":
        state["full"] = True
    else:
        ws.inbox.rename(moved)
    caplog.set_level(logging.INFO, logger=watcher_mod.__name__)
    scans.clear()
    dropped = []
    for i in range(600):  # a minute, in ticks of 100 ms
        if i % 60 == 0 and fault == "disk full":
            p = drop(ws, f"舞钢市/2024-05-14/照片{i}.jpg", at(14))
            dropped.append(p)
            w._tick({(watchfiles.Change.added, str(p))})
        else:
            w._tick(set(), force_rescan=(i % 10 == 0))  # as the degraded loop does
        clock.now += 0.1
    lines = [r for r in caplog.records if r.name == watcher_mod.__name__]
    assert len(scans) <= 8, f"{len(scans)} scans in a minute of failures"  # 1, 2, 4 … 60 s
    assert [r.levelno for r in lines] == [logging.WARNING]  # one line for the one problem
    assert lines[0].exc_info is None  # and no traceback for an OS error
    assert problems == [w.problem] and w.problem
    # The fault clears: one line more, and everything dropped meanwhile is recorded once.
    state["full"] = False
    if fault != "disk full":
        moved.rename(ws.inbox)
        dropped.append(drop(ws, "舞钢市/2024-05-14/照片.jpg", at(14)))
    for _ in range(700):
        w._tick(set())
        clock.now += 0.1
    assert problems == [problems[0], None] and w.problem is None
    assert len([r for r in caplog.records if r.name == watcher_mod.__name__]) == 2
    live = {m.path for m in week.store.materials() if not m.superseded and not m.gone}
    assert {str(p.relative_to(ws.inbox)) for p in dropped} <= live


@contextlib.contextmanager
def small_disk(folder, size: str = "512k"):
    """`folder` on a tmpfs of its own, its files carried over (needs root)."""
    keep = folder.with_name(folder.name + ".kept")
    shutil.copytree(folder, keep)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        shutil.rmtree(keep)
        pytest.skip(
            f"cannot mount a small tmpfs here ({done.stderr.strip()}): the "
            "fault-injecting test above covers a full disk"
        )
    try:
        for f in keep.iterdir():
            shutil.copy2(f, folder / f.name)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(keep, ignore_errors=True)


def _fill(folder) -> os.PathLike:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    return filler


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_watch_on_a_full_disk_says_so_once_and_records_all_once_space_returns(ws):
    Week(ws).reread_if_stale()  # opened before: what opening a week records is there already
    with small_disk(ws.dbdir):
        filler = _fill(ws.dbdir)
        proc = weekwatch(ws, "watch", "--rescan", "1")
        try:
            drops = [drop(ws, f"宝丰县/5月1{d}日简报.docx", at(10 + d)) for d in range(2, 9)]
            week = Week(ws, read_only=True)
            assert wait_until(lambda: proc.poll() is not None, 4) is False, proc.communicate()
            os.unlink(filler)
            wanted = {str(p.relative_to(ws.inbox)) for p in drops}

            def recorded() -> bool:
                live = {m.path for m in week.store.materials() if not m.gone}
                return wanted <= live

            assert wait_until(recorded, 90, 0.2), "not recorded once space returned"
        finally:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        records = [m.path for m in Week(ws, read_only=True).store.materials()]
    assert len(records) == len(set(records)) == len(drops)  # all recorded, each once
    problem = [line for line in err.splitlines() if "No space left" in line]
    assert len(problem) == 1, err
    assert "Traceback" not in err
    assert "working again" in err


async def test_the_dashboard_shows_a_failing_watcher_instead_of_watching(
    week_ws, app_for, settle, monkeypatch
):
    from weekwatch.fixtures.testweek import NOW

    state = {"full": False}
    _disk_full(monkeypatch, state)
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set())
        header = app.query_one("#header")
        assert "watching" in header.text.plain
        state["full"] = True
        drop(week_ws, "技师学院_第4天_新闻稿.docx", NOW)
        await settle(pilot, lambda: "watcher failing" in header.text.plain, timeout=10)
        assert any("Not ingesting, retrying" in t and "No space left" in t for t in app.toasts)
        state["full"] = False  # space again: the next try (1 s later) writes it
        await settle(pilot, lambda: "watcher failing" not in header.text.plain, timeout=10)
        assert "watching" in header.text.plain
        assert any("Ingesting again" in t for t in app.toasts)
