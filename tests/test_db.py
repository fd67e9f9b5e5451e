"""The TinyDB store on real files, with real processes: nothing here is mocked."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from weekwatch.store.db import (
    JOURNAL,
    MATERIAL_FILES,
    SCHEMA_VERSION,
    JsonFileStorage,
    KeyedTable,
    Store,
    _doc,
    _encode,
    _write_temp,
    materials_stamp,
    shard_name,
)
from weekwatch.store.model import Action, Material, Unit, WeekwatchError
from weekwatch.store.reasons import Code, Quarantine

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2024, 5, 13, 9, 0, tzinfo=TZ)


def mat(path: str, i: int = 0, key: str | None = None, **kw: object) -> Material:
    fields: dict = dict(
        key=key or path,
        path=path,
        sha256=f"{i:064x}",
        size=1000 + i,
        mtime_ns=1_715_560_000_000_000_000 + i,
        received_at=T0 + dt.timedelta(minutes=i),
        unit="u1",
        kind="case",
        cell="2024-05-13",
    )
    fields.update(kw)
    return Material(**fields)


def act(id: str, minutes: int = 0, **kw: object) -> Action:
    fields: dict = dict(id=id, type="note", operator="王", at=T0 + dt.timedelta(minutes=minutes))
    fields.update(kw)
    return Action(**fields)


def raw(dbdir: Path, table: str) -> dict:
    if table == "materials":  # every shard's records
        out: dict = {}
        for name in MATERIAL_FILES:
            if (dbdir / f"{name}.json").exists():
                out.update(raw(dbdir, name))
        return out
    return json.loads((dbdir / f"{table}.json").read_bytes())[table.split(".")[0]]


def shard_file(dbdir: Path, path: str) -> Path:
    return dbdir / f"{shard_name(path)}.json"


def run_child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- round trips ----------------------------------------------------------------------------


def test_units_round_trip_in_roster_order(tmp_path: Path) -> None:
    store = Store(tmp_path)
    a = Unit("wg", "舞钢市教体局", aliases=("舞钢",), liaison_phone="0375-1234567")
    b = Unit("pzy", "平顶山职业技术学院", aliases=("平职院", "平职"), type="高职院校")
    store.put_units([b, a])
    assert store.units() == [b, a]

    # Known units keep their place when rewritten; new ones go after them.
    a2 = Unit("wg", "舞钢市教育体育局", aliases=("舞钢", "舞钢市"))
    c = Unit("gx", "高新区农社局")
    store.put_units([c, a2])
    assert store.units() == [b, a2, c]
    assert Store(tmp_path).units() == [b, a2, c]
    assert set(raw(tmp_path, "units")) == {"wg", "pzy", "gx"}  # our ids are the keys


def test_materials_round_trip_keyed_by_material_key(tmp_path: Path) -> None:
    store = Store(tmp_path)
    old = mat("舞钢/5月13日 典型案例.docx", 5, key="舞钢/5月13日 典型案例.docx#1", superseded=True)
    new = mat("舞钢/5月13日 典型案例.docx", 9)
    gone = mat("平职院/照片.jpg", 1, gone=True, quarantine=None, unit="pzy", kind="photo")
    lost = mat("不明/稿件.doc", 3, unit=None, cell=None, quarantine=Quarantine.of(Code.NO_UNIT))
    store.put_materials([new, old, gone, lost])

    assert store.materials() == [gone, lost, old, new]  # by (received_at, path)
    assert Store(tmp_path).materials() == [gone, lost, old, new]
    assert store.material(old.key) == old
    assert store.material("nothing/here") is None
    assert set(raw(tmp_path, "materials")) == {old.key, new.key, gone.key, lost.key}

    # Upsert by key: a rewritten record replaces the old one, nothing is duplicated.
    moved = mat("舞钢/5月13日 典型案例.docx", 9, cell="2024-05-14", kind="report")
    store.put_materials([moved])
    assert store.material(new.key) == moved
    assert len(store.materials()) == 4


def test_put_materials_writes_once_per_batch(tmp_path: Path) -> None:
    store = Store(tmp_path)
    before = store.stamp()
    store.put_materials(mat(f"u/{i}.doc", i) for i in range(50))  # an iterator is fine
    after = store.stamp()
    assert after[1:-2] != before[1:-2]  # the materials files
    assert (after[0], *after[-2:]) == (before[0], *before[-2:])  # units, actions, meta
    store.put_materials([])  # nothing to write: no write
    assert store.stamp() == after
    assert not (tmp_path / JOURNAL).exists()  # a batch over several shards leaves no journal


def test_one_arrival_rewrites_one_shard(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_materials(mat(f"单位{i % 40}/2024-05-13/稿件{i}.doc", i) for i in range(2000))
    before = materials_stamp(tmp_path)
    assert sum(s[1] > 0 for s in before) == len(MATERIAL_FILES) - 1  # every shard, not the old
    late = mat("单位7/2024-05-14/稿件x.doc", 3000)
    store.put_materials([late])
    after = materials_stamp(tmp_path)
    changed = [n for n, a, b in zip(MATERIAL_FILES, before, after, strict=True) if a != b]
    assert changed == [shard_name(late.path)]
    # A reader that had read everything reads again the one shard, and sees the new record.
    assert Store(tmp_path).materials()[-1] == late
    # Its versions and a zip's members go with the file that holds them.
    version = mat(late.path, 3001, key=f"{late.path}@abc", superseded=True)
    member = mat("单位7/包.zip!稿件.doc", 5, within=("单位7/包.zip",))
    assert shard_name(version.container) == shard_name(late.path)
    store.put_materials([version, member])
    assert shard_name(member.container) == shard_name("单位7/包.zip")
    assert member.key in raw(tmp_path, shard_name("单位7/包.zip"))


def test_actions_round_trip_sorted_by_time_then_id(tmp_path: Path) -> None:
    store = Store(tmp_path)
    b = act("b", 10, unit="wg", cell="2024-05-13", type="excuse", data={"reason": "停电"})
    a = act("a", 10, type="extend", data={"until": "2024-05-13T18:00:00+08:00"})
    c = act("c", 5)
    for x in (b, a, c):
        store.add_action(x)
    assert store.actions() == [c, a, b]
    assert Store(tmp_path).actions() == [c, a, b]
    assert set(raw(tmp_path, "actions")) == {"a", "b", "c"}

    store.add_action(b)  # the same action again (a retry): nothing changes
    assert len(store.actions()) == 3
    with pytest.raises(WeekwatchError, match="already recorded"):
        store.add_action(act("b", 99))
    assert store.actions() == [c, a, b]


def test_meta_and_schema_version(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.get_meta("schema_version") == SCHEMA_VERSION == 3
    assert store.get_meta("last_scan") is None
    assert store.get_meta("last_scan", "never") == "never"
    store.set_meta("last_scan", {"at": "2024-05-13T12:00:00+08:00", "files": [1, 2]})
    got = Store(tmp_path).get_meta("last_scan")
    assert got == {"at": "2024-05-13T12:00:00+08:00", "files": [1, 2]}
    got["files"].append(3)  # a caller's copy: the store's cache is not touched
    assert store.get_meta("last_scan")["files"] == [1, 2]
    with pytest.raises(TypeError):
        store.set_meta("bad", {1, 2})


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path)
    (tmp_path / "meta.json").write_text('{"meta": {"schema_version": {"value": 4}}}')
    for read_only in (False, True):
        with pytest.raises(WeekwatchError, match="newer"):
            Store(tmp_path, read_only=read_only)


# -- several readers and writers ------------------------------------------------------------


def test_a_write_through_one_store_is_seen_by_another(tmp_path: Path) -> None:
    writer, reader = Store(tmp_path), Store(tmp_path)
    assert reader.actions() == []
    stamps = {reader.stamp()}
    mtimes = []
    for i in range(30):
        # Same-sized rewrites in quick succession: ext4 reuses the freed inode at once and its
        # clock ticks every few ms, yet every new file must look new to the reader.
        writer.set_meta("turn", f"{i % 10}")
        assert reader.get_meta("turn") == f"{i % 10}"
        stamps.add(reader.stamp())
        mtimes.append((tmp_path / "meta.json").stat().st_mtime_ns)
    assert len(stamps) == 31
    assert mtimes == sorted(set(mtimes))  # strictly increasing: writers see to it
    writer.add_action(act("x1"))
    assert reader.actions() == [act("x1")]
    writer.put_materials([mat("a/b.doc")])
    assert reader.materials() == [mat("a/b.doc")]
    reader.put_units([Unit("u1", "单位一")])  # and the other way round
    assert writer.units() == [Unit("u1", "单位一")]


def test_transaction_commits_once_and_rolls_back_on_error(tmp_path: Path) -> None:
    store, other = Store(tmp_path), Store(tmp_path)
    with store.transaction():
        store.add_action(act("a1"))
        with store.transaction():  # nested: joins the outer one
            store.add_action(act("a2"))
            store.put_units([Unit("u1", "单位一")])
        assert [a.id for a in store.actions()] == ["a1", "a2"]  # its own writes, buffered
        assert other.actions() == []  # nothing on disk yet
    assert [a.id for a in other.actions()] == ["a1", "a2"]

    before = store.stamp()
    with pytest.raises(ZeroDivisionError), store.transaction():
        store.add_action(act("a3"))
        store.put_materials([mat("x.doc")])
        1 / 0  # noqa: B018
    assert store.stamp() == before
    assert [a.id for a in store.actions()] == ["a1", "a2"]
    assert store.materials() == []


def test_tinydb_writes_outside_a_transaction_are_refused(tmp_path: Path) -> None:
    table = KeyedTable(JsonFileStorage(tmp_path / "t.json", "t"), "t", cache_size=0)
    with pytest.raises(RuntimeError, match="inside Store.transaction"):
        table.insert(_doc("k", {"v": 1}))
    assert not (tmp_path / "t.json").exists()
    assert table.by_key("k") is None


def test_threads_share_one_store(tmp_path: Path) -> None:
    store = Store(tmp_path)

    def work(n: int) -> None:
        for i in range(20):
            store.add_action(act(f"t{n}-{i}", i))
            store.actions()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(Store(tmp_path).actions()) == 80


def test_readers_do_not_wait_for_another_processs_lock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    # A second open file description conflicts like another process's would.
    other = os.open(tmp_path / "store.lock", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    writer = threading.Thread(target=store.add_action, args=(act("w1"),))
    writer.start()
    time.sleep(0.2)
    assert writer.is_alive()  # waiting for the lock
    # The read runs while the lock is still held: were it to wait, it would never finish.
    seen: list[list[Action]] = []
    reader = threading.Thread(target=lambda: seen.append(store.actions()), daemon=True)
    reader.start()
    reader.join(30)
    assert seen == [[]] and writer.is_alive()
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    writer.join(5)
    assert store.actions() == [act("w1")]


def test_returned_values_do_not_alias_the_cache(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_action(act("a1", data={"paths": ["x.doc"], "reason": "补交"}))
    store.actions()[0].data["paths"].append("y.doc")
    assert store.actions()[0].data == {"paths": ["x.doc"], "reason": "补交"}


ADD_ACTIONS = """
    import datetime as dt, sys, time
    from pathlib import Path
    from weekwatch.store.db import Store
    from weekwatch.store.model import Action
    dbdir, name = Path(sys.argv[1]), sys.argv[2]
    store = Store(dbdir)
    (dbdir / f"ready-{name}").touch()
    while not (dbdir / "go").exists():
        time.sleep(0.005)
    at = dt.datetime(2024, 5, 13, tzinfo=dt.timezone.utc)
    for i in range(200):
        store.add_action(Action(id=f"{name}-{i:03d}", type="note", operator=name, at=at))
