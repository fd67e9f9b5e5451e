"""One-shot ingestion: placements, the parallel path, streaming hashes, nothing lost."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.store import inbox_walk
from weekwatch.store.ingest import sha256_of
from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week

NAMES = (
    [f"舞钢市/2024-05-1{d}/典型案例{i}.docx" for d in range(2, 9) for i in range(3)]
    + [f"平职院_第{d}天_照片{i}.jpg" for d in range(1, 8) for i in range(3)]
    + ["谁也不是.pdf", "宝丰县/总结.docx", "~$宝丰县简报.docx", "Thumbs.db"]
)


def records(ws):
    return sorted(
        (m.path, m.unit, m.cell, m.kind, m.sha256, m.received_at, m.quarantine)
        for m in Week(ws).store.materials()
    )


@pytest.fixture
def filled(ws):
    for i, name in enumerate(NAMES):
        drop(ws, name, at(13, 8 + i % 8), f"{name}{i}".encode())
    return ws


def test_parallel_scan_gives_what_the_serial_one_does(filled, tmp_path):
    Week(filled).ingestor().scan()
    serial = records(filled)
    assert len(serial) == len(NAMES) - 2  # lock file and Thumbs.db are ignored
    for shard in filled.dbdir.glob("materials*.json"):  # the records, set aside
        shard.rename(tmp_path / shard.name)
    # A fresh, thread-free process: the only kind that forks hashing workers.
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from weekwatch.store import hashing\n"
        "from weekwatch.store.week import Week\n"
        "from weekwatch.store.workspace import Workspace\n"
        "hashing.PARALLEL_MIN = 5\n"
        "pools = []\n"
        "real = hashing.ProcessPoolExecutor\n"
        "hashing.ProcessPoolExecutor = lambda *a, **k: pools.append(1) or real(*a, **k)\n"
        "b = Week(Workspace(Path(sys.argv[1]))).ingestor().scan()\n"
        "print(len(b.added), len(pools))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(filled.root)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(len(serial)), "1"]
    assert records(filled) == serial


def test_rescan_of_a_quiet_inbox_writes_nothing(filled):
    week = Week(filled)
    week.ingestor().scan()
    stamp = week.store.stamp()
    batch = week.ingestor().scan()
    assert not batch.changed and week.store.stamp() == stamp


def test_touched_file_keeps_its_record_and_rewritten_one_is_superseded(filled):
    week = Week(filled)
    week.ingestor().scan()
    p = filled.inbox / "谁也不是.pdf"
    os.utime(p, (at(14).timestamp(), at(14).timestamp()))
    assert not week.ingestor().scan().added
    p.write_bytes(b"new content")
    os.utime(p, (at(15).timestamp(), at(15).timestamp()))
    batch = week.ingestor().scan()
    assert [m.path for m in batch.added] == ["谁也不是.pdf"]
    versions = [m for m in week.store.materials() if m.path == "谁也不是.pdf"]
    assert sorted(m.superseded for m in versions) == [False, True]


def test_removed_file_is_marked_gone_never_forgotten(filled):
    week = Week(filled)
    week.ingestor().scan()
    (filled.inbox / "宝丰县/总结.docx").unlink()
    batch = week.ingestor().scan()
    assert [m.path for m in batch.gone] == ["宝丰县/总结.docx"]
    gone = [m for m in week.store.materials() if m.path == "宝丰县/总结.docx"]
    assert len(gone) == 1 and gone[0].gone and gone[0].unit == "baofeng"


@pytest.mark.parametrize("size", [0, 1, 4096, (1 << 20), (1 << 20) + 1, 3 * (1 << 20) + 17])
def test_hash_streams_any_size(tmp_path, size):
    p = tmp_path / "f.bin"
    data = os.urandom(size)
    p.write_bytes(data)
    assert sha256_of(p, size) == hashlib.sha256(data).hexdigest()
    assert sha256_of(p) == hashlib.sha256(data).hexdigest()
    assert sha256_of(p, max(0, size - 5)) == hashlib.sha256(data).hexdigest()  # grew since stat


def test_a_folder_that_cannot_be_listed_costs_no_records(filled, monkeypatch):
    week = Week(filled)
    week.ingestor().scan()
    real = inbox_walk.open_dir

    def flaky(inbox, rel, parent=None):  # a share that drops one folder for a moment
        if rel == "舞钢市":
            raise FileNotFoundError(2, "No such file or directory", rel)
        return real(inbox, rel, parent)

    monkeypatch.setattr(inbox_walk, "open_dir", flaky)
    batch = week.ingestor().scan()
    assert batch.gone == [] and batch.errors == ["舞钢市/: cannot list this folder"]
    assert not any(m.gone for m in week.store.materials())


def test_a_missing_inbox_is_one_clear_error(filled):
    week = Week(filled)
    week.ingestor().scan()
    filled.inbox.rename(filled.root / "inbox.moved")
    with pytest.raises(WeekwatchError, match="inbox folder is missing"):
        week.ingestor().scan()
    assert not any(m.gone for m in week.store.materials())
