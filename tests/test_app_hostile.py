"""Untrusted text (unit and file names) is shown literally: no markup, no control, no bidi."""

from __future__ import annotations

from weekwatch.fixtures.testweek import TODAY, at, dashboard_workspace
from weekwatch.store.model import Unit
from weekwatch.widgets.grid import name_text
from weekwatch.widgets.safe import safe_str, safe_text

HOSTILE_UNITS = [
    Unit("red", "[bold]红[/]", ("红色",), liaison_name="[@click=app.quit]x"),
    # Too long for the name column: its short name is shown instead, spelled out as well.
    Unit("evil", "\x1b[31m恶意\u202e单位\r\x07", ("恶意", "\u202e恶\x1b")),
]
HOSTILE_FILES = [
    ("red/report[/].pdf", at(15, 9)),
    ("red/\x1b[31mx_2024-05-15.doc", at(15, 9, 30)),
    ("red/\u202egpj.exe_2024-05-15.jpg", at(15, 10)),
    ("[@click=app.quit]未知.pdf", at(15, 10)),
]


def test_safe_text_spells_out_controls_and_bidi():
    assert safe_str("a\x1b[31mb") == "a\\x1b[31mb"
    assert safe_str("x\u202ey\u2066z\u200e") == "x\\u202ey\\u2066z\\u200e"
    assert safe_str("\r\n\t\x07\x9b") == "\\x0d\\x0a\\x09\\x07\\x9b"
    t = safe_text("[bold]x[/]")
    assert t.plain == "[bold]x[/]" and not t.spans
    assert safe_str("平顶山职业技术学院 report.pdf") == "平顶山职业技术学院 report.pdf"


def test_names_truncate_by_display_width():
    text = name_text("平顶山职业技术学院", 10)
    assert text.cell_len <= 10 and text.plain.endswith("…")
    assert name_text("abc", 10).plain == " abc"
    # A name that does not fit: the longest short name that does, else the name cut.
    aliases = ("平职院", "平顶山职院", "平顶山职业技术学院本部")
    assert name_text("平顶山职业技术学院", 12, aliases=aliases).plain == " 平顶山职院"
    assert name_text("平顶山职业技术学院", 7, aliases=aliases).plain == " 平职院"
    assert name_text("平顶山职业技术学院", 4, aliases=aliases).plain.endswith("…")
    assert name_text("平顶山职业技术学院", 20, aliases=aliases).plain == " 平顶山职业技术学院"


async def test_hostile_names_neither_crash_nor_style(tmp_path, app_for, settle):
    ws = dashboard_workspace(tmp_path / "ws", HOSTILE_UNITS, HOSTILE_FILES)
    app = app_for(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.get_cell("red", "unit").plain == " [bold]红[/]"
        evil = app.dashboard.grid.get_cell("evil", "unit").plain
        assert "\x1b" not in evil and "\u202e" not in evil and "\\x1b" in evil
        assert evil == " \\u202e恶\\x1b"
        assert app.dashboard.grid.get_cell("red", TODAY).plain == "✓3"
        assert app.dashboard.grid.goto("red", TODAY)
        await pilot.pause()
        detail = str(app.query_one("#detail").render())
        assert "report[/].pdf" in detail
        assert "\\x1b[31mx_2024-05-15.doc" in detail and "\\u202egpj.exe" in detail
        assert "[@click=app.quit]x" in detail
        assert "\x1b" not in detail and "\u202e" not in detail
        await pilot.press("enter")  # the full record, with the same names
        await pilot.pause()
        assert "report[/].pdf" in app.screen.body.plain
        await pilot.press("escape", "i")
        await pilot.pause()
        assert "[@click=app.quit]未知.pdf" in app.screen.paths
        await pilot.press("escape")
        await pilot.click("#detail")  # a click on the text runs nothing
        await pilot.pause()
        assert app.is_running
        app.save_screenshot(str(tmp_path / "hostile.svg"))
