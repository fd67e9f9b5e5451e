"""The kept board (store/board_cache.py) judges exactly as the whole week judged afresh.

Real files dropped into a real inbox and ingested into the real store, batch after batch
(copies, versions, quarantine, a joint assignment, a dismissal, an excuse, an extension, files
stamped after the moment); after each batch a new `Week` (as the next `status` process would)
reads the kept board, and its cells at several moments, both `--actions` modes, and the
`materials --json` records must equal what the rules give from the whole week. A kept board
that is stale, damaged or foreign is never trusted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import time
import zlib

import pytest

from weekwatch.fixtures.testweek import at, drop, drop_some
from weekwatch.store import board_cache, kept_board, kept_judged, kept_parts, kept_rows, rules
from weekwatch.store.ingest import spelled
from weekwatch.store.reports import materials_json
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace


def fresh_cells(week: Week, now: dt.datetime, actions: str) -> dict:
    """The whole week placed and judged by the rules at `now`: what the kept board must give."""
    ledger = week.ledger_at(now, actions)
    return rules.board(week.event, week.units(), week.store.materials(), ledger, now).cells


def fresh_rows(week: Week) -> list[dict]:
    placed = rules.place(week.event, week.store.materials(), week.ledger())
    return json.loads(json.dumps(spelled(materials_json(placed, week.ledger().recommended))))


def rows_of(body: bytes) -> list[dict]:
    return json.loads(b"[" + body + b"]")


def kept_print(week: Week) -> bytes | None:
    """What `materials --json` prints from the kept records, if they are current and whole."""
    out = io.BytesIO()
    return out.getvalue() if kept_board.print_kept_rows(week, out) else None


def row_parts(ws: Workspace) -> list:
    """The kept records' parts on disk (an empty part has no file)."""
    names = [kept_parts.part_name("r", n) for n in range(kept_parts.SHARDS)]
    return [ws.dbdir / name for name in names if (ws.dbdir / name).exists()]


