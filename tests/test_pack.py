"""`weekwatch report pack`: the week's counted materials in one zip, renamed, foldered, indexed.

Every pack is reopened with zipfile and its index with openpyxl; what it must hold is computed
from `materials --json` on its own, never from the pack code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import struct
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from weekwatch.fixtures.packweek import BUNDLE, MAIL, pack_week
from weekwatch.fixtures.testweek import at, drop
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store import bundle
from weekwatch.store.pack_names import MAX_PATH, Namer, Slot, safe_segment
from weekwatch.tui.cli import main

INDEX = "目录.xlsx"
FORBIDDEN = set('\\:*?"<>|')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))}
RESERVED |= {f"LPT{i}" for i in range(1, 10)}


def call(ws, capsys, *args: str) -> tuple[int, str, str]:
    """The command as the shell runs it (main: one-line errors, the exit status)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["-w", str(ws.root), "--operator", "小王", *args])
    got = capsys.readouterr()
    return exc.value.code, got.out, got.err


def materials(ws, capsys) -> list[dict]:
    code, out, _ = call(ws, capsys, "materials", "--json")
    assert code == 0
    return json.loads(out)


def counted_shas(rows: list[dict]) -> Counter[str]:
    """What the pack must hold, from `materials --json` alone: each counted file, copies out."""
    return Counter(
        r["sha256"]
        for r in rows
        if r["quarantine"] is None
        and not r.get("superseded")
        and r.get("dismissed") is None
        and r["duplicate_of"] is None
        and r["credits"]
    )


def members(path: Path) -> dict[str, bytes]:
    """Name → bytes, names as unzip shows them (the UTF-8 flag, else the Unicode Path field)."""
    with zipfile.ZipFile(path) as zf:
        named = {bundle.member_name(i): i for i in zf.infolist()}
        return {n: zf.read(i) for n, i in named.items() if n != INDEX}


def index_rows(path: Path) -> tuple[list, list[list], object]:
    with zipfile.ZipFile(path) as zf:
        (data,) = [zf.read(i) for i in zf.infolist() if bundle.member_name(i) == INDEX]
    book = path.with_suffix(".xlsx")
    book.write_bytes(data)
    wb = load_workbook(book)
    sheet = wb.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[1], rows[2:], wb


def tree(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root: content hash and mtime (what "never changed" means)."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            out[str(p.relative_to(root))] = (
                hashlib.sha256(p.read_bytes()).hexdigest(),
                p.stat().st_mtime_ns,
            )
    return out


def windows_safe(name: str) -> bool:
    for seg in name.split("/"):
        if not seg or seg != seg.rstrip(". ") or FORBIDDEN & set(seg):
            return False
        if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in seg):
            return False
        if seg.split(".")[0].upper() in RESERVED:
            return False
    return len(name) <= MAX_PATH


def test_the_pack_holds_every_counted_material_once_and_the_index_matches(ws, capsys, tmp_path):
    pack_week(ws)
    before = tree(ws.inbox)
    out = tmp_path / "pack.zip"
    code, printed, _ = call(ws, capsys, "report", "pack", "--output", str(out))
    assert code == 0 and printed.strip() == str(out)
    rows = materials(ws, capsys)
    got = members(out)
    shas = Counter(hashlib.sha256(b).hexdigest() for b in got.values())
    assert shas == counted_shas(rows)
    # Attachments and zip members are in it, written out from inside their holders.
    assert any(r["path"].startswith(MAIL + "#材料.zip!") for r in rows)
    assert "舞钢市教育体育局/05-14/照片-02-活动照片1.jpg" in got
    assert "平顶山职业技术学院/方案/活动方案-01-平职院活动方案.docx" in got
    assert "宝丰县教育体育局/05-15/照片-01-照片1.jpg" in got
    assert all(windows_safe(n) for n in got)

    header, table, wb = index_rows(out)
    assert header[:5] == ["单位", "栏目", "类型", "原路径", "包内名称"]
    in_pack = [r for r in table if r[4]]
    # Every row names a member with that content, and every member has its row.
    assert sorted(r[4] for r in in_pack) == sorted(got)
    for r in in_pack:
        assert hashlib.sha256(got[r[4]]).hexdigest() == r[10]
        assert r[9] == len(got[r[4]])  # a real number
        assert isinstance(r[5], dt.datetime)  # a real date, local time
    by_path = {r["path"]: r for r in rows}
    for r in in_pack:
        assert by_path[r[3]]["sha256"] == r[10]
    # The copy is listed as left out, by what it copies.
    (copy,) = [r for r in table if not r[4]]
    assert copy[3] == "舞钢市/5月13日活动照片1 - 副本.jpg" and "重复" in copy[11]
    late = next(r for r in in_pack if r[3] == "宝丰县/5月14日典型案例.docx")
    assert late[6] == "迟交"
    assert wb.worksheets[0].freeze_panes == "A3"
    counts = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert counts[-1][0] == "合计" and counts[-1][-1] == len(got)
    assert tree(ws.inbox) == before  # nothing in the inbox changed


