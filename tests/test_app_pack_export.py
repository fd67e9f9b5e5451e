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