@pytest.mark.parametrize("seed", range(4))
def test_kept_board_equals_the_whole_week_judged_afresh(ws: Workspace, seed: int) -> None:
    rng = random.Random(seed)
    clock = [at(12)]
    week = Week(ws, clock=lambda: clock[0])
    contents = [b"same photo", b"same case", b"another", b"\x00" * 3]
    dropped: list[str] = []
    served = 0
    for step in range(14):
        now = at(12 + step // 2, 13 + step % 2, rng.randrange(60))
        clock[0] = now
        # Some are stamped after the moment: the kept board cannot serve a moment before them.
        drop_some(ws, rng, dropped, contents, step, now, most=4, later=120)
        week.ingestor().scan()
        live = [m for m in week.store.materials() if not m.superseded]
        if step == 3:
            joint = [m for m in live if "联合" in m.path]
            if joint:
                week.assign(joint[0].path, ["wugang", "baofeng"], f"2024-05-1{rng.randint(2, 8)}")
        if step == 5:
            week.excuse("pzy", "2024-05-14", "停电")
            week.extend("baofeng", "2024-05-15", at(16, 18))
        if step == 7:
            odd = [m for m in live if m.quarantine is not None]
            if odd:
                week.dismiss(odd[0].path, "不是材料")
        newest = board_cache.newest(week.store.materials())
        assert newest is not None
        # Before the newest arrival, at it, after; an hour later; the week's end.
        moments = [now, newest - dt.timedelta(minutes=5), newest, newest + dt.timedelta(hours=1)]
        for when in (*moments, at(20, 9)):
            for actions in ("until", "all"):
                expected = fresh_cells(week, when, actions)
                for _ in range(2):  # the first may judge and keep; the second reads it
                    reader = Week(ws, read_only=True)
                    assert reader.cells(when, actions).cells == expected, (step, when, actions)
        reader = Week(ws, read_only=True)
        assert rows_of(reader.material_rows()) == fresh_rows(week), step
        assert rows_of(Week(ws, read_only=True).material_rows()) == fresh_rows(week), step
        waiting = [r for r in fresh_rows(week) if r["quarantine"] and "dismissed" not in r]
        waiting = [r for r in waiting if not r.get("superseded")]
        assert rows_of(Week(ws, read_only=True).material_rows(waiting_only=True)) == waiting
        served += 1
    assert (ws.dbdir / board_cache.CELLS).exists() and row_parts(ws)
    assert kept_print(Week(ws)) is not None
    assert served == 14


def warm(ws: Workspace, now: dt.datetime) -> Week:
    drop(ws, "舞钢市/2024-05-13/新闻稿.docx", at(13, 9), b"report")
    drop(ws, "宝丰县_5月13日_照片.jpg", at(13, 15), b"photo")
    week = Week(ws, clock=lambda: now)
    week.ingestor().scan()
    week.cells(now)
    week.material_rows()
    return week


def rewrite_part(ws: Workspace, name: str, body: bytes) -> None:
    """Replace a kept part's content, its token kept and its length and checksum made right:
    what only a deliberate forgery could do."""
    path = ws.dbdir / name
    head = json.loads(path.read_bytes().split(b"\n", 1)[0])
    head.update(len=len(body), crc=zlib.crc32(body))
    path.write_bytes(json.dumps(head).encode() + b"\n" + body)


def tamper_cells(ws: Workspace) -> None:
    """Rewrite the kept cells, key and all kept, as if the unit had sent nothing."""
    name = kept_parts.part_name("c", kept_parts.bucket("wugang"))
    doc = json.loads((ws.dbdir / name).read_bytes().split(b"\n", 1)[1])
    doc["cells"] = [c for c in doc["cells"] if c[0] != "wugang"]
    rewrite_part(ws, name, json.dumps(doc).encode())
    # And the states judged from them before (store/kept_judged.py): judged from these again.
    (ws.dbdir / kept_judged.JUDGED).unlink(missing_ok=True)


def test_a_moment_before_the_newest_arrival_is_judged_afresh(ws: Workspace) -> None:
    # The kept board places the whole week: a version arrived after the moment, a copy of
    # the unit's other photo, makes that one a duplicate — but not yet at the moment.
    drop(ws, "舞钢市/2024-05-13/照片1.jpg", at(13, 9), b"one")
    drop(ws, "舞钢市/2024-05-13/照片2.jpg", at(13, 9, 30), b"two")
    week = Week(ws, clock=lambda: at(13, 16))
    week.ingestor().scan()
    drop(ws, "舞钢市/2024-05-13/照片2.jpg", at(13, 15), b"one")
    week.ingestor().scan()
    later, before = at(13, 16), at(13, 12)
    assert Week(ws).cells(later).cell("wugang", "2024-05-13").count == 1
    assert (ws.dbdir / board_cache.CELLS).exists()  # kept, from the whole week
    assert Week(ws).cells(before).cell("wugang", "2024-05-13").count == 2
    assert Week(ws).cells(later).cell("wugang", "2024-05-13").count == 1


def test_a_decision_recorded_after_the_moment_waits_for_it_unless_all_are_asked(
    ws: Workspace,
) -> None:
    drop(ws, "谁也不是.pdf", at(13, 9), b"nobody's")
    week = warm(ws, at(14, 9))
    later = Week(ws, clock=lambda: at(15, 9))
    later.assign("谁也不是.pdf", ["pzy"], "2024-05-13")  # placed by hand on the 15th
    later.excuse("pzy", "2024-05-14", "停电")
    assert Week(ws).cells(at(16)).cell("pzy", "2024-05-13").state == "on_time"  # kept
    assert Week(ws).cells(at(14, 9)).cell("pzy", "2024-05-13").state == "missing"
    assert Week(ws).cells(at(14, 13)).cell("pzy", "2024-05-14").state == "missing"
    assert Week(ws).cells(at(14, 9), "all").cell("pzy", "2024-05-13").state == "on_time"
    assert Week(ws).cells(at(14, 13), "all").cell("pzy", "2024-05-14").state == "excused"
    assert week.cells(at(14, 9)).cells == fresh_cells(week, at(14, 9), "until")


def test_a_current_kept_board_is_what_readers_judge_from(ws: Workspace) -> None:
    # The damage first: a kept board with the right key is believed (the fast path is real).
    now = at(14, 9)
    warm(ws, now)
    tamper_cells(ws)
    assert Week(ws).cells(now).cell("wugang", "2024-05-13").state == "missing"
    kept = Week(ws).kept_cells(now)
    assert kept is not None and kept.cell("wugang", "2024-05-13").state == "missing"
    assert Week(ws).board(now).cell("wugang", "2024-05-13").state == "on_time"


def test_kept_cells_says_none_where_it_cannot_serve(ws: Workspace) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    assert week.kept_cells(now) is not None
    assert week.kept_cells(at(13, 10)) is None  # before the newest arrival
    board_cache.discard(ws.dbdir)
    assert week.kept_cells(now) is None  # nothing kept: the caller judges (and may keep)
    assert not (ws.dbdir / board_cache.CELLS).exists()


def test_an_arrival_makes_the_kept_board_stale_and_the_next_reader_judges_what_it_touched(
    ws: Workspace,
) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    tamper_cells(ws)  # wugang's kept cells forged (their checksum made right)
    stale = (ws.dbdir / board_cache.CELLS).read_bytes()
    drop(ws, "平职院_5月13日_新闻稿.docx", at(13, 11), b"new")
    week.ingestor().scan()
    reader = Week(ws)
    # Only the unit the arrival touched is placed again: the forged unit is as it was kept.
    assert reader.cells(now).cell("pzy", "2024-05-13").state == "on_time"
    assert reader.cells(now).cell("wugang", "2024-05-13").state == "missing"
    assert (ws.dbdir / board_cache.CELLS).read_bytes() != stale
    rows = rows_of(reader.material_rows())
    assert len(rows) == 3 and rows == fresh_rows(reader)
    # An arrival of that unit places it again, from its records as stored.
    drop(ws, "舞钢市/2024-05-14/新闻稿.docx", at(14, 8), b"next")
    week.ingestor().scan()
    assert Week(ws).kept_cells(now) is not None
    assert Week(ws).cells(now).cells == fresh_cells(Week(ws), now, "until")


@pytest.mark.parametrize("change", ["config", "roster", "assign", "dismiss", "undo"])
def test_what_the_board_was_judged_with_changing_makes_it_stale(ws: Workspace, change: str) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    if change == "undo":  # an assignment kept with the board, then taken back
        week.assign("宝丰县_5月13日_照片.jpg", ["wugang"], "2024-05-14")
        Week(ws).cells(now)
        Week(ws).material_rows()
    tamper_cells(ws)
    other = Week(ws, clock=lambda: now)  # another process: the CLI's
    if change == "config":
        text = ws.config.read_text(encoding="utf-8")
        ws.config.write_text(text.replace('daily_deadline = "12:00"', 'daily_deadline = "10:00"'))
        assert ws.config.read_text(encoding="utf-8") != text
    elif change == "roster":
        from weekwatch.store.model import Unit

        other.store.put_units([Unit("xinhua", "新华区教育局")])
    elif change == "assign":
        other.assign("宝丰县_5月13日_照片.jpg", ["wugang"], "2024-05-14")
    elif change == "dismiss":
        other.dismiss("舞钢市/2024-05-13/新闻稿.docx", "模板")
    else:
        other.undo()
    reader = Week(ws)
    assert reader.kept_cells(now) is None  # stale: the tampered cells are not believed
    assert reader.cells(now).cells == fresh_cells(reader, now, "until")
    assert rows_of(Week(ws).material_rows()) == fresh_rows(reader)
    assert Week(ws).kept_cells(now) is not None  # kept again


@pytest.mark.parametrize("decision", ["note", "contact", "excuse", "extend", "recommend"])
def test_a_decision_that_moves_no_file_leaves_the_kept_board_current(
    ws: Workspace, decision: str
) -> None:
    # Only assignments and dismissals change where a file is credited: every reader judges
    # excuses and extensions at its own moment from the kept arrivals.
    now = at(14, 9)
    warm(ws, now)
    other = Week(ws, clock=lambda: at(14, 8))  # another terminal's `weekwatch note` …
    rows_before = Week(ws).material_rows()
    if decision == "note":
        other.note("wugang", "已电话提醒")
    elif decision == "contact":
        other.contact("baofeng", "电话催报", "2024-05-14", promised_by=at(14, 17))
    elif decision == "excuse":
        other.excuse("wugang", "2024-05-14", "停电")
    elif decision == "extend":
        other.extend("baofeng", "2024-05-13", at(13, 16))  # its photo came at 15:00: on time
    else:
        other.recommend(["舞钢市/2024-05-13/新闻稿.docx"], "写得好")
    for when in (now, at(15, 13), at(20, 9)):
        assert Week(ws).kept_cells(when) is not None, when  # current: nothing judged
        assert Week(ws).cells(when).cells == fresh_cells(Week(ws), when, "until"), when
    # The kept records print lateness against an extended deadline and the marks: those two
    # make them stale; the others leave them as they were.
    moved = decision in ("extend", "recommend")
    assert (kept_print(Week(ws)) is None) == moved
    assert rows_of(Week(ws).material_rows()) == fresh_rows(Week(ws))
    assert (Week(ws).material_rows() != rows_before) == moved
    # The fast path is real: a tampered board behind a note is believed, not judged again.
    tamper_cells(ws)
    other.note("wugang", "再次提醒")
    assert Week(ws).cells(now).cell("wugang", "2024-05-13").state == "missing"


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x00\x01garbage", b"{}\n", b'{"v":1,"key":"x"}\n{"cells":[]}\n', None],
)
def test_a_damaged_kept_board_is_never_trusted(ws: Workspace, damage: bytes | None) -> None:
    now = at(14, 9)
    warm(ws, now)
    for path in (ws.dbdir / board_cache.CELLS, *row_parts(ws)):
        data = path.read_bytes()
        # None: cut short halfway, the key line whole (as a full disk or a kill could leave it).
        path.write_bytes(data[: len(data) // 2] if damage is None else damage)
    reader = Week(ws)
    assert reader.cells(now).cells == fresh_cells(reader, now, "until")
    assert rows_of(reader.material_rows()) == fresh_rows(reader)
    # Judged afresh, and kept again whole.
    assert kept_parts.read_cells(ws.dbdir, reader.cache_key()) is not None
    assert kept_print(Week(ws)) is not None


def test_a_wrong_shape_behind_the_right_key_reads_as_absent(ws: Workspace) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    key = week.cache_key()
    assert kept_parts.read_cells(ws.dbdir, key) is not None  # whole: the damage is what fails
    assert kept_print(week) is not None
    name = kept_parts.part_name("c", kept_parts.bucket("wugang"))
    for body in (b'{"cells":[[1,2,3,4]]}', b'{"cells":[["a","b",["x"],{}]]}', b"[]", b"{}"):
        rewrite_part(ws, name, body)
        assert kept_parts.read_cells(ws.dbdir, key) is None, body
    rows = ws.dbdir / kept_parts.part_name("r", kept_parts.bucket("wugang"))
    head, body = rows.read_bytes().split(b"\n", 1)
    assert b"report" in body
    rows.write_bytes(head + b"\n" + body.replace(b"report", b"photo"))  # same length, other crc
    assert kept_print(week) is None


def test_deleting_the_kept_board_loses_nothing(ws: Workspace) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    before = week.cells(now).cells, week.material_rows()
    board_cache.discard(ws.dbdir)
    assert not (ws.dbdir / board_cache.CELLS).exists()
    assert (Week(ws).cells(now).cells, Week(ws).material_rows()) == before


def test_a_board_rejudged_elsewhere_is_kept_only_when_nothing_changed_since(ws: Workspace) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    board_cache.discard(ws.dbdir)
    key = week.cache_key()
    materials = week.store.materials()
    ledger = week.ledger_at(now)
    judged = rules.board(week.event, week.units(), materials, ledger, now)
    assert week.keep(judged, key, materials, ledger)
    assert Week(ws).cells(now).cells == judged.cells
    board_cache.discard(ws.dbdir)
    drop(ws, "平职院_5月13日_新闻稿.docx", at(13, 11), b"new")
    week.ingestor().scan()  # another process's write between the key and the board
    assert not week.keep(judged, key, materials, ledger)
    assert not (ws.dbdir / board_cache.CELLS).exists()
    early = at(13, 10)  # before an arrival: the board at that moment is not the whole week's
    key, materials = week.cache_key(), week.store.materials()
    ledger = week.ledger_at(early)
    assert not week.keep(
        rules.board(week.event, week.units(), materials, ledger, early), key, materials, ledger
    )


def test_a_reader_that_cannot_keep_the_board_still_judges(ws: Workspace) -> None:
    now = at(14, 9)
    warm(ws, now)
    board_cache.discard(ws.dbdir)
    for name in (board_cache.CELLS, kept_parts.part_name("r", kept_parts.bucket("wugang"))):
        (ws.dbdir / name).mkdir()  # nothing can be renamed over a folder: every write fails
    reader = Week(ws, read_only=True)
    assert reader.cells(now).cells == fresh_cells(reader, now, "until")
    assert rows_of(reader.material_rows()) == fresh_rows(reader)
    assert not [p for p in ws.dbdir.iterdir() if board_cache.TMP_MARK in p.name]


def weekwatch(ws: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(ws.root), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_status_and_materials_print_the_same_from_the_kept_board(ws: Workspace) -> None:
    warm(ws, at(14, 9))
    board_cache.discard(ws.dbdir)
    for args in (
        ["--as-of", "2024-05-14 09:00", "status", "--json"],
        ["--as-of", "2024-05-14 09:00", "status"],
        ["materials", "--json"],
        ["materials", "--json", "--quarantine"],
    ):
        cold = weekwatch(ws, *args)
        assert cold.returncode == 0, cold.stderr
        warm_run = weekwatch(ws, *args)
        assert warm_run.returncode == 0 and warm_run.stdout == cold.stdout, args
        if "--json" in args:
            json.loads(cold.stdout)  # one record a line, and still one JSON document
    assert row_parts(ws) and kept_print(Week(ws)) is not None
    rows = json.loads(weekwatch(ws, "materials", "--json").stdout)
    assert [r["path"] for r in rows] == ["舞钢市/2024-05-13/新闻稿.docx", "宝丰县_5月13日_照片.jpg"]


def test_kept_files_are_owner_and_group_only(ws: Workspace) -> None:
    warm(ws, at(14, 9))
    for path in (ws.dbdir / board_cache.CELLS, *row_parts(ws)):
        assert path.stat().st_mode & 0o777 == 0o660, path.name


def test_a_killed_readers_leftover_is_swept_by_the_next_write(ws: Workspace) -> None:
    now = at(14, 9)
    warm(ws, now)
    old = ws.dbdir / f".{board_cache.CELLS}{board_cache.TMP_MARK}999999-dead"
    fresh = ws.dbdir / f".{board_cache.CELLS}{board_cache.TMP_MARK}999998-busy"
    for p in (old, fresh):
        p.write_bytes(b"half")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    board_cache.discard(ws.dbdir)
    Week(ws, read_only=True).cells(now)  # judged afresh and kept: sweeps beside it
    Week(ws).material_rows()
    assert not old.exists()
    assert fresh.exists()  # another reader may be writing it now


def test_the_kept_records_are_printed_checked_whole_first(ws: Workspace) -> None:
    now = at(14, 9)
    week = warm(ws, now)
    expected = io.BytesIO()
    placed = rules.place(week.event, week.store.materials(), week.ledger(), roster=week.units())
    kept_rows.print_lines(expected, kept_rows.encoded(placed, week.ledger())[0])
    printed = kept_print(week)
    assert printed == expected.getvalue()
    assert json.loads(printed) == fresh_rows(week)
    # One byte of the last part changed: nothing is printed from any of them.
    last = row_parts(ws)[-1]
    data = last.read_bytes()
    last.write_bytes(data[:-3] + (b"X" if data[-3:-2] != b"X" else b"Y") + data[-2:])
    damaged = io.BytesIO()
    assert not kept_board.print_kept_rows(Week(ws), damaged)
    assert damaged.getvalue() == b""
    again = io.BytesIO()
    Week(ws).print_material_rows(again)  # placed afresh, kept again
    assert again.getvalue() == expected.getvalue()
    assert kept_print(Week(ws)) == expected.getvalue()
