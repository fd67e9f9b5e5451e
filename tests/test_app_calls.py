"""The call list and the export dialog, driven through the real app on the dashboard's week.

What the screen shows is checked against `weekwatch report calls` run as a command at the same
moment, and what the export writes against the file the command writes: the dashboard never
computes a list of its own.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os

import openpyxl
import pytest
from textual.command import CommandList, CommandPalette

from weekwatch.fixtures.testweek import TODAY, at, clock_at, drop
from weekwatch.store.model import Unit
from weekwatch.store.week import Week
from weekwatch.tui.cli import run
from weekwatch.tui.screens.calls import CallsScreen
from weekwatch.tui.screens.export import ExportScreen
from weekwatch.tui.screens.form import FormScreen

AFTER_NOON = at(15, 13)  # day 4, an hour after its 12:00 deadline
AS_OF = "2024-05-15T13:00"


def cli(ws, capsys, *args: str) -> str:
    capsys.readouterr()
    assert run(["-w", str(ws.root), *args]) == 0
    return capsys.readouterr().out


def promise(ws) -> None:
    """卫东区 promised on day 3 to send by 10:00 on day 4: overdue at 13:00."""
    week = Week(ws, clock=clock_at(at(14, 16)))
    week.contact("weidong", "李娜说明早补交", "2024-05-15", promised_by=at(15, 10), operator="小王")


async def open_calls(pilot, settle) -> CallsScreen:
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot, lambda: isinstance(pilot.app.screen, CallsScreen))
    return pilot.app.screen


def shown(screen: CallsScreen) -> list[list[str]]:
    table = screen.table
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_call_list_has_the_rows_of_report_calls(week_ws, app_for, settle, capsys):
    promise(week_ws)
    expected = json.loads(
        cli(week_ws, capsys, "report", "calls", "--as-of", AS_OF, "--format", "json")
    )
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_calls(pilot, settle)
        from weekwatch.store.report_calls import calls_json

        got = calls_json(app.dashboard.board, expected["cell"], screen.rows)
        assert got | {"actions": app.week.actions} == expected
        rows = shown(screen)
        assert [r[0] for r in rows] == [u["name"] for u in expected["units"]]
        assert [r[4] for r in rows] == [u["phone"] for u in expected["units"]]
        weidong = rows[[u["id"] for u in expected["units"]].index("weidong")]
        assert "OVERDUE" in weidong[-1]  # readable without colour
        assert "1x" in weidong[-2]  # one contact tried
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is app.dashboard)


async def test_enter_logs_a_contact_and_the_list_follows(week_ws, app_for, settle, capsys):
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_calls(pilot, settle)
        first = screen.rows[0]
        assert first.unit == "jxxx" and not first.contacts
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        app.screen.query_one("#field-text").value = "陈静说下午三点前补交"
        app.screen.query_one("#field-by").value = "15:00"
        app.screen.query_one("#field-by").focus()
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, CallsScreen) and screen.rows[0].contacts)
        assert screen.rows[0].contacts[0].text == "陈静说下午三点前补交"
        assert "1x" in shown(screen)[0][-2]
        # The pane under the table: the contact on a line of its own, its promise.
        lines = screen.detail.plain.split("\n")
        assert "tester: 陈静说下午三点前补交 → promised by 05-15 15:00" in lines[-1]
        assert "陈静  13700000000" in lines[1]
        # An arrival takes the unit off the list (the live board).
        drop(week_ws, "jxxx/技师学院_5月15日_照片.jpg", at(15, 11, 50))  # on time
        Week(week_ws, clock=clock_at(AFTER_NOON)).ingestor().scan()
        await settle(pilot, lambda: "jxxx" not in [r.unit for r in screen.rows])
        assert [r.unit for r in screen.rows] == ["wugang", "weidong", "xinhua"]
    # Seen by `weekwatch log` (run once the app has stopped: it holds stdout while it runs).
    log = json.loads(cli(week_ws, capsys, "log", "--json"))
    [logged] = [a for a in log if a["type"] == "contact"]
    assert (logged["unit"], logged["cell"], logged["operator"]) == ("jxxx", TODAY, "tester")
    assert logged["data"]["text"] == "陈静说下午三点前补交"
    assert logged["data"]["promised_by"].startswith("2024-05-15T15:00")


async def test_p_copies_the_phone_over_osc52(week_ws, app_for, settle):
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot, settle)
        written: list[str] = []
        real = app._driver.write
        app._driver.write = lambda data: (written.append(data), real(data))[1]
        await pilot.press("j")  # the second row: 舞钢
        await pilot.press("p")
        await pilot.pause()
        osc = [w for w in written if w.startswith("\x1b]52;c;")]
        assert len(osc) == 1
        payload = osc[0][len("\x1b]52;c;") :].rstrip("\a")
        phone = next(u.liaison_phone for u in Week(week_ws).units() if u.id == screen.rows[1].unit)
        assert base64.b64decode(payload).decode() == phone == "13837540872"
        assert any(phone in t for t in app.toasts)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_export_writes_the_file_the_command_writes(week_ws, app_for, settle, capsys, fmt):
    promise(week_ws)
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        await pilot.press("tab")  # to the formats
        formats = dialog.query_one("#export-formats")
        formats.highlighted = [o.id for o in formats.options].index(fmt)
        await pilot.press("enter")
        target = week_ws.root / "reports" / f"calls-20240515-1300.{fmt}"
        await settle(pilot, lambda: app.screen is app.dashboard)
        assert target.exists()
        assert any(str(target) in t for t in app.toasts)
    mine = week_ws.root / "theirs"
    mine.mkdir()
    theirs = mine / f"calls.{fmt}"
    cli(
        week_ws,
        capsys,
        "report",
        "calls",
        "--as-of",
        AS_OF,
        "--lang",
        "en",
        "--format",
        fmt,
        "--output",
        str(theirs),
    )
    if fmt == "csv":
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][0] == "Unit" and rows[1][0] == "平顶山技师学院"
        assert raw == theirs.read_bytes()
    else:
        got = openpyxl.load_workbook(target).active
        want = openpyxl.load_workbook(theirs).active
        values = [[c.value for c in row] for row in got.iter_rows()]
        assert values == [[c.value for c in row] for row in want.iter_rows()]
        assert isinstance(got.cell(row=3, column=3).value, int)  # missing this week: a number


async def test_a_bad_option_is_an_error_toast_and_the_dialog_stays(week_ws, app_for, settle):
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        field = app.screen.query_one("#opt-calls-cell")
        field.value = "5月40日"
        field.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: any("Export failed" in t for t in app.toasts))
        assert isinstance(app.screen, ExportScreen)
        assert not (week_ws.root / "reports").exists() or not list(
            (week_ws.root / "reports").iterdir()
        )
        assert not any("Traceback" in t for t in app.toasts)


async def test_a_hostile_unit_name_shows_as_text(week_ws, app_for, settle):
    week = Week(week_ws)
    hostile = "[bold red]假[/] \x1b[31m单位"
    week.store.put_units([*week.units(), Unit("evil", hostile, (), "x", "x", "[link]李", "1", "")])
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_calls(pilot, settle)
        row = shown(screen)[[r.unit for r in screen.rows].index("evil")]
        assert row[0] == "[bold red]假[/] \\x1b[31m单位"
        assert row[3] == "[link]李"


async def test_brackets_move_the_list_to_another_column(week_ws, app_for, settle, capsys):
    args = ("report", "calls", "--as-of", AS_OF, "--format", "json", "--cell", "2024-05-14")
    day3 = json.loads(cli(week_ws, capsys, *args))
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot, settle)
        assert {r.cell for r in screen.rows} == {TODAY}
        await pilot.press("left_square_bracket")  # day 3: 14 May
        await pilot.pause()
        assert [r.unit for r in screen.rows] == [u["id"] for u in day3["units"]]
        assert {r.cell for r in screen.rows} == {"2024-05-14"}
        # 新华区's 报道 came at 13:00, an hour after the deadline: said once, in hours.
        xinhua = shown(screen)[[r.unit for r in screen.rows].index("xinhua")]
        assert xinhua[1] == "! late 1 h 0 min"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert {r.cell for r in screen.rows} == {TODAY}


async def test_the_day_digest_is_exported_for_the_day_typed(week_ws, app_for, settle, capsys):
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        await pilot.press("down")  # the second report: the day's digest
        assert dialog.kind == "day"
        assert dialog.query_one("#opt-day-date").display
        assert not dialog.query_one("#opt-calls-cell").display
        await pilot.press("tab", "up", "up", "up")  # from xlsx up to plain text
        assert dialog.fmt == "text"
        dialog.query_one("#opt-day-date").value = "2024-05-13"
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is app.dashboard)
    got = (week_ws.root / "reports" / "day-20240515-1300.txt").read_text(encoding="utf-8")
    # A past day's digest stands at that day's end, as the command gives it.
    args = ("report", "day", "2024-05-13", "--as-of", "2024-05-14T00:00", "--lang", "en")
    assert got == cli(week_ws, capsys, *args)
    assert "卫东区教育体育局" in got  # late that day (its 稿件 at 12:40)


async def test_another_export_kind_appears_with_its_options(week_ws, app_for, settle, monkeypatch):
    """How the submission pack plugs in: a kind of its own, with a choice among values."""
    from weekwatch.tui import exports, i18n

    def write(week, req):
        path = week.workspace.root / "reports" / f"pack-{req.options['which']}.{req.format}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(req.options["which"], encoding="utf-8")
        return path

    def where(week, req):
        return week.workspace.root / "reports" / f"pack.{req.format}"

    for key in ("export.pack", "pack.all", "pack.recommended", "pack.which"):
        monkeypatch.setitem(i18n._T, key, (key, key))
    kind = exports.ExportKind(
        "pack",
        "export.pack",
        ("zip",),
        write,
        where,
        (
            exports.ExportOption(
                "which", "pack.which", ("pack.all", "pack.recommended"), "pack.all"
            ),
        ),
    )
    monkeypatch.setitem(exports.EXPORTS, "pack", kind)
    monkeypatch.setitem(i18n._T, "format.zip", ("zip", "zip"))
    app = app_for(week_ws, clock=clock_at(AFTER_NOON))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        await pilot.press("end")
        assert dialog.kind == "pack" and dialog.fmt == "zip"
        choice = dialog.query_one("#opt-pack-which")
        assert choice.display and choice.pressed_index == 0
        await pilot.press("tab", "tab")  # formats, then the choice
        await pilot.press("right", "enter")  # the second choice
        assert choice.pressed_index == 1
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is app.dashboard)
    path = week_ws.root / "reports" / "pack-pack.recommended.zip"
    assert path.read_text(encoding="utf-8") == "pack.recommended"


def _first(hits) -> str:
    return str(hits.get_option_at_index(0).prompt).split("\n")[0]


async def test_the_palette_offers_the_call_list_and_the_export(week_ws, app_for, settle):
    app = app_for(week_ws, clock=clock_at(AFTER_NOON), lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {"电话", "导出"} <= commands
        for title, screen in (("电话", CallsScreen), ("导出", ExportScreen)):
            await pilot.press("ctrl+p")
            await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*title)
            # The palette searches in the background: wait for its first hit to be ours.
            hits = app.screen.query_one(CommandList)
            await settle(pilot, lambda t=title, h=hits: h.option_count and _first(h) == t)
            await pilot.press("enter")
            await settle(pilot, lambda s=screen: isinstance(app.screen, s))
            await pilot.press("escape")
            await settle(pilot, lambda: app.screen is app.dashboard)


async def test_a_read_only_call_list_does_not_offer_to_log_a_call(week_ws, app_for, settle):
    app = app_for(week_ws, clock=clock_at(AFTER_NOON), read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot, settle)
        assert screen.rows  # the list is there to read
        offered = {b.binding.id for b in screen.active_bindings.values()}
        assert "calls.copy" in offered and "calls.contact" not in offered
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not app.week.ledger().actions


async def test_the_consolidated_table_is_exported_from_the_template(
    week_ws, app_for, settle, capsys
):
    from weekwatch.fixtures.statforms import FIELDS, form_xlsx

    form_xlsx(week_ws.root / "template.xlsx")  # the bureau's template, beside the inbox
    row = [1, "新华区教育体育局", 1200, 8, 3, 15, 12.5, ""]
    sent = form_xlsx(week_ws.inbox / "xinhua" / "新华区_情况统计表.xlsx", rows=[row])
    os.utime(sent, (at(19, 9).timestamp(), at(19, 9).timestamp()))  # sent on the 19th
    Week(week_ws, clock=clock_at(at(20, 8))).ingestor().scan()
    app = app_for(week_ws, clock=clock_at(at(20, 9)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        kinds = dialog.query_one("#export-kinds")
        kinds.highlighted = [o.id for o in kinds.options].index("consolidate")
        await pilot.pause()
        assert dialog.kind == "consolidate"
        await pilot.press("ctrl+s")  # no template yet: said, and nothing is written
        await settle(pilot, lambda: any("Fill in" in t for t in app.toasts))
        assert app.focused is dialog.query_one("#opt-consolidate-template")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press(*"template.xlsx", "enter")  # relative to the workspace
        await settle(pilot, lambda: app.screen is app.dashboard)
    got = week_ws.root / "reports" / "consolidate-20240520-0900.xlsx"
    theirs = week_ws.root / "theirs.xlsx"
    template = str(week_ws.root / "template.xlsx")
    args = ("report", "consolidate", "--template", template, "--as-of", "2024-05-20T09:00")
    cli(week_ws, capsys, *args, "--lang", "en", "--format", "xlsx", "--output", str(theirs))
    values = [[c.value for c in r] for r in openpyxl.load_workbook(got).active.iter_rows()]
    want = [[c.value for c in r] for r in openpyxl.load_workbook(theirs).active.iter_rows()]
    assert values == want
    assert any(1200 in r for r in values) and str(FIELDS[0]) in str(values)
