"""Several operators at once: every action recorded, every undo takes back its own action."""

from __future__ import annotations

import multiprocessing

from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

ROUNDS = 20
UNDOERS = 3


def _undo_rounds(root: str, barrier, errors) -> None:
    week = Week(Workspace(__import__("pathlib").Path(root)))
    for _ in range(ROUNDS):
        barrier.wait(30)  # the notes of this round are written
        try:
            week.undo(operator="undoer")
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.put(repr(exc))
        barrier.wait(30)  # every undo of this round is written


def test_concurrent_undos_take_back_distinct_actions(ws):
    week = Week(ws)
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(UNDOERS + 1)
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=_undo_rounds, args=(str(ws.root), barrier, errors))
        for _ in range(UNDOERS)
    ]
    for p in procs:
        p.start()
    try:
        for r in range(ROUNDS):
            for i in range(UNDOERS):
                week.note("wugang", f"第{r}轮第{i}条", operator="写手")
            barrier.wait(30)
            barrier.wait(30)
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    assert errors.empty(), errors.get()
    log = week.ledger()
    undos = [a for a in log.actions if a.type == "undo"]
    targets = [a.data["target"] for a in undos]
    assert len(undos) == ROUNDS * UNDOERS
    assert len(set(targets)) == len(targets), "two undos took back the same action"
    notes = {a.id for a in log.actions if a.type == "note"}
    assert set(targets) == notes  # each round's three notes, each taken back once