"""


def test_two_processes_never_lose_each_others_writes(tmp_path: Path) -> None:
    Store(tmp_path)
    children = [run_child(ADD_ACTIONS, str(tmp_path), name) for name in ("p1", "p2")]
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"ready-{n}").exists() for n in ("p1", "p2")):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    (tmp_path / "go").touch()  # both are waiting: their writes really interleave
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    ids = {a.id for a in Store(tmp_path).actions()}
    assert len(ids) == 400
    assert {i.split("-")[0] for i in ids} == {"p1", "p2"}


WRITE_BATCHES = """
    import datetime as dt, sys
    from pathlib import Path
    from weekwatch.store.db import Store
    from weekwatch.store.model import Material
    store = Store(Path(sys.argv[1]))
    batch = store.get_meta("batch", 0)
    at = dt.datetime(2024, 5, 13, tzinfo=dt.timezone.utc)
    while True:
        batch += 1
        store.put_materials(
            Material(key=f"f{j:04d}", path=f"单位/稿件{j}.doc", sha256=f"{batch:064d}",
                     size=j, mtime_ns=batch, received_at=at, unit="u", kind="report",
                     cell=None)
            for j in range(2000)
        )
        store.set_meta("batch", batch)
        print(batch, flush=True)
"""


def test_a_kill_at_any_instant_leaves_a_whole_batch(tmp_path: Path) -> None:
    Store(tmp_path)
    rng = random.Random(20240513)
    for _ in range(10):
        child = run_child(WRITE_BATCHES, str(tmp_path))
        assert child.stdout is not None
        first = child.stdout.readline()  # one batch is in: the child is writing
        assert first, child.communicate()[1]
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        committed = int((first + out).split()[-1])

        store = Store(tmp_path)  # loads, and its first transaction sweeps temp files away
        mats = store.materials()
        batches = {m.sha256 for m in mats}
        assert len(mats) == 2000 and len(batches) == 1  # the whole of one batch, never a mix
        on_disk = int(batches.pop())
        # Every batch reported done is on disk; at most the one being written when killed is
        # there too (its materials replaced before its meta, or its print, could follow).
        assert committed <= on_disk <= committed + 1
        assert store.get_meta("batch") in (on_disk - 1, on_disk)
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    assert not (tmp_path / JOURNAL).exists()


def test_a_writer_killed_between_its_journal_and_its_renames_is_finished_by_the_next(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    a, b = mat("甲/稿件.doc", 1), mat("乙/稿件.doc", 2)
    assert shard_name(a.path) != shard_name(b.path)
    store.put_materials([a, b])
    # The damage: what a writer killed after writing its journal leaves — both new shards
    # written whole beside their targets, the journal naming them, one rename done.
    a2, b2 = mat(a.path, 5, sha256="2" * 64), mat(b.path, 6, sha256="2" * 64)
    pairs = []
    for m in (a2, b2):
        target = shard_file(tmp_path, m.path)
        tmp, _ = _write_temp(target, _encode({"materials": {m.key: m.to_dict()}}))
        pairs.append([tmp.name, target.name])
    (tmp_path / JOURNAL).write_bytes(_encode(pairs))
    os.replace(tmp_path / pairs[0][0], tmp_path / pairs[0][1])
    assert Store(tmp_path).materials() == [a2, b2]  # the open's transaction finished it
    assert not (tmp_path / JOURNAL).exists()
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    # Killed before its journal: only temp files, swept; the shards as they were.
    target = shard_file(tmp_path, a.path)
    _write_temp(target, _encode({"materials": {a.key: a.to_dict()}}))
    store = Store(tmp_path)
    assert store.materials() == [a2, b2]
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    # A journal that names a file outside the database is refused, and nothing is renamed.
    (tmp_path / JOURNAL).write_bytes(_encode([["../units.json", "units.json"]]))
    with pytest.raises(WeekwatchError, match="commit.journal"):
        Store(tmp_path)


def test_a_write_of_many_shards_that_fails_for_one_leaves_every_shard_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weekwatch.store import atomic

    store = Store(tmp_path)
    first = [mat(f"单位{i}/稿件.doc", i) for i in range(40)]
    store.put_materials(first)
    shards = sorted(p.name for p in tmp_path.glob("materials.*.json"))
    assert len(shards) > 10  # written at once, several at a time
    before = {name: (tmp_path / name).read_bytes() for name in shards}
    doomed = shard_file(tmp_path, first[7].path)
    real = atomic.write_temp

    def write(path: Path, payload: bytes) -> tuple[Path, tuple[int, int, int]]:
        if path == doomed:  # the disk full for this one, while the others are written
            raise WeekwatchError(f"cannot write {path}: [Errno 28] No space left on device")
        return real(path, payload)

    monkeypatch.setattr(atomic, "write_temp", write)
    with pytest.raises(WeekwatchError, match="No space left"):
        store.put_materials([mat(m.path, 100 + i, sha256="3" * 64) for i, m in enumerate(first)])
    assert {name: (tmp_path / name).read_bytes() for name in shards} == before
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]  # the others' taken away
    assert not (tmp_path / JOURNAL).exists()
    monkeypatch.setattr(atomic, "write_temp", real)
    store.put_materials([mat(m.path, 100 + i, sha256="3" * 64) for i, m in enumerate(first)])
    assert {m.sha256 for m in Store(tmp_path).materials()} == {"3" * 64}


# -- damage, odd names, read-only -----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b'{"materials": {"a": {"pa', b"", b"\xff\xfe garbage", b"[1, 2]", b'{"materials": {"a": 1}}'],
    ids=["truncated", "empty", "not-utf8", "not-an-object", "not-documents"],
)
def test_a_damaged_file_is_reported_and_left_alone(tmp_path: Path, content: bytes) -> None:
    store = Store(tmp_path)
    store.put_materials([mat("a.doc")])
    path = shard_file(tmp_path, "a.doc")
    path.write_bytes(content)
    with pytest.raises(WeekwatchError, match=path.name):
        store.materials()
    with pytest.raises(WeekwatchError, match=path.name):
        Store(tmp_path).put_materials([mat("a.doc", 2)])
    assert path.read_bytes() == content
    store.add_action(act("a1"))  # the other tables still work
    assert Store(tmp_path).actions() == [act("a1")]


def test_surrogate_file_names_round_trip(tmp_path: Path) -> None:
    # A GBK name on a UTF-8 system decodes with lone surrogates (os.fsdecode surrogateescape).
    odd = "平职院/" + os.fsdecode("典型案例".encode("gbk")) + ".docx"
    assert any("\udc80" <= ch <= "\udcff" for ch in odd)
    m = mat(odd, key=odd)
    store = Store(tmp_path)
    store.put_materials([m, mat("舞钢/稿件.doc", 2)])
    assert Store(tmp_path).material(odd) == m
    assert os.fsencode(Store(tmp_path).materials()[0].path) == os.fsencode(odd)
    shard_file(tmp_path, odd).read_bytes().decode("utf-8")  # still valid UTF-8
    store.add_action(act("n1", data={"path": odd}))
    assert Store(tmp_path).actions()[0].data["path"] == odd


def test_read_only(tmp_path: Path) -> None:
    missing = tmp_path / "none"
    empty = Store(missing, read_only=True)
    assert not missing.exists()
    assert empty.units() == [] and empty.materials() == [] and empty.actions() == []

    Store(tmp_path).put_units([Unit("u1", "单位一")])
    ro = Store(tmp_path, read_only=True)
    assert ro.units() == [Unit("u1", "单位一")]
    before = sorted(os.listdir(tmp_path)), ro.stamp()
    writes = [
        lambda: ro.put_units([Unit("u2", "单位二")]),
        lambda: ro.put_materials([mat("a.doc")]),
        lambda: ro.add_action(act("a1")),
        lambda: ro.set_meta("k", 1),
        lambda: ro.transaction().__enter__(),
    ]
    for write in writes:
        with pytest.raises(WeekwatchError, match="read-only"):
            write()
    assert (sorted(os.listdir(tmp_path)), ro.stamp()) == before


def test_leftover_temp_files_are_swept_and_modes_kept(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_materials([mat("a.doc")])
    shard = shard_file(tmp_path, "a.doc")
    leftover = tmp_path / f".{shard.name}.tmp-999-deadbeef"
    leftover.write_text("half a batch")
    (tmp_path / "notes.txt").write_text("an operator's file")
    os.chmod(shard, 0o640)
    store.put_materials([mat("a.doc", 2)])
    assert not leftover.exists()
    assert (tmp_path / "notes.txt").exists()
    assert shard.stat().st_mode & 0o777 == 0o640


def test_bulk_writes_and_reads_keep_every_record(tmp_path: Path) -> None:
    # How long this takes is measured in bench/store.py, never asserted here.
    mats = [mat(f"单位{i % 50}/2024-05-13/典型案例_{i}.docx", i) for i in range(20_000)]
    store = Store(tmp_path)
    store.put_materials(mats)
    store.put_materials(mats)  # all present: the replace path
    assert len(Store(tmp_path).materials()) == 20_000


def test_store_does_not_import_textual() -> None:
    code = "import sys, weekwatch.store.db; print([m for m in sys.modules if 'textual' in m])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
