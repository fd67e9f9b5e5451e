"""Helpers for the tests that do damage: processes to kill, groups to watch, many files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from weekwatch.store.workspace import Workspace


def weekwatch(ws: Workspace, *args: str, **kw) -> subprocess.Popen:
    """`weekwatch ARGS` on the workspace, in a session of its own (its workers share it)."""
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root), **kw.pop("env", {})}
    return subprocess.Popen(
        [sys.executable, "-m", "weekwatch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
        **kw,
    )


def live_in_group(pgid: int) -> list[int]:
    """Processes of a process group that still run (zombies awaiting a reaper left out)."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            out.append(int(entry.name))
    return out


def wait_until(pred, timeout: float, step: float = 0.02) -> bool:
    """Poll `pred` until it holds or `timeout` seconds pass; whether it held."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return bool(pred())


def kill_group(pgid: int) -> None:
    """Clean up after a test: whatever is left of the group is killed."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def many_files(ws: Workspace, n: int, units: tuple[str, ...] = ("舞钢市", "宝丰县")) -> list[Path]:
    """`n` small distinct files in unit/day folders, as a week's drops would be."""
    paths = []
    for i in range(n):
        folder = ws.inbox / units[i % len(units)] / f"2024-05-{12 + i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        p = folder / f"典型案例{i}.docx"
        p.write_bytes(f"案例 {i}\n".encode() * (1 + i % 5))
        paths.append(p)
    return paths


def group_emptied(pgid: int, timeout: float = 10.0) -> bool:
    """Whether every process of the group ended within `timeout` seconds."""
    return wait_until(lambda: not live_in_group(pgid), timeout)


def group_grew(pgid: int, timeout: float = 60.0) -> bool:
    """Whether the group's leader had children (hashing workers) within `timeout` seconds."""
    return wait_until(lambda: len(live_in_group(pgid)) > 1, timeout)
