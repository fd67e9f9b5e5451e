"""The reminder schedule on a fake clock: at 11:00 once, only for the units still due, and an
operator's cancellation of the next one; `watch` says when it will send."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from weekwatch.fixtures.damage import weekwatch
from weekwatch.fixtures.smtpd import PASSWORD, SmtpServer
from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.store.model import Unit
from weekwatch.store.remind_config import load_remind_config, load_smtp_config
from weekwatch.store.remind_schedule import (
    Scheduler,
    cancel_next,
    column_due,
    next_slot,
    skipped,
)
from weekwatch.store.week import Week

ROSTER = [
    Unit("wugang", "舞钢市教育体育局", ("舞钢市",), "", "", "王敏", "", "wg@example.com"),
    Unit("baofeng", "宝丰县教育体育局", ("宝丰县",), "", "", "李静", "", "bf@qq.com"),
    Unit("pzy", "平顶山职业技术学院", ("平职院",), "", "", "赵强", "0375-2076000", ""),
]


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def srv(tmp_path, monkeypatch):
    monkeypatch.setenv("WEEKWATCH_SMTP", PASSWORD)
    with SmtpServer(tmp_path) as s:
        yield s


def workspace(tmp_path: Path, srv: SmtpServer, remind: str = 'at = ["11:00"]\nauto = true'):
    ws = empty_workspace(tmp_path / "week", ROSTER)
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write("\n" + srv.toml() + f"\n[remind]\n{remind}\n")
    return ws


def wait_for(cond, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("not reached")
        time.sleep(0.02)


def scheduler(ws, clock: Clock, said: list[str]) -> tuple[Scheduler, threading.Event]:
    week = Week(ws, clock=clock)
    cfg = load_remind_config(ws.config)
    smtp = load_smtp_config(ws.config)
    assert smtp is not None
    s = Scheduler(week, cfg, smtp, said.append, poll=0.01, sleep=lambda _s: None)
    stop = threading.Event()
    threading.Thread(target=s.run, args=(stop,), daemon=True).start()
    return s, stop


def test_sends_at_eleven_once_and_only_to_units_still_due(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    drop(ws, "舞钢市/5月15日/典型案例.docx", at(15, 9, 40))  # 舞钢 has sent today's
    clock = Clock(at(15, 10, 58))
    Week(ws, clock=clock).ingestor().scan()
    said: list[str] = []
    _, stop = scheduler(ws, clock, said)
    try:
        time.sleep(0.1)
        assert srv.received == []  # 10:58: not yet
        clock.now = at(15, 11, 0) + dt.timedelta(seconds=1)
        wait_for(lambda: said)
        assert [r.rcpt for r in srv.received] == [["bf@qq.com"]]  # not 舞钢 (sent), not 平职院
        assert "1 e-mailed" in str(said[0]) and "call instead: 平顶山职业技术学院" in str(said[0])
        msg = srv.received[0].message
        assert "5月15日" in msg["Subject"] and "距截止还有1小时" in msg.get_content()
        assert "schedule" not in msg.get_content()
        clock.now = at(15, 11, 30)
        time.sleep(0.2)
        clock.now = at(15, 17, 0)
        time.sleep(0.2)
        assert len(srv.received) == 1 and len(said) == 1  # once
        log = [a for a in Week(ws).ledger().actions if a.data.get("via") == "email"]
        assert [(a.unit, a.cell, a.operator) for a in log] == [
            ("baofeng", "2024-05-15", "schedule")
        ]
    finally:
        stop.set()


def test_a_started_late_watch_does_not_send_the_missed_slot(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    clock = Clock(at(15, 14, 0))
    said: list[str] = []
    _, stop = scheduler(ws, clock, said)
    time.sleep(0.2)
    clock.now = at(15, 15, 0)
    time.sleep(0.2)
    stop.set()
    assert srv.received == [] and said == []


def test_an_operator_cancels_the_next_one(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    clock = Clock(at(15, 10, 0))
    week = Week(ws, clock=clock)
    cfg = load_remind_config(ws.config)
    assert cancel_next(week, cfg) == at(15, 11, 0)
    assert skipped(week.store) == at(15, 11, 0).isoformat()
    said: list[str] = []
    _, stop = scheduler(ws, clock, said)
    try:
        clock.now = at(15, 11, 1)
        wait_for(lambda: said)
        assert "cancelled" in str(said[0]) and srv.received == []
        assert skipped(week.store) is None  # only that one: the next day's goes out
        clock.now = at(16, 11, 1)
        wait_for(lambda: len(said) == 2)
        assert {r.rcpt[0] for r in srv.received} == {"wg@example.com", "bf@qq.com"}
    finally:
        stop.set()


def test_next_slot_and_the_column_a_slot_is_about(tmp_path, srv):
    ws = workspace(tmp_path, srv, 'at = ["11:00", "16:00"]\nauto = true')
    week = Week(ws)
    cfg = load_remind_config(ws.config)
    assert next_slot(week.event, cfg, at(15, 11, 0)) == at(15, 16, 0)
    assert next_slot(week.event, cfg, at(18, 17, 0)) is None
    assert column_due(week.event, at(15, 11, 0)) == "2024-05-15"


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ('at = ["25:00"]', "is not a time of day"),
        ("auto = true", "no time is set"),
        ('at = ["11:00"]\nauto = "yes"', "true or false"),
    ],
)
def test_remind_table_mistakes(tmp_path, srv, table, said):
    ws = workspace(tmp_path, srv, table)
    with pytest.raises(Exception, match=said):
        load_remind_config(ws.config)


def test_watch_says_when_it_will_remind(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    proc = weekwatch(ws, "watch", env={"WEEKWATCH_SMTP": PASSWORD})
    try:
        line = ""
        for _ in range(5):
            line = proc.stdout.readline()
            if "reminders" in line:
                break
        assert "reminders by e-mail at 11:00 each day of the week (none left this week)" in line
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    assert proc.returncode == 0


def test_under_a_next_day_deadline_the_slot_is_about_the_days_own_column(tmp_path, srv):
    """`+1d 12:00` (day N's materials by noon of N+1): the 11:00 reminder of 15 May is about
    15 May's materials, as `weekwatch remind` and the call list would be then — not the 14th's."""
    ws = workspace(tmp_path, srv)
    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(
        text.replace('daily_deadline = "12:00"', 'daily_deadline = "+1d 12:00"'), encoding="utf-8"
    )
    clock = Clock(at(15, 11, 0))
    week = Week(ws, clock=clock)
    assert column_due(week.event, at(15, 11, 0)) == "2024-05-15"
    s = Scheduler(week, load_remind_config(ws.config), load_smtp_config(ws.config), print)
    s.sleep = lambda _s: None
    assert s.fire(at(15, 11, 0)) == 2
    msg = srv.received[0].message
    assert "请报送5月15日材料" in msg["Subject"]
    assert "5月16日 12:00" in msg.get_content() and "距截止还有1天1小时" in msg.get_content()
    log = [a for a in Week(ws).ledger().actions if a.data.get("via") == "email"]
    assert {a.cell for a in log} == {"2024-05-15"}


@pytest.mark.parametrize(
    ("top", "operator", "signed"),
    [
        ('operator = "王敏"\n', "", "王敏"),  # the workspace's operator
        ("", "", "login-of-the-watcher"),  # no name given anywhere: the login running it
        ('operator = "王敏"\n', "小王", "小王"),  # `weekwatch --operator 小王 watch`
    ],
)
def test_a_scheduled_message_is_signed(tmp_path, srv, monkeypatch, top, operator, signed):
    monkeypatch.setenv("WEEKWATCH_OPERATOR_FILE", str(tmp_path / "nobody-remembered.toml"))
    monkeypatch.setenv("LOGNAME", "login-of-the-watcher")
    monkeypatch.setenv("USER", "login-of-the-watcher")
    ws = workspace(tmp_path, srv)
    ws.config.write_text(top + ws.config.read_text(encoding="utf-8"), encoding="utf-8")
    week = Week(ws, clock=Clock(at(15, 11, 0)))
    cfg = load_remind_config(ws.config)
    smtp = load_smtp_config(ws.config)
    assert smtp is not None
    signer = {"operator": operator} if operator else {}
    s = Scheduler(week, cfg, smtp, print, sleep=lambda _s: None, **signer)
    assert s.fire(at(15, 11, 0)) == 2
    body = srv.received[0].message.get_content()
    assert body.rstrip().splitlines()[-1] == signed
    log = [a for a in Week(ws).ledger().actions if a.data.get("via") == "email"]
    assert {a.operator for a in log} == {"schedule"}  # the log still says the clock sent it
