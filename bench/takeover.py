"""Benchmark: how long intake stops when the process taking in files goes away.

    python bench/takeover.py [--runs 5] [--signal KILL|INT]

Starts `weekwatch watch` as its own process on a fresh workspace and a dashboard (the real
app, headless) that follows it; kills the watch process, then times (a) from the kill until
the dashboard holds the ingest lock and its watcher's start-up scan is done, and (b) from a
file written right after the kill until its cell shows it. Prints each run and the worst.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weekwatch.store import presence
from weekwatch.store.config import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Unit
from weekwatch.tui.app import make_app


async def one_run(sig: signal.Signals) -> tuple[float, float]:
    tmp = Path(tempfile.mkdtemp(prefix="weekwatch-bench-"))
    try:
        today = dt.date.today()
        ws = init_workspace(tmp / "ws", title="bench", start=today - dt.timedelta(days=1))
        Store(ws.dbdir).put_units([Unit("wugang", "舞钢市教育体育局", ("舞钢市",))])
        cmd = [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "watch"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # "watching …"
        app = make_app(ws, lang="en", operator="bench")
        async with app.run_test(size=(120, 40)) as pilot:
            while app.inbox.following != str(proc.pid):
                await pilot.pause(0.05)
            os.kill(proc.pid, sig)
            t0 = time.perf_counter()
            (ws.inbox / f"舞钢市_{today:%Y-%m-%d}_报道.docx").write_bytes(b"report")
            proc.wait(30)
            while app.watcher is None or not app.watcher.ready.is_set():
                await pilot.pause(0.02)
            took = time.perf_counter() - t0
            column = today.isoformat()
            while app.dashboard.grid.get_cell("wugang", column).plain[:1] not in ("✓", "!"):
                await pilot.pause(0.02)
            shown = time.perf_counter() - t0
        assert presence.ingest_holder(ws.dbdir) is None  # the app let go on exit
        return took, shown
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--signal", default="KILL", choices=["KILL", "INT"])
    args = ap.parse_args()
    sig = signal.Signals[f"SIG{args.signal}"]
    results = [asyncio.run(one_run(sig)) for _ in range(args.runs)]
    for took, shown in results:
        print(f"taken over after {took:.2f} s; the file's cell shown after {shown:.2f} s")
    worst_took, worst_shown = (max(r[i] for r in results) for i in (0, 1))
    print(f"worst: taken over after {worst_took:.2f} s, shown after {worst_shown:.2f} s")


if __name__ == "__main__":
    main()
