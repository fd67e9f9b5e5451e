"""Benchmark: ingest 1,000 saved e-mails of 3 attachments each (3,000 materials), 500 units.

    python bench/mail.py [--messages 1000] [--units 500]

The messages are written as Foxmail, QQ Mail, 163 Mail and Outlook write them (GBK and
GB18030 words, RFC 2231 names, a signature logo), each from a unit's liaison address, with
three attachments of 20–60 kB. Prints messages/s and materials/s for `weekwatch ingest` (one
scan, run as its own process), a rescan with nothing new, and the ingest's peak RSS.
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
from zoneinfo import ZoneInfo

from weekwatch.fixtures.mails import CLIENTS, Draft, File
from weekwatch.store.config import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Unit

TZ = ZoneInfo("Asia/Shanghai")
PLACES = ["新华", "卫东", "湛河", "石龙", "舞钢", "汝州", "宝丰", "叶县", "鲁山", "郏县"]
TYPES = ["教育体育局", "职业技术学院", "技师学院", "中等职业学校", "职业教育中心"]
CLIENT_NAMES = ["foxmail", "qqmail", "163", "outlook"]


def make_units(n: int) -> list[Unit]:
    return [
        Unit(
            f"u{i:04d}",
            f"{PLACES[i % 10]}{TYPES[(i // 10) % 5]}{i}",
            liaison_email=f"liaison{i}@163.com",
        )
        for i in range(n)
    ]


def make_messages(inbox: Path, units: list[Unit], messages: int, start: dt.date) -> int:
    folder = inbox / "mail"
    folder.mkdir(parents=True)
    total = 0
    for i in range(messages):
        u = units[i % len(units)]
        day = start + dt.timedelta(days=i % 7)
        files = tuple(
            File(f"{day.month}月{day.day}日活动照片{i}-{k}.jpg", os.urandom(20_000 * (1 + k)))
            for k in range(2)
        ) + (File(f"典型案例{i}.docx", os.urandom(30_000), "application/msword"),)
        draft = Draft(
            u.liaison_email,
            f"联络员{i}",
            f"{u.name}{day.month}月{day.day}日材料",
            dt.datetime.combine(day, dt.time(10, i % 60), tzinfo=TZ),
            files=files,
        )
        data = CLIENTS[CLIENT_NAMES[i % 4]](draft)
        (folder / f"{i:05d}.eml").write_bytes(data)
        total += len(data)
    return total


def ingest_pass(root: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(root), "ingest"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--units", type=int, default=500)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="weekwatch-bench-mail-"))
    try:
        start = dt.date(2024, 5, 12)
        ws = init_workspace(tmp / "ws", title="bench", start=start)
        units = make_units(args.units)
        Store(ws.dbdir).put_units(units)
        size = make_messages(ws.inbox, units, args.messages, start)
        os.sync()
        elapsed = ingest_pass(ws.root)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rescan = ingest_pass(ws.root)
        out = subprocess.run(
            [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "materials", "--quarantine"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        materials = len(Store(ws.dbdir).materials())
        print(f"messages: {args.messages} ({size / 1e6:.0f} MB), {args.units} units")
        print(f"materials recorded: {materials} ({len(out.splitlines())} quarantined)")
        print(
            f"weekwatch ingest (whole process): {elapsed:.2f} s "
            f"({args.messages / elapsed:,.0f} messages/s, {materials / elapsed:,.0f} materials/s)"
        )
        print(f"rescan with nothing new: {rescan:.2f} s")
        print(f"peak RSS of the ingest process: {peak_kb / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
