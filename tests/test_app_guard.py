"""Risky edits guarded in the dashboard: y/n before what the operator may regret, forms that keep
what was typed when it is wrong, undo that says what it takes back, redo, bulk actions as one."""

from __future__ import annotations

import datetime as dt
import itertools

from textual.widgets import Input, OptionList

from weekwatch.fixtures.testweek import NOW, TODAY, at, drop
from weekwatch.store.week import Week
from weekwatch.tui.screens.confirm import ConfirmScreen
from weekwatch.tui.screens.form import FormScreen
from weekwatch.tui.screens.picker import UnitPicker
from weekwatch.tui.screens.quarantine import QuarantineScreen


def ticking(start: dt.datetime = NOW):
    """A clock that moves a microsecond per reading: actions keep the order they were taken
    in (a frozen clock gives them one time, and undo and redo go by time)."""
    n = itertools.count()
    return lambda: start + dt.timedelta(microseconds=next(n))


async def goto(pilot, unit: str, col: str) -> None:
    assert pilot.app.dashboard.grid.goto(unit, col)
    await pilot.pause()


async def type_in(pilot, text: str) -> None:
    """Replace the focused field's text, then Enter."""
    inp = pilot.app.screen.focused
    assert isinstance(inp, Input)
    inp.value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_an_extension_that_moves_a_deadline_earlier_asks_first(week_ws, app_for, settle):
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "jxxx", TODAY)
        await pilot.press("x")
        await type_in(pilot, "11:00")  # today's deadline is 12:00: earlier
        assert isinstance(app.screen, ConfirmScreen)
        assert "12:00" in app.screen.body and "11:00" in app.screen.body
        assert "平顶山技师学院" in app.screen.body
        await pilot.press("n")
        await settle(pilot)
        assert Week(week_ws).ledger().extensions == {}
        # Later is what an extension usually is: no question.
        await pilot.press("x")
        await type_in(pilot, "16:00")
        await settle(pilot, lambda: bool(app.week.ledger().extensions))
        # From 16:00 back to 14:00 is earlier again (later than 12:00, but not than 16:00).
        await pilot.press("x")
        await type_in(pilot, "14:00")
        assert isinstance(app.screen, ConfirmScreen) and "16:00" in app.screen.body
        await pilot.press("y")
        await settle(pilot)
        assert Week(week_ws).ledger().extensions[("jxxx", TODAY)] == at(15, 14)


async def test_excusing_a_cell_already_on_time_asks_first(week_ws, app_for, settle):
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "pzy", TODAY)  # its video came at 09:15: on time
        await pilot.press("e")
        await type_in(pilot, "误操作")
        assert isinstance(app.screen, ConfirmScreen)
        assert "平顶山职业技术学院" in app.screen.body
        await pilot.press("escape")
        await settle(pilot)
        assert Week(week_ws).ledger().excuses == {}
        # A missing cell is excused at once.
        await goto(pilot, "weidong", "2024-05-14")
        await pilot.press("e")
        await type_in(pilot, "停电")
        await settle(pilot, lambda: bool(app.week.ledger().excuses))
        assert not isinstance(app.screen, ConfirmScreen)


async def test_undo_of_another_operators_action_names_whose_and_what(week_ws, app_for, settle):
    # Another operator's dashboard (another process) excused a cell.
    Week(week_ws).excuse("weidong", "2024-05-14", "停电", operator="小李")
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmScreen)
        assert "小李" in app.screen.body and "卫东区教育体育局" in app.screen.body
        assert "excuse" in app.screen.body
        await pilot.press("n")
        await settle(pilot)
        assert Week(week_ws).ledger().excuses
        await pilot.press("u")
        await pilot.press("y")
        await settle(pilot, lambda: not app.week.ledger().excuses)
        assert Week(week_ws).ledger().excuses == {}  # the other process sees it
        assert any("Undone: excuse 卫东区教育体育局 · 05-14" in t for t in app.toasts)


