"""Placement an operator can trust: edits keep their credit, re-reads, corrections, dismissals.

Real workspaces in real folders, the real TinyDB files, the real ingestor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.ledger import fold
from weekwatch.store.model import Action, WeekwatchError
from weekwatch.store.week import Week
from weekwatch.tui.cli import run


def call(ws, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    return code, capsys.readouterr().out


def cli(ws, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args], capture_output=True, text=True, env=env
    )


def rewrite(ws, rel: str, data: bytes, when) -> None:
    """A unit's corrected version saved over the old one, at `when`."""
    path = ws.inbox / rel
    path.write_bytes(data)
    os.utime(path, (when.timestamp(), when.timestamp()))


# --- an edit keeps the credit ----------------------------------------------------------------


def test_an_on_time_cell_stays_on_time_after_a_rewrite_two_days_later(ws):
    drop(ws, "舞钢市/典型案例5月13日.docx", at(13, 10), b"first")
    drop(ws, "宝丰县/活动照片.jpg", at(13, 11), b"photo")  # no date: the arrival day
    week = Week(ws)
    week.ingestor().scan()
    assert week.board(at(13, 13)).cell("wugang", "2024-05-13").state == "on_time"
    assert week.board(at(13, 13)).cell("baofeng", "2024-05-13").state == "on_time"

    rewrite(ws, "舞钢市/典型案例5月13日.docx", b"corrected", at(15, 16))
    rewrite(ws, "宝丰县/活动照片.jpg", b"better photo", at(15, 16))
    assert len(week.ingestor().scan().added) == 2

    b = week.board(at(16, 9))
    assert b.cell("wugang", "2024-05-13").state == "on_time"
    assert b.cell("wugang", "2024-05-13").count == 1  # one file, not one per version
    # A name without a date was placed by its first arrival: the rewrite does not move it.
    assert b.cell("baofeng", "2024-05-13").state == "on_time"
    assert b.cell("baofeng", "2024-05-15").state == "missing"
    # Looking back to before the rewrite, the first version was in force.
    assert week.board(at(14, 9)).cell("wugang", "2024-05-13").state == "on_time"


def test_the_record_lists_versions_and_materials_marks_superseded(ws, capsys):
    drop(ws, "舞钢市/典型案例5月13日.docx", at(13, 10), b"first")
    call(ws, capsys, "ingest")
    rewrite(ws, "舞钢市/典型案例5月13日.docx", b"second", at(14, 9))
    call(ws, capsys, "ingest")
    rewrite(ws, "舞钢市/典型案例5月13日.docx", b"third", at(15, 9))
    call(ws, capsys, "ingest")

    rows = json.loads(call(ws, capsys, "materials", "--json")[1])
    current = [r for r in rows if not r.get("superseded")]
    assert len(current) == 1 and len(rows) == 3
    cur = current[0]
    assert cur["received_at"] == "2024-05-15T09:00:00+08:00"
    assert cur["first_received_at"] == "2024-05-13T10:00:00+08:00"
    assert cur["late"] is False
    assert [v["received_at"][:10] for v in cur["versions"]] == [
        "2024-05-13",
        "2024-05-14",
        "2024-05-15",
    ]
    assert [v["size"] for v in cur["versions"]] == [5, 6, 5]

    out = call(ws, capsys, "materials")[1].splitlines()
    assert sum("superseded" in line for line in out) == 2
    assert "version 3 of 3" in next(line for line in out if "superseded" not in line)


def cells_of(ws, capsys, as_of: str = "2099-01-01T00:00") -> dict:
    st = json.loads(call(ws, capsys, "status", "--json", "--as-of", as_of)[1])
    return {u["id"]: {c: v["state"] for c, v in u["cells"].items()} for u in st["units"]}


def log_of(ws, capsys) -> list[dict]:
    return json.loads(call(ws, capsys, "log", "--json")[1])


# --- correcting an arrival time ------------------------------------------------------------


