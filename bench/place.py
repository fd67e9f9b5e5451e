"""Benchmark: placing and judging 20,000 materials of 500 units (what every board costs).

    python bench/place.py [--records 20000] [--rewritten 0.05]

`--rewritten` is the share of files that were rewritten in place (two versions each), which
takes `rules.place` off its fast path. CPU time, best of 15 runs; figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from zoneinfo import ZoneInfo

from weekwatch.store import rules
from weekwatch.store.ledger import fold
from weekwatch.store.model import Event, Material, Unit

TZ = ZoneInfo("Asia/Shanghai")
EVENT = Event(
    "活动周",
    dt.date(2024, 5, 12),
    plan_deadline=dt.datetime(2024, 5, 12, 12, tzinfo=TZ),
    summary_deadline=dt.datetime(2024, 5, 25, tzinfo=TZ),
)


def best(f: Callable[[], object], n: int = 15) -> float:
    out = float("inf")
    for _ in range(n):
        t = time.process_time()
        f()
        out = min(out, time.process_time() - t)
    return out * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--rewritten", type=float, default=0.0)
    args = ap.parse_args()
    units = [Unit(f"u{i}", f"单位{i}") for i in range(500)]
    mats: list[Material] = []
    for i in range(args.records):
        day = 12 + i % 7
        m = Material(
            f"p{i}",
            f"p{i}",
            f"{i:064x}",
            10,
            0,
            dt.datetime(2024, 5, day, 9, tzinfo=TZ),
            f"u{i % 500}",
            "report",
            f"2024-05-{day}",
        )
        if i < args.records * args.rewritten:
            mats.append(replace(m, key=f"p{i}@old", superseded=True))
            m = replace(m, sha256=f"{i + 1:064x}", received_at=m.received_at + dt.timedelta(days=2))
        mats.append(m)
    mats.sort(key=lambda m: (m.received_at, m.path))  # the store's order
    ledger = fold([])
    now = dt.datetime(2024, 5, 20, tzinfo=TZ)
    print(f"place: {best(lambda: rules.place(EVENT, mats, ledger)):.0f} ms")
    print(f"board: {best(lambda: rules.board(EVENT, units, mats, ledger, now)):.0f} ms")


if __name__ == "__main__":
    main()