async def test_a_bulk_contact_is_one_undo_and_each_unit_keeps_its_own_gap(week_ws, app_for, settle):
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # xinhua's 05-13 is on time, weidong's late: on the 05-13 column, marked both.
        await goto(pilot, "xinhua", "2024-05-13")
        await pilot.press("space", "space")
        await pilot.press("c")
        await type_in(pilot, "已电话")
        await type_in(pilot, "")  # no promise: Enter on the last field confirms
        await settle(pilot, lambda: len(app.week.ledger().actions) == 2)
        cells = {a.unit: a.cell for a in Week(week_ws).ledger().actions}
        # weidong's gap is the cursor's column; xinhua's is its late 05-14, not its on-time 05-13
        assert cells == {"weidong": "2024-05-13", "xinhua": "2024-05-14"}
        await pilot.press("u")  # one undo, both contacts
        await settle(pilot, lambda: len(app.week.ledger().undone) == 2)
        assert not isinstance(app.screen, ConfirmScreen)  # one's own: no question
        assert any("Undone: contact" in t and "新华区教育体育局" in t for t in app.toasts)
        await pilot.press("U")  # redo: both back
        await settle(pilot, lambda: not app.week.ledger().undone - _undos(app))
        assert len([a for a in Week(week_ws).ledger().actions if a.type == "contact"]) == 2
        assert any(t.startswith("Redone: contact") for t in app.toasts)


def _undos(app) -> set[str]:
    return {a.id for a in app.week.ledger().actions if a.type == "undo"}


