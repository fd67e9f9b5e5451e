"""What a script or cron pays per call: a headless command imports only what it uses.

An operator's action (`weekwatch note …`) is run as its own process, and what it loaded is
read from that process's `sys.modules`; the command line read by one command's arguments
alone is checked against the whole grammar, so help and mistakes read as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from weekwatch.store.folding import normalize
from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.vocab import OWN_WORDS, find_unit
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli_args import GRAMMAR, build, parse
from weekwatch.tui.cli_line import read_action

#: What an action does not use: the dashboard's toolkit, the reading rules with OpenCC, the
#: cell rules, ingestion, every report and reminder, the e-mail and zip libraries.
NOT_FOR_AN_ACTION = (
    "textual",
    "rich",
    "opencc",
    "pypinyin",
    "chinese_calendar.solar_terms",
    "watchfiles",
    "openpyxl",
    "python_calamine",
    "imapclient",
    "email",
    "zipfile",
    "concurrent.futures",
    "multiprocessing",
    "importlib.metadata",
    "uuid",
    "hashlib",
    "weekwatch.store.reading",
    "weekwatch.store.names",
    "weekwatch.store.dates",
    "weekwatch.store.rules",
    "weekwatch.store.ingest",
    "weekwatch.store.composite",
    "weekwatch.store.reread",
    "weekwatch.store.notify",
    "weekwatch.store.remind",
    "weekwatch.store.remind_config",
    "weekwatch.store.pack",
    "weekwatch.store.config_write",
    "weekwatch.tui.headless",
    "weekwatch.tui.report_cli",
    "weekwatch.tui.remindcli",
    "weekwatch.tui.mailcli",
    "weekwatch.tui.undo_cli",
    "weekwatch.tui.recommend_cli",
    "weekwatch.tui.i18n",
    # A plain action line is read without argparse (tui/cli_line.py), nor what argparse loads.
    "argparse",
    "gettext",
    "shutil",
    "getpass",
    # Its values are built without the dataclasses module (store/values.py), which loads
    # inspect, ast and dis; a keeper is started only by a command that hands on (subprocess).
    "dataclasses",
    "inspect",
    "subprocess",
    "difflib",  # a misspelt key's suggestion, only when weekwatch.toml has one
)

# What the interpreter loads before any of ours (a site-packages .pth may import zipfile, say)
# is not the command's doing.
_RUN = """
import sys
before = set(sys.modules)
import json
from weekwatch.tui.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
heavy = json.loads(sys.stdin.read())
loaded = [m for m in heavy if m in sys.modules and m not in before]
print(json.dumps({"code": code, "loaded": loaded}))
"""


def _run(*argv: str, heavy: tuple[str, ...] = NOT_FOR_AN_ACTION) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *argv],
        input=json.dumps(heavy),
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    out["stdout"] = "\n".join(done.stdout.splitlines()[:-1])
    out["stderr"] = done.stderr
    return out


@pytest.mark.parametrize(
    "unit, rest",
    [
        ("pzy", ["已电话提醒"]),  # the id, as a script has it
        ("平顶山职业技术学院", ["已电话提醒"]),  # the name as the roster writes it
        ("平职院", ["plan", "方案周五前补交"]),  # an alias, and a cell
        ("PZY", ["05-14", "called"]),  # another case, a date
    ],
)
def test_an_action_loads_none_of_what_it_does_not_use(week_ws: Workspace, unit, rest):
    out = _run("-w", str(week_ws.root), "--operator", "tester", "note", unit, *rest)
    assert out["code"] == 0, out["stderr"]
    assert out["stdout"].startswith("recorded note pzy"), out
    assert out["loaded"] == []
    notes = [a for a in Week(week_ws).ledger().actions if a.type == "note"]
    assert [(a.unit, a.operator, a.data["text"]) for a in notes] == [("pzy", "tester", rest[-1])]


@pytest.mark.parametrize("command", [["undo"], ["redo"]])
def test_undo_and_redo_load_neither_the_cell_rules_nor_rich(week_ws: Workspace, command):
    assert _run("-w", str(week_ws.root), "--operator", "tester", "note", "pzy", "x")["code"] == 0
    if command == ["redo"]:
        assert _run("-w", str(week_ws.root), "--operator", "tester", "undo")["code"] == 0
    out = _run("-w", str(week_ws.root), "--operator", "tester", *command)
    assert out["code"] == 0, out["stderr"]
    allowed = {"weekwatch.tui.undo_cli", "weekwatch.tui.i18n"}  # its words, in English
    assert [m for m in out["loaded"] if m not in allowed] == []


def test_a_name_typed_in_traditional_characters_still_finds_its_unit(week_ws: Workspace):
    out = _run("-w", str(week_ws.root), "--operator", "tester", "note", "平頂山職業技術學院", "x")
    assert out["code"] == 0, out["stderr"]
    assert out["stdout"].startswith("recorded note pzy")
    assert [a.unit for a in Week(week_ws).ledger().actions if a.type == "note"] == ["pzy"]


def test_an_action_never_reads_the_materials(week_ws: Workspace):
    # Damage first: every materials file unreadable as JSON. A command that read them would
    # stop with "is not readable"; an action must not need them at all.
    shards = sorted(week_ws.dbdir.glob("materials*.json"))
    assert shards
    for path in shards:
        path.write_text("{not json")
    out = _run("-w", str(week_ws.root), "--operator", "tester", "note", "pzy", "called")
    assert out["code"] == 0, out["stderr"]
    assert out["stdout"].startswith("recorded note pzy")
    assert all(p.read_text() == "{not json" for p in shards)


def test_a_mistake_loads_nothing_more_and_says_one_line(week_ws: Workspace):
    out = _run("-w", str(week_ws.root), "note", "nobody", "called")
    assert out["code"] == 2
    assert out["stderr"].strip().splitlines() == [
        "weekwatch: no unit 'nobody' (by id, name or alias; see `weekwatch units list`)"
    ]
    assert "Traceback" not in out["stderr"]


def test_the_vocabularys_own_words_are_what_traditional_to_simplified_leaves():
    # vocab reads them without OpenCC, which is only right if OpenCC would not change them.
    assert {w: normalize(w) for w in OWN_WORDS} == {w: w for w in OWN_WORDS}


# ---------------------------------------------------------------------------- the grammar


def _whole(argv: list[str]) -> argparse.Namespace | str:
    try:
        return build().parse_args(argv)
    except WeekwatchError as e:
        return str(e)


def _fast(argv: list[str]) -> argparse.Namespace | str:
    try:
        return parse(argv)
    except WeekwatchError as e:
        return str(e)


@pytest.mark.parametrize(
    "argv",
    [
        ["note", "pzy", "called"],
        ["-w", "ws", "note", "pzy", "plan", "called"],
        ["-w", "status", "status", "--json"],  # a workspace named as a command
        ["-w", "note", "status", "--only", "late"],  # the first command word is -w's value
        ["--workspace=note", "log"],
        ["--work", "note", "units", "list"],  # an abbreviated option taking the word
        ["--operator", "note", "excuse", "pzy", "plan", "--reason", "停电"],
        ["--lang", "zh", "--as-of", "2024-05-14", "report", "stats"],
        ["report", "pack", "--names", "gbk"],
        ["watch", "--rescan", "5", "--fetch"],
        ["tui", "--read-only"],
        ["--read-only"],
        [],
        ["note"],  # too few
        ["note", "pzy"],
        ["bogus"],
        ["-w", "note", "bogus", "x"],
        ["units", "bogus"],
        ["watch", "--rescan", "0"],
        ["report", "pack", "--names", "latin1"],
        ["--lang", "xx", "note", "a", "b"],
        ["status", "--actions", "some"],
        ["undo", "20240514", "extra"],
    ],
)
def test_one_commands_grammar_reads_a_line_as_the_whole_grammar_does(argv):
    assert _fast(argv) == _whole(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        *([name] for name in GRAMMAR),
        ["units", "import"],
        ["units", "list"],
        *(["report", r] for r in ("calls", "day", "stats", "actions", "consolidate", "pack")),
    ],
)
def test_every_commands_help_is_the_whole_grammars(argv, capsys):
    with pytest.raises(SystemExit) as fast:
        parse([*argv, "--help"])
    fast_help = capsys.readouterr().out
    with pytest.raises(SystemExit) as whole:
        build().parse_args([*argv, "--help"])
    assert (fast.value.code, fast_help) == (whole.value.code, capsys.readouterr().out)
    assert fast_help.startswith(f"usage: weekwatch {' '.join(argv)}".rstrip())


def test_help_before_the_command_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        parse(["-h", "note"])
    out = capsys.readouterr().out
    assert all(name in out for name in GRAMMAR)


def test_version_is_looked_up_only_when_asked(capsys):
    with pytest.raises(SystemExit) as e:
        parse(["--version", "note"])
    assert e.value.code == 0
    assert capsys.readouterr().out.startswith("weekwatch ")


def test_an_action_keeps_the_roster_it_read(week_ws: Workspace):
    # A note, an arrival: the roster is not converted again (2,000 units, twice per action
    # before); another process's import is still seen.
    week = Week(week_ws)
    roster = week.units()
    week.note("pzy", "called", operator="tester")
    assert week.units() is roster
    other = Week(week_ws)
    other.store.put_units([replace(roster[0], name="新华区教育局")])
    assert week.units() is not roster
    assert week.units()[0].name == "新华区教育局"


def test_a_unit_typed_exactly_as_the_roster_writes_it_wins():
    a = Unit("a", "甲学校", ("PZY",))
    b = Unit("pzy", "平顶山职业技术学院", ("平职院",))
    assert find_unit([a, b], "pzy") is b  # b's id exactly, though a's alias folds to it
    assert find_unit([a, b], "PZY") is a
    assert find_unit([a, b], "Pzy") is a  # neither exactly: the first, in roster order
    assert find_unit([a, b], "平職院") is b  # traditional: through OpenCC
    assert find_unit([a, b], " 平职院 ") is b


@pytest.mark.parametrize("command", [["log"], ["units", "list"], ["log", "--lang", "zh"]])
def test_the_log_and_the_roster_load_neither_the_cell_rules_nor_rich(week_ws: Workspace, command):
    assert _run("-w", str(week_ws.root), "--operator", "tester", "note", "pzy", "x")["code"] == 0
    out = _run("-w", str(week_ws.root), *command)
    assert out["code"] == 0, out["stderr"]
    assert "pzy" in out["stdout"] or "平顶山职业技术学院" in out["stdout"]
    allowed = {"weekwatch.tui.headless", "weekwatch.tui.i18n"}  # their printers and words
    allowed |= {"argparse", "gettext", "shutil", "getpass"}  # their lines, no --operator
    assert [m for m in out["loaded"] if m not in allowed] == []


# ------------------------------------------------------------- an action line without argparse

#: Lines a script writes: read without argparse, into what argparse reads them as.
PLAIN_ACTIONS = [
    ["note", "pzy", "已电话提醒"],
    ["note", "平职院", "plan", "方案周五前补交"],
    ["note", "pzy", "", "x"],
    ["-w", "ws", "--operator", "张三", "note", "pzy", "05-14", "called"],
    ["--workspace=ws", "--operator=", "--lang", "zh", "note", "pzy", "x"],
    ["-w", "note", "note", "pzy", "x"],  # a workspace named like the command
    ["--lang=en", "--read-only", "--as-of", "2024-05-14", "--actions", "all", "note", "a", "b"],
    ["contact", "pzy", "电话未接"],
    ["contact", "pzy", "plan", "答应明天交", "--promised-by", "明天 12:00"],
    ["contact", "--promised-by=05-15", "pzy", "x"],
    ["excuse", "pzy", "plan", "--reason", "停电"],
    ["excuse", "--reason", "停电", "pzy", "plan"],
    ["extend", "pzy", "05-14", "--until", "2024-05-15 18:00"],
    ["undo"],
    ["undo", "20240514"],
    ["redo"],
    ["ingest"],
    ["ingest", "inbox/舞钢市/5月13日照片.jpg"],
    ["-w", "ws", "ingest", "inbox/a.docx", "inbox/b 2.docx"],
    ["ingest", "--reread"],
    ["ingest", "--reread", "a.docx"],
    ["ingest", "a.docx", "b.docx", "--reread"],
]

#: Lines left to argparse: help, mistakes, abbreviations, options between positionals.
ARGPARSE_LINES = [
    ["note"],
    ["note", "pzy"],
    ["note", "pzy", "-x"],
    ["note", "--help"],
    ["-h", "note", "pzy", "x"],
    ["--work", "ws", "note", "pzy", "x"],
    ["-w=ws", "note", "pzy", "x"],
    ["-w"],
    ["--lang", "xx", "note", "a", "b"],
    ["--actions", "some", "note", "a", "b"],
    ["contact", "pzy", "--promised-by", "明天", "x"],
    ["contact", "pzy", "x", "--promised", "明天"],
    ["contact", "pzy", "x", "--promised-by"],
    ["contact", "pzy", "x", "--promised-by", "a", "--promised-by", "b"],
    ["excuse", "pzy", "plan"],
    ["excuse", "pzy", "--reason", "停电", "plan"],
    ["excuse", "pzy", "plan", "x", "--reason", "停电"],
    ["extend", "pzy", "05-14", "--reason", "x"],
    ["undo", "a", "b"],
    ["undo", "--all"],
    ["redo", "x"],
    ["status", "--json"],
    ["pzy", "note"],
    ["ingest", "a.docx", "--reread", "b.docx"],
    ["ingest", "--re", "a.docx"],
    ["ingest", "--reread", "--reread"],
    ["ingest", "--", "-a.docx"],
    ["ingest", "-x"],
    ["ingest", "--help"],
]


def _vars(args: object) -> dict[str, object] | str:
    return vars(args) if not isinstance(args, str) else args


@pytest.mark.parametrize("argv", PLAIN_ACTIONS)
def test_a_plain_action_line_is_read_as_argparse_reads_it(argv):
    fast = read_action(argv)
    assert fast is not None, "read by argparse: the plain line should not need it"
    assert vars(fast) == vars(build().parse_args(argv))
    assert _vars(_fast(argv)) == vars(build().parse_args(argv))


@pytest.mark.parametrize("argv", ARGPARSE_LINES)
def test_any_other_line_is_left_to_argparse(argv, capsys):
    assert read_action(argv) is None
    if "-h" in argv or "--help" in argv:
        return  # help is argparse's (above)
    assert _vars(_fast(argv)) == _vars(_whole(argv))


def test_a_script_passing_options_first_records_its_note(week_ws: Workspace):
    out = _run(
        "--operator=tester",
        "--workspace",
        str(week_ws.root),
        "contact",
        "平职院",
        "plan",
        "答应周五前补交",
        "--promised-by",
        "2024-05-17 12:00",
    )
    assert out["code"] == 0, out["stderr"]
    assert out["loaded"] == []
    (c,) = [a for a in Week(week_ws).ledger().actions if a.type == "contact"]
    assert (c.unit, c.cell, c.operator, c.data["text"]) == (
        "pzy",
        "plan",
        "tester",
        "答应周五前补交",
    )
    assert c.data["promised_by"].startswith("2024-05-17T12:00")


# ------------------------------------------------------------------ the roster, one unit made


def test_a_unit_found_by_an_action_is_the_one_the_whole_roster_gives(tmp_path, monkeypatch):
    from weekwatch.store.config import init_workspace

    ws = init_workspace(
        tmp_path / "ws", title="2024年平顶山市职业教育活动周", start=dt.date(2024, 5, 12)
    )
    # weekwatch.toml declares one unit over a stored one (it wins by id) and one of its own.
    with ws.config.open("a", encoding="utf-8") as f:
        f.write(
            '\n[[units]]\nid = "xh"\nname = "新华区教育体育局"\naliases = ["新华"]\n'
            '\n[[units]]\nid = "wg"\nname = "舞钢市教育体育局"\naliases = ["舞钢"]\n'
        )
    stored = [
        Unit("a", "甲学校", ("PZY",)),
        Unit("pzy", "平顶山职业技术学院", ("平职院",)),
        Unit("xh", "新华区教育局", ("新华区",)),
        Unit("u3", "石龙区教育体育局", ("石龙",)),
        Unit("u4", "石龙区职业中专", ("xh",)),  # an alias equal to another's id
    ]
    Week(ws).store.put_units(stored)
    typed = [
        "pzy",
        "PZY",
        "Pzy",
        "平职院",
        "平職院",
        " 平职院 ",
        "平顶山职业技术学院",
        "xh",
        "新华",
        "新华区",
        "新华区教育局",
        "wg",
        "舞钢",
        "u4",
        "石龙区职业中专",
        "职业中专",
        "u3",
        "石龙",
        "石龙区",
        "nobody",
        "",
        "学",
        "教育",
    ]
    whole = Week(ws).units()

    def expected(text: str) -> str:
        try:
            return find_unit(whole, text).id
        except WeekwatchError as e:
            return f"{type(e).__name__}: {e}"

    made: list[str] = []
    from_dict = Unit.from_dict.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        Unit, "from_dict", classmethod(lambda cls, d: made.append(d["id"]) or from_dict(cls, d))
    )
    for text in typed:
        week = Week(ws)  # a process of its own: nothing converted yet
        made.clear()
        try:
            got = week.find_unit(text)
        except WeekwatchError as e:
            assert f"{type(e).__name__}: {e}" == expected(text), text
            continue
        assert got == next(u for u in whole if u.id == expected(text)), text
        assert len(made) <= 1, (text, made)  # the one found, or none (weekwatch.toml's)
        assert week.unit(got.id) == got
    # Once the roster was converted (the dashboard), it is searched as before.
    week = Week(ws)
    week.units()
    made.clear()
    assert week.find_unit("平职院").id == "pzy" and made == []


def test_a_hooks_ingest_of_one_path_reads_its_line_without_argparse(week_ws: Workspace):
    # What a mail hook or a sync tool runs per file: its line read as argparse reads it
    # (above), without argparse and what it loads.
    f = week_ws.inbox / "pzy" / "平职院_5月15日_典型案例.docx"
    f.write_bytes(b"case")
    out = _run("-w", str(week_ws.root), "ingest", str(f), heavy=("argparse", "gettext"))
    assert out["code"] == 0, out["stderr"]
    assert out["stdout"].startswith("1 new (0 quarantined), 0 gone"), out
    assert out["loaded"] == []
    [m] = [m for m in Week(week_ws).store.materials() if m.path.endswith("典型案例.docx")]
    assert (m.unit, m.cell) == ("pzy", "2024-05-15")
