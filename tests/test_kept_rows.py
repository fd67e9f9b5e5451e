"""`materials --json` from the kept records in parts (store/kept_rows.py) prints, byte for byte,
what placing the whole week afresh prints.

Real files dropped into a real inbox, batch after batch (copies, versions, files nobody's, a
zip for two units, files gone), each ingested by another process's `Week` as a cron `ingest`
would; between batches a joint assignment, a dismissal and a recommend mark. After each
arrival the next reader brings the records current from their parts — only the parts the
arrival touched, never the whole week (a guard fails the test if it is placed) — and prints
them merged; the bytes must equal the whole week placed and printed afresh the way weekwatch
printed it before the parts (one JSON encoder, one record a line). A keeper killed mid-keep,
and a part torn, tampered, stale, foreign, missing or of another version, are never trusted.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import signal
import subprocess
import sys
import zipfile

import pytest

from weekwatch.fixtures.testweek import at, drop, drop_some
from weekwatch.store import kept_board, kept_parts, kept_rows, rules
from weekwatch.store.inbox_walk import spelled
from weekwatch.store.model import Unit
from weekwatch.store.reports import material_json
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

NOW = at(18, 20)

#: More units than the test roster's three: their records spread over more parts.
MORE = [
    Unit("xinhua", "新华区教育局", ("新华区",), "县市区教体局"),
    Unit("weidong", "卫东区教育局", ("卫东区",), "县市区教体局"),
    Unit("yexian", "叶县教育体育局", ("叶县",), "县市区教体局"),
    Unit("lushan", "鲁山县教育体育局", ("鲁山县",), "县市区教体局"),
]


def afresh(week: Week, waiting_only: bool = False) -> bytes:
    """The whole week placed by the rules and printed as `materials --json` printed it before
    the records were kept in parts: one encoder, one record a line, `,` after all but the last."""
    ledger = week.ledger()
    placed = rules.place(week.event, week.store.materials(), ledger, roster=week.units())
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    lines = []
    for p in placed:
        if waiting_only and not p.waiting:
            continue
        row = material_json(p, ledger.recommended)
        try:
            lines.append(dumps(row).encode("utf-8"))
        except UnicodeEncodeError:
            lines.append(dumps(spelled(row)).encode("utf-8", "backslashreplace"))
    return b"[\n" + b",\n".join(lines) + b"\n]\n" if lines else b"[]\n"


def printed(week: Week, waiting_only: bool = False) -> bytes:
    out = io.BytesIO()
    week.print_material_rows(out, waiting_only)
    return out.getvalue()


def kept_print(week: Week) -> bytes | None:
    out = io.BytesIO()
    return out.getvalue() if kept_board.print_kept_rows(week, out) else None


class NoWholeWeek:
    """Fails the test if the whole week is placed or kept whole again."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def whole(*_a: object, **_k: object) -> object:
            raise AssertionError("the whole week was placed again")

        monkeypatch.setattr(kept_parts, "write_whole", whole)
        monkeypatch.setattr(kept_rows, "encoded", whole)
        monkeypatch.setattr(rules, "place", whole)  # kept_board places through rules.place


def write_zip(ws: Workspace, rel: str, members: dict[str, bytes], when: dt.datetime) -> None:
    path = ws.inbox / rel
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    os.utime(path, (when.timestamp(), when.timestamp()))


def a_week(ws: Workspace, seed: int) -> tuple[random.Random, list[str]]:
    rng = random.Random(seed)
    Week(ws).store.put_units([*Week(ws).units(), *MORE])
    dropped: list[str] = []
    for step in range(6):
        drop_some(ws, rng, dropped, [b"same photo", b"same case"], step, at(12 + step, 13), 5, 0)
    for i, unit in enumerate(("新华区", "卫东区", "叶县", "鲁山县")):
        drop(ws, f"{unit}/2024-05-1{3 + i}/{unit}_新闻稿.docx", at(13 + i, 9), f"n{i}".encode())
    Week(ws, clock=lambda: NOW).ingestor().scan()
    # The first `materials --json`: the whole week placed, printed and kept.
    assert printed(Week(ws, read_only=True)) == afresh(Week(ws))
    assert kept_print(Week(ws)) == afresh(Week(ws))
    return rng, dropped


