"""The bundled demo: its roster, its week of drops, and the reading rules held to every drop."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from weekwatch.fixtures.drops import (
    CASES,
    EPOCH,
    Drop,
    demo_dir,
    load_demo_event,
    plan_drops,
    write_drop,
    write_drops,
)
from weekwatch.store.config import load_config
from weekwatch.store.reading import Reader
from weekwatch.store.roster import read_roster

EVENT, UNITS = load_demo_event()
DROPS = plan_drops(EVENT, UNITS)


def ns(moment: dt.datetime) -> int:
    return (moment - EPOCH) // dt.timedelta(microseconds=1) * 1000


# --- the roster and the event ------------------------------------------------------------------


def test_roster_loads_with_unique_ids_and_liaisons() -> None:
    assert len(UNITS) >= 30
    ids = [u.id for u in UNITS]
    assert len(set(ids)) == len(ids)
    for u in UNITS:
        assert re.fullmatch(r"[a-z][a-z0-9]*", u.id), u.id
        assert u.name and u.aliases and u.type and u.region, u
        assert u.liaison_name and re.fullmatch(r"138\d{8}", u.liaison_phone), u
        assert "@" in u.liaison_email, u
    kinds = {"县市区教体局", "开发区农社局", "高职院校", "中职学校", "技师学院"}
    assert {u.type for u in UNITS} == kinds


def test_names_overlap_only_in_the_one_deliberate_case() -> None:
    """A name or alias inside another unit's name is allowed once: 汝州 in 汝州职业技术学院."""
    overlaps = {
        (a.id, x, b.id, y)
        for a in UNITS
        for b in UNITS
        if a is not b
        for x in (a.name, *a.aliases)
        for y in (b.name, *b.aliases)
        if x in y
    }
    assert overlaps == {("ruzhou", "汝州", "rzzy", "汝州职业技术学院")}


def test_demo_files_read_the_same_by_the_store() -> None:
    """The demo reads its files itself; a workspace reads them through config and roster."""
    assert load_config(demo_dir() / "weekwatch.toml").event == EVENT
    assert read_roster(demo_dir() / "units.csv") == UNITS
    assert EVENT.start == dt.date(2024, 5, 12) and EVENT.days == 7
    assert len(EVENT.day_themes) == 7
    assert EVENT.plan_deadline == EVENT.at(EVENT.start, dt.time(12, 0))


# --- the planned week --------------------------------------------------------------------------


def test_plan_is_deterministic_for_a_seed() -> None:
    assert plan_drops(EVENT, UNITS, seed=7) == DROPS
    assert plan_drops(EVENT, UNITS, seed=8) != DROPS


def test_every_case_is_exercised() -> None:
    cases = Counter(d.case for d in DROPS)
    assert set(cases) == set(CASES)
    assert 200 <= len(DROPS) <= 800
    assert cases["on_time"] > cases["late"] > 5


def test_arrivals_span_the_week_sorted_and_aware() -> None:
    earliest = EVENT.at(EVENT.start - dt.timedelta(days=3), dt.time(0, 0))
    latest = EVENT.at(EVENT.end + dt.timedelta(days=10), dt.time(0, 0))
    assert all(earliest <= d.arrival <= latest for d in DROPS)
    assert all(d.arrival.tzinfo == EVENT.tz for d in DROPS)
    assert [d.arrival for d in DROPS] == sorted(d.arrival for d in DROPS)
    # Plans come before the week, summaries after it.
    assert any(d.arrival.date() < EVENT.start for d in DROPS if d.expect_cell == "plan")
    assert all(d.arrival.date() > EVENT.end for d in DROPS if d.expect_cell == "summary")


def test_relpaths_are_unique_and_safe_file_names() -> None:
    paths = [d.relpath for d in DROPS]
    assert len(set(paths)) == len(paths)
    for p in paths:
        assert "\0" not in p and not p.startswith("/")
        assert all(part not in ("", ".", "..") for part in p.split("/")), p
    assert "[bold]宝丰县[/]简报.docx" in paths and "report[/].pdf" in paths