def test_recommended_only_holds_exactly_the_marked(ws, capsys, tmp_path):
    pack_week(ws)
    marked = [
        f"{MAIL}#活动照片2.jpg",
        f"{BUNDLE}!新闻稿.docx",
        "舞钢市/5月13日新闻稿.docx",
    ]
    assert call(ws, capsys, "recommend", *marked[:2], "--note", "画面好")[0] == 0
    assert call(ws, capsys, "recommend", marked[2], "--note", "=1+1")[0] == 0
    out = tmp_path / "best.zip"
    assert call(ws, capsys, "report", "pack", "--recommended", "--output", str(out))[0] == 0
    rows = {r["path"]: r for r in materials(ws, capsys)}
    got = members(out)
    assert Counter(hashlib.sha256(b).hexdigest() for b in got.values()) == Counter(
        rows[p]["sha256"] for p in marked
    )
    assert all(n.startswith("推荐/") for n in got)
    _, table, wb = index_rows(out)
    notes = {r[3]: (r[7], r[8]) for r in table}
    assert notes[marked[0]] == ("是", "画面好") and notes[marked[2]] == ("是", "=1+1")
    # A note that looks like a formula is kept as text, never computed by Excel.
    (cell,) = [c for row in wb.worksheets[0].iter_rows() for c in row if c.value == "=1+1"]
    assert cell.data_type == "s"


def test_choices_narrow_the_pack(ws, capsys, tmp_path):
    pack_week(ws)
    rows = materials(ws, capsys)
    out = tmp_path / "p.zip"
    args = ["report", "pack", "--units", "宝丰县", "--kinds", "照片,case", "--output", str(out)]
    assert call(ws, capsys, *args)[0] == 0
    want = Counter(
        r["sha256"]
        for r in rows
        if r["unit"] == "baofeng" and r["kind"] in ("photo", "case") and not r["quarantine"]
    )
    assert Counter(hashlib.sha256(b).hexdigest() for b in members(out).values()) == want
    args = ["report", "pack", "--units", "宝丰县", "--exclude-late", "--cells", "5月14日"]
    code, _, err = call(ws, capsys, *args, "--output", str(out))
    # 宝丰's only file of the 14th came late: nothing is left to pack.
    assert code == 2 and "empty" in err and len(err.strip().splitlines()) == 1


