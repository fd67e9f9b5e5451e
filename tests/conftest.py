"""Shared test scaffolding: real workspaces in real folders."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.config import init_workspace
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

TZ = ZoneInfo("Asia/Shanghai")

UNITS = [
    Unit(
        "wugang",
        "舞钢市教育体育局",
        ("舞钢市", "舞钢教体局"),
        "县市区教体局",
        "舞钢市",
        "王敏",
        "13837510218",
        "wg@example.com",
    ),
    Unit("baofeng", "宝丰县教育体育局", ("宝丰县",), "县市区教体局", "宝丰县"),
    Unit("pzy", "平顶山职业技术学院", ("平职院",), "高职院校", "新华区"),
]


def at(day: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    """A wall-clock moment in May 2024, Shanghai time (the test week is 12–18 May)."""
    return dt.datetime(2024, 5, day, hh, mm, tzinfo=TZ)


def drop(ws: Workspace, rel: str, data: bytes = b"x", when: dt.datetime | None = None) -> Path:
    """Write a real file into the inbox, with `when` as its mtime."""
    path = ws.inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if when is not None:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A fresh workspace for the 2024 week with three units."""
    w = init_workspace(
        tmp_path / "week",
        title="2024年职业教育活动周",
        start=dt.date(2024, 5, 12),
        theme="一技在手，一生无忧",
    )
    Week(w).store.put_units(UNITS)
    return w
