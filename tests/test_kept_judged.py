"""Every cell's state kept as judged, for the span of moments it holds (store/kept_judged.py).

Real files in a real inbox, ingested; the board kept as `status` keeps it. Then readers at
moments across the week (before and after openings and deadlines), with excuses and extensions
recorded by another terminal and arrivals ingested by another process between them: each
reader's cells must equal the whole week judged afresh at its moment. After an arrival the
states are brought current for the units it touched without reading every kept cell. A kept
file torn, tampered, of another version, for other kept cells or other decisions, or read
past its span, is never trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import zlib

import pytest

from weekwatch.fixtures.testweek import at, drop, drop_some
from weekwatch.store import kept_judged, kept_parts, rules
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace


def fresh(week: Week, now: dt.datetime) -> dict:
    ledger = week.ledger_at(now, "until")
    return rules.board(week.event, week.units(), week.store.materials(), ledger, now).cells


def a_week(ws: Workspace, seed: int, until_day: int = 14) -> list[str]:
    rng = random.Random(seed)
    dropped: list[str] = []
    for step in range(2 * (until_day - 11)):
        when = at(12 + step // 2, 8 + 3 * (step % 2))
        drop_some(ws, rng, dropped, [b"same photo", b"same case"], step, when, most=4, later=0)
    Week(ws).ingestor().scan()
    return dropped


class Judging:
    """Counts the cells `rules.judge` judges for the kept board's readers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cells = 0
        real = rules.judge

        def judge(event, units, *a, **k):  # type: ignore[no-untyped-def]
            out = real(event, units, *a, **k)
            self.cells += len(out)
            return out

        monkeypatch.setattr(rules, "judge", judge)
        monkeypatch.setattr(kept_judged, "judge", judge)