def test_contents_are_unique_except_deliberate_duplicates() -> None:
    first: dict[bytes, Drop] = {}
    for d in DROPS:
        if d.case == "empty":
            assert d.content == b""
            continue
        assert 0 < len(d.content) <= 1024
        if d.case == "duplicate":
            earlier = first[d.content]
            assert earlier.expect_unit == d.expect_unit and earlier.arrival < d.arrival
            assert earlier.relpath != d.relpath
        else:
            assert d.content not in first, d.relpath
            first[d.content] = d


def test_some_units_send_nothing_on_some_days() -> None:
    sent = {(d.expect_unit, d.expect_cell) for d in DROPS}
    columns = EVENT.columns
    missing = [(u.id, c) for u in UNITS for c in columns if (u.id, c) not in sent]
    assert 5 <= len(missing) <= len(UNITS) * len(columns) // 5
    today = EVENT.dates[3].isoformat()  # the demo's "today"
    assert any(c == today for _, c in missing)


# --- the key check: the reading rules place every drop as expected -----------------------------


@pytest.mark.parametrize(
    ("seed", "shift"),
    [(7, 0), (11, 0), (7, 230)],  # 230 days on, the week runs over New Year
)
def test_reading_rules_place_every_drop(seed: int, shift: int) -> None:
    event = EVENT.shifted(shift)
    reader = Reader(event, UNITS)
    wrong = []
    for d in plan_drops(event, UNITS, seed):
        got = reader.read(d.relpath, d.arrival)
        quarantined = d.expect_unit is None or d.expect_cell is None
        if (
            got.unit != d.expect_unit
            or (got.quarantine is not None) != quarantined
            or (not quarantined and got.cell != d.expect_cell)
        ):
            wrong.append(
                f"{d.case}: {d.relpath!r} expected {d.expect_unit}/{d.expect_cell}, read {got}"
            )
    assert not wrong, "\n".join(wrong)


# --- writing drops -----------------------------------------------------------------------------


def test_write_drops_writes_real_files_with_their_arrival_as_mtime(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    noon = EVENT.at(EVENT.start, EVENT.daily_deadline)
    written = write_drops(inbox, DROPS, until=noon)
    assert written == [d for d in DROPS if d.arrival <= noon]
    for d in DROPS:
        path = inbox.joinpath(*d.relpath.split("/"))
        if d.arrival > noon:
            assert not path.exists()
            continue
        st = path.stat()  # before reading: a read may move atime
        assert st.st_mtime_ns == ns(d.arrival) and st.st_atime_ns == ns(d.arrival)
        assert path.read_bytes() == d.content
    assert not [p for p in inbox.rglob(".*")], "temporary files left behind"


def test_write_drops_skips_existing_files_and_never_overwrites(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    theirs = DROPS[-1]
    target = inbox.joinpath(*theirs.relpath.split("/"))
    target.parent.mkdir(parents=True)
    target.write_bytes(b"the operator's own file")
    first = write_drops(inbox, DROPS)
    assert theirs not in first and len(first) == len(DROPS) - 1
    assert target.read_bytes() == b"the operator's own file"
    assert write_drops(inbox, DROPS) == []
    assert write_drop(inbox, theirs) == target
    assert target.read_bytes() == b"the operator's own file"
    count = sum(1 for p in inbox.rglob("*") if p.is_file())
    assert count == len(DROPS)


def test_write_drop_refuses_paths_leaving_the_inbox(tmp_path: Path) -> None:
    drop = Drop("../escape.docx", b"x", DROPS[0].arrival, None, None, "no_unit")
    with pytest.raises(ValueError):
        write_drop(tmp_path / "inbox", drop)
    assert os.listdir(tmp_path) == []