def test_assign_received_corrects_the_arrival_time_and_undo_takes_it_back(ws, capsys):
    # Mailed at 11:40 on the 13th, saved into the folder the next morning.
    drop(ws, "舞钢市/活动照片.jpg", at(14, 8, 30), b"photo")
    call(ws, capsys, "ingest")
    assert cells_of(ws, capsys)["wugang"]["2024-05-14"] == "on_time"
    assert cells_of(ws, capsys)["wugang"]["2024-05-13"] == "missing"

    code, out = call(
        ws,
        capsys,
        "assign",
        "舞钢市/活动照片.jpg",
        "--received",
        "2024-05-13 11:40",
        "--reason",
        "邮件13日11:40到，次日保存",
    )
    assert code == 0 and "wugang 2024-05-13" in out
    cells = cells_of(ws, capsys)
    # An undated name lies on its (corrected) arrival day, and was on time there.
    assert cells["wugang"]["2024-05-13"] == "on_time"
    assert cells["wugang"]["2024-05-14"] == "missing"
    row = json.loads(call(ws, capsys, "materials", "--json")[1])[0]
    assert row["judged_at"] == "2024-05-13T11:40:00+08:00" and row["assigned"] is True
    assert row["received_at"] == "2024-05-14T08:30:00+08:00"  # the record itself is kept
    a = log_of(ws, capsys)[-1]
    assert a["data"]["received"] == "2024-05-13T11:40:00+08:00"
    assert a["data"]["reason"] == "邮件13日11:40到，次日保存" and a["operator"] == "小王"

    assert call(ws, capsys, "undo")[0] == 0
    assert cells_of(ws, capsys)["wugang"]["2024-05-14"] == "on_time"


