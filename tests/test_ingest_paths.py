"""`weekwatch ingest PATH…`: only the named files and folders taken in, for a caller that knows
what arrived (an upload hook, a mail-delivery script); the store it makes is the one a scan of
the whole inbox makes, and it reads only the shards of what it is given."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from weekwatch.fixtures.mails import Draft, File, foxmail
from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store.db import Store
from weekwatch.store.shards import shard_name
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

# The week of 12–18 May 2024 as 平顶山's units send it: county bureaus by folder and day,
# the college with the day in the name.
BEFORE = [
    "舞钢市/2024-05-13/典型案例1.docx",
    "舞钢市/2024-05-13/活动照片1.jpg",
    "舞钢市/2024-05-14/新闻稿.docx",
    "宝丰县教体局/方案.docx",
    "平职院_第1天_照片1.jpg",
    "平职院_第2天_新闻稿.docx",
]


def set_mtime(path: Path, when) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()), follow_symlinks=False)


def records(ws: Workspace) -> dict[str, dict]:
    return {m.key: m.to_dict() for m in Week(ws).store.materials()}


@pytest.fixture
def pair(tmp_path):
    """Two workspaces over one inbox: the first takes in what it is told, the second scans."""
    named = empty_workspace(tmp_path / "named")
    scanned = empty_workspace(tmp_path / "scanned")
    scanned.inbox.rmdir()
    scanned.inbox.symlink_to(named.inbox)  # the same files, the same stamps
    for i, rel in enumerate(BEFORE):
        drop(named, rel, at(13, 8 + i))
    Week(named).ingestor().scan()
    Week(scanned).ingestor().scan()
    assert records(named) == records(scanned)
    return named, scanned


def _new(inbox: Path) -> list[str]:
    drop_path = inbox / "舞钢市/2024-05-15/活动照片2.jpg"
    drop_path.parent.mkdir(parents=True, exist_ok=True)
    drop_path.write_bytes(b"photo of day 4")
    set_mtime(drop_path, at(15, 9))
    return ["舞钢市/2024-05-15/活动照片2.jpg"]


def _version(inbox: Path) -> list[str]:
    report = inbox / "舞钢市/2024-05-14/新闻稿.docx"
    report.write_bytes(b"the corrected news report")
    set_mtime(report, at(14, 16))
    return ["舞钢市/2024-05-14/新闻稿.docx"]


def _rewritten_in_place(inbox: Path) -> list[str]:
    # Same name, same folder, its folder's mtime put back: only the file itself says so.
    report = inbox / "平职院_第2天_新闻稿.docx"
    folder = report.parent.stat()
    report.write_bytes(b"rewritten in place")
    set_mtime(report, at(14, 9))
    os.utime(report.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    return ["平职院_第2天_新闻稿.docx"]


def _touched(inbox: Path) -> list[str]:
    set_mtime(inbox / "舞钢市/2024-05-13/典型案例1.docx", at(14, 8))
    return ["舞钢市/2024-05-13/典型案例1.docx"]


def _zip(inbox: Path) -> list[str]:
    z = inbox / "宝丰县_第3天_照片.zip"
    z.write_bytes(zip_bytes([("活动照片1.jpg", b"a"), ("活动照片2.jpg", b"b")]))
    set_mtime(z, at(14, 11))
    return ["宝丰县_第3天_照片.zip"]


def _mail(inbox: Path) -> list[str]:
    msg = Draft(
        "wg@example.com",
        "王敏",
        "舞钢市教体局 第3天 新闻稿",
        at(14, 10),
        files=(File("舞钢市_第3天_新闻稿.docx", b"news of day 3"),),
    )
    eml = inbox / "mail" / "舞钢市_第3天.eml"
    eml.parent.mkdir(exist_ok=True)
    eml.write_bytes(foxmail(msg))
    set_mtime(eml, at(14, 10))
    return ["mail/舞钢市_第3天.eml"]


def _removed(inbox: Path) -> list[str]:
    (inbox / "舞钢市/2024-05-13/活动照片1.jpg").unlink()
    return ["舞钢市/2024-05-13/活动照片1.jpg"]


def _folder_arrived(inbox: Path) -> list[str]:
    day = inbox / "宝丰县教体局/2024-05-16"
    day.mkdir(parents=True)
    for name in ("新闻稿.docx", "活动照片1.jpg", "~$新闻稿.docx"):
        (day / name).write_bytes(name.encode())
        set_mtime(day / name, at(16, 10))
    return ["宝丰县教体局/2024-05-16"]


def _folder_changed(inbox: Path) -> list[str]:
    day = inbox / "舞钢市/2024-05-13"
    (day / "活动照片1.jpg").unlink()
    (day / "活动照片3.jpg").write_bytes(b"another photo")
    set_mtime(day / "活动照片3.jpg", at(13, 17))
    return ["舞钢市/2024-05-13"]


def _folder_removed(inbox: Path) -> list[str]:
    day = inbox / "舞钢市/2024-05-13"
    for p in day.iterdir():
        p.unlink()
    day.rmdir()
    return ["舞钢市/2024-05-13"]


def _link(inbox: Path) -> list[str]:
    (inbox / "舞钢市/2024-05-14/新闻稿.docx").unlink()
    (inbox / "舞钢市/2024-05-14/新闻稿.docx").symlink_to("/etc/passwd")
    os.mkfifo(inbox / "平职院_第3天_视频.mp4")
    return ["舞钢市/2024-05-14/新闻稿.docx", "平职院_第3天_视频.mp4"]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "a new file": _new,
    "a new version": _version,
    "rewritten in place": _rewritten_in_place,
    "touched, same content": _touched,
    "a zip": _zip,
    "an e-mail (.eml)": _mail,
    "a removed path named": _removed,
    "a folder arrived": _folder_arrived,
    "a folder changed": _folder_changed,
    "a folder removed": _folder_removed,
    "a link and a FIFO": _link,
}


@pytest.mark.parametrize("case", CASES)
def test_taken_in_by_path_as_a_scan_takes_it_in(pair, case):
    named, scanned = pair
    before = records(scanned)
    paths = CASES[case](named.inbox)
    by_path = Week(named).ingestor().take(paths)
    by_scan = Week(scanned).ingestor().scan()
    assert records(scanned) != before  # the case changed something a scan sees
    assert sorted(m.key for m in by_path.added) == sorted(m.key for m in by_scan.added)
    assert sorted(m.key for m in by_path.gone) == sorted(m.key for m in by_scan.gone)
    assert records(named) == records(scanned)
    # Taken in, it is settled: a scan after it finds nothing more to do.
    assert not Week(named).ingestor().scan().changed


def test_a_file_put_back_after_it_was_marked_gone(pair):
    named, scanned = pair
    paths = _removed(named.inbox)
    Week(named).ingestor().take(paths)
    Week(scanned).ingestor().scan()
    drop(named, paths[0], at(14, 9), data=b"the photo again")
    Week(named).ingestor().take(paths)
    Week(scanned).ingestor().scan()
    assert records(named) == records(scanned)


def test_one_new_file_reads_one_shard_and_stats_only_what_is_named(pair, monkeypatch):
    named, _ = pair
    asked: list[object] = []
    real = Store.materials_of
    monkeypatch.setattr(Store, "materials", lambda self: asked.append("all") or [])
    monkeypatch.setattr(
        Store, "materials_of", lambda self, names: asked.append(set(names)) or real(self, names)
    )
    import weekwatch.store.ingest as ingest_module

    walked: list[str] = []
    monkeypatch.setattr(ingest_module, "walk", lambda *a, **k: walked.append("walk") or iter(()))
    paths = _new(named.inbox)
    batch = Week(named).ingestor().take(paths)
    assert [m.path for m in batch.added] == paths
    assert asked == [{shard_name(paths[0])}]
    assert walked == []
    # The stamp index of only that one shard was opened and kept again.
    ingestor = Week(named).ingestor()
    ingestor.take(paths)
    assert set(ingestor.stamps._shards) == {shard_name(paths[0])}


def weekwatch(ws: Workspace, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "ingest", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def test_the_command_takes_paths_absolute_relative_and_through_a_linked_inbox(pair, tmp_path):
    named, scanned = pair
    _new(named.inbox)
    _version(named.inbox)
    r = weekwatch(
        named,
        str(named.inbox / "舞钢市/2024-05-15/活动照片2.jpg"),
        "2024-05-14/新闻稿.docx",
        cwd=named.inbox / "舞钢市",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "2 new (0 quarantined), 0 gone"
    Week(scanned).ingestor().scan()
    assert records(named) == records(scanned)
    # The second workspace's inbox is a link to the first's: named through it, or by the
    # folder it leads to, a path is inside its inbox all the same.
    _touched(named.inbox)
    r = weekwatch(scanned, str(named.inbox / "舞钢市/2024-05-13/典型案例1.docx"))
    assert r.returncode == 0, r.stderr
    r = weekwatch(scanned, str(scanned.inbox / "舞钢市/2024-05-13/典型案例1.docx"))
    assert r.returncode == 0, r.stderr
    # The inbox itself named: the whole inbox scanned (the file removed unnamed is found).
    (named.inbox / "平职院_第1天_照片1.jpg").unlink()
    r = weekwatch(named, str(named.inbox) + "/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "0 new (0 quarantined), 1 gone"


def _bad_outside(ws: Workspace, tmp_path: Path) -> list[str]:
    (tmp_path / "elsewhere.docx").write_bytes(b"x")
    return [str(tmp_path / "elsewhere.docx")]


def _bad_dotdot(ws: Workspace, tmp_path: Path) -> list[str]:
    return [str(ws.inbox / "舞钢市" / ".." / ".." / "weekwatch.toml")]


def _bad_missing(ws: Workspace, tmp_path: Path) -> list[str]:
    return [str(ws.inbox / "舞钢市/2024-05-13/从未有过.docx")]


def _bad_through_link(ws: Workspace, tmp_path: Path) -> list[str]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.docx").write_bytes(b"not the inbox's")
    (ws.inbox / "舞钢市/链接").symlink_to(outside)
    return [str(ws.inbox / "舞钢市/链接/secret.docx")]


def _bad_hostile(ws: Workspace, tmp_path: Path) -> list[str]:
    return [str(ws.inbox / "舞钢市/\x1b[31mred\x1b[0m\n.docx")]


def _bad_one_of_two(ws: Workspace, tmp_path: Path) -> list[str]:
    _new(ws.inbox)
    return [str(ws.inbox / "舞钢市/2024-05-15/活动照片2.jpg"), str(tmp_path / "nope.docx")]


BAD = {
    "outside the inbox": (_bad_outside, "not inside the inbox"),
    "out through ..": (_bad_dotdot, "not inside the inbox"),
    "missing, never recorded": (_bad_missing, "no such file or folder in the inbox"),
    "through a link": (_bad_through_link, "never follows"),
    "a hostile name": (_bad_hostile, "no such file or folder in the inbox"),
    "one good, one bad": (_bad_one_of_two, "not inside the inbox"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_path_is_one_clear_line_and_nothing_is_written(pair, tmp_path, case):
    named, _ = pair
    make, says = BAD[case]
    paths = make(named, tmp_path)
    before = records(named)
    listing = sorted((p, p.lstat().st_mtime_ns) for p in named.inbox.rglob("*"))
    r = weekwatch(named, *paths)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and says in lines[0], r.stderr
    assert "\x1b" not in r.stderr and "Traceback" not in r.stderr
    assert records(named) == before
    assert sorted((p, p.lstat().st_mtime_ns) for p in named.inbox.rglob("*")) == listing