def test_a_dated_pack_lands_in_reports_by_default(ws, capsys):
    pack_week(ws)
    code, printed, _ = call(ws, capsys, "report", "pack")
    path = Path(printed.strip())
    assert code == 0 and path.parent == ws.root / "reports" and path.name.startswith("pack-")
    assert zipfile.ZipFile(path).testzip() is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--output", "inbox/pack.zip"], "inside the inbox"),
        (["--output", "inbox/"], "inside the inbox"),
        (["--kinds", "selfies"], "unknown kind"),  # photos is photo, as in a file name
        (["--units", "洛阳"], "no unit"),
        (["--cells", "5月30日"], "5月30日"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(ws, capsys, monkeypatch, args, message):
    pack_week(ws)
    before = tree(ws.inbox)
    monkeypatch.chdir(ws.root)
    code, _, err = call(ws, capsys, "report", "pack", *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert tree(ws.inbox) == before
    assert not (ws.root / "reports").exists()


def test_an_unknown_name_mode_is_refused_by_the_parser(ws, capsys):
    code, _, err = call(ws, capsys, "report", "pack", "--names", "latin1")
    assert code == 2 and "latin1" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "name, safe",
    [
        ("CON.docx", "_CON.docx"),
        ("con", "_con"),
        ("LPT9.txt", "_LPT9.txt"),
        ("CONTRACT.docx", "CONTRACT.docx"),  # only the device names themselves
        ("a:b?.jpg", "a：b？.jpg"),
        ('x<y>|"z*.png', "x＜y＞｜＂z＊.png"),
        ("新闻\n稿.docx", "新闻 稿.docx"),
        ("照片\x1b[31m.jpg", "照片_[31m.jpg"),
        ("\u202egpj.exe", "_gpj.exe"),
        ("总结. . .", "总结"),
        ("  ", "_"),
    ],
)
def test_a_segment_survives_windows(name, safe):
    assert safe_segment(name) == safe
    assert windows_safe(safe_segment(name))


def test_long_names_are_shortened_keeping_the_extension_and_case_twins_kept_apart():
    namer = Namer()
    long = "活动" * 150 + ".docx"  # 305 characters
    path = namer.place(Slot(("舞钢市教育体育局", "05-13"), long))
    assert len(path) <= MAX_PATH and path.endswith(".docx") and windows_safe(path)
    a = namer.place(Slot(("舞钢市教育体育局", "05-13"), "Photo.JPG"))
    b = namer.place(Slot(("舞钢市教育体育局", "05-13"), "photo.jpg"))
    assert a.casefold() != b.casefold() and b.endswith(" (2).jpg")


def test_hostile_names_come_out_safe_and_distinct(ws, capsys, tmp_path):
    hostile = [
        "CON.docx",
        "a:b?.jpg",
        "照" * 300 + ".jpg",  # longer than any disk allows: only a zip can hold it
        "Photo.jpg",
        "photo.jpg",
        "新闻\n稿.docx",
        "AUX",
    ]
    drop(ws, "舞钢市/5月13日材料.zip", at(13, 9), zip_bytes([(n, n.encode()) for n in hostile]))
    assert call(ws, capsys, "ingest")[0] == 0
    out = tmp_path / "h.zip"
    assert call(ws, capsys, "report", "pack", "--output", str(out))[0] == 0
    got = members(out)
    assert len(got) == len(hostile)
    assert len({n.casefold() for n in got}) == len(got)
    assert all(windows_safe(n) for n in got), [n for n in got if not windows_safe(n)]
    assert sorted(got.values()) == sorted(n.encode() for n in hostile)  # each one, unchanged


def _central(path: Path) -> list[tuple[int, bytes, bytes]]:
    """(flags, raw name, extra) of every entry, read from the central directory by hand."""
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    count, _, offset = struct.unpack_from("<HII", data, end + 10)
    out = []
    pos = offset
    for _ in range(count):
        assert data[pos : pos + 4] == b"PK\x01\x02"
        flags = struct.unpack_from("<H", data, pos + 8)[0]
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        name = data[pos + 46 : pos + 46 + n]
        extra = data[pos + 46 + n : pos + 46 + n + m]
        out.append((flags, name, extra))
        pos += 46 + n + m + k
    return out


def _unicode_path(extra: bytes) -> tuple[int, int, str] | None:
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        if tag == 0x7075:
            return body[0], struct.unpack_from("<I", body, 1)[0], body[5:].decode("utf-8")
        i += 4 + size
    return None


def test_gbk_names_carry_the_unicode_path_field_and_a_name_outside_gbk_falls_back(
    ws, capsys, tmp_path
):
    pack_week(ws)
    drop(ws, "舞钢市/5月16日活动😀照片.jpg", at(16, 10), b"emoji")
    assert call(ws, capsys, "ingest")[0] == 0
    out = tmp_path / "gbk.zip"
    assert call(ws, capsys, "report", "pack", "--names", "gbk", "--output", str(out))[0] == 0
    entries = _central(out)
    # How unzip, 7-Zip and weekwatch's own bundle reader name each member (the field first).
    names = {bundle.member_name(i) for i in zipfile.ZipFile(out).infolist()}
    fallen = []
    for flags, raw, extra in entries:
        if flags & 0x800:
            fallen.append(raw.decode("utf-8"))
            continue
        name = raw.decode("gbk")
        assert name in names
        field = _unicode_path(extra)
        assert field is not None and field == (1, zlib.crc32(raw), name)
    assert fallen == ["舞钢市教育体育局/05-16/照片-01-5月16日活动😀照片.jpg"]
    _, table, _ = index_rows(out)
    flagged = [r for r in table if r[11] and "UTF-8" in r[11]]
    assert [r[4] for r in flagged] == fallen
    # UTF-8 by default: every non-ASCII name has the flag.
    plain = tmp_path / "utf8.zip"
    assert call(ws, capsys, "report", "pack", "--output", str(plain))[0] == 0
    assert all(f & 0x800 for f, raw, _ in _central(plain) if not raw.isascii())


def test_a_message_body_and_a_forwarded_messages_files_are_packed_from_inside(ws, capsys, tmp_path):
    from weekwatch.fixtures.mails import CLIENTS, Draft, File

    inner = CLIENTS["163"](
        Draft(
            "wg@example.com",
            "王敏",
            "舞钢市5月16日活动照片",
            at(16, 9),
            files=[File("a.jpg", b"fwd-photo")],
        )
    )
    outer = Draft("wg@example.com", "王敏", "转发：舞钢市5月16日", at(16, 10), forwarded=inner)
    drop(ws, "mail/fwd.eml", at(16, 10, 1), CLIENTS["foxmail"](outer))
    body = Draft(
        "wg@example.com", "王敏", "舞钢市5月16日新闻稿", at(16, 11), body="今天举行了开放日。"
    )
    drop(ws, "mail/body.eml", at(16, 11, 1), CLIENTS["qqmail"](body))
    assert call(ws, capsys, "ingest")[0] == 0
    rows = materials(ws, capsys)
    out = tmp_path / "m.zip"
    assert call(ws, capsys, "report", "pack", "--output", str(out))[0] == 0
    got = members(out)
    assert Counter(hashlib.sha256(b).hexdigest() for b in got.values()) == counted_shas(rows)
    assert b"fwd-photo" in got.values()
    (text,) = [n for n in got if n.endswith(".txt")]
    assert "今天举行了开放日。".encode() in got[text]


def test_on_a_terminal_the_pack_shows_its_progress_and_off_one_it_does_not(ws, tmp_path):
    """A bar on the operator's terminal (stderr a real pty), nothing of it in a cron job's log."""
    import pty
    import subprocess
    import sys

    pack_week(ws)
    cmd = [sys.executable, "-m", "weekwatch", "-w", str(ws.root), "report", "pack"]
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen(
        [*cmd, "--output", str(tmp_path / "tty.zip")],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the pty's other end closed: the command has finished
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0 and out.decode().strip() == str(tmp_path / "tty.zip")
    shown = seen.decode("utf-8", "replace")
    assert "打包" in shown or "写入目录" in shown, shown
    assert "━" in shown  # the bar itself
    piped = subprocess.run(
        [*cmd, "--output", str(tmp_path / "pipe.zip")], capture_output=True, env=env, timeout=60
    )
    assert piped.returncode == 0
    assert "打包" not in piped.stderr.decode() and "━" not in piped.stderr.decode()
    assert members(tmp_path / "tty.zip").keys() == members(tmp_path / "pipe.zip").keys()
