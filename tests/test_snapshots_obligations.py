"""What the operator sees of obligations: `—` where a unit owes nothing, `✗1/2` where it sent
half, with and without colour (seed 001's junior schools owe only the summary)."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.testweek import at, dashboard_workspace
from weekwatch.store.model import Unit


@pytest.fixture(autouse=True)
def true_colour(monkeypatch):
    """Frozen in the theme's own colours, whatever the terminal running the tests offers
    (16 colours and NO_COLOR draw differently: tests/test_app_terminals.py)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


UNITS = [
    Unit("xinhua", "新华区教育体育局", ("新华区",), "county-bureau", "新华区", "王敏", "138"),
    Unit("pzy", "平顶山职业技术学院", ("平职院",), "higher-vocational", "新华区", "张伟", "139"),
    Unit("jiuzhong", "平顶山市第九中学", ("九中",), "junior-school", "新华区", "赵强", "137"),
    Unit("shizhong", "平顶山市第十中学", ("十中",), "junior-school", "卫东区"),
]
DROPS = [
    ("xinhua/新华区_活动方案.docx", at(12, 9)),
    ("xinhua/新华区_信息采集表.xlsx", at(12, 9, 30)),
    ("xinhua/新华区_2024-05-12_报道.docx", at(12, 10)),
    ("xinhua/新华区_2024-05-13_照片.jpg", at(13, 11)),
    ("xinhua/新华区_2024-05-14_报道.docx", at(14, 11)),
    ("平职院_活动方案.docx", at(12, 7)),  # the plan without its information form: half sent
    ("平职院_5月12日_照片.jpg", at(12, 11)),
    ("九中5月13日活动照片.jpg", at(13, 10)),  # a school's file lands, in a column it does not owe
]
OBLIGATIONS = """
[columns.plan]
requires = ["plan", "info_form"]

[groups]
"junior-school" = ["summary"]
"""


@pytest.fixture
def owed_ws(tmp_path):
    ws = dashboard_workspace(tmp_path / "ws", UNITS, DROPS)
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write(OBLIGATIONS)
    return ws


@pytest.fixture
def ready(settle):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.pause()

    return run_before


# From today's column: left to the 12th, on to the plan, down to the college's row.
TO_PZY_PLAN = ["h", "h", "h", "h", "j"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_not_owed_and_half_sent_cells(snap_compare, owed_ws, app_for, ready, lang):
    assert snap_compare(
        app_for(owed_ws, lang=lang), terminal_size=(100, 30), press=TO_PZY_PLAN, run_before=ready
    )


def test_not_owed_and_half_sent_cells_monochrome(
    snap_compare, owed_ws, app_for, ready, monkeypatch
):
    """NO_COLOR: `—` and `✗1/2` read without colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(
        app_for(owed_ws, lang="zh"), terminal_size=(100, 30), press=TO_PZY_PLAN, run_before=ready
    )