@pytest.mark.parametrize("seed", range(3))
def test_the_kept_records_brought_current_print_the_week_placed_afresh(
    ws: Workspace, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng, dropped = a_week(ws, seed)
    contents = [b"same photo", b"same case", b"another"]
    for step in range(10):
        other = Week(ws, clock=lambda: NOW)  # another process: a cron `weekwatch ingest`
        arrival = step not in (3, 6, 8)
        if step == 2:
            members = {"舞钢市_5月17日_简报.docx": b"a", "宝丰县_5月17日_简报.docx": b"b"}
            write_zip(ws, f"材料汇总{step}.zip", members, at(17, 10))
        elif step == 3:
            nobody = [m for m in other.store.materials() if m.unit is None and not m.superseded]
            joint = nobody[0].path if nobody else dropped[0]
            other.assign(joint, ["wugang", "xinhua"], "2024-05-16")  # a joint assignment
        elif step == 5:
            (ws.inbox / rng.choice(dropped)).unlink(missing_ok=True)  # a file gone
            drop(ws, "卫东区/2024-05-15/照片副本.jpg", at(15, 10), b"same photo")  # a copy
        elif step == 6:
            live = [m.path for m in other.store.materials() if not m.superseded]
            other.recommend(rng.sample(live, 2), "写得好")  # a mark
        elif step == 8:
            odd = [m for m in other.store.materials() if m.quarantine and not m.superseded]
            if odd:
                other.dismiss(odd[0].path, "不是材料")
        else:
            drop_some(ws, rng, dropped, contents, 6 + step, at(16, 13), most=4, later=0)
        if arrival:
            batch = other.ingestor().scan()
            if not (batch.added or batch.gone):
                continue
            NoWholeWeek(monkeypatch)  # an arrival: only the parts it touched
        reader = Week(ws, read_only=True)  # `materials --json` opens the week read-only
        got = printed(reader)
        monkeypatch.undo()
        assert got == afresh(Week(ws)), step
        assert kept_print(Week(ws)) == got, step  # kept current
        assert printed(Week(ws), waiting_only=True) == afresh(Week(ws), waiting_only=True)
    assert json.loads(got)


def test_an_arrival_rewrites_only_the_parts_it_touched(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_week(ws, 1)
    drop(ws, "鲁山县/2024-05-16/鲁山县_简报.docx", at(16, 11), b"fresh")
    drop(ws, "谁的都不是.pdf", at(16, 11), b"nobody's")
    Week(ws).ingestor().scan()
    written: list[str] = []
    real = kept_parts.update

    def spy(*a: object, **k: object) -> kept_parts.Updated | None:
        done = real(*a, **k)  # type: ignore[arg-type]
        if done is not None:
            written.extend(done.written)
        return done

    monkeypatch.setattr(kept_parts, "update", spy)
    NoWholeWeek(monkeypatch)
    got = printed(Week(ws, read_only=True))
    monkeypatch.undo()
    assert got == afresh(Week(ws))
    rows = sorted(n for n in written if n.startswith("board.r."))
    # The unit's part and the part of the file nobody's: not the 64.
    expected = {kept_rows.bucket("lushan"), kept_rows.bucket("谁的都不是.pdf")}
    assert rows == sorted(kept_parts.part_name("r", n) for n in expected), written


KILL = """
import os, signal, sys
from pathlib import Path
from weekwatch.store import kept_parts
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

real = kept_parts._write_part

def write_part(dbdir, name, body):
    token = real(dbdir, name, body)
    if name.startswith("board.r.") and token:
        os.kill(os.getpid(), signal.SIGKILL)  # killed with a part written, not the head
    return token

kept_parts._write_part = write_part
with open(os.devnull, "wb") as out:
    Week(Workspace(Path(sys.argv[1])), read_only=True).print_material_rows(out)
"""


@pytest.mark.parametrize("when", ["arrival", "whole"])
def test_a_reader_killed_mid_keep_leaves_parts_no_reader_trusts(ws: Workspace, when: str) -> None:
    a_week(ws, 2)
    if when == "arrival":
        drop(ws, "新华区/2024-05-17/新华区_简报.docx", at(17, 9), b"fresh")
        Week(ws).ingestor().scan()
    else:  # a mark: the records kept again whole, the cells current
        Week(ws).recommend([Week(ws).store.materials()[0].path], "好")
    done = subprocess.run([sys.executable, "-c", KILL, str(ws.root)], timeout=120)
    assert done.returncode == -signal.SIGKILL
    head = kept_parts.read_head(ws.dbdir)
    assert head is not None
    assert kept_print(Week(ws)) is None  # a part replaced, its head not written: not trusted
    assert printed(Week(ws, read_only=True)) == afresh(Week(ws))
    assert kept_print(Week(ws)) == afresh(Week(ws))  # kept again


def damage(ws: Workspace, how: str) -> None:
    """Damage one records part the way a full disk, a kill, an old copy or a hand would."""
    name = kept_parts.part_name("r", kept_rows.bucket("wugang"))
    path = ws.dbdir / name
    data = path.read_bytes()
    head, body = data.split(b"\n", 1)
    if how == "torn":
        path.write_bytes(data[: len(data) // 2])
    elif how == "tampered":  # one record's byte changed, the head line left as it was
        path.write_bytes(head + b"\n" + body.replace(b'"size": ', b'"size": 9', 1))
    elif how == "forged":  # changed with its length and checksum made right: only a hand
        import zlib

        forged = body.replace(b'"late": false', b'"late": true ', 1)
        doc = json.loads(head)
        doc.update(len=len(forged), crc=zlib.crc32(forged))
        path.write_bytes(json.dumps(doc).encode() + b"\n" + forged)
    elif how == "foreign":  # another part's file in its place
        others = [p for p in ws.dbdir.glob("board.r.*") if p != path]
        path.write_bytes(others[0].read_bytes())
    elif how == "stale":  # the same part as an earlier keep wrote it
        path.write_bytes(STALE[0])
    elif how == "version":  # the head of another version of weekwatch
        cells = ws.dbdir / kept_parts.HEAD
        doc = json.loads(cells.read_bytes())
        doc["v"] = kept_parts.PARTS_VERSION + 1
        cells.write_bytes(json.dumps(doc).encode() + b"\n")
    else:
        path.unlink()


STALE: list[bytes] = []


@pytest.mark.parametrize(
    "how", ["torn", "tampered", "forged", "foreign", "stale", "version", "missing"]
)
def test_a_damaged_records_part_is_never_trusted(ws: Workspace, how: str) -> None:
    a_week(ws, 0)
    STALE[:] = [(ws.dbdir / kept_parts.part_name("r", kept_rows.bucket("wugang"))).read_bytes()]
    drop(ws, "舞钢市/2024-05-16/新闻稿.docx", at(16, 11), b"fresh")
    Week(ws).ingestor().scan()
    assert printed(Week(ws, read_only=True)) == afresh(Week(ws))  # brought current
    damage(ws, how)
    if how == "forged":
        # The fast path is real: a part whose checksum was made right is believed.
        assert kept_print(Week(ws)) not in (None, afresh(Week(ws)))
        return
    assert kept_print(Week(ws)) is None
    assert printed(Week(ws, read_only=True)) == afresh(Week(ws))  # placed afresh
    assert kept_print(Week(ws)) == afresh(Week(ws))  # and kept again


def test_materials_json_after_another_process_ingest_is_the_week_placed_afresh(
    ws: Workspace,
) -> None:
    _rng, dropped = a_week(ws, 4)
    cli = [sys.executable, "-m", "weekwatch", "-w", str(ws.root)]
    env = {**os.environ, "WEEKWATCH_KEEPER": "0"}
    drop(ws, dropped[2], at(17, 9), b"rewritten")
    drop(ws, "平职院_5月16日_新闻稿.docx", at(16, 11), b"fresh")
    assert subprocess.run([*cli, "ingest"], env=env, capture_output=True).returncode == 0
    kept = subprocess.run([*cli, "materials", "--json"], env=env, capture_output=True)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout == afresh(Week(ws))
    assert kept_print(Week(ws)) == kept.stdout  # brought current, not placed whole
