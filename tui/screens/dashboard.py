"""The dashboard: the grid of units × columns, the header, today's picture, the detail pane.

The screen holds the view's state as reactives — the current board, the filter, the sort,
the marked rows, the time — and everything drawn follows them: the rows through the watch
methods, the header and today's picture through `data_bind` of computed views. Boards are
judged off the UI thread by a worker the `BoardFeed` schedules (tui/board_flow.py) and drawn
by tui/board_rows.py. The grid's keys are this
screen's bindings, so any screen on top (a form, the quarantine list) switches them off.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker

from weekwatch.store.ledger import Ledger
from weekwatch.store.rules import Board
from weekwatch.store.week import Week
from weekwatch.widgets.console import plain_scrollbars
from weekwatch.widgets.grid import TOTAL_STATES, Grid, GridColumn
from weekwatch.widgets.header import HeaderView, WeekHeader
from weekwatch.widgets.look import ascii_only
from weekwatch.widgets.today import TodayPicture, TodayView

from .. import view
from ..board_flow import BoardFlow
from ..board_rows import BoardRows
from ..feed import BoardFeed
from ..i18n import I18n
from ..judge import Judging
from ..keys import DASHBOARD_BINDINGS, WRITES, localized
from ..messages import BoardReady, CellsReady
from ..remind_flow import RemindFlow
from ..triage import Triage

if TYPE_CHECKING:
    from ..app import WeekwatchApp

#: Three whole-inbox scans missed (at least three minutes) is news.
STALE_SCAN = dt.timedelta(minutes=3)
NARROW = 120  # below this width the side pane moves under the grid


class DashboardScreen(Screen[None]):
    """The main screen. Build it through `keys.localized` so its keys speak the language."""

    BINDINGS: ClassVar[list[BindingType]] = [*DASHBOARD_BINDINGS]

    #: The latest judged board (None until the first one is in).
    board: reactive[Board | None] = reactive(None, always_update=True, init=False)
    filter: reactive[str] = reactive("all", init=False)
    sort: reactive[str] = reactive("roster", init=False)
    marked: reactive[frozenset[str]] = reactive(frozenset(), init=False)
    #: What `/` narrows the grid to (names, aliases, ids, pinyin); "" shows every row.
    search: reactive[str] = reactive("", init=False)
    #: The detail pane shown whole, or collapsed to one line (the default on a short screen).
    detail_open: reactive[bool] = reactive(True, init=False)
    #: The clock, as of the last tick.
    now: reactive[dt.datetime | None] = reactive(None, init=False)
    #: Whether this dashboard ingests, and whose pid it follows if another process does.
    watching: reactive[bool] = reactive(False, init=False)
    following: reactive[str | None] = reactive(None, init=False)
    #: When the inbox was last scanned through (by us or by the process we follow).
    last_scan: reactive[dt.datetime | None] = reactive(None, init=False)
    #: What keeps this dashboard's watcher from writing (a full disk...), or None.
    watch_problem: reactive[str | None] = reactive(None, init=False)
    #: The mailbox could not be fetched the last time it was tried (what went wrong).
    mail_down: reactive[str] = reactive("", init=False)
    #: The reminder schedule's badge (`[remind] auto`): its next time, or that it is cancelled.
    remind_badge: reactive[str] = reactive("", init=False)
    #: What the header and today's picture draw (computed from the reactives above).
    header: reactive[HeaderView | None] = reactive(None)
    today: reactive[TodayView | None] = reactive(None)

    def __init__(self, week: Week, t: I18n, *, operator: str | None, frozen: bool) -> None:
        super().__init__()
        self.week = week
        self.event = week.event
        self.t = t
        self.operator = operator
        #: The login is shared (root) and nobody said who operates: ask once (tui/launch.py).
        self.ask_operator = False
        self.frozen = frozen  # as-of: the clock stands still and nothing is recorded
        self.ledger = Ledger()
        self.per_hour: list[int] = [0] * 24
        self.feed = BoardFeed()
        #: The judging kept between boards (what an arrival costs is what it touches).
        self.judging = Judging(week)
        self.triage = Triage(self)
        self.reminding = RemindFlow(self)
        self.rows = BoardRows(self)  # what is drawn of each board (tui/board_rows.py)
        self.flow = BoardFlow(self)  # how boards are judged and applied (tui/board_flow.py)
        self.stamp: object = None  # the store's change stamp the current board reflects
        self.next_boundary: dt.datetime | None = None  # when a cell next changes by itself
        self.today_column = view.today_column(self.event, week.clock())
        self.apply_seconds = self.applied_at = 0.0
        self.first_paint: float | None = None  # seconds from the app's start to the first board
        #: The board shown is the kept cells only (no files yet): the whole one is judged.
        self.provisional = False
        #: Set once the first grid is drawn (the whole week's judging waits for it).
        self.painted = threading.Event()
        #: Units whose changes the board being applied shows without announcing them.
        self.quiet: frozenset[str] = frozenset()
        #: The header says who takes in files (the app sets it; not when looking back).
        self.intake_shown = False
        self._detail_chosen = False  # the operator toggled the pane: sizes no longer decide
        #: How often the process that takes in files scans the inbox, seconds (if it said).
        self.scan_every: float | None = None
        #: Files of a start-up scan: shown, not announced (the app fills it).
        self.hushed_paths: set[str] = set()

    @property
    def wapp(self) -> WeekwatchApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield WeekHeader(id="header").data_bind(view=DashboardScreen.header)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Grid(id="grid")
                with Horizontal(id="searchbar"):
                    yield Input(placeholder=self.t("search.prompt"), id="search")
                    yield Static(id="search-count")
            with Vertical(id="side"):
                yield TodayPicture(self.t("today.title"), id="today").data_bind(
                    view=DashboardScreen.today
                )
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail")
        yield Footer()

    @property
    def writable(self) -> bool:
        """Whether this dashboard records actions (not read-only, not looking back)."""
        return not self.frozen and not self.week.read_only

    @property
    def grid(self) -> Grid:
        return self.query_one(Grid)

    def on_mount(self) -> None:
        self.now = self.week.clock()
        self.fit(self.app.size.width, self.app.size.height)
        self.grid.focus()
        if self.ask_operator:
            self.call_after_refresh(self.triage.ask_operator)
        if ascii_only():
            for scrolling in (self.grid, self.query_one("#detail-scroll")):
                plain_scrollbars(scrolling)
        # The grid redraws itself in a new theme's colours; the detail pane follows.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.update_detail())

    def narrow(self, width: int) -> None:
        self.set_class(width < NARROW, "narrow")
        self.set_class(ascii_only(), "ascii")

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width, event.size.height)

    def fit(self, width: int, height: int) -> None:
        """Lay the screen out for its size: the side pane beside the grid or under it, the
        detail pane whole or one line, and the grid's columns fitted to the width (the last
        day and the summary in sight at 120 columns: names and the side pane give way)."""
        self.narrow(width)
        short = height < view.SHORT
        if not self._detail_chosen:
            self.detail_open = not short
        labels = self._labels()
        name, side, pad = view.fit_grid(width, [w for _, _, w in labels], width < NARROW)
        self.query_one("#side").styles.width = side if side else None
        grid = self.grid
        heading = 1 if short else 3
        if (grid.name_width, grid.cell_padding, grid.header_height) != (name, pad, heading):
            grid.name_width, grid.cell_padding, grid.header_height = name, pad, heading
            unit, column = grid.focus_unit, grid.focus_column
            self.set_columns()
            self.show_rows()
            if unit is not None:
                grid.goto(unit, column)
        elif not grid.grid_columns:
            self.set_columns()
        grid.keep_cursor_in_view()

    def _labels(self) -> list[tuple[str, str, int]]:
        """Per column: key, heading (three lines), width."""
        out = []
        for c in self.event.columns:
            label = view.column_label(self.event, c, self.t, self.today_column)
            out.append((c, label, max(6, *(cell_len(line) for line in label.split("\n")))))
        return out

    def set_columns(self) -> None:
        cols = [GridColumn(c, lab, w, c == self.today_column) for c, lab, w in self._labels()]
        self.grid.set_columns(cols, [self.t(f"state.{s}") for s in TOTAL_STATES])

    # --- what the header and today's picture draw -----------------------------------------
    def compute_header(self) -> HeaderView | None:
        now = self.now
        if now is None:
            return None
        ev, t = self.event, self.t
        owed = self.board.owed_columns() if self.board is not None else None
        text, urgent = view.countdown(ev, now, t, owed)
        badges: list[tuple[str, str]] = []
        loud: list[tuple[str, str]] = []  # what must be read first: nobody takes in files
        if self.board is not None:
            waiting = sum(1 for p in self.board.quarantined if not p.material.gone)
            if waiting:
                badges.append((t("badge.quarantine", n=waiting), "bold"))
        if self.frozen:
            # "all": later excuses, extensions and assignments are applied to this moment.
            key = "badge.as_of_all" if self.week.actions == "all" else "badge.as_of"
            badges.append((t(key, when=f"{now.astimezone(ev.tz):%Y-%m-%d %H:%M}"), "bold"))
        if self.mail_down:
            badges.append((t("badge.mail_down"), "bold"))
        if self.remind_badge:
            badges.append((self.remind_badge, ""))
        if self.week.read_only:
            badges.append((t("badge.read_only"), "bold"))
        scanned = ""
        if self.last_scan is not None:
            scanned = " · " + t("badge.scanned", at=f"{self.last_scan.astimezone(ev.tz):%H:%M:%S}")
        # Who takes in files: following another process, or nobody, is read first; the
        # usual (watching here) after what narrows the grid.
        intake: list[tuple[str, str]] = []
        overdue = max(STALE_SCAN, 3 * dt.timedelta(seconds=self.scan_every or 60))
        if self.following and self.last_scan is not None and now - self.last_scan > overdue:
            # The process we follow holds the lock but has not scanned for minutes (stopped,
            # hung on a share): as loud as nobody taking in files.
            stale = t("badge.following_stale", pid=self.following) + scanned
            loud.append((stale, "bold reverse red"))
        elif self.following:
            loud.append((t("badge.following", pid=self.following) + scanned, ""))
        elif self.watching and self.watch_problem:
            loud.append((t("badge.failing"), "bold red"))
        elif self.watching:
            intake.append((t("badge.watching") + scanned, "dim"))
        elif self.intake_shown:
            # Nobody takes in files: first, loud, in the error colour (reverse without colour).
            loud.append((t("badge.not_taking_in"), "bold reverse red"))
        if self.marked:
            badges.append((t("badge.marked", n=len(self.marked)), "bold"))
        # What narrows or orders the grid comes first: it must stay in sight at 80 columns.
        # Below 120 columns in their short form, named by their keys (`f: due today`).
        short = "_short" if self.app.size.width < NARROW else ""
        view_badges: list[tuple[str, str]] = []
        if self.search.strip():
            view_badges.append((t("badge.search", q=self.search.strip()), "bold"))
        if self.filter != "all":
            name = t(f"filter.{self.filter}")
            view_badges.append((t(f"badge.filter{short}", name=name), "bold"))
        if self.sort != "roster":
            view_badges.append((t(f"badge.sort{short}", name=t(f"sort.{self.sort}")), "bold"))
        when = f"{now.astimezone(ev.tz):%Y-%m-%d %H:%M:%S %Z}"
        return HeaderView(
            ev.title, ev.theme, when, text, urgent, (*loud, *view_badges, *intake, *badges)
        )

    def compute_today(self) -> TodayView | None:
        board = self.board
        if board is None:
            return None
        today = view.today_column(board.event, board.now)
        if today is None:
            share = self.t("today.none")
        elif not board.owing(today):
            # Nobody owes today (seed 004: materials 及时, no daily deadline): a share of 0/0
            # would read as a day gone wrong; say what came instead.
            counts = [board.cell(u.id, today).count for u in board.units]
            sent = sum(1 for n in counts if n)
            share = self.t("today.not_owed", n=sum(counts), units=sent)
        else:
            on, total = view.on_time_share(board, today)
            pct = round(100 * on / total) if total else 0
            due = board.totals(today)["due"]
            share = self.t("today.share", on=on, all=total, pct=pct, due=due)
        return TodayView(tuple(self.per_hour), share)

    # --- the view's state -----------------------------------------------------------------
    def watch_filter(self) -> None:
        self.show_rows()
        self.update_detail()

    def watch_sort(self, sort: str) -> None:
        self.show_rows()
        if sort != "roster":
            self.grid.to_top()  # a new order is read from its top: worst first, say

    def watch_search(self, search: str) -> None:
        self.show_rows()
        if search.strip():
            self.grid.to_top()  # on the best match (no search: the cursor stays on its unit)
        self._count_matches()
        self.update_detail()

    def watch_detail_open(self) -> None:
        self.set_class(not self.detail_open, "collapsed")
        self.update_detail()

    def watch_marked(self) -> None:
        self.show_rows()

    def watch_board(self, prev: Board | None, board: Board | None) -> None:
        self.rows.changed(prev, board)

    def show_rows(self, units: Collection[str] | None = None) -> None:
        """Put the board's rows in the grid (only `units`' rows again, if given)."""
        self.rows.show(units)

    def update_detail(self) -> None:
        self.rows.detail()

    # --- boards: judged in a worker, applied here (tui/board_flow.py) ---------------------
    def refresh_board(self, units: Iterable[str] | None = None) -> None:
        """Judge the board again (only `units`' cells, if given), soon; requests coalesce."""
        self.flow.refresh(units)

    def on_cells_ready(self, message: CellsReady) -> None:
        self.flow.cells_ready(message)

    def on_board_ready(self, message: BoardReady) -> None:
        self.flow.board_ready(message)

    def on_unmount(self) -> None:
        self.flow.leaving()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.flow.worker_state_changed(event)

    def tick(self) -> None:
        """Every second: the day may have turned, a deadline passed, the header's time moved."""
        self.flow.tick()

    def poll_store(self, own_stamp: object, ingesting: bool = False) -> None:
        """Any process's write (another dashboard, an external watcher) changes the stamp."""
        self.flow.poll_store(own_stamp, ingesting)

    # --- the grid's events ----------------------------------------------------------------
    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if isinstance(event.data_table, Grid):
            self.update_detail()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if isinstance(event.data_table, Grid):
            self.triage.record()

    # --- the keys (each one the triage's; see tui/triage.py) ------------------------------
    def action_find(self) -> None:
        self.open_search()

    def action_cycle_filter(self) -> None:
        names = view.filters(self.board)
        i = names.index(self.filter) if self.filter in names else -1
        self.filter = names[(i + 1) % len(names)]

    def action_cycle_sort(self) -> None:
        self.sort = view.SORTS[(view.SORTS.index(self.sort) + 1) % len(view.SORTS)]

    def action_clear_view(self) -> None:
        """Esc: the search first, if any; then the filter, the sort and the marks."""
        if self.search or self.query_one("#searchbar").display:
            self.close_search()
            return
        if self.filter == "all" and self.sort == "roster" and not self.marked:
            return
        self.filter, self.sort, self.marked = "all", "roster", frozenset()

    def action_toggle_detail(self) -> None:
        self._detail_chosen = True
        self.detail_open = not self.detail_open

    # --- the search that narrows the grid -------------------------------------------------
    def open_search(self) -> None:
        bar = self.query_one("#searchbar")
        bar.display = True
        field = self.query_one("#search", Input)
        field.value = ""  # a new search: what was typed last time no longer narrows
        self.search = ""
        field.focus()
        self._count_matches()

    def close_search(self, *, keep: bool = False) -> None:
        """Hide the search field; the narrowing stays only if `keep` (Enter)."""
        self.query_one("#searchbar").display = False
        if not keep:
            self.search = ""
        self.grid.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            event.stop()
            self.search = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        event.stop()
        rows = self.grid.row_keys
        if not rows:
            self.app.bell()  # nothing matches: the field stays for another try
            return
        # The rows are the matches, best first: the cursor goes to the best.
        self.close_search(keep=bool(self.search.strip()))
        self.grid.goto(rows[0])

    def _count_matches(self) -> None:
        q = self.search.strip()
        n = len(self.grid.row_keys)
        if not q:
            text = Text("")
        elif n:
            text = Text(self.t("search.count", n=n), style="dim")
        else:
            text = Text(self.t("search.none", q=q), style="bold reverse")
        self.query_one("#search-count", Static).update(text)

    def action_mark(self) -> None:
        self.triage.mark()

    def action_excuse(self) -> None:
        self.triage.excuse()

    def action_extend(self) -> None:
        self.triage.extend()

    def action_contact(self) -> None:
        self.triage.contact()

    def action_note(self) -> None:
        self.triage.note()

    def action_remind_email(self) -> None:
        """E-mail the marked units (or all owing the focused column) a reminder."""
        if not self.writable:
            return
        col = self.grid.focus_column
        units = sorted(self.marked) if self.marked else None
        self.reminding.remind(units, col)

    def action_remind_skip(self) -> None:
        if self.writable:
            self.reminding.cancel_next()

    def action_undo(self) -> None:
        self.triage.undo()

    def action_redo(self) -> None:
        self.triage.redo()

    def action_rescan(self) -> None:
        self.triage.rescan()

    def action_quarantine(self) -> None:
        self.triage.quarantine()

    def action_recommend(self) -> None:
        self.triage.recommend()

    def action_record(self) -> None:
        self.triage.record()

    def action_calls(self) -> None:
        from .calls import CallsScreen

        self.app.push_screen(localized(CallsScreen, self.t)(self))

    def action_export(self) -> None:
        self.export()

    def export(self, kind: str = "calls", values: dict[str, str] | None = None) -> None:
        """The export dialog, on `kind` with these option values (tui/exports.py); the
        focused unit and column fill the options named `unit` and `day` (the pack's)."""
        from .export import ExportScreen

        uid, col = self.grid.focus_unit, self.grid.focus_column
        focus = {"unit": next((u.name for u in self.week.units() if u.id == uid), "")}
        focus["day"] = col or ""
        values = {**focus, **(values or {})}

        self.app.push_screen(localized(ExportScreen, self.t)(self.week, self.t, kind, values))

    def action_noop(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITES and not self.writable:
            return False  # not offered at all: a read-only dashboard lists no key that writes
        # Under another screen the keys are off already (they are this screen's); this only
        # keeps the footer, seen dimmed behind a dialog, from offering them.
        return self.app.screen is self or action.startswith("app.")

    def on_screen_suspend(self) -> None:
        self.refresh_bindings()  # a screen came on top: the footer asks check_action again

    def on_screen_resume(self) -> None:
        self.refresh_bindings()
