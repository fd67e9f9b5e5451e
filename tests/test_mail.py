"""Saved e-mails and Maildirs: each attachment a material, read as Chinese mail clients write."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from weekwatch.fixtures.mails import (
    CLIENTS,
    Draft,
    File,
    foxmail,
    outlook,
    outlook_forward,
    outlook_utf8,
    qqmail,
    word,
)
from weekwatch.fixtures.testweek import TZ, at, drop, empty_workspace
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


#: A roster whose liaisons write in: 舞钢 and 宝丰 by e-mail; the bureau's own 职成科 is no unit.
FORWARD_ROSTER = [
    Unit(
        "wugang", "舞钢市教育体育局", ("舞钢市",), "县市区教体局", "", "王喆", "", "wg@example.com"
    ),
    Unit("baofeng", "宝丰县教育体育局", ("宝丰县",), "县市区教体局", "", "李静", "", "bf@qq.com"),
    Unit("pzy", "平顶山职业技术学院", ("平职院",), "高职院校", "", "赵强", "", ""),
]
#: 宝丰's mail as its liaison sent it (Outlook, UTF-8: subject and names in UTF-8).
BAOFENG = Draft(
    "bf@qq.com",
    "李静",
    "5月14日活动照片",
    at(14, 11, 40),
    body="李静老师转来的照片。",
    files=(File("活动照片.jpg", b"baofeng-photo", "image/jpeg"),),
)
#: 舞钢's (Foxmail, gb2312 declared, GBK written), its subject naming no unit.
WUGANG = Draft(
    "wg@example.com",
    "王喆",
    "典型案例",
    at(14, 11, 50),
    files=(File("5月14日典型案例.docx", b"wugang-case", "application/msword"),),
)


def test_the_bureaus_liaison_forwarding_units_mail_credits_each_original_sender(tmp_path):
    """The bureau's own liaison (no unit: 职成科) forwards with Outlook 宝丰's mail as an
    attached .eml (base64, as Exchange writes it) and 舞钢's inline, under a subject naming
    both: each original's sender says whose it is, and no forwarded .eml becomes a body."""
    ws = empty_workspace(tmp_path / "week", FORWARD_ROSTER)
    fwd = Draft(
        "zcxk@pds-edu.gov.cn",
        "市教体局职成科 刘老师",
        "转发：舞钢市、宝丰县5月14日材料",
        at(14, 16, 5),
        body="请查收两个单位的材料。",
    )
    data = outlook_forward(
        fwd, attached=[("5月14日活动照片.eml", outlook_utf8(BAOFENG))], inline=[foxmail(WUGANG)]
    )
    put(ws, "mail/转发两个单位.eml", data)
    Week(ws).ingestor().scan()
    assert placed(ws) == {
        "mail/转发两个单位.eml#5月14日活动照片.eml#活动照片.jpg": (
            "baofeng",
            "2024-05-14",
            "photo",
            None,
        ),
        "mail/转发两个单位.eml#典型案例.eml#5月14日典型案例.docx": (
            "wugang",
            "2024-05-14",
            "case",
            None,
        ),
    }
    got = {m.path: m for m in Week(ws).store.materials()}
    photo = got["mail/转发两个单位.eml#5月14日活动照片.eml#活动照片.jpg"]
    assert photo.origin["from"] == "李静 <bf@qq.com>"
    assert photo.origin["subject"] == "5月14日活动照片"
    assert photo.received_at == at(14, 11, 40)  # when 宝丰 sent it, not when it was forwarded
    assert photo.within == ("mail/转发两个单位.eml", "mail/转发两个单位.eml#5月14日活动照片.eml")
    case = got["mail/转发两个单位.eml#典型案例.eml#5月14日典型案例.docx"]
    assert case.origin["from"] == "王喆 <wg@example.com>"
    week = Week(ws)
    assert week.board(at(14, 17)).cell("baofeng", "2024-05-14").count == 1
    # The pack reads the forwarded photo out of the base64 part, byte for byte.
    from weekwatch.store.composite import open_material

    with open_material(ws.inbox, photo) as f:
        assert f.read() == b"baofeng-photo"


