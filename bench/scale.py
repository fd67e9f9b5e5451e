"""Benchmark: a province's week — 2,000 units and tens of thousands of materials.

    python bench/scale.py [--files 70000] [--units 2000] [--only ingest,one,read,note,tui,watch]
                          [--keep DIR] [--layout days|flat] [--before DIR]

Builds a workspace under the system's temp folder (or reuses the one in --keep DIR): 2,000
units with Chinese names, and small files in unit/day folders (``--layout flat``: all in one
folder), then times each figure of docs/benchmarks.md as a whole process, each beside its
baseline in the same run, so the ratio means something on a shared machine:

- ``ingest``: ``weekwatch ingest`` from scratch against ``find … | xargs sha256sum``, in
  rounds (with ``--before DIR`` that code's ingest in each round too); peak RSS.
- ``one``: one new file, ``weekwatch ingest PATH`` and the full scan ``weekwatch ingest``,
  against ``python -c pass``; peak RSS; with ``--before DIR`` that code's full scan too, on its
  own copy of the workspace.
- ``read``: ``status --json``, ``status``, ``materials --json`` against a ``json.load`` of a
  file as big as the materials table(s): with the judged board kept beside the database
  current, and the first read after an arrival (kept board stale); with ``--before DIR`` (a
  checkout of older code) each also beside that code, alternately.
- ``note``: one operator action (``note``, by id and by name), whole process, against
  ``python -c pass``; ``SCALE_BEFORE=DIR`` (an older checkout as ``DIR/weekwatch``) times
  that code in the same rounds.
- ``tui``: dashboard first paint, from the interpreter's start, with no kept board and with
  the one the previous dashboard kept; then with its own watcher, a file written → its cell
  changed on screen (20 drops); ``SCALE_BEFORE=DIR`` measures that code too, in the same run.
- ``watch``: ``weekwatch watch`` as its own process, a file written → its line printed
  (after the batch is recorded), 20 drops; p50/p95.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weekwatch.store.config import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

START = dt.date(2024, 5, 12)
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2024, 5, 15, 11, 23, tzinfo=TZ)  # day 4, before the noon deadline
TODAY = "2024-05-15"
PY = sys.executable
WW = [PY, "-m", "weekwatch"]

PLACES = (
    "新华 卫东 湛河 石龙 舞钢 汝州 宝丰 叶县 鲁山 郏县 高新 开封 洛阳 许昌 漯河 南阳 信阳 周口"
).split()
TYPES = (
    "教育体育局 职业技术学院 技师学院 中等职业学校 职业教育中心 卫生职业学院 财经职业学院 "
    "交通职业学院 农业职业学院 艺术职业学院 建筑职业学院 商贸学校 机电学校 旅游学校 "
    "幼儿师范学校 电子信息学校 化工学校 林业学校 体育学校 实验学校"
).split()
KINDS = ["典型案例", "职教故事", "新闻稿", "简报", "照片", "视频"]


def make_units(n: int) -> list[Unit]:
    out = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        kind = TYPES[(i // len(PLACES)) % len(TYPES)]
        # Unique, and never one inside another: a number after the place.
        out.append(Unit(f"u{i:04d}", f"{place}第{i}{kind}", (f"{place}{i}号",)))
    return out


def rel_of(units: list[Unit], i: int, layout: str) -> str:
    u = units[i % len(units)]
    day = START + dt.timedelta(days=(i // len(units)) % 4)  # days 1-4: the week so far
    kind = KINDS[i % len(KINDS)]
    if layout == "flat":
        return f"{u.name}_{day:%m月%d日}_{kind}{i}.docx"
    return f"{u.name}/{day.isoformat()}/{kind}{i}.docx"


def build(root: Path, units_n: int, files: int, layout: str) -> tuple[Workspace, list[Unit]]:
    ws = init_workspace(root, title="基准周", start=START)
    units = make_units(units_n)
    Store(ws.dbdir).put_units(units)
    stamp = NOW.timestamp() - 3600
    for i in range(files):
        path = ws.inbox / rel_of(units, i, layout)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{i}\n".encode() * 40)
        os.utime(path, (stamp, stamp))
    os.sync()
    return ws, units


# -- running a process and reading its own rusage ----------------------------------------------


def run(
    cmd: list[str] | str, *, shell: bool = False, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall seconds, peak RSS MB of the process tree's largest) of one run to its end."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd}: exit {proc.returncode}: {err[-400:]}")
    return wall, ru.ru_maxrss / 1024


def best(cmd: list[str] | str, n: int = 3, *, shell: bool = False) -> tuple[float, float]:
    runs = [run(cmd, shell=shell) for _ in range(n)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def pair(name: str, cmd: list[str], base_name: str, base: list[str] | str, n: int = 3) -> None:
    """Run cmd and its baseline alternately; print both medians and the ratio of medians."""
    a, b, peak = [], [], 0.0
    shell = isinstance(base, str)
    for _ in range(n):
        w, p = run(cmd)
        a.append(w)
        peak = max(peak, p)
        b.append(run(base, shell=shell)[0])
    ma, mb = statistics.median(a), statistics.median(b)
    print(
        f"{name}: {ma:.2f} s (peak {peak:.0f} MB) vs {base_name} {mb:.2f} s = {ma / mb:.1f}x",
        flush=True,
    )


def db_bytes(ws: Workspace) -> int:
    return sum(p.stat().st_size for p in ws.dbdir.rglob("materials*.json"))


# -- the figures --------------------------------------------------------------------------------


def _from_scratch(ws: Workspace) -> None:
    """No records and no stamp index, even in a kept workspace."""
    for old in [*ws.dbdir.glob("materials*"), ws.dbdir / "stamps"]:
        if not old.exists():
            continue
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()


def fig_ingest(ws: Workspace, files: int, before: Path | None = None, rounds: int = 3) -> None:
    """From scratch against the bare pass, round by round (bare, ingest, and with `before`
    that code's ingest), each ratio taken within its round; peak RSS of the largest process,
    and each run's CPU (its workers' included). No keeper is handed the week after each
    ingest (WEEKWATCH_KEEPER=0): it would place the week beside the next round's runs."""
    import resource

    bare = f"find '{ws.inbox}' -type f -print0 | xargs -0 sha256sum > /dev/null"
    run(bare, shell=True)  # the page cache warm for all
    env = {**os.environ, "WEEKWATCH_KEEPER": "0"}
    cmd = [*WW, "-w", str(ws.root), "ingest"]
    old = ["env", f"PYTHONPATH={_importable(before)}", *cmd] if before else None
    rows: dict[str, list[tuple[float, float, float, float]]] = {"after": [], "before": []}
    bare_cpu: list[float] = []

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    for _ in range(rounds):
        c0 = cpu()
        b = run(bare, shell=True)[0]
        bare_cpu.append(cpu() - c0)
        for name, argv in (("before", old), ("after", cmd)):
            if argv is None:
                continue
            _from_scratch(ws)
            c0 = cpu()
            wall, peak = run(argv, env=env)
            rows[name].append((wall, peak, wall / b, cpu() - c0))
    for name, got in rows.items():
        if not got:
            continue
        walls, peaks, ratios, cpus = zip(*got, strict=True)
        print(
            f"ingest from scratch ({name}), {files} files: median {statistics.median(walls):.2f} s"
            f" (peak {max(peaks):.0f} MB), bare sha256 in the same rounds: "
            f"{statistics.median(ratios):.1f}x (rounds {', '.join(f'{r:.1f}x' for r in ratios)});"
            f" CPU median {statistics.median(cpus):.2f} s against the bare pass's "
            f"{statistics.median(bare_cpu):.2f} s",
            flush=True,
        )
    if old is not None:
        paired = [a[0] / b[0] for a, b in zip(rows["after"], rows["before"], strict=True)]
        print(f"  after / before, round by round: {', '.join(f'{r:.2f}' for r in paired)}")
    pair("rescan, nothing new", cmd, "bare sha256", bare)


