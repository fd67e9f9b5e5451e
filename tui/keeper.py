"""`weekwatch watch` keeps the judged week current for other processes' readers. No Textual.

`status`, `status --json` and a dashboard's first paint read the board kept beside the database
(store/board_cache.py) when nothing changed since it was judged; any write makes it stale, and
then each of them judges the whole week (seconds at 100,000 materials). A running dashboard
keeps it from its judging worker; with only the headless watcher running, this does, in a
process of its own beside `watch` (`start`): judging the whole week holds the interpreter for
seconds, which in the watcher's process would hold back its recording of arrivals. After the
start-up scan, whenever the database changed, at most every `KEEP_EVERY` seconds (a burst of
arrivals is judged once), it places again only the units a batch touched (tui/judge.py,
store/rejudge.py), and the whole week after a decision recorded by anyone. It leaves when the
watcher does, killed or not. Derived data: a judging that fails costs the next reader a
judging of its own, nothing else, so it is said once on stderr and tried again later.

A one-off write (`ingest` from cron, `fetch`, an assignment from another terminal) hands the
keeping on too (`hand_on`): a keeper of its own, detached, that brings the kept week current
(`--once`: the cells first, then `materials --json`'s records — with the cells, after an
arrival), and exits. One keeper at a
time per workspace (`kept_parts.keeping`: the next waits, then finds little or nothing left);
a reader that finds the kept week stale while one is at work waits for it rather than judge
the week beside it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from weekwatch.store.ledger import Ledger
from weekwatch.store.week import Week

if TYPE_CHECKING:
    import subprocess  # loaded when a keeper starts: the CLI asks `HANDS_ON` of every command

    from .judge import Judging

KEEP_EVERY = 5.0  # seconds between two boards kept while files keep arriving


class BoardKeeper:
    """Keeps the board of `week` current beside its database while `run` runs."""

    def __init__(self, week: Week, every: float = KEEP_EVERY) -> None:
        self.week = week
        from .judge import Judging  # imported here: a one-off command's `hand_on` needs none

        self.every = every
        self.judging: Judging = Judging(week)
        self.kept = threading.Event()  # set each time a board was kept (tests wait on it)
        self._ledger: Ledger | None = None  # the decisions of the last board judged
        self._said = False

    def run(self, stop: threading.Event, alive: Callable[[], bool] = lambda: True) -> None:
        """Until `stop` (or `alive()` is false): every `every` seconds, if the database changed
        (the watcher's batches, another process's decision), judge and keep; the first turn
        leaves the start-up scan the processor."""
        kept_key: str | None = None
        while not stop.wait(self.every) and alive():
            try:
                key = self.week.cache_key()  # the stamps of the database's files: cheap
                if key == kept_key:
                    continue
                if kept_key is None and self.week.kept_cells(self.week.clock()) is not None:
                    kept_key = key  # what is kept is current already (a dashboard kept it)
                    continue
                if self._keep():
                    kept_key = key
                    self.kept.set()
            except Exception as exc:  # derived data: never stop the watcher for it
                self.judging.rejudger.reset()
                self._ledger = None
                if not self._said:
                    print(f"! the judged week could not be kept for status: {exc}", file=sys.stderr)
                    self._said = True

    def _keep(self) -> bool:
        """Judge the week (only what changed, when the decisions did not) and keep it."""
        week = self.week
        now = week.clock()
        key = week.cache_key()  # before the materials: a write after it makes the board stale
        same = self._ledger is not None and week.ledger_at(now) == self._ledger
        board, self._ledger, _hours = self.judging.judge(now, () if same else None)
        # Not `Judging.keep`: that one keeps nothing for a read-only week (a read-only dashboard
        # writes nothing), and this process opens the week read-only, writing only the kept
        # board. The store hands the same records again until a write, which the key shows.
        return week.keep(board, key, week.store.materials(), self._ledger)


def start(root: Path) -> subprocess.Popen[bytes]:
    """The keeper of the workspace at `root`, in a process of its own, for as long as this one
    lives: it stops when this process exits, however it ends."""
    import subprocess

    return subprocess.Popen(
        [sys.executable, "-m", "weekwatch.tui.keeper", os.fspath(root), str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,  # it has nothing to say but a failure, on stderr
    )


#: How long a keeper waits for the one before it to finish (it judges the week at most).
WAIT_S = 300.0
#: Commands whose write may leave the kept week stale (a note, a contact or an excuse never
#: does: store/kept_board.py), and are handed on when they wrote.
HANDS_ON = frozenset(
    {"ingest", "fetch", "assign", "dismiss", "extend", "recommend", "undo", "redo", "units"}
)


def hand_on(root: Path) -> subprocess.Popen[bytes] | None:
    """Start a keeper that brings the kept week of `root` current and exits (`--once`),
    detached: the command that wrote returns at once, and the keeper outlives it. None when
    it cannot start, or WEEKWATCH_KEEPER=0 says not to (a test suite's one-off commands)."""
    if os.environ.get("WEEKWATCH_KEEPER") == "0":
        return None
    import subprocess

    try:
        return subprocess.Popen(
            [sys.executable, "-m", "weekwatch.tui.keeper", os.fspath(root), "--once"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # derived data: a failure costs the next reader a judging
            start_new_session=True,  # not in the terminal's group: Ctrl-C on the next spares it
        )
    except OSError:
        return None


def keep_once(week: Week, wait: float = WAIT_S) -> bool:
    """Bring the kept cells current (only what changed, when it can), then the kept records;
    again if another write came meanwhile (a few times at most). Returns whether it kept
    (False: a keeper before it held the workspace past `wait`, or nothing can be written).

    Two locks: the records' (taken first, held to the end: `materials --json` waits on it)
    and the cells' (held while they are brought current: `status` waits on it), so a `status`
    is not kept waiting while the records, placed whole after a decision or a first keep
    (seconds at 70,000), are written. After an arrival both are brought current together,
    only where it touched."""
    from weekwatch.store import kept_parts

    dbdir = week.store.dbdir
    with kept_parts.keeping(dbdir, wait, kept_parts.ROWS_LOCK) as mine:
        if not mine:
            return False
        for _ in range(3):
            keys = (week.cache_key(), week.rows_key())
            with kept_parts.keeping(dbdir, wait) as cells_mine:
                if not cells_mine:
                    return False
                now = week.clock()
                if week.kept_cells(now) is None:  # first: status reads them
                    week.cells(now)
            week.keep_rows()
            if (week.cache_key(), week.rows_key()) == keys:
                break
        return True


def main(argv: list[str]) -> int:
    """`python -m weekwatch.tui.keeper ROOT PARENT_PID`: keep ROOT's board while PARENT lives;
    `python -m weekwatch.tui.keeper ROOT --once`: bring it current, then exit."""
    import signal

    from weekwatch.store.workspace import Workspace

    if argv[1:] == ["--once"]:
        keep_once(Week(Workspace(Path(argv[0])), read_only=True))
        return 0
    root, parent = Path(argv[0]), int(argv[1])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the watcher's to take
    # A parent gone (even by SIGKILL) leaves this one to another: the parent id changes.
    week = Week(Workspace(root), read_only=True)  # it writes only the kept board
    BoardKeeper(week).run(stop, alive=lambda: os.getppid() == parent)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