def test_assign_received_with_a_cell_and_late_correction(ws, capsys):
    drop(ws, "不知道是谁.pdf", at(14, 15), b"?")
    call(ws, capsys, "ingest")
    code, _ = call(
        ws,
        capsys,
        "assign",
        "不知道是谁.pdf",
        "--unit",
        "宝丰县",
        "--cell",
        "3",
        "--received",
        "2024-05-14T11:00",
        "--reason",
        "附件当天上午已发",
    )
    assert code == 0
    assert cells_of(ws, capsys)["baofeng"]["2024-05-14"] == "on_time"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2024-05-13 11:40"], "needs a reason"),
        (["--received", "last week", "--reason", "x"], "'last week'"),
        (["--unit", "wugang", "--unit", "舞钢市"], "named twice"),
        (["--unit", "nobody"], "no unit 'nobody'"),
    ],
)
def test_assign_mistakes_are_one_message(ws, capsys, args, message):
    drop(ws, "舞钢市/活动照片.jpg", at(14, 8, 30), b"photo")
    call(ws, capsys, "ingest")
    r = cli(ws, "assign", "舞钢市/活动照片.jpg", *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert log_of(ws, capsys) == []


# --- dismissing, joint files, two cells ----------------------------------------------------


def test_dismiss_takes_a_file_out_of_quarantine_and_undo_puts_it_back(ws, capsys):
    drop(ws, "新建 Microsoft Word 文档.docx", at(13, 9), b"PK\x03\x04")
    drop(ws, "不知道是谁.pdf", at(13, 9), b"?")
    call(ws, capsys, "ingest")
    waiting = json.loads(call(ws, capsys, "materials", "--quarantine", "--json")[1])
    assert len(waiting) == 2

    code, out = call(ws, capsys, "dismiss", "新建 Microsoft Word 文档.docx", "--reason", "空白模板")
    assert code == 0 and "dismiss" in out
    waiting = json.loads(call(ws, capsys, "materials", "--quarantine", "--json")[1])
    assert [r["path"] for r in waiting] == ["不知道是谁.pdf"]
    rows = {r["path"]: r for r in json.loads(call(ws, capsys, "materials", "--json")[1])}
    assert rows["新建 Microsoft Word 文档.docx"]["dismissed"] == "空白模板"
    assert "dismissed: 空白模板" in call(ws, capsys, "materials")[1]
    assert (ws.inbox / "新建 Microsoft Word 文档.docx").exists()  # the inbox is never touched

    call(ws, capsys, "undo")
    waiting = json.loads(call(ws, capsys, "materials", "--quarantine", "--json")[1])
    assert len(waiting) == 2
    r = cli(ws, "dismiss", "不知道是谁.pdf", "--reason", " ")
    assert r.returncode == 2 and "needs a reason" in r.stderr


def test_a_placed_file_dismissed_no_longer_counts(ws, capsys):
    drop(ws, "舞钢市/5月13日典型案例.docx", at(13, 9), b"x")
    call(ws, capsys, "ingest")
    call(ws, capsys, "dismiss", "舞钢市/5月13日典型案例.docx", "--reason", "别的活动的材料")
    assert cells_of(ws, capsys)["wugang"]["2024-05-13"] == "missing"


def test_a_joint_file_credits_each_unit_and_a_second_assign_replaces_the_first(ws, capsys):
    drop(ws, "联合活动5月14日.docx", at(14, 9), b"joint")
    call(ws, capsys, "ingest")
    code, out = call(
        ws, capsys, "assign", "联合活动5月14日.docx", "--unit", "舞钢市", "--unit", "平职院"
    )
    assert code == 0 and "wugang+pzy 2024-05-14" in out
    cells = cells_of(ws, capsys)
    assert cells["wugang"]["2024-05-14"] == "on_time"
    assert cells["pzy"]["2024-05-14"] == "on_time"
    assert cells["baofeng"]["2024-05-14"] == "missing"

    # A second assign corrects the first: it says so in the log, and only one is in force.
    call(ws, capsys, "assign", "联合活动5月14日.docx", "--unit", "宝丰县")
    cells = cells_of(ws, capsys)
    assert cells["baofeng"]["2024-05-14"] == "on_time"
    assert cells["wugang"]["2024-05-14"] == cells["pzy"]["2024-05-14"] == "missing"
    log = log_of(ws, capsys)
    assert log[0]["replaced_by"] == log[1]["id"] and log[1]["replaced_by"] is None
    assert "(replaced by" in call(ws, capsys, "log")[1].splitlines()[0]
    call(ws, capsys, "undo")  # the correction taken back: the joint assignment is in force
    cells = cells_of(ws, capsys)
    assert cells["wugang"]["2024-05-14"] == cells["pzy"]["2024-05-14"] == "on_time"
    assert cells["baofeng"]["2024-05-14"] == "missing"


def test_cell_twice_credits_a_file_covering_two_days(ws, capsys):
    drop(ws, "舞钢市/两天活动照片.jpg", at(14, 9), b"p")
    call(ws, capsys, "ingest")
    code, _ = call(
        ws,
        capsys,
        "assign",
        "舞钢市/两天活动照片.jpg",
        "--unit",
        "wugang",
        "--cell",
        "2",
        "--cell",
        "3",
    )
    assert code == 0
    cells = cells_of(ws, capsys)
    assert cells["wugang"]["2024-05-13"] == "late"  # arrived on the 14th: late for the 13th
    assert cells["wugang"]["2024-05-14"] == "on_time"
    line = call(ws, capsys, "materials")[1]
    assert "舞钢市教育体育局 05-13, 舞钢市教育体育局 05-14" in line


# --- paths as the operator types them, short action ids -------------------------------------


def test_paths_as_the_operator_types_them(ws, capsys, monkeypatch):
    drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13, 9), b"c")
    drop(ws, "谁的\u202e稿件.docx", at(13, 9), b"r")  # a bidi override in a name
    call(ws, capsys, "ingest")
    rel = "舞钢市/2024-05-13/典型案例.docx"
    for typed in (
        rel,
        f"inbox/{rel}",
        f"./inbox/{rel}",
        str(ws.inbox / rel),
    ):
        assert call(ws, capsys, "assign", typed, "--unit", "pzy")[0] == 0, typed
    monkeypatch.chdir(ws.inbox / "舞钢市")
    assert call(ws, capsys, "assign", "2024-05-13/典型案例.docx", "--unit", "pzy")[0] == 0
    # As `materials` prints it: the bidi override spelled out.
    printed = next(
        line.split("  ")[1]
        for line in call(ws, capsys, "materials")[1].splitlines()
        if "稿件" in line
    )
    assert printed == "谁的\\u202e稿件.docx"
    assert call(ws, capsys, "dismiss", printed, "--reason", "测试")[0] == 0
    log = log_of(ws, capsys)
    assert [a["data"]["path"] for a in log] == [rel] * 5 + ["谁的\u202e稿件.docx"]

    outside = ws.root.parent / "elsewhere.docx"
    r = cli(ws, "assign", str(outside), "--unit", "pzy")
    assert r.returncode == 2 and "not inside the inbox" in r.stderr


