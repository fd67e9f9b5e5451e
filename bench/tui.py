"""Benchmark: the dashboard with 2,000 units — first paint, and UI time per arrival.

    python bench/tui.py [--units 2000]

First paint is measured in a fresh interpreter, as an operator starts it (median of 3): from
the interpreter's start, and from the app built to the grid filled. Then, with the app's own
watcher running, ten files are dropped one at a time; for each, the UI-thread time of applying
the new board, and the time from the file written to its cell changed on screen.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weekwatch.store.config import init_workspace
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.app import make_app

START = dt.date(2024, 5, 12)
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2024, 5, 15, 11, 23, tzinfo=TZ)  # day 4, before the noon deadline
TODAY = "2024-05-15"

FIRST_PAINT = """
import asyncio, datetime as dt, sys, time
t0 = time.perf_counter()
from pathlib import Path
from weekwatch.store.workspace import Workspace
from weekwatch.tui.app import make_app
now = dt.datetime.fromisoformat(sys.argv[2])
async def main():
    app = make_app(Workspace(Path(sys.argv[1])), clock=lambda: now, watch=False, lang="zh")
    async with app.run_test(size=(200, 60)) as pilot:
        while app.dashboard.first_paint is None:
            await pilot.pause(0.01)
        print(time.perf_counter() - t0, app.dashboard.first_paint)
asyncio.run(main())
"""


def make_big(root: Path, n: int) -> Workspace:
    ws = init_workspace(root, title="基准", start=START)
    units = [
        Unit(f"u{i:04d}", f"第{i}号职业技术学院", (f"职院{i}",), "高职院校", f"区{i % 10}")
        for i in range(n)
    ]
    week = Week(ws, clock=lambda: NOW)
    week.store.put_units(units)
    for i in range(n):
        for d in range(3):
            if (i + d) % 4:
                p = ws.inbox / f"u{i:04d}" / f"u{i:04d}_{START + dt.timedelta(days=d)}_报道.docx"
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(p.name.encode())
    week.ingestor().scan()
    return ws


def first_paint(ws: Workspace) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(ws.root), NOW.isoformat()],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


async def arrivals(ws: Workspace, count: int = 10) -> tuple[list[float], list[float]]:
    app = make_app(ws, clock=lambda: NOW, watch=True, lang="zh", operator="bench")
    ui, end_to_end = [], []
    async with app.run_test(size=(200, 60)) as pilot:
        while app.watcher is None or not app.watcher.ready.is_set() or app.dashboard.grid.filling:
            await pilot.pause(0.05)
        for k in range(count):
            unit = f"u{k * 7:04d}"
            t1 = time.perf_counter()
            (ws.inbox / f"{unit}_第4天_新闻稿.docx").write_bytes(b"news %d" % k)
            while app.dashboard.grid.get_cell(unit, TODAY).plain != "✓1":
                if time.perf_counter() - t1 > 10:
                    raise SystemExit(f"{unit}: cell did not change within 10 s")
                await pilot.pause(0.01)
            end_to_end.append(app.dashboard.applied_at - t1)
            ui.append(app.dashboard.apply_seconds)
            await asyncio.sleep(0.1)
    return ui, end_to_end


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="weekwatch-bench-"))
    try:
        ws = make_big(tmp / "ws", args.units)
        runs = [first_paint(ws) for _ in range(3)]
        ui, e2e = asyncio.run(arrivals(ws))
        print(f"units: {args.units}")
        print(
            f"first paint, app built → grid filled: {statistics.median(r[1] for r in runs):.2f} s"
            f" (from the interpreter's start: {statistics.median(r[0] for r in runs):.2f} s;"
            " medians of 3)"
        )
        print(
            f"UI-thread time per arrival: median {statistics.median(ui) * 1000:.0f} ms,"
            f" max {max(ui) * 1000:.0f} ms"
        )
        print(
            f"file written → cell changed: median {statistics.median(e2e):.2f} s,"
            f" max {max(e2e):.2f} s"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
