"""What the dashboard draws of a board (composed into the screen, like `Triage`): the grid's
rows, the ★ cells and the marks of what was done about a cell, the detail pane, and what an
arrival makes news of — cells flashed, arrivals and files gone toasted, cells that just went
missing. After an arrival only the units it touched are looked at again."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from weekwatch.store.rejudge import Change
from weekwatch.store.rules import Board, CellState, Placed
from weekwatch.store.traces import recommended_cells, traces
from weekwatch.widgets.grid import GridRow, Shown

from . import view
from .describe import column_name, detail
from .screens.quarantine import QuarantineScreen
from .toasts import Arrival

if TYPE_CHECKING:
    from .screens.dashboard import DashboardScreen


def shown(cell: CellState, trace: str = "", star: bool = False) -> Shown:
    """What the grid draws of a cell: its state, count, how many required kinds it has, the
    mark of what was done about it, and whether it holds a recommended file."""
    return (cell.state, cell.count, cell.have, cell.need, trace, star)


class BoardRows:
    """The board as the grid, the detail pane and the toasts show it."""

    def __init__(self, screen: DashboardScreen) -> None:
        self.screen = screen
        self.traces: dict[tuple[str, str], str] = {}
        self.stars: frozenset[tuple[str, str]] = frozenset()
        self._stars_for: frozenset[str] | None = None  # the recommended paths they are for
        #: What the board being applied changed (set only while it is applied).
        self.change: Change | None = None

    def changed(self, prev: Board | None, board: Board | None) -> None:
        """A new board is in (the screen's `board` reactive): draw it, say what is news."""
        if board is None:
            return
        screen = self.screen
        self.traces = traces(board, screen.ledger)
        change = self.change if prev is not None else None
        self.stars = self._recommended(board, change)
        self.show(None if change is None else change.units)
        if screen.provisional:
            pass  # the kept cells, or the whole board after them: nothing is news
        elif prev is not None and prev.units == board.units:
            self._announce(prev, board, screen.quiet, change)
        self.detail()
        top = screen.app.screen
        if isinstance(top, QuarantineScreen):
            top.show(board.quarantined)

    def _recommended(self, board: Board, change: Change | None) -> frozenset[tuple[str, str]]:
        """The ★ cells: after an arrival only its units' cells are looked at again, while the
        recommendations stay those the last ones were found for."""
        ledger = self.screen.ledger
        marks = frozenset(ledger.recommended)
        again = self._stars_for == marks and change is not None and change.units is not None
        self._stars_for = marks
        if again and change is not None:
            return recommended_cells(board, ledger, self.stars, change.units)
        return recommended_cells(board, ledger)

    def show(self, units: Collection[str] | None = None) -> None:
        """Put the board's rows in the grid; with `units` (an arrival's), only their rows are
        drawn again where the view keeps the roster's order (no filter, sort or search)."""
        screen = self.screen
        board = screen.board
        if board is None:
            return
        cols = board.event.columns
        marks, stars = self.traces, self.stars
        names = {u.id: u.name for u in board.units} if units is None else None
        in_place = screen.filter == "all" and screen.sort == "roster" and not screen.search.strip()
        if units is not None and in_place and screen.grid.row_keys:
            names = {u.id: u.name for u in board.units if u.id in units}
            order = list(names)
        else:
            names = names or {u.id: u.name for u in board.units}
            order = view.row_order(board, screen.filter, screen.sort, screen.search)
            units = None
        aliases = {u.id: u.aliases for u in board.units if u.id in names}
        rows = [
            GridRow(
                uid,
                names[uid],
                tuple(
                    shown(board.cells[(uid, c)], marks.get((uid, c), ""), (uid, c) in stars)
                    for c in cols
                ),
                uid in screen.marked,
                aliases[uid],
            )
            for uid in order
        ]
        totals = [board.totals(c) for c in cols]
        if units is None:
            screen.grid.show(rows, totals)
        else:
            screen.grid.update_rows(rows, totals)

    def detail(self) -> None:
        """The detail pane for the focused cell (one line when collapsed)."""
        screen = self.screen
        board = screen.board
        if board is None or not screen.is_mounted:
            return
        grid, t = screen.grid, screen.t
        uid, col = grid.focus_unit, grid.focus_column
        unit = next((u for u in board.units if u.id == uid), None) if uid else None
        text = detail(board, screen.ledger, unit, col if unit else None, t, grid.look)
        if not grid.row_keys and board.units and (screen.filter != "all" or screen.search):
            # An empty grid says why: nothing passes the filter (or the search) now.
            why = t(f"filter.{screen.filter}") if screen.filter != "all" else screen.search
            text = Text(t("detail.none_shown", why=why), style="bold") + Text("\n") + text
        if not screen.detail_open:
            # One line: today's picture in words, then the first line of the detail.
            line = Text(screen.today.share if screen.today else "", style="bold", no_wrap=True)
            line.append("  │ ")
            line.append_text(text.split("\n")[0])
            text = line
        screen.query_one("#detail", Static).update(text)

    def _announce(
        self, prev: Board, new: Board, quiet: frozenset[str], change: Change | None = None
    ) -> None:
        """Flash what changed; toast arrivals (placed or quarantined, a burst as one), files
        gone from the inbox, and cells that just went missing. With `change` (an arrival's),
        only the cells and placings it replaced are looked at: the rest were carried over."""
        screen = self.screen
        units = {u.id: u.name for u in new.units}
        arrived: list[Arrival] = []
        missing = 0
        if change is None or change.units is None:
            keys: Iterable[tuple[str, str]] = new.cells
        else:
            touched = change.units  # in the roster's order, as a whole board lists them
            cols = new.event.columns
            keys = [(u.id, c) for u in new.units if u.id in touched for c in cols]
        for key in keys:
            cell = new.cells[key]
            old = prev.cells.get(key)
            if old is None or old == cell or key[0] in quiet:
                continue
            screen.grid.flash(*key)
            if cell.count > old.count:
                name = units.get(key[0], key[0])
                col = column_name(key[1], screen.t)
                arrived.append(Arrival(name, col, cell.count - old.count))
            if cell.state == "missing" and old.state != "missing":
                missing += 1
        # Files, not cells: what came in quarantine, what left the inbox (by any process).
        hushed, screen.hushed_paths = screen.hushed_paths, set()
        if change is None or change.units is None:
            before = {p.material.path: p for p in prev.placed}
            now_placed: Iterable[Placed] = new.placed
        else:
            before = {p.material.path: p for p in change.out}
            now_placed = change.into
        gone = []
        for p in now_placed:
            path = p.material.path
            old_p = before.get(path)
            if path in hushed:
                continue
            if p.waiting and not p.material.gone and (old_p is None or not old_p.waiting):
                arrived.append(Arrival(path, quarantined=True))
            if p.material.gone and old_p is not None and not old_p.material.gone:
                gone.append(path)
        screen.wapp.toaster.arrived(arrived)
        screen.wapp.toaster.gone(new, gone)
        if missing:
            screen.app.notify(screen.t("msg.missing", n=missing), severity="warning", timeout=8)
