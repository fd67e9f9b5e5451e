"""Shared set-up for the dashboard tests: a real workspace, real files, a frozen clock."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from weekwatch.store.config import init_workspace
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.date(2024, 5, 12)
#: Day 4 of the week, 37 minutes before the noon deadline.
NOW = dt.datetime(2024, 5, 15, 11, 23, tzinfo=TZ)

UNITS = [
    Unit(
        "xinhua",
        "新华区教育体育局",
        ("新华区",),
        "县市区教体局",
        "新华区",
        "王敏",
        "13837510218",
        "xinhua@example.com",
    ),
    Unit(
        "weidong",
        "卫东区教育体育局",
        ("卫东区",),
        "县市区教体局",
        "卫东区",
        "李娜",
        "13837520436",
        "weidong@example.com",
    ),
    Unit(
        "pzy",
        "平顶山职业技术学院",
        ("平职院",),
        "高职院校",
        "新华区",
        "张伟",
        "13937530651",
        "pzy@example.com",
    ),
    Unit(
        "wugang", "舞钢市教育体育局", ("舞钢",), "县市区教体局", "舞钢市", "刘洋", "13837540872", ""
    ),
    Unit("jxxx", "平顶山技师学院", ("技师学院",), "技师学院", "卫东区", "陈静", "13700000000", ""),
]


def clock_at(moment: dt.datetime = NOW):
    return lambda: moment


def drop(ws: Workspace, rel: str, arrived: dt.datetime, data: bytes = b"content") -> Path:
    """A real file in inbox/, its mtime set to its arrival (what a scan reads as arrival)."""
    path = ws.inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data + rel.encode("utf-8", "surrogateescape"))
    ts = arrived.timestamp()
    os.utime(path, (ts, ts))
    return path


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    """Day `day` of the week (1-based) at hh:mm, event time."""
    return dt.datetime.combine(START + dt.timedelta(days=day - 1), dt.time(hh, mm), tzinfo=TZ)


def make_workspace(
    root: Path,
    units: Iterable[Unit] = UNITS,
    drops: Iterable[tuple[str, dt.datetime]] | None = None,
) -> Workspace:
    ws = init_workspace(
        root, title="2024年平顶山市职业教育活动周", start=START, theme="一技在手，一生无忧"
    )
    week = Week(ws, clock=clock_at())
    week.store.put_units(list(units))
    if drops is None:
        drops = [
            ("xinhua/新华区_活动方案.docx", at(1, 9)),
            ("xinhua/新华区_2024-05-12_报道.docx", at(1, 10)),
            ("xinhua/新华区_2024-05-13_照片.jpg", at(2, 11)),
            ("xinhua/新华区_2024-05-14_报道.docx", at(3, 13)),  # late
            ("weidong/卫东区_方案.pdf", at(1, 8)),
            ("weidong/卫东区_5月12日_案例.docx", at(1, 11, 30)),
            ("weidong/卫东区_5月13日_稿件.docx", at(2, 12, 40)),  # late
            ("pzy/平职院_第4天_视频.mp4", at(4, 9, 15)),
            ("平职院_活动方案.docx", at(1, 7)),
            ("舞钢_2024-05-14_报道.docx", at(3, 10)),
            ("不知道是谁的照片.jpg", at(3, 15)),  # quarantine: no unit
        ]
    for rel, when in drops:
        drop(ws, rel, when)
    week.ingestor().scan()
    return ws
