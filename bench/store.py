"""Benchmark: the store's bulk paths — put 20,000 materials, put them again, read them back.

    python bench/store.py [--records 20000]

A per-record rewrite would make these quadratic; the figures belong in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from weekwatch.store.db import Store
from weekwatch.store.model import Material

T0 = dt.datetime(2024, 5, 13, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=20_000)
    n = ap.parse_args().records
    mats = [
        Material(
            key=f"单位{i % 50}/2024-05-13/典型案例_{i}.docx",
            path=f"单位{i % 50}/2024-05-13/典型案例_{i}.docx",
            sha256=f"{i:064x}",
            size=1000 + i,
            mtime_ns=i,
            received_at=T0 + dt.timedelta(minutes=i),
            unit="u1",
            kind="case",
            cell="2024-05-13",
        )
        for i in range(n)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        t = time.perf_counter()
        store.put_materials(mats)
        first = time.perf_counter() - t
        t = time.perf_counter()
        store.put_materials(mats)
        again = time.perf_counter() - t
        t = time.perf_counter()
        count = len(Store(Path(tmp)).materials())
        read = time.perf_counter() - t
    print(f"{n} records: put {first:.2f}s, put again {again:.2f}s, read {read:.2f}s ({count})")


if __name__ == "__main__":
    main()
