"""What each unit owes: the cell rules for all-of, any, not owed and weekdays-only columns.

One row per (obligation shape × moment × arrivals), the expected state and lacking kinds written
out by hand. Judged through `rules.board`, the path every screen and report takes.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.ledger import fold
from weekwatch.store.model import Action, Event, Material, Obligations, Unit
from weekwatch.store.rules import board, owes

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    """Day `day` of May 2024, wall clock in Shanghai."""
    return dt.datetime(2024, 5, day, hh, mm, tzinfo=TZ)


# Seed 002's week: 12 (a Sunday) – 18 May 2024; plan by 12:00 on the 12th, days by 12:00,
# summary by 17:30 on the 19th.
BASE = dict(
    title="2024年职业教育活动周",
    start=dt.date(2024, 5, 12),
    plan_deadline=at(12, 12),
    summary_deadline=at(19, 17, 30),
)
SHAPES = {
    "all-of": Obligations(
        plan_requires=("plan", "info_form"),
        days_requires=("report", "photo"),
        summary_requires=("summary", "statistics"),
    ),
    "any": Obligations(),
    # junior schools owe only the summary
    "not-owed": Obligations(groups=(("junior-school", ("summary",)),)),
    "weekdays": Obligations(days=tuple(dt.date(2024, 5, d) for d in range(13, 18))),
}
SCHOOL = "junior-school"

# (shape, unit type, column, arrivals [(kind, when)], moment, state, lacking)
# fmt: off
ROWS = [
    # --- all-of: the plan needs the plan and the information form by 12:00 on the 12th
    ("all-of", "", "plan", [("plan", at(12, 9)), ("info_form", at(12, 10))], at(12, 11),
     "on_time", []),
    ("all-of", "", "plan", [("plan", at(12, 9))], at(12, 11), "due", ["info_form"]),
    ("all-of", "", "plan", [("plan", at(12, 9)), ("info_form", at(12, 13))], at(12, 11),
     "due", ["info_form"]),
    ("all-of", "", "plan", [("plan", at(12, 9)), ("info_form", at(12, 10))], at(12, 12),
     "on_time", []),
    ("all-of", "", "plan", [("info_form", at(12, 9))], at(12, 12), "due", ["plan"]),
    ("all-of", "", "plan", [("plan", at(12, 9)), ("info_form", at(12, 13))], at(12, 12),
     "due", ["info_form"]),
    ("all-of", "", "plan", [("plan", at(12, 9)), ("info_form", at(12, 10))], at(12, 14),
     "on_time", []),
    ("all-of", "", "plan", [("plan", at(12, 9))], at(12, 14), "missing", ["info_form"]),
    ("all-of", "", "plan", [("plan", at(12, 9)), ("info_form", at(12, 13))], at(12, 14),
     "late", []),
    # two plans are still one kind: the form is what is lacking
    ("all-of", "", "plan", [("plan", at(12, 9)), ("plan", at(12, 10))], at(12, 14),
     "missing", ["info_form"]),
    ("all-of", "", "plan", [], at(12, 14), "missing", ["plan", "info_form"]),
    # a day needs a report and a photo by noon
    ("all-of", "", "2024-05-14", [("report", at(14, 9)), ("photo", at(14, 11))], at(14, 11, 30),
     "on_time", []),
    ("all-of", "", "2024-05-14", [("photo", at(14, 9))], at(14, 11, 30), "due", ["report"]),
    ("all-of", "", "2024-05-14", [("photo", at(14, 9))], at(14, 12), "due", ["report"]),
    ("all-of", "", "2024-05-14", [("photo", at(14, 9))], at(14, 12, 1), "missing", ["report"]),
    ("all-of", "", "2024-05-14", [("photo", at(14, 9)), ("report", at(14, 15))], at(14, 16),
     "late", []),
    ("all-of", "", "2024-05-14", [], at(13, 20), "future", ["report", "photo"]),
    # the summary needs the summary and the statistics table by 17:30 on the 19th
    ("all-of", "", "summary", [("summary", at(19, 9))], at(19, 17), "due", ["statistics"]),
    ("all-of", "", "summary", [("summary", at(19, 9)), ("statistics", at(19, 17, 30))],
     at(19, 17, 30), "on_time", []),
    ("all-of", "", "summary", [("summary", at(19, 9))], at(19, 18), "missing", ["statistics"]),
    ("all-of", "", "summary", [("summary", at(19, 9)), ("statistics", at(20, 9))], at(20, 10),
     "late", []),
    # --- any (the default, today's behaviour): the first material completes the cell
    ("any", "", "plan", [("plan", at(12, 9))], at(12, 11), "on_time", []),
    ("any", "", "plan", [], at(12, 11), "due", ["any"]),
    ("any", "", "plan", [("info_form", at(12, 13))], at(12, 11), "due", ["any"]),
    ("any", "", "plan", [("info_form", at(12, 9))], at(12, 12), "on_time", []),
    ("any", "", "plan", [], at(12, 12), "due", ["any"]),
    ("any", "", "plan", [("info_form", at(12, 13))], at(12, 12), "due", ["any"]),
    ("any", "", "plan", [("plan", at(12, 9))], at(12, 14), "on_time", []),
    ("any", "", "plan", [], at(12, 14), "missing", ["any"]),
    ("any", "", "plan", [("info_form", at(12, 13))], at(12, 14), "late", []),
    ("any", "", "summary", [("statistics", at(19, 9))], at(19, 18), "on_time", []),
    # --- not owed: a junior school owes the summary only; files still count, never judged
    ("not-owed", SCHOOL, "plan", [], at(12, 11), "not_required", []),
    ("not-owed", SCHOOL, "plan", [], at(12, 14), "not_required", []),
    ("not-owed", SCHOOL, "plan", [("plan", at(12, 13))], at(12, 14), "not_required", []),
    ("not-owed", SCHOOL, "2024-05-14", [], at(13, 20), "not_required", []),
    ("not-owed", SCHOOL, "2024-05-14", [], at(14, 12), "not_required", []),
    ("not-owed", SCHOOL, "2024-05-14", [], at(14, 13), "not_required", []),
    ("not-owed", SCHOOL, "summary", [], at(19, 17), "due", ["any"]),
    ("not-owed", SCHOOL, "summary", [], at(19, 18), "missing", ["any"]),
    ("not-owed", SCHOOL, "summary", [("summary", at(19, 18))], at(19, 19), "late", []),
    ("not-owed", "Junior-School ", "plan", [], at(12, 14), "not_required", []),  # case, blanks
    ("not-owed", "county-bureau", "plan", [], at(12, 14), "missing", ["any"]),  # not listed
    # --- weekdays only: Sunday the 12th and Saturday the 18th are owed by nobody
    ("weekdays", "", "2024-05-12", [], at(12, 11), "not_required", []),
    ("weekdays", "", "2024-05-12", [], at(12, 13), "not_required", []),
    ("weekdays", "", "2024-05-12", [("photo", at(12, 9))], at(12, 13), "not_required", []),
    ("weekdays", "", "2024-05-18", [], at(18, 13), "not_required", []),
    ("weekdays", "", "2024-05-13", [], at(13, 11), "due", ["any"]),
    ("weekdays", "", "2024-05-13", [], at(13, 12), "due", ["any"]),
    ("weekdays", "", "2024-05-13", [], at(13, 13), "missing", ["any"]),
    ("weekdays", "", "2024-05-13", [("photo", at(13, 9))], at(13, 13), "on_time", []),
    ("weekdays", "", "2024-05-13", [("photo", at(13, 12, 30))], at(13, 13), "late", []),
    ("weekdays", "", "plan", [], at(12, 13), "missing", ["any"]),  # the plan is still owed
]
# fmt: on


def _mat(i: int, unit: str, column: str, kind: str, when: dt.datetime) -> Material:
    return Material(
        key=f"f{i}",
        path=f"f{i}",
        sha256=f"sha{i}",
        size=1,
        mtime_ns=0,
        received_at=when,
        unit=unit,
        kind=kind,
        cell=column,
    )


@pytest.mark.parametrize(
    ("shape", "unit_type", "column", "arrivals", "now", "state", "lacking"), ROWS
)
def test_obligation_shapes(shape, unit_type, column, arrivals, now, state, lacking):
    event = Event(**BASE, obligations=SHAPES[shape])
    unit = Unit("u1", "某单位", type=unit_type)
    mats = [_mat(i, "u1", column, k, w) for i, (k, w) in enumerate(arrivals)]
    cell = board(event, [unit], mats, fold([]), now).cell("u1", column)
    assert (cell.state, list(cell.lacking)) == (state, lacking)
    assert cell.count == sum(1 for _, w in arrivals if w <= now)


def test_a_half_sent_cell_knows_how_much_of_it_arrived():
    event = Event(**BASE, obligations=SHAPES["all-of"])
    mats = [_mat(1, "u1", "summary", "summary", at(19, 9))]
    cell = board(event, [Unit("u1", "某单位")], mats, fold([]), at(19, 18)).cell("u1", "summary")
    assert (cell.have, cell.need, cell.partial) == (1, 2, True)
    nothing = board(event, [Unit("u1", "某单位")], [], fold([]), at(19, 18)).cell("u1", "summary")
    assert (nothing.have, nothing.need, nothing.partial) == (0, 2, False)


def test_an_excuse_keeps_what_is_lacking_and_not_owed_wins_over_an_excuse():
    event = Event(**BASE, obligations=SHAPES["not-owed"])
    excuse = [
        Action("a1", "excuse", "op", at(12, 8), "u1", "plan", {"reason": "停电"}),
        Action("a2", "excuse", "op", at(12, 8), "u2", "plan", {"reason": "停电"}),
    ]
    units = [Unit("u1", "初中", type=SCHOOL), Unit("u2", "县局", type="county-bureau")]
    b = board(event, units, [], fold(excuse), at(12, 14))
    assert b.cell("u1", "plan").state == "not_required"
    assert (b.cell("u2", "plan").state, b.cell("u2", "plan").lacking) == ("excused", ("any",))


def test_not_owed_cells_count_in_no_total():
    event = Event(**BASE, obligations=SHAPES["not-owed"])
    units = [
        Unit("a", "九中", type=SCHOOL),
        Unit("b", "十中", type=SCHOOL),
        Unit("c", "舞钢市教体局", type="county-bureau"),
    ]
    b = board(event, units, [], fold([]), at(14, 13))
    assert b.totals("2024-05-14") == {"missing": 1, "not_required": 2}
    assert b.owing("2024-05-14") == 1 and b.owing("summary") == 3


def test_star_sets_what_unlisted_types_owe():
    ob = Obligations(groups=(("county-bureau", ("plan", "days", "summary")),), others=("summary",))
    event = Event(**BASE, obligations=ob)
    assert owes(event, "county-bureau", "2024-05-14")
    assert not owes(event, "higher-vocational", "2024-05-14")
    assert not owes(event, "", "plan")
    assert owes(event, "", "summary")
    # a date in [groups] owes that day only
    one_day = Event(**BASE, obligations=Obligations(others=("2024-05-13",)))
    assert owes(one_day, "x", "2024-05-13") and not owes(one_day, "x", "2024-05-14")


def test_shifting_an_event_moves_its_owed_days():
    ob = Obligations(days=(dt.date(2024, 5, 13),), others=("summary", "2024-05-14"))
    moved = Event(**BASE, obligations=ob).shifted(10)
    assert moved.obligations.days == (dt.date(2024, 5, 23),)
    assert moved.obligations.others == ("summary", "2024-05-24")
