"""Placement an operator can trust: edits keep their credit, re-reads, corrections, dismissals.

Real workspaces in real folders, the real TinyDB files, the real ingestor.
"""

from __future__ import annotations

import json
import os

from conftest import at, drop

from weekwatch.store.week import Week
from weekwatch.tui.cli import run


def call(ws, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["-w", str(ws.root), "--operator", "小王", *args])
    return code, capsys.readouterr().out


def rewrite(ws, rel: str, data: bytes, when) -> None:
    """A unit's corrected version saved over the old one, at `when`."""
    path = ws.inbox / rel
    path.write_bytes(data)
    os.utime(path, (when.timestamp(), when.timestamp()))


# --- an edit keeps the credit ----------------------------------------------------------------


def test_an_on_time_cell_stays_on_time_after_a_rewrite_two_days_later(ws):
    drop(ws, "舞钢市/典型案例5月13日.docx", b"first", at(13, 10))
    drop(ws, "宝丰县/活动照片.jpg", b"photo", at(13, 11))  # no date: the arrival day
    week = Week(ws)
    week.ingestor().scan()
    assert week.board(at(13, 13)).cell("wugang", "2024-05-13").state == "on_time"
    assert week.board(at(13, 13)).cell("baofeng", "2024-05-13").state == "on_time"

    rewrite(ws, "舞钢市/典型案例5月13日.docx", b"corrected", at(15, 16))
    rewrite(ws, "宝丰县/活动照片.jpg", b"better photo", at(15, 16))
    assert len(week.ingestor().scan().added) == 2

    b = week.board(at(16, 9))
    assert b.cell("wugang", "2024-05-13").state == "on_time"
    assert b.cell("wugang", "2024-05-13").count == 1  # one file, not one per version
    # A name without a date was placed by its first arrival: the rewrite does not move it.
    assert b.cell("baofeng", "2024-05-13").state == "on_time"
    assert b.cell("baofeng", "2024-05-15").state == "missing"
    # Looking back to before the rewrite, the first version was in force.
    assert week.board(at(14, 9)).cell("wugang", "2024-05-13").state == "on_time"


def test_the_record_lists_versions_and_materials_marks_superseded(ws, capsys):
    drop(ws, "舞钢市/典型案例5月13日.docx", b"first", at(13, 10))
    call(ws, capsys, "ingest")
    rewrite(ws, "舞钢市/典型案例5月13日.docx", b"second", at(14, 9))
    call(ws, capsys, "ingest")
    rewrite(ws, "舞钢市/典型案例5月13日.docx", b"third", at(15, 9))
    call(ws, capsys, "ingest")

    rows = json.loads(call(ws, capsys, "materials", "--json")[1])
    current = [r for r in rows if not r.get("superseded")]
    assert len(current) == 1 and len(rows) == 3
    cur = current[0]
    assert cur["received_at"] == "2024-05-15T09:00:00+08:00"
    assert cur["first_received_at"] == "2024-05-13T10:00:00+08:00"
    assert cur["late"] is False
    assert [v["received_at"][:10] for v in cur["versions"]] == [
        "2024-05-13",
        "2024-05-14",
        "2024-05-15",
    ]
    assert [v["size"] for v in cur["versions"]] == [5, 6, 5]

    out = call(ws, capsys, "materials")[1].splitlines()
    assert sum("superseded" in line for line in out) == 2
    assert "version 3 of 3" in next(line for line in out if "superseded" not in line)
