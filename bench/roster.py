"""Benchmark: importing rosters — a real-sized liaison sheet, and hostile ones.

    python bench/roster.py [--units 3000] [--rows 200000]

Each import runs as its own `weekwatch units import --dry-run` process (interpreter start,
calamine or CSV, header search, rows, pinyin ids, matching) and reports wall time and peak RSS:

- a liaison sheet of N units (.xlsx and .xls: title rows, merged heading, two-liaison merges);
- a hostile .xlsx and CSV of 200,000 unit rows (refused past MAX_UNITS: how fast it says so);
- a CSV of 200,000 blank rows under a few units (formatting dragged to the bottom: read to
  the end).

The figures belong in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weekwatch.store.config import init_workspace

PLACES = "奎文潍城寒亭坊子青州诸城寿光安丘高密昌邑临朐昌乐"
KINDS = ("教育和体育局", "职业学院", "中等专业学校", "技师学院", "初级中学", "职业高中")


def names(n: int) -> list[str]:
    out = []
    for i in range(n):
        a = PLACES[(i * 2) % len(PLACES)] + PLACES[(i * 2 + 1) % len(PLACES)]
        out.append(f"{a}第{i}{KINDS[i % len(KINDS)]}")
    return out


def liaison_xlsx(path: Path, n: int) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["附件1"])
    sheet.append(["联络员信息表"])
    sheet.merge_cells("A2:G2")
    sheet.append(["序号", "单位名称", "联络员", "职务", "办公电话", "手机", "电子邮箱"])
    row = 4
    for i, name in enumerate(names(n), start=1):
        sheet.append([i, name, f"联络员{i}", "科员", "0536-8888888", 13800000000 + i, f"u{i}@x.cn"])
        if i % 10 == 0:  # every tenth unit has a second liaison, its name merged over both
            sheet.append([None, None, f"副联络员{i}", "科长", None, 13900000000 + i, f"v{i}@x.cn"])
            sheet.merge_cells(f"B{row}:B{row + 1}")
            row += 1
        row += 1
    sheet.append(["合计", f"{n}个单位"])
    sheet.append(["填表人：某某  联系电话：13800000000"])
    book.save(path)


def liaison_xls(path: Path, n: int) -> None:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    sheet.write_merge(0, 0, 0, 6, "联络员信息表")
    for c, h in enumerate(["序号", "单位名称", "联络员", "职务", "办公电话", "手机", "电子邮箱"]):
        sheet.write(1, c, h)
    for i, name in enumerate(names(n), start=1):
        for c, v in enumerate([i, name, f"联络员{i}", "科员", "", 13800000000 + i, f"u{i}@x.cn"]):
            sheet.write(i + 1, c, v)
    book.save(str(path))


def hostile_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位名称", "联系人"])
    sheet.append(["[bold red]假学院[/]\u202e", "张三"])  # XML cannot hold C0 controls
    for i in range(rows):
        sheet.append([f"单位{i}", f"联系人{i}"])
    book.save(path)


def hostile_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("单位名称,联系人\n")
        f.writelines(f"单位{i},联系人{i}\n" for i in range(rows))


def blank_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("序号,单位名称,联络员\n1,潍坊职业学院,王五\n")
        f.write(",,\n" * rows)
        f.write("2,潍坊护理职业学院,赵六\n合计,,\n")


def run(ws: Path, path: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit status, last line) of one dry-run import process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(ws), "units", "import", str(path),
         "--dry-run"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    text = (r.stdout or r.stderr).strip().splitlines()
    last = next((ln for ln in reversed(text) if "units added" in ln), text[-1] if text else "")
    # ru_maxrss of children is the largest child so far: measure the big files last.
    return elapsed, max(peak, before) / 1024, r.returncode, last[:100]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = init_workspace(
            root / "ws", title="bench", start=__import__("datetime").date(2024, 5, 12)
        )
        cases = [
            (f"liaison sheet, {args.units} units (.xlsx)", "l.xlsx", liaison_xlsx, args.units),
            (f"liaison sheet, {args.units} units (.xls)", "l.xls", liaison_xls, args.units),
            (f"{args.rows:,} blank rows under 2 units (CSV)", "b.csv", blank_csv, args.rows),
            (f"{args.rows:,} unit rows (CSV, refused)", "h.csv", hostile_csv, args.rows),
            (f"{args.rows:,} unit rows (.xlsx, refused)", "h.xlsx", hostile_xlsx, args.rows),
        ]
        for label, name, make, n in cases:
            path = root / name
            t0 = time.perf_counter()
            make(path, n)
            made = time.perf_counter() - t0
            secs, rss, code, last = run(ws.root, path)
            size = path.stat().st_size / 1e6
            print(f"{label}: {secs:.2f} s, peak RSS {rss:.0f} MB, exit {code} "
                  f"({size:.1f} MB file, written in {made:.1f} s) — {last}")  # fmt: skip


if __name__ == "__main__":
    main()
