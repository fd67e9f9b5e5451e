"""A scan from scratch (store/fresh_scan.py): the workers walk, hash, read and encode, the parent
joins the texts and writes. On real drops its store equals, record for record, what ingest's
general path builds (files read one by one into Materials, then `put_materials`), whether its
work ran in forked workers or in the one process; the stamp index it writes without parsing a
shard is the one made from the shards' records; a shard written meanwhile by another writer is
merged into, never overwritten; a kill in its write leaves either no record or all of them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from weekwatch.fixtures.mails import Draft, File, foxmail
from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.store import fresh_scan
from weekwatch.store.atomic import encode
from weekwatch.store.db import MATERIAL_FILES, Store, shard_name
from weekwatch.store.model import Material, Unit, placing_text, plain_record_text
from weekwatch.store.reasons import Code, Quarantine
from weekwatch.store.stamp_index import StampIndex, entries_of, file_entry_text
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

# A thread-free process of its own (the only kind that forks), with numbers small enough that a
# few dozen files are cut into many tasks shared by the workers.
SCAN = """
import json, sys
from pathlib import Path
from weekwatch.store import fresh_scan, hashing
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
hashing.PARALLEL_MIN, fresh_scan.CHUNK, fresh_scan.TASKS_PER_WORKER = 4, 3, 8
pools, fresh = [], []
real_pool, real_record = hashing._pool, fresh_scan.record
hashing._pool = lambda *a, **k: pools.append(1) or real_pool(*a, **k)
fresh_scan.record = lambda *a: fresh.append(1) or real_record(*a)
b = Week(Workspace(Path(sys.argv[1]))).ingestor().scan()
print(json.dumps({"added": b.recorded, "quarantined": b.quarantined, "pools": len(pools),
                  "fresh": len(fresh), "errors": b.errors}))
"""


def scan_forked(ws: Workspace) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", SCAN, str(ws.root)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def docs(ws: Workspace) -> dict[str, dict[str, object]]:
    """Every record as stored, by key, from every shard file."""
    out: dict[str, dict[str, object]] = {}
    for name in MATERIAL_FILES[1:]:
        path = ws.dbdir / f"{name}.json"
        if path.exists():
            shard = json.loads(path.read_bytes())["materials"]
            assert all(shard_name(_held_in(d)) == name for d in shard.values())
            out.update(shard)
    return out


def _held_in(doc: dict[str, object]) -> str:
    within = doc.get("within")
    return str(within[0]) if isinstance(within, list) and within else str(doc["path"])


def general(ws: Workspace) -> Week:
    """The week scanned through ingest's general path, in this process."""
    week = Week(ws)
    ingestor = week.ingestor()
    ingestor.fresh = False
    ingestor.scan()
    return week


real_record = fresh_scan.record


# -- the weeks --------------------------------------------------------------------------------

#: Seed 002: a college's departments (二級學院), the notice in traditional characters, 12–18 May
#: 2024, plan and 信息采集表 by 12:00 on the 12th, the day's materials by 12:00, 统计表 and 总结 by
#: the end of the working day on the 19th.
DEPARTMENTS = [
    Unit("ysj", "艺术设计学院", ("艺设学院",)),
    Unit("jdgc", "机电工程学院", ("机电学院",)),
    Unit("xxjs", "信息技术学院", ("信息学院",)),
    Unit("qcgc", "汽车工程学院", ("汽车学院",)),
    Unit("jjgl", "经济管理学院", ("经管学院",)),
]


def college_week(ws: Workspace) -> None:
    """What the departments send, named as people there write (traditional and simplified)."""
    drop(ws, "藝術設計學院/藝術設計學院職業教育活動周方案.docx", at(11, 17))
    drop(ws, "藝術設計學院/附件1 信息採集表.xlsx", at(12, 9, 30))
    drop(ws, "机电工程学院_活动周方案.pdf", at(12, 11, 50))
    drop(ws, "信息学院 信息采集表.xlsx", at(12, 13))  # after noon: late
    for d in range(12, 19):
        drop(ws, f"藝術設計學院/5月{d}日/典型活動案例.docx", at(d, 10))
        drop(ws, f"藝術設計學院/5月{d}日/照片{d}.jpg", at(d, 11, 40))
        drop(ws, f"机电工程学院/2024-05-{d}/典型职教故事.docx", at(d, 9, 15))
        drop(ws, f"信息技术学院_{d}日_重点活动报道.docx", at(d, 12, 30))
        if d % 2:
            drop(ws, f"汽车学院/第{d - 11}天/视频.mp4", at(d, 8))
    drop(ws, "經濟管理學院/活动照片.jpg", at(14, 10))  # undated: the day it came
    drop(ws, "藝術設計學院/2024年職業教育活動周情況統計表.xlsx", at(19, 16))
    drop(ws, "藝術設計學院/活動周總結.docx", at(19, 17, 30))
    drop(ws, "机电学院总结.docx", at(20, 9))  # after 下班前 on the 19th
    drop(ws, "不知道哪个学院的照片.jpg", at(14, 15))  # no unit: waits
    drop(ws, "艺术设计学院/5月25日照片.jpg", at(15))  # a day outside the week: waits
    drop(ws, "机电工程学院/空的.docx", at(13), b"")  # empty: waits
    drop(ws, "Thumbs.db", at(13))  # ignored
    drop(ws, "汽车学院/~$视频说明.docx", at(13))  # a Word lock file: ignored


