"""Benchmark: `weekwatch report pack` of 20,000 materials, against a bare `zip -r` of the same
files, and the pack's peak memory.

    python bench/pack.py [--files 20000] [--units 500] [--kb 16] [--big-mb 0]

Makes a workspace of 500 units and `--files` files of `--kb` KB each (names in the naming
styles of bench/ingest.py), ingests them once, then times, each as its own process:
- `zip -r -q` (deflate, Info-ZIP's default) and `zip -r -q -0` (stored) of the inbox;
- `weekwatch report pack` (choose, lay out, copy every file, write the index), and its peak
  RSS (getrusage of that process alone).
`--big-mb N` adds one file of N MB: the pack's memory must not grow by it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import make_units  # noqa: E402  (the bench's roster, shared)

from weekwatch.store.config import init_workspace  # noqa: E402
from weekwatch.store.db import Store  # noqa: E402

KINDS = ["典型案例", "职教故事", "新闻稿", "照片", "视频"]
EXT = {"典型案例": "docx", "职教故事": "docx", "新闻稿": "docx", "照片": "jpg", "视频": "mp4"}

#: The pack as its own process, printing its own peak RSS (KB) last on stderr.
RUN = (
    "import resource, sys\n"
    "from weekwatch.tui.cli import run\n"
    "code = run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def make_files(inbox: Path, units: list, files: int, start: dt.date, kb: int) -> int:
    total = 0
    block = os.urandom(kb * 1024)  # incompressible, as photos and videos are
    for i in range(files):
        u = units[i % len(units)]
        day = start + dt.timedelta(days=(i // len(units)) % 7)
        kind = KINDS[i % len(KINDS)]
        rel = f"{u.name}/{day.isoformat()}/{kind}{i}.{EXT[kind]}"
        path = inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = rel.encode() + block  # distinct content: no file is another's copy
        path.write_bytes(data)
        total += len(data)
    return total


def timed(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    return time.perf_counter() - t0, done


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--kb", type=int, default=16)
    ap.add_argument("--big-mb", type=int, default=0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="weekwatch-bench-pack-"))
    try:
        start = dt.date(2024, 5, 12)
        ws = init_workspace(tmp / "ws", title="bench", start=start)
        units = make_units(args.units)
        Store(ws.dbdir).put_units(units)
        total = make_files(ws.inbox, units, args.files, start, args.kb)
        if args.big_mb:
            big = ws.inbox / units[0].name / "2024-05-13" / "视频big.mp4"
            with open(big, "wb") as f:
                for _ in range(args.big_mb):
                    f.write(os.urandom(1 << 20))
            total += args.big_mb << 20
        subprocess.run(
            [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "ingest"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        os.sync()
        if shutil.which("zip") is None:
            sys.exit("zip is not installed: this bench compares against Info-ZIP's zip -r")
        out = tmp / "out"
        out.mkdir()
        zip_deflate, _ = timed(["zip", "-r", "-q", str(out / "d.zip"), "."], cwd=ws.inbox)
        zip_stored, _ = timed(["zip", "-r", "-q", "-0", str(out / "s.zip"), "."], cwd=ws.inbox)
        pack = out / "pack.zip"
        cmd = [sys.executable, "-c", RUN, "-w", str(ws.root), "report", "pack"]
        elapsed, done = timed([*cmd, "--output", str(pack)])
        peak_kb = int(done.stderr.strip().splitlines()[-1])
        n = args.files + (1 if args.big_mb else 0)
        print(f"materials: {n:,} ({total / 1e6:,.0f} MB) across {args.units} units")
        print(f"zip -r -q (deflate):   {zip_deflate:.2f} s")
        print(f"zip -r -q -0 (stored): {zip_stored:.2f} s")
        print(f"weekwatch report pack: {elapsed:.2f} s  ({n / elapsed:,.0f} files/s)")
        print(f"ratio pack / zip -r -0: {elapsed / zip_stored:.1f}x")
        print(f"ratio pack / zip -r:    {elapsed / zip_deflate:.1f}x")
        print(f"pack size: {pack.stat().st_size / 1e6:,.0f} MB")
        print(f"peak RSS of the pack process: {peak_kb / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
