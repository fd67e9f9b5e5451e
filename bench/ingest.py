"""Benchmark: ingest 20,000 small files across 500 units, against the bare cost of hashing them.

    python bench/ingest.py [--files 20000] [--units 500]

Prints files/s for `weekwatch ingest` (one scan, run as its own process so its peak memory is
its own), the bare pass (`find … | xargs sha256sum`) on the same files, their ratio, and the
ingest process's peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weekwatch.store.config import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Unit

PLACES = [
    "新华",
    "卫东",
    "湛河",
    "石龙",
    "舞钢",
    "汝州",
    "宝丰",
    "叶县",
    "鲁山",
    "郏县",
    "高新",
    "开封",
    "洛阳",
    "许昌",
    "漯河",
    "南阳",
    "信阳",
    "周口",
    "驻马店",
    "商丘",
    "安阳",
    "鹤壁",
    "新乡",
    "焦作",
    "濮阳",
]
TYPES = [
    "教育体育局",
    "职业技术学院",
    "工业职业技术学院",
    "技师学院",
    "中等职业学校",
    "职业教育中心",
    "卫生职业学院",
    "财经职业学院",
    "交通职业学院",
    "农业职业学院",
    "艺术职业学院",
    "建筑职业学院",
    "商贸学校",
    "机电学校",
    "旅游学校",
    "幼儿师范学校",
    "电子信息学校",
    "化工学校",
    "林业学校",
    "体育学校",
]
KINDS = ["典型案例", "职教故事", "新闻稿", "简报", "照片", "视频"]


def make_units(n: int) -> list[Unit]:
    units = []
    for i in range(n):
        place, kind = PLACES[i % len(PLACES)], TYPES[(i // len(PLACES)) % len(TYPES)]
        units.append(Unit(f"u{i:04d}", f"{place}{kind}", (f"{place}{kind[:2]}{i:03d}",)))
    return units


def make_files(inbox: Path, units: list[Unit], files: int, start: dt.date) -> None:
    for i in range(files):
        u = units[i % len(units)]
        day = start + dt.timedelta(days=(i // len(units)) % 7)
        kind = KINDS[i % len(KINDS)]
        style = i % 4
        if style == 0:
            rel = f"{u.name}/{day.isoformat()}/{kind}{i}.docx"
        elif style == 1:
            rel = f"{day:%Y%m%d}/{u.aliases[0]}_{kind}_{i}.jpg"
        elif style == 2:
            rel = f"{u.id.upper()}_{day:%Y%m%d}_{i}.jpg"
        else:
            rel = f"{u.name}{day.month}月{day.day}日{kind}{i}.docx"
        path = inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{rel}\n".encode() * 8)


def bare_pass(inbox: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        f"find '{inbox}' -type f -print0 | xargs -0 sha256sum > /dev/null", shell=True, check=True
    )
    return time.perf_counter() - t0


def ingest_pass(root: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(root), "ingest"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=500)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="weekwatch-bench-"))
    try:
        start = dt.date(2024, 5, 12)
        ws = init_workspace(tmp / "ws", title="bench", start=start)
        units = make_units(args.units)
        Store(ws.dbdir).put_units(units)
        make_files(ws.inbox, units, args.files, start)
        os.sync()
        bare_pass(ws.inbox)  # warm the page cache for both passes alike
        bare = min(bare_pass(ws.inbox) for _ in range(3))
        elapsed, peak_kb = ingest_pass(ws.root)
        rescan, _ = ingest_pass(ws.root)  # nothing new: one stat per file
        out = subprocess.run(
            [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "materials", "--quarantine"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        quarantined = len(out.splitlines())
        print(f"files: {args.files} across {args.units} units ({quarantined} quarantined)")
        print(f"bare find | xargs sha256sum: {bare:.2f} s  ({args.files / bare:,.0f} files/s)")
        rate = args.files / elapsed
        print(f"weekwatch ingest (whole process): {elapsed:.2f} s  ({rate:,.0f} files/s)")
        print(f"ratio ingest / bare: {elapsed / bare:.1f}x")
        print(f"rescan with nothing new: {rescan:.2f} s")
        print(f"peak RSS of the ingest process: {peak_kb / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
