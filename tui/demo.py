"""`weekwatch demo`: the bundled demo week, moved so that today is its fourth day, live.

The fixture event is copied into a temporary workspace; every drop planned before now is
written with its planned time as its mtime, and the rest arrive one every few seconds while
the dashboard runs, so a newcomer sees arrivals, late cells and deadlines pass.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from weekwatch.fixtures.drops import Drop, load_demo_event, plan_drops, write_drop, write_drops
from weekwatch.store.config import init_workspace
from weekwatch.store.db import Store
from weekwatch.store.model import Event
from weekwatch.store.week import Clock, system_clock
from weekwatch.store.workspace import Workspace

TODAY_IS_DAY = 4


def demo_event(now: dt.datetime) -> Event:
    """The fixture event, shifted so that `now` falls on its fourth day."""
    event, _units = load_demo_event()
    today = now.astimezone(event.tz).date()
    return event.shifted((today - event.start).days - (TODAY_IS_DAY - 1))


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


class Dropper:
    """Writes the remaining drops into the inbox, one every `interval` seconds."""

    def __init__(self, inbox: Path, drops: Sequence[Drop], interval: float, clock: Clock) -> None:
        self.inbox, self.drops, self.interval, self.clock = inbox, list(drops), interval, clock
        self.stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-dropper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        for drop in self.drops:
            if self.stop.wait(self.interval):
                return
            # Arriving now, not at its planned time: the watcher stamps what it sees.
            write_drop(self.inbox, replace(drop, arrival=self.clock()))

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=2)


def run_demo(*, lang: str | None = None, interval: float = 4.0, clock: Clock = system_clock) -> int:
    from .app import make_app

    root = Path(tempfile.mkdtemp(prefix="weekwatch-demo-"))
    ws, upcoming = prepare_demo(root, clock())
    dropper = Dropper(ws.inbox, upcoming, interval, clock)
    dropper.start()
    try:
        make_app(ws, clock=clock, lang=lang).run()
    finally:
        dropper.close()
    print(f"the demo workspace stays in {ws.root} (weekwatch -w {ws.root})")
    return 0