def fig_one(ws: Workspace, units: list[Unit], before: Path | None = None) -> None:
    """One new file: `weekwatch ingest PATH` (only that file) and the full scan `weekwatch
    ingest`, each beside `python -c pass`; with `--before DIR` also both of that code, on its
    own copy of the workspace (made once beside it), in the same rounds, paired round by round.
    Every command runs once first with bytecode writing allowed: timed as an installed
    weekwatch runs."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    spaces = {"after": ws}
    if before is not None:
        copy = ws.root.with_name(f"{ws.root.name}-before")
        if not (copy / "weekwatch.toml").exists():
            subprocess.run(["cp", "-a", str(ws.root), str(copy)], check=True)
        spaces["before"] = Workspace(copy)

    def arrive(space: Workspace, k: int) -> Path:
        p = (
            space.inbox
            / units[k * 11 % len(units)].name
            / TODAY
            / f"新闻稿_one{k}_{time.time_ns()}.docx"
        )
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"one new file {k} {time.time_ns()}".encode())
        return p

    def ingest(space: Workspace, *paths: Path) -> list[str]:
        code = ["env", f"PYTHONPATH={_importable(before)}"] if space is not ws and before else []
        return [*code, *WW, "-w", str(space.root), "ingest", *map(str, paths)]

    for space in spaces.values():  # compiled, and every index current
        subprocess.run(ingest(space), env=env, stdout=subprocess.DEVNULL, check=True)
    times: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}

    cpu: dict[str, list[float]] = {}

    def timed(label: str, cmd: list[str]) -> None:
        import resource

        before_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        w, pk = run(cmd, env=env)
        after_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after_ru.ru_utime - before_ru.ru_utime) + (after_ru.ru_stime - before_ru.ru_stime)
        cpu.setdefault(label, []).append(used)  # the process's own CPU: what load cannot add
        times.setdefault(label, []).append(w)
        peaks[label] = max(peaks.get(label, 0.0), pk)

    for k in range(7):  # in turn, so the machine's load hits every variant alike
        timed("ingest PATH", ingest(ws, arrive(ws, 2 * k)))
        if "before" in spaces:
            before_ws = spaces["before"]
            timed("ingest PATH, before", ingest(before_ws, arrive(before_ws, 2 * k)))
        arrive(ws, 2 * k + 1)
        timed("ingest (full scan)", ingest(ws))
        if "before" in spaces:
            arrive(spaces["before"], 2 * k + 1)
            timed("ingest (full scan), before", ingest(spaces["before"]))
        timed("python -c pass", [PY, "-c", "pass"])
    base = statistics.median(times["python -c pass"])
    for label, ts in times.items():
        m = statistics.median(ts)
        print(
            f"one new file, {label}: median {m:.3f} s (min {min(ts):.3f}, max {max(ts):.3f};"
            f" peak {peaks[label]:.0f} MB) = {m / base:.1f}x python -c pass;"
            f" CPU median {statistics.median(cpu[label]):.3f} s",
            flush=True,
        )
    for label in ("ingest PATH", "ingest (full scan)"):
        if f"{label}, before" in times:  # pair by pair: each round's load hit both alike
            pairs = [a / b for a, b in zip(cpu[label], cpu[f"{label}, before"], strict=True)]
            walls = [a / b for a, b in zip(times[label], times[f"{label}, before"], strict=True)]
            print(
                f"one new file, {label}: after / before, paired: CPU median"
                f" {statistics.median(pairs):.2f}, wall median {statistics.median(walls):.2f}"
            )


MERGE = """
import json, sys
from pathlib import Path
docs = {}
for part in Path(sys.argv[1]).glob("materials*.json"):
    docs.update(json.loads(part.read_bytes())["materials"])
