"""Files that change under the reader, disks that fill, folders that cannot be read."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading

from weekwatch.fixtures.damage import run_weekwatch
from weekwatch.fixtures.testweek import at, drop
from weekwatch.store import hashing
from weekwatch.store.db import materials_stamp
from weekwatch.store.ingest import _mtime, walk
from weekwatch.store.week import Week


def _ingest_bounded(ingestor, found, fifos=(), timeout: float = 10.0):
    """ingest(found) in a thread: a hang fails the test, and is then released."""
    result: list = []
    t = threading.Thread(
        target=lambda: result.append(ingestor.ingest(found, _mtime, complete=True)), daemon=True
    )
    t.start()
    t.join(timeout)
    hung = t.is_alive()
    for fifo in fifos:  # a writer end releases an open() blocked on the FIFO
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    t.join(timeout)
    assert not hung, "ingestion hung on a file swapped for a FIFO"
    return result[0]


def test_a_file_swapped_for_a_fifo_between_listing_and_reading_does_not_hang(ws):
    paths = [drop(ws, f"舞钢市/2024-05-13/照片{i}.jpg", at(13, 10)) for i in range(6)]
    week = Week(ws)
    found = list(walk(ws.inbox))
    for p in paths[::2]:  # half of them become FIFOs once listed
        p.unlink()
        os.mkfifo(p)
    batch = _ingest_bounded(week.ingestor(), found, fifos=paths[::2])
    recorded = {m.path for m in batch.added if not m.quarantine}
    assert recorded == {str(p.relative_to(ws.inbox)) for p in paths[1::2]}


def quarantine_codes(ws) -> dict[str, str]:
    rows = json.loads(run_weekwatch(ws, "materials", "--json").stdout)
    return {r["path"]: r["quarantine_code"] for r in rows if r["quarantine_code"]}


def test_an_unreadable_file_waits_in_quarantine_and_is_placed_once_readable(ws):
    p = drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13, 10))
    p.chmod(0)
    done = run_weekwatch(ws, "ingest", unprivileged=True)
    assert done.returncode == 0, done.stderr
    assert "典型案例.docx" in done.stderr  # said on stderr too
    assert quarantine_codes(ws) == {"舞钢市/2024-05-13/典型案例.docx": "unreadable"}
    assert "cannot be read" in run_weekwatch(ws, "materials", "--quarantine").stdout
    p.chmod(0o644)
    assert run_weekwatch(ws, "ingest", unprivileged=True).returncode == 0
    assert quarantine_codes(ws) == {}
    (m,) = [m for m in Week(ws).store.materials() if not m.superseded]
    assert (m.unit, m.cell, m.received_at) == ("wugang", "2024-05-13", at(13, 10))


def test_an_unreadable_folder_waits_in_quarantine_and_its_files_come_once_readable(ws):
    for d in (13, 14):
        drop(ws, f"宝丰县/5月{d}日简报.docx", at(d, 9))
    week = Week(ws)
    week.ingestor().scan()
    folder = ws.inbox / "宝丰县"
    drop(ws, "宝丰县/5月15日简报.docx", at(15, 9))
    folder.chmod(0)
    try:
        assert run_weekwatch(ws, "ingest", unprivileged=True).returncode == 0
        codes = quarantine_codes(ws)
    finally:
        folder.chmod(0o755)
    assert codes == {"宝丰县": "folder_unreadable"}
    assert not any(m.gone for m in week.store.materials())  # its files are not taken for gone
    assert run_weekwatch(ws, "ingest", unprivileged=True).returncode == 0
    live = {m.path: m for m in week.store.materials() if not m.superseded and not m.gone}
    assert sorted(live) == [f"宝丰县/5月{d}日简报.docx" for d in (13, 14, 15)]


def test_a_file_replaced_by_another_of_the_same_size_and_mtime_is_read_again(ws):
    p = drop(ws, "舞钢市_5月13日_照片.jpg", at(13), data=b"first photo")
    week = Week(ws)
    week.ingestor().scan()
    st = p.stat()
    fresh = p.with_name("new.tmp")
    fresh.write_bytes(b"other photo")  # same size, other bytes, a new inode
    os.utime(fresh, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(fresh, p)
    week.ingestor().scan()
    (m,) = [m for m in week.store.materials() if not m.superseded]
    assert m.sha256 == hashlib.sha256(b"other photo").hexdigest()


def test_a_file_grown_between_listing_and_reading_is_recorded_as_read(ws):
    p = drop(ws, "舞钢市_5月13日_视频.mp4", at(13), data=b"x" * 5000)
    week = Week(ws)
    found = list(walk(ws.inbox))
    with open(p, "ab") as f:
        f.write(b"y" * 3000)
    week.ingestor().ingest(found, _mtime, complete=True)
    (m,) = week.store.materials()
    data = p.read_bytes()
    assert (m.size, m.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    stamp = materials_stamp(ws.dbdir)
    assert not week.ingestor().scan().changed
    assert materials_stamp(ws.dbdir) == stamp  # nothing rewritten


def test_a_file_growing_while_hashed_waits_for_the_next_scan(ws, monkeypatch):
    p = drop(ws, "舞钢市_5月13日_视频.mp4", at(13), data=os.urandom(3 << 20))
    real = hashlib.sha256

    class Writer:  # the sender's copy is still arriving while weekwatch reads it
        def __init__(self, data=b""):
            self.h = real(data)
            with open(p, "ab") as f:
                f.write(b"more")

        def update(self, data):
            self.h.update(data)

        def hexdigest(self):
            return self.h.hexdigest()

    monkeypatch.setattr(hashing.hashlib, "sha256", Writer)
    week = Week(ws)
    batch = week.ingestor().scan()
    monkeypatch.undo()
    recorded = week.store.materials()
    if recorded:  # recorded at all: then exactly as the bytes it read
        (m,) = recorded
        assert m.size == p.stat().st_size and m.sha256 == real(p.read_bytes()).hexdigest()
    else:
        assert batch.unsettled == ["舞钢市_5月13日_视频.mp4"]
    week.ingestor().scan()
    (m,) = week.store.materials()
    assert (m.size, m.sha256) == (p.stat().st_size, real(p.read_bytes()).hexdigest())


def test_a_file_removed_between_listing_and_reading_is_no_error(ws):
    p = drop(ws, "舞钢市_5月13日_照片.jpg", at(13))
    week = Week(ws)
    found = list(walk(ws.inbox))
    p.unlink()
    batch = week.ingestor().ingest(found, _mtime, complete=True)
    assert (batch.added, batch.errors) == ([], [])
