"""A material's bytes read back from wherever it is held (store/contents.py): a plain file, an
e-mail's attachment, a zip's member, a zip attached to an e-mail, a forwarded message's
attachment, two attachments of one name — each the bytes the unit sent, the inbox unchanged."""

from __future__ import annotations

import hashlib

import pytest

from weekwatch.fixtures.mails import Draft, File, foxmail, outlook
from weekwatch.fixtures.testweek import at, clock_at, drop
from weekwatch.fixtures.zips import zip_bytes
from weekwatch.store.contents import Unreadable, material_bytes
from weekwatch.store.week import Week

SENT = {
    "舞钢市/统计表.csv": b"plain,1\r\n",
    "a.zip!2024-05-13/舞钢照片.jpg": b"jpeg" * 100,
    "a.zip!统计表.csv": b"zip,2\r\n",
    "mail/m.eml#统计表.xlsx": b"first copy",
    "mail/m.eml#统计表 (2).xlsx": b"second copy",
    "mail/m.eml#材料.zip!舞钢_情况统计表.csv": b"in a zip in a mail",
    # Outlook's forward (message/rfc822): its attachment is read among the message's own.
    "mail/f.eml#统计表.xls": b"forwarded",
}


def test_every_material_reads_back_as_sent(ws):
    drop(ws, "舞钢市/统计表.csv", at(19, 9), SENT["舞钢市/统计表.csv"])
    zipped = [("2024-05-13/舞钢照片.jpg", SENT["a.zip!2024-05-13/舞钢照片.jpg"])]
    zipped.append(("统计表.csv", SENT["a.zip!统计表.csv"]))
    drop(ws, "a.zip", at(19, 9), zip_bytes(zipped, encoding="gbk"))
    inner_zip = zip_bytes(
        [("舞钢_情况统计表.csv", SENT["mail/m.eml#材料.zip!舞钢_情况统计表.csv"])]
    )
    files = [
        File("统计表.xlsx", SENT["mail/m.eml#统计表.xlsx"]),
        File("统计表.xlsx", SENT["mail/m.eml#统计表 (2).xlsx"]),
        File("材料.zip", inner_zip),
    ]
    draft = Draft("wg@example.com", "王敏", "舞钢市 情况统计表", at(19, 10), files=files)
    drop(ws, "mail/m.eml", at(19, 10), foxmail(draft))
    inner = foxmail(
        Draft(
            "wg@example.com", "王敏", "统计表", at(19, 8), files=[File("统计表.xls", b"forwarded")]
        )
    )
    fwd = Draft("wg@example.com", "王敏", "转发", at(19, 11), forwarded=inner)
    drop(ws, "mail/f.eml", at(19, 11), outlook(fwd))
    before = {p: p.read_bytes() for p in ws.inbox.rglob("*") if p.is_file()}
    week = Week(ws, clock=clock_at(at(20)))
    week.ingestor().scan()
    # Every material reads back (its SHA-256 checked), the ones sent as the unit sent them.
    got = {m.path: material_bytes(ws.inbox, m) for m in week.store.materials()}
    assert {p: got.get(p) for p in SENT} == SENT
    assert "mail/f.eml#统计表.eml" in got  # the forwarded message itself, through its holder
    assert {p: p.read_bytes() for p in ws.inbox.rglob("*") if p.is_file()} == before


def test_a_rewritten_or_removed_holder_is_said_so(ws):
    drop(ws, "a.zip", at(19, 9), zip_bytes([("舞钢_统计表.csv", b"1")]))
    week = Week(ws, clock=clock_at(at(20)))
    week.ingestor().scan()
    (m,) = [m for m in week.store.materials() if m.path.startswith("a.zip!")]
    assert material_bytes(ws.inbox, m) == b"1" and m.sha256 == hashlib.sha256(b"1").hexdigest()
    drop(ws, "a.zip", at(19, 9), zip_bytes([("舞钢_统计表.csv", b"2")]))
    with pytest.raises(Unreadable) as e:
        material_bytes(ws.inbox, m)
    assert e.value.code == "changed"
    (ws.inbox / "a.zip").unlink()
    with pytest.raises(Unreadable) as e:
        material_bytes(ws.inbox, m)
    assert e.value.code == "gone"
