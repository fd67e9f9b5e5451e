"""What the dashboard shows, computed without Textual: row order, filters, labels, countdown.

Pure functions of a Board (from the rules module) and the clock, so they are cheap to test and
safe to call from a worker thread. No state is decided here: states come from the Board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence

from weekwatch.store import vocab
from weekwatch.store.model import PLAN, SUMMARY, Event, Unit
from weekwatch.store.rules import Board, Placed, deadline, opens, owed_columns
from weekwatch.store.unit_search import rank
from weekwatch.widgets.look import PROBLEMS, SEVERITY

from .i18n import I18n

#: The filters, in the order `f` cycles them: today's column first (on day 2 the whole
#: week's "missing" is everyone who missed the plan), then the whole week's.
FILTERS = ("all", "due_today", "missing_today", "late_today", "problems", "missing", "late")
#: Today's filters: the state today's cell must be in.
TODAY_FILTERS = {"due_today": "due", "missing_today": "missing", "late_today": "late"}
SORTS = ("roster", "worst", "region", "type")


def today_column(event: Event, now: dt.datetime) -> str | None:
    """Today's date column, if today is a day of the week."""
    day = event.day_of(now).isoformat()
    return day if day in event.columns else None


def filters(board: Board | None) -> tuple[str, ...]:
    """The filters that mean something now: today's only while today is a day of the week."""
    if board is not None and today_column(board.event, board.now) is not None:
        return FILTERS
    return tuple(f for f in FILTERS if f not in TODAY_FILTERS)


def keep(board: Board, unit: str, filter_: str) -> bool:
    """Whether a unit's row passes the filter (a row shows if any of its cells matches;
    under today's filters, if today's cell does)."""
    if filter_ == "all":
        return True
    if filter_ in TODAY_FILTERS:
        today = today_column(board.event, board.now)
        return today is not None and board.cells[(unit, today)].state == TODAY_FILTERS[filter_]
    wanted = PROBLEMS if filter_ == "problems" else frozenset({filter_})
    return any(board.cells[(unit, c)].state in wanted for c in board.event.columns)


def row_order(
    board: Board, filter_: str = "all", sort: str = "roster", query: str = ""
) -> list[str]:
    """The unit ids to show, in order. Roster order is stable across refreshes; a search
    (`query`) shows only the units it matches, best first."""
    units = [u for u in board.units if keep(board, u.id, filter_)]
    if query.strip():
        return [u.id for u in rank(units, query)]
    if sort == "worst":
        cols = board.event.columns

        def badness(u: Unit) -> tuple[int, ...]:
            counts = [0] * len(SEVERITY)
            for c in cols:
                counts[SEVERITY[board.cells[(u.id, c)].state]] += 1
            return tuple(-n for n in counts)

        units.sort(key=badness)  # stable: ties keep roster order
    elif sort == "region":
        units.sort(key=lambda u: u.region)
    elif sort == "type":
        units.sort(key=lambda u: u.type)
    return [u.id for u in units]


#: Below this height the detail pane starts collapsed to one line and the column headings
#: keep only their first line, so that a 24-line terminal shows 15 units.
SHORT = 30
SCROLLBAR = 2  # the grid's vertical scrollbar, in cells
MIN_NAME = 12


def fit_grid(width: int, column_widths: Sequence[int], narrow: bool) -> tuple[int, int, int]:
    """(name column width, side pane width, cell padding) for the grid's columns to fit in
    `width` cells: names shrink first (down to MIN_NAME), then the side pane (42 → 30), then
    the padding between columns. `narrow`: the side pane is under the grid (width 0 here)."""
    cols = sum(column_widths)
    n = len(column_widths) + 1  # and the name column
    most = 26 if width >= 160 else 16
    sides = (0,) if narrow else (42, 36, 30)
    for pad in (1, 0):
        for side in sides:
            room = width - side - SCROLLBAR - cols - 2 * pad * n
            if room >= MIN_NAME:
                return min(most, room), side, pad
    return MIN_NAME, sides[-1], 0  # too narrow for all: the grid scrolls sideways


def column_label(event: Event, column: str, t: I18n, today: str | None) -> str:
    """Three lines: date (or Plan/Summary), weekday, the day's theme."""
    if column == PLAN:
        return t("col.plan")
    if column == SUMMARY:
        return t("col.summary")
    day = dt.date.fromisoformat(column)
    second = t.weekday(day.weekday())
    if column == today:
        second = t("today")
    return "\n".join([f"{day:%m-%d}", second, event.day_theme(day)])


