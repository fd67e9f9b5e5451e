"""The materials table in shards: a schema-2 workspace (one materials.json) opened by today's
weekwatch, on the real database `data/before_obligations/` was written as."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from weekwatch.store.db import MATERIAL_FILES, SCHEMA_VERSION, Store, _encode, shard_name
from weekwatch.tui.cli import run

DATA = Path(__file__).parent / "data" / "before_obligations" / "workspace"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    shutil.copytree(DATA, root)
    assert json.loads((root / ".weekwatch" / "meta.json").read_text())["meta"] == {
        "schema_version": {"value": 2}
    }
    return root


def files(dbdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dbdir.iterdir()) if p.is_file()}


def shards(dbdir: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name in MATERIAL_FILES[1:]:
        path = dbdir / f"{name}.json"
        if path.exists():
            for key, doc in json.loads(path.read_bytes())["materials"].items():
                assert shard_name((doc.get("within") or [doc["path"]])[0]) == name
                out[key] = doc
    return out


def test_a_schema2_database_is_read_as_it_is_then_moved_into_shards_on_open(old: Path) -> None:
    dbdir = old / ".weekwatch"
    legacy = json.loads((dbdir / "materials.json").read_bytes())["materials"]
    assert len(legacy) > 10
    before = files(dbdir)
    seen = Store(dbdir, read_only=True).materials()  # a read-only look writes nothing
    assert files(dbdir) == before and len(seen) == len(legacy)

    store = Store(dbdir)
    assert store.get_meta("schema_version") == SCHEMA_VERSION == 3
    assert not (dbdir / "materials.json").exists()
    assert shards(dbdir) == legacy  # every record, unchanged, each in its own shard
    assert store.materials() == seen == Store(dbdir, read_only=True).materials()
    again = files(dbdir)
    Store(dbdir)  # opened again: nothing more to do
    assert files(dbdir) == again


def test_a_move_cut_short_after_the_version_was_written_is_finished(old: Path) -> None:
    dbdir = old / ".weekwatch"
    legacy = json.loads((dbdir / "materials.json").read_bytes())["materials"]
    seen = Store(dbdir, read_only=True).materials()
    # The damage: the version written, the old file still there, and a record already moved
    # and rewritten since (its shard holds the newer copy).
    key, doc = next(iter(legacy.items()))
    newer = {**doc, "mtime_ns": doc["mtime_ns"] + 1}
    shard = dbdir / f"{shard_name(doc['path'])}.json"
    shard.write_bytes(_encode({"materials": {key: newer}}))
    (dbdir / "meta.json").write_bytes(_encode({"meta": {"schema_version": {"value": 3}}}))
    assert len(Store(dbdir, read_only=True).materials()) == len(legacy)  # read through both
    Store(dbdir)
    assert not (dbdir / "materials.json").exists()
    assert shards(dbdir) == {**legacy, key: newer}
    assert [m.key for m in Store(dbdir).materials()] == [m.key for m in seen]


def test_the_commands_work_on_a_schema2_workspace(old: Path, capsys) -> None:
    assert run(["-w", str(old), "materials", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (old / ".weekwatch" / "materials.json").exists()  # read-only: left as it was
    unit = next(iter(json.loads((old / ".weekwatch" / "units.json").read_bytes())["units"]))
    assert run(["-w", str(old), "note", unit, "已电话提醒"]) == 0  # a writer's open moves them
    assert not (old / ".weekwatch" / "materials.json").exists()
    capsys.readouterr()
    assert run(["-w", str(old), "materials", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert {os.path.basename(p) for p in os.listdir(old / ".weekwatch")} >= {
        f"{shard_name(row['path'].split('!')[0].split('#')[0])}.json" for row in first
    }
