"""Kept cells brought current after another process's write (store/kept_parts.py).

A week of real drops is ingested and its board kept; then another process writes (a new file,
a version, a copy, a file nobody's, a file gone, a zip for two units, an assignment, an excuse,
a roster change, weekwatch.toml changed), and the next reader — a new `Week`, or a real
`weekwatch status --json` process — must judge exactly what the whole week judged afresh
gives. For an arrival it must get there without placing the whole week (only the parts it
touched are rewritten); a damaged, torn, foreign or half-written part is never trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import zipfile

import pytest

from weekwatch.fixtures.testweek import at, drop, drop_some
from weekwatch.store import kept_parts, rules
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

NOW = at(18, 20)  # the week's last evening: every drop below has arrived by then


def fresh_cells(week: Week, now: dt.datetime, actions: str = "until") -> dict:
    ledger = week.ledger_at(now, actions)
    return rules.board(week.event, week.units(), week.store.materials(), ledger, now).cells


def a_week(ws: Workspace, seed: int = 7) -> list[str]:
    """Forty-odd real drops over the week (copies, versions, nobody's files, joint files),
    ingested, and the board kept as the next `status` would keep it."""
    rng = random.Random(seed)
    dropped: list[str] = []
    contents = [b"same photo", b"same case", b"another"]
    week = Week(ws, clock=lambda: NOW)
    for step in range(12):
        drop_some(ws, rng, dropped, contents, step, at(12 + step // 2, 13), most=5, later=0)
    week.ingestor().scan()
    Week(ws, clock=lambda: NOW).cells(NOW)
    assert Week(ws).kept_cells(NOW) is not None
    return dropped


class NoWholeWeek:
    """Fails the test if the whole week is placed or written again (the incremental path)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def whole(*_a: object, **_k: object) -> bool:
            raise AssertionError("the whole week was kept again")

        monkeypatch.setattr(kept_parts, "write_whole", whole)


def write_zip(ws: Workspace, rel: str, members: dict[str, bytes], when: dt.datetime) -> None:
    import os

    path = ws.inbox / rel
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    os.utime(path, (when.timestamp(), when.timestamp()))


ARRIVALS = ["new", "version", "copy", "nobodys", "gone", "zip", "joint", "many"]


@pytest.mark.parametrize("write", ARRIVALS)
def test_an_arrival_is_judged_again_only_where_it_touched(
    ws: Workspace, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dropped = a_week(ws)
    other = Week(ws, clock=lambda: NOW)  # another process: a cron `weekwatch ingest`
    if write == "new":
        drop(ws, "平职院_5月16日_新闻稿.docx", at(16, 11), b"fresh")
    elif write == "version":  # a file rewritten in place: the same name, new content
        drop(ws, dropped[3], at(17, 9), b"rewritten")
    elif write == "copy":  # the same photo again under another name: a duplicate
        drop(ws, "舞钢市/2024-05-15/照片副本.jpg", at(15, 10), b"same photo")
    elif write == "nobodys":
        drop(ws, "不知道是谁的.pdf", at(15, 10), b"nobody")
    elif write == "gone":
        (ws.inbox / dropped[0]).unlink()
    elif write in ("zip", "joint"):
        members = {"舞钢市_5月17日_简报.docx": b"a", "宝丰县_5月17日_简报.docx": b"b"}
        write_zip(ws, "材料汇总.zip", members, at(17, 10))
        if write == "joint":  # kept with the week, then one unit's arrival touches the zip
            other.ingestor().scan()
            assert Week(ws).kept_cells(NOW) is not None
            drop(ws, "舞钢市/2024-05-17/照片.jpg", at(17, 11), b"one more")
    else:
        for i, rel in enumerate(dropped[:10]):
            drop(ws, rel, at(17, 8, i), f"again {i}".encode())
    batch = other.ingestor().scan()
    assert batch.added or batch.gone
    NoWholeWeek(monkeypatch)
    reader = Week(ws, read_only=True)  # `status` opens the week read-only
    kept = reader.kept_cells(NOW)
    assert kept is not None, "not brought current"
    monkeypatch.undo()
    for when in (NOW, at(20, 9)):
        for actions in ("until", "all"):
            expected = fresh_cells(Week(ws), when, actions)
            assert Week(ws).kept_cells(when, actions).cells == expected, (when, actions)


def test_a_bucket_of_few_parts_is_written(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    a_week(ws)
    drop(ws, "平职院_5月16日_新闻稿.docx", at(16, 11), b"fresh")
    Week(ws).ingestor().scan()
    written: list[str] = []
    real = kept_parts.update

    def spy(*a: object, **k: object) -> kept_parts.Updated | None:
        done = real(*a, **k)  # type: ignore[arg-type]
        if done is not None:
            written.extend(done.written)
        return done

    monkeypatch.setattr(kept_parts, "update", spy)
    assert Week(ws).kept_cells(NOW) is not None
    # One unit's cells and records, one shard's checksums: not the 192 parts.
    assert 1 <= len(written) <= 4, written
    assert any(name.startswith("board.c.") for name in written)


@pytest.mark.parametrize("write", ["assign", "dismiss", "excuse", "roster", "config"])
def test_a_decision_or_the_roster_is_judged_right(ws: Workspace, write: str) -> None:
    a_week(ws)
    other = Week(ws, clock=lambda: at(18, 9))
    live = [m for m in other.store.materials() if not m.superseded]
    if write == "assign":
        nobody = [m for m in live if m.unit is None]
        other.assign(nobody[0].path, ["wugang", "pzy"], "2024-05-16")
    elif write == "dismiss":
        other.dismiss(next(m.path for m in live if m.unit == "wugang"), "模板")
    elif write == "excuse":
        other.excuse("pzy", "2024-05-14", "停电")
    elif write == "roster":
        other.store.put_units([Unit("xinhua", "新华区教育局")])
    else:
        text = ws.config.read_text(encoding="utf-8")
        ws.config.write_text(text.replace('daily_deadline = "12:00"', 'daily_deadline = "10:00"'))
    for when in (NOW, at(20, 9)):
        reader = Week(ws)
        assert reader.cells(when).cells == fresh_cells(reader, when), when
    # Then an arrival: brought current from what the decision's judging kept.
    drop(ws, "宝丰县_5月18日_简报.docx", at(18, 10), b"late news")
    Week(ws).ingestor().scan()
    assert Week(ws).kept_cells(NOW) is not None
    assert Week(ws).kept_cells(NOW).cells == fresh_cells(Week(ws), NOW)


def corrupt(ws: Workspace, kind: str, how: str) -> None:
    """Damage every part of one kind the way a full disk, a kill or a hand would."""
    names = [kept_parts.part_name(kind, n) for n in range(kept_parts.SHARDS)]
    for name in names:
        path = ws.dbdir / name
        if not path.exists():
            continue  # an empty part has no file
        data = path.read_bytes()
        if how == "torn":
            path.write_bytes(data[: len(data) // 2])
        elif how == "tampered":  # one byte changed, the head left as it was
            path.write_bytes(data[:-2] + (b"X" if data[-2:-1] != b"X" else b"Y") + data[-1:])
        elif how == "foreign":  # another part's file in its place: its token is not this one's
            others = [ws.dbdir / n for n in names if n != name and (ws.dbdir / n).exists()]
            path.write_bytes(others[0].read_bytes() if others else b"")
        else:
            path.unlink()


@pytest.mark.parametrize("how", ["torn", "tampered", "foreign", "missing"])
@pytest.mark.parametrize("kind", kept_parts.KINDS)
def test_a_damaged_part_is_never_trusted(ws: Workspace, kind: str, how: str) -> None:
    a_week(ws)
    if kind == "c":
        # The cells themselves: even with nothing written since, the reader judges afresh.
        tamper_one = ws.dbdir / kept_parts.part_name("c", kept_parts.bucket("wugang"))
        assert tamper_one.exists()
    corrupt(ws, kind, how)
    drop(ws, "舞钢市/2024-05-16/新闻稿.docx", at(16, 11), b"fresh")
    Week(ws).ingestor().scan()
    reader = Week(ws)
    assert reader.cells(NOW).cells == fresh_cells(reader, NOW)
    assert Week(ws).kept_cells(NOW) is not None  # kept again, whole
    assert Week(ws).kept_cells(NOW).cells == fresh_cells(Week(ws), NOW)


def test_a_keeper_killed_before_its_head_leaves_parts_no_reader_trusts(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_week(ws)
    drop(ws, "舞钢市/2024-05-16/新闻稿.docx", at(16, 11), b"fresh")
    Week(ws).ingestor().scan()

    def killed(*_a: object) -> None:
        raise KeyboardInterrupt  # as if killed: the parts are written, the head is not

    monkeypatch.setattr(kept_parts, "_write_head", killed)
    with pytest.raises(KeyboardInterrupt):
        Week(ws).kept_cells(NOW)
    monkeypatch.undo()
    # The touched parts were replaced, the head still names the old ones: all stale.
    head = kept_parts.read_head(ws.dbdir)
    assert head is not None
    assert kept_parts.read_cells(ws.dbdir, head.key) is None
    reader = Week(ws)
    assert reader.cells(NOW).cells == fresh_cells(reader, NOW)
    assert Week(ws).kept_cells(NOW) is not None


def test_two_keepers_at_once_keep_the_week(ws: Workspace) -> None:
    import threading

    a_week(ws)
    for i in range(4):
        drop(ws, f"宝丰县_5月1{i + 3}日_照片{i}_again.jpg", at(13 + i, 10), f"p{i}".encode())
    Week(ws).ingestor().scan()
    results: list[object] = []

    def read() -> None:
        results.append(Week(ws, read_only=True).kept_cells(NOW))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    expected = fresh_cells(Week(ws), NOW)
    assert all(r is not None and r.cells == expected for r in results)  # type: ignore[attr-defined]


def weekwatch(ws: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(ws.root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_status_after_another_process_ingest_equals_the_week_judged_afresh(
    ws: Workspace,
) -> None:
    dropped = a_week(ws)
    when = ["--as-of", "2024-05-18 20:00"]
    drop(ws, dropped[5], at(17, 9), b"rewritten")
    drop(ws, "平职院_5月16日_新闻稿.docx", at(16, 11), b"fresh")
    assert weekwatch(ws, "ingest").returncode == 0
    kept = weekwatch(ws, *when, "status", "--json")
    assert kept.returncode == 0, kept.stderr
    # The same command with nothing kept: the whole week judged afresh.
    from weekwatch.store import board_cache

    board_cache.discard(ws.dbdir)
    afresh = weekwatch(ws, *when, "status", "--json")
    assert afresh.returncode == 0
    assert json.loads(kept.stdout) == json.loads(afresh.stdout)
    assert kept.stdout == afresh.stdout
