"""Judging again only what an arrival touches gives the very board a whole judging gives.

Real files dropped into a real inbox, ingested into the real store, batch after batch: new
files, copies (duplicates), files rewritten in place (versions), files the reading rules
quarantine, a joint file assigned to two units, files stamped after the moment judged.
After every batch the board re-judged from the previous one (store/rejudge.py) must equal the
board judged whole by the rules (cells and every placed material, in order).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from weekwatch.fixtures.testweek import at, drop, drop_some
from weekwatch.store import rules
from weekwatch.store.rejudge import Rejudger, rejudge
from weekwatch.store.week import Week


@pytest.mark.parametrize("seed", range(6))
def test_rejudged_board_equals_the_whole_board(ws, seed: int) -> None:
    rng = random.Random(seed)
    week = Week(ws, clock=lambda: at(12))
    contents = [b"same photo", b"same case", b"another", b"\x00" * 3]
    prev = None
    dropped: list[str] = []
    rejudged = 0
    for step in range(24):
        # Mostly between two deadlines (then only the touched units are judged again); the
        # steps from one day to the next cross deadlines (then the whole board is).
        now = at(12 + step // 6, 13 + (step % 6) // 2, rng.randrange(60))
        drop_some(ws, rng, dropped, contents, step, now, most=4, later=180)
        batch = week.ingestor().scan()
        ledger = week.ledger()
        if prev is not None and step % 7 == 3:
            joint = [m for m in week.store.materials() if "联合" in m.path and not m.superseded]
            if joint:
                week.assign(joint[0].path, ["wugang", "baofeng"], f"2024-05-1{rng.randint(2, 8)}")
                ledger = week.ledger()
                prev = None  # an action: the dashboard judges the whole board
        mats = week.store.materials()
        whole = rules.board(week.event, week.units(), mats, ledger, now)
        if prev is not None:
            units = {m.unit for m in (*batch.added, *batch.gone) if m.unit} if step % 2 else ()
            again = rejudge(week.event, week.units(), mats, ledger, now, prev, units)
            assert again.cells == whole.cells, f"step {step}"
            assert again.placed == whole.placed, f"step {step}"
            rejudged += 1
        prev = whole
    assert rejudged >= 18


@pytest.mark.parametrize("seed", range(4))
def test_a_kept_rejudger_gives_the_whole_board_batch_after_batch(ws, seed: int) -> None:
    """The index kept from one board to the next (what an arrival costs the dashboard): the
    board, each cell's materials, the quarantine and the totals equal a whole judging."""
    rng = random.Random(100 + seed)
    week = Week(ws, clock=lambda: at(12))
    judging = Rejudger()
    contents = [b"same photo", b"same case", b"another"]
    dropped: list[str] = []
    board = None
    carried = 0
    for step in range(30):
        now = at(12 + step // 8, 13 + (step % 8) // 3, rng.randrange(60))
        drop_some(ws, rng, dropped, contents, step, now, most=3, later=120)
        if dropped and rng.random() < 0.2:
            (ws.inbox / rng.choice(dropped)).unlink(missing_ok=True)  # gone from the inbox
        batch = week.ingestor().scan()
        ledger = week.ledger()
        mats = week.store.materials()
        units = week.units()
        if board is None or step % 11 == 5:
            board = judging.whole(week.event, units, mats, ledger, now, index=step % 2 == 0)
        else:
            touched = {m.unit for m in (*batch.added, *batch.gone) if m.unit}
            prev = board
            board = judging.again(week.event, units, mats, ledger, now, prev, touched)
            change = judging.change
            if change.units is not None:
                carried += 1
                gone = {id(p) for p in change.out}
                kept = [p for p in prev.placed if id(p) not in gone]
                assert sorted({*map(id, kept), *map(id, change.into)}) == sorted(
                    map(id, board.placed)
                )
        whole = rules.board(week.event, units, mats, ledger, now)
        assert board.cells == whole.cells, f"step {step}"
        assert board.placed == whole.placed, f"step {step}"
        assert board.by_cell == whole.by_cell, f"step {step}"
        assert board.quarantined == whole.quarantined, f"step {step}"
        assert {c: +n for c, n in board.counts.items()} == {
            c: +n for c, n in whole.counts.items()
        }, f"step {step}"
    assert carried >= 12


def test_arrivals_per_hour_counts_the_days_counted_arrivals_in_the_events_time(ws) -> None:
    from weekwatch.tui.view import arrivals_per_hour

    week = Week(ws, clock=lambda: at(18, 23, 59))
    rng = random.Random(3)
    for i in range(60):  # around midnight too, and a duplicate now and then
        when = at(14, 0, 0) + dt.timedelta(minutes=rng.randrange(-90, 24 * 60 + 90))
        data = b"same" if i % 7 == 0 else None
        drop(ws, f"舞钢市/2024-05-14/照片{i}.jpg", when, data)
    week.ingestor().scan()
    board = week.board()
    for day in (dt.date(2024, 5, 13), dt.date(2024, 5, 14), dt.date(2024, 5, 15)):
        hours = [0] * 24
        for p in board.placed:
            local = p.material.received_at.astimezone(week.event.tz)
            if p.counted and local.date() == day:
                hours[local.hour] += 1
        assert arrivals_per_hour(board, day) == hours
    assert sum(arrivals_per_hour(board, dt.date(2024, 5, 14))) > 40