def generated_week(ws: Workspace) -> None:
    """A county's week with what a scan meets besides plain files: copies, a zip, an e-mail,
    links, a FIFO, an unreadable folder, a name from a non-UTF-8 disk."""
    for d in range(12, 19):
        for i in range(3):
            drop(ws, f"舞钢市/2024-05-{d}/典型案例{i}.docx", at(d, 9 + i))
            drop(ws, f"宝丰县教体局/5月{d}日新闻稿{i}.docx", at(d, 15, i))
    for d in range(1, 8):
        drop(ws, f"平职院_第{d}天_照片.jpg", at(11 + d, 20))
    # The same photo sent twice, and again by another unit.
    for rel in ("舞钢市/照片.jpg", "舞钢市/照片(1).jpg", "宝丰县教体局/同一张照片.jpg"):
        drop(ws, rel, at(14, 9), b"one photo")
    drop(ws, "谁也不是.pdf", at(13))
    drop(ws, "诸城11月9日至10日活动.docx", at(13))  # a range, another year's month
    drop(ws, "舞钢市/5月13日至14日活动报道.docx", at(13))  # a range: its last day kept
    bundle = ws.inbox / "宝丰县打包.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("宝丰县/5月14日活动照片.jpg", b"photo")
        z.writestr("宝丰县/活动总结.docx", b"summary")
    mail = ws.inbox / "mail" / "舞钢.eml"
    mail.parent.mkdir()
    mail.write_bytes(
        foxmail(
            Draft(
                "wugang@example.com",
                "舞钢市教育体育局",
                "舞钢市5月15日材料",
                at(15, 10),
                files=(File("5月15日照片.jpg", b"jpg"), File("典型案例.docx", b"doc")),
            )
        )
    )
    (ws.inbox / "舞钢市/捷径.docx").symlink_to("2024-05-12/典型案例0.docx")
    os.mkfifo(ws.inbox / "舞钢市/管道")
    closed = ws.inbox / "宝丰县教体局/锁着的"
    closed.mkdir()
    drop(ws, "宝丰县教体局/锁着的/新闻稿.docx", at(14))
    closed.chmod(0)
    odd = os.fsencode(str(ws.inbox)) + "/舞钢市/".encode() + b"\xb1\xa8\xb5\xc0.docx"
    with open(odd, "wb") as f:  # a GBK name (报道) on a disk mounted as UTF-8
        f.write(b"gbk")
    for path in (bundle, mail, ws.inbox / "舞钢市/捷径.docx", ws.inbox / "舞钢市/管道"):
        ns = int(at(14, 18).timestamp()) * 10**9  # both workspaces alike, to the nanosecond
        os.utime(path, ns=(ns, ns), follow_symlinks=False)
    os.utime(odd, (at(15).timestamp(), at(15).timestamp()))


def rewrite(ws: Workspace) -> None:
    """A day later: new files, a file rewritten in place (a new version), one removed."""
    for i in range(4):
        drop(ws, f"舞钢市/2024-05-16/补发{i}.docx", at(16, 14, i))
    drop(ws, "舞钢市/2024-05-13/典型案例1.docx", at(16, 8), b"corrected")
    (ws.inbox / "平职院_第3天_照片.jpg").unlink()


def college_rewrite(ws: Workspace) -> None:
    drop(ws, "藝術設計學院/5月16日/补充照片.jpg", at(16, 14))
    drop(ws, "藝術設計學院/5月13日/典型活動案例.docx", at(16, 8), b"corrected")
    (ws.inbox / "經濟管理學院/活动照片.jpg").unlink()


