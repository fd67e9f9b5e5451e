"""Hostile paths: links of every kind, FIFOs, sockets, device nodes — listed, never followed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys

import pytest

from weekwatch.fixtures.damage import RunningWatcher
from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.db import materials_stamp
from weekwatch.store.reasons import Code
from weekwatch.store.week import Week

PASSWD = "/etc/passwd"


def cli(ws, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a FIFO opened blocking would hang here, not forever
    )


def hostile_inbox(ws, outside) -> dict[str, str]:
    """Every kind of entry that is not a regular file, each under a name that reads as a unit's
    material; returns path → the quarantine code it must get."""
    inbox = ws.inbox
    (inbox / "舞钢市").mkdir(parents=True)
    drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13))
    outside.mkdir()
    (outside / "舞钢市_5月13日_照片.jpg").write_bytes(b"outside the inbox")
    expect = {}

    def link(rel, target):
        os.symlink(target, inbox / rel)
        expect[rel] = Code.SYMLINK

    link("舞钢市/5月13日_照片.jpg", PASSWD)  # a file outside the inbox
    link("舞钢市/5月13日_案例.docx", "2024-05-13/典型案例.docx")  # a file inside it
    link("宝丰县_5月13日", str(outside))  # a folder outside it
    link("舞钢市/13日", "2024-05-13")  # a folder inside it
    link("宝丰县_5月14日_简报.docx", "nowhere.docx")  # dangling
    link("宝丰县_5月15日_简报.docx", "宝丰县_5月15日_简报.docx")  # a loop on itself
    os.mkfifo(inbox / "宝丰县_5月13日_照片.jpg")
    expect["宝丰县_5月13日_照片.jpg"] = Code.FIFO
    sock = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(inbox)  # bound by a relative name: a socket's path may not exceed 107 bytes
    try:
        sock.bind("平职院_5月13日_简报.docx")
    finally:
        os.chdir(here)
        sock.close()
    expect["平职院_5月13日_简报.docx"] = Code.SOCKET
    try:
        os.mknod(inbox / "平职院_5月14日_照片.jpg", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        expect["平职院_5月14日_照片.jpg"] = Code.DEVICE
    except PermissionError:
        pass  # no CAP_MKNOD here: the other kinds still run
    return expect


def test_links_fifos_sockets_and_devices_are_listed_in_quarantine_never_followed(ws, tmp_path):
    expect = hostile_inbox(ws, tmp_path / "outside")
    done = cli(ws, "ingest")
    assert done.returncode == 0, done.stderr
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    by_path = {r["path"]: r for r in rows}
    quarantined = {
        p: r["quarantine_code"] for p, r in by_path.items() if r["quarantine_code"] is not None
    }
    assert quarantined == {p: c.value for p, c in expect.items()}
    # The one real file is placed; nothing reached through a link was read.
    assert set(by_path) - set(expect) == {"舞钢市/2024-05-13/典型案例.docx"}
    passwd = hashlib.sha256(open(PASSWD, "rb").read()).hexdigest()
    assert passwd not in {r["sha256"] for r in rows}
    listed = cli(ws, "materials", "--quarantine").stdout
    assert "/etc/passwd" in listed and "not followed" in listed
    # A second scan finds nothing new: the entries are listed once, not rewritten each time.
    stamp = materials_stamp(ws.dbdir)
    assert cli(ws, "ingest").stdout.startswith("0 new")
    assert materials_stamp(ws.dbdir) == stamp


def test_a_linked_folder_made_while_watching_is_listed_not_followed(ws, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for d in (13, 14):
        (outside / f"舞钢市_5月{d}日_照片.jpg").write_bytes(b"photo %d" % d)
    with RunningWatcher(Week(ws, clock=lambda: at(14)), rescan_every=0.5) as w:
        os.symlink(outside, ws.inbox / "舞钢市")
        mats = w.wait_for(lambda m: "舞钢市" in m)
        assert mats["舞钢市"].quarantine.code == Code.SYMLINK
    Week(ws).ingestor().scan()  # the next rescan agrees with what the watcher saw
    records = Week(ws).store.materials()
    assert [m.path for m in records] == ["舞钢市"], "a file reached through the link was placed"
    assert not any(m.gone for m in records)


def test_a_file_replaced_by_a_link_keeps_its_record_as_a_version(ws):
    p = drop(ws, "舞钢市_5月13日_照片.jpg", at(13))
    week = Week(ws)
    week.ingestor().scan()
    p.unlink()
    os.symlink(PASSWD, p)
    week.ingestor().scan()
    live = [m for m in week.store.materials() if not m.superseded]
    assert [(m.path, m.quarantine.code if m.quarantine else None) for m in live] == [
        ("舞钢市_5月13日_照片.jpg", Code.SYMLINK)
    ]


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_an_entry_that_becomes_a_file_is_read_and_placed(ws, kind):
    path = ws.inbox / "舞钢市_5月13日_照片.jpg"
    ws.inbox.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path) if kind == "fifo" else os.symlink(PASSWD, path)
    week = Week(ws)
    week.ingestor().scan()
    path.unlink()
    drop(ws, "舞钢市_5月13日_照片.jpg", at(13))
    week.ingestor().scan()
    (m,) = [m for m in week.store.materials() if not m.superseded]
    assert (m.unit, m.cell, m.quarantine) == ("wugang", "2024-05-13", None)


@pytest.fixture(scope="module")
def zh_locale(tmp_path_factory) -> dict[str, str]:
    """A real zh_CN.UTF-8 locale, compiled into a folder of its own (no root needed)."""
    if shutil.which("localedef") is None:
        pytest.skip("no localedef here to build zh_CN.UTF-8 (Debian: apt-get install locales)")
    where = tmp_path_factory.mktemp("locale")
    done = subprocess.run(
        ["localedef", "-i", "zh_CN", "-f", "UTF-8", str(where / "zh_CN.UTF-8")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode not in (0, 1) or not (where / "zh_CN.UTF-8").is_dir():
        pytest.skip(f"localedef could not build zh_CN.UTF-8: {done.stderr.strip()[-200:]}")
    env = {"LOCPATH": str(where), "LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import locale, sys; locale.setlocale(locale.LC_ALL, '');"
            "print(sys.stdout.encoding, sys.stdout.errors)",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert probe.stdout.split() == ["utf-8", "strict"], probe  # what made `log` crash
    return env


def test_non_utf8_names_round_trip_under_a_chinese_locale(ws, zh_locale):
    names = [
        "舞钢市_5月13日_照片.jpg".encode("gbk"),  # from a zip made on a Chinese Windows
        "宝丰县/".encode() + "简报.docx".encode("gb18030"),  # a Samba share's folder
    ]
    for raw in names:
        full = os.fsencode(ws.inbox) + b"/" + raw
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(raw)

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root), **zh_locale}
        done = subprocess.run(
            [sys.executable, "-m", "weekwatch", "--operator", "小王", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
        return done

    run("ingest")
    rows = json.loads(run("materials", "--json").stdout)
    shown = sorted(r["path"] for r in rows)
    spelled = sorted(
        os.fsdecode(n).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        for n in names
    )
    assert shown == spelled and all("\\x" in p for p in shown)
    text = run("materials").stdout
    assert all(p in text for p in shown)  # the text listing spells them the same way
    # Each path given back exactly as it was listed, to each command that takes a path.
    run("assign", shown[0], "--unit", "wugang", "--cell", "2024-05-13")
    run("dismiss", shown[1], "--reason", "乱码文件名，已电话核实")
    log = run("log").stdout
    log_json = json.loads(run("log", "--json").stdout)
    assert [a["data"]["path"] for a in log_json] == shown
    assert all(p in log for p in shown)
    assert run("undo").stdout.startswith("recorded undo")
