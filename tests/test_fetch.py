"""Fetching the designated mailbox from a real IMAP server (Dovecot), read-only."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from weekwatch.fixtures.dovecot import INSTALL_HINT, PASSWORD, USER, Dovecot, dovecot_binary
from weekwatch.fixtures.mails import Draft, File, foxmail, mail163, outlook, qqmail
from weekwatch.fixtures.testweek import at
from weekwatch.store.fetch import Fetcher, file_name, mailbox_state
from weekwatch.store.mailconfig import decode_folder, load_mail_config
from weekwatch.store.week import Week

needs_dovecot = pytest.mark.skipif(dovecot_binary() is None, reason=INSTALL_HINT)

WUGANG = Draft(
    "wg@example.com",
    "王敏",
    "舞钢市5月13日活动照片",
    at(13, 11, 58),
    files=(File("活动照片1.jpg", b"photo-1", "image/jpeg"),),
)


def draft(n: int, client=qqmail) -> bytes:
    return client(
        dataclasses.replace(
            WUGANG,
            subject=f"舞钢市5月1{3 + n % 3}日活动照片{n}",
            files=(File(f"活动照片{n}.jpg", f"photo-{n}".encode(), "image/jpeg"),),
        )
    )


@pytest.fixture
def dovecot():
    if dovecot_binary() is None:
        pytest.skip(INSTALL_HINT)
    with Dovecot() as server:
        yield server


def configure(ws, server_port: int, folder: str = "INBOX", **extra: str) -> None:
    lines = [
        "",
        "[mail]",
        'host = "127.0.0.1"',
        f"port = {server_port}",
        f'user = "{USER}"',
        f'folder = "{folder}"',
        'tls = "none"',
    ]
    lines += [f'{k} = "{v}"' for k, v in extra.items()] or ['password_env = "WEEKWATCH_MAIL"']
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def cli(ws, *args: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    env.pop("WEEKWATCH_MAIL", None)
    if password is not None:
        env["WEEKWATCH_MAIL"] = password
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args], capture_output=True, text=True, env=env
    )


def saved(ws) -> list[str]:
    folder = ws.inbox / "mail"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@needs_dovecot
def test_first_fetch_saves_every_message_and_ingest_reads_them(ws, dovecot):
    for client in (foxmail, qqmail, mail163, outlook):
        dovecot.append(
            draft(len(saved(ws)) + [foxmail, qqmail, mail163, outlook].index(client), client)
        )
    configure(ws, dovecot.port)
    r = cli(ws, "fetch")
    assert r.returncode == 0, r.stderr
    names = saved(ws)
    assert len(names) == 4 and all(n.endswith(".eml") for n in names)
    # Date, sender, a short subject and the server's UID: no two names collide.
    assert names[0].startswith("20240513-1158_王敏_舞钢市5月1")
    assert len({n.rsplit("-", 1)[1] for n in names}) == 4
    assert not [p for p in (ws.inbox / "mail").iterdir() if p.name.startswith(".")]  # no temp
    assert cli(ws, "ingest").returncode == 0
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert len(rows) == 4 and {r["unit"] for r in rows} == {"wugang"}
    assert all("#活动照片" in r["path"] for r in rows)
    # The ID command was sent before SELECT (163.com refuses SELECT without it).
    assert "name=weekwatch" in dovecot.log


@needs_dovecot
def test_incremental_fetch_saves_only_what_is_new_and_marks_nothing_seen(ws, dovecot):
    dovecot.append(draft(1))
    configure(ws, dovecot.port)
    assert cli(ws, "fetch").returncode == 0
    dovecot.append(draft(2))
    dovecot.append(draft(3))
    r = cli(ws, "fetch")
    assert r.returncode == 0 and "INBOX: 2 new" in r.stdout
    assert len(saved(ws)) == 3
    r = cli(ws, "fetch")
    assert "INBOX: 0 new" in r.stdout and len(saved(ws)) == 3
    # Read-only toward the server: no \Seen, nothing moved out of new/, nothing deleted.
    assert all(b"\\Seen" not in f for f in dovecot.flags()) and len(dovecot.flags()) == 3
    assert len(list((dovecot.maildir / "new").iterdir())) == 3
    state = Week(ws).store.get_meta("mailbox")
    ((key, mine),) = state.items()
    assert key.endswith("/INBOX") and mine["last_uid"] == 3


@needs_dovecot
def test_a_changed_uidvalidity_looks_again_but_saves_nothing_twice(ws, dovecot):
    folder = "其他文件夹"
    dovecot.append(draft(1), folder)
    dovecot.append(draft(2), folder)
    configure(ws, dovecot.port, folder="&UXZO1mWHTvZZOQ-")  # as a 163 client lists it
    r = cli(ws, "fetch")
    assert r.returncode == 0 and "其他文件夹: 2 new" in r.stdout
    before = Week(ws).store.get_meta("mailbox")
    # The folder is deleted and made again: the server numbers its messages anew.
    c = dovecot.client()
    c.delete_folder(folder)
    time.sleep(1.1)  # Dovecot's UIDVALIDITY is the clock's second
    c.create_folder(folder)
    c.logout()
    for n in (1, 2, 3):
        dovecot.append(draft(n), folder)
    r = cli(ws, "fetch")
    assert r.returncode == 0, r.stderr
    assert "1 new, 2 saved before" in r.stdout and "renumbered" in r.stdout
    after = Week(ws).store.get_meta("mailbox")
    (old,), (new,) = before.values(), after.values()
    assert new["uidvalidity"] != old["uidvalidity"] and new["last_uid"] == 3
    assert len(saved(ws)) == 3


@needs_dovecot
def test_a_wrong_password_is_one_line_and_exit_2(ws, dovecot):
    configure(ws, dovecot.port)
    r = cli(ws, "fetch", password="not-it")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "refused the login for " + USER in r.stderr
    assert "Traceback" not in r.stderr
    assert mailbox_state(Week(ws).store)["ok"] is False


def test_a_server_that_is_down_is_one_line_and_exit_1(ws):
    from weekwatch.fixtures.dovecot import free_port

    configure(ws, free_port())
    r = cli(ws, "fetch")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "refused the connection" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("extra", "password", "message"),
    [
        ({}, None, "WEEKWATCH_MAIL is not set"),
        ({"password": "hunter2"}, PASSWORD, "never here"),
        ({"password_file": "secret.txt"}, None, "can be read by others"),
        ({"tls": "sometimes"}, PASSWORD, "not one of ssl, starttls, none"),
    ],
)
def test_config_problems_are_one_line_and_exit_2(ws, extra, password, message):
    (ws.root / "secret.txt").write_text(PASSWORD)
    (ws.root / "secret.txt").chmod(0o644)
    if "tls" in extra:
        with open(ws.config, "a", encoding="utf-8") as f:
            f.write(f'\n[mail]\nhost = "imap.163.com"\nuser = "{USER}"\ntls = "sometimes"\n')
            f.write('password_env = "WEEKWATCH_MAIL"\n')
    else:
        configure(ws, 993, **extra) if extra else configure(ws, 993)
    r = cli(ws, "fetch", password=password)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr


def test_clear_text_is_refused_for_a_real_host(ws):
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write(f'\n[mail]\nhost = "imap.163.com"\nuser = "{USER}"\ntls = "none"\n')
        f.write('password_env = "WEEKWATCH_MAIL"\n')
    r = cli(ws, "fetch")
    assert r.returncode == 2 and "only for 127.0.0.1" in r.stderr


def test_an_owner_only_password_file_is_read(ws, tmp_path):
    secret = tmp_path / "mail.pw"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    configure(ws, 993, password_file=str(secret))
    cfg = load_mail_config(ws.config)
    assert cfg is not None and cfg.password() == PASSWORD and cfg.port == 993


def test_folder_names_in_modified_utf7_are_shown_decoded():
    assert decode_folder("&UXZO1mWHTvZZOQ-") == "其他文件夹"
    assert decode_folder("INBOX") == "INBOX"
    assert decode_folder("Tom & Jerry") == "Tom & Jerry"  # not modified UTF-7: as written


def test_saved_names_are_safe_on_any_file_system():
    hostile = dataclasses.replace(WUGANG, subject='a/b\\c:d*e?f"g<h>i|j\x07' + "长" * 200)
    name = file_name(qqmail(hostile), 1700000000, 42, at(13).tzinfo)
    assert name.endswith("_u1700000000-42.eml") and len(name.encode()) <= 255
    assert not set('/\\:*?"<>|\x07') & set(name)


def run_fetcher(ws, **kw):
    cfg = load_mail_config(ws.config)
    assert cfg is not None
    week = Week(ws)
    errors: list[str] = []
    got = threading.Event()
    fetcher = Fetcher(
        cfg,
        week.store,
        ws.inbox,
        week.event.tz,
        on_error=errors.append,
        on_saved=lambda r: got.set(),
        **kw,
    )
    stop = threading.Event()
    thread = threading.Thread(target=fetcher.run, args=(stop,), daemon=True)
    thread.start()
    return week, errors, got, stop, thread


def wait_for(check, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def mail_password(monkeypatch):
    monkeypatch.setenv("WEEKWATCH_MAIL", PASSWORD)


@needs_dovecot
def test_the_watcher_fetches_at_once_when_idle_says_mail_came(ws, dovecot, mail_password):
    configure(ws, dovecot.port)
    # Only IDLE can bring the message in: the next fetch by the clock is ten minutes away.
    week, errors, got, stop, thread = run_fetcher(ws, every=600)
    try:
        assert wait_for(lambda: mailbox_state(week.store) is not None)
        dovecot.append(draft(1))
        assert got.wait(20), f"IDLE did not bring the new message: {errors}"
        assert len(saved(ws)) == 1 and mailbox_state(week.store)["ok"] is True
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


@needs_dovecot
def test_the_watcher_backs_off_while_the_mailbox_is_down_and_comes_back(ws, dovecot, mail_password):
    configure(ws, dovecot.port)
    week, errors, got, stop, thread = run_fetcher(ws, every=0.3, backoff=(0.2, 0.5))
    try:
        assert wait_for(lambda: mailbox_state(week.store) is not None)
        dovecot.stop()  # the server goes away: one line per try, the state down
        assert wait_for(lambda: any("refused the connection" in e for e in errors))
        assert mailbox_state(week.store)["ok"] is False
        assert "refused the connection" in mailbox_state(week.store)["error"]
        tries = len(errors)
        dovecot.start()  # back: the fetcher finds its way again, without a restart
        dovecot.append(draft(2))
        assert got.wait(30), f"the fetcher did not come back: {errors[tries:]}"
        assert mailbox_state(week.store)["ok"] is True and len(saved(ws)) == 1
    finally:
        stop.set()
        thread.join(10)


@needs_dovecot
def test_watch_fetch_puts_mail_on_the_board(ws, dovecot):
    configure(ws, dovecot.port)
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root), "WEEKWATCH_MAIL": PASSWORD}
    proc = subprocess.Popen(
        [sys.executable, "-m", "weekwatch", "watch", "--fetch", "--fetch-every", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        dovecot.append(draft(1))
        deadline = time.monotonic() + 30
        rows: list[dict[str, object]] = []
        while time.monotonic() < deadline and not rows:
            time.sleep(0.3)
            out = cli(ws, "materials", "--json")
            rows = json.loads(out.stdout) if out.returncode == 0 and out.stdout else []
        assert [r["unit"] for r in rows] == ["wugang"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert Path(ws.inbox / "mail").is_dir()
