"""The stamp index: a scan reads from the store only the shards of what changed, and finds
what the whole store would have found; a stale, torn or tampered index is never trusted."""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
import zlib
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.store import stamp_index
from weekwatch.store.db import Store
from weekwatch.store.ingest import Ingestor
from weekwatch.store.shards import shard_name
from weekwatch.store.week import Week

NAMES = [f"舞钢市/2024-05-1{d}/典型案例{i}.docx" for d in range(2, 7) for i in range(4)] + [
    f"平职院_第{d}天_照片{i}.jpg" for d in range(1, 6) for i in range(4)
]


def set_mtime(path: Path, when) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()), follow_symlinks=False)


def write_zip(path: Path, members: dict[str, bytes], when) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    set_mtime(path, when)


def records(ws) -> dict[str, dict]:
    return {m.key: m.to_dict() for m in Week(ws).store.materials()}


def summary(batch) -> tuple[list[str], list[str], list[str]]:
    return (
        sorted(m.key for m in batch.added),
        sorted(m.key for m in batch.gone),
        sorted(batch.errors),
    )


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """Two workspaces over one inbox: the first scans through its stamp index, the second
    reads its whole store at every scan (as weekwatch did before the index)."""
    fast = empty_workspace(tmp_path / "fast")
    whole = empty_workspace(tmp_path / "whole")
    whole.inbox.rmdir()
    whole.inbox.symlink_to(fast.inbox)  # the same files, the same stamps
    real = Ingestor._shards_to_read

    def shards_to_read(self, *args):
        return None if self.store.dbdir == whole.dbdir else real(self, *args)

    monkeypatch.setattr(Ingestor, "_shards_to_read", shards_to_read)
    return fast, whole


def scan_both(fast, whole):
    a = Week(fast).ingestor().scan()
    b = Week(whole).ingestor().scan()
    assert summary(a) == summary(b)
    assert records(fast) == records(whole)
    return a


def test_scans_through_the_index_find_what_the_whole_store_finds(pair):
    fast, whole = pair
    inbox = fast.inbox
    for i, name in enumerate(NAMES):
        drop(fast, name, at(13, 8 + i % 8))
    write_zip(inbox / "宝丰县_照片.zip", {"1.jpg": b"a", "2.jpg": b"b"}, at(13, 9))
    assert len(scan_both(fast, whole).added) == len(NAMES) + 2
    assert not scan_both(fast, whole).changed  # a quiet inbox: nothing

    # A report rewritten in place, its folder's mtime put back: only the file says so.
    report = inbox / NAMES[0]
    folder_stamp = report.parent.stat()
    report.write_bytes(b"corrected report")
    set_mtime(report, at(14, 9))
    os.utime(report.parent, ns=(folder_stamp.st_atime_ns, folder_stamp.st_mtime_ns))
    assert [m.path for m in scan_both(fast, whole).added] == [NAMES[0]]

    set_mtime(inbox / NAMES[1], at(14, 10))  # touched: the record stays, its stamp follows
    assert not scan_both(fast, whole).added
    (inbox / NAMES[2]).unlink()  # gone, never forgotten
    assert [m.path for m in scan_both(fast, whole).gone] == [NAMES[2]]
    drop(fast, NAMES[2], at(14, 11))  # put back
    scan_both(fast, whole)
    (inbox / NAMES[3]).unlink()
    (inbox / NAMES[3]).symlink_to("/etc/passwd")  # a file replaced by a link
    scan_both(fast, whole)
    os.mkfifo(inbox / "平职院_第2天_视频.mp4")
    scan_both(fast, whole)
    write_zip(inbox / "宝丰县_照片.zip", {"1.jpg": b"a", "3.jpg": b"c"}, at(14, 12))
    assert sorted(m.path for m in scan_both(fast, whole).gone) == ["宝丰县_照片.zip!2.jpg"]
    for name in NAMES[4:8]:  # a folder removed
        (inbox / name).unlink()
    (inbox / NAMES[4]).parent.rmdir()
    assert len(scan_both(fast, whole).gone) == 4
    (inbox / "宝丰县_照片.zip").unlink()
    assert len(scan_both(fast, whole).gone) == 2
    assert not scan_both(fast, whole).changed


