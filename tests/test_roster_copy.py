"""The roster's copy kept beside units.json (store/db.py `ROSTER_COPY`, store/derived.py): a
process that finds it current reads the very records units.json holds, in roster order; made
from another units.json, torn or tampered with, it is not trusted, and a damaged units.json is
still reported as damaged."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.testweek import UNITS, empty_workspace
from weekwatch.store import atomic
from weekwatch.store.db import ROSTER_COPY, Store
from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.week import Week

# The liaison sheet of seed 002 (a Wuxi college, traditional characters), as records.
SEED_002 = [
    Unit("ysxy", "藝術設計學院", ("藝設學院",), "二級學院", "", "吳蘇玲", "13900000001"),
    Unit("jdxy", "機電工程學院", ("機電學院",), "二級學院", "", "王強", "13900000002"),
    Unit("xxxy", "信息工程學院", ("信息學院",), "二級學院", "", "李華", "13900000003"),
    Unit("qcxy", "汽车工程学院", ("汽车学院",), "二级学院", "", "孙磊", "13900000005"),
]


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The table files a process parsed (atomic.load), by name."""
    seen: list[str] = []
    real = atomic.load

    def counted(path, table):
        seen.append(path.name)
        return real(path, table)

    monkeypatch.setattr("weekwatch.store.tables.load", counted)
    return seen


def _records(store: Store) -> list[tuple[str, dict]]:
    return [(k, dict(d)) for k, d in store.roster()]


def test_a_kept_copy_gives_the_records_units_json_holds_in_order(tmp_path, parses):
    ws = empty_workspace(tmp_path / "w", [*UNITS, *SEED_002])
    (ws.dbdir / ROSTER_COPY).unlink(missing_ok=True)
    before = parses.count("units.json")
    first = _records(Store(ws.dbdir))  # made from units.json, and kept
    assert (ws.dbdir / ROSTER_COPY).exists() and parses.count("units.json") == before + 1
    again = Store(ws.dbdir)
    assert _records(again) == first
    assert parses.count("units.json") == before + 1  # the copy served it
    assert [u.id for u in again.units()] == [u.id for u in [*UNITS, *SEED_002]]
    assert again.units() == [*UNITS, *SEED_002]
    assert again.unit_record("jdxy") == dict(first)["jdxy"]


def test_units_written_since_make_the_copy_stale(tmp_path, parses):
    ws = empty_workspace(tmp_path / "w", UNITS)
    old = Store(ws.dbdir)
    assert [k for k, _ in old.roster()] == [u.id for u in UNITS]
    Store(ws.dbdir).put_units(SEED_002)  # another process imports a roster
    ids = [u.id for u in [*UNITS, *SEED_002]]
    assert [k for k, _ in old.roster()] == ids
    assert [k for k, _ in Store(ws.dbdir).roster()] == ids
    assert Week(ws).find_unit("機電學院").id == "jdxy"


def test_a_transaction_reads_its_own_units_not_the_copy(tmp_path):
    ws = empty_workspace(tmp_path / "w", UNITS)
    store = Store(ws.dbdir)
    store.roster()
    with store.transaction():
        store.put_units(SEED_002[:1])
        assert [k for k, _ in store.roster()][-1] == "ysxy"
        assert store.unit_record("ysxy") is not None
    assert [k for k, _ in Store(ws.dbdir).roster()][-1] == "ysxy"


@pytest.mark.parametrize("how", ["torn", "tampered", "empty"])
def test_a_damaged_copy_is_not_trusted(tmp_path, parses, how):
    ws = empty_workspace(tmp_path / "w", [*UNITS, *SEED_002])
    want = _records(Store(ws.dbdir))
    copy = ws.dbdir / ROSTER_COPY
    raw = copy.read_bytes()
    if how == "torn":
        copy.write_bytes(raw[: len(raw) // 2])
    elif how == "tampered":  # a unit's name changed in the copy: its checksum no longer holds
        i = raw.index("機電".encode())
        copy.write_bytes(raw[:i] + "机电".encode() + raw[i + len("機電".encode()) :])
    else:
        copy.write_bytes(b"")
    before = parses.count("units.json")
    assert _records(Store(ws.dbdir)) == want
    assert parses.count("units.json") == before + 1  # read from units.json, and kept again
    assert _records(Store(ws.dbdir)) == want and parses.count("units.json") == before + 1


def test_a_damaged_units_json_is_still_reported_whatever_the_copy_holds(tmp_path):
    ws = empty_workspace(tmp_path / "w", UNITS)
    Store(ws.dbdir).roster()  # a copy of the good roster kept
    (ws.dbdir / "units.json").write_bytes(b'{"units": {"wugang": ')  # damage first
    with pytest.raises(WeekwatchError, match="units.json is not readable JSON"):
        Store(ws.dbdir).roster()


def test_a_read_only_store_keeps_no_copy(tmp_path):
    ws = empty_workspace(tmp_path / "w", UNITS)
    (ws.dbdir / ROSTER_COPY).unlink(missing_ok=True)
    assert [k for k, _ in Store(ws.dbdir, read_only=True).roster()] == [u.id for u in UNITS]
    assert not (ws.dbdir / ROSTER_COPY).exists()
