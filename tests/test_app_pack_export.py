"""The pack from the dashboard's export dialog: all, the recommended only, the focused unit,
the focused day; written in a worker into reports/, the path toasted."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from textual.widgets import RadioButton

from weekwatch.fixtures.packweek import BUNDLE, MAIL, pack_week
from weekwatch.store import bundle
from weekwatch.store.week import Week
from weekwatch.tui.screens.export import ExportScreen


def shas(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {
            bundle.member_name(i): hashlib.sha256(zf.read(i)).hexdigest()
            for i in zf.infolist()
            if bundle.member_name(i) != "目录.xlsx"
        }


def counted(ws, keep) -> list[str]:
    return sorted(
        p.material.sha256 for p in Week(ws).placed() if p.counted and not p.waiting and keep(p)
    )


@pytest.mark.parametrize(
    "scope, keep",
    [
        (0, lambda p: True),
        (1, lambda p: p.material.path in (f"{MAIL}#活动照片2.jpg", f"{BUNDLE}!照片1.jpg")),
        (2, lambda p: p.unit == "baofeng"),
        (3, lambda p: p.cell == "2024-05-15"),
    ],
    ids=["all", "recommended", "this-unit", "this-day"],
)
async def test_the_export_dialog_writes_the_pack(ws, app_for, settle, scope, keep):
    week = pack_week(ws)
    week.recommend([f"{MAIL}#活动照片2.jpg", f"{BUNDLE}!照片1.jpg"], "好")
    app = app_for(ws, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto("baofeng", "2024-05-15")
        await pilot.pause()
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        kinds = dialog.query_one("#export-kinds")
        kinds.highlighted = [o.id for o in kinds.options].index("pack")
        await pilot.pause()
        assert dialog.kind == "pack"
        # The focused unit and day are filled in, for "this unit" and "this day".
        assert dialog.query_one("#opt-pack-unit").value == "宝丰县教育体育局"
        assert dialog.query_one("#opt-pack-day").value == "2024-05-15"
        list(dialog.query_one("#opt-pack-scope").query(RadioButton))[scope].value = True
        await pilot.pause()
        dialog.action_export()
        await settle(pilot, lambda: app.screen is app.dashboard)
        (path,) = (ws.root / "reports").glob("pack-*.zip")
        assert any(str(path) in t for t in app.toasts)
    assert sorted(shas(path).values()) == counted(ws, keep)
    if scope == 1:
        assert all(n.startswith("推荐/") for n in shas(path))


def inside(inner, outer) -> bool:
    return (
        outer.x <= inner.x
        and inner.right <= outer.right
        and outer.y <= inner.y
        and inner.bottom <= outer.bottom
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_chosen_scope_reads_without_colour_and_the_hint_stays(
    ws, app_for, settle, monkeypatch, size
):
    """NO_COLOR: only the chosen scope is drawn ●, the others ○; at 80×24 the pack's options
    scroll while the path and the hint stay inside the dialog."""
    monkeypatch.setenv("NO_COLOR", "1")
    pack_week(ws)
    app = app_for(ws, lang="zh")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        kinds = dialog.query_one("#export-kinds")
        kinds.highlighted = [o.id for o in kinds.options].index("pack")
        await pilot.pause()
        buttons = list(dialog.query_one("#opt-pack-scope").query(RadioButton))
        marks = [b.render().plain.split()[0] for b in buttons]
        assert marks == ["▐●▌", "▐○▌", "▐○▌", "▐○▌"]
        buttons[2].value = True
        await pilot.pause()
        assert [b.render().plain.split()[0] for b in buttons] == ["▐○▌", "▐○▌", "▐●▌", "▐○▌"]
        box = dialog.query_one("#export").region
        for hint in (dialog.query_one("#export-path"), dialog.query_one("#export-foot")):
            assert hint.region.height and inside(hint.region, box)
        assert "Enter" in str(dialog.query_one("#export-foot").query("Static").last().render())
        await pilot.press("tab", "tab", "tab")  # down to the unit's field, below the fold
        await pilot.pause()
        unit = dialog.query_one("#opt-pack-unit")
        assert app.focused is unit and inside(unit.region, dialog.query_one("#export-body").region)


async def test_the_linux_console_draws_the_choice_in_ascii(ws, app_for, settle, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    pack_week(ws)
    app = app_for(ws, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, ExportScreen))
        kinds = app.screen.query_one("#export-kinds")
        kinds.highlighted = [o.id for o in kinds.options].index("pack")
        await pilot.pause()
        buttons = list(app.screen.query_one("#opt-pack-scope").query(RadioButton))
        assert [b.render().plain[:3] for b in buttons] == ["(*)", "( )", "( )", "( )"]
