"""The live dashboard: the grid of units × columns, the header, the detail pane, the day's picture.

Boards are judged off the UI thread and posted back as messages; the grid then updates only
the cells that changed. The app follows the store (its change stamp) so that actions and
arrivals recorded by any other process show up here too.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import BindingType
from textual.notifications import Notify
from textual.screen import Screen
from textual.widgets._toast import ToastHolder
from textual.worker import Worker, WorkerState

from weekwatch.store.week import Clock, Week, system_clock
from weekwatch.store.workspace import Workspace
from weekwatch.widgets.safe import safe_str

from .commands import palette_commands
from .i18n import I18n, default_lang, textual_word
from .judge import Judged, touched_units
from .keys import APP_BINDINGS, help_bindings, localized
from .messages import BatchArrived, CellsReady, RemindNews, ScanDone, WatcherProblem
from .remind_flow import news_text
from .screens.confirm import ConfirmScreen
from .screens.dashboard import DashboardScreen
from .screens.help import HelpScreen
from .toasts import Toasts
from .watching import RESTART_AFTER, InboxWatch

if TYPE_CHECKING:
    from weekwatch.store.watcher import Watcher

THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")
PAINT_WAIT = 2.0  # seconds the whole judging waits at most for the first grid to be drawn


class WeekwatchApp(App[None]):
    """What is app-wide: the language, the theme, the inbox's watcher, toasts, the palette.

    The grid, its panes and keys are the `DashboardScreen`'s. Nothing runs on construction:
    the ingest lock is taken and the first board judged once the app is mounted.
    """

    CSS_PATH = "app.tcss"
    TITLE = "weekwatch"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]

    def __init__(
        self,
        week: Week,
        *,
        lang: str,
        operator: str | None = None,
        as_of: bool = False,
        watch: bool = True,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.week = week
        self.clock: Clock = week.clock
        self.t = I18n(lang)
        # The palette key Textual binds itself: its footer label in the operator's language.
        for key, bound in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, description=self.t("palette.footer"))
                if b.action == "command_palette" and b.description == "palette"
                else b
                for b in bound
            ]
        self.operator = operator
        self.frozen = as_of
        self.want_watch = watch and not as_of and not week.read_only
        #: Whether the header speaks of intake at all (not when looking back at a moment).
        self.shows_intake = watch and not as_of
        self.keymap = dict(keymap or {})
        self.inbox = InboxWatch(week, self.post_message)
        self.inbox.operator = operator or ""
        self.toasts: list[str] = []
        self.toaster = Toasts(self)
        #: The demo's workspace (tui/demo.py): said in the first toast.
        self.demo_root: Path | None = None
        self.started = time.perf_counter()
        self._dashboard: DashboardScreen | None = None
        self._first: Future[tuple[object, Judged]] | None = None

    @property
    def dashboard(self) -> DashboardScreen:
        """The main screen (made when the app starts)."""
        if self._dashboard is None:
            cls = localized(DashboardScreen, self.t)
            self._dashboard = cls(self.week, self.t, operator=self.operator, frozen=self.frozen)
        return self._dashboard

    @property
    def watcher(self) -> Watcher | None:
        return self.inbox.watcher

    def get_default_screen(self) -> Screen[None]:
        return self.dashboard

    def on_load(self) -> None:
        # The first board is judged while Textual starts up (not on construction: building
        # an app starts nothing), so the grid fills sooner; the dashboard's first job takes it.
        first: Future[tuple[object, Judged]] = Future()
        screen = self.dashboard  # made here, on the UI thread
        judging = screen.judging

        def work() -> None:
            try:
                stamp = self.week.store.stamp()  # taken first: a write during judging is news
                now = self.clock()
                kept = judging.kept(now)
                if kept is not None:  # the grid first, from the cells another process kept
                    screen.post_message(CellsReady(kept))
                    # Judging the whole week now would slow the paint (one interpreter lock):
                    # it waits for the grid to be drawn, a moment at most.
                    screen.painted.wait(PAINT_WAIT)
                first.set_result((stamp, judging.judge(now, index=False)))
            except BaseException as exc:  # handed to the first job, which reports it
                first.set_exception(exc)

        self._first = first
        self.run_worker(work, thread=True, group="first-board", exit_on_error=False)

    def first_board(self) -> tuple[object, Judged]:
        """In the dashboard's first judging worker: the board judged at start-up."""
        first, self._first = self._first, None
        if first is None:
            return self.week.store.stamp(), self.dashboard.judging.judge(self.clock())
        return first.result()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.want_watch:
            self.inbox.take_lock()
        elif self.shows_intake:
            self.inbox.observe()  # read-only: whom it follows, or that nobody takes files in
        self.dashboard.intake_shown = self.shows_intake
        self._show_intake()
        self.dashboard.refresh_board()  # the first board, judged in a worker
        for warning in self.week.warnings():  # e.g. a [groups] type no unit has
            self.notify(warning, severity="warning", timeout=12)
        if self.demo_root is not None:
            self.notify(self.t("msg.demo_at", path=str(self.demo_root)), timeout=12)
        self.set_interval(0.5, self._poll_store)
        self.set_interval(1.0, self.dashboard.tick)
        if self.shows_intake:
            # A follower notices within a second that the ingesting process is gone.
            self.set_interval(1.0, self._poll_intake)

    def on_unmount(self) -> None:
        self.inbox.stop()

    def on_resize(self, event: events.Resize) -> None:
        self.dashboard.narrow(event.size.width)

    def start_watching(self) -> None:
        """After the first board: run the watcher, or say whom we follow."""
        self._painted = True
        if self.inbox.ingesting:
            self._run_watcher()
        elif self.inbox.following:
            self.notify(self.t("msg.following", pid=self.inbox.following), timeout=6)

    _painted = False  # the first board is on screen: the watcher may start

    def _run_watcher(self) -> None:
        if not self._painted or any(
            w.group == "watcher" and not w.is_finished for w in self.workers
        ):
            return
        self.run_worker(self.inbox.run, thread=True, group="watcher", exit_on_error=False)

    def _poll_intake(self) -> None:
        """Every second: take over if the ingesting process is gone; the header's truth."""
        if not self.is_running:
            return
        self._took(self.inbox.poll())
        self._show_intake()

    def _took(self, took: str | None) -> bool:
        """Said once this dashboard has taken the ingest lock (`InboxWatch.poll`'s answer)."""
        if took is None:
            return False
        if took:
            self.notify(self.t("msg.took_over", pid=took), severity="warning", timeout=10)
        else:
            self.notify(self.t("msg.watch_works"))
        self._run_watcher()
        return True

    def _show_intake(self) -> None:
        board = self.dashboard
        board.following = self.inbox.following
        board.watching = self.inbox.ingesting
        board.last_scan = self.inbox.last_scan()
        board.scan_every = self.inbox.scan_every()

    def _watcher_ended(self, worker: Worker[Any]) -> None:
        """The watcher stopped while the app runs: loud in the header, said in a toast."""
        self.inbox.ended()
        self._show_intake()
        err = worker.error if worker.state == WorkerState.ERROR else worker.state.name.lower()
        self.notify(
            self.t("msg.intake_stopped", err=err, s=int(RESTART_AFTER)),
            severity="error",
            timeout=15,
        )

    def rescan_elsewhere(self) -> None:
        """`r` with no watcher of ours: take over if nobody ingests (our start-up scan then
        answers), else say who does and when it last scanned."""
        self.inbox.retry_now()
        took = self._took(self.inbox.poll())
        self._show_intake()
        if took:
            return
        scanned = self.inbox.last_scan()
        at = f"{scanned.astimezone(self.week.event.tz):%H:%M:%S}" if scanned else "?"
        if self.inbox.following:
            self.notify(self.t("msg.follow_rescan", pid=self.inbox.following, at=at))
        self.dashboard.refresh_board()

    def _poll_store(self) -> None:
        if self.is_running:
            self.dashboard.poll_store(self.inbox.own_stamp, self.inbox.watcher is not None)

    def on_watcher_problem(self, message: WatcherProblem) -> None:
        """Said in the header for as long as it lasts, and once as a toast."""
        if not self.is_running:
            return
        self.dashboard.watch_problem = message.problem
        if message.problem is None:
            self.notify(self.t("msg.watch_works"))
        else:
            self.notify(
                self.t("msg.watch_failed", problem=message.problem), severity="error", timeout=10
            )

    def on_batch_arrived(self, message: BatchArrived) -> None:
        if not self.is_running:
            return
        for err in message.batch.errors[:3]:
            self.notify(err, severity="warning")
        if not message.batch.changed:
            return
        touched = touched_units(message.batch, self.dashboard.ledger)
        if message.quiet:
            # Not announced in any board up to and including the first judged after it.
            self.dashboard.feed.hush(touched)
            batch = message.batch
            self.dashboard.hushed_paths |= {m.path for m in [*batch.added, *batch.gone]}
        # Quarantined files touch no unit, but the quarantine list and count still change.
        self.dashboard.refresh_board(touched)

    def on_remind_news(self, message: RemindNews) -> None:
        """A scheduled reminder went out (or could not): a toast; the log changed."""
        if not self.is_running:
            return
        self.notify(news_text(message.news, self.t), timeout=8)
        self.dashboard.refresh_board()

    def on_scan_done(self, message: ScanDone) -> None:
        scanned = self.t("msg.scanned", added=message.added, gone=message.gone)
        if message.took_over:
            # The takeover's own toast would be replaced at once: this one says both.
            took = self.t("msg.took_over", pid=message.took_over)
            self.notify(f"{took} · {scanned}", severity="warning", timeout=10)
            return
        self.notify(scanned)
        self.dashboard.refresh_board()

    # --- the rest of the app ----------------------------------------------------------
    def notify(self, message: str, **kwargs: Any) -> None:
        """Every toast is also kept (the tests read what was said); the newest replaces the
        one shown, on its one line over the header (tui/toasts.py)."""
        text = safe_str(message)  # unit and file names are untrusted: never markup
        self.toasts.append(text)
        del self.toasts[:-50]
        kwargs.pop("markup", None)
        if self.toaster.muted and kwargs.get("severity", "information") == "information":
            return
        super().notify(text, markup=False, **kwargs)

    def _on_notify(self, event: Notify) -> None:
        # Textual adds a notification when its message is handled: only then can the newest
        # replace the ones before it (one toast line, tui/toasts.py). Textual takes a replaced
        # toast out of its holder but leaves the holder, which would push the newest off the
        # line: the holders go too.
        self._notifications.clear()
        try:
            screen = self.screen
        except ScreenStackError:  # closing: the screens are gone, and the toast with them
            pass
        else:
            for holder in screen.query(ToastHolder):
                holder.remove()
        super()._on_notify(event)

    def action_toggle_toasts(self) -> None:
        """Mute information toasts, or hear them again (the palette's entry)."""
        self.toaster.toggle()

    def report_error(self, err: BaseException | None) -> None:
        """Every worker's unexpected error ends here, as a notification (never a crash)."""
        self.notify(self.t("msg.error", err=err), severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "watcher" and event.worker.is_finished:
            if self.is_running and not self.inbox.stopping:
                self._watcher_ended(event.worker)
            return
        if event.state == WorkerState.ERROR:
            self.report_error(event.worker.error)

    async def action_quit(self) -> None:
        """Quit; if other dashboards follow this one's intake, ask first."""
        if isinstance(self.screen, ConfirmScreen):
            return
        others = self.inbox.followers()
        if not others:
            self.exit()
            return
        t = self.t
        ask = localized(ConfirmScreen, t)(
            t("quit.title"),
            t("quit.body", n=len(others), pids=", ".join(others)),
            t("quit.hint"),
        )
        self.push_screen(ask, lambda yes: self.exit() if yes else None)

    def action_help(self) -> None:
        """Built from the bindings themselves, so it never disagrees with the keys."""
        bindings = help_bindings(self.t, self.keymap, writable=self.dashboard.writable)
        self.push_screen(localized(HelpScreen, self.t)(bindings, self.t))

    def action_cycle_theme(self) -> None:
        i = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(i + 1) % len(THEMES)]
        self.notify(self.t("msg.theme", name=self.theme), timeout=2)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for c in super().get_system_commands(screen):  # Textual's own, in the operator's words
            yield c._replace(title=textual_word(c.title, self.t), help=textual_word(c.help, self.t))
        yield from palette_commands(self)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        # Textual's, with its prompt in the operator's language.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            palette = CommandPalette(id="--command-palette", placeholder=self.t("palette.search"))
            self.push_screen(palette)


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
    keymap: Mapping[str, str] | None = None,
    actions: str = "until",
) -> WeekwatchApp:
    """The one way to build the dashboard (the CLI, the demo and the tests all use it).

    `clock` returns an aware datetime (tests pass a frozen one); `as_of` freezes the clock at
    a past moment and turns off watching and recording. `keymap` maps binding ids to keys
    (see `tui/keymap.py`); `actions` = "all" applies to that moment every
    decision recorded since (Week.ledger_at).
    """
    if as_of is not None:
        clock = partial(_frozen, as_of)
    week = Week(workspace, read_only=read_only, clock=clock, actions=actions)
    lang = lang or default_lang(week.event.lang)
    cls = localized(WeekwatchApp, I18n(lang))
    return cls(
        week, lang=lang, operator=operator, as_of=as_of is not None, watch=watch, keymap=keymap
    )