def test_one_new_file_reads_one_shard_of_the_store(ws, monkeypatch):
    for i, name in enumerate(NAMES):
        drop(ws, name, at(13, 8 + i % 8))
    Week(ws).ingestor().scan()
    asked: list[object] = []
    real = Store.materials_of
    monkeypatch.setattr(Store, "materials", lambda self: asked.append("all") or [])
    monkeypatch.setattr(
        Store, "materials_of", lambda self, names: asked.append(set(names)) or real(self, names)
    )
    new = "平职院_第4天_照片9.jpg"
    drop(ws, new, at(15, 9))
    batch = Week(ws).ingestor().scan()
    assert [m.path for m in batch.added] == [new]
    assert asked == [{shard_name(new)}]
    assert not Week(ws).ingestor().scan().changed and asked[-1] == set()


def rewrite_unseen_by_a_trusting_index(ws) -> Path:
    """A report rewritten in place, and the index file of its shard claiming the new stamp
    (as if made after the rewrite was recorded), though its records are the old ones."""
    for i, name in enumerate(NAMES):
        drop(ws, name, at(13, 8 + i % 8))
    Week(ws).ingestor().scan()
    report = ws.inbox / NAMES[0]
    report.write_bytes(b"corrected report")
    set_mtime(report, at(14, 9))
    st = report.stat()
    index = ws.dbdir / stamp_index.FOLDER / f"{shard_name(NAMES[0])}.json"
    head, _, body = index.read_bytes().partition(b"\n")
    entries = json.loads(body)
    entries[NAMES[0]] = ["f", st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
    index.write_bytes(head + b"\n" + json.dumps(entries, ensure_ascii=False).encode())
    return index


def test_a_tampered_index_is_not_trusted(ws):
    rewrite_unseen_by_a_trusting_index(ws)
    batch = Week(ws).ingestor().scan()
    assert [m.path for m in batch.added] == [NAMES[0]]


@pytest.mark.parametrize("damage", ["torn", "garbage", "other version", "other shard stamp"])
def test_a_damaged_index_is_made_again(ws, damage):
    index = rewrite_unseen_by_a_trusting_index(ws)
    raw = index.read_bytes()
    head, _, body = raw.partition(b"\n")
    meta = json.loads(head)
    meta["crc"] = zlib.crc32(body)  # the tampered body, checksummed
    if damage == "torn":
        index.write_bytes(json.dumps(meta).encode() + b"\n" + body[: len(body) // 2])
    elif damage == "garbage":
        index.write_bytes(b"\x00\xff not an index")
    elif damage == "other version":
        meta["version"] = stamp_index.VERSION + 1
        index.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    else:
        meta["shard"][0] -= 1
        index.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    batch = Week(ws).ingestor().scan()
    assert [m.path for m in batch.added] == [NAMES[0]]
    assert not Week(ws).ingestor().scan().changed  # made again, and right


def test_a_shard_written_by_another_process_is_indexed_again(ws):
    for i, name in enumerate(NAMES):
        drop(ws, name, at(13, 8 + i % 8))
    Week(ws).ingestor().scan()
    # Another process marks a record gone (its index entry still says "settled"): the shard's
    # new stamp makes this index read its records again, and the file, still there, is back.
    other = Store(ws.dbdir)
    (m,) = [m for m in other.materials() if m.path == NAMES[5]]
    other.put_materials([dataclasses.replace(m, gone=True)])
    Week(ws).ingestor().scan()
    assert not [m for m in Week(ws).store.materials() if m.path == NAMES[5]][0].gone


def test_deleting_the_index_loses_nothing(ws):
    for i, name in enumerate(NAMES):
        drop(ws, name, at(13, 8 + i % 8))
    Week(ws).ingestor().scan()
    before = records(ws)
    for p in (ws.dbdir / stamp_index.FOLDER).iterdir():
        p.unlink()
    assert not Week(ws).ingestor().scan().changed
    assert records(ws) == before
    assert len(list((ws.dbdir / stamp_index.FOLDER).iterdir())) > 0  # kept again
