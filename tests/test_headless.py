"""The headless commands as an operator reads them: language, local times, names, a summary,
the cron line for today's column, --version and init --help."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.tui.cli import run


def call(ws, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    return code, capsys.readouterr().out


def cli(*args: str, ws=None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    if ws is not None:
        env["WEEKWATCH_WORKSPACE"] = str(ws.root)
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def acted(ws, capsys):
    """The test week with a file placed, one quarantined and a few actions recorded."""
    drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13, 10), b"case")
    drop(ws, "谁的稿件.docx", at(14, 9), b"r")
    call(ws, capsys, "ingest")
    call(ws, capsys, "excuse", "宝丰县", "2024-05-14", "--reason", "停电")
    call(ws, capsys, "extend", "wugang", "2024-05-14", "--until", "2024-05-14 18:00")
    call(ws, capsys, "contact", "pzy", "已电话联系", "--promised-by", "2024-05-14T17:00")
    return ws


def test_log_says_when_who_whom_and_what_in_words(acted, capsys):
    code, out = call(acted, capsys, "log")
    assert code == 0
    lines = out.splitlines()
    # Local time to the second, the operator, the unit's name, the action in words.
    assert re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  小王  宝丰县教育体育局 05-14  excused: 停电  \[", lines[0]
    ), lines[0]
    assert "舞钢市教育体育局 05-14  extended until 2024-05-14 18:00" in lines[1]
    assert "contacted: 已电话联系  promised by 2024-05-14 17:00" in lines[2]
    assert "+08:00" not in out and "baofeng" not in out  # no ISO offsets, no ids for units
    call(acted, capsys, "undo")
    out = call(acted, capsys, "log")[1]
    assert "took back the contact with" in out and "(undone)" in out.splitlines()[2]


def test_log_in_chinese(acted, capsys):
    out = call(acted, capsys, "log", "--lang", "zh")[1]
    assert "宝丰县教育体育局 05-14  免交：停电" in out
    assert "延期至 2024-05-14 18:00" in out and "承诺 2024-05-14 17:00 前" in out


@pytest.mark.parametrize("command", ["log", "materials", "status"])
def test_lang_before_the_command_counts_as_after_it(acted, capsys, command):
    """`weekwatch --lang zh log` as `weekwatch log --lang zh`: the command's own option must not
    put its default over the one given before the command's name."""
    args = [command]
    if command == "status":
        args += ["--as-of", "2024-05-15 13:00"]
    before = call_top(acted, capsys, "--lang", "zh", *args)
    after = call(acted, capsys, *args, "--lang", "zh")[1]
    assert before == after and before != call(acted, capsys, *args, "--lang", "en")[1]


def call_top(ws, capsys, *args: str) -> str:
    capsys.readouterr()
    assert run([*args[:2], "-w", str(ws.root), "--operator", "tester", *args[2:]]) == 0
    return capsys.readouterr().out


def test_lang_in_weekwatch_toml_is_the_default(acted, capsys):
    text = acted.config.read_text("utf-8")
    acted.config.write_text(text.replace("[event]\n", '[event]\nlang = "zh"\n', 1), "utf-8")
    assert "免交：停电" in call(acted, capsys, "log")[1]
    assert "待分拣：" in call(acted, capsys, "materials")[1]
    out = call(acted, capsys, "status", "--as-of", "2024-05-15 13:00")[1]
    assert "单位" in out and "方案" in out and "按时" in out
    assert "excused: 停电" in call(acted, capsys, "log", "--lang", "en")[1]  # the flag wins


def test_materials_in_both_languages(acted, capsys):
    en = call(acted, capsys, "materials")[1]
    assert "舞钢市/2024-05-13/典型案例.docx  →  舞钢市教育体育局 05-13 [case]" in en
    assert "2024-05-13 10:00:00" in en and "quarantine: " in en
    zh = call(acted, capsys, "materials", "--lang", "zh")[1]
    assert "→  舞钢市教育体育局 05-13 [典型案例]" in zh and "待分拣：" in zh


