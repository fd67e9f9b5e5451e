"""`weekwatch demo`: the bundled demo week, moved so that today is its fourth day, live.

The fixture event is copied into a temporary workspace; every drop planned before now is
written with its planned time as its mtime, and the rest arrive one every few seconds while
the dashboard runs, so a newcomer sees arrivals, late cells and deadlines pass. The demo tells
the truth: its title carries the year of its dates, nothing is dropped before the day it is
for, the first toast says where the workspace is, and the workspace is removed when the demo
ends unless `--keep` is given.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weekwatch.fixtures.drops import Drop, load_demo_event, plan_drops, write_drop, write_drops
from weekwatch.store.config_write import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Event
from weekwatch.store.week import Clock, system_clock
from weekwatch.store.workspace import Workspace

if TYPE_CHECKING:
    from .app import WeekwatchApp

TODAY_IS_DAY = 4


def demo_event(now: dt.datetime) -> Event:
    """The fixture event, shifted so that `now` falls on its fourth day; its title says the
    year its dates fall in (the fixture's 2024年 would contradict a week in another year)."""
    event, _units = load_demo_event()
    today = now.astimezone(event.tz).date()
    shifted = event.shifted((today - event.start).days - (TODAY_IS_DAY - 1))
    title = re.sub(r"(19|20)\d\d年", f"{shifted.start.year}年", shifted.title, count=1)
    return replace(shifted, title=title)


def prepare_demo(root: Path, now: dt.datetime) -> tuple[Workspace, list[Drop]]:
    """Build the demo workspace under `root`; returns it and the drops still to come."""
    event = demo_event(now)
    _, units = load_demo_event()
    ws = init_workspace(
        root,
        title=event.title,
        start=event.start,
        days=event.days,
        timezone=event.timezone,
        daily_deadline=event.daily_deadline.strftime("%H:%M"),
        plan_deadline=_wall(event.plan_deadline, event),
        summary_deadline=_wall(event.summary_deadline, event),
        theme=event.theme,
        day_themes=event.day_themes,
    )
    Store(ws.dbdir).put_units(units)
    drops = plan_drops(event, units)
    write_drops(ws.inbox, drops, until=now)
    return ws, [d for d in drops if d.arrival > now]


def _wall(moment: dt.datetime | None, event: Event) -> str | None:
    return moment.astimezone(event.tz).strftime("%Y-%m-%dT%H:%M") if moment else None


def dated_ahead(drop: Drop, event: Event, now: dt.datetime) -> bool:
    """Whether a drop belongs to a later day than `now`'s: planned for a later day, or named
    for one (a day's materials, the summary before the week's last day)."""
    today = now.astimezone(event.tz).date()
    if drop.arrival.astimezone(event.tz).date() > today:
        return True
    cell = drop.expect_cell
    if cell is None or cell == "plan":
        return False
    if cell == "summary":
        return today < event.end
    return dt.date.fromisoformat(cell) > today


class Dropper:
    """Writes the remaining drops into the inbox, one every `interval` seconds — only those
    whose day has come: a file named for tomorrow never arrives today."""

    def __init__(
        self,
        inbox: Path,
        drops: Sequence[Drop],
        interval: float,
        clock: Clock,
        event: Event | None = None,
    ) -> None:
        self.inbox, self.drops, self.interval, self.clock = inbox, list(drops), interval, clock
        self.event = event
        self.written: list[Drop] = []  # what was dropped, with its arrival as written
        self.stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-dropper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def next_drop(self) -> Drop | None:
        """The first remaining drop whose day has come (taken off the list), or None."""
        now = self.clock()
        for i, drop in enumerate(self.drops):
            if self.event is None or not dated_ahead(drop, self.event, now):
                return self.drops.pop(i)
        return None

    def _run(self) -> None:
        # The first arrival waits a little longer: the first toast says where the demo is.
        if self.stop.wait(self.interval):
            return
        while self.drops and not self.stop.wait(self.interval):
            drop = self.next_drop()
            if drop is None:
                continue  # nothing due yet today: wait for the clock
            # Arriving now, not at its planned time: the watcher stamps what it sees.
            arrived = replace(drop, arrival=self.clock())
            write_drop(self.inbox, arrived)
            self.written.append(arrived)

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=2)


def make_demo(
    root: Path, *, lang: str | None = None, interval: float = 4.0, clock: Clock = system_clock
) -> tuple[WeekwatchApp, Dropper, Workspace]:
    """The demo's dashboard and dropper over a new workspace in `root` (nothing started)."""
    from .app import make_app

    now = clock()
    ws, upcoming = prepare_demo(root, now)
    dropper = Dropper(ws.inbox, upcoming, interval, clock, demo_event(now))
    app = make_app(ws, clock=clock, lang=lang)
    app.demo_root = ws.root  # said in the first toast
    return app, dropper, ws


def run_demo(
    *,
    lang: str | None = None,
    interval: float = 4.0,
    clock: Clock = system_clock,
    keep: bool = False,
    parent: Path | None = None,
    run: Callable[[WeekwatchApp], Any] | None = None,
) -> int:
    """Run the demo; the workspace is removed afterwards unless `keep`. `run` runs the app
    (tests run it headless)."""
    root = Path(tempfile.mkdtemp(prefix="weekwatch-demo-", dir=parent))
    try:
        app, dropper, ws = make_demo(root, lang=lang, interval=interval, clock=clock)
        dropper.start()
        try:
            (run or _run)(app)
        finally:
            dropper.close()
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    if keep:
        print(f"the demo workspace stays in {root} (weekwatch -w {root})")
    else:
        print(f"the demo workspace {root} was removed (weekwatch demo --keep keeps it)")
    return 0


def _run(app: WeekwatchApp) -> None:
    app.run()
