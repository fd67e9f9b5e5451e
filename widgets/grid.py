"""The units × columns grid: a DataTable with stable keys that updates only changed cells."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from .look import STYLE, ascii_only, cell_text, symbols
from .safe import safe_str
from .themed import app_styles

#: The fixed rows on top: how many units stand on time, late, missing, and not yet sent
#: while the deadline is ahead (due), in each column.
TOTAL_STATES = ("on_time", "late", "missing", "due")
HEAD = len(TOTAL_STATES)
NAME = "unit"
FLASH_SECONDS = 1.5
FIRST_CHUNK = 120  # rows added at once: more than a tall screen shows
CHUNK = 400
#: Past this many rows changed before the next frame, every cached line is dropped at once
#: (DataTable's own way) rather than row by row.
STALE_ROWS = 64


def state_text(
    state: str,
    count: int,
    have: int = 0,
    need: int = 0,
    trace: str = "",
    star: bool = False,
    *,
    today: bool = False,
    styles: Mapping[str, Style | str] = STYLE,
) -> Text:
    """A cell as the grid shows it: symbol (+count, or `1/2` of the required kinds when half
    sent, + the mark of its history, + ★ when it holds a recommended file), coloured by state
    (`styles`: the theme's), bold in today's column."""
    style = Style.parse(s) if isinstance(s := styles[state], str) else s
    if today:
        style += Style(bold=True)
    return Text(cell_text(state, count, have, need, trace, star), style=style, justify="center")


def name_text(name: str, width: int, marked: bool = False, aliases: Sequence[str] = ()) -> Text:
    """A unit's name, made safe; where it does not fit, the longest of its short names that
    does (全国交通运输职业教育教学指导委员会 → 交通运输行指委: cut, every 行指委 would read
    全国…), else the name truncated by display width (CJK counts two cells)."""
    plain = ascii_only()  # the Linux console draws neither ● nor …
    mark = ("*" if plain else "●") if marked else " "
    shown = safe_str(name)
    if cell_len(shown) + 1 > width:
        fitting = [a for a in map(safe_str, aliases) if a and cell_len(a) + 1 <= width]
        if fitting:
            shown = max(fitting, key=cell_len)  # the first of equal widths: as written
    text = Text(mark + shown, no_wrap=True)
    text.truncate(width, overflow="crop" if plain else "ellipsis")
    if marked:
        text.stylize("bold", 0, 1)
    return text


#: What the grid draws of a cell: state, count, have, need, trace, star (see `state_text`).
Shown = tuple[str, int, int, int, str, bool]


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    width: int
    today: bool = False


@dataclass(frozen=True)
class GridRow:
    key: str
    name: str
    # (state, count, have, need, trace, star) per column, in column order: `have` of `need`
    # required kinds; `trace` the mark of what was done about the cell ("" for none); `star`
    # whether it holds a recommended file
    cells: tuple[Shown, ...]
    marked: bool = False
    aliases: tuple[str, ...] = ()  # shown instead of a name too long for the column


class Grid(DataTable[Text]):
    """One row per unit, fixed totals rows on top, a fixed name column on the left."""

    DEFAULT_CSS = """
    Grid { height: 1fr; }
    Grid > .datatable--fixed { text-style: bold; }
    """

    BINDINGS = [
        Binding("h", "cursor_left", "←", show=False, id="grid.left", tooltip="Move left"),
        Binding("j", "cursor_down", "↓", show=False, id="grid.down", tooltip="Move down"),
        Binding("k", "cursor_up", "↑", show=False, id="grid.up", tooltip="Move up"),
        Binding("l", "cursor_right", "→", show=False, id="grid.right", tooltip="Move right"),
    ]

    def __init__(self, *, name_width: int = 18, id: str | None = None) -> None:
        super().__init__(
            id=id,
            cursor_type="cell",
            fixed_rows=0,  # HEAD once the totals rows exist (a fixed row must exist)
            fixed_columns=1,
            header_height=3,
            zebra_stripes=False,
        )
        self.name_width = name_width
        self.grid_columns: tuple[GridColumn, ...] = ()
        self.row_keys: list[str] = []
        self._shown: dict[tuple[str, str], Shown] = {}
        self._names: dict[str, tuple[str, bool]] = {}
        self._flashing: set[tuple[str, str]] = set()
        self._pending: dict[str, GridRow] = {}
        self._wish: tuple[str, int] | None = None  # where the cursor goes once rows are in
        #: Each distinct cell drawn once (a week of 2,000 units shows a few dozen kinds of
        #: cell): shared `Text`s, never changed in place (a flash draws a copy).
        self._texts: dict[tuple[Shown, bool], Text] = {}
        #: The state styles in force: the theme's, once mounted (see `restyle`).
        self.look: dict[str, Style | str] = dict(STYLE)
        #: Rows with a cell changed since the last frame: only their cached lines are dropped.
        self._stale: set[RowKey] = set()
        self._totals_shown: list[list[str]] = []

    # --- structure ----------------------------------------------------------------------
    def set_columns(self, columns: Sequence[GridColumn], totals_labels: Sequence[str]) -> None:
        """(Re)build the columns; rows are kept by key and refilled by the next `show`."""
        self.fixed_rows = 0
        self.clear(columns=True)
        self._pending.clear()
        self.grid_columns = tuple(columns)
        self.row_keys = []
        self._totals_shown = []
        self._shown.clear()
        self._names.clear()
        self.add_column(Text(""), key=NAME, width=self.name_width)
        for c in columns:
            style = "bold reverse" if c.today else "bold"
            self.add_column(Text(c.label, style=style, justify="center"), key=c.key, width=c.width)
        self._totals_labels = tuple(totals_labels)

    def show(self, rows: Sequence[GridRow], totals: Sequence[Mapping[str, int]]) -> None:
        """Put exactly these rows, in this order. Rebuilds only if the order changed."""
        keys = [r.key for r in rows]
        if keys != self.row_keys:
            self._rebuild(rows, totals)
            return
        self.update_rows(rows, totals)

    def _rebuild(self, rows: Sequence[GridRow], totals: Sequence[Mapping[str, int]]) -> None:
        focus_key = self._cursor_row_key()
        col = self.cursor_column
        self.fixed_rows = 0
        self.clear(columns=False)
        self._pending.clear()
        self._shown.clear()
        self._names.clear()
        for i, state in enumerate(TOTAL_STATES):
            self.add_row(
                self._totals_label(i), *self._totals_cells(totals, state), key=_tkey(state)
            )
        self.fixed_rows = HEAD
        self._totals_shown = [[str(t.get(state, 0)) for t in totals] for state in TOTAL_STATES]
        # Rows beyond the first screenful are added in chunks after the first paint.
        for r in rows[:FIRST_CHUNK]:
            self.add_row(self._name_cell(r), *self._cells(r), key=r.key)
        self._pending = {r.key: r for r in rows[FIRST_CHUNK:]}
        if self._pending:
            self.call_after_refresh(self._add_pending)
        self.row_keys = [r.key for r in rows]
        if focus_key in self.row_keys:
            self.goto(focus_key, column_index=col)
        else:
            self.move_cursor(row=HEAD if rows else 0, column=col, animate=False)

    def _add_pending(self) -> None:
        keys = list(self._pending)[:CHUNK]
        for key in keys:
            r = self._pending.pop(key)
            self.add_row(self._name_cell(r), *self._cells(r), key=r.key)
        if self._pending:
            self.call_after_refresh(self._add_pending)
        elif self._wish is not None:
            key, col = self._wish
            self._wish = None
            self.goto(key, column_index=col)

    @property
    def filling(self) -> bool:
        """Whether rows are still being added after a rebuild."""
        return bool(self._pending)

    def update_rows(self, rows: Iterable[GridRow], totals: Sequence[Mapping[str, int]]) -> int:
        """Update the cells that differ from what is shown; returns how many changed."""
        changed = 0
        for r in rows:
            if r.key in self._pending:
                self._pending[r.key] = r
                continue
            if self._names.get(r.key) != (r.name, r.marked):
                self._set(r.key, NAME, self._name_cell(r))
                changed += 1
            for c, shown in zip(self.grid_columns, r.cells, strict=True):
                if self._shown.get((r.key, c.key)) != shown:
                    self._shown[(r.key, c.key)] = shown
                    if (r.key, c.key) not in self._flashing:
                        self._set(r.key, c.key, self._state_text(shown, c.today))
                    changed += 1
        plain = [[str(t.get(state, 0)) for t in totals] for state in TOTAL_STATES]
        if plain != self._totals_shown:
            self._totals_shown = plain
            for state in TOTAL_STATES:
                cells = self._totals_cells(totals, state)
                for c, cell in zip(self.grid_columns, cells, strict=True):
                    self._set(_tkey(state), c.key, cell)
        return changed

    # --- cells --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.restyle()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.restyle())

    def restyle(self) -> None:
        """Take the state colours from the current theme and redraw every cell in them."""
        self.look = dict[str, Style | str](app_styles(self.app))
        self._texts.clear()
        for (row, col), shown in self._shown.items():
            if (row, col) not in self._flashing:
                today = any(c.key == col and c.today for c in self.grid_columns)
                self._set(row, col, self._state_text(shown, today))
        if self.fixed_rows:
            for i, state in enumerate(TOTAL_STATES):
                self._set(_tkey(state), NAME, self._totals_label(i))

    def _state_text(self, shown: Shown, today: bool) -> Text:
        text = self._texts.get((shown, today))
        if text is None:
            if len(self._texts) > 4096:  # counts run high in a long week: bounded
                self._texts.clear()
            text = self._texts[(shown, today)] = state_text(*shown, today=today, styles=self.look)
        return text

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Every column's width is set (`set_columns`), and a row is one line: measuring each
        # new cell, as DataTable does, would find widths no column uses (it was most of the
        # time of filling 2,000 rows). Auto-width columns are still measured.
        if any(c.auto_width for c in self.columns.values()):
            super()._update_dimensions(new_rows)
        else:
            super()._update_dimensions(())

    def _name_cell(self, r: GridRow) -> Text:
        self._names[r.key] = (r.name, r.marked)
        return name_text(r.name, self.name_width, r.marked, r.aliases)

    def _cells(self, r: GridRow) -> list[Text]:
        out = []
        for c, shown in zip(self.grid_columns, r.cells, strict=True):
            self._shown[(r.key, c.key)] = shown
            out.append(self._state_text(shown, c.today))
        return out

    def _totals_label(self, i: int) -> Text:
        state = TOTAL_STATES[i]
        text = Text(f" {symbols()[state]} ", style=self.look[state], no_wrap=True)
        text.append(self._totals_labels[i] if i < len(self._totals_labels) else state, "bold")
        return text

    def _totals_cells(self, totals: Sequence[Mapping[str, int]], state: str) -> list[Text]:
        return [Text(str(t.get(state, 0)), justify="center", style="bold") for t in totals]

    def _set(self, row: str, col: str, value: Text) -> None:
        """One cell drawn anew. DataTable's `update_cell` counts an update that every cached
        line and cell is keyed on, so one arrival's cell had every visible cell of the grid
        rendered again through Rich (most of the UI thread's time for an arrival at 2,000
        units); here only the changed rows' cached renderings are dropped (`_drop_stale`),
        before the next frame draws them."""
        rk, ck = RowKey(row), ColumnKey(col)
        if rk not in self._row_locations or ck not in self._column_locations:
            return  # filtered out since: nothing to draw
        self._data[rk][ck] = value
        self._stale.add(rk)
        self.refresh()  # the lines not changed come from DataTable's line cache

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drop_stale()
        return super().render_lines(crop)

    def _drop_stale(self) -> None:
        """Forget what DataTable cached of the rows changed since the last frame: each cache
        is keyed by row (or by a line, a row's index), see textual/widgets/_data_table.py."""
        stale, self._stale = self._stale, set()
        if not stale:
            return
        if len(stale) > STALE_ROWS:
            self._update_count += 1  # DataTable's own invalidation: everything drawn again
            return
        _discard(self._row_render_cache, lambda k: k[0] in stale)
        _discard(self._cell_render_cache, lambda k: k[0] in stale)
        at = {self._row_locations.get(k) for k in stale}
        _discard(self._row_renderable_cache, lambda k: k[1] in at)
        _discard(self._line_cache, lambda k: self._line_row(k[0]) in stale)

    def _line_row(self, y: int) -> RowKey | None:
        try:
            return self._get_offsets(y)[0]
        except (LookupError, IndexError):
            return None

    def flash(self, row: str, col: str) -> None:
        """Show a cell reversed for a moment (a new arrival, a state that just changed)."""
        shown = self._shown.get((row, col))
        if shown is None:
            return
        today = any(c.key == col and c.today for c in self.grid_columns)
        text = self._state_text(shown, today).copy()
        text.stylize("reverse")
        self._flashing.add((row, col))
        self._set(row, col, text)
        self.set_timer(FLASH_SECONDS, lambda: self._unflash(row, col))

    def _unflash(self, row: str, col: str) -> None:
        self._flashing.discard((row, col))
        shown = self._shown.get((row, col))
        if shown is not None:
            today = any(c.key == col and c.today for c in self.grid_columns)
            self._set(row, col, self._state_text(shown, today))

    # --- where the cursor is ------------------------------------------------------------
    def on_resize(self) -> None:
        self.keep_cursor_in_view()

    def keep_cursor_in_view(self) -> None:
        """After the size changed: scroll so the cursor's row is on screen again."""
        self.call_after_refresh(self._scroll_cursor_into_view)

    def to_top(self) -> None:
        """The cursor on the first unit's row (same column), the list shown from its top."""
        self._wish = None  # a row asked for before a refill no longer matters
        if self.row_keys:
            self.move_cursor(row=HEAD, column=self.cursor_column, animate=False)
        self.scroll_to(y=0, animate=False)

    def _cursor_row_key(self) -> str | None:
        row = self.cursor_row - HEAD
        return self.row_keys[row] if 0 <= row < len(self.row_keys) else None

    @property
    def focus_unit(self) -> str | None:
        """The unit id under the cursor (None on the totals rows)."""
        return self._cursor_row_key()

    @property
    def focus_column(self) -> str | None:
        """The column key under the cursor (None on the name column)."""
        i = self.cursor_column - 1
        return self.grid_columns[i].key if 0 <= i < len(self.grid_columns) else None

    def goto(
        self, unit: str, column: str | None = None, *, column_index: int | None = None
    ) -> bool:
        """Move the cursor to a unit's row (and a column); False if the row is not shown.

        A row still waiting to be added (a large grid filling in) is gone to once it is there.
        """
        if unit not in self.row_keys:
            return False
        col = self.cursor_column if column_index is None else column_index
        if column is not None:
            keys = [c.key for c in self.grid_columns]
            if column in keys:
                col = keys.index(column) + 1
        if unit in self._pending:
            self._wish = (unit, col)
            return True
        self._wish = None
        self.move_cursor(row=self.row_keys.index(unit) + HEAD, column=col, animate=False)
        return True


def _discard(cache: LRUCache[Any, Any], stale: Callable[[Any], bool]) -> None:
    for key in [k for k in cache.keys() if stale(k)]:
        cache.discard(key)


def _tkey(state: str) -> str:
    return f"__{state}__"
