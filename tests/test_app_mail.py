"""The dashboard and the mailbox: a mail material's record, the mailbox down in the header."""

from __future__ import annotations

from weekwatch.fixtures.dovecot import free_port
from weekwatch.fixtures.mails import Draft, File, qqmail
from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.fetch import mailbox_state
from weekwatch.store.week import Week
from weekwatch.tui.screens.form import TextScreen

XINHUA = Draft(
    "xinhua@example.com",
    "王敏",
    "5月15日典型案例",
    at(15, 9, 58),  # the dashboard's clock stands at 11:23
    files=(File("案例一.docx", b"case one", "application/msword"),),
)


async def test_the_record_of_an_attachment_shows_sender_subject_and_date(week_ws, app_for, settle):
    drop(week_ws, "mail/0515-新华区.eml", at(15, 10, 3), qqmail(XINHUA))
    Week(week_ws).ingestor().scan()
    app = app_for(week_ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto("xinhua", "2024-05-15")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        body = app.screen.body.plain
        assert "mail/0515-新华区.eml#案例一.docx" in body
        assert "from: 王敏 <xinhua@example.com>" in body
        assert "subject: 5月15日典型案例" in body
        assert "date: 2024-05-15T09:58:00+08:00" in body
        assert "within: mail/0515-新华区.eml" in body


async def test_the_header_says_when_the_mailbox_is_down(week_ws, app_for, settle, monkeypatch):
    monkeypatch.setenv("WEEKWATCH_MAIL", "secret")
    with open(week_ws.config, "a", encoding="utf-8") as f:
        f.write(
            f'\n[mail]\nhost = "127.0.0.1"\nport = {free_port()}\nuser = "bureau"\n'
            'tls = "none"\npassword_env = "WEEKWATCH_MAIL"\n'
        )
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # Nothing listens on that port: the dashboard's fetcher fails, says so, keeps watching.
        await settle(pilot, lambda: "mailbox down" in app.query_one("#header").text.plain, 10)
        state = mailbox_state(Week(week_ws).store)
        assert state is not None and "refused the connection" in state["error"]
        assert "watching" in app.query_one("#header").text.plain


async def test_no_mail_table_no_fetching(week_ws, app_for, settle):
    app = app_for(week_ws, watch=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.watcher is not None and app.watcher.ready.is_set())
        assert app.inbox.fetching is None
        assert "mailbox" not in app.query_one("#header").text.plain
        assert mailbox_state(Week(week_ws).store) is None
