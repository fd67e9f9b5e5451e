"""The folder index: a scan looks entry by entry only at the folders whose listing changed,
and finds what a scan looking at every entry finds; a stale, torn or tampered index is never
trusted, and every change is still seen (a file rewritten in place changes no folder's mtime)."""

from __future__ import annotations

import dataclasses
import json
import os
import zlib
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store import folder_index, inbox_walk
from weekwatch.store.db import Store
from weekwatch.store.ingest import Ingestor
from weekwatch.store.week import Week

# 平顶山's week of 12–18 May 2024 as its units send it: county bureaus by unit and day folder,
# the college by the day in the name, a name no terminal should print raw, and bytes that are
# not UTF-8 (a share written by an old Windows client).
NAMES = (
    [f"舞钢市/2024-05-1{d}/典型案例{i}.docx" for d in range(2, 6) for i in range(3)]
    + [f"宝丰县/2024-05-1{d}/活动照片{i}.jpg" for d in range(3, 5) for i in range(3)]
    + [f"平职院_第{d}天_新闻稿.docx" for d in range(1, 4)]
    + ["舞钢市/2024-05-13/照片\n第二张\t.jpg", "宝丰县/\udcb1\udca6照片.jpg"]
)


def set_mtime(path: Path, when) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()), follow_symlinks=False)


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
    """Two workspaces over one inbox: the first scans through its folder and stamp indexes,
    the second looks at every entry and reads its whole store at every scan."""
    fast = empty_workspace(tmp_path / "fast")
    whole = empty_workspace(tmp_path / "whole")
    whole.inbox.rmdir()
    whole.inbox.symlink_to(fast.inbox)  # the same files, the same stamps
    real_load = folder_index.load
    real_shards = Ingestor._shards_to_read
    monkeypatch.setattr(
        folder_index, "load", lambda dbdir: None if dbdir == whole.dbdir else real_load(dbdir)
    )
    monkeypatch.setattr(
        Ingestor,
        "_shards_to_read",
        lambda self, *a: None if self.store.dbdir == whole.dbdir else real_shards(self, *a),
    )
    looked: list[int] = []  # how many entries the fast scan looked at one by one
    real_scan = folder_index.scan

    def scan(inbox, kept, *a, **k):
        listed = real_scan(inbox, kept, *a, **k)
        if kept is not None:
            looked.append(len(listed.found))
        return listed

    monkeypatch.setattr(folder_index, "scan", scan)
    for i, name in enumerate(NAMES):
        drop(fast, name, at(13, 8 + i % 8))
    return fast, whole, looked


def scan_both(fast, whole):
    a = Week(fast).ingestor().scan()
    b = Week(whole).ingestor().scan()
    assert summary(a) == summary(b)
    assert records(fast) == records(whole)
    return a


def settle(fast, whole, looked, dirty: int = 0) -> None:
    """Scan until the folder index has every folder clean: then a quiet inbox is looked at
    entry by entry nowhere but in the folders holding something tried again at every scan
    (`dirty` entries: a zip a file went from is read again at every scan, as without the
    index)."""
    for _ in range(3):
        assert not scan_both(fast, whole).changed
    looked.clear()
    assert not scan_both(fast, whole).changed
    assert looked == [dirty]


