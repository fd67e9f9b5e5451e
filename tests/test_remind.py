"""`weekwatch remind` against a real SMTP server (aiosmtpd on loopback): what arrives, what the
log records, and what a real server's refusals become."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from weekwatch.fixtures.damage import run_weekwatch, weekwatch
from weekwatch.fixtures.smtpd import PASSWORD, SmtpServer
from weekwatch.fixtures.testweek import clock_at, empty_workspace
from weekwatch.store.model import Unit
from weekwatch.store.remind import plan
from weekwatch.store.remind_config import load_smtp_config
from weekwatch.store.remind_template import Filled, load_template
from weekwatch.store.smtp_send import Sender, build_message
from weekwatch.store.week import Week
from weekwatch.tui.cli import main, run

CELL = "2024-05-15"  # the week is long past on the system clock: every empty cell is missing
ENV = {"WEEKWATCH_SMTP": PASSWORD}

ROSTER = [
    Unit(
        "wugang",
        "舞钢市教育体育局",
        ("舞钢市",),
        "县市区教体局",
        "舞钢市",
        "王敏",
        "13837510218",
        "wg@example.com; wangmin@163.com",
    ),
    Unit("baofeng", "宝丰县教育体育局", ("宝丰县",), "县市区教体局", "", "李静", "", "bf@qq.com"),
    Unit("pzy", "平顶山职业技术学院", ("平职院",), "高职院校", "", "赵强", "0375-2076000", ""),
]


def workspace(tmp_path: Path, srv: SmtpServer, units=ROSTER, **smtp):
    ws = empty_workspace(tmp_path / "week", units)
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write("\n" + srv.toml(**smtp))
    return ws


def remind(ws, capsys, *args: str) -> tuple[int, str, str]:
    """The command as `main` runs it: an error is its line on stderr and the exit status."""
    with pytest.raises(SystemExit) as done:
        main(["-w", str(ws.root), "--operator", "小王", "remind", *args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def email_contacts(ws) -> list[dict]:
    return [
        a.data | {"unit": a.unit, "cell": a.cell}
        for a in Week(ws).ledger().actions
        if a.type == "contact" and a.data.get("via") == "email"
    ]


@pytest.fixture
def srv(tmp_path):
    with SmtpServer(tmp_path) as s:
        yield s


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("WEEKWATCH_SMTP", PASSWORD)


def test_one_message_per_unit_to_all_its_liaisons_recorded_as_sent(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    code, out, err = remind(ws, capsys, "--cell", CELL, "--yes")
    assert code == 0, err
    got = {tuple(r.rcpt): r for r in srv.received}
    assert set(got) == {("wg@example.com", "wangmin@163.com"), ("bf@qq.com",)}
    wg = got[("wg@example.com", "wangmin@163.com")].message
    assert wg["Subject"] == "【2024年职业教育活动周】请报送5月15日材料"
    raw = got[("wg@example.com", "wangmin@163.com")].raw
    assert b"Subject: =?utf-8?" in raw  # RFC 2047, not raw UTF-8 in a header
    assert wg["From"].addresses[0].display_name == "平顶山市教体局职成科"
    assert wg["Date"] and wg["Message-ID"]
    body = wg.get_content()
    assert "王敏老师" in body and "舞钢市教育体育局" in body and "已逾期" in body
    assert "{" not in body and "小王" in body
    assert not wg.is_multipart()  # no HTML part: the template has none
    log = {c["unit"]: c for c in email_contacts(ws)}
    assert set(log) == {"wugang", "baofeng"}
    assert log["wugang"]["message_id"] == wg["Message-ID"]
    assert log["wugang"]["cell"] == CELL
    # The call list shows the reminder as a contact; the unit without e-mail is to be phoned.
    assert "call instead" in out and "平顶山职业技术学院  赵强 0375-2076000" in out
    calls = json.loads(cli_json(ws, capsys, "report", "calls", "--cell", CELL, "--format", "json"))
    wugang = next(u for u in calls["units"] if u["id"] == "wugang")
    assert wugang["contacts"] and "催报邮件" in wugang["contacts"][0]["text"]


def cli_json(ws, capsys, *args: str) -> str:
    assert run(["-w", str(ws.root), *args]) == 0
    return capsys.readouterr().out


def test_dry_run_sends_nothing_second_run_nothing_again_sends_again(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    code, out, _ = remind(ws, capsys, "--cell", CELL, "--dry-run")
    assert code == 0 and srv.received == [] and email_contacts(ws) == []
    assert "To: wg@example.com, wangmin@163.com" in out
    assert "Subject: 【2024年职业教育活动周】请报送5月15日材料" in out
    assert "2 would be sent, none sent" in out

    assert remind(ws, capsys, "--cell", CELL, "--yes")[0] == 0
    assert len(srv.received) == 2
    code, out, _ = remind(ws, capsys, "--cell", CELL, "--yes")
    assert code == 0 and len(srv.received) == 2
    assert "nobody to e-mail; 2 reminded before" in out
    assert remind(ws, capsys, "--cell", CELL, "--yes", "--again")[0] == 0
    assert len(srv.received) == 4 and len(email_contacts(ws)) == 4


def test_only_and_units_choose_whom(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    assert remind(ws, capsys, "--cell", CELL, "--yes", "--only", "due")[1].startswith(
        "5月15日: nobody to e-mail"
    )  # the day is long past: nothing is due
    code, _, _ = remind(ws, capsys, "--cell", CELL, "--yes", "--units", "宝丰县")
    assert code == 0 and [r.rcpt for r in srv.received] == [["bf@qq.com"]]
    code, _, err = remind(ws, capsys, "--cell", CELL, "--only", "soon")
    assert code == 2 and "--only: soon" in err and "Traceback" not in err


def test_undo_does_not_unsend(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    remind(ws, capsys, "--cell", CELL, "--yes", "--units", "wugang")
    assert run(["-w", str(ws.root), "--operator", "小王", "undo"]) == 0
    assert "stays sent" in capsys.readouterr().out
    code, out, _ = remind(ws, capsys, "--cell", CELL, "--yes", "--units", "wugang")
    assert len(srv.received) == 1 and "1 reminded before" in out


def test_without_a_terminal_and_without_yes_it_refuses(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    r = run_weekwatch(ws, "remind", "--cell", CELL, stdin=subprocess.DEVNULL, env=ENV)
    assert r.returncode == 2 and srv.received == []
    assert "e-mail 2 units" in r.stderr and "--yes" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_554_spam_refusal_stops_the_run_with_one_message(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    srv.handler.answers[2] = "554 DT:SPM 163 smtp3,GdxpCgD3v2Z2 Mail content denied"
    code, _, err = remind(ws, capsys, "--cell", CELL, "--yes")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "refused the message as spam" in err and "DT:SPM" in err
    assert "1 sent before it" in err
    assert len(srv.received) == 1 and len(email_contacts(ws)) == 1


def test_451_is_retried_with_back_off(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    srv.handler.answers[1] = "451 4.7.1 Try again later"
    cfg = load_smtp_config(ws.config)
    assert cfg is not None
    slept: list[float] = []
    msg = build_message(cfg, ["bf@qq.com"], Filled("主题", "正文\n", None), clock_at()())
    with Sender(cfg, PASSWORD, sleep=slept.append, delays=(0.5, 1.0)) as s:
        s.send(msg)
    assert slept == [0.5] and len(srv.received) == 1
    assert srv.received[0].message["Subject"] == "主题"


def test_wrong_password_and_closed_port_are_one_line_each(tmp_path, srv, capsys, monkeypatch):
    ws = workspace(tmp_path, srv)
    monkeypatch.setenv("WEEKWATCH_SMTP", "wrong")
    code, _, err = remind(ws, capsys, "--cell", CELL, "--yes")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "refused the login for pds9980@163.com" in err and "授权码" in err
    monkeypatch.setenv("WEEKWATCH_SMTP", PASSWORD)
    closed = workspace(tmp_path / "closed", srv, port=srv.port + 0)
    srv.__exit__(None, None, None)
    code, _, err = remind(closed, capsys, "--cell", CELL, "--yes")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "refused the connection" in err
    assert email_contacts(ws) == [] and email_contacts(closed) == []


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_tls_is_verified_and_a_ca_file_trusts_a_private_server(tmp_path, capsys, tls):
    with SmtpServer(tmp_path, tls=tls) as srv:
        ws = workspace(tmp_path, srv)
        code, _, err = remind(ws, capsys, "--cell", CELL, "--yes")
        assert code == 0, err
        assert len(srv.received) == 2
        bare = workspace(tmp_path / "bare", srv, cafile="")
        code, _, err = remind(bare, capsys, "--cell", CELL, "--yes")
        assert code == 2 and "certificate is not trusted" in err
        assert len(err.strip().splitlines()) == 1 and len(srv.received) == 2


def test_killed_after_the_third_of_ten_a_rerun_sends_exactly_the_other_seven(tmp_path, srv):
    units = [
        Unit(f"u{i}", f"第{i}中学", (), "初中", "", f"联络员{i}", "", f"u{i}@example.com")
        for i in range(10)
    ]
    ws = workspace(tmp_path, srv, units=units)

    def kill_on_the_fourth(n: int) -> str | None:
        if n != 4:
            return None
        os.kill(proc.pid, signal.SIGKILL)  # three accepted; the sender dies during the fourth
        return "421 4.3.0 closing"

    srv.handler.before_data = kill_on_the_fourth
    proc = weekwatch(ws, "remind", "--cell", CELL, "--yes", env=ENV)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    first = [r.rcpt[0] for r in srv.received]
    assert len(first) == 3 and len(email_contacts(ws)) == 3
    srv.handler.before_data = None
    r = run_weekwatch(ws, "remind", "--cell", CELL, "--yes", env=ENV)
    assert r.returncode == 0, r.stderr
    second = [x.rcpt[0] for x in srv.received[3:]]
    assert len(second) == 7 and not set(first) & set(second)
    assert len(email_contacts(ws)) == 10


def test_a_bad_placeholder_is_one_message_naming_the_line(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    text = (ws.root / "reminder.txt").read_text(encoding="utf-8")
    assert "{unit}" in text  # init wrote the template
    lines = text.splitlines()
    n = next(i for i, x in enumerate(lines) if "{lacking}" in x and not x.startswith("#"))
    lines[n] = lines[n].replace("{lacking}", "{缺少}")
    (ws.root / "reminder.txt").write_text("\n".join(lines), encoding="utf-8")
    code, _, err = remind(ws, capsys, "--cell", CELL, "--dry-run")
    assert code == 2 and srv.received == []
    assert f"reminder.txt, line {n + 1}: unknown placeholder {{缺少}}" in err
    assert len(err.strip().splitlines()) == 1


def test_an_html_part_only_when_the_template_has_one(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    (ws.root / "reminder.txt").write_text(
        "Subject: {event} {day} 提醒\n\n{unit}：请报送。\n"
        "--- html ---\n<p><b>{unit}</b>：请报送。</p>\n",
        encoding="utf-8",
    )
    assert remind(ws, capsys, "--cell", CELL, "--yes", "--units", "宝丰县")[0] == 0
    msg = srv.received[0].message
    assert msg.is_multipart()
    assert msg.get_body(("plain",)).get_content().strip() == "宝丰县教育体育局：请报送。"
    assert "<b>宝丰县教育体育局</b>" in msg.get_body(("html",)).get_content()


def test_due_cells_say_the_time_left(tmp_path, srv):
    ws = workspace(tmp_path, srv)
    week = Week(ws, clock=clock_at())  # 15 May 11:23, the deadline 12:00
    p = plan(week.board(), week.ledger(), load_template(ws.root), CELL, only=("due",))
    assert [r.unit for r in p.reminders] == ["wugang", "baofeng"]
    assert "距截止还有37分钟" in p.reminders[0].message.text
    assert [c.unit for c in p.call_instead] == ["pzy"]


@pytest.mark.parametrize(
    ("table", "said"),
    [
        (
            '[smtp]\nhost = "smtp.163.com"\nuser = "a@163.com"\ntls = "none"\npassword_env = "X"',
            "only for 127.0.0.1",
        ),
        ('[smtp]\nhost = "smtp.163.com"\nuser = "a@163.com"\npassword = "x"', "never here"),
        ('[smtp]\nhost = "smtp.163.com"\nuser = "a@163.com"', "needs one of password_env"),
        (
            '[smtp]\nhost = "smtp.163.com"\nuser = "a@163.com"\npassword_env = "X"\nfrom = "局"',
            "needs an address",
        ),
    ],
)
def test_smtp_config_mistakes_are_one_line(ws, capsys, table, said):
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write("\n" + table + "\n")
    code, _, err = remind(ws, capsys, "--cell", CELL, "--yes")
    assert code == 2 and said in err and "Traceback" not in err


def test_smtp_defaults(ws):
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write('\n[smtp]\nhost = "smtp.163.com"\nuser = "pds9980@163.com"\npassword_file = "pw"\n')
    cfg = load_smtp_config(ws.config)
    assert cfg is not None and (cfg.port, cfg.tls, cfg.every) == (465, "ssl", 3.0)
    (ws.root / "pw").write_text("code\n")
    os.chmod(ws.root / "pw", 0o644)
    with pytest.raises(Exception, match="can be read by others"):
        cfg.password()
    os.chmod(ws.root / "pw", 0o600)
    assert cfg.password() == "code"


def test_the_global_as_of_judges_dates_and_records_the_run_at_that_moment(tmp_path, srv, capsys):
    """`weekwatch --as-of "05-13 11:00" remind`: the board as it stood then (13 May's cell due
    in an hour, not the summary long overdue), the message dated then, the contact logged then."""
    ws = workspace(tmp_path, srv)
    code, out, _ = remind(ws, capsys, "--dry-run")  # now: the week is long past
    assert "活动总结" in out and "已逾期" in out
    with pytest.raises(SystemExit) as done:
        main(["-w", str(ws.root), "--as-of", "05-13 11:00", "remind", "--dry-run"])
    out = capsys.readouterr().out
    assert done.value.code in (0, None)
    assert out.splitlines()[0] == "as of 2024-05-13 11:00 (--as-of)"
    assert "请报送5月13日材料" in out and "距截止还有1小时" in out
    assert "已逾期" not in out and "2 would be sent" in out
    with pytest.raises(SystemExit) as done:
        main(["-w", str(ws.root), "remind", "--as-of", "05-13 11:00", "--yes"])
    assert done.value.code in (0, None)
    capsys.readouterr()
    [sent, _] = srv.received
    assert sent.message["Date"] == "Mon, 13 May 2024 11:00:00 +0800"
    log = [a for a in Week(ws).ledger().actions if a.data.get("via") == "email"]
    assert {(a.cell, a.at.astimezone(ws_tz(ws)).isoformat()) for a in log} == {
        ("2024-05-13", "2024-05-13T11:00:00+08:00")
    }


def ws_tz(ws):
    return Week(ws).event.tz


def test_a_bad_as_of_is_one_line(tmp_path, srv, capsys):
    ws = workspace(tmp_path, srv)
    code, _, err = remind(ws, capsys, "--as-of", "someday", "--dry-run")
    assert code == 2 and err.startswith("weekwatch: --as-of:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_every_line_in_chinese_under_zh_with_the_call_instead_list(tmp_path, srv, capsys):
    units = [*ROSTER, Unit("jxxx", "平顶山技师学院", ("技师学院",), "技师学院", "", "", "", "")]
    ws = workspace(tmp_path, srv, units)
    code, out, _ = remind(ws, capsys, "--cell", CELL, "--dry-run", "--lang", "zh")
    assert code == 0
    assert "收件人：wg@example.com, wangmin@163.com" in out
    assert "5月15日：将发 2 封，未发送（试运行）" in out
    assert "请改打电话（名册中没有邮箱）：" in out
    assert "  平顶山职业技术学院  赵强 0375-2076000" in out
    assert "  平顶山技师学院  也没有电话" in out
    body = "\n".join(line for line in out.splitlines() if not line.startswith("收件人："))
    for english in ("call instead", "no phone", "would be sent", "dry run", "To:", "Subject:"):
        assert english not in body
    remind(ws, capsys, "--cell", CELL, "--yes", "--lang", "zh")
    code, out, _ = remind(ws, capsys, "--cell", CELL, "--yes", "--lang", "zh")
    assert out.startswith("5月15日：没有需要发邮件的单位；此前已催 2 个（加 --again 仍发）")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--cell", "xyz"],
            "weekwatch: --cell: 没有“xyz”这一列；可输入 方案、总结、今天、05-12、1–7",
        ),
        (["--as-of", "soon"], "weekwatch: --as-of: “soon”不是日期时间；可写成 15:00、今天 17:30"),
        (["--units", "无此单位"], "weekwatch: --units: 名单中没有“无此单位”"),
    ],
)
def test_a_mistake_typed_is_one_line_in_chinese_under_zh(tmp_path, srv, capsys, args, said):
    ws = workspace(tmp_path, srv)
    code, out, err = remind(ws, capsys, "--dry-run", "--lang", "zh", *args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(said) and len(err.strip().splitlines()) == 1
