"""Benchmark: `report consolidate` over a large roster (`store/report_consolidate.py`).

    python bench/consolidate.py [--units 500]

A week of N units after its end, each unit's 情况统计表 copy in its inbox as people send it: a
plain .xlsx (openpyxl) for most, every tenth an .xls (xlwt), every tenth inside a zip of summary
materials, every tenth attached to an e-mail. Times, after one ingest: the board, then reading
every unit's latest statistics file and matching it to the template (calamine), best of 3.
Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from weekwatch.fixtures.mails import Draft, File, foxmail
from weekwatch.fixtures.statforms import FIELDS, form_xls, form_xlsx
from weekwatch.fixtures.testweek import START, TITLE, at, clock_at
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store.config import init_workspace
from weekwatch.store.consolidate import read_template
from weekwatch.store.contents import material_bytes
from weekwatch.store.model import Unit
from weekwatch.store.report_consolidate import consolidate
from weekwatch.store.week import Week


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=500)
    n = ap.parse_args().units
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = init_workspace(root / "week", title=TITLE, start=START)
        units = [Unit(f"u{i:04d}", f"第{i}职业学校", (), "中职学校") for i in range(n)]
        week = Week(ws, clock=clock_at(at(20, 9)))
        week.store.put_units(units)
        t0 = time.perf_counter()
        when = at(19, 10).timestamp()
        for i, u in enumerate(units):
            row = [1, u.name, *(i % 97 + k for k in range(len(FIELDS))), ""]
            name = f"{u.name}情况统计表"
            if i % 10 == 1:
                path = form_xls(ws.inbox / u.name / f"{name}.xls", rows=[row])
            elif i % 10 in (2, 3):
                book = form_xlsx(root / "tmp.xlsx", rows=[row]).read_bytes()
                if i % 10 == 2:
                    path = ws.inbox / f"{u.name}总结材料.zip"
                    path.write_bytes(zip_bytes([(f"{name}.xlsx", book), ("总结.docx", b"d")]))
                else:
                    path = ws.inbox / "mail" / f"{u.id}.eml"
                    path.parent.mkdir(exist_ok=True)
                    mail = Draft("x@example.com", "联络员", f"{u.name}情况统计表", at(19, 10))
                    files = [File(f"{name}.xlsx", book)]
                    path.write_bytes(foxmail(dataclasses.replace(mail, files=files)))
            else:
                path = form_xlsx(ws.inbox / u.name / f"{name}.xlsx", rows=[row])
            os.utime(path, (when, when))
        print(f"{n} units' files written: {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        week.ingestor().scan()
        print(f"ingest: {time.perf_counter() - t0:.1f} s")
        template = read_template(form_xlsx(root / "template.xlsx"))
        best_board = best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            board = week.board(at(20, 9), "all")
            t1 = time.perf_counter()
            c = consolidate(board, template, lambda m: material_bytes(ws.inbox, m))
            t2 = time.perf_counter()
            best_board, best = min(best_board, t1 - t0), min(best, t2 - t1)
        clean = sum(1 for u in c.units if not u.figures.problems)
        print(
            f"board: {best_board:.2f} s; consolidate {n} units: {best:.2f} s "
            f"({n / best:.0f} units/s), {clean} without a problem"
        )
        assert clean == n, [(u.unit, u.figures.problems) for u in c.units if u.figures.problems][:3]


if __name__ == "__main__":
    main()
