"""`--actions until|all`: a look back shows the board exactly as it was (until), or applies every
decision recorded since to the cells up to that moment (all: the final figures).

The story (seed 003's): a power cut on a day of the week, reported late. The excuse, an
extension and the placing of a quarantined file are all recorded on 19 May, after the week.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import at, clock_at, drop
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import run


def cli(ws: Workspace, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def late_decisions(ws: Workspace) -> Workspace:
    drop(ws, "不知道是谁.pdf", at(13, 10), b"?")  # quarantined: no unit in the name
    assert run(["-w", str(ws.root), "ingest"]) == 0
    week = Week(ws, clock=clock_at(at(19, 10)))
    week.excuse("baofeng", "2024-05-13", "停电，19日补报", operator="小王")
    week.extend("wugang", "2024-05-14", at(20, 18), operator="小王")
    week.assign("不知道是谁.pdf", ["pzy"], ["2024-05-13"], operator="小王")
    return ws


def states(ws: Workspace, capsys, *args: str) -> dict:
    capsys.readouterr()
    assert run(["-w", str(ws.root), "status", "--json", *args]) == 0
    doc = json.loads(capsys.readouterr().out)
    cells = {u["id"]: {c: s["state"] for c, s in u["cells"].items()} for u in doc["units"]}
    return {"actions": doc.get("actions", "until"), "cells": cells}


def test_status_as_of_under_until_and_all(late_decisions, capsys):
    ws = late_decisions
    until = states(ws, capsys, "--as-of", "2024-05-17")
    assert until["actions"] == "until"  # the default, left unsaid in the JSON
    c = until["cells"]
    assert (c["baofeng"]["2024-05-13"], c["wugang"]["2024-05-14"], c["pzy"]["2024-05-13"]) == (
        "missing",
        "missing",
        "missing",
    )
    every = states(ws, capsys, "--as-of", "2024-05-17", "--actions", "all")
    assert every["actions"] == "all"
    c = every["cells"]
    assert (c["baofeng"]["2024-05-13"], c["wugang"]["2024-05-14"], c["pzy"]["2024-05-13"]) == (
        "excused",
        "due",  # extended to 20 May 18:00: not missing on the 17th
        "on_time",  # the file placed on the 19th arrived on the 13th at 10:00
    )
    # the cells no decision touched are the same either way
    assert until["cells"]["wugang"]["2024-05-13"] == every["cells"]["wugang"]["2024-05-13"]
    # and after the decisions, both read the same
    after_until = states(ws, capsys, "--as-of", "2024-05-19 12:00")["cells"]
    after_all = states(ws, capsys, "--as-of", "2024-05-19 12:00", "--actions", "all")["cells"]
    assert after_until == after_all


def test_the_title_row_says_which(late_decisions):
    r = cli(late_decisions, "status", "--as-of", "2024-05-17")
    assert r.returncode == 0 and "decisions until then" in " ".join(r.stdout.split())
    r = cli(late_decisions, "status", "--as-of", "2024-05-17", "--actions", "all")
    assert r.returncode == 0 and "with every later decision" in " ".join(r.stdout.split())


def test_a_bad_actions_value_is_one_message(late_decisions):
    r = cli(late_decisions, "status", "--actions", "some")
    assert r.returncode == 2 and "--actions" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


async def test_the_dashboards_look_back_under_all(late_decisions, app_for, settle):
    app = app_for(late_decisions, as_of=at(17, 12), actions="all")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "as of 2024-05-17 12:00, with later decisions" in app.query_one("#header").text.plain
        assert app.dashboard.board.cell("baofeng", "2024-05-13").state == "excused"
        assert app.dashboard.grid.get_cell("baofeng", "2024-05-13").plain == "E"
    app = app_for(late_decisions, as_of=at(17, 12))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        header = app.query_one("#header").text.plain
        assert "as of 2024-05-17 12:00" in header and "later decisions" not in header
        assert app.dashboard.board.cell("baofeng", "2024-05-13").state == "missing"


def report(ws: Workspace, capsys, *args: str) -> str:
    capsys.readouterr()
    assert run(["-w", str(ws.root), "report", *args]) == 0
    return capsys.readouterr().out


def test_report_stats_as_of_with_an_excuse_recorded_later(late_decisions, capsys):
    ws = late_decisions

    def baofeng(*args: str) -> tuple[str, dict]:
        doc = json.loads(
            report(ws, capsys, "stats", "--as-of", "2024-05-17", "--format", "json", *args)
        )
        return doc["actions"], next(u for u in doc["units"] if u["id"] == "baofeng")["days"]

    # By hand: by the end of the 17th, days 12–17 are judged (6 days); 宝丰县 sent nothing.
    # all (the default of stats): the excuse recorded on the 19th applies to the 13th.
    assert baofeng() == ("all", {"on_time": 0, "late": 0, "missing": 5, "excused": 1})
    until = {"on_time": 0, "late": 0, "missing": 6, "excused": 0}
    assert baofeng("--actions", "until") == ("until", until)
    for fmt in ("text", "md"):
        first = report(ws, capsys, "stats", "--as-of", "2024-05-17", "--format", fmt).splitlines()[
            0
        ]
        assert "截至 2024-05-17 23:59" in first and "含此后的决定" in first
    out = report(ws, capsys, "stats", "--as-of", "2024-05-17", "--actions", "until", "--lang", "en")
    assert out.splitlines()[0].endswith("as of 2024-05-17 23:59 · decisions until then")


DEFAULTS = [("calls", "until"), ("day", "until"), ("actions", "until"), ("stats", "all")]


@pytest.mark.parametrize(("name", "default"), DEFAULTS)
def test_every_report_takes_actions_and_says_its_default(late_decisions, capsys, name, default):
    out = report(late_decisions, capsys, name, "--as-of", "2024-05-17", "--lang", "en")
    words = {"until": "decisions until then", "all": "with every later decision"}
    head = " ".join(out.splitlines()[:3])  # the day's digest says it on its third line
    assert words[default] in head and words["until" if default == "all" else "all"] not in head


def test_the_action_log_as_of_a_moment_under_until_and_all(late_decisions, capsys):
    # The three decisions were recorded on the 19th: not in the log as of the 17th, unless all.
    args = ("actions", "--as-of", "2024-05-17", "--format", "json")
    assert json.loads(report(late_decisions, capsys, *args)) == []
    got = json.loads(report(late_decisions, capsys, *args, "--actions", "all"))
    assert sorted(a["action"] for a in got) == ["assign", "excuse", "extend"]
