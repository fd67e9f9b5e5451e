"""The live dashboard: the grid of units × columns, the header, the detail pane, the day's picture.

Boards are judged off the UI thread and posted back as messages; the grid then updates only
the cells that changed. The app follows the store (its change stamp) so that actions and
arrivals recorded by any other process show up here too.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from rich.cells import cell_len
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from weekwatch.store.ingest import IngestLock
from weekwatch.store.ledger import Ledger
from weekwatch.store.rules import Board
from weekwatch.store.week import Clock, Week, system_clock
from weekwatch.store.workspace import Workspace
from weekwatch.widgets.grid import TOTAL_STATES, Grid, GridColumn, GridRow
from weekwatch.widgets.header import WeekHeader
from weekwatch.widgets.safe import safe_str
from weekwatch.widgets.today import TodayPicture

from . import view
from .commands import palette_commands
from .describe import column_name
from .i18n import I18n, default_lang
from .judge import judge
from .keys import GRID_ACTIONS, main_bindings
from .messages import BoardReady
from .panes import Panes
from .screens.quarantine import QuarantineScreen
from .triage import Triage
from .watching import Watching

_EARLY = ThreadPoolExecutor(max_workers=1, thread_name_prefix="weekwatch-first-board")
THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")
NARROW = 120  # below this width the side pane moves under the grid


class WeekwatchApp(Watching, Triage, Panes, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "weekwatch"

    def __init__(
        self,
        week: Week,
        *,
        lang: str,
        operator: str | None = None,
        as_of: bool = False,
        watch: bool = True,
    ) -> None:
        super().__init__()
        self.week = week
        self.event = week.event
        self.clock: Clock = week.clock
        self.t = I18n(lang)
        self.operator = operator
        self.frozen = as_of
        self.want_watch = watch and not as_of and not week.read_only
        self._bindings = BindingsMap.merge([self._bindings, BindingsMap(main_bindings(self.t))])
        self.board: Board | None = None
        self.ledger: Ledger = Ledger()
        self.per_hour: list[int] = [0] * 24
        self.filter = "all"
        self.sort = "roster"
        self.marked: set[str] = set()
        self.toasts: list[str] = []
        self.watcher = None
        self.following: str | None = None  # pid of the process that ingests, if not us
        self._lock: IngestLock | None = None
        self._stop = threading.Event()
        self._seq = 0
        self._judging = self._want_full = self._wanted = False
        self._want_units: set[str] = set()
        self._own_stamp: object = None
        self._quiet_units: set[str] = set()
        self._quiet_until = 0
        self._applied = 0
        self._stamp: object = None
        self._next_boundary: dt.datetime | None = None
        self._today = view.today_column(self.event, self.clock())
        self.started = time.perf_counter()
        if self.want_watch:
            self._take_ingest_lock()
        # The first board is judged while Textual starts up, so the grid fills sooner.
        self._first: Future | None = _EARLY.submit(self._first_board)
        self.apply_seconds = self.applied_at = 0.0
        self.first_paint: float | None = None  # seconds from construction to the first board

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield WeekHeader(id="header")
        with Horizontal(id="body"):
            yield Grid(id="grid")
            with Vertical(id="side"):
                yield TodayPicture(self.t("today.title"), id="today")
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail")
        yield Footer()

    @property
    def grid(self) -> Grid:
        return self.query_one(Grid)

    def on_mount(self) -> None:
        self.grid.name_width = 26 if self.size.width >= 160 else 16
        self._set_columns()
        self.grid.focus()
        self._apply_narrow(self.size.width)
        self._update_header()
        self.refresh_board()
        self.set_interval(0.5, self._poll_store)
        self.set_interval(1.0, self._tick)

    def on_resize(self, event) -> None:
        self._apply_narrow(event.size.width)

    def _apply_narrow(self, width: int) -> None:
        # The grid's screen, even while a modal is on top.
        self.screen_stack[0].set_class(width < NARROW, "narrow")

    def _set_columns(self) -> None:
        cols = []
        for c in self.event.columns:
            label = view.column_label(self.event, c, self.t, self._today)
            width = max(6, *(cell_len(line) for line in label.split("\n")))
            cols.append(GridColumn(c, label, width, c == self._today))
        self.grid.set_columns(cols, [self.t(f"state.{s}") for s in TOTAL_STATES])

    def _first_board(self) -> tuple[Board, Ledger, list[int]]:
        """In a plain thread, while Textual starts: the board as the store has it."""
        stamp = self.week.store.stamp()  # taken first: a write during judging is news
        result = judge(self.week, self.clock())
        self._stamp = stamp
        return result

    def _tick(self) -> None:
        if not self.is_running:
            return
        now = self.clock()
        today = view.today_column(self.event, now)
        if today != self._today:
            self._today = today
            self._set_columns()
            self.refresh_board()
        elif self._next_boundary is not None and now >= self._next_boundary:
            self._next_boundary = None
            self.refresh_board()
        self._update_header()

    # --- judging the board off the UI thread ------------------------------------------
    def refresh_board(self, units: Iterable[str] | None = None) -> None:
        """Judge the board again (only `units`' cells, if given), soon.

        Requests made while one is being judged coalesce into one more judgement.
        """
        if units is None:
            self._want_full = True
        else:
            self._want_units.update(units)
        self._wanted = True
        if not self._judging:
            self._start_judging()

    def _start_judging(self) -> None:
        units = None if self._want_full or self.board is None else frozenset(self._want_units)
        self._want_full, self._want_units, self._wanted = False, set(), False
        self._judging = True
        self._seq += 1
        self._compute(self._seq, units, self.board)

    def _judged(self) -> None:
        self._judging = False
        if self._wanted:
            self._start_judging()

    @work(thread=True, group="board", exit_on_error=False)
    def _compute(self, seq: int, units: frozenset[str] | None, prev: Board | None) -> None:
        first, self._first = self._first, None
        if first is not None:
            board, ledger, per_hour = first.result()
        else:
            board, ledger, per_hour = judge(self.week, self.clock(), units, prev)
        self.post_message(BoardReady(seq, board, ledger, per_hour))

    def on_board_ready(self, message: BoardReady) -> None:
        if not self.is_running:  # shutting down: the widgets are gone
            self._judging = False
            return
        self._judged()
        if message.seq < self._applied:
            return
        self._applied = message.seq
        t0 = time.perf_counter()
        prev, self.board, self.ledger = self.board, message.board, message.ledger
        self.per_hour = message.per_hour
        with self.batch_update():
            self.show_rows()
            if prev is not None and prev.units == self.board.units:
                self._announce(prev, self.board, self._quiet_units)
            if message.seq >= self._quiet_until:
                self._quiet_units = set()
            self._update_header()
            self._update_side()
            if isinstance(self.screen, QuarantineScreen):
                self.screen.show(self.board.quarantined)
        self.applied_at = time.perf_counter()
        self.apply_seconds = self.applied_at - t0  # UI-thread time of this refresh
        later = view.boundaries(self.board, self.ledger.extensions.values())
        self._next_boundary = later[0] if later else None
        if self.first_paint is None:
            self.first_paint = time.perf_counter() - self.started
            # Only now: the watcher's start-up scan would compete with the first paint.
            self._start_watching()
            if self.board.units and self._today:
                self.grid.goto(self.grid.row_keys[0] if self.grid.row_keys else "", self._today)

    def show_rows(self, rebuild: bool = False) -> None:
        board = self.board
        if board is None:
            return
        names = {u.id: u.name for u in board.units}
        cols = board.event.columns
        rows = [
            GridRow(
                uid,
                names[uid],
                tuple((board.cells[(uid, c)].state, board.cells[(uid, c)].count) for c in cols),
                uid in self.marked,
            )
            for uid in view.row_order(board, self.filter, self.sort)
        ]
        if rebuild:
            self.grid.row_keys = []
        self.grid.show(rows, [board.totals(c) for c in cols])

    def _announce(self, prev: Board, new: Board, quiet: set[str]) -> None:
        """Flash what changed; toast arrivals by unit, and cells that just went missing."""
        arrived: list[tuple[str, str]] = []
        missing = 0
        for key, cell in new.cells.items():
            old = prev.cells.get(key)
            if old is None or old == cell or key[0] in quiet:
                continue
            self.grid.flash(*key)
            if cell.count > old.count:
                arrived.append(key)
            if cell.state == "missing" and old.state != "missing":
                missing += 1
        units = {u.id: u.name for u in new.units}
        who = sorted({u for u, _ in arrived})
        if len(who) > 3:
            self.notify(self.t("msg.arrived_many", n=len(who)))
        else:
            for uid, col in arrived:
                name = units.get(uid, uid)
                self.notify(self.t("msg.arrived", who=name, col=column_name(col, self.t)))
        if missing:
            self.notify(self.t("msg.missing", n=missing), severity="warning", timeout=8)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if isinstance(event.data_table, Grid) and self.is_running:
            self._update_detail()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if isinstance(event.data_table, Grid) and self.is_running:
            self.action_record()

    # --- the rest of the app ----------------------------------------------------------
    def notify(self, message: str, **kwargs: Any) -> None:
        """Every toast is also kept (the tests read what was said)."""
        text = safe_str(message)  # unit and file names are untrusted: never markup
        self.toasts.append(text)
        del self.toasts[:-50]
        super().notify(text, markup=False, **kwargs)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker's unexpected error ends here, as a notification (never a crash)."""
        if event.worker.group == "board" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self._judged()
        if event.state == WorkerState.ERROR:
            err = event.worker.error
            self.notify(self.t("msg.error", err=err), severity="error", timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in GRID_ACTIONS:
            return len(self.screen_stack) == 1
        return True

    def action_cycle_theme(self) -> None:
        i = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(i + 1) % len(THEMES)]
        self.notify(self.t("msg.theme", name=self.theme), timeout=2)

    def action_noop(self) -> None:
        pass

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self)


def _frozen(moment: dt.datetime) -> dt.datetime:
    return moment


def make_app(
    workspace: Workspace,
    *,
    clock: Clock = system_clock,
    read_only: bool = False,
    as_of: dt.datetime | None = None,
    lang: str | None = None,
    operator: str | None = None,
    watch: bool = True,
) -> WeekwatchApp:
    """The one way to build the dashboard (the CLI, the demo and the tests all use it).

    `clock` returns an aware datetime (tests pass a frozen one); `as_of` freezes the clock at
    a past moment and turns off watching and recording.
    """
    if as_of is not None:
        clock = partial(_frozen, as_of)
    week = Week(workspace, read_only=read_only, clock=clock)
    lang = lang or default_lang(week.event.lang)
    return WeekwatchApp(week, lang=lang, operator=operator, as_of=as_of is not None, watch=watch)
