"""Marking the best (择优推荐): an operator action on any material — a plain file, an e-mail's
attachment, a zip's member — in the action log, seen by other processes, taken back by undo."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.packweek import BUNDLE, MAIL, pack_week
from weekwatch.store.ledger import fold
from weekwatch.store.week import Week
from weekwatch.tui.cli import main

PHOTO = f"{MAIL}#活动照片1.jpg"
MEMBER = f"{BUNDLE}!照片2.jpg"
INNER = f"{MAIL}#材料.zip!5月14日/照片3.jpg"


def call(ws, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["-w", str(ws.root), "--operator", "小王", *args])
    got = capsys.readouterr()
    return exc.value.code, got.out, got.err


def other_process(ws) -> dict[str, dict]:
    """`materials --json` from a separate weekwatch process, by path."""
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    done = subprocess.run(
        [sys.executable, "-m", "weekwatch", "materials", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return {r["path"]: r for r in json.loads(done.stdout)}


def test_recommend_undo_recommend_through_the_cli_seen_by_another_process(ws, capsys):
    pack_week(ws)
    code, out, _ = call(ws, capsys, "recommend", PHOTO, "--note", "画面生动，可推送媒体")
    assert code == 0 and "★" in out
    seen = other_process(ws)
    assert seen[PHOTO]["recommended"] is True
    assert seen[PHOTO]["recommend_note"] == "画面生动，可推送媒体"
    assert seen[MEMBER]["recommended"] is False and seen[MEMBER]["recommend_note"] is None

    assert call(ws, capsys, "recommend", "--undo", PHOTO)[0] == 0
    assert other_process(ws)[PHOTO]["recommended"] is False
    assert call(ws, capsys, "undo")[0] == 0  # takes back the taking-off: marked again
    assert other_process(ws)[PHOTO]["recommended"] is True
    assert call(ws, capsys, "undo")[0] == 0  # the newest still in force: the mark itself
    assert other_process(ws)[PHOTO]["recommended"] is False
    assert call(ws, capsys, "recommend", PHOTO)[0] == 0
    seen = other_process(ws)
    assert seen[PHOTO]["recommended"] is True and seen[PHOTO]["recommend_note"] == ""

    code, out, _ = call(ws, capsys, "log", "--json")
    types = [a["type"] for a in json.loads(out)]
    assert types == ["recommend", "unrecommend", "undo", "undo", "recommend"]


def test_zip_members_and_files_in_a_zip_inside_an_e_mail_are_marked_too(ws, capsys):
    pack_week(ws)
    assert call(ws, capsys, "recommend", MEMBER, f"inbox/{INNER}", "--note", "好")[0] == 0
    seen = other_process(ws)
    assert seen[MEMBER]["recommended"] and seen[INNER]["recommended"]
    assert seen[MEMBER]["recommend_note"] == seen[INNER]["recommend_note"] == "好"
    # One action marks both; one undo takes both back.
    assert call(ws, capsys, "undo")[0] == 0
    seen = other_process(ws)
    assert not seen[MEMBER]["recommended"] and not seen[INNER]["recommended"]


def test_a_whole_e_mail_marks_every_file_inside_it(ws, capsys):
    pack_week(ws)
    assert call(ws, capsys, "recommend", MAIL)[0] == 0
    seen = other_process(ws)
    inside = [p for p in seen if p.startswith(MAIL)]
    assert len(inside) == 4 and all(seen[p]["recommended"] for p in inside)
    assert not seen[MEMBER]["recommended"]


def test_marking_again_replaces_the_note_and_undo_puts_the_earlier_back(ws):
    week = pack_week(ws)
    first = week.recommend([PHOTO], "先推荐")
    week.recommend([PHOTO], "画面更好")
    assert week.ledger().recommend_note(PHOTO) == "画面更好"
    week.undo()
    ledger = week.ledger()
    assert ledger.recommend_note(PHOTO) == "先推荐" and ledger.recommended[PHOTO].id == first.id
    # The log as it stood before the mark: nothing recommended.
    assert fold(week.store.actions(), first.at.replace(year=2000)).recommended == {}


@pytest.mark.parametrize(
    "args, message",
    [
        (["recommend", "nope.jpg"], "no material"),
        (["recommend", "--undo", PHOTO], "not recommended"),
        (["recommend", "--undo", PHOTO, "--note", "x"], "takes no --note"),
    ],
)
def test_bad_marks_are_one_line_and_exit_2(ws, capsys, args, message):
    pack_week(ws)
    code, _, err = call(ws, capsys, *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert Week(ws).ledger().actions == []


def test_marking_a_marked_file_without_a_new_note_is_refused(ws, capsys):
    pack_week(ws)
    assert call(ws, capsys, "recommend", PHOTO)[0] == 0
    code, _, err = call(ws, capsys, "recommend", PHOTO)
    assert code == 2 and "already recommended" in err
    assert len(Week(ws).ledger().actions) == 1


def test_actions_of_one_moment_keep_the_order_they_were_recorded_in(ws):
    """A frozen clock (the tests' dashboard, `--as-of`-like clocks) gives every action the same
    moment: taking a mark off right after setting it must still leave it off."""
    week = pack_week(ws)
    frozen = Week(ws, clock=lambda: week.clock().replace(microsecond=0))
    for _ in range(12):
        frozen.recommend([PHOTO], "好")
        assert Week(ws).ledger().recommend_note(PHOTO) == "好"
        frozen.unrecommend([PHOTO])
        assert PHOTO not in Week(ws).ledger().recommended