def test_status_ends_with_a_one_line_summary(acted, capsys):
    # The excuse was recorded now, after that moment: `--actions all` applies it then.
    out = call(acted, capsys, "status", "--as-of", "2024-05-14 13:00", "--actions", "all")[1]
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("05-14 (today): ") and "1 E excused" in last, last
    assert "units owe it" in last
    zh = call(acted, capsys, "status", "--as-of", "2024-05-14 13:00", "--lang", "zh")[1]
    assert zh.rstrip("\n").splitlines()[-1].startswith("05-14（今天）：")


def test_status_column_today_only_due_missing_for_cron(acted, capsys):
    code, out = call(
        acted,
        capsys,
        "status",
        "--as-of",
        "2024-05-14 11:00",
        "--column",
        "today",
        "--only",
        "due,missing",
        "--actions",
        "all",
    )
    assert code == 0
    rows = [ln for ln in out.splitlines() if "教育体育局" in ln or "学院" in ln]
    # 宝丰县 is excused today, 舞钢市 extended (still due), 平职院 due: no other column shown.
    assert any("舞钢市" in r for r in rows) and not any("宝丰县" in r for r in rows)
    header = next(ln for ln in out.splitlines() if "Unit" in ln)
    assert "05-14" in header and "05-13" not in header and "Plan" not in header


@pytest.mark.parametrize("label", ["05-14", "今天", "第3天", "周二"])
def test_status_column_reads_the_grid_s_labels(acted, capsys, label):
    code, out = call(acted, capsys, "status", "--as-of", "2024-05-14 11:00", "--column", label)
    assert code == 0
    header = next(ln for ln in out.splitlines() if "Unit" in ln)
    assert "05-14" in header and "05-13" not in header


def test_units_list_has_a_header_line_in_the_chosen_language(acted, capsys):
    import argparse

    from weekwatch.store.week import Week
    from weekwatch.tui.headless import print_units

    capsys.readouterr()
    print_units(Week(acted), argparse.Namespace(json=False, lang="zh"), header=True)
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert first.split("\t")[:3] == ["编号", "单位名称", "别名"]
    assert second.split("\t")[:2] == ["wugang", "舞钢市教育体育局"]


def test_status_column_today_outside_the_week_is_one_message(ws):
    r = cli("status", "--as-of", "2024-06-01 10:00", "--column", "today", ws=ws)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--column today: 2024-06-01 is not a day of the week" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_version_and_init_help():
    r = cli("--version")
    assert r.returncode == 0 and re.fullmatch(r"weekwatch \S+\n", r.stdout)
    r = cli("init", "--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    options = re.findall(r"(--[a-z-]+) [A-Z_]+", r.stdout)
    assert {"--days", "--timezone", "--daily-deadline", "--plan-deadline"} <= set(options)
    # Each option's help says its default, or that it is required.
    blocks = re.split(r"\n  (?=-)", r.stdout.split("options:", 1)[1].split("deadlines,", 1)[0])
    for block in blocks[1:]:
        flat = " ".join(block.split())
        if flat.startswith("-h"):
            continue
        assert "default" in flat or flat.startswith(("--title", "--start")), flat
    assert "(default: 12:00)" in text and "(default: Asia/Shanghai)" in text


@pytest.mark.parametrize(
    "top, fmt",
    [
        (["--lang", "en"], "text"),
        (["--as-of", "2024-05-15 13:00"], "json"),
        (["--actions", "until"], "json"),
    ],
)
def test_options_before_report_count_as_after_it(acted, capsys, top, fmt):
    """`weekwatch --as-of X report stats` is the statistics as of X, not of now; likewise
    --lang and --actions given before the command."""
    rest = ["--format", fmt] + ([] if top[0] == "--as-of" else ["--as-of", "2024-05-15 13:00"])
    capsys.readouterr()
    assert run(["-w", str(acted.root), *top, "report", "stats", *rest]) == 0
    before = capsys.readouterr().out
    code, out = call(acted, capsys, "report", "stats", *rest, *top)
    assert code == 0 and before == out
    if top[0] == "--as-of":
        assert json.loads(before)["as_of"].startswith("2024-05-15T13:00")
    else:  # the command's own default (zh; all) says something else
        assert before != call(acted, capsys, "report", "stats", *rest)[1]