def test_a_unit_forwarding_a_schools_mail_answers_for_it(tmp_path):
    """舞钢's liaison (a unit on the roster) forwards a school's mail (its sender no unit):
    the school's photo counts for 舞钢, as the county bureau passed it on."""
    ws = empty_workspace(tmp_path / "week", FORWARD_ROSTER)
    school = Draft(
        "wgyz@163.com",
        "舞钢一中",
        "5月15日职业体验活动照片",
        at(15, 9, 30),
        files=(File("职业体验.jpg", b"school-photo", "image/jpeg"),),
    )
    fwd = Draft("wg@example.com", "王喆", "FW: 5月15日职业体验活动照片", at(15, 10, 2))
    put(ws, "mail/fw.eml", outlook_forward(fwd, attached=[("照片.eml", CLIENTS["163"](school))]))
    Week(ws).ingestor().scan()
    assert placed(ws) == {
        "mail/fw.eml#照片.eml#职业体验.jpg": ("wugang", "2024-05-15", "photo", None)
    }


def test_a_forwarded_message_naming_nobody_takes_the_forwarders_subject(tmp_path):
    """The original says nothing of whose it is (a colleague's address, a bare subject): the
    bureau liaison's subject (转发：宝丰县…) says it."""
    ws = empty_workspace(tmp_path / "week", FORWARD_ROSTER)
    bare = Draft(
        "someone@126.com", "小张", "照片", at(15, 9), files=(File("1.jpg", b"j", "image/jpeg"),)
    )
    fwd = Draft("zcxk@pds-edu.gov.cn", "职成科", "转发：宝丰县5月15日照片", at(15, 10))
    put(ws, "mail/fw2.eml", outlook_forward(fwd, inline=[qqmail(bare)]))
    Week(ws).ingestor().scan()
    assert placed(ws) == {"mail/fw2.eml#照片.eml#1.jpg": ("baofeng", "2024-05-15", "photo", None)}


@pytest.mark.parametrize(
    ("subject", "quoted"),
    [
        (  # Outlook in Chinese
            "转发: 5月14日活动照片",
            "-----原始邮件-----\n发件人: 李静 <bf@qq.com>\n发送时间: 2024年5月14日 11:40\n"
            "收件人: zhijiao@pds-edu.gov.cn\n主题: 5月14日活动照片",
        ),
        (  # Foxmail and QQ Mail
            "转发：照片",
            "------------------ 原始邮件 ------------------\n"
            '发件人: "李静"<bf@qq.com>;\n发送时间: 2024年5月14日(星期二) 上午11:40\n'
            '收件人: "zhijiao"<zhijiao@pds-edu.gov.cn>;\n主题: 照片',
        ),
        (  # Outlook in English; the sender's address not on the roster, the subject says
            "FW: photos",
            "From: Li Jing <lijing@126.com>\nSent: Tuesday, May 14, 2024 11:40 AM\n"
            "To: zhijiao@pds-edu.gov.cn\nSubject: 宝丰县5月14日活动照片",
        ),
    ],
)
def test_an_inline_forward_is_the_quoted_originals(tmp_path, subject, quoted):
    """Forwarded inline (the original's attachments carried over, its headers quoted in the
    body) by the bureau's liaison: the quoted sender or subject says whose it is."""
    ws = empty_workspace(tmp_path / "week", FORWARD_ROSTER)
    fwd = Draft(
        "zcxk@pds-edu.gov.cn",
        "职成科",
        subject,
        at(14, 16),
        body="请查收。\n\n" + quoted + "\n\n宝丰县活动照片，请查收。",
        files=(File("活动照片.jpg", b"p", "image/jpeg"),),
    )
    put(ws, "mail/fw.eml", outlook(fwd))
    Week(ws).ingestor().scan()
    assert placed(ws) == {"mail/fw.eml#活动照片.jpg": ("baofeng", "2024-05-14", "photo", None)}


def test_a_reply_quoting_the_bureau_is_read_as_its_own(tmp_path):
    """Not a forward (回复：): the message it quotes, even a unit's, does not say whose it is."""
    ws = empty_workspace(tmp_path / "week", FORWARD_ROSTER)
    reply = Draft(
        "lijing@126.com",
        "李静",
        "回复：【2024年职业教育活动周】请报送5月14日材料",
        at(14, 11),
        body="已补报。\n\n-----原始邮件-----\n发件人: 舞钢 <wg@example.com>\n主题: 催报",
        files=(File("照片.jpg", b"x", "image/jpeg"),),
    )
    put(ws, "mail/re.eml", outlook(reply))
    Week(ws).ingestor().scan()
    [(unit, _cell, _kind, _why)] = placed(ws).values()
    assert unit is None  # nobody's by name or address: it waits for the operator


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
