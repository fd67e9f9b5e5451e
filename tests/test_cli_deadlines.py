"""Deadlines through the command line: weeks set up with `init` flags as a notice states them,
real files dropped into the inbox, states read back from `status --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import TZ, UNITS, drop
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


def call(ws: Workspace, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    return code, capsys.readouterr().out


def init(tmp_path: Path, capsys, *flags: str) -> Workspace:
    root = tmp_path / "week"
    assert run(["init", str(root), *flags]) == 0
    capsys.readouterr()
    ws = Workspace(root)
    Week(ws).store.put_units(UNITS)
    return ws


def cells(ws: Workspace, capsys, as_of: str, *more: str) -> dict[str, dict[str, str]]:
    code, out = call(ws, capsys, "status", "--json", "--as-of", as_of, *more)
    assert code == 0
    return {
        u["id"]: {c: s["state"] for c, s in u["cells"].items()} for u in json.loads(out)["units"]
    }


def test_weifang_2020_plan_before_the_week_and_dates_alone(tmp_path, capsys):
    import datetime as dt

    ws = init(
        tmp_path,
        capsys,
        *("--title", "2020年潍坊市职业教育活动周", "--start", "2020-11-08"),
        *("--daily-deadline", "24:00", "--plan-deadline", "2020-11-07"),
        *("--summary-deadline", "2020-11-17"),
    )

    def when(d: int, h: int = 9, m: int = 0) -> dt.datetime:
        return dt.datetime(2020, 11, d, h, m, tzinfo=TZ)

    drop(ws, "舞钢市活动方案.docx", when(1), b"plan-a")  # a week before the week
    drop(ws, "宝丰县活动方案.docx", when(8, 8), b"plan-b")  # the morning the week begins
    drop(ws, "舞钢市/2020-11-10/稿件.docx", when(10, 23, 50), b"d3")
    drop(ws, "宝丰县/2020-11-10/稿件.docx", when(11, 0, 5), b"d3b")
    assert call(ws, capsys, "ingest")[0] == 0

    c = cells(ws, capsys, "2020-11-02 12:00")
    assert (c["wugang"]["plan"], c["baofeng"]["plan"]) == ("on_time", "due")
    c = cells(ws, capsys, "2020-11-07")  # the end of 7 November
    assert c["baofeng"]["plan"] == "due"
    c = cells(ws, capsys, "2020-11-08 12:00")
    assert (c["wugang"]["plan"], c["baofeng"]["plan"], c["pzy"]["plan"]) == (
        "on_time",
        "late",
        "missing",
    )
    c = cells(ws, capsys, "2020-11-10 24:00")
    assert (c["wugang"]["2020-11-10"], c["baofeng"]["2020-11-10"]) == ("on_time", "due")
    c = cells(ws, capsys, "2020-11-11 08:00")
    assert (c["wugang"]["2020-11-10"], c["baofeng"]["2020-11-10"], c["pzy"]["2020-11-10"]) == (
        "on_time",
        "late",
        "missing",
    )
    assert cells(ws, capsys, "2020-11-17")["pzy"]["summary"] == "due"
    assert cells(ws, capsys, "2020-11-18 00:00")["pzy"]["summary"] == "missing"


def test_next_day_noon_a_day_3_file_at_11_and_at_13_on_day_4(ws, tmp_path, capsys):
    # the conftest week is seed 002's: 12–18 May 2024, now with 每天中午12:00前 read as next day
    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(
        text.replace('daily_deadline = "12:00"', 'daily_deadline = "次日12:00"'), encoding="utf-8"
    )
    import datetime as dt

    drop(ws, "舞钢市_5月14日_照片.jpg", dt.datetime(2024, 5, 15, 11, tzinfo=TZ), b"a")
    drop(ws, "平职院_5月14日_照片.jpg", dt.datetime(2024, 5, 15, 13, tzinfo=TZ), b"b")
    call(ws, capsys, "ingest")
    c = cells(ws, capsys, "2024-05-15 11:30")
    assert (c["wugang"]["2024-05-14"], c["pzy"]["2024-05-14"]) == ("on_time", "due")
    c = cells(ws, capsys, "2024-05-15 14:00")
    assert (c["wugang"]["2024-05-14"], c["pzy"]["2024-05-14"], c["baofeng"]["2024-05-14"]) == (
        "on_time",
        "late",
        "missing",
    )
    mats = {m["path"]: m for m in json.loads(call(ws, capsys, "materials", "--json")[1])}
    assert mats["舞钢市_5月14日_照片.jpg"]["late"] is False
    assert mats["平职院_5月14日_照片.jpg"]["late"] is True


def test_a_summary_only_week(tmp_path, capsys):
    import datetime as dt

    ws = init(
        tmp_path,
        capsys,
        *("--title", "平顶山市2021年职业教育活动周", "--start", "2021-05-22"),
        *("--plan-deadline", "none", "--daily-deadline", "none"),
        *("--summary-deadline", "2021-06-02"),
    )
    drop(ws, "舞钢市/2021-05-24/照片.jpg", dt.datetime(2021, 5, 24, 10, tzinfo=TZ), b"p")
    drop(ws, "舞钢市活动周总结.docx", dt.datetime(2021, 6, 1, 10, tzinfo=TZ), b"s")
    call(ws, capsys, "ingest")
    c = cells(ws, capsys, "2021-06-03 09:00")
    for unit in ("wugang", "baofeng", "pzy"):
        assert {c[unit][col] for col in c[unit] if col != "summary"} == {"not_required"}
    assert (c["wugang"]["summary"], c["baofeng"]["summary"]) == ("on_time", "missing")
    code, out = call(ws, capsys, "status", "--json", "--as-of", "2021-06-03")
    photo = json.loads(out)["units"][0]["cells"]["2021-05-24"]
    assert (photo["state"], photo["count"]) == ("not_required", 1)  # it landed, and counts
    missing = cells(ws, capsys, "2021-05-25 13:00", "--only", "missing")
    assert missing == {}  # nothing is missing in the week itself
    r = cli(ws, "status", "--as-of", "2021-06-03")
    assert r.returncode == 0 and "—" in r.stdout


def test_dates_alone_and_24_00_in_every_command_taking_a_moment(ws, capsys, monkeypatch):
    st = json.loads(call(ws, capsys, "status", "--json", "--as-of", "2024-05-13")[1])
    assert st["as_of"] == "2024-05-13T23:59:59+08:00"
    st = json.loads(call(ws, capsys, "status", "--json", "--as-of", "2024-05-13 24:00")[1])
    assert st["as_of"] == "2024-05-13T23:59:59+08:00"
    assert call(ws, capsys, "extend", "wugang", "2", "--until", "2024-05-20")[0] == 0
    assert call(ws, capsys, "extend", "pzy", "2", "--until", "2024-05-21 24:00")[0] == 0
    assert call(ws, capsys, "extend", "baofeng", "2", "--until", "2024-05-19 下班前")[0] == 0
    assert call(ws, capsys, "contact", "pzy", "已电话", "--promised-by", "2024-05-14")[0] == 0
    log = json.loads(call(ws, capsys, "log", "--json")[1])
    assert [r["data"].get("until") or r["data"].get("promised_by") for r in log] == [
        "2024-05-20T23:59:59+08:00",
        "2024-05-21T23:59:59+08:00",
        "2024-05-19T17:30:00+08:00",
        "2024-05-14T23:59:59+08:00",
    ]
    # assign --received: a date alone is the end of that day (a file mailed on the 13th)
    import datetime as dt

    drop(ws, "舞钢市/活动照片.jpg", dt.datetime(2024, 5, 16, 8, 30, tzinfo=TZ), b"photo")
    drop(ws, "宝丰县/活动照片.jpg", dt.datetime(2024, 5, 16, 8, 30, tzinfo=TZ), b"photo2")
    call(ws, capsys, "ingest")
    for path, when in (
        ("舞钢市/活动照片.jpg", "2024-05-13"),
        ("宝丰县/活动照片.jpg", "2024-05-13 24:00"),
    ):
        code, _ = call(ws, capsys, "assign", path, "--received", when, "--reason", "邮件当天到")
        assert code == 0
    log = json.loads(call(ws, capsys, "log", "--json")[1])
    assert [r["data"]["received"] for r in log[-2:]] == ["2024-05-13T23:59:59+08:00"] * 2
    # the dashboard's look-back reads the same forms
    seen = {}

    class Stub:
        return_code = 0

        def run(self) -> None:
            pass

    def make_app(ws, **kw):
        seen.update(kw)
        return Stub()

    import weekwatch.tui.app as app_module

    monkeypatch.setattr(app_module, "make_app", make_app)
    assert run(["-w", str(ws.root), "--as-of", "2024-05-13"]) == 0
    assert seen["as_of"].isoformat() == "2024-05-13T23:59:59+08:00"
    assert run(["-w", str(ws.root), "tui", "--as-of", "2024-05-13 24:00"]) == 0
    assert seen["as_of"].isoformat() == "2024-05-13T23:59:59+08:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--daily-deadline", "25:00"], "--daily-deadline: '25:00' is not a time of day"),
        (
            ["--daily-deadline", ""],
            '--daily-deadline: is empty; write a time like 12:00, or "none"',
        ),
        (["--daily-deadline", "+9d 12:00"], "--daily-deadline: '+9d 12:00'"),
        (["--plan-deadline", "2024-02-30"], "--plan-deadline: '2024-02-30' is not a real date"),
        (["--plan-deadline", "next week"], "--plan-deadline: 'next week' is not a date and time"),
        (["--plan-deadline", "{ days_before = 1 }"], "--plan-deadline: unknown key 'days_before'"),
        (["--plan-deadline", "{ days_before_start = -1 }"], "--plan-deadline: days_before_start"),
        (["--plan-deadline", "{ oops"], "--plan-deadline: '{ oops' is not a table"),
        (
            ["--summary-deadline", '{ days_after_end = 7, at = "25:00" }'],
            "--summary-deadline: at: '25:00' is not a time of day",
        ),
        (
            ["--summary-deadline", "2024-05-01"],
            "--summary-deadline: 2024-05-01 23:59 is before the last day of the week begins",
        ),
        (["--workday-end", "25:00"], "--workday-end: '25:00' is not a time of day"),
        (["--days", "0"], "--days: must be between 1 and 31"),
        (["--timezone", "Mars/Olympus"], "--timezone: unknown time zone"),
    ],
)
def test_bad_init_flags_name_the_flag(tmp_path, args, message):
    root = tmp_path / "week"
    r = cli(Workspace(root), "init", str(root), "--title", "x", "--start", "2024-05-12", *args)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"weekwatch: {message}"), r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "weekwatch.toml" not in r.stderr
    assert not root.exists()


def test_a_year_without_a_holiday_table_names_the_years_known(tmp_path):
    root = tmp_path / "week"
    r = cli(
        Workspace(root),
        *("init", str(root), "--title", "x", "--start", "2117-05-08"),
        *("--summary-deadline", "{ workdays_after_end = 3 }"),
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--summary-deadline: 2117-05-15: China's working days are known for 2004–" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extend", "wugang", "2", "--until", "2024-05-32"], "--until: '2024-05-32'"),
        (["contact", "pzy", "x", "--promised-by", "soon"], "--promised-by: 'soon'"),
        (["status", "--as-of", "2024-05-13 24:30"], "--as-of: '2024-05-13 24:30'"),
        (["--as-of", "last week"], "--as-of: 'last week'"),
    ],
)
def test_bad_moments_name_the_flag(ws, args, message):
    r = cli(ws, *args)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"weekwatch: {message}"), r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
