"""Killing weekwatch mid-ingest: nothing left behind, nothing refused, nothing lost."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess

import pytest

from weekwatch.fixtures.damage import (
    group_emptied,
    group_grew,
    kill_group,
    live_in_group,
    many_files,
    weekwatch,
)
from weekwatch.store.ingest import IngestLock
from weekwatch.store.week import Week


def test_hashing_workers_die_with_a_killed_ingest_and_never_hold_its_lock(ws):
    many_files(ws, 3000)  # ≥ 2,000: hashed in forked workers
    for sig in (signal.SIGKILL, signal.SIGTERM):
        for shard in ws.dbdir.glob("materials*.json"):
            shard.unlink()
        proc = weekwatch(ws, "ingest")
        try:
            # Kill once the workers run: the moment they used to be orphaned.
            assert group_grew(proc.pid), "no worker seen"
            os.kill(proc.pid, sig)
            proc.wait(30)
            assert group_emptied(proc.pid), (
                f"left behind after {sig.name}: {live_in_group(proc.pid)}"
            )
            assert not IngestLock(ws.dbdir).held_by_other()
        finally:
            kill_group(proc.pid)
    done = weekwatch(ws, "ingest")
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err


@pytest.mark.slow
def test_ingest_killed_at_random_instants_loses_and_duplicates_nothing(ws):
    """≥ 20 SIGKILLs at random moments of an ingest of 5,000 files (docs/reliability.md)."""
    rng = random.Random(7)
    files = many_files(ws, 5000)
    trials = int(os.environ.get("WEEKWATCH_KILL_TRIALS", "20"))
    for trial in range(trials):
        if trial % 2 == 0:
            for shard in ws.dbdir.glob("materials*.json"):  # all to do again
                shard.unlink()
        else:
            for p in rng.sample(files, 500):  # new content for a tenth of the files
                p.write_bytes(p.read_bytes() + f"修订 {trial}\n".encode())
        proc = weekwatch(ws, "ingest")
        try:
            # A run lasts 1–4 s here (interpreter start to last write): kill anywhere in it.
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=rng.uniform(0.1, 3.0))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
            assert group_emptied(proc.pid), f"trial {trial}"
            assert not IngestLock(ws.dbdir).held_by_other(), f"trial {trial}: lock kept"
            Week(ws).store.materials()  # the database loads after every kill
        finally:
            kill_group(proc.pid)
    done = weekwatch(ws, "ingest")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    live = [m for m in Week(ws).store.materials() if not m.superseded]
    by_path = {}
    for m in live:
        assert m.path not in by_path, f"{m.path} recorded twice"
        by_path[m.path] = m
    assert len(by_path) == len(files)
    for p in files:
        m = by_path[str(p.relative_to(ws.inbox))]
        data = p.read_bytes()
        assert (m.sha256, m.size, m.gone) == (hashlib.sha256(data).hexdigest(), len(data), False)
