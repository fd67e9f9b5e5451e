"""Zip bundles: member names as tools write them, safety limits, members as materials."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.fixtures.zips import ENCRYPTED, bomb, zip_bytes
from weekwatch.store import bundle
from weekwatch.store.week import Week

NAME = "舞钢市/2024-05-13/活动照片1.jpg"


def put(ws, rel, data, when=None):
    return drop(ws, rel, when, data)


@pytest.mark.parametrize(
    "how",
    [
        {"encoding": "utf-8"},  # macOS, 7-Zip: the UTF-8 flag
        {"encoding": "gbk"},  # Chinese Windows' own zip: GBK bytes, no flag
        {"encoding": "gb18030"},
        {"encoding": "utf-8", "flag": False},  # Info-ZIP on Linux: UTF-8 bytes, no flag
        {"encoding": "gbk", "unicode_field": True},  # Info-ZIP: raw name + Unicode Path field
    ],
    ids=["utf8-flag", "gbk", "gb18030", "utf8-no-flag", "unicode-path-field"],
)
def test_member_names_are_read_as_written(how):
    data = zip_bytes([(NAME, b"jpeg"), ("喆镕/说明.txt", b"t")], **how)
    # 喆 and 镕 are in GBK but not in GB2312: GB18030, the superset, reads them all.
    assert [m.name for m in bundle.members(io.BytesIO(data))] == [NAME, "喆镕/说明.txt"]


def test_a_stale_unicode_path_field_is_not_trusted():
    data = zip_bytes([(NAME, b"x")], encoding="gbk", unicode_field=True)
    # A tool renamed the member after the field was written: the CRC no longer matches.
    raw = NAME.encode("gbk")
    renamed = "宝丰县/2024-05-13/活动照片1.jpg".encode("gbk")
    assert len(renamed) == len(raw)
    data = data.replace(raw, renamed, 2)  # local and central headers, not the extra field
    assert [m.name for m in bundle.members(io.BytesIO(data))] == ["宝丰县/2024-05-13/活动照片1.jpg"]


def test_cp437_is_the_last_resort():
    raw = bytes([0x80, 0x81, 0xFF]) + b".jpg"  # neither UTF-8 nor GB18030
    info = zipfile.ZipInfo(raw.decode("cp437"))
    assert bundle.member_name(info) == raw.decode("cp437")


def test_members_are_hashed_while_streamed():
    big = os.urandom(3 * bundle.CHUNK + 5)
    data = zip_bytes([("a/b.mp4", big), ("__MACOSX/a/._b.mp4", b"fork"), (".DS_Store", b"")])
    (m,) = bundle.members(io.BytesIO(data))
    assert (m.name, m.size, m.sha256) == ("a/b.mp4", len(big), hashlib.sha256(big).hexdigest())


@pytest.mark.parametrize(
    ("name", "read_as"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/舞钢市照片.jpg", "舞钢市照片.jpg"),
        ("C:\\Users\\a\\照片.jpg", "照片.jpg"),
        ("舞钢市\\5月13日\\照片.jpg", "舞钢市/5月13日/照片.jpg"),  # Windows separators
        ("./舞钢市/照片.jpg", "舞钢市/照片.jpg"),
    ],
)
def test_climbing_or_absolute_member_paths_are_names_only(name, read_as):
    assert bundle.safe_member_path(name) == read_as


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (ENCRYPTED, "encrypted"),
        (b"PK\x03\x04 not really a zip", "not a readable zip"),
        (bomb(), "compresses more than 100:1"),
        (
            zip_bytes((f"{i}.jpg", b"x") for i in range(bundle.MAX_MEMBERS + 1)),
            "more than 10,000 files",
        ),
    ],
    ids=["encrypted", "not-a-zip", "bomb", "too-many"],
)
def test_unsafe_bundles_are_refused_whole(data, why):
    with pytest.raises(bundle.UnsafeBundle, match=why):
        list(bundle.members(io.BytesIO(data)))


def test_a_corrupt_member_is_caught_by_its_crc():
    payload = b"0123456789" * 50
    data = bytearray(zip_bytes([("舞钢市/照片.jpg", payload)]))
    # Flip one byte of the compressed data (it follows the 30-byte local header and the name).
    offset = 30 + len("舞钢市/照片.jpg".encode()) + 3
    data[offset] ^= 0xFF
    with pytest.raises(bundle.UnsafeBundle, match="corrupt"):
        list(bundle.members(io.BytesIO(bytes(data))))


def test_the_total_size_limit_counts_bytes_produced(monkeypatch):
    monkeypatch.setattr(bundle, "MAX_TOTAL", 1000)
    data = zip_bytes([("a.jpg", os.urandom(600)), ("b.jpg", os.urandom(600))])
    with pytest.raises(bundle.UnsafeBundle, match="2 GB"):
        list(bundle.members(io.BytesIO(data)))


def test_a_small_blank_member_is_no_bomb():
    data = zip_bytes([("舞钢市/空白.bmp", bytes(200_000))])  # ~1,000:1, but only 200 kB
    assert [m.size for m in bundle.members(io.BytesIO(data))] == [200_000]


# --- bundles in the inbox --------------------------------------------------------------------


def placed(ws):
    return {
        p.material.path: (p.unit, p.cell, p.kind, p.quarantine.text() if p.quarantine else None)
        for p in Week(ws).placed()
        if not p.material.superseded and not p.material.gone
    }


def test_each_member_is_a_material_read_like_a_path_under_the_inbox(ws):
    data = zip_bytes(
        [
            ("舞钢市/2024-05-13/活动照片1.jpg", b"a"),
            ("舞钢市/2024-05-13/典型案例.docx", b"b"),
            ("宝丰县/5月14日/稿件.docx", b"c"),
            ("宝丰县/总结.docx", b"d"),
        ],
        encoding="gbk",
    )
    put(ws, "本周材料.zip", data, at(14, 10))
    batch = Week(ws).ingestor().scan()
    assert len(batch.added) == 4
    assert placed(ws) == {
        "本周材料.zip!舞钢市/2024-05-13/活动照片1.jpg": ("wugang", "2024-05-13", "photo", None),
        "本周材料.zip!舞钢市/2024-05-13/典型案例.docx": ("wugang", "2024-05-13", "case", None),
        "本周材料.zip!宝丰县/5月14日/稿件.docx": ("baofeng", "2024-05-14", "report", None),
        "本周材料.zip!宝丰县/总结.docx": ("baofeng", "summary", "summary", None),
    }
    assert not (ws.inbox / "舞钢市").exists()  # nothing extracted


def test_the_zips_name_and_folder_are_the_fallback(ws):
    put(ws, "舞钢市/5月13日照片.zip", zip_bytes([("IMG_0001.JPG", b"1"), ("说明.docx", b"2")]))
    put(ws, "平职院_典型案例.zip", zip_bytes([("第3天/1.docx", b"3")]), at(16, 9))
    put(ws, "无名.zip", zip_bytes([("1.jpg", b"4")]), at(13, 9))
    Week(ws).ingestor().scan()
    got = placed(ws)
    assert got["舞钢市/5月13日照片.zip!IMG_0001.JPG"] == ("wugang", "2024-05-13", "photo", None)
    assert got["舞钢市/5月13日照片.zip!说明.docx"] == ("wugang", "2024-05-13", "photo", None)
    assert got["平职院_典型案例.zip!第3天/1.docx"] == ("pzy", "2024-05-14", "case", None)
    unit, cell, kind, why = got["无名.zip!1.jpg"]
    assert (unit, cell, kind) == (None, "2024-05-13", "photo") and "no unit" in why


def test_the_members_own_unit_comes_before_the_zips(ws):
    put(ws, "舞钢市/转交.zip", zip_bytes([("宝丰县/5月13日/照片.jpg", b"1")]))
    Week(ws).ingestor().scan()
    assert placed(ws)["舞钢市/转交.zip!宝丰县/5月13日/照片.jpg"][:2] == ("baofeng", "2024-05-13")


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("舞钢市/加密.zip", ENCRYPTED, "encrypted"),
        ("舞钢市/炸弹.zip", bomb(), "100:1"),
        ("舞钢市/5月13日照片.rar", b"Rar!\x1a\x07\x00", "unsupported archive (rar): unpack it"),
        ("舞钢市/5月13日照片.7z", b"7z\xbc\xaf\x27\x1c", "unsupported archive (7z): unpack it"),
        ("舞钢市/空.zip", zip_bytes([]), "holds no files"),
    ],
)
def test_unsafe_or_unreadable_bundles_wait_in_quarantine_whole(ws, name, data, why):
    put(ws, name, data, at(13, 9))
    Week(ws).ingestor().scan()
    got = placed(ws)
    assert list(got) == [name]
    unit, _, _, reason = got[name]
    assert unit == "wugang" and why in reason
    assert (ws.inbox / name).read_bytes() == data  # never changed


def test_rescans_rewrites_and_removals(ws):
    week = Week(ws)
    z = put(ws, "舞钢市/照片.zip", zip_bytes([("5月13日/1.jpg", b"1"), ("5月13日/2.jpg", b"2")]))
    os.utime(z, (at(13, 9).timestamp(),) * 2)
    week.ingestor().scan()
    stamp = week.store.stamp()
    assert not week.ingestor().scan().changed and week.store.stamp() == stamp  # quiet inbox

    # Rewritten: 1.jpg kept (same content), 2.jpg changed, 3.jpg new, nothing else.
    z.write_bytes(zip_bytes([("5月13日/1.jpg", b"1"), ("5月13日/2.jpg", b"22"), ("3.jpg", b"3")]))
    os.utime(z, (at(13, 11).timestamp(),) * 2)
    batch = week.ingestor().scan()
    assert sorted(m.path.split("!")[1] for m in batch.added) == ["3.jpg", "5月13日/2.jpg"]
    first = [m for m in week.store.materials() if m.path.endswith("!5月13日/1.jpg")]
    assert len(first) == 1 and first[0].received_at == at(13, 9)  # its first arrival holds
    assert sorted(m.superseded for m in week.store.materials() if "2.jpg" in m.path) == [
        False,
        True,
    ]

    z.unlink()
    batch = week.ingestor().scan()
    assert len(batch.gone) == 3 and placed(ws) == {}


def test_a_duplicate_member_counts_once(ws):
    put(ws, "舞钢市/5月13日照片.jpg", b"same photo", at(13, 9))
    put(ws, "舞钢市/照片.zip", zip_bytes([("5月13日/照片.jpg", b"same photo")]), at(13, 10))
    week = Week(ws)
    week.ingestor().scan()
    assert week.board(at(13, 13)).cell("wugang", "2024-05-13").count == 1
    dup = {p.material.path: p.duplicate_of for p in week.placed()}
    assert dup["舞钢市/照片.zip!5月13日/照片.jpg"] == "舞钢市/5月13日照片.jpg"


def cli(ws, *args):
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args], capture_output=True, text=True, env=env
    )


def test_assigning_a_whole_bundle_then_undoing(ws):
    put(ws, "无名.zip", zip_bytes([("5月13日/1.jpg", b"1"), ("5月14日/2.jpg", b"2")]), at(13, 9))
    assert cli(ws, "ingest").returncode == 0
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert {r["path"] for r in rows} == {"无名.zip!5月13日/1.jpg", "无名.zip!5月14日/2.jpg"}
    assert all(r["quarantine"] for r in rows)

    r = cli(ws, "assign", "无名.zip", "--unit", "baofeng")
    assert r.returncode == 0, r.stderr
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert {(r["unit"], r["cell"], r["quarantine"]) for r in rows} == {
        ("baofeng", "2024-05-13", None),
        ("baofeng", "2024-05-14", None),
    }
    # One member alone, elsewhere: its own assignment wins over the bundle's.
    assert cli(ws, "assign", "无名.zip!5月14日/2.jpg", "--unit", "pzy").returncode == 0
    rows = {r["path"]: r["unit"] for r in json.loads(cli(ws, "materials", "--json").stdout)}
    assert rows == {"无名.zip!5月13日/1.jpg": "baofeng", "无名.zip!5月14日/2.jpg": "pzy"}

    assert cli(ws, "undo").returncode == 0
    assert cli(ws, "undo").returncode == 0
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert all(r["quarantine"] and r["unit"] is None for r in rows)
    assert cli(ws, "excuse", "baofeng", "3", "--reason", "停电").returncode == 0


def test_a_zip_written_before_this_release_is_read_anew(ws):
    """A workspace that recorded a zip as one opaque file gets its members, not both."""
    week = Week(ws)
    put(ws, "舞钢市/照片.zip", zip_bytes([("5月13日/1.jpg", b"1")]), at(13, 9))
    from weekwatch.store import composite

    real = composite.is_composite
    composite.is_composite = lambda inbox, rel: False
    try:
        week.ingestor().scan()
    finally:
        composite.is_composite = real
    assert list(placed(ws)) == ["舞钢市/照片.zip"]
    week.ingestor().scan()
    assert list(placed(ws)) == ["舞钢市/照片.zip!5月13日/1.jpg"]


def test_a_zip_with_a_member_removed_is_read_once(ws, monkeypatch):
    """A unit sends its day's photos again without one of them: the zip is read once, the
    missing photo's record marked gone, and every later scan leaves the zip alone (it was
    read again at every scan, its records rewritten, every dashboard woken)."""
    week = Week(ws)
    z = put(ws, "舞钢市/5月13日照片.zip", zip_bytes([("1.jpg", b"1"), ("2.jpg", b"2")]))
    os.utime(z, (at(13, 9).timestamp(),) * 2)
    week.ingestor().scan()
    z.write_bytes(zip_bytes([("1.jpg", b"1")]))
    os.utime(z, (at(13, 11).timestamp(),) * 2)
    batch = week.ingestor().scan()
    assert [m.path for m in batch.gone] == ["舞钢市/5月13日照片.zip!2.jpg"]
    assert list(placed(ws)) == ["舞钢市/5月13日照片.zip!1.jpg"]

    from weekwatch.store import composite

    opened: list[str] = []

    parts = composite.Unpacker.parts

    def counting(self, inbox, relpath, *args):
        opened.append(relpath)
        return parts(self, inbox, relpath, *args)

    monkeypatch.setattr(composite.Unpacker, "parts", counting)
    stamp = week.store.stamp()
    for _ in range(2):
        assert not week.ingestor().scan().changed
    assert opened == [] and week.store.stamp() == stamp