def fmt_left(left: dt.timedelta, t: I18n) -> str:
    secs = max(0, int(left.total_seconds()))
    d, rem = divmod(secs, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    if d:
        return t("left.days", d=d, h=h)
    if h:
        return t("left.hours", h=h, m=m)
    if m:
        return t("left.minutes", m=m)
    return t("left.seconds", s=s)


def next_deadline(
    event: Event, now: dt.datetime, owed: Collection[str] | None = None
) -> tuple[str, dt.datetime] | None:
    """The first column deadline after `now`: (column, when); only columns in `owed` (the
    board's `owed_columns()`, when there is a board) count."""
    asked = owed_columns(event)  # a column the week asks nobody for has no deadline to show
    cols = asked if owed is None else [c for c in asked if c in owed]
    # On a tie (the plan is often due at day 1's deadline) the plan is named.
    upcoming = sorted((deadline(event, c), c != PLAN, c) for c in cols if deadline(event, c) > now)
    return (upcoming[0][2], upcoming[0][0]) if upcoming else None


def countdown(
    event: Event, now: dt.datetime, t: I18n, owed: Collection[str] | None = None
) -> tuple[str, bool]:
    """'今日截止 12:00 · 还有 37 分钟', and whether it is urgent (under an hour)."""
    nxt = next_deadline(event, now, owed)
    if nxt is None:
        return t("countdown.over"), False
    column, when = nxt
    local = when.astimezone(event.tz)
    left = when - now
    urgent = left <= dt.timedelta(hours=1)
    due_today = event.day_of(when) == event.day_of(now)
    if column == today_column(event, now) and due_today:
        return t("countdown.today", time=f"{local:%H:%M}", left=fmt_left(left, t)), urgent
    if column not in (PLAN, SUMMARY) and (due_today or column == today_column(event, now)):
        # "+1d 12:00": this noon is yesterday's materials' deadline, and today's are due
        # tomorrow; say whose, and (not today) on which day.
        day = f"{dt.date.fromisoformat(column):%m-%d}"
        time = f"{local:%H:%M}" if due_today else f"{local:%m-%d %H:%M}"
        return t("countdown.day", day=day, time=time, left=fmt_left(left, t)), urgent
    key = {PLAN: "countdown.plan", SUMMARY: "countdown.summary"}.get(column, "countdown.next")
    return t(key, time=f"{local:%m-%d %H:%M}", left=fmt_left(left, t)), urgent


def boundaries(board: Board, extensions: Iterable[dt.datetime] = ()) -> list[dt.datetime]:
    """Every moment after the board's `now` at which some cell's state can change by itself."""
    ev = board.event
    moments = set(extensions)
    for c in owed_columns(ev):
        moments.add(deadline(ev, c))
        start = opens(ev, c)
        if start is not None:
            moments.add(start)
    return sorted(m for m in moments if m > board.now)


def arrivals_per_hour(board: Board, day: dt.date) -> list[int]:
    """Counted arrivals on `day` (event time zone), per hour 0–23."""
    hours = [0] * 24
    tz = board.event.tz
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(days=1)
    if board.placed:
        # In the materials' own tzinfo the bounds compare field by field (store/model.moment).
        shared = board.placed[0].material.received_at.tzinfo
        start, end = start.astimezone(shared), end.astimezone(shared)
    for p in board.placed:
        received = p.material.received_at
        if start <= received < end and p.counted:
            hours[received.astimezone(tz).hour] += 1
    return hours


def hour_of_arrival(p: Placed, board: Board, day: dt.date) -> int | None:
    """The hour (event time) a placed material counts in `arrivals_per_hour` of `day`."""
    if not p.counted:
        return None
    local = p.material.received_at.astimezone(board.event.tz)
    return local.hour if local.date() == day else None


def on_time_share(board: Board, column: str) -> tuple[int, int]:
    """(units on time in the column, units that owe it)."""
    return board.totals(column)["on_time"], board.owing(column)


# ---------------------------------------------------------------------------- finding units


def find_units(units: Sequence[Unit], query: str, limit: int = 50) -> list[Unit]:
    """Units matching `query` by id, name, alias or pinyin, best first (`store/unit_search`)."""
    return rank(units, query, limit)


# ---------------------------------------------------------------------------- operator input


def parse_when(text: str, event: Event, now: dt.datetime) -> dt.datetime:
    """A moment as typed in a form: `store/vocab.py` (a bare HH:MM is today's)."""
    return vocab.parse_when(text, event, now)
