"""Undo takes back a batch as one, says what it took, and has a redo; nobody undoes a
colleague's action by accident (the CLI wants its id)."""

from __future__ import annotations

import json

from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week, new_batch
from weekwatch.tui.cli import run

DAY = "2024-05-14"


def _call(ws, capsys, operator: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = run(["-w", str(ws.root), "--operator", operator, *args])
    except WeekwatchError as e:
        return 2, "", str(e)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_one_undo_takes_back_a_whole_batch_and_redo_puts_it_back(ws) -> None:
    week = Week(ws)
    week.excuse("pzy", DAY, "单独一条", operator="王")
    batch = new_batch()
    for u in ("wugang", "baofeng"):
        week.excuse(u, DAY, "停电", operator="王", batch=batch)
    undo = week.undo(operator="王")
    # Another process sees the result.
    other = Week(ws)
    assert set(other.ledger().excuses) == {("pzy", DAY)}
    assert sorted(a.unit for a in other.taken_back(undo)) == ["baofeng", "wugang"]
    week.redo(operator="王")
    assert set(Week(ws).ledger().excuses) == {("pzy", DAY), ("wugang", DAY), ("baofeng", DAY)}
    # Undo again takes the batch back again; two undos, two redos, in order.
    week.undo(operator="王")
    week.undo(operator="王")
    assert Week(ws).ledger().excuses == {}
    week.redo(operator="王")  # the last undone comes back first
    assert set(Week(ws).ledger().excuses) == {("pzy", DAY)}
    week.redo(operator="王")
    assert len(Week(ws).ledger().excuses) == 3


def test_a_new_action_ends_the_redo(ws) -> None:
    week = Week(ws)
    week.excuse("pzy", DAY, "x", operator="王")
    week.undo(operator="王")
    week.note("pzy", "新的备注", operator="王")
    try:
        week.redo(operator="王")
    except WeekwatchError as e:
        assert "nothing to redo" in str(e)
    else:
        raise AssertionError("redo after a new action")
    # Another operator's undo is not this one's to redo.
    week.excuse("wugang", DAY, "y", operator="李")
    week.undo(operator="李")
    try:
        week.redo(operator="王")
    except WeekwatchError:
        pass
    else:
        raise AssertionError("redid someone else's undo")


def test_the_cli_undoes_only_your_own_unless_given_an_id(ws, capsys) -> None:
    assert _call(ws, capsys, "小李", "excuse", "舞钢市", "05-14", "--reason", "停电")[0] == 0
    code, _, err = _call(ws, capsys, "小王", "undo")
    assert code == 2
    assert "小李's" in err and "舞钢市教育体育局" in err and "weekwatch undo 2" in err
    assert Week(ws).ledger().excuses  # nothing taken back
    action = json.loads(_call(ws, capsys, "小王", "log", "--json")[1])[0]["id"]
    code, out, _ = _call(ws, capsys, "小王", "undo", action)
    assert code == 0 and out.startswith("recorded undo of excuse 舞钢市教育体育局 · 05-14")
    assert Week(ws).ledger().excuses == {}


def test_the_cli_redo_says_what_it_put_back(ws, capsys) -> None:
    _call(ws, capsys, "小王", "extend", "宝丰县", "05-14", "--until", "05-14 15:00")
    code, out, _ = _call(ws, capsys, "小王", "undo")
    assert code == 0 and "extension 宝丰县教育体育局 · 05-14" in out
    assert Week(ws).ledger().extensions == {}
    code, out, _ = _call(ws, capsys, "小王", "redo")
    assert code == 0 and out.startswith("recorded redo of extension 宝丰县教育体育局 · 05-14")
    assert ("baofeng", DAY) in Week(ws).ledger().extensions
    code, _, err = _call(ws, capsys, "小王", "redo")
    assert code == 2 and "nothing to redo" in err
