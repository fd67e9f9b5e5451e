"""2,000 units: first paint and UI-thread time per arrival (opt-in: WEEKWATCH_PERF=1).

WEEKWATCH_PERF=1 pytest tests/test_app_perf.py -s
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

import pytest
from test_app import TODAY, app_for, settle
from test_app_kit import NOW, at, drop, make_workspace

from weekwatch.store.model import Unit

pytestmark = pytest.mark.skipif(
    not os.environ.get("WEEKWATCH_PERF"), reason="set WEEKWATCH_PERF=1 to measure"
)

N_UNITS = 2000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    units = [
        Unit(f"u{i:04d}", f"第{i}号职业技术学院", (f"职院{i}",), "高职院校", f"区{i % 10}")
        for i in range(N_UNITS)
    ]
    drops = [
        (f"u{i:04d}/u{i:04d}_2024-05-{12 + d}_报道.docx", at(d + 1, 9 + i % 5))
        for i in range(N_UNITS)
        for d in range(3)
        if (i + d) % 4
    ]
    return make_workspace(tmp_path_factory.mktemp("big") / "ws", units, drops)


async def test_first_paint_and_arrivals_with_2000_units(big):
    t0 = time.perf_counter()
    app = app_for(big, watch=True, lang="zh")
    async with app.run_test(size=(200, 60)) as pilot:
        while app.first_paint is None:
            await pilot.pause(0.01)
        first_paint = time.perf_counter() - t0
        await settle(pilot, lambda: app.watcher is not None and not app.grid.filling, timeout=20)
        await pilot.pause(1.5)  # the watcher's own start-up scan: files written during it wait
        per_arrival, end_to_end = [], []
        for k in range(10):
            unit = f"u{k * 7:04d}"
            applied = app._applied
            t1 = time.perf_counter()
            drop(big, f"{unit}_第4天_新闻稿.docx", NOW, b"news %d" % k)
            await settle(pilot, lambda u=unit: app.grid.get_cell(u, TODAY).plain == "✓1", 10)
            end_to_end.append(time.perf_counter() - t1)
            assert app._applied > applied
            per_arrival.append(app.apply_seconds)
            await asyncio.sleep(0.1)
    print(
        f"\n{N_UNITS} units: first paint {first_paint:.2f} s (app built → grid filled); "
        f"per arrival: UI thread median {statistics.median(per_arrival) * 1000:.0f} ms "
        f"(max {max(per_arrival) * 1000:.0f} ms), file written → cell changed median "
        f"{statistics.median(end_to_end):.2f} s (max {max(end_to_end):.2f} s)"
    )
    assert first_paint < 1.5
    assert max(end_to_end) < 2.0
