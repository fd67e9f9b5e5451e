"""Benchmark: from a small file dropped to it listed by `weekwatch materials`, with a live watcher.

    python bench/watch_latency.py [--drops 60] [--poll]

Starts `weekwatch watch` as its own process on a fresh workspace, drops files one at a time,
and times each from the moment its write is closed until the store lists it. Prints p50/p95/max.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weekwatch.store.config import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Unit


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drops", type=int, default=60)
    ap.add_argument("--poll", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="weekwatch-bench-"))
    ws = init_workspace(tmp / "ws", title="bench", start=dt.date.today())
    store = Store(ws.dbdir)
    store.put_units([Unit("wugang", "舞钢市教育体育局", ("舞钢市",))])
    cmd = [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "watch"] + ["--poll"] * args.poll
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        proc.stdout.readline()  # "watching …": the start-up scan is done
        time.sleep(0.5)
        lat = []
        for i in range(args.drops):
            rel = f"舞钢市_简报_{i}.docx"
            (ws.inbox / rel).write_bytes(b"report %d\n" % i)
            t0 = time.perf_counter()
            while not any(m.path == rel for m in store.materials()):
                if time.perf_counter() - t0 > 10:
                    raise SystemExit(f"{rel} not listed after 10 s")
                time.sleep(0.005)
            lat.append(time.perf_counter() - t0)
            time.sleep(0.1)
        lat.sort()
        p95 = lat[max(0, int(len(lat) * 0.95) - 1)]
        mode = "polling" if args.poll else "OS events"
        print(f"drops: {len(lat)} ({mode})")
        print(
            f"drop → listed: p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {lat[-1] * 1000:.0f} ms"
        )
    finally:
        proc.terminate()
        proc.wait(5)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
