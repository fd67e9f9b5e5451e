"""The dashboard in Chinese has no English left of Textual's own: the palette key in the footer,
the palette's prompt and its system commands; the file record's fields; a unit's inferred type.
The English dashboard keeps Textual's words as they are."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandInput, CommandPalette
from textual.widgets._footer import FooterKey

from weekwatch.tui.describe import record
from weekwatch.tui.i18n import I18n, unit_type

CJK = re.compile(r"[\u4e00-\u9fff]")


def _palette_key(app) -> FooterKey:
    return next(k for k in app.screen.query(FooterKey) if k.has_class("-command-palette"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_textuals_own_words_are_chinese_on_a_chinese_dashboard(
    week_ws, app_for, settle, size
):
    app = app_for(week_ws, lang="zh")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert _palette_key(app).description == "命令"
        commands = list(app.get_system_commands(app.screen))
        assert [c.title for c in commands if not CJK.search(c.title + c.help)] == []
        assert {"配色主题", "退出", "按键面板", "截图"} <= {c.title for c in commands}
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert app.screen.query_one(CommandInput).placeholder == "查找命令…"


async def test_an_english_dashboard_keeps_textuals_words(week_ws, app_for, settle):
    app = app_for(week_ws, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _palette_key(app).description == "palette"
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Theme", "Quit", "Keys", "Screenshot"} <= titles
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert app.screen.query_one(CommandInput).placeholder == "Search for commands…"


async def test_the_file_record_names_its_fields_in_the_operators_language(week_ws, app_for, settle):
    app = app_for(week_ws, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        board = app.dashboard.board
        (late,) = board.materials_of("xinhua", "2024-05-14")[-1:]
        zh = record(late, board, I18n("zh")).plain
        en = record(late, board, I18n("en")).plain
    assert "路径：xinhua/新华区_2024-05-14_报道.docx\n" in zh
    assert "迟交：是\n" in zh and "已移走：否\n" in zh
    assert "path: xinhua/新华区_2024-05-14_报道.docx\n" in en
    assert "late: True\n" in en and "gone: False\n" in en  # as before
    labels = [line.partition("：")[0] for line in zh.splitlines() if "：" in line]
    assert labels and all(CJK.search(x) or x == "sha256" for x in labels), labels


@pytest.mark.parametrize(
    "code, zh",
    [
        ("county-bureau", "县市区教体局"),
        ("higher-vocational", "高职院校"),
        ("secondary-vocational", "中职学校"),
        ("dev-zone-bureau", "开发区社会事业局"),
        ("steering-committee", "行指委"),
        ("县市区教体局", "县市区教体局"),  # a type the roster wrote itself, as written
        ("", ""),
    ],
)
def test_a_units_type_as_the_operator_reads_it(code, zh):
    assert unit_type(code, I18n("zh")) == zh
    assert unit_type(code, I18n("en")) == code
