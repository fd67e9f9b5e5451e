"""Files that change under the reader, disks that fill, folders that cannot be read."""

from __future__ import annotations

import contextlib
import os
import threading

from weekwatch.fixtures.testweek import at, drop
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
