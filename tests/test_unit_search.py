"""Finding units as an operator types (`store/unit_search.py`): one row per way people ask."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from weekwatch.store.model import Unit
from weekwatch.store.unit_search import rank, spellings

ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "units.csv"


def demo_units() -> list[Unit]:
    """The demo's 37 units of 平顶山, as its roster lists them."""
    with ROSTER.open(encoding="utf-8") as f:
        return [
            Unit(r["id"], r["name"], tuple(a for a in r["aliases"].split(";") if a), r["type"])
            for r in csv.DictReader(f)
        ]


UNITS = demo_units()


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("pws", "pws"),  # an id, exactly
        ("平卫校", "pws"),  # an alias
        ("卫生学校", "pws"),  # part of the name
        ("weisheng", "pws"),  # pinyin in full: 卫生
        ("WeiSheng", "pws"),  # as a phone keyboard capitalises it
        ("pdswx", "pws"),  # initials, with gaps: 平顶山(市)卫生学校
        ("pdsjs", "pjs"),  # 平顶山技师学院's initials, a prefix
        ("wugang", "wugang"),
        ("舞钢", "wugang"),  # the bureau (alias 舞钢市) before 舞钢中等专业学校
        ("yexian", "yexian"),
        ("jishi", "pjs"),  # 技师: the shortest name holding it first
        ("技师学院", "pjs"),  # 平技院's alias 市技师学院 is longer; the shorter name wins
        ("ｐｗｓ", "pws"),  # full-width letters typed in a Chinese input method
        ("藝術學校", "pys"),  # traditional characters: 艺术学校
    ],
)
def test_best_match_first(query, best):
    assert rank(UNITS, query)[0].id == best


def test_several_matches_are_ranked_not_listed_in_roster_order():
    # 平煤神马技师学院 comes first in this roster, but the query is 平顶山技师学院's alias.
    units = [
        Unit("pmsm", "平煤神马技师学院", ("平煤技师学院",), "技师学院"),
        Unit("pjs", "平顶山技师学院", ("技师学院",), "技师学院"),
    ]
    assert [u.id for u in rank(units, "技师学院")] == ["pjs", "pmsm"]


def test_nothing_matches_and_an_empty_query_matches_all():
    assert rank(UNITS, "zzzz") == []
    assert rank(UNITS, "   ") == UNITS
    assert len(rank(UNITS, "", limit=5)) == 5


def test_full_pinyin_is_not_matched_letter_by_letter():
    # Scattered letters would find almost any name in its full pinyin; only whole runs count.
    full, _ = spellings("平顶山市卫生学校")
    assert "i" in full and "n" in full
    assert [u.id for u in rank([u for u in UNITS if u.id == "pws"], "inix")] == []


def test_spellings_of_a_name():
    assert spellings("卫生学校") == ("weishengxuexiao", "wsxx")
    assert spellings("第2中学") == ("di2zhongxue", "d2zx")
