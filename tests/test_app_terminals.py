"""Readable on any terminal, through the real app: severity in every colour mode, the Linux
console's ASCII, 80×24 (15 unit rows, `? Help`, the one-line detail pane), 120 columns (the
last day and the summary in sight), read-only keys hidden, a long file record scrolls,
resizing keeps the cursor's row in view."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment, Segments
from rich.style import Style
from textual import events
from textual.color import Color
from textual.widgets import Footer

from weekwatch.fixtures.testweek import TODAY, at, dashboard_workspace, drop
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.tui.app import WeekwatchApp
from weekwatch.tui.screens.form import TextScreen
from weekwatch.tui.screens.help import HelpScreen
from weekwatch.tui.screens.quarantine import QuarantineScreen
from weekwatch.widgets.console import WholeCellScrollBar
from weekwatch.widgets.grid import HEAD, state_text
from weekwatch.widgets.themed import state_styles


def sgr(state: str, mode: str, color_system: str | None) -> str:
    """The escape codes a cell of `state` is written with, on a console of `color_system`."""
    console = Console(color_system=color_system, force_terminal=True, width=10)  # type: ignore[arg-type]
    styles = state_styles({}, mode)  # type: ignore[arg-type]
    with console.capture() as cap:
        console.print(state_text(state, 1, styles=styles), end="")
    out = cap.get()
    return out[out.index("\x1b[") + 2 : out.index("m")] if "\x1b[" in out else ""


def sent(app: WeekwatchApp, style: Style) -> list[str]:
    """The SGR codes a 16-colour terminal receives for `style`, after the app's line filters
    (Textual maps ANSI colours to its theme's RGB; the terminal then gets the nearest 16)."""
    segments = [Segment("x", style)]
    for line_filter in app._filters:  # noqa: SLF001 - the app's own output pipeline
        if line_filter.enabled:
            segments = line_filter.apply(segments, Color(0, 0, 0))
    console = Console(color_system="standard", force_terminal=True, width=10)
    with console.capture() as cap:
        console.print(Segments(segments), end="")
    out = cap.get()
    return out[out.index("\x1b[") + 2 : out.index("m")].split(";") if "\x1b[" in out else []


def test_16_colours_missing_red_late_yellow_due_neutral():
    missing, late, due = (sgr(s, "ansi", "standard") for s in ("missing", "late", "due"))
    assert "31" in missing.split(";") and "1" in missing.split(";")  # bold red
    assert "33" in late.split(";")  # yellow
    assert due == ""  # nothing is wrong yet: the terminal's own colour
    assert len({missing, late, due}) == 3


def test_no_colour_missing_in_reverse_video_late_bold_due_plain():
    missing, late, due = (sgr(s, "none", "standard") for s in ("missing", "late", "due"))
    assert set(missing.split(";")) == {"1", "7"}  # bold, reverse: no colour at all
    assert late.split(";") == ["1"]
    assert due == ""


async def test_no_color_draws_missing_reversed(week_ws, app_for, settle, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(week_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        style = app.dashboard.grid.get_cell("weidong", "2024-05-14").style
        assert app.dashboard.grid.get_cell("weidong", "2024-05-14").plain == "✗"
        assert style.reverse and style.bold and style.color is None
        assert {"1", "7"} <= set(sent(app, style))  # reverse video reaches the terminal
        late = app.dashboard.grid.get_cell("xinhua", "2024-05-14").style
        assert late.bold and not late.reverse and late.color is None


async def test_sixteen_colours_in_the_app(week_ws, app_for, settle, monkeypatch):
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "xterm")  # 16 colours: what Rich finds for a plain xterm
    app = app_for(week_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        assert app.console.color_system == "standard"
        missing = grid.get_cell("weidong", "2024-05-14").style
        late = grid.get_cell("xinhua", "2024-05-14").style
        due = grid.get_cell("jxxx", TODAY).style
        # What the terminal is sent, through Textual's own colour filters: ANSI red, yellow.
        assert "31" in sent(app, missing) and "1" in sent(app, missing)
        assert "33" in sent(app, late)
        assert not {"31", "33", "91", "93", "35", "95"} & set(sent(app, due))


async def test_the_linux_console_gets_ascii(week_ws, app_for, settle, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        assert grid.get_cell("weidong", "2024-05-14").plain == "X"
        assert grid.get_cell("jxxx", TODAY).plain == "o"
        assert grid.get_cell("pzy", TODAY).plain == "v1"
        assert grid.get_cell("__missing__", "unit").plain == " X missing"
        assert app.dashboard.has_class("ascii")
        # No eighth blocks: the sparkline is not drawn, the share line is.
        assert not app.query_one("Sparkline").display or not app.query_one("Sparkline").region
        assert app.query_one(".today-share").region.height
        drawn = "".join(str(grid.get_cell(u, c)) for u in grid.row_keys for c in (TODAY,))
        assert drawn.isascii()
        # Scrollbars in whole cells: the console has no ▁▂▃ to end a thumb with.
        assert grid.vertical_scrollbar.renderer is WholeCellScrollBar


def footer_keys(app: WeekwatchApp) -> set[str]:
    """The actions the footer shows keys for."""
    return {k.action for k in app.query_one(Footer).query("FooterKey")}


def many_units(n: int) -> list[Unit]:
    return [Unit(f"u{i:02d}", f"第{i}职业中等专业学校", (), "中职学校", "") for i in range(n)]


def visible_unit_rows(app: WeekwatchApp) -> int:
    grid = app.dashboard.grid
    return grid.scrollable_content_region.height - grid.header_height - HEAD


async def test_80x24_shows_15_units_help_and_one_line_of_detail(tmp_path, app_for, settle):
    app = app_for(dashboard_workspace(tmp_path / "ws", many_units(30), []))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = lambda: app.query_one("#detail-scroll").region.height  # noqa: E731
        # Layout lands a refresh or two after the board on a busy machine: wait for it.
        await settle(pilot, lambda: visible_unit_rows(app) >= 15 and pane() == 1)
        grid = app.dashboard.grid
        assert grid.virtual_size.width <= grid.scrollable_content_region.width  # no side scroll
        await settle(pilot, lambda: "app.help" in footer_keys(app))  # the footer recomposes
        help_key = [k for k in app.query("FooterKey") if k.action == "app.help"]
        assert help_key and help_key[0].region.width and help_key[0].region.right <= 80
        await pilot.press("v")  # the whole pane, on demand
        await settle(pilot, lambda: pane() > 1)
        await pilot.press("v")
        await settle(pilot, lambda: pane() == 1)


async def test_120_columns_show_the_last_day_and_the_summary(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        assert grid.virtual_size.width <= grid.scrollable_content_region.width
        assert grid.region.right <= app.query_one("#side").region.x
        await pilot.press("v")  # the key works at any size
        await pilot.pause()
        assert app.query_one("#detail-scroll").region.height == 1


async def test_resizing_keeps_the_cursors_row_in_view(tmp_path, app_for, settle):
    app = app_for(dashboard_workspace(tmp_path / "ws", many_units(40), []))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.dashboard.grid
        assert grid.goto("u33", TODAY)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.pause()
        assert grid.focus_unit == "u33" and grid.focus_column == TODAY
        row_y = grid.cursor_row + grid.header_height  # the row's line in the whole table
        top = grid.scroll_y + grid.header_height + HEAD
        assert top <= row_y < grid.scroll_y + grid.scrollable_content_region.height


@pytest.mark.parametrize("kw", [{"read_only": True}, {"as_of": at(15, 11)}])
async def test_read_only_and_as_of_hide_the_keys_that_write(week_ws, app_for, settle, kw):
    app = app_for(week_ws, **kw)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await settle(pilot, lambda: bool(footer_keys(app)))  # the footer recomposes
        footer = footer_keys(app)
        assert "find" in footer and "cycle_filter" in footer
        assert not footer & {"excuse", "extend", "contact", "note", "undo"}
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert "Find" in palette and not palette & {"Excuse", "Extend", "Contact", "Undo"}
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {b.action for b in app.screen.bindings}
        assert "find" in described and not described & {"excuse", "extend", "contact", "undo"}
        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen)
        keys = {k.action for k in app.screen.query("FooterKey")}
        assert "back" in keys and not keys & {"assign", "dismiss_file"}
        await pilot.press("enter", "a", "d")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen)  # no picker, no form
    assert Week(week_ws).ledger().actions == []


async def test_a_record_of_four_files_scrolls_to_the_last_and_the_hint(week_ws, app_for, settle):
    for i in range(1, 5):
        drop(week_ws, f"平顶山技师学院/5月15日 照片{i}.jpg", at(15, 9, i), b"photo %d" % i)
    Week(week_ws).ingestor().scan()
    app = app_for(week_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.get_cell("jxxx", TODAY).plain == "✓4"
        app.dashboard.grid.goto("jxxx", TODAY)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        body = app.screen.query_one("#text-body")
        hint = app.screen.query(".dialog-hint").first()
        dialog = app.screen.query_one(".dialog").content_region
        # The close hint and the whole scrolling body are inside the dialog, not cut off.
        assert "Esc" in str(hint.render()) and dialog.contains_region(hint.region)
        assert dialog.contains_region(body.region)
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        # The wheel too.
        for _ in range(40):
            body.post_message(events.MouseScrollDown(body, 1, 1, 0, 0, 0, False, False, False))
        await pilot.pause(0.3)
        assert body.scroll_y > 0
        assert "照片4.jpg" in str(body.query_one("Static").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TextScreen)