def test_scans_through_the_folder_index_find_what_looking_at_every_entry_finds(pair):
    fast, whole, looked = pair
    inbox = fast.inbox
    z = inbox / "宝丰县_照片.zip"
    z.write_bytes(zip_bytes([("1.jpg", b"a"), ("2.jpg", b"b")]))
    set_mtime(z, at(13, 9))
    assert len(scan_both(fast, whole).added) == len(NAMES) + 2
    settle(fast, whole, looked)

    # A report rewritten in place, its folder's mtime put back: only the file says so.
    report = inbox / NAMES[0]
    folder = report.parent.stat()
    report.write_bytes(b"corrected report")
    set_mtime(report, at(14, 9))
    os.utime(report.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    looked.clear()
    assert [m.path for m in scan_both(fast, whole).added] == [NAMES[0]]
    assert 0 < looked[0] <= 3  # that one folder, not the inbox
    settle(fast, whole, looked)

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
    z.write_bytes(zip_bytes([("1.jpg", b"a"), ("3.jpg", b"c")]))
    set_mtime(z, at(14, 12))
    assert sorted(m.path for m in scan_both(fast, whole).gone) == ["宝丰县_照片.zip!2.jpg"]
    settle(fast, whole, looked, dirty=5)  # the inbox's own folder: 3 files, the zip, the FIFO

    # A folder renamed (its files gone under the old name, new under the new one), a file
    # moved into another folder, a folder removed whole, a folder put in a file's place.
    (inbox / "舞钢市/2024-05-14").rename(inbox / "舞钢市/2024-05-14改")
    (inbox / NAMES[12]).rename(inbox / "宝丰县/2024-05-13/移来的照片.jpg")
    for p in (inbox / "舞钢市/2024-05-15").iterdir():
        p.unlink()
    (inbox / "舞钢市/2024-05-15").rmdir()
    (inbox / NAMES[-3]).unlink()
    (inbox / NAMES[-3]).mkdir()
    drop(fast, NAMES[-3] + "/里面.docx", at(15, 9))
    batch = scan_both(fast, whole)
    assert len(batch.gone) == 3 + 1 + 3 + 1
    settle(fast, whole, looked, dirty=4)  # a file of the inbox's own folder now a folder
    (inbox / "宝丰县_照片.zip").unlink()
    assert len(scan_both(fast, whole).gone) == 2
    settle(fast, whole, looked)


def test_a_folder_unreadable_when_indexed_is_looked_at_whole_once_readable(pair, monkeypatch):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    real = inbox_walk.open_dir
    shut = "舞钢市/2024-05-13"

    def flaky(inbox, rel, parent=None):  # a share that drops one folder for a while
        if rel == shut:
            raise FileNotFoundError(2, "No such file or directory", rel)
        return real(inbox, rel, parent)

    monkeypatch.setattr(inbox_walk, "open_dir", flaky)
    assert not scan_both(fast, whole).gone  # unseen: its records are kept
    scan_both(fast, whole)  # and indexed without it
    # While it could not be read, one of its files went; readable again, that is seen.
    (fast.inbox / shut / "典型案例0.docx").unlink()
    monkeypatch.setattr(inbox_walk, "open_dir", real)
    assert [m.path for m in scan_both(fast, whole).gone] == [f"{shut}/典型案例0.docx"]
    settle(fast, whole, looked)


def test_a_write_by_another_process_makes_the_folder_index_stale(pair):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    # Another process marks a record gone: every folder is as indexed, but the store is not
    # as it was when the index was made, so the index is not trusted and the file is back.
    other = Store(fast.dbdir)
    (m,) = [m for m in other.materials() if m.path == NAMES[4]]
    other.put_materials([dataclasses.replace(m, gone=True)])
    Week(fast).ingestor().scan()
    assert not [m for m in Week(fast).store.materials() if m.path == NAMES[4]][0].gone


def _damaged(ws, how: str) -> None:
    index = ws.dbdir / "stamps" / folder_index.NAME
    head, _, body = index.read_bytes().partition(b"\n")
    meta = json.loads(head)
    if how == "torn":
        cut = body[: len(body) // 2]
        meta["crc"] = zlib.crc32(cut)
        index.write_bytes(json.dumps(meta).encode() + b"\n" + cut)
    elif how == "garbage":
        index.write_bytes(b"\x00\xff not an index")
    elif how == "other version":
        meta["version"] = folder_index.VERSION + 1
        index.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    elif how == "other materials stamp":
        meta["materials"][1][0] -= 1
        index.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    elif how == "not checksummed":
        index.write_bytes(head + b"\n" + body.replace(b"\x00", b"\x00\x00", 1))
    else:
        index.unlink()


@pytest.mark.parametrize(
    "how",
    ["torn", "garbage", "other version", "other materials stamp", "not checksummed", "deleted"],
)
def test_a_damaged_folder_index_is_not_trusted_and_made_again(pair, how):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    # The index claims the report's folder as it is now, though its records are the old ones.
    report = fast.inbox / NAMES[5]
    folder_stamp = report.parent.stat()
    report.write_bytes(b"rewritten in place")
    set_mtime(report, at(14, 9))
    os.utime(report.parent, ns=(folder_stamp.st_atime_ns, folder_stamp.st_mtime_ns))
    kept = folder_index.load(fast.dbdir)
    assert kept is not None
    rel = os.path.dirname(NAMES[5])
    fd = inbox_walk.open_dir(fast.inbox, rel)
    try:
        names = os.listdir(fd)
        stats = [os.stat(n, dir_fd=fd, follow_symlinks=False) for n in names]
    finally:
        os.close(fd)
    kept[rel] = (folder_index.digest(names, stats), kept[rel][1], kept[rel][2])
    folder_index.save(fast.dbdir, kept)
    _damaged(fast, how)
    looked.clear()
    assert [m.path for m in scan_both(fast, whole).added] == [NAMES[5]]
    settle(fast, whole, looked)  # made again, and right


def test_the_index_survives_names_no_line_format_could_hold(pair):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    kept = folder_index.load(fast.dbdir)
    assert kept is not None
    assert "照片\n第二张\t.jpg" in kept["舞钢市/2024-05-13"][2].split("/")
    assert "\udcb1\udca6照片.jpg" in kept["宝丰县"][2].split("/")


def test_taken_in_by_path_the_folder_index_stays_current(pair):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    # A hook names what arrived: the next scan looks only at that folder, then nowhere.
    drop(fast, "舞钢市/2024-05-12/新闻稿.docx", at(12, 17))
    Week(fast).ingestor().take(["舞钢市/2024-05-12/新闻稿.docx"])
    assert folder_index.load(fast.dbdir) is not None
    looked.clear()
    assert not Week(fast).ingestor().scan().changed
    assert 0 < looked[0] <= 4
    Week(whole).ingestor().scan()
    assert records(fast) == records(whole)
    settle(fast, whole, looked)
    # A file in a folder new to the index, named, then gone before the next scan: the scan
    # looks for what was recorded under that folder, and finds it gone.
    drop(fast, "宝丰县/2024-05-16/新闻稿.docx", at(16, 9))
    drop(fast, "宝丰县/2024-05-16/照片/1.jpg", at(16, 9))
    Week(fast).ingestor().take(["宝丰县/2024-05-16/照片/1.jpg", "宝丰县/2024-05-16/新闻稿.docx"])
    Week(whole).ingestor().scan()
    (fast.inbox / "宝丰县/2024-05-16/照片/1.jpg").unlink()
    (fast.inbox / "宝丰县/2024-05-16/新闻稿.docx").unlink()
    assert len(scan_both(fast, whole).gone) == 2
    settle(fast, whole, looked)
    # A folder named whole, one of its files gone after: found gone by the next scan.
    drop(fast, "宝丰县/2024-05-17/活动照片1.jpg", at(17, 9))
    drop(fast, "宝丰县/2024-05-17/活动照片2.jpg", at(17, 9))
    Week(fast).ingestor().take(["宝丰县/2024-05-17"])
    Week(whole).ingestor().scan()
    (fast.inbox / "宝丰县/2024-05-17/活动照片2.jpg").unlink()
    assert [m.path for m in scan_both(fast, whole).gone] == ["宝丰县/2024-05-17/活动照片2.jpg"]
    settle(fast, whole, looked)


@pytest.mark.parametrize("damage", ["lost", "torn", "out of order"])
def test_a_damaged_journal_of_writes_by_path_makes_the_index_untrusted(pair, damage):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    # Two writes by path in a folder new to the index, both files gone before the next scan:
    # trusting the index without what the journal says would miss both.
    for name in ("宝丰县/2024-05-16/新闻稿.docx", "宝丰县/2024-05-16/照片/1.jpg"):
        drop(fast, name, at(16, 9))
        Week(fast).ingestor().take([name])
    Week(whole).ingestor().scan()
    journal = fast.dbdir / "stamps" / folder_index.JOURNAL
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 2
    if damage == "lost":
        journal.unlink()
    elif damage == "torn":
        journal.write_bytes(lines[0] + lines[1][: len(lines[1]) // 2])
    else:
        journal.write_bytes(lines[1] + lines[0])
    assert folder_index.load(fast.dbdir) is None
    (fast.inbox / "宝丰县/2024-05-16/照片/1.jpg").unlink()
    (fast.inbox / "宝丰县/2024-05-16/新闻稿.docx").unlink()
    assert len(scan_both(fast, whole).gone) == 2
    assert not journal.exists()  # the scan's index holds it all now
    settle(fast, whole, looked)


def test_a_quiet_rescan_leaves_the_folder_index_as_it_is(pair):
    fast, whole, looked = pair
    scan_both(fast, whole)
    settle(fast, whole, looked)
    index = fast.dbdir / "stamps" / folder_index.NAME
    before = index.stat()
    assert not Week(fast).ingestor().scan().changed
    assert index.stat().st_ino == before.st_ino  # not written again
    # A file rewritten in place: seen, recorded, and the index kept again.
    report = fast.inbox / NAMES[6]
    report.write_bytes(b"rewritten")
    set_mtime(report, at(14, 9))
    assert [m.path for m in Week(fast).ingestor().scan().added] == [NAMES[6]]
    assert index.stat().st_ino != before.st_ino
    assert folder_index.load(fast.dbdir) is not None
