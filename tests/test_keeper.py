"""`weekwatch watch` keeps the judged week current for `status` (tui/keeper.py).

Each step checks what another process would read: a fresh `Week` over the same workspace finds
the kept board current (`kept_cells` is not None: it judges nothing) and equal, cell for cell,
to the whole week judged afresh.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from weekwatch.fixtures.damage import RunningWatcher
from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.week import Week
from weekwatch.tui.keeper import BoardKeeper

NOW = at(14, 9)


def _wait(pred: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError(f"not seen in {timeout}s: {what}")


def _kept_is_the_week(ws, now=NOW) -> bool:
    """What `status` would read is kept, current, and the week judged afresh."""
    other = Week(ws, clock=lambda: now)
    kept = other.kept_cells(now)
    return kept is not None and kept.cells == other.board(now).cells


def _kept(ws, unit: str, state: str, count: int) -> bool:
    """The kept cell of `unit` on 13 May, as `status` at NOW reads it, is so."""
    kept = Week(ws, clock=lambda: NOW).kept_cells(NOW)
    cell = kept.cell(unit, "2024-05-13") if kept is not None else None
    return cell is not None and cell.state == state and cell.count == count


def test_the_watcher_keeps_the_week_after_arrivals_and_anyones_decisions(ws) -> None:
    week = Week(ws, clock=lambda: NOW)
    stop = threading.Event()
    keeper = BoardKeeper(week, every=0.1)
    with RunningWatcher(week, rescan_every=3600):
        thread = threading.Thread(target=keeper.run, args=(stop,), daemon=True)
        thread.start()
        try:
            drop(ws, "舞钢市/5月13日/活动方案.docx", when=at(13, 9))
            _wait(lambda: _kept_is_the_week(ws), 20, "the first drop kept")
            # Another arrival: only its unit is placed again, and what is kept is still whole.
            drop(ws, "宝丰县_5月13日_新闻稿.docx", when=at(13, 15))
            _wait(
                lambda: _kept_is_the_week(ws) and _kept(ws, "baofeng", "late", 1),
                20,
                "the second drop kept",
            )
            # A decision recorded by another process (a CLI excuse): the whole week again.
            other = Week(ws, clock=lambda: at(13, 13))
            other.excuse("pzy", "2024-05-13", "停电")
            _wait(
                lambda: _kept_is_the_week(ws) and _kept(ws, "pzy", "excused", 0),
                20,
                "the excuse kept",
            )
        finally:
            stop.set()
            thread.join(10)
    assert not thread.is_alive()


def test_a_failed_judging_is_said_once_and_the_watcher_goes_on(ws, capsys) -> None:
    week = Week(ws, clock=lambda: NOW)
    keeper = BoardKeeper(week, every=0.05)
    calls: list[int] = []

    def broken(*_a, **_k):
        calls.append(1)
        raise OSError("No space left on device")

    keeper.judging.judge = broken  # type: ignore[method-assign]
    drop(ws, "舞钢市/5月13日/活动方案.docx", when=at(13, 9))
    week.ingestor().scan()
    stop = threading.Event()
    thread = threading.Thread(target=keeper.run, args=(stop,), daemon=True)
    thread.start()
    _wait(lambda: len(calls) >= 3, 10, "judging tried again")
    stop.set()
    thread.join(10)
    err = capsys.readouterr().err
    assert err.count("could not be kept") == 1, err
    assert "No space left on device" in err


def test_a_real_watch_process_keeps_what_status_reads(week_ws) -> None:
    ws = week_ws
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "watch", "--rescan", "3600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline()]
        while b"watching" not in lines[-1] and len(lines) < 5:  # first what it read again
            lines.append(proc.stdout.readline())
        assert b"watching" in lines[-1], lines
        drop(ws, "平职院/5月14日/简报.pdf")
        now = Week(ws).clock()  # the watch process's clock: the real one
        # The keeper's turns are five seconds apart: the drop is kept within a few of them.
        _wait(lambda: _kept_is_the_week(ws, Week(ws).clock()), 40, "the drop kept")
        assert Week(ws).kept_cells(now) is not None
        # The watcher killed outright: its keeper does not stay behind.
        keepers = _children(proc.pid)
        assert keepers, "no keeper process beside watch"
        proc.kill()
        proc.wait(10)
        _wait(lambda: not any(_alive(pid) for pid in keepers), 30, "the keeper gone")
    finally:
        proc.kill()
        proc.wait(10)


def _children(pid: int) -> list[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    with open(path) as f:
        return [int(p) for p in f.read().split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"  # a zombie has left
    except FileNotFoundError:
        return False


def _keepers_of(root) -> list[int]:
    """The `--once` keepers at work on the workspace at `root` (this machine's processes)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if b"weekwatch.tui.keeper" in argv and os.fsencode(root) in argv and b"--once" in argv:
            if _alive(int(entry)):
                out.append(int(entry))
    return out


def test_a_one_off_ingest_hands_the_keeping_on_and_the_keeper_leaves(week_ws) -> None:
    from weekwatch.store import kept_board, rules

    ws = week_ws
    env = {**os.environ, "WEEKWATCH_KEEPER": "1"}
    cli = [sys.executable, "-m", "weekwatch", "-w", str(ws.root)]
    subprocess.run([*cli, "ingest"], env=env, check=True, capture_output=True, timeout=60)
    _wait(lambda: not _keepers_of(ws.root), 60, "the first keeper gone")
    drop(ws, "平职院/5月14日/简报.pdf")
    done = subprocess.run([*cli, "ingest"], env=env, capture_output=True, timeout=60)
    assert done.returncode == 0 and b"1 new" in done.stdout, done
    # The keeper judges, keeps, and exits by itself; nothing is left running.
    _wait(lambda: not _keepers_of(ws.root), 60, "the keeper gone")
    week = Week(ws)
    now = week.clock()
    printed = io.BytesIO()
    assert kept_board.print_kept_rows(week, printed)  # kept, current
    kept = week.kept_cells(now, bring=False)  # current as kept: nothing left to bring
    assert kept is not None and kept.cells == week.board(now).cells
    placed = rules.place(week.event, week.store.materials(), week.ledger())
    assert len(json.loads(printed.getvalue())) == len(placed)


def test_only_a_write_that_can_stale_the_kept_week_hands_it_on(week_ws, monkeypatch) -> None:
    from weekwatch.tui import cli, keeper

    handed: list[object] = []
    monkeypatch.setattr(keeper, "hand_on", lambda root: handed.append(root))
    w = ["-w", str(week_ws.root), "--operator", "tester"]
    assert cli.run([*w, "ingest"]) == 0  # the week's files were ingested already: nothing new
    assert cli.run([*w, "note", "pzy", "已电话提醒"]) == 0  # a note moves no file
    assert handed == []
    drop(week_ws, "平职院/5月14日/简报.pdf")
    assert cli.run([*w, "ingest"]) == 0
    assert handed == [week_ws.root]
    assert cli.run([*w, "extend", "pzy", "2024-05-14", "--until", "2024-05-15 18:00"]) == 0
    assert handed == [week_ws.root] * 2


def test_one_keeper_at_a_time(week_ws) -> None:
    from weekwatch.store import kept_parts
    from weekwatch.tui.keeper import keep_once

    drop(week_ws, "平职院/5月14日/简报.pdf")
    Week(week_ws).ingestor().scan()
    with kept_parts.keeping(week_ws.dbdir, 0) as mine:
        assert mine
        # Another keeper waits for this one, and gives up past its wait: it kept nothing.
        assert not keep_once(Week(week_ws, read_only=True), wait=0.3)
        assert Week(week_ws).kept_cells(Week(week_ws).clock(), bring=False) is None
    assert keep_once(Week(week_ws, read_only=True), wait=0.3)
    assert Week(week_ws).kept_cells(Week(week_ws).clock(), bring=False) is not None


def test_a_reader_waits_for_the_keepers_cells_not_for_its_records(week_ws, monkeypatch) -> None:
    """`status` right after a one-off ingest waits for the keeper's cells (a fraction of a
    second), never for the records it writes after them (the whole materials list), which
    `materials --json` waits for."""
    import fcntl

    from weekwatch.store import kept_parts
    from weekwatch.tui.keeper import keep_once

    drop(week_ws, "平职院/5月14日/简报.pdf")
    Week(week_ws).ingestor().scan()
    free: list[tuple[bool, bool]] = []
    rows = Week.keep_rows

    def is_free(lock: str) -> bool:
        # What a reader in another process would find: is this lock of the keeper's free?
        fd = os.open(week_ws.dbdir / lock, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    def records(self: Week) -> bool:
        free.append((is_free(kept_parts.KEEPER_LOCK), is_free(kept_parts.ROWS_LOCK)))
        return rows(self)

    monkeypatch.setattr(Week, "keep_rows", records)
    assert keep_once(Week(week_ws, read_only=True), wait=0.3)
    # status need not wait; materials --json waits for the records it would place too.
    assert free and all(f == (True, False) for f in free), free
    assert Week(week_ws).kept_cells(Week(week_ws).clock(), bring=False) is not None