async def test_a_mistake_in_a_form_keeps_the_form_and_the_picked_unit(week_ws, app_for, settle):
    stray = "不知道是谁的照片.jpg"
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press(*"舞钢", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "舞钢市教育体育局" in form.form_title  # the chosen unit, in the second step
        await type_in(pilot, "9")  # the week has 7 days
        await pilot.press("enter")  # the kind: Enter on the last field confirms
        await pilot.pause()
        assert app.screen is form  # still open, everything kept
        assert "no column '9'" in form.error("cell") and "05-15" in form.error("cell")
        assert app.week.ledger().assignments == {}
        form.query_one("#field-cell", Input).value = "05-14"
        form.query_one("#field-kind", Input).focus()
        await pilot.pause()
        await type_in(pilot, "photograph")
        assert app.screen is form and "photo" in form.error("kind")
        await type_in(pilot, "photo")
        await settle(pilot, lambda: bool(app.week.ledger().assignments))
        a = Week(week_ws).ledger().assignments[stray]
        assert (a.unit, a.cell, a.data.get("kind")) == ("wugang", "2024-05-14", "photo")
        assert any(t.startswith("Assigned") for t in app.toasts)


async def test_form_mistakes_are_said_in_the_interface_language(week_ws, app_for, settle):
    app = app_for(week_ws, lang="zh", clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await goto(pilot, "jxxx", TODAY)
        await pilot.press("x")
        await type_in(pilot, "soon")
        form = app.screen
        assert isinstance(form, FormScreen)
        said = form.error("until")
        assert "不是日期时间" in said and "05-15 12:00" in said  # this week's date as example


async def test_chinese_mistakes_give_chinese_examples_and_both_are_read(week_ws, app_for, settle):
    """Under zh the examples are 方案、总结、今天 (plan, summary, today are read all the same)."""
    app = app_for(week_ws, lang="zh", clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press(*"舞钢", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "方案 / 总结" in str(form.query("Label").first().render())
        await type_in(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        said = form.error("cell")
        assert "方案、总结、今天、05-15、1–7" in said
        assert not {"plan", "summary", "today"} & set(said.replace("、", " ").split())
        form.query_one("#field-cell", Input).value = "plan"  # the English word still reads
        form.query_one("#field-kind", Input).focus()
        await pilot.pause()
        await type_in(pilot, "photo")
        await settle(pilot, lambda: bool(app.week.ledger().assignments))
        [a] = Week(week_ws).ledger().assignments.values()
        assert a.cell == "plan"
        await pilot.press("escape")  # the quarantine list
        await pilot.pause()
        await goto(pilot, "jxxx", TODAY)
        await pilot.press("x")
        await pilot.pause()
        extend = app.screen
        assert isinstance(extend, FormScreen)
        note = " ".join(str(s.render()) for s in extend.query(".field-note"))
        assert "今天 17:30" in note and "today" not in note
        await type_in(pilot, "soon")
        said = extend.error("until")
        assert "今天 17:30" in said and "today" not in said


async def test_assigning_offers_the_units_the_name_suggests_first(week_ws, app_for, settle):
    path = "新华区卫东区联合活动_2024-05-15_报道.docx"
    drop(week_ws, path, at(15, 10))
    Week(week_ws).ingestor().scan()
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        quarantine = app.screen
        assert isinstance(quarantine, QuarantineScreen)
        quarantine.query_one("DataTable").move_cursor(row=quarantine.paths.index(path))
        await pilot.press("a")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, UnitPicker)
        assert str(week_ws.inbox / path) in picker.picker_title  # the full path
        options = picker.query_one(OptionList)
        first = [options.get_option_at_index(i).id for i in range(2)]
        assert first == ["xinhua", "weidong"] and options.highlighted == 0
        await pilot.press("enter")  # the suggested unit, as highlighted
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and "新华区教育体育局" in form.form_title
        assert "kinds: plan" in str(form.query_one(".field-note").render())
        await pilot.press("enter", "enter")  # the cell and kind as read
        await settle(pilot, lambda: path in app.week.ledger().assignments)
        assert app.week.ledger().assignments[path].unit == "xinhua"


async def test_the_four_field_assign_form_fits_80x24(week_ws, app_for, settle):
    """The title and the hint stay in sight; the fields scroll to the focused one."""
    app = app_for(week_ws, lang="zh", clock=ticking())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"舞钢", "enter")
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert len(form.fields) == 4
        # Opened at the top: the first field's label is in sight above its input.
        await settle(pilot, lambda: form.query_one("#form-body").scroll_y == 0)
        label = form.query_one("#form-body").query("Label").first()
        assert "列" in str(label.render()) and label.region.height == 1
        box = form.query_one("#form").region
        assert box.bottom <= 24
        hint = form.query_one(".dialog-hint")
        title = form.query_one(".dialog-title")
        for line in (title, hint):
            assert line.region.height and box.y < line.region.y and line.region.bottom < box.bottom
        assert "Esc" in str(hint.render())
        last = form.query(Input).last()
        last.focus()
        body = form.query_one("#form-body").region

        def in_sight() -> bool:
            return body.y <= last.region.y and last.region.bottom <= body.bottom

        await settle(pilot, in_sight)
        assert hint.region.y >= body.bottom  # the hint below the fields, not under them


async def test_the_assign_forms_kinds_are_chinese_under_zh(week_ws, app_for, settle):
    """The kinds offered, the one filled in and the mistake's list say 照片, 典型案例…; what is
    typed reads as a file name's words (照片, 图片) or the kind's name (photo)."""
    app = app_for(week_ws, lang="zh", clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press(*"舞钢", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        note = " ".join(str(s.render()) for s in form.query(".field-note"))
        assert "可选类型：活动方案、信息采集表、宣传专栏链接、典型案例" in note
        assert "photo" not in note and "info_form" not in note
        kind = form.query_one("#field-kind", Input)
        assert kind.value in ("", "照片", "报道")  # the reading's kind, in its Chinese name
        kind.value = "相片"
        form.query_one("#field-cell", Input).value = "05-14"
        kind.focus()
        await pilot.press("enter")
        await pilot.pause()
        said = form.error("kind")
        assert "没有“相片”这种类型" in said and "照片" in said and "photo" not in said
        kind.value = "图片"  # a file name's word for photos
        kind.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: bool(app.week.ledger().assignments))
        [a] = Week(week_ws).ledger().assignments.values()
        assert (a.cell, a.data.get("kind")) == ("2024-05-14", "photo")


async def test_the_quarantine_list_is_there_as_it_opens(ws, week_ws, app_for, settle):
    """`i` then `a` at once reach the file under the cursor (the list was filled a refresh
    after the screen opened); an empty quarantine says so (it showed an empty table)."""
    app = app_for(ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuarantineScreen) and screen.paths == []
        table = screen.query_one("DataTable")
        assert table.row_count == 1 and "Nothing waits" in str(table.get_row_at(0)[0])
    app = app_for(week_ws, clock=ticking())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i", "a")  # typed ahead, as an operator who knows the keys does
        await pilot.pause()
        assert isinstance(app.screen, UnitPicker)
