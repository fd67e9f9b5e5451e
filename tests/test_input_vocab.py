"""What an operator types — cells, moments, units — read one way in the dashboard and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from weekwatch.fixtures.testweek import DASHBOARD_UNITS, NOW, TZ, UNITS, at
from weekwatch.store.config import init_workspace
from weekwatch.store.model import Event, Unit, WeekwatchError
from weekwatch.store.vocab import (
    InputError,
    cell_examples,
    find_unit,
    find_units,
    in_lang,
    moment_examples,
    parse_cell,
    parse_cells,
    parse_kind,
    parse_when,
)
from weekwatch.store.week import Week
from weekwatch.tui.cli import run

EVENT = Event(
    title="2024年职业教育活动周",
    start=dt.date(2024, 5, 12),
    day_themes=("学校日", "学生日", "教师日", "企业日", "", "", ""),
)


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ("plan", "plan"),
        ("Plan", "plan"),
        ("方案", "plan"),
        ("活动方案", "plan"),
        ("summary", "summary"),
        ("总结", "summary"),
        ("ＳＵＭＭＡＲＹ", "summary"),
        ("2024-05-14", "2024-05-14"),
        ("05-14", "2024-05-14"),  # the grid's own label
        ("5-14", "2024-05-14"),
        ("5/14", "2024-05-14"),
        ("5.14", "2024-05-14"),
        ("5月14日", "2024-05-14"),
        ("５月１４日", "2024-05-14"),
        ("5月14号", "2024-05-14"),
        ("2024年5月14日", "2024-05-14"),
        ("20240514", "2024-05-14"),
        ("3", "2024-05-14"),
        ("第3天", "2024-05-14"),
        ("day 3", "2024-05-14"),
        ("today", "2024-05-15"),
        ("今天", "2024-05-15"),
        ("Today", "2024-05-15"),
        ("昨天", "2024-05-14"),
        ("yesterday", "2024-05-14"),
        ("明天", "2024-05-16"),
        ("周三", "2024-05-15"),  # the grid's weekday line
        ("星期日", "2024-05-12"),
        ("Wed", "2024-05-15"),
        ("学生日", "2024-05-13"),  # the grid's theme line
    ],
)
def test_a_cell_as_the_grid_labels_it(typed: str, cell: str) -> None:
    assert parse_cell(typed, EVENT, NOW) == cell


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("9", "cell"),
        ("0", "cell"),
        ("05-20", "not_in_week"),  # a date, but after the week
        ("2023-05-14", "not_in_week"),
        ("2月30日", "not_in_week"),
        ("xyz", "cell"),
        ("", "cell"),
    ],
)
def test_a_cell_the_week_does_not_have(typed: str, code: str) -> None:
    with pytest.raises(InputError) as e:
        parse_cell(typed, EVENT, NOW)
    assert e.value.code == code
    # The examples are this week's: today's label, not a date of another year.
    assert "05-15" in str(e.value) and "1–7" in str(e.value)


@pytest.mark.parametrize(
    ("lang", "cells", "moments"),
    [
        (
            "zh",
            ("方案", "总结", "今天", "05-15", "1–7"),
            ("15:00", "今天 17:30", "05-15 12:00", "2024-05-15 下班前"),
        ),
        (
            "en",
            ("plan", "summary", "today", "05-15", "1–7"),
            ("15:00", "today 17:30", "05-15 12:00", "2024-05-15 下班前"),
        ),
    ],
)
def test_examples_speak_the_language_and_each_reads_back(lang, cells, moments) -> None:
    assert cell_examples(EVENT, NOW, lang) == cells
    assert moment_examples(EVENT, NOW, lang) == moments
    with pytest.raises(InputError) as e:
        parse_cell("9", EVENT, NOW)
    assert in_lang(e.value.examples, lang) == cells  # an error's examples, said in zh
    assert [parse_cell(c, EVENT, NOW) for c in cells[:4]] == [
        "plan",
        "summary",
        "2024-05-15",
        "2024-05-15",
    ]
    assert parse_when(moments[1], EVENT, NOW) == at(15, 17, 30)


def test_today_outside_the_week_is_refused_and_without_a_clock_unknown() -> None:
    with pytest.raises(InputError) as e:
        parse_cell("today", EVENT, at(20))
    assert e.value.code == "not_in_week"
    with pytest.raises(WeekwatchError):
        parse_cell("today", EVENT)


def test_several_cells() -> None:
    assert parse_cells("plan, 05-13，今天", EVENT, NOW) == ["plan", "2024-05-13", "2024-05-15"]


@pytest.mark.parametrize(
    ("typed", "moment"),
    [
        ("15:00", at(15, 15)),  # a bare time is today's
        ("１５：３０", at(15, 15, 30)),
        ("下午3点", at(15, 15)),
        ("下班前", at(15, 17, 30)),
        ("24:00", dt.datetime(2024, 5, 15, 23, 59, 59, tzinfo=TZ)),
        ("today 15:00", at(15, 15)),
        ("今天15:00", at(15, 15)),
        ("今天 15:00", at(15, 15)),
        ("明天 下班前", at(16, 17, 30)),
        ("tomorrow 9:00", at(16, 9)),
        ("05-16 12:00", at(16, 12)),
        ("5月16日12:00", at(16, 12)),
        ("5月16日 中午12点", at(16, 12)),
        ("2024-05-16 09:00", at(16, 9)),
        ("2024-05-16T09:00", at(16, 9)),
        ("2024-05-16T01:00Z", at(16, 9)),
        ("tomorrow", dt.datetime(2024, 5, 16, 23, 59, 59, tzinfo=TZ)),  # a day alone: its end
        ("5月20日", dt.datetime(2024, 5, 20, 23, 59, 59, tzinfo=TZ)),  # after the week: fine
        ("2024年5月19日下班前", at(19, 17, 30)),
    ],
)
def test_a_moment_as_the_operator_types_it(typed: str, moment: dt.datetime) -> None:
    assert parse_when(typed, EVENT, NOW) == moment


@pytest.mark.parametrize("typed", ["25:00", "next week", "", "15:61", "today 25:00"])
def test_a_moment_that_is_not_one(typed: str) -> None:
    with pytest.raises(InputError) as e:
        parse_when(typed, EVENT, NOW)
    assert e.value.code == "moment"
    assert "05-15 12:00" in str(e.value)  # an example from this week


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("xinhua", "xinhua"),
        ("XINHUA", "xinhua"),
        ("新华区教育体育局", "xinhua"),
        ("新华区", "xinhua"),
        ("平职院", "pzy"),
        ("平頂山職業技術學院", "pzy"),  # traditional characters
        ("舞钢", "wugang"),
        ("舞钢市", "wugang"),  # inside one name only
        ("卫东区教育", "weidong"),
    ],
)
def test_a_unit_by_id_name_or_alias(typed: str, unit: str) -> None:
    assert find_unit(DASHBOARD_UNITS, typed).id == unit


def test_a_unit_typed_too_short_names_the_candidates() -> None:
    with pytest.raises(InputError) as e:
        find_unit(DASHBOARD_UNITS, "教育体育局")
    assert e.value.code == "ambiguous"
    assert "新华区教育体育局" in e.value.candidates and "卫东区教育体育局" in e.value.candidates
    with pytest.raises(InputError) as e:
        find_unit(DASHBOARD_UNITS, "叶县")
    assert e.value.code == "unit"


def test_an_exact_alias_wins_over_a_longer_name_holding_it() -> None:
    units = [Unit("jz", "九中", ()), Unit("sjz", "第十九中学", ())]
    assert find_unit(units, "九中").id == "jz"


def test_several_units() -> None:
    assert [u.id for u in find_units(UNITS, "舞钢市、平职院, 舞钢市")] == ["wugang", "pzy"]


# ---------------------------------------------------------------------------- in the CLI


def _call(ws, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = run(["-w", str(ws.root), "--operator", "小王", *args])
    except WeekwatchError as e:
        return 2, "", str(e)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_cli_reads_the_grid_labels_and_unit_names(ws, capsys) -> None:
    assert _call(ws, capsys, "excuse", "舞钢市", "05-13", "--reason", "停电")[0] == 0
    assert _call(ws, capsys, "excuse", "平職院", "第2天", "--reason", "同上")[0] == 0
    assert _call(ws, capsys, "note", "宝丰县", "方案", "已交纸质版")[0] == 0
    log = json.loads(_call(ws, capsys, "log", "--json")[1])
    assert [(r["unit"], r["cell"]) for r in log] == [
        ("wugang", "2024-05-13"),
        ("pzy", "2024-05-13"),
        ("baofeng", "plan"),
    ]


def test_the_cli_reads_today_and_a_bare_time_on_the_real_clock(tmp_path, capsys) -> None:
    # A week that holds today: `today` and `15:00` are read on the machine's clock.
    today = dt.datetime.now(TZ).date()
    ws = init_workspace(tmp_path / "w", title="周", start=today - dt.timedelta(days=2))
    Week(ws).store.put_units(list(UNITS))
    assert _call(ws, capsys, "extend", "宝丰县", "today", "--until", "15:00")[0] == 0
    assert _call(ws, capsys, "excuse", "舞钢市", "今天", "--reason", "停电")[0] == 0
    log = json.loads(_call(ws, capsys, "log", "--json")[1])
    assert [(r["unit"], r["cell"]) for r in log] == [
        ("baofeng", today.isoformat()),
        ("wugang", today.isoformat()),
    ]
    until = dt.datetime.fromisoformat(log[0]["data"]["until"])
    assert until == dt.datetime.combine(today, dt.time(15), tzinfo=TZ)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("excuse", "舞钢市", "05-20", "--reason", "x"), "not a day of the week"),
        (("excuse", "教育体育局", "05-13", "--reason", "x"), "several units"),
        (("extend", "舞钢市", "05-13", "--until", "25:00"), "--until"),
    ],
)
def test_the_cli_refuses_in_one_line(ws, capsys, args, says) -> None:
    code, _, err = _call(ws, capsys, *args)
    assert code == 2 and says in err and "\n" not in err.strip()


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("photo", "photo"),
        ("Photo", "photo"),
        ("照片", "photo"),
        ("图片", "photo"),
        ("典型案例", "case"),
        ("活动方案", "plan"),
        ("信息采集表", "info_form"),
        ("宣传专栏链接", "column_link"),
        ("新闻稿", "report"),
        ("情况统计表", "statistics"),
        ("總結", "summary"),  # traditional, as seed 002 writes
    ],
)
def test_a_kind_as_typed(typed: str, kind: str) -> None:
    assert parse_kind(typed) == kind


@pytest.mark.parametrize("typed", ["相片", "xyz", ""])
def test_a_kind_that_is_none(typed: str) -> None:
    with pytest.raises(InputError) as e:
        parse_kind(typed)
    assert e.value.code == "kind" and "photo" in str(e.value)
