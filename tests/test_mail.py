"""Saved e-mails and Maildirs: each attachment a material, read as Chinese mail clients write."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.mails import CLIENTS, Draft, File, outlook, qqmail, word
from weekwatch.fixtures.testweek import TZ, at, drop
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store import mail
from weekwatch.store.model import Unit
from weekwatch.store.reasons import Code
from weekwatch.store.week import Week

PHOTOS = Draft(
    "WG@Example.com",  # case differs from the roster's wg@example.com
    "王喆",  # 喆: GBK, not GB2312
    "5月13日活动照片及典型案例",
    at(13, 11, 58),
    body="朱镕基职教中心的同学们在实训室。",  # 镕: GBK, not GB2312
    files=(
        File("活动照片1.jpg", b"jpeg-1", "image/jpeg"),
        File(None, b"png-without-a-name", "image/png"),
        File("典型案例（舞钢）.docx", b"docx-1", "application/msword"),
        File("logo.png", b"tiny logo", "image/png", cid="sig-logo@qq"),
    ),
)


@pytest.mark.parametrize("client", list(CLIENTS))
def test_each_clients_message_reads_the_same(client):
    m = mail.parse(CLIENTS[client](PHOTOS))
    assert m.address == "wg@example.com"
    assert m.sender == "王喆 <wg@example.com>"
    assert m.subject == "5月13日活动照片及典型案例"
    assert m.date == at(13, 11, 58)
    # The nameless part is named by its type and place; the signature logo is no material.
    assert [a.name for a in m.attachments] == [
        "活动照片1.jpg",
        "image-png-2.png",
        "典型案例（舞钢）.docx",
    ]
    assert [a.data for a in m.attachments] == [b"jpeg-1", b"png-without-a-name", b"docx-1"]
    assert m.body.decode() == "朱镕基职教中心的同学们在实训室。"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('attachment; filename="plain.jpg"', "plain.jpg"),
        (f'attachment; filename="{word("照片.jpg", "gb2312")}"', "照片.jpg"),
        (f'attachment; filename="{word("王喆.jpg", "gb2312")}"', "王喆.jpg"),  # GBK in gb2312
        ("attachment; filename*=gbk''%D5%D5%C6%AC.jpg", "照片.jpg"),
        (
            "attachment; filename*0*=utf-8''%E6%B4%BB%E5%8A%A8; filename*1*=%E7%85%A7.jpg",
            "活动照.jpg",
        ),
        ('attachment; filename*0="day"; filename*1="3.jpg"', "day3.jpg"),
        (
            "attachment; "
            + 'filename="'
            + "照片.jpg".encode("gbk").decode("ascii", "surrogateescape")
            + '"',
            "照片.jpg",
        ),  # raw GBK bytes
        ('attachment; filename="a\\"b.jpg"', 'a"b.jpg'),
    ],
)
def test_file_name_parameters(header, expected):
    assert mail.params(header)["filename"] == expected


@pytest.mark.parametrize(
    ("raw", "charset", "text"),
    [
        ("王喆".encode("gbk"), "gb2312", "王喆"),  # declared GB2312, written GBK
        ("朱镕基".encode("gb18030"), "GBK", "朱镕基"),
        ("舞钢".encode("gbk"), "utf-8", "舞钢"),  # declared wrong
        ("舞钢".encode(), "iso-8859-1", "舞钢"),  # a weak declaration is tried last
        (b"plain", None, "plain"),
        ("舞钢".encode("gbk"), "x-no-such-charset", "舞钢"),
    ],
)
def test_text_in_any_gb_charset_reads_as_gb18030(raw, charset, text):
    assert mail.decode_text(raw, charset) == text


def test_the_first_received_header_stands_in_for_a_missing_date():
    data = qqmail(dataclasses.replace(PHOTOS, date=None))
    data = (
        b"Received: from mx.qq.com by mail.pds-edu.gov.cn; Mon, 13 May 2024 11:59:03 +0800\r\n"
        + data
    )
    assert mail.parse(data).date == at(13, 11, 59).replace(second=3)


# --- messages in the inbox -------------------------------------------------------------------


def placed(ws):
    return {
        p.material.path: (p.unit, p.cell, p.kind, p.quarantine.code if p.quarantine else None)
        for p in Week(ws).placed()
        if not p.superseded and not p.material.gone
    }


def put(ws, rel, data, when=None):
    return drop(ws, rel, when, data)


def test_a_saved_message_is_its_attachments_sent_on_time(ws):
    # Written at 11:58, saved (fetched) at 12:03: the Date header is the arrival.
    put(ws, "mail/0513-舞钢.eml", CLIENTS["foxmail"](PHOTOS), at(13, 12, 3))
    week = Week(ws)
    week.ingestor().scan()
    assert placed(ws) == {
        "mail/0513-舞钢.eml#活动照片1.jpg": ("wugang", "2024-05-13", "photo", None),
        # No keyword in its own name: the subject's (its longest, 典型案例) as for a folder.
        "mail/0513-舞钢.eml#image-png-2.png": ("wugang", "2024-05-13", "case", None),
        "mail/0513-舞钢.eml#典型案例（舞钢）.docx": ("wugang", "2024-05-13", "case", None),
    }
    mats = {m.path: m for m in week.store.materials()}
    m = mats["mail/0513-舞钢.eml#活动照片1.jpg"]
    assert m.received_at == at(13, 11, 58) and m.received_at.tzinfo is not None
    assert m.origin["from"] == "王喆 <wg@example.com>"
    assert m.origin["subject"] == "5月13日活动照片及典型案例"
    assert week.board(at(13, 13)).cell("wugang", "2024-05-13").state == "on_time"
    assert week.ingestor().scan().changed is False  # a quiet inbox stays quiet


def test_the_unit_comes_from_the_sender_then_the_subject_then_the_file_names(ws):
    stranger = dataclasses.replace(PHOTOS, address="someone@163.com", name="某人")
    files = (File("照片.jpg", b"p", "image/jpeg"),)
    put(
        ws,
        "a.eml",
        CLIENTS["163"](dataclasses.replace(stranger, subject="宝丰县5月14日照片", files=files)),
    )
    named = (File("平职院5月14日照片.jpg", b"q", "image/jpeg"),)
    put(ws, "b.eml", outlook(dataclasses.replace(stranger, subject="照片", files=named)))
    two = (File("平职院照片.jpg", b"r", "image/jpeg"), File("宝丰县照片.jpg", b"s", "image/jpeg"))
    put(ws, "c.eml", qqmail(dataclasses.replace(stranger, subject="5月14日照片", files=two)))
    # The sender is a liaison: that wins over a subject naming another unit.
    put(ws, "d.eml", qqmail(dataclasses.replace(PHOTOS, subject="宝丰县5月14日照片", files=files)))
    Week(ws).ingestor().scan()
    got = placed(ws)
    assert got["a.eml#照片.jpg"] == ("baofeng", "2024-05-14", "photo", None)
    assert got["b.eml#平职院5月14日照片.jpg"] == ("pzy", "2024-05-14", "photo", None)
    assert got["c.eml#平职院照片.jpg"][::3] == (None, Code.MAIL_UNITS)
    assert got["c.eml#宝丰县照片.jpg"][::3] == (None, Code.MAIL_UNITS)
    # The reason names the units by name, as the operator knows them, not by id.
    why = next(
        p for p in Week(ws).board(at(15)).quarantined if p.material.path == "c.eml#宝丰县照片.jpg"
    )
    assert (
        why.quarantine.text()
        == "the e-mail's files name different units: 宝丰县教育体育局, 平顶山职业技术学院"
    )
    assert got["d.eml#照片.jpg"] == ("wugang", "2024-05-14", "photo", None)


def test_a_roster_may_list_several_addresses_for_a_unit(ws):
    week = Week(ws)
    week.store.put_units(
        [Unit("baofeng", "宝丰县教育体育局", ("宝丰县",), liaison_email="bf@163.com；Li.Na@qq.com")]
    )
    files = (File("照片.jpg", b"p", "image/jpeg"),)
    put(ws, "x.eml", qqmail(dataclasses.replace(PHOTOS, address="li.na@QQ.com", files=files)))
    Week(ws).ingestor().scan()
    assert placed(ws)["x.eml#照片.jpg"][0] == "baofeng"


def test_a_message_without_attachments_is_one_report(ws):
    put(
        ws,
        "mail/简报.eml",
        CLIENTS["163"](dataclasses.replace(PHOTOS, subject="5月15日活动简报", files=())),
    )
    Week(ws).ingestor().scan()
    assert placed(ws) == {"mail/简报.eml": ("wugang", "2024-05-15", "report", None)}


def test_forwarded_messages_and_zips_are_read_inside(ws):
    original = qqmail(
        dataclasses.replace(
            PHOTOS, subject="5月14日照片", files=(File("活动照片.jpg", b"p", "image/jpeg"),)
        )
    )
    bundle = zip_bytes([("5月16日/视频1.mp4", b"v"), ("舞钢一中照片.jpg", b"j")], encoding="gbk")
    fwd = dataclasses.replace(
        PHOTOS,
        address="office@pds-edu.gov.cn",
        name="办公室",
        subject="转发：舞钢市材料",
        date=at(16, 9),
        files=(File("舞钢材料.zip", bundle, "application/zip"),),
        forwarded=original,
    )
    put(ws, "mail/fwd.eml", outlook(fwd))
    Week(ws).ingestor().scan()
    got = placed(ws)
    assert got == {
        "mail/fwd.eml#舞钢材料.zip!5月16日/视频1.mp4": ("wugang", "2024-05-16", "video", None),
        "mail/fwd.eml#舞钢材料.zip!舞钢一中照片.jpg": ("wugang", "2024-05-16", "photo", None),
        "mail/fwd.eml#5月14日照片.eml#活动照片.jpg": ("wugang", "2024-05-14", "photo", None),
    }
    inner = next(m for m in Week(ws).store.materials() if m.path.endswith("活动照片.jpg"))
    assert inner.within == ("mail/fwd.eml", "mail/fwd.eml#5月14日照片.eml")
    assert inner.received_at == at(13, 11, 58)  # when the unit sent it


def test_a_maildir_reads_new_and_cur_and_waits_for_tmp(ws):
    box = ws.inbox / "邮箱"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    one = (File("照片.jpg", b"1", "image/jpeg"),)
    put(ws, "邮箱/new/1715572680.M1P2.bureau", qqmail(dataclasses.replace(PHOTOS, files=one)))
    two = (File("5月14日案例.docx", b"2", "application/msword"),)
    put(
        ws,
        "邮箱/cur/1715659080.M3P4.bureau:2,S",
        CLIENTS["163"](dataclasses.replace(PHOTOS, files=two)),
    )
    put(ws, "邮箱/tmp/1715659999.M5P6.bureau", b"From: half a mess")
    Week(ws).ingestor().scan()
    assert placed(ws) == {
        "邮箱/new/1715572680.M1P2.bureau#照片.jpg": ("wugang", "2024-05-13", "photo", None),
        "邮箱/cur/1715659080.M3P4.bureau:2,S#5月14日案例.docx": (
            "wugang",
            "2024-05-14",
            "case",
            None,
        ),
    }


def test_the_same_attachment_forwarded_twice_counts_once(ws):
    one = (File("照片.jpg", b"the same photo", "image/jpeg"),)
    put(ws, "a.eml", qqmail(dataclasses.replace(PHOTOS, files=one)))
    put(ws, "b.eml", outlook(dataclasses.replace(PHOTOS, date=at(13, 15), files=one)))
    week = Week(ws)
    week.ingestor().scan()
    assert week.board(at(13, 16)).cell("wugang", "2024-05-13").count == 1
    dups = {p.material.path: p.duplicate_of for p in week.placed()}
    assert dups["b.eml#照片.jpg"] == "a.eml#照片.jpg"


def cli(ws, *args):
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(ws.root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args], capture_output=True, text=True, env=env
    )


def test_assigning_a_whole_message_assigns_every_attachment(ws):
    stranger = dataclasses.replace(PHOTOS, address="x@163.com", subject="材料", name="某人")
    put(ws, "mail/x.eml", qqmail(stranger))
    assert cli(ws, "ingest").returncode == 0
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert len(rows) == 3 and all(r["quarantine_code"] == "no_unit" for r in rows)
    r = cli(ws, "assign", "mail/x.eml", "--unit", "pzy")
    assert r.returncode == 0, r.stderr
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert {(r["unit"], r["cell"]) for r in rows} == {("pzy", "2024-05-13")}
    assert cli(ws, "undo").returncode == 0
    rows = json.loads(cli(ws, "materials", "--json").stdout)
    assert all(r["unit"] is None for r in rows)


def test_a_message_that_is_not_one_still_waits_in_quarantine(ws):
    put(ws, "mail/broken.eml", b"\xff\xfe\x00garbage with no headers at all", at(13, 9))
    Week(ws).ingestor().scan()
    ((path, (unit, cell, kind, code)),) = placed(ws).items()
    assert path == "mail/broken.eml" and code == Code.NO_UNIT and kind == "report"
    assert at(13, 9).tzinfo is TZ
