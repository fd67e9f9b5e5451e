"""Reminders from the dashboard, against a real SMTP server: a preview and the count, confirm,
a toast per message, the log updated; the schedule's badge in the header and its cancellation."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.smtpd import PASSWORD, SmtpServer
from weekwatch.fixtures.testweek import TODAY, at
from weekwatch.store.remind_schedule import SKIP
from weekwatch.tui.screens.confirm import ConfirmScreen


@pytest.fixture
def srv(tmp_path, monkeypatch):
    monkeypatch.setenv("WEEKWATCH_SMTP", PASSWORD)
    with SmtpServer(tmp_path) as s:
        yield s


def configure(ws, srv: SmtpServer, remind: str = "") -> None:
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write("\n" + srv.toml() + (f"\n[remind]\n{remind}\n" if remind else ""))


def emailed(app) -> list[tuple[str | None, str | None]]:
    return [(a.unit, a.cell) for a in app.week.ledger().actions if a.data.get("via") == "email"]


def dialog_text(screen) -> str:
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_m_previews_confirms_sends_and_logs(week_ws, srv, app_for, settle):
    configure(week_ws, srv)
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto("xinhua", TODAY)
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        text = dialog_text(app.screen)
        assert "2 units, one message each" in text
        assert "To: xinhua@example.com" in text and "Subject: 【2024年平顶山市" in text
        assert "call instead: 舞钢市教育体育局 13837540872" in text  # no e-mail on the roster
        assert srv.received == []  # nothing before yes
        await pilot.press("y")
        await settle(pilot, lambda: any("2 reminders sent" in t for t in app.toasts))
        assert any("sent 1/2: 新华区教育体育局" in t for t in app.toasts)
        assert sorted(r.rcpt[0] for r in srv.received) == [
            "weidong@example.com",
            "xinhua@example.com",
        ]
        assert sorted(emailed(app)) == [("weidong", TODAY), ("xinhua", TODAY)]
        await settle(pilot, lambda: bool(app.dashboard.ledger.history("xinhua", TODAY)))
        # Again: nobody left to e-mail for this cell, and no dialog.
        await pilot.press("m")
        await settle(pilot, lambda: any("nobody to e-mail" in t for t in app.toasts))
        assert not isinstance(app.screen, ConfirmScreen) and len(srv.received) == 2


async def test_n_sends_nothing_and_marked_rows_narrow_it(week_ws, srv, app_for, settle):
    configure(week_ws, srv)
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause()
        assert srv.received == [] and emailed(app) == []
        assert app.dashboard.grid.goto("weidong", TODAY)
        await pilot.press("space")
        assert app.dashboard.marked == {"weidong"}
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "1 units, one message each" in dialog_text(app.screen)
        await pilot.press("y")
        await settle(pilot, lambda: len(emailed(app)) == 1 and not app.dashboard.marked)
        assert [r.rcpt for r in srv.received] == [["weidong@example.com"]]


async def test_the_schedule_shows_in_the_header_and_m_shift_cancels_the_next(
    week_ws, srv, app_for, settle
):
    configure(week_ws, srv, 'at = ["11:00"]\nauto = true')
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        badges = [b for b, _ in app.dashboard.header.badges]
        assert "reminder at 11:00" in badges  # 11:23 now: the next is tomorrow's
        await pilot.press("M")
        await settle(pilot, lambda: any("cancelled" in b for b, _ in app.dashboard.header.badges))
        assert app.week.store.get_meta(SKIP) == at(16, 11, 0).isoformat()
        assert any("the reminder of 05-16 11:00 is cancelled" in t for t in app.toasts)
        await pilot.press("M")
        await settle(
            pilot, lambda: "reminder at 11:00" in [b for b, _ in app.dashboard.header.badges]
        )
        assert app.week.store.get_meta(SKIP) is None


async def test_without_smtp_the_key_says_so(week_ws, app_for, settle):
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot, lambda: any("no [smtp]" in t for t in app.toasts))
        assert not isinstance(app.screen, ConfirmScreen)


async def test_read_only_offers_no_reminder_key(week_ws, srv, app_for, settle):
    configure(week_ws, srv)
    app = app_for(week_ws, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and srv.received == []


async def test_from_the_call_list_m_reminds_the_listed_units(week_ws, srv, app_for, settle):
    from weekwatch.tui.screens.calls import CallsScreen

    configure(week_ws, srv)
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CallsScreen(app.dashboard, "2024-05-14"))
        await settle(pilot, lambda: isinstance(app.screen, CallsScreen))
        listed = [r.unit for r in app.screen.rows]
        assert listed  # missing or late on 05-14
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        with_mail = {"xinhua", "weidong", "pzy"} & set(listed)
        await settle(pilot, lambda: len(emailed(app)) == len(with_mail))
        assert {u for u, _ in emailed(app)} == with_mail
        assert all(c == "2024-05-14" for _, c in emailed(app))
        assert isinstance(app.screen, CallsScreen)  # back on the list, updated
        await settle(pilot, lambda: any(r.contacts for r in app.screen.rows))


async def test_a_scheduled_reminder_is_toasted_in_chinese(week_ws, srv, app_for, settle):
    """The schedule's news reaches a zh dashboard in Chinese, its call-instead list too."""
    from weekwatch.store.remind_config import load_remind_config, load_smtp_config
    from weekwatch.store.remind_schedule import Scheduler

    configure(week_ws, srv, 'at = ["11:00"]\nauto = true')
    app = app_for(week_ws, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        cfg, smtp = load_remind_config(week_ws.config), load_smtp_config(week_ws.config)
        assert smtp is not None
        # As the ingesting dashboard's schedule thread fires it, through the app's own path.
        sched = Scheduler(app.week, cfg, smtp, app.inbox._said, sleep=lambda _s: None)
        sched.fire(at(15, 11, 0))
        await settle(pilot, lambda: any("定时催报" in t for t in app.toasts))
        [said] = [t for t in app.toasts if "定时催报" in t]
        assert said.startswith("05-15 11:00 定时催报：已发")
        assert "请改打电话：" in said and "平顶山技师学院" in said
        assert "call instead" not in said and "e-mailed" not in said


async def test_the_ingesting_dashboards_schedule_signs_with_its_operator(
    week_ws, srv, app_for, settle
):
    """The dashboard that takes in files sends the 11:00 reminder signed by its operator."""
    configure(week_ws, srv, 'at = ["11:00"]\nauto = true')
    now = [at(15, 10, 59)]
    app = app_for(week_ws, clock=lambda: now[0], watch=True, operator="小王")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.inbox.reminding is not None)
        now[0] = at(15, 11, 1)
        await settle(pilot, lambda: bool(srv.received), timeout=10)
        body = srv.received[0].message.get_content()
        assert body.rstrip().splitlines()[-1] == "小王"
