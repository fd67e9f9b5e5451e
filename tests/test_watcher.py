"""The live watcher on real files in a real inbox, running in a thread as the app runs it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from weekwatch.fixtures.testweek import TZ
from weekwatch.store.ingest import IngestLock
from weekwatch.store.model import WeekwatchError
from weekwatch.store.watcher import Watcher
from weekwatch.store.week import Week

# Inside the test week, so undated names land on a day of it.
NOW = dt.datetime(2024, 5, 14, 10, 0, tzinfo=TZ)


class Running:
    """A watcher in a background thread over one workspace."""

    def __init__(self, ws, **kw) -> None:
        self.week = Week(ws, clock=lambda: NOW)
        self.stop = threading.Event()
        self.batches = []
        self.watcher = Watcher(
            self.week.ingestor(),
            clock=self.week.clock,
            on_batch=self.batches.append,
            rescan_every=kw.pop("rescan_every", 60.0),
            **kw,
        )
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)

    def __enter__(self):
        self.thread.start()
        time.sleep(0.3)  # the start-up scan and the watch are in place
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()

    def wait_for(self, pred, timeout: float = 5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            mats = {m.path: m for m in self.week.store.materials() if not m.superseded}
            if pred(mats):
                return mats
            time.sleep(0.05)
        raise AssertionError(f"not seen in {timeout}s: {sorted(mats)}")


def test_burst_of_drops_all_arrive(ws):
    with Running(ws) as r:
        for i in range(60):
            (ws.inbox / f"舞钢市_第3天_照片{i}.jpg").write_bytes(f"p{i}".encode())
        mats = r.wait_for(lambda m: len(m) == 60)
    assert {m.unit for m in mats.values()} == {"wugang"}
    assert {m.cell for m in mats.values()} == {"2024-05-14"}
    # arrival is when the watcher saw the file, not the file's mtime
    assert {m.received_at for m in mats.values()} == {NOW}


def test_slow_copy_is_read_once_complete(ws):
    with Running(ws, settle=0.4) as r:
        path = ws.inbox / "宝丰县_视频_5.14.mp4"
        with open(path, "wb") as f:
            for _ in range(8):
                f.write(b"v" * 4096)
                f.flush()
                time.sleep(0.15)
        mats = r.wait_for(lambda m: "宝丰县_视频_5.14.mp4" in m)
    assert mats["宝丰县_视频_5.14.mp4"].size == 8 * 4096
    assert all(m.size == 8 * 4096 for m in r.week.store.materials())  # no half-read version


def test_rename_into_place_and_partial_files_ignored(ws):
    with Running(ws) as r:
        part = ws.inbox / "平职院_简报.docx.part"
        part.write_bytes(b"draft")
        time.sleep(0.5)
        part.rename(ws.inbox / "平职院_简报.docx")
        mats = r.wait_for(lambda m: "平职院_简报.docx" in m)
    assert set(mats) == {"平职院_简报.docx"}
    assert mats["平职院_简报.docx"].unit == "pzy"


def test_folder_moved_in_is_read_whole(ws, tmp_path):
    src = tmp_path / "舞钢市"
    (src / "2024-05-13").mkdir(parents=True)
    (src / "2024-05-13" / "典型案例.docx").write_bytes(b"a")
    (src / "职教故事.docx").write_bytes(b"b")
    with Running(ws) as r:
        shutil.move(src, ws.inbox / "舞钢市")
        mats = r.wait_for(lambda m: len(m) == 2)
    assert mats["舞钢市/2024-05-13/典型案例.docx"].cell == "2024-05-13"
    assert mats["舞钢市/职教故事.docx"].kind == "story"


def test_rewrite_supersedes_and_removal_marks_gone(ws):
    with Running(ws) as r:
        path = ws.inbox / "宝丰县_新闻稿.docx"
        path.write_bytes(b"v1")
        r.wait_for(lambda m: "宝丰县_新闻稿.docx" in m)
        time.sleep(0.1)
        path.write_bytes(b"version 2")
        r.wait_for(lambda m: m.get("宝丰县_新闻稿.docx") and m["宝丰县_新闻稿.docx"].size == 9)
        path.unlink()
        mats = r.wait_for(lambda m: m["宝丰县_新闻稿.docx"].gone)
    every = r.week.store.materials()
    assert len(every) == 2 and [m.superseded for m in every].count(True) == 1
    assert mats["宝丰县_新闻稿.docx"].gone  # the record stays


def test_undecodable_name_does_not_stop_the_watcher(ws):
    with Running(ws) as r:
        with open(os.path.join(os.fsencode(ws.inbox), b"\xff\xfe\xd6\xd0.doc"), "wb") as f:
            f.write(b"gbk name")
        (ws.inbox / "舞钢市_第3天_简报.docx").write_bytes(b"after")
        mats = r.wait_for(lambda m: len(m) == 2)
    assert "舞钢市_第3天_简报.docx" in mats
    bad = next(m for p, m in mats.items() if p != "舞钢市_第3天_简报.docx")
    assert os.path.exists(os.path.join(ws.inbox, bad.path)) and bad.quarantine


def test_rescan_reconciles_what_events_missed(ws):
    (ws.inbox / "舞钢市_第2天_照片.jpg").write_bytes(b"before start")
    with Running(ws, rescan_every=0.5) as r:
        mats = r.wait_for(lambda m: len(m) == 1)
        r.watcher.request_rescan()
        assert mats["舞钢市_第2天_照片.jpg"].cell == "2024-05-13"


def test_only_one_ingester_per_workspace(ws):
    with IngestLock(ws.dbdir):
        with pytest.raises(WeekwatchError, match="already ingesting"):
            IngestLock(ws.dbdir).acquire()
        assert IngestLock(ws.dbdir).held_by_other()
    assert not IngestLock(ws.dbdir).held_by_other()


def test_watch_command_stops_on_sigterm_and_refuses_a_second(ws):
    # How fast it stops is a figure for bench/watch_latency.py, not an assert on a shared machine.
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    p = subprocess.Popen(
        [sys.executable, "-m", "weekwatch", "watch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "watching" in p.stdout.readline()
        (ws.inbox / "宝丰县_第2天_照片.jpg").write_bytes(b"x")
        second = subprocess.run(
            [sys.executable, "-m", "weekwatch", "ingest"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 2 and "already ingesting" in second.stderr
        line = p.stdout.readline()
        assert "宝丰县_第2天_照片.jpg" in line and "baofeng" in line
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(30)
    assert p.returncode == 0


def test_files_written_while_the_watcher_starts_are_not_left_for_the_rescan(ws):
    # Files keep coming while the watcher starts up: each must be seen by the start-up scan
    # or by an event — none may wait for the 60 s rescan.
    for i in range(300):
        (ws.inbox / f"舞钢市_第3天_旧{i}.docx").write_bytes(b"old %d" % i)
    written: list[str] = []
    stop = threading.Event()

    def keep_writing():
        i = 0
        while not stop.is_set():
            name = f"舞钢市_第3天_新{i}.docx"
            (ws.inbox / name).write_bytes(b"new %d" % i)
            written.append(name)
            i += 1
            time.sleep(0.002)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        with Running(ws) as r:  # rescans only every 60 s
            assert r.watcher.ready.wait(5)
            time.sleep(0.3)
            stop.set()
            writer.join()
            r.wait_for(lambda m: len(m) == 300 + len(written), timeout=3)
    finally:
        stop.set()
        writer.join()


def test_a_removal_in_a_big_folder_reads_only_what_changed(ws):
    # A flat inbox of many files: one removed (or an editor's temp file renamed away) must not
    # make the watcher read the whole folder again, nor hold up the next arrival behind it.
    for i in range(400):
        (ws.inbox / f"舞钢市_第3天_照片{i}.jpg").write_bytes(b"photo %d" % i)
    Week(ws, clock=lambda: NOW).ingestor().scan()
    with Running(ws) as r:
        asked: list[int] = []
        ingest = r.watcher.ingestor.ingest

        def counted(found, *args, **kw):
            found = list(found)
            asked.append(len(found))
            return ingest(found, *args, **kw)

        r.watcher.ingestor.ingest = counted
        (ws.inbox / "舞钢市_第3天_照片7.jpg").unlink()
        r.wait_for(lambda m: m["舞钢市_第3天_照片7.jpg"].gone)
        (ws.inbox / "宝丰县_第3天_简报.docx").write_bytes(b"next")
        mats = r.wait_for(lambda m: "宝丰县_第3天_简报.docx" in m)
    assert len(mats) == 401 and sum(m.gone for m in mats.values()) == 1
    assert max(asked) == 1, f"files read again for one removal: {asked}"