out = json.dumps({"materials": docs}, ensure_ascii=False, separators=(",", ":"))
Path(sys.argv[2]).write_text(out)
"""


def fig_read(ws: Workspace, units: list[Unit], before: Path | None) -> None:
    """The read commands with the kept board current, then the first read after a one-off
    write by another process (an `ingest` of one new file, a `note`), each the median of 3;
    with `--before DIR`, that checkout's code timed the same way on a copy of the workspace
    (the two codes' kept boards are not the same files: on one workspace each would judge the
    other's away), round by round beside this code's. Every command runs with bytecode writing
    allowed (timed as an installed weekwatch runs, its modules compiled once), and each code's
    workspace is ingested once, untimed, before the rounds (a copy's files have new inodes:
    its first ingest records every file again)."""
    dont = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        _fig_read(ws, units, before)
    finally:
        if dont is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = dont


def _fig_read(ws: Workspace, units: list[Unit], before: Path | None) -> None:
    size = db_bytes(ws)
    blob = Path(tempfile.mkstemp(prefix="weekwatch-json-", suffix=".json")[1])
    copy: Path | None = None
    try:
        # A JSON file as big as the materials data, of the same shape: every record in one.
        # Written by a child: records held here would count in every timed child's peak RSS
        # (a forked child's maximum includes this process's pages until it execs).
        subprocess.run([PY, "-c", MERGE, str(ws.dbdir), str(blob)], check=True)
        load = [PY, "-c", f"import json; json.load(open({str(blob)!r}, 'rb'))"]
        print(f"materials data on disk: {size / 1e6:.1f} MB", flush=True)
        codes = {"": (WW, ws)}
        if before is not None:
            copy = Path(tempfile.mkdtemp(prefix="weekwatch-before-"))
            subprocess.run(["cp", "-a", str(ws.root), str(copy / "w")], check=True)
            old = ["env", f"PYTHONPATH={_importable(before)}", *WW]
            codes[" (before)"] = (old, Workspace(copy / "w"))
        for ww, w in codes.values():
            run([*ww, "-w", str(w.root), "ingest"])
            _keeper_done(w)
        for label, args in (
            ("status --json", ["status", "--json"]),
            ("status", ["status"]),
            ("materials --json", ["materials", "--json"]),
        ):
            for ww, w in codes.values():
                run([*ww, "-w", str(w.root), *args])  # keeps the judged board for the next
            cmd = [*WW, "-w", str(ws.root), *args]
            pair(f"{label}, kept board current", cmd, "json.load", load)
            if before is not None:
                ww, w = codes[" (before)"]
                pair(f"{label}, kept board current", cmd, "before", [*ww, "-w", str(w.root), *args])
            for write in ("ingest", "note"):
                times: dict[str, list[float]] = {tag: [] for tag in codes}
                peaks: dict[str, float] = dict.fromkeys(codes, 0.0)
                for k in range(3):
                    for tag, (ww, w) in codes.items():
                        if write == "ingest":  # one new file, recorded by a one-off ingest
                            _arrive(ww, w, units, f"{label}{k}")
                        else:  # an operator's note from another terminal
                            run(
                                [
                                    *ww,
                                    "-w",
                                    str(w.root),
                                    "--operator",
                                    "bench",
                                    "note",
                                    units[k].id,
                                    "已电话提醒",
                                ]
                            )
                        wall, peak = run([*ww, "-w", str(w.root), *args])
                        times[tag].append(wall)
                        peaks[tag] = max(peaks[tag], peak)
                        _keeper_done(w)  # untimed: the next round starts from a kept week
                base = statistics.median(run(load)[0] for _ in range(3))
                line = f"{label}, first read after a one-off {write}:"
                for tag in codes:
                    m = statistics.median(times[tag])
                    line += f" {m:.2f} s{tag} (peak {peaks[tag]:.0f} MB, {m / base:.1f}x json.load)"
                print(line + f"; json.load {base:.2f} s", flush=True)
    finally:
        blob.unlink()
        if copy is not None:
            shutil.rmtree(copy, ignore_errors=True)


def _arrive(ww: list[str], ws: Workspace, units: list[Unit], tag: str) -> None:
    u = units[len(units) // 3]
    p = ws.inbox / u.name / TODAY / f"新闻稿_read_{tag}_{time.time_ns()}.docx"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(f"read {tag} {time.time_ns()}".encode())
    os.utime(p, (NOW.timestamp(), NOW.timestamp()))
    run([*ww, "-w", str(ws.root), "ingest"])  # this code hands the keeping on to a keeper


def _keeper_done(ws: Workspace, wait: float = 120.0) -> None:
    """Wait for a keeper handed the workspace by a one-off write (tui/keeper.py) to finish."""
    import fcntl

    time.sleep(0.3)  # started detached: give it the time to take its locks
    end = time.monotonic() + wait
    # The cells' lock, then the records' (held to the keeper's end).
    for lock in (ws.dbdir / "keeper.lock", ws.dbdir / "keeper.rows.lock"):
        if not lock.exists():
            continue
        with open(lock, "rb") as fh:
            while time.monotonic() < end:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    time.sleep(0.1)


def _importable(checkout: Path) -> Path:
    """A folder in which `weekwatch` is `checkout` (the repository root is the package)."""
    top = checkout.parent / f".{checkout.name}-path"
    top.mkdir(exist_ok=True)
    link = top / "weekwatch"
    if not link.exists():
        link.symlink_to(checkout.resolve())
    return top


def fig_note(ws: Workspace, units: list[Unit]) -> None:
    """One action, whole process, beside `python -c pass`: by id (what a script passes) and by
    the last unit's name (every name on the roster compared). $SCALE_BEFORE, a folder holding
    an older checkout as `weekwatch/`, times that code in the same rounds.

    Each command runs once first with bytecode writing allowed: every variant is timed as an
    installed weekwatch runs (its modules compiled once), not recompiling its sources."""
    import resource

    w = ["-w", str(ws.root), "--operator", "bench"]
    cmds = {
        "note by id": [*WW, *w, "note", units[3].id, "已电话提醒"],
        "note by name": [*WW, *w, "note", units[-1].name, "已电话提醒"],
    }
    envs = {"": dict(os.environ)}
    if os.environ.get("SCALE_BEFORE"):
        envs[" (before)"] = {**os.environ, "PYTHONPATH": os.environ["SCALE_BEFORE"]}

    cpu: dict[str, list[float]] = {}

    def timed(cmd: list[str], env: dict[str, str], label: str = "") -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"{cmd}: exit {done.returncode}: {done.stderr.decode()[-400:]}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        cpu.setdefault(label, []).append(used)  # the process's own CPU: what load cannot add
        return wall

    for cmd in cmds.values():
        for env in envs.values():
            timed(cmd, {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"})
    runs: dict[str, list[float]] = {}
    for _ in range(9):  # in turn, so a change in the machine's load hits every variant alike
        runs.setdefault("python -c pass", []).append(
            timed([PY, "-c", "pass"], envs[""], "python -c pass")
        )
        for label, cmd in cmds.items():
            for key, env in envs.items():
                runs.setdefault(label + key, []).append(timed(cmd, env, label + key))
    base = statistics.median(runs["python -c pass"])
    for label, rs in runs.items():
        wall = statistics.median(rs)
        print(
            f"{label}: median {wall:.3f} s, min {min(rs):.3f} s"
            f" = {wall / base:.1f}x python -c pass;"
            f" CPU median {statistics.median(cpu[label]):.3f} s",
            flush=True,
        )
    for label in cmds:
        if label + " (before)" in runs:  # pair by pair: each round's load hit both alike
            pairs = [a / b for a, b in zip(runs[label], runs[label + " (before)"], strict=True)]
            print(f"{label}: after / before, paired: median {statistics.median(pairs):.2f}")


FIRST_PAINT = """
import asyncio, datetime as dt, sys, time, resource
t0 = time.perf_counter()
from pathlib import Path
from weekwatch.store.workspace import Workspace
from weekwatch.tui.app import make_app
now = dt.datetime.fromisoformat(sys.argv[2])
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
async def main():
    app = make_app(Workspace(Path(sys.argv[1])), clock=lambda: now, watch=False, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.dashboard.first_paint is None:
            await pilot.pause(0.01)
        paint, at_paint = time.perf_counter() - t0, peak()
        kept = int(getattr(app.dashboard, "provisional", False))
        # The whole board in (its files placed), every row added.
        while getattr(app.dashboard, "provisional", False) or app.dashboard.grid.filling:
            await pilot.pause(0.01)
        whole = time.perf_counter() - t0
        await pilot.pause(1.5)  # the index for the next arrival, made after the board
        print(paint, app.dashboard.first_paint, at_paint, whole, peak(), kept)
asyncio.run(main())
"""


def _paint(ws: Workspace, runs: int, cold: bool, code: str | None) -> list[tuple[float, ...]]:
    out = []
    for _ in range(runs):
        if cold:  # no kept board: the week judged whole before the first paint
            for f in ws.dbdir.glob("board.*"):
                f.unlink()
        env = dict(os.environ, PYTHONPATH=code) if code else None
        res = subprocess.run(
            [PY, "-c", FIRST_PAINT, str(ws.root), NOW.isoformat()],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        out.append(tuple(float(x) for x in res.stdout.split()))
    return out


def fig_tui(ws: Workspace, units: list[Unit], before: str | None = None) -> None:
    """First paint (kept board, then none) and arrivals; `before`: a folder holding another
    checkout as `weekwatch/` (PYTHONPATH), measured in the same run for its first paint."""
    med = statistics.median
    later = [a for a in Store(ws.dbdir, read_only=True).actions() if a.at > NOW]
    if later:  # fig_note's, say: a board as of NOW lacks them, so no kept board serves it
        print(
            f"({len(later)} actions recorded after {NOW:%Y-%m-%d %H:%M}: no kept board can serve)"
        )
    cases = [("after, no kept board", True, None), ("after, kept board", False, None)]
    if before:
        cases.insert(0, ("before", True, before))
    for name, cold, code in cases:
        if not cold:  # kept by the previous run's dashboard on leaving
            _paint(ws, 1, False, code)
        runs = _paint(ws, 3, cold, code)
        print(
            f"dashboard first paint ({name}), from the interpreter's start: "
            f"{med(r[0] for r in runs):.2f} s (app built → painted {med(r[1] for r in runs):.2f} s,"
            f" {max(r[2] for r in runs):.0f} MB; whole board in {med(r[3] for r in runs):.2f} s,"
            f" peak {max(r[4] for r in runs):.0f} MB; from kept cells: "
            f"{sum(int(r[5]) for r in runs)}/{len(runs)})",
            flush=True,
        )
    for name, code in ([("before", before)] if before else []) + [("after", None)]:
        e2e = _arrivals(ws, units, code)
        print(
            f"dashboard ({name}), file written → cell changed: median {med(e2e):.2f} s,"
            f" p95 {e2e[max(0, int(len(e2e) * 0.95) - 1)]:.2f} s, max {e2e[-1]:.2f} s"
            f" ({len(e2e)} drops)",
            flush=True,
        )


ARRIVALS = """
import asyncio, json, sys, time
from pathlib import Path
import datetime as dt
import json
from weekwatch.store.workspace import Workspace
from weekwatch.tui.app import make_app
root, today, units = sys.argv[1], sys.argv[3], json.loads(sys.argv[4])
now = dt.datetime.fromisoformat(sys.argv[2])
ws = Workspace(Path(root))
async def main():
    app = make_app(ws, clock=lambda: now, watch=True, lang="zh", operator="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.watcher is None or not app.watcher.ready.is_set() or app.dashboard.grid.filling:
            await pilot.pause(0.05)
        await pilot.pause(1.0)
        for k, (uid, name) in enumerate(units):
            before = app.dashboard.grid.get_cell(uid, today).plain
            t1 = time.perf_counter()
            p = ws.inbox / name / today / f"新闻稿_live{k}_{time.time_ns()}.docx"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(f"news {k} {time.time_ns()}".encode())
            while app.dashboard.grid.get_cell(uid, today).plain == before:
                if time.perf_counter() - t1 > 60:
                    raise SystemExit(f"{uid}: cell did not change within 60 s ({before})")
                await pilot.pause(0.01)
            print(time.perf_counter() - t1, flush=True)
            await asyncio.sleep(0.2)
asyncio.run(main())
"""


def _arrivals(ws: Workspace, units: list[Unit], code: str | None, count: int = 20) -> list[float]:
    """A file written → its cell changed, `count` times, with the dashboard's own watcher."""
    picked = [units[(len(units) // 2 + k * 13) % len(units)] for k in range(count)]
    env = dict(os.environ, PYTHONPATH=code) if code else None
    res = subprocess.run(
        [
            PY,
            "-c",
            ARRIVALS,
            str(ws.root),
            NOW.isoformat(),
            TODAY,
            json.dumps([(u.id, u.name) for u in picked], ensure_ascii=False),
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    return sorted(float(x) for x in res.stdout.split())


def fig_watch(ws: Workspace, units: list[Unit], drops: int = 20) -> None:
    proc = subprocess.Popen(
        [*WW, "-w", str(ws.root), "watch"], stdout=subprocess.PIPE, text=True, bufsize=1
    )

    def drop(k: int, tag: str) -> tuple[str, float]:
        u = units[(len(units) // 4 + k * 17) % len(units)]
        name = f"新闻稿_{tag}{k}_{time.time_ns()}.docx"
        p = ws.inbox / u.name / TODAY / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(f"{tag} {k} {time.time_ns()}".encode())
        return name, time.perf_counter()

    try:
        assert proc.stdout is not None
        while not proc.stdout.readline().startswith("watching"):
            pass
        # A file written as the watcher starts waits for its start-up scan of the inbox; once
        # it is recorded the scan is done, and the arrivals after it are timed on their own.
        name, t0 = drop(0, "start")
        while name not in proc.stdout.readline():
            pass
        first = time.perf_counter() - t0
        time.sleep(0.3)
        lat = []
        for k in range(drops):
            name, t0 = drop(k, "watch")
            while name not in proc.stdout.readline():
                pass
            lat.append(time.perf_counter() - t0)
            time.sleep(0.3)
        lat.sort()
        p95 = lat[max(0, int(len(lat) * 0.95) - 1)]
        print(
            f"watch, file written → recorded: p50 {statistics.median(lat):.2f} s,"
            f" p95 {p95:.2f} s, max {lat[-1]:.2f} s ({drops} drops after the start-up scan);"
            f" a file written as it started: {first:.2f} s",
            flush=True,
        )
        # What `status` reads meanwhile: the judged week the watcher's keeper keeps current.
        t0 = time.perf_counter()
        while Week(ws).kept_cells(Week(ws).clock()) is None:
            time.sleep(0.1)
        kept = time.perf_counter() - t0
        wall, peak = best([*WW, "-w", str(ws.root), "status", "--json"])
        print(
            f"watch running: the last arrival kept for status {kept:.2f} s after it was"
            f" recorded; status --json then {wall:.2f} s (peak {peak:.0f} MB)",
            flush=True,
        )
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=70_000)
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--layout", choices=("days", "flat"), default="days")
    ap.add_argument("--only", default="ingest,one,read,note,tui,watch")
    ap.add_argument("--keep", type=Path, help="build the workspace here and keep it (or reuse)")
    ap.add_argument(
        "--before", type=Path, help="a checkout of older code to time `read` and `one` beside"
    )
    args = ap.parse_args()
    only = set(args.only.split(","))
    tmp = None
    root = args.keep
    if root is None:
        tmp = Path(tempfile.mkdtemp(prefix="weekwatch-scale-"))
        root = tmp / "ws"
    try:
        units = make_units(args.units)
        if not (root / "weekwatch.toml").exists():
            t0 = time.perf_counter()
            ws, units = build(root, args.units, args.files, args.layout)
            print(f"built {args.files} files in {time.perf_counter() - t0:.0f} s", flush=True)
        else:
            ws = Workspace(root)
        print(f"units: {args.units}, files: {args.files} ({args.layout})", flush=True)
        if "ingest" in only:
            fig_ingest(ws, args.files, args.before)
        elif not list(ws.dbdir.glob("materials*")):
            run([*WW, "-w", str(ws.root), "ingest"])
        if "one" in only:
            fig_one(ws, units, args.before)
        if "read" in only:
            fig_read(ws, units, args.before)
        if "note" in only:
            fig_note(ws, units)
        if "tui" in only:
            fig_tui(ws, units, os.environ.get("SCALE_BEFORE"))
        if "watch" in only:
            fig_watch(ws, units)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