@pytest.mark.parametrize("seed", range(3))
def test_the_kept_states_equal_the_week_judged_afresh_at_every_moment(
    ws: Workspace, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    dropped = a_week(ws, seed)
    judging = Judging(monkeypatch)
    served = 0
    # Every two hours from the week's second day to after its end, and a few minutes either
    # side of a noon deadline.
    moments = [at(13) + dt.timedelta(hours=2 * i) for i in range(90)]
    moments += [at(15, 11, 59), at(15, 12, 0), at(15, 12, 1), at(16, 0, 0)]
    moments.sort()
    for i, now in enumerate(moments):
        other = Week(ws, clock=lambda now=now: now)  # another terminal, another process
        if i == 10:
            other.excuse("pzy", "2024-05-14", "停电")
        elif i == 20:
            other.extend("baofeng", "2024-05-15", at(16, 18))
        elif i % 7 == 3:
            drop_some(ws, rng, dropped, [b"same photo"], 40 + i, now, most=2, later=0)
            other.ingestor().scan()
        before = judging.cells
        reader = Week(ws, read_only=True, clock=lambda now=now: now)
        got = reader.cells(now).cells
        if judging.cells == before:
            served += 1  # nothing judged: the kept states served
        assert got == fresh(Week(ws), now), (i, now)
    assert served > len(moments) // 2  # the fast path is real


def test_after_an_arrival_only_its_units_are_judged_again(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_week(ws, 5)
    now = at(14, 20)
    Week(ws).cells(now)  # judged and kept
    drop(ws, "舞钢市/2024-05-14/新闻稿_补.docx", at(14, 19), b"late news")
    Week(ws).ingestor().scan()
    judging = Judging(monkeypatch)

    def every_cell(*_a: object) -> None:
        raise AssertionError("every kept cell was read")

    monkeypatch.setattr(kept_parts, "read_cells", every_cell)
    got = Week(ws, read_only=True).kept_cells(now)
    monkeypatch.undo()
    assert got is not None and got.cells == fresh(Week(ws), now)
    assert judging.cells == len(Week(ws).event.columns)  # one unit's cells


def test_a_state_is_not_served_past_a_deadline(ws: Workspace) -> None:
    drop(ws, "舞钢市/2024-05-13/新闻稿.docx", at(13, 9), b"report")
    Week(ws).ingestor().scan()
    before, after = at(14, 11), at(14, 12, 30)  # day 14 is due by noon: nothing came
    assert Week(ws).cells(before).cell("wugang", "2024-05-14").state == "due"
    assert (ws.dbdir / kept_judged.JUDGED).exists()
    assert Week(ws).cells(after).cell("wugang", "2024-05-14").state == "missing"
    assert Week(ws).cells(after).cells == fresh(Week(ws), after)


def damage(ws: Workspace, how: str) -> None:
    path = ws.dbdir / kept_judged.JUDGED
    data = path.read_bytes()
    head_line, body = data.split(b"\n", 1)
    head = json.loads(head_line)
    if how == "torn":
        path.write_bytes(data[: len(data) // 2])
    elif how == "tampered":  # a state changed, the head left as it was
        path.write_bytes(head_line + b"\n" + body.replace(b'"on_time"', b'"missing"', 1))
    elif how == "version":
        head["v"] = kept_judged.VERSION + 1
        path.write_bytes(json.dumps(head).encode() + b"\n" + body)
    elif how == "foreign":  # kept for other kept cells
        head["key"] = "0" * 64
        path.write_bytes(json.dumps(head).encode() + b"\n" + body)
    elif how == "forged":  # changed with its checksum made right: believed (only a hand)
        forged = body.replace(b'"on_time"', b'"missing"')
        head.update(len=len(forged), crc=zlib.crc32(forged))
        path.write_bytes(json.dumps(head).encode() + b"\n" + forged)
    else:
        path.unlink()


@pytest.mark.parametrize("how", ["torn", "tampered", "version", "foreign", "forged", "missing"])
def test_a_damaged_judged_file_is_never_trusted(ws: Workspace, how: str) -> None:
    drop(ws, "舞钢市/2024-05-13/新闻稿.docx", at(13, 9), b"report")
    Week(ws).ingestor().scan()
    now = at(14, 9)
    assert Week(ws).cells(now).cell("wugang", "2024-05-13").state == "on_time"
    damage(ws, how)
    got = Week(ws).cells(now).cell("wugang", "2024-05-13").state
    if how == "forged":
        assert got == "missing"  # the fast path is real: what is kept is what is served
        return
    assert got == "on_time"
    assert Week(ws).cells(now).cells == fresh(Week(ws), now)
    assert kept_judged.read(  # judged again and kept
        ws.dbdir,
        Week(ws).cache_key(),
        kept_judged.mark_of(Week(ws).ledger()),
        now,
        Week(ws).event.columns,
        [u.id for u in Week(ws).units()],
    )


@pytest.mark.parametrize("decision", ["excuse", "extend", "note"])
def test_another_terminals_decision_is_judged_with(ws: Workspace, decision: str) -> None:
    drop(ws, "舞钢市/2024-05-13/新闻稿.docx", at(13, 9), b"report")
    drop(ws, "宝丰县_5月13日_照片.jpg", at(13, 15), b"photo")  # late: noon was the deadline
    Week(ws).ingestor().scan()
    now = at(14, 9)
    Week(ws).cells(now)
    other = Week(ws, clock=lambda: at(14, 8))
    if decision == "excuse":
        other.excuse("pzy", "2024-05-13", "停电")
        cell, state = ("pzy", "2024-05-13"), "excused"
    elif decision == "extend":
        other.extend("baofeng", "2024-05-13", at(13, 16))
        cell, state = ("baofeng", "2024-05-13"), "on_time"
    else:
        other.note("pzy", "已电话提醒")
        cell, state = ("pzy", "2024-05-13"), "missing"
    assert Week(ws).cells(now).cell(*cell).state == state
    assert Week(ws).cells(now).cells == fresh(Week(ws), now)
