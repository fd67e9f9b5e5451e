"""The headless commands end to end: real workspace, real files, real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.tui.cli import run


def cli(ws, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def call(ws, capsys, *args: str):
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    out = capsys.readouterr().out
    return code, out


def test_ingest_materials_and_status_json(ws, capsys):
    drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13, 10), b"case")
    drop(ws, "平职院_5月13日_照片.jpg", at(13, 14), b"photo")  # after noon: late
    drop(ws, "平职院_5月13日_照片 (1).jpg", at(13, 15), b"photo")  # same bytes: duplicate
    drop(ws, "不知道是谁.pdf", at(13, 9), b"??")
    drop(ws, "宝丰县活动方案.docx", at(11, 9), b"")  # empty
    drop(ws, ".~lock.x.docx#", data=b"lock")  # ignored, never listed
    assert call(ws, capsys, "ingest")[0] == 0

    code, out = call(ws, capsys, "materials", "--json")
    rows = {r["path"]: r for r in json.loads(out)}
    assert set(rows) == {
        "舞钢市/2024-05-13/典型案例.docx",
        "平职院_5月13日_照片.jpg",
        "平职院_5月13日_照片 (1).jpg",
        "不知道是谁.pdf",
        "宝丰县活动方案.docx",
    }
    case = rows["舞钢市/2024-05-13/典型案例.docx"]
    assert (case["unit"], case["cell"], case["kind"], case["late"]) == (
        "wugang",
        "2024-05-13",
        "case",
        False,
    )
    assert case["received_at"] == "2024-05-13T10:00:00+08:00"
    assert case["size"] == 4 and len(case["sha256"]) == 64 and case["quarantine"] is None
    assert rows["平职院_5月13日_照片.jpg"]["late"] is True
    assert rows["平职院_5月13日_照片 (1).jpg"]["duplicate_of"] == "平职院_5月13日_照片.jpg"
    assert rows["不知道是谁.pdf"]["quarantine"] and rows["不知道是谁.pdf"]["unit"] is None
    assert "empty" in rows["宝丰县活动方案.docx"]["quarantine"]

    code, out = call(ws, capsys, "status", "--json", "--as-of", "2024-05-13T16:00")
    st = json.loads(out)
    assert st["columns"][0] == "plan" and st["columns"][-1] == "summary" and len(st["columns"]) == 9
    assert st["as_of"] == "2024-05-13T16:00:00+08:00"
    cells = {u["id"]: u["cells"] for u in st["units"]}
    assert cells["wugang"]["2024-05-13"] == {"state": "on_time", "count": 1, "lacking": []}
    assert cells["pzy"]["2024-05-13"] == {"state": "late", "count": 1, "lacking": []}
    # under "any" (no [columns.*] requires), a cell with nothing yet lacks "any" material
    assert cells["baofeng"]["2024-05-13"] == {"state": "missing", "count": 0, "lacking": ["any"]}
    assert cells["baofeng"]["2024-05-14"] == {"state": "future", "count": 0, "lacking": ["any"]}
    # looking back to before the late photo arrived
    st = json.loads(call(ws, capsys, "status", "--json", "--as-of", "2024-05-13 13:30")[1])
    assert {u["id"]: u["cells"] for u in st["units"]}["pzy"]["2024-05-13"]["state"] == "missing"
    st = json.loads(
        call(ws, capsys, "status", "--json", "--as-of", "2024-05-13 16:00", "--only", "late")[1]
    )
    assert [u["id"] for u in st["units"]] == ["pzy"]


def test_operator_actions_are_logged_and_undoable(ws, capsys):
    drop(ws, "谁的稿件.docx", at(14, 9), b"r")
    call(ws, capsys, "ingest")
    assert call(ws, capsys, "excuse", "宝丰县", "3", "--reason", "停电")[0] == 0
    assert call(ws, capsys, "extend", "wugang", "2024-05-14", "--until", "2024-05-14 18:00")[0] == 0
    assert call(ws, capsys, "note", "pzy", "plan", "方案周一补交")[0] == 0
    assert (
        call(ws, capsys, "contact", "pzy", "已电话联系", "--promised-by", "2024-05-14T17:00")[0]
        == 0
    )
    assert call(ws, capsys, "assign", "谁的稿件.docx", "--unit", "平职院")[0] == 0
    log = json.loads(call(ws, capsys, "log", "--json")[1])
    assert [r["type"] for r in log] == ["excuse", "extend", "note", "contact", "assign"]
    assert all(r["operator"] == "小王" for r in log)
    assert log[0]["cell"] == "2024-05-14" and log[0]["data"]["reason"] == "停电"
    assert log[1]["data"]["until"] == "2024-05-14T18:00:00+08:00"
    assert log[2]["cell"] == "plan" and log[3]["cell"] is None

    st = json.loads(call(ws, capsys, "status", "--json", "--as-of", "2099-01-01T00:00")[1])
    cells = {u["id"]: u["cells"] for u in st["units"]}
    assert cells["baofeng"]["2024-05-14"]["state"] == "excused"
    # assigned, arrived 09:00
    assert cells["pzy"]["2024-05-14"] == {"state": "on_time", "count": 1, "lacking": []}
    mats = json.loads(call(ws, capsys, "materials", "--json")[1])
    assert mats[0]["unit"] == "pzy" and mats[0]["quarantine"] is None

    call(ws, capsys, "undo")  # takes back the assignment
    mats = json.loads(call(ws, capsys, "materials", "--json")[1])
    assert mats[0]["quarantine"] is not None
    log = json.loads(call(ws, capsys, "log", "--json")[1])
    assert log[-1]["type"] == "undo" and log[4]["undone"] is True and len(log) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["excuse", "nobody", "1", "--reason", "x"], "no unit 'nobody'"),
        (["excuse", "wugang", "9", "--reason", "x"], "no column '9'"),
        (["extend", "wugang", "1", "--until", "next week"], "'next week'"),
        (["status", "--as-of", "25:00"], "'25:00'"),
        (["assign", "missing.pdf", "--unit", "wugang"], "no material"),
        (["undo"], "nothing to undo"),
        (["status", "--only", "missing,lost"], "unknown state lost"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(ws, args, message):
    r = cli(ws, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_malformed_config_and_roster_are_one_message(ws, tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_bytes("编号,单位名称\nx,舞钢\n".encode("utf-16"))
    r = cli(ws, "units", "import", str(bad))
    assert r.returncode == 2 and "units.csv" in r.stderr and "Traceback" not in r.stderr
    ws.config.write_text(
        '[event]\ntitle = "x"\nstart = 2024-05-12\ntimezone = "Mars/Olympus"\n', "utf-8"
    )
    r = cli(ws, "status")
    assert r.returncode == 2 and "Mars/Olympus" in r.stderr and "Traceback" not in r.stderr
    ws.config.write_text("[event\n", "utf-8")
    r = cli(ws, "status")
    assert r.returncode == 2 and "weekwatch.toml" in r.stderr and "Traceback" not in r.stderr


def test_roster_import_updates_by_id_without_touching_materials(ws, tmp_path, capsys):
    drop(ws, "舞钢市/5.13 简报.docx", at(13, 9), b"r")
    call(ws, capsys, "ingest")
    roster = tmp_path / "r.csv"
    roster.write_text(
        "编号,单位名称,简称,类型,区域,联系人,联系电话,邮箱\n"
        "wugang,舞钢市教育体育局,舞钢市、舞钢,县市区教体局,舞钢市,李娜,13900000000,l@example.com\n"
        "ruzhou,汝州市教育体育局,汝州市,县市区教体局,汝州市,,,\n",
        encoding="gb18030",
    )
    code, out = call(ws, capsys, "units", "import", str(roster))
    assert code == 0 and "1 units added, 1 updated" in out
    units = {u["id"]: u for u in json.loads(call(ws, capsys, "units", "list", "--json")[1])}
    assert units["wugang"]["liaison_name"] == "李娜" and units["wugang"]["aliases"] == [
        "舞钢市",
        "舞钢",
    ]
    assert list(units) == ["wugang", "baofeng", "pzy", "ruzhou"]  # roster order kept
    mats = json.loads(call(ws, capsys, "materials", "--json")[1])
    assert [(m["unit"], m["cell"]) for m in mats] == [("wugang", "2024-05-13")]


def test_workspace_is_found_from_a_subfolder(ws):
    r = subprocess.run(
        [sys.executable, "-m", "weekwatch", "units", "list"],
        cwd=ws.inbox,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "WEEKWATCH_WORKSPACE"},
    )
    assert r.returncode == 0 and "wugang" in r.stdout


def test_status_table_reads_without_colour(ws):
    drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13, 10), b"case")
    assert cli(ws, "ingest").returncode == 0
    r = cli(ws, "status", "--as-of", "2024-05-13 13:00")
    assert r.returncode == 0 and "\x1b[" not in r.stdout
    line = next(ln for ln in r.stdout.splitlines() if "舞钢市" in ln)
    assert "✓1" in line and "✗" in line and "·" in line


def test_hostile_names_never_reach_the_terminal_raw(ws):
    drop(ws, "舞钢市/\x1b[31m红\x1b[0m_简报_5.13.docx", at(13, 9), b"a")
    drop(ws, "宝丰县/\u202egpj.exe_照片_5.13.jpg", at(13, 9), b"b")
    drop(ws, "[bold]平职院[/]_5.13_稿件.docx", at(13, 9), b"c")
    assert cli(ws, "ingest").returncode == 0
    out = cli(ws, "materials").stdout
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[31m红" in out and "\\u202egpj.exe" in out and "[bold]平职院[/]" in out
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert {r["unit"] for r in rows} == {"wugang", "baofeng", "pzy"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False, None, None)),
        (["--read-only", "--lang", "zh"], (None, True, None, "zh")),
        (
            ["tui", "--read-only", "--as-of", "2024-05-13 12:00"],
            ("tui", True, "2024-05-13 12:00", None),
        ),
        (["--lang", "en", "tui"], ("tui", False, None, "en")),
        (["demo", "--lang", "zh"], ("demo", False, None, "zh")),
    ],
)
def test_dashboard_options_work_with_or_without_the_tui_word(argv, expected):
    from weekwatch.tui.cli_args import parse

    a = parse(argv)
    assert (a.command, a.read_only, a.as_of, a.lang) == expected
