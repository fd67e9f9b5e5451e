"""Benchmark: the search that narrows the grid as the operator types (`store/unit_search.py`).

    python bench/search.py [--units 1000]

Times, in a fresh interpreter: working out every unit's forms (pypinyin's dictionaries load on
the first), then one keystroke's ranking for a few queries (ids, initials, full pinyin,
Chinese), best of 20. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from weekwatch.store.model import Unit
from weekwatch.store.unit_search import rank, warm

ENDINGS = ("职业中等专业学校", "职业技术学院", "教育体育局", "技师学院", "卫生学校")
QUERIES = ("u12", "pds", "pdszy", "weisheng", "技师", "职业技术")


def units(n: int) -> list[Unit]:
    return [
        Unit(f"u{i}", f"平顶山市第{i}{ENDINGS[i % len(ENDINGS)]}", (f"{i}号校",)) for i in range(n)
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=1000)
    n = ap.parse_args().units
    roster = units(n)
    t0 = time.perf_counter()
    warm(roster)
    print(f"forms of {n} units (pypinyin loaded): {time.perf_counter() - t0:.3f} s")
    for q in QUERIES:
        best = min(_time(lambda q=q: rank(roster, q)) for _ in range(20))
        print(f"{q!r:>12}: {len(rank(roster, q)):5d} matches  {best * 1000:6.2f} ms a keystroke")


def _time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