def from_scratch(ws: Workspace) -> None:
    """No records and no stamp index (the roster, the week and the log stay)."""
    for old in [*ws.dbdir.glob("materials*"), ws.dbdir / "stamps"]:
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()


@pytest.fixture
def unlocked(tmp_path: Path):
    yield
    for folder in tmp_path.glob("*/inbox/宝丰县教体局/锁着的"):
        folder.chmod(0o700)  # so pytest can remove it


# -- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fill, units, change",
    [(college_week, DEPARTMENTS, college_rewrite), (generated_week, None, rewrite)],
    ids=["seed-002-college", "generated"],
)
def test_the_forked_scan_from_scratch_records_what_the_general_path_does(
    tmp_path: Path, fill, units, change, unlocked
) -> None:
    ws = (
        empty_workspace(tmp_path / "w") if units is None else empty_workspace(tmp_path / "w", units)
    )
    fill(ws)
    week = general(ws)
    want = docs(ws)
    mats = week.store.materials()
    shutil.copytree(ws.dbdir, tmp_path / "general")
    from_scratch(ws)
    out = scan_forked(ws)
    assert out["pools"] == out["fresh"] == 1  # from scratch, forked
    assert docs(ws) == want
    assert len(want) > 40 and any(d["quarantine"] for d in want.values())
    assert out["added"] == len(want)
    assert out["quarantined"] == sum(1 for d in want.values() if d["quarantine"])
    # The store opens on it as on any other: the same Materials, in the same order.
    assert Week(ws).store.materials() == mats
    # Its stamp index, written without parsing a shard, is the one made from the records.
    for name in MATERIAL_FILES[1:]:
        stamp, shard = Store(ws.dbdir).material_docs(name)
        kept = StampIndex(Store(ws.dbdir))._read(name, stamp)
        assert kept == (entries_of(shard) if shard else None), name
    # A rescan finds nothing new; after changes, new versions and a file gone, a rescan of
    # its store records what a rescan of the general path's does.
    assert Week(ws).ingestor().scan().recorded == 0
    change(ws)
    Week(ws).ingestor().scan()
    got = docs(ws)
    shutil.rmtree(ws.dbdir)
    shutil.copytree(tmp_path / "general", ws.dbdir)
    general(ws)
    assert got == docs(ws) != want
    assert any(d["superseded"] for d in got.values()) and any(d["gone"] for d in got.values())


