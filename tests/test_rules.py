"""The cell rules, one row per situation an operator meets."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weekwatch.fixtures.testweek import at
from weekwatch.store.ledger import fold
from weekwatch.store.model import Action, Event, Material, Unit
from weekwatch.store.reasons import Code, Quarantine
from weekwatch.store.rules import Credit, board, cell_state, deadline, place

TZ = ZoneInfo("Asia/Shanghai")
EVENT = Event(
    title="活动周",
    start=dt.date(2024, 5, 12),
    plan_deadline=dt.datetime(2024, 5, 12, 12, 0, tzinfo=TZ),
    summary_deadline=dt.datetime(2024, 5, 25, 18, 0, tzinfo=TZ),
)


@pytest.mark.parametrize(
    ("column", "arrivals", "now", "kw", "expected"),
    [
        # a day's column: before it begins, while open, after its noon deadline
        ("2024-05-14", [], at(13, 9), {}, ("future", 0)),
        ("2024-05-14", [], at(14, 0, 0), {}, ("due", 0)),
        ("2024-05-14", [], at(14, 11, 59), {}, ("due", 0)),
        ("2024-05-14", [], at(14, 12, 0), {}, ("due", 0)),  # the deadline itself has not passed
        ("2024-05-14", [], at(14, 12, 1), {}, ("missing", 0)),
        ("2024-05-14", [at(14, 9)], at(14, 10), {}, ("on_time", 1)),
        ("2024-05-14", [at(14, 12)], at(14, 13), {}, ("on_time", 1)),  # by the deadline
        ("2024-05-14", [at(14, 12, 1)], at(14, 13), {}, ("late", 1)),
        ("2024-05-14", [at(14, 13), at(14, 9)], at(14, 14), {}, ("on_time", 2)),
        ("2024-05-14", [at(14, 13), at(14, 15)], at(14, 16), {}, ("late", 2)),
        # a file sent before the day began is on time for it
        ("2024-05-14", [at(13, 20)], at(13, 21), {}, ("on_time", 1)),
        # looking back: what had not arrived yet does not count
        ("2024-05-14", [at(14, 9)], at(14, 8), {}, ("due", 0)),
        ("2024-05-14", [at(14, 15)], at(14, 13), {}, ("missing", 0)),
        # operator decisions
        ("2024-05-14", [], at(14, 15), {"excused": True}, ("excused", 0)),
        ("2024-05-14", [at(14, 9)], at(14, 15), {"excused": True}, ("excused", 1)),
        ("2024-05-14", [], at(14, 15), {"extension": at(14, 18)}, ("due", 0)),
        ("2024-05-14", [at(14, 17)], at(14, 18), {"extension": at(14, 18)}, ("on_time", 1)),
        ("2024-05-14", [], at(14, 19), {"extension": at(14, 18)}, ("missing", 0)),
        # the plan column is never future
        ("plan", [], at(1, 9), {}, ("due", 0)),
        ("plan", [], at(12, 12, 30), {}, ("missing", 0)),
        ("plan", [at(10, 9)], at(12, 13), {}, ("on_time", 1)),
        # the summary column opens when the last day begins
        ("summary", [], at(17, 23), {}, ("future", 0)),
        ("summary", [], at(18, 0), {}, ("due", 0)),
        ("summary", [], at(25, 18, 1), {}, ("missing", 0)),
        ("summary", [at(26, 9)], at(26, 10), {}, ("late", 1)),
    ],
)
def test_cell_state(column, arrivals, now, kw, expected):
    s = cell_state(EVENT, column, arrivals, now, **kw)
    assert (s.state, s.count) == expected


def test_deadlines_are_wall_clock_in_the_event_zone():
    assert deadline(EVENT, "2024-05-13") == at(13, 12)
    assert deadline(EVENT, "2024-05-13").utcoffset() == dt.timedelta(hours=8)
    assert deadline(EVENT, "plan") == at(12, 12)
    assert deadline(EVENT, "summary") == at(25, 18)


def mat(path, unit, cell, when, sha="a", **kw) -> Material:
    return Material(
        key=path,
        path=path,
        sha256=sha,
        size=10,
        mtime_ns=0,
        received_at=when,
        unit=unit,
        kind=kw.pop("kind", "report"),
        cell=cell,
        **kw,
    )


def act(i, type_, unit=None, cell=None, when=None, **data) -> Action:
    return Action(
        id=f"a{i}",
        type=type_,
        operator="op",
        at=when or at(14, 8, i),
        unit=unit,
        cell=cell,
        data=data,
    )


UNITS = [Unit("wg", "舞钢市"), Unit("bf", "宝丰县")]


def test_duplicates_are_listed_not_counted_and_the_earliest_is_the_original():
    mats = [
        mat("b.doc", "wg", "2024-05-14", at(14, 9), sha="x"),
        mat("a.doc", "wg", "2024-05-14", at(14, 9), sha="x"),  # same moment: path breaks the tie
        mat("c.doc", "wg", "2024-05-14", at(14, 13), sha="x"),
        mat("d.doc", "bf", "2024-05-14", at(14, 10), sha="x"),  # another unit's copy is its own
    ]
    placed = {p.material.path: p for p in place(EVENT, mats, fold([]))}
    assert placed["a.doc"].duplicate_of is None
    assert placed["b.doc"].duplicate_of == "a.doc"
    assert placed["c.doc"].duplicate_of == "a.doc"
    assert placed["d.doc"].duplicate_of is None
    b = board(EVENT, UNITS, mats, fold([]), at(14, 14))
    assert b.cell("wg", "2024-05-14").count == 1
    assert b.cell("bf", "2024-05-14").count == 1


def test_files_of_one_cell_on_time_share_their_credit_and_a_copy_has_its_own():
    # One credit tuple per cell and lateness, not one per file (100,000 files at scale).
    mats = [
        mat("a.doc", "wg", "2024-05-14", at(14, 9), sha="a"),
        mat("b.doc", "wg", "2024-05-14", at(14, 10), sha="b"),
        mat("c.doc", "wg", "2024-05-14", at(14, 11), sha="a"),  # a copy of a.doc
        mat("d.doc", "wg", "2024-05-14", at(15, 13), sha="d"),  # late
        mat("e.doc", "wg", "2024-05-14", at(15, 14), sha="e"),  # late
    ]
    placed = {p.material.path: p for p in place(EVENT, mats, fold([]))}
    assert placed["a.doc"].credits is placed["b.doc"].credits
    assert placed["a.doc"].credits == (Credit("wg", "2024-05-14", False, None),)
    assert placed["c.doc"].credits == (Credit("wg", "2024-05-14", False, "a.doc"),)
    assert placed["d.doc"].credits is placed["e.doc"].credits
    assert placed["d.doc"].credits == (Credit("wg", "2024-05-14", True, None),)


def test_superseded_and_quarantined_materials_do_not_count():
    mats = [
        mat("a.doc@old", "wg", "2024-05-14", at(14, 9), superseded=True),
        mat("q.doc", None, "2024-05-14", at(14, 9), quarantine=Quarantine.of(Code.NO_UNIT)),
    ]
    b = board(EVENT, UNITS, mats, fold([]), at(14, 14))
    assert b.cell("wg", "2024-05-14").state == "missing"
    assert [p.material.path for p in b.quarantined] == ["q.doc"]


def test_assignment_places_a_quarantined_file_and_undo_takes_it_back():
    mats = [mat("q.doc", None, "2024-05-14", at(14, 9), quarantine=Quarantine.of(Code.NO_UNIT))]
    assign = act(1, "assign", "wg", "2024-05-14", path="q.doc")
    b = board(EVENT, UNITS, mats, fold([assign]), at(14, 14))
    assert b.cell("wg", "2024-05-14").state == "on_time"
    assert b.quarantined == []
    undo = act(2, "undo", target="a1")
    b = board(EVENT, UNITS, mats, fold([assign, undo]), at(14, 14))
    assert b.cell("wg", "2024-05-14").state == "missing"
    # undoing the undo puts the assignment back; a third undo takes it away again
    redo = act(3, "undo", target="a2")
    assert fold([assign, undo, redo]).assignments.keys() == {"q.doc"}
    assert fold([assign, undo, redo, act(4, "undo", target="a3")]).assignments == {}


def test_extension_makes_a_late_file_on_time_and_excuse_overrides():
    mats = [mat("w.doc", "wg", "2024-05-14", at(14, 15))]
    ext = act(1, "extend", "wg", "2024-05-14", until=at(14, 16).isoformat())
    b = board(EVENT, UNITS, mats, fold([]), at(14, 17))
    assert b.cell("wg", "2024-05-14").state == "late"
    assert b.placed[0].late
    b = board(EVENT, UNITS, mats, fold([ext]), at(14, 17))
    assert b.cell("wg", "2024-05-14").state == "on_time"
    assert not b.placed[0].late
    exc = act(2, "excuse", "bf", "2024-05-14", reason="停电")
    b = board(EVENT, UNITS, mats, fold([ext, exc]), at(14, 17))
    assert b.cell("bf", "2024-05-14").state == "excused"


def test_actions_after_the_moment_are_not_in_force():
    exc = act(1, "excuse", "bf", "2024-05-14", when=at(14, 16), reason="停电")
    assert fold([exc], as_of=at(14, 15)).excuses == {}
    assert ("bf", "2024-05-14") in fold([exc], as_of=at(14, 16)).excuses


def test_totals_count_units_per_state():
    mats = [mat("w.doc", "wg", "2024-05-14", at(14, 9))]
    b = board(EVENT, UNITS, mats, fold([]), at(14, 13))
    assert b.totals("2024-05-14") == {"on_time": 1, "missing": 1}
