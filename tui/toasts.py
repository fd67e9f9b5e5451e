"""What the dashboard says in toasts: arrivals grouped by burst, files gone, and muting.

Toasts are one line at the top right, over the header's title line (app.tcss), so they never
cover the grid's cells, the detail pane or a dialog; the newest replaces the one before (every
toast is also kept in `app.toasts`). A line over one widget only also keeps Chinese names
whole: Textual's compositor cuts each screen line at the edges of every widget under it and
blanks a wide character a cut splits (Textualize/textual#6357), so a toast lying over the
grid's edge and the side pane's border lost the first characters of 平煤神马技师学院.

Arrivals are gathered for `BURST` seconds and said once: "New material: 平煤神马技师学院
(12-01)" for one file, "3 new files: …" for a burst, quarantined files among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from weekwatch.store.ingest import display_path

if TYPE_CHECKING:
    from textual.timer import Timer

    from weekwatch.store.rules import Board

    from .app import WeekwatchApp

#: Seconds an arrival waits for the rest of its burst.
BURST = 0.6
#: How many names a burst's toast spells out before "…".
NAMED = 4


@dataclass(frozen=True)
class Arrival:
    """One thing that arrived: a unit's cell with `files` new files, or a quarantined file."""

    who: str  # the unit's name, or the quarantined file's path
    col: str = ""  # the column's name as the grid shows it ("12-01", "Plan")
    files: int = 1
    quarantined: bool = False

    def __str__(self) -> str:
        return self.who if self.quarantined else f"{self.who} ({self.col})"


class Toasts:
    """The app's toasts beyond `notify` itself: bursts, files gone, and the mute switch."""

    def __init__(self, app: WeekwatchApp) -> None:
        self.app = app
        #: Information toasts are not shown (warnings and errors still are); the palette
        #: switches it.
        self.muted = False
        self._burst: list[Arrival] = []
        self._timer: Timer | None = None

    def arrived(self, items: list[Arrival]) -> None:
        """Arrivals of one board: said together with the rest of their burst."""
        if not items:
            return
        self._burst.extend(items)
        if self._timer is None:
            self._timer = self.app.set_timer(BURST, self.flush)

    def flush(self) -> None:
        items, self._burst, self._timer = self._burst, [], None
        if not items:
            return
        t = self.app.t
        files = sum(a.files for a in items)
        if files == 1:
            a = items[0]
            if a.quarantined:
                self.app.notify(t("msg.arrived_quarantine", path=a.who))
            else:
                self.app.notify(t("msg.arrived", who=a.who, col=a.col))
            return
        names = [t("msg.item_quarantine", path=a.who) if a.quarantined else str(a) for a in items]
        shown = ", ".join(names[:NAMED]) + (", …" if len(names) > NAMED else "")
        self.app.notify(t("msg.arrived_burst", n=files, what=shown))

    def gone(self, board: Board, paths: list[str]) -> None:
        """Files removed from the inbox after they were taken in: they still count."""
        if not paths:
            return
        t = self.app.t
        if len(paths) == 1:
            where = _where(board, paths[0])
            msg = t("msg.gone", path=display_path(paths[0]), where=where)
        else:
            shown = ", ".join(display_path(p) for p in paths[:NAMED])
            msg = t(
                "msg.gone_many", n=len(paths), what=shown + (", …" if len(paths) > NAMED else "")
            )
        self.app.notify(msg, severity="warning", timeout=10)

    def toggle(self) -> None:
        self.muted = not self.muted
        key = "msg.toasts_muted" if self.muted else "msg.toasts_on"
        self.app.notify(self.app.t(key), severity="warning", timeout=4)


def _where(board: Board, path: str) -> str:
    names = {u.id: u.name for u in board.units}
    for p in board.placed:
        if p.material.path == path and p.credits:
            return ", ".join(f"{names.get(c.unit, c.unit)} {c.cell}" for c in p.credits)
    return "—"
