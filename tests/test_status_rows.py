"""`weekwatch status` on a big roster: the rows put together line by line print exactly the
table Rich draws whole (tui/status_rows.py), in colour and without, at every width."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console
from rich.text import Text

from weekwatch.fixtures.testweek import at
from weekwatch.store.config import load_config
from weekwatch.store.model import STATES, Unit
from weekwatch.store.rules import Cells, CellState
from weekwatch.store.workspace import Workspace
from weekwatch.tui import status_rows
from weekwatch.tui.i18n import I18n
from weekwatch.tui.status_table import print_status_table, status_table
from weekwatch.widgets.safe import safe_str

NAMES = [
    "舞钢市教育体育局",
    "平顶山职业技术学院附属中等专业学校（筹）第二校区",
    "Pingdingshan Vocational College of Technology",
    "宝丰县",
    "[bold]红[/bold]色学校",  # markup-looking: printed as written
    "控制\x1b[31m字符\x07学校",  # controls spelled out by safe_text
    "🎓职教中心",
    "x",
]


def a_board(ws: Workspace, n: int, seed: int) -> Cells:
    rng = random.Random(seed)
    event = load_config(ws.config).event
    units = tuple(
        Unit(f"u{i:04d}", rng.choice(NAMES) + (str(i) if rng.random() < 0.6 else ""))
        for i in range(n)
    )
    cells = {}
    for u in units:
        for col in event.columns:
            state = rng.choice(STATES)
            need = rng.choice((0, 0, 2))
            lacking = ("photo",) if need and rng.random() < 0.5 else ()
            cells[(u.id, col)] = CellState(state, rng.randrange(0, 30), lacking, need)
    return Cells(event, units, at(15, 11, 23), cells)


def console_of(width: int, colour: bool) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        no_color=not colour,
    )


def both(board: Cells, width: int, colour: bool, *args: object) -> tuple[str, str, bool]:
    """What Rich prints of the whole table, what print_status_table prints, and whether the
    latter put the rows together itself."""
    whole, rows = console_of(width, colour), console_of(width, colour)
    whole.print(status_table(board, *args))  # type: ignore[arg-type]
    fast = print_status_table(rows, board, *args)  # type: ignore[arg-type]
    return whole.file.getvalue(), rows.file.getvalue(), fast  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rows_put_together_are_the_table_rich_draws(ws: Workspace, seed: int, lang: str):
    board = a_board(ws, 90, seed)
    t = I18n(lang)
    together = []
    for width in (80, 120, 200, 60, 30):
        for colour in (True, False):
            for only in (None, frozenset({"missing", "late"})):
                whole, rows, fast = both(board, width, colour, only, "until", t)
                assert rows == whole, (width, colour, only)
                together.append((width, fast))
    # Put together row by row wherever the week fits the width (Rich draws the rest).
    assert all(done for width, done in together if width >= 80), together


def test_a_small_roster_and_one_column_are_drawn_by_rich_alone(ws: Workspace):
    for board, column in ((a_board(ws, 5, 1), None), (a_board(ws, 90, 1), "2024-05-14")):
        whole, rows, fast = both(board, 80, True, None, "until", I18n("en"), column)
        assert rows == whole and not fast


def test_a_styled_name_is_left_to_rich(ws: Workspace):
    board = a_board(ws, 90, 2)
    table = status_table(board, None, "until", I18n("en"))
    names = [Text("a", style="bold")] + [Text(safe_str(u.name)) for u in board.units[1:]]
    cells = [[Text("✓", style="green")] * 9 for _ in names]
    console = Console(file=io.StringIO(), width=100)
    assert status_rows._fast(console, table, names, cells) is None
    assert status_rows._fast(console, table, [Text(n.plain) for n in names], cells) is not None