def test_a_scan_from_scratch_in_one_process_records_what_the_forked_one_does(
    tmp_path: Path, unlocked, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = empty_workspace(tmp_path / "w")
    generated_week(ws)
    calls: list[object] = []
    monkeypatch.setattr(fresh_scan, "record", lambda *a: calls.append(a) or real_record(*a))
    batch = Week(ws).ingestor().scan()  # under pytest: too few files to fork for
    assert len(calls) == 1
    here = docs(ws)
    # The batch's records, made from their texts only when asked, are the store's.
    mats = sorted(batch.added, key=lambda m: m.key)
    assert mats == sorted(Week(ws).store.materials(), key=lambda m: m.key)
    assert batch.recorded == len(mats)
    assert batch.quarantined == sum(1 for m in mats if m.quarantine)
    from_scratch(ws)
    assert scan_forked(ws)["pools"] == 1
    assert docs(ws) == here


def test_folders_deeper_than_the_descriptors_held_are_walked_all_the_same(tmp_path: Path) -> None:
    ws = empty_workspace(tmp_path / "w")
    deep = "/".join(["舞钢市", *(f"第{i}层" for i in range(40))])
    for depth in (1, 20, 33, 41):
        drop(ws, "/".join(deep.split("/")[:depth]) + f"/2024-05-13照片{depth}.jpg", at(13))
    drop(ws, "宝丰县/2024-05-14/新闻稿.docx", at(14))
    general(ws)
    want = docs(ws)
    from_scratch(ws)
    assert Week(ws).ingestor().scan().recorded == len(want) == 5
    assert docs(ws) == want


@pytest.mark.parametrize(
    "material",
    [
        Material("舞钢市/a.docx", "舞钢市/a.docx", "ab" * 32, 12, 3, at(13), "wugang", "case",
                 "2024-05-13", ino=7, ctime_ns=9),
        Material("谁.pdf", "谁.pdf", "cd" * 32, 0, 1, at(13, 9, 5), None, "report", None,
                 Quarantine.of(Code.NO_UNIT), ino=1, ctime_ns=2),
        Material('a"\\b/c\td\u2028.jpg', 'a"\\b/c\td\u2028.jpg', "0" * 64, 5, -1,
                 at(18, 23, 59), "u\u00e9", "photo", "2024-05-18", until="2024-05-19"),
        Material("x/5月25日.jpg", "x/5月25日.jpg", "e" * 64, 1, 1, at(15), "x", "photo", None,
                 Quarantine.of(Code.NO_UNIT) + Quarantine.of(Code.ARRIVED_OUTSIDE,
                                                            date="2024-05-25")),
    ],
    ids=["placed", "quarantined", "escapes", "two-reasons"],
)  # fmt: skip
def test_a_record_text_is_the_json_of_its_material(material: Material) -> None:
    key = json.dumps(material.path, ensure_ascii=False)
    q = material.quarantine
    placing = placing_text(
        material.unit,
        material.kind,
        material.cell,
        "null" if q is None else json.dumps(q.to_json(), ensure_ascii=False, separators=(",", ":")),
    )
    text = plain_record_text(
        key,
        material.sha256,
        material.size,
        material.mtime_ns,
        material.received_at.isoformat(),
        placing,
        material.ino,
        material.ctime_ns,
        material.until,
    )
    assert ("{" + text + "}\n").encode() == encode({material.key: material.to_dict()})
    entry = file_entry_text(key, material.size, material.mtime_ns, material.ino, material.ctime_ns)
    doc = {material.key: {**material.to_dict(), "sha256": "f" * 64}}
    assert json.loads("{" + entry + "}") == json.loads(json.dumps(entries_of(doc)))


def test_a_shard_written_by_another_writer_meanwhile_is_merged_into(tmp_path: Path) -> None:
    store = Store(tmp_path)
    theirs = Material("乙/稿件.doc", "乙/稿件.doc", "1" * 64, 1, 1, at(13), "u", "report", None)
    store.put_materials([theirs])
    name = shard_name(theirs.path)
    ours = Material("甲/稿件.doc", "甲/稿件.doc", "2" * 64, 2, 2, at(14), "u", "report", None)
    other = next(n for n in MATERIAL_FILES[1:] if n != name)
    text = encode({ours.key: ours.to_dict()})[1:-2]
    written = store.put_encoded({name: [text], other: [text]})
    assert list(written) == [other]  # only the empty shard written from the text
    merged = Store(tmp_path).material_docs(name)[1]
    assert set(merged) == {theirs.key, ours.key}  # theirs kept
    index = StampIndex(Store(tmp_path))
    entry = file_entry_text(json.dumps(ours.path), 2, 2, 0, 0).encode()
    index.put_encoded(written, {other: [entry]}, {})
    stamp, shard = Store(tmp_path).material_docs(other)
    assert index._read(other, stamp) == entries_of(shard) != {}


# A thread-free process that dies at the Nth rename of its commit: after its journal was written
# (N=1), or at the moment the journal itself is put in place (N=0).
KILLED = """
import os, sys
from pathlib import Path
from weekwatch.store import atomic, hashing
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
hashing.PARALLEL_MIN = 50
n, real = int(sys.argv[2]), atomic.replace
def replace(tmp, path):
    global n
    if path.name.startswith("materials.") or path.name == "commit.journal":
        if n == 0:
            os.kill(os.getpid(), 9)
        n -= 1
    real(tmp, path)
atomic.replace = replace
Week(Workspace(Path(sys.argv[1]))).ingestor().scan()
"""


@pytest.mark.parametrize("renames", [0, 1, 5])
def test_a_scan_from_scratch_killed_in_its_write_leaves_none_or_all(
    tmp_path: Path, renames: int
) -> None:
    ws = empty_workspace(tmp_path / "w")
    for i in range(300):
        drop(ws, f"舞钢市/2024-05-{12 + i % 7}/典型案例{i}.docx", at(12 + i % 7, 9))
    proc = subprocess.run([sys.executable, "-c", KILLED, str(ws.root), str(renames)])
    assert proc.returncode == -signal.SIGKILL
    week = Week(ws)  # the open's transaction finishes a journaled commit, or sweeps it away
    mats = week.store.materials()
    assert len(mats) == (0 if renames == 0 else 300)
    assert not [p for p in os.listdir(ws.dbdir) if ".tmp-" in p]
    assert week.ingestor().scan().recorded == 300 - len(mats)  # nothing lost, none twice
    assert len({m.path for m in Week(ws).store.materials()}) == 300