def test_undo_takes_a_unique_prefix_of_an_action_id(ws, capsys):
    call(ws, capsys, "note", "wugang", "第一条")
    call(ws, capsys, "note", "wugang", "第二条")
    first, second = (a["id"] for a in log_of(ws, capsys))
    tail = second.partition("-")[2]
    assert call(ws, capsys, "undo", tail[:4])[0] == 0  # the random tail is unique at once
    assert log_of(ws, capsys)[1]["undone"] is True
    r = cli(ws, "undo", first[:4])  # the year: every action shares it
    assert r.returncode == 2 and "names 3 actions" in r.stderr
    r = cli(ws, "undo", "zzzz")
    assert r.returncode == 2 and "no action" in r.stderr


# --- the ledger: one placing decision in force per file -------------------------------------


def _act(i: int, type_: str, unit: str | None = None, **data) -> Action:
    return Action(f"2024051{i}T000000-{i:08x}", type_, "op", at(14, 8, i), unit, None, data)


@pytest.mark.parametrize(
    ("log", "assigned", "dismissed"),
    [
        # a later decision on the same file replaces the earlier
        ([("assign", "wugang", {}), ("assign", "pzy", {})], "pzy", False),
        ([("assign", "wugang", {}), ("dismiss", None, {"reason": "空白"})], None, True),
        ([("dismiss", None, {"reason": "空白"}), ("assign", "pzy", {})], "pzy", False),
        # undoing the later puts the earlier back in force
        (
            [("assign", "wugang", {}), ("assign", "pzy", {}), ("undo", None, {"n": 2})],
            "wugang",
            False,
        ),
        (
            [("assign", "wugang", {}), ("dismiss", None, {}), ("undo", None, {"n": 2})],
            "wugang",
            False,
        ),
        ([("dismiss", None, {}), ("undo", None, {"n": 1})], None, False),
    ],
)
def test_one_placing_decision_is_in_force_per_file(log, assigned, dismissed):
    actions = []
    for i, (type_, unit, data) in enumerate(log, start=1):
        if type_ == "undo":
            data = {"target": actions[data["n"] - 1].id}
        else:
            data = {"path": "a.docx", **data}
        actions.append(_act(i, type_, unit, **data))
    ledger = fold(actions)
    got = ledger.assignments.get("a.docx")
    assert (got.unit if got else None) == assigned
    assert ("a.docx" in ledger.dismissals) == dismissed
    # Every placing action but the one in force is either undone or replaced.
    placing = [a for a in actions if a.type in ("assign", "dismiss")]
    assert sum(ledger.in_force(a.id) for a in placing) == (assigned is not None or dismissed)


def test_action_ids_by_prefix_of_the_id_or_of_its_tail():
    a, b = _act(1, "note", "wugang", text="x"), _act(2, "note", "wugang", text="y")
    ledger = fold([a, b])
    assert ledger.find(a.id) == a
    assert ledger.find(b.id[:8]) == b  # 20240512… is b's alone
    assert ledger.find("00000001") == a  # the tail after the dash
    with pytest.raises(WeekwatchError, match="names 2 actions"):
        ledger.find("2024051")
    with pytest.raises(WeekwatchError, match="no action"):
        ledger.find("")
