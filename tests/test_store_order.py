"""The store's order of materials and each path's live record, kept as shards change (store/
shards.py) rather than made again from every record: always what a fresh read of the files gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from weekwatch.fixtures.damage import RunningWatcher
from weekwatch.fixtures.testweek import at, drop
from weekwatch.store import shards
from weekwatch.store.db import Store, _encode, shard_name
from weekwatch.store.model import Material
from weekwatch.store.week import Week

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2024, 5, 13, 9, 0, tzinfo=TZ)


def mat(path: str, i: int, **kw: object) -> Material:
    fields: dict = dict(
        key=path,
        path=path,
        sha256=f"{i:064x}",
        size=1000 + i,
        mtime_ns=1_715_560_000_000_000_000 + i,
        # Many records share a minute: the path, then the key, break the tie.
        received_at=T0 + dt.timedelta(minutes=i % 97),
        unit="wugang",
        kind="case",
        cell="2024-05-13",
    )
    fields.update(kw)
    return Material(**fields)


def fresh(dbdir: Path) -> tuple[list[Material], dict[str, Material]]:
    """What a store opened now reads: every record in order, and each path's live record."""
    mats = Store(dbdir, read_only=True).materials()
    return mats, {m.path: m for m in mats if not m.superseded}


def agrees(kept: Store, dbdir: Path) -> None:
    mats, live = fresh(dbdir)
    got = kept.materials()
    assert [m.key for m in got] == [m.key for m in mats]
    assert got == mats
    assert kept.live() == live
    order = [(m.received_at, m.path, m.key) for m in got]
    assert order == sorted(order)
    assert all(kept.material(m.key) == m for m in mats[:: max(1, len(mats) // 50)])


def test_the_kept_order_is_a_fresh_reads_after_every_kind_of_write(tmp_path: Path) -> None:
    dbdir = tmp_path / "db"
    writer = Store(dbdir)  # another process, as far as the files tell
    kept = Store(dbdir)
    first = [mat(f"舞钢市/5月13日/照片{i}.jpg", i) for i in range(600)]
    writer.put_materials(first)
    agrees(kept, dbdir)

    # A new arrival in one shard.
    writer.put_materials([mat("宝丰县_5月14日_简报.docx", 7)])
    agrees(kept, dbdir)
    # A rewrite: the old version superseded under its versioned key, the new one live.
    old = first[3]
    writer.put_materials(
        [
            dataclasses.replace(old, key=f"{old.path}@{old.sha256[:16]}", superseded=True),
            dataclasses.replace(old, sha256="f" * 64, received_at=T0 + dt.timedelta(hours=5)),
        ]
    )
    agrees(kept, dbdir)
    # Gone, moved in the order (an earlier arrival), re-placed in another cell.
    writer.put_materials(
        [
            dataclasses.replace(first[10], gone=True),
            dataclasses.replace(first[11], received_at=T0 - dt.timedelta(days=1)),
            dataclasses.replace(first[12], cell="2024-05-14"),
        ]
    )
    agrees(kept, dbdir)
    # Written through the kept store itself, then a batch too big to mend record by record.
    kept.put_materials([mat("平职院/总结.pdf", 3, kind="summary", cell="summary")])
    agrees(kept, dbdir)
    writer.put_materials(
        [mat(f"宝丰县/5月15日/照片{i}.jpg", i) for i in range(shards.MEND_MAX + 10)]
    )
    agrees(kept, dbdir)
    writer.put_materials([dataclasses.replace(first[20], origin={"from": "a@b.cn"})])
    agrees(kept, dbdir)


def test_a_read_inside_a_transaction_sees_its_own_writes_and_the_order_recovers(
    tmp_path: Path,
) -> None:
    dbdir = tmp_path / "db"
    kept = Store(dbdir)
    kept.put_materials([mat(f"a/{i}.jpg", i) for i in range(200)])
    agrees(kept, dbdir)
    with kept.transaction():
        kept.put_materials([mat("b/new.jpg", 1)])
        inside = kept.materials()
        assert "b/new.jpg" in kept.live() and "b/new.jpg" in [m.path for m in inside]
        # Another shard changes under the open transaction's view? Not possible: it holds
        # the lock. What it read is what it wrote.
    agrees(kept, dbdir)
    try:
        with kept.transaction():
            kept.put_materials([mat("b/rolled-back.jpg", 2)])
            assert "b/rolled-back.jpg" in kept.live()
            raise KeyError("abandon")
    except KeyError:
        pass
    assert "b/rolled-back.jpg" not in kept.live()
    agrees(kept, dbdir)


def test_a_hand_edited_shard_with_two_live_records_of_one_path(tmp_path: Path) -> None:
    dbdir = tmp_path / "db"
    kept = Store(dbdir)
    kept.put_materials([mat(f"a/{i}.jpg", i) for i in range(50)])
    agrees(kept, dbdir)
    # A record taken out of its shard by hand: no longer anyone's live record.
    taken = dbdir / f"{shard_name('a/7.jpg')}.json"
    data = json.loads(taken.read_bytes())
    del data["materials"]["a/7.jpg"]
    taken.write_bytes(_encode(data))
    agrees(kept, dbdir)
    assert "a/7.jpg" not in kept.live()
    # The damage: a second record of a/1.jpg under another key, neither superseded, later.
    path = "a/1.jpg"
    shard = dbdir / f"{shard_name(path)}.json"
    data = json.loads(shard.read_bytes())
    twin = mat(path, 1, key=f"{path}#twin", received_at=T0 + dt.timedelta(days=2))
    data["materials"][twin.key] = twin.to_dict()
    shard.write_bytes(_encode(data))
    agrees(kept, dbdir)
    assert kept.live()[path].key == twin.key  # the last in the order counts, as before
    kept.put_materials([mat("a/late.jpg", 60)])
    agrees(kept, dbdir)
    # Then the twin taken out again, and another record with it: neither is live any more.
    data = json.loads(shard.read_bytes())
    del data["materials"][twin.key]
    other = next(k for k in data["materials"] if k != path)
    del data["materials"][other]
    shard.write_bytes(_encode(data))
    agrees(kept, dbdir)
    assert kept.live()[path].key == path and other not in kept.live()


def test_the_watchers_store_agrees_with_a_fresh_one_and_the_board_judged_afresh(ws) -> None:
    week = Week(ws, clock=lambda: at(14, 9))
    with RunningWatcher(week, rescan_every=3600) as w:
        drop(ws, "舞钢市/5月13日/活动方案.docx", data=b"plan v1")
        drop(ws, "宝丰县_5月13日_新闻稿.docx", data=b"news")
        w.wait_for(lambda m: len(m) == 2)
        drop(ws, "舞钢市/5月13日/活动方案.docx", data=b"plan v2, corrected")
        w.wait_for(lambda m: any(x.superseded for x in week.store.materials()) and len(m) == 2)
        (ws.inbox / "宝丰县_5月13日_新闻稿.docx").unlink()
        w.wait_for(lambda m: m["宝丰县_5月13日_新闻稿.docx"].gone)
        drop(ws, "平职院/5月14日/简报.pdf", data=b"brief")
        w.wait_for(lambda m: "平职院/5月14日/简报.pdf" in m)
        agrees(week.store, ws.dbdir)
    again = Week(ws, clock=lambda: at(14, 9))
    assert week.board() == again.board()


def test_records_read_back_share_what_every_record_repeats(tmp_path: Path) -> None:
    # A province's week holds 100,000 records: the unit's id, the cell, the kind and the key
    # (nearly always the path) are held once, not once per record as the JSON decoder made
    # them; the records are equal to what was written all the same.
    dbdir = tmp_path / "db"
    written = [mat(f"舞钢市/5月13日/照片{i}.jpg", i) for i in range(200)]
    written.append(mat("舞钢市/5月13日/照片0.jpg", 0, key="舞钢市/5月13日/照片0.jpg@1"))
    Store(dbdir).put_materials(written)
    got = Store(dbdir, read_only=True).materials()
    assert sorted(got, key=lambda m: m.key) == sorted(written, key=lambda m: m.key)
    plain = [m for m in got if "@" not in m.key]
    assert all(m.key is m.path for m in plain)
    for field in ("unit", "cell", "kind", "origin"):
        assert len({id(getattr(m, field)) for m in got}) == 1, field
    versioned = next(m for m in got if "@" in m.key)
    assert versioned.key == "舞钢市/5月13日/照片0.jpg@1" and versioned.key is not versioned.path
