"""What the dashboard's panes and filters make of obligations: all from the Board, no Textual."""

from __future__ import annotations

import datetime as dt

from weekwatch.fixtures.testweek import TZ, at
from weekwatch.store.ledger import fold
from weekwatch.store.model import Event, Material, Obligations, Unit
from weekwatch.store.rules import board
from weekwatch.tui import view
from weekwatch.tui.describe import detail, sent_not_text
from weekwatch.tui.i18n import I18n

EVENT = Event(
    title="2024年职业教育活动周",
    start=dt.date(2024, 5, 12),
    plan_deadline=at(12, 12),
    summary_deadline=dt.datetime(2024, 5, 19, 17, 30, tzinfo=TZ),
    obligations=Obligations(
        plan_requires=("plan", "info_form"),
        summary_requires=("summary", "statistics"),
        groups=(("junior-school", ("summary",)),),
    ),
)
UNITS = [
    Unit("art", "艺术设计学院", type="higher-vocational"),
    Unit("jz", "平顶山市第九中学", type="junior-school"),
]


def mat(i: int, unit: str, cell: str, kind: str, when: dt.datetime) -> Material:
    return Material(f"f{i}", f"f{i}", f"s{i}", 1, 0, when, unit, kind, cell)


MATS = [mat(1, "art", "summary", "summary", at(19, 9)), mat(2, "art", "plan", "plan", at(12, 9))]


def test_the_detail_pane_names_the_missing_kind_in_chinese():
    b = board(EVENT, UNITS, MATS, fold([]), at(19, 18))
    text = detail(b, fold([]), UNITS[0], "summary", I18n("zh")).plain
    assert "未交" in text and "缺《情况统计表》" in text
    text = detail(b, fold([]), UNITS[0], "plan", I18n("en")).plain
    assert "lacking: the information form" in text
    # a school that does not owe the plan: no deadline, no lacking, the reason instead
    text = detail(b, fold([]), UNITS[1], "plan", I18n("zh")).plain
    assert "无需报送" in text and "缺" not in text and "截止" not in text


def test_a_half_sent_cell_says_what_was_sent_and_what_not():
    b = board(EVENT, UNITS, MATS, fold([]), at(19, 18))
    assert sent_not_text(b, "art", "summary", I18n("en")) == (
        "sent the summary, not the statistics table"
    )
    assert sent_not_text(b, "art", "summary", I18n("zh")) == "已交《总结》，缺《情况统计表》"
    assert sent_not_text(b, "jz", "summary", I18n("zh")) == ""  # nothing sent: not half


def test_filters_sorts_and_shares_leave_out_what_is_not_owed():
    b = board(EVENT, UNITS, MATS, fold([]), at(14, 13))
    # the school owes nothing yet on the 14th: no problem to filter for
    assert view.row_order(b, "missing") == ["art"]
    assert view.row_order(b, "problems") == ["art"]
    assert view.row_order(b, "all", "worst") == ["art", "jz"]
    assert view.on_time_share(b, "2024-05-14") == (0, 1)  # of the one unit that owes the day


async def test_the_dashboard_warns_of_a_group_type_no_unit_has(tmp_path, app_for, settle):
    from weekwatch.fixtures.testweek import empty_workspace

    ws = empty_workspace(tmp_path / "w")
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write('\n[groups]\n"junoir-school" = ["summary"]\n')
    app = app_for(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = [n.message for n in app._notifications]
    assert any("'junoir-school': no unit on the roster has this type" in m for m in shown)


def test_the_countdown_skips_deadlines_nobody_owes():
    only_summary = Event(
        title="平顶山市2021年职业教育活动周",
        start=dt.date(2021, 5, 22),
        plan_deadline=dt.datetime(2021, 5, 22, 12, 0, tzinfo=TZ),
        summary_deadline=dt.datetime(2021, 6, 2, 23, 59, tzinfo=TZ),
        obligations=Obligations(others=("summary",)),
    )
    now = dt.datetime(2021, 5, 25, 11, 0, tzinfo=TZ)
    b = board(only_summary, UNITS, [], fold([]), now)
    assert b.owed_columns() == {"summary"}
    text, urgent = view.countdown(only_summary, now, I18n("en"), b.owed_columns())
    assert text.startswith("Summary due 06-02 23:59") and not urgent
    # without a board (nothing judged yet), every column counts, as before
    assert view.countdown(only_summary, now, I18n("en"))[0].startswith("Today's deadline 12:00")
