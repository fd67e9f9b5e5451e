"""E-mails as units really send them: a saved `.eml`, or a message in a Maildir, read whole.

Chinese mail clients write headers every way the standards allow and some they do not:
RFC 2047 words in GBK or GB2312 (Foxmail, QQ Mail, 163 Mail), RFC 2231 file names (Outlook,
Thunderbird), raw GBK bytes in a header, a body declared GB2312 that holds GBK-only characters
(喆, 镕). Every GB charset is read as GB18030, the superset; a declared charset that does not
decode is tried as UTF-8, then GB18030, so the operator never sees mojibake.

The headers' parameters are parsed here rather than by `email`'s compat32 `get_param`, which
replaces raw 8-bit bytes by U+FFFD before they could be decoded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import email
import email.errors
import email.header
import email.utils
import hashlib
import io
import mimetypes
import quopri
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, replace
from email.message import Message
from typing import Any

from . import bundle
from .composite import ATTACHMENT, Part, Unpacker, empty_checked, unique
from .model import Reading, Unit
from .reasons import Code, Quarantine

#: A `cid:` image this small, shown in the HTML body, is a signature or a logo, not a material.
SIGNATURE_MAX = 32 * 1024

_GB = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "csgb2312", "gb_2312-80"})
# Declared by clients that did not know better: text in them is tried as UTF-8 and GB18030 first.
_WEAK = frozenset({"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252"})
_FOLD = re.compile(r"\r?\n[ \t]+")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_ADDRESS = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def _codec(charset: str | None) -> str | None:
    cs = (charset or "").strip().strip('"').lower()
    if cs in _GB or cs.startswith("gb"):
        return "gb18030"
    if not cs or cs.startswith(("unknown", "x-unknown")):
        return None
    try:
        return codecs.lookup(cs).name
    except LookupError:
        return None


def decode_text(raw: bytes, charset: str | None = None) -> str:
    """Bytes as text: the declared charset if it decodes, else UTF-8, else GB18030."""
    declared = _codec(charset)
    tries = ["utf-8", "gb18030"]
    if declared and (charset or "").strip().lower() not in _WEAK:
        tries.insert(0, declared)
    elif declared:
        tries.append(declared)
    for codec in tries:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode(declared or "gb18030", errors="replace")


def _raw_bytes(value: str) -> bytes:
    # The parser keeps 8-bit header bytes as surrogate escapes: this gets them back.
    return value.encode("ascii", "surrogateescape")


def decode_header(value: str | None) -> str:
    """A header as text: RFC 2047 words decoded, raw 8-bit bytes decoded, folding undone."""
    if not value:
        return ""
    raw = _raw_bytes(_FOLD.sub(" ", str(value)))
    if not raw.isascii():
        return decode_text(raw).strip()
    text = raw.decode("ascii")
    if not _ENCODED_WORD.search(text):
        return text.strip()
    try:
        parts = email.header.decode_header(text)
    except (ValueError, email.errors.HeaderParseError):
        return text.strip()
    out = []
    for part, charset in parts:
        out.append(part if isinstance(part, str) else decode_text(part, charset))
    return "".join(out).strip()


_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def params(value: str | None) -> dict[str, str]:
    """A header's parameters (`name`, `filename`), decoded: RFC 2231 (with continuations and
    a charset), RFC 2047 words inside quotes (as Outlook and Foxmail write them), raw bytes."""
    if not value:
        return {}
    plain: dict[str, str] = {}
    pieces: dict[str, list[tuple[int, bool, str]]] = {}
    for m in _PARAM.finditer(_FOLD.sub(" ", value)):
        key, text = m.group(1).lower(), m.group(2).strip()
        if text.startswith('"') and text.endswith('"') and len(text) >= 2:
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        if "*" not in key:
            plain.setdefault(key, text)
            continue
        name, _, rest = key.partition("*")
        extended = rest.endswith("*") or rest == ""
        index = rest.rstrip("*")
        pieces.setdefault(name, []).append((int(index) if index.isdigit() else 0, extended, text))
    out = {k: decode_header(v) for k, v in plain.items()}
    for name, segs in pieces.items():
        segs.sort()
        charset = None
        data = b""
        for i, (_, extended, text) in enumerate(segs):
            if extended:
                if i == 0 and text.count("'") >= 2:
                    charset, _, text = text.split("'", 2)
                data += urllib.parse.unquote_to_bytes(text)
            else:
                data += _raw_bytes(text)
        out[name] = decode_text(data, charset)  # RFC 2231 wins over a plain twin
    return out


@dataclass(frozen=True)
class Attachment:
    name: str  # as the sender named it, or made from its content type and place
    data: bytes


@dataclass(frozen=True)
class Mail:
    """What weekwatch reads from one message."""

    address: str  # the sender's address, lower case
    sender: str  # the From header as text
    subject: str
    date: dt.datetime | None
    attachments: tuple[Attachment, ...]
    forwarded: tuple[tuple[str, Mail], ...]  # (name, message) of message/rfc822 parts
    body: bytes  # the text it says, for a message sent without attachments


def _headers(msg: Message) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in msg.raw_items():
        out.setdefault(k.lower(), str(v))
    return out


def _date(headers: dict[str, str]) -> dt.datetime | None:
    candidates = [headers.get("date", "")]
    received = headers.get("received", "")
    if ";" in received:
        candidates.append(received.rsplit(";", 1)[1])
    for text in candidates:
        try:
            when = email.utils.parsedate_to_datetime(_FOLD.sub(" ", text).strip())
        except (TypeError, ValueError, IndexError):
            continue
        if when is None:
            continue
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)  # -0000: UTC, no zone said
    return None


def _leaves(part: Message) -> list[Message]:
    if part.get_content_maintype() == "multipart":
        payload = part.get_payload()
        return [leaf for sub in payload if isinstance(sub, Message) for leaf in _leaves(sub)]
    return [part]


def _inner_message(part: Message) -> Message | None:
    """The message a `message/rfc822` part holds. Exchange (and Outlook through it) at times
    base64-encodes that part, which RFC 2046 forbids: the parser then takes the encoded lines
    for a message without headers. Such a part is decoded and read as the message it is."""
    payload = part.get_payload()
    if not (isinstance(payload, list) and payload and isinstance(payload[0], Message)):
        return None
    msg = payload[0]
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte not in ("base64", "quoted-printable"):
        return msg
    body = msg.get_payload()
    if msg.keys() or not isinstance(body, str):
        raw = msg.as_bytes()  # quoted-printable: its first lines read as headers
    else:
        raw = _raw_bytes(body)
    try:
        data = base64.b64decode(raw) if cte == "base64" else quopri.decodestring(raw)
    except (ValueError, binascii.Error):
        return msg
    return email.message_from_bytes(data)


def _safe_name(name: str) -> str:
    # A name only: a path inside it would read as folders, a control character is never kept.
    name = re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/")).split("/")[-1].strip()
    return name.lstrip(".") or ""


def _made_name(ctype: str, n: int) -> str:
    ext = mimetypes.guess_extension(ctype, strict=False) or ""
    return f"{ctype.replace('/', '-')}-{n}{ext}"


def parse(data: bytes) -> Mail:
    """One message (RFC 5322 bytes) as weekwatch reads it."""
    return _mail(email.message_from_bytes(data))


def _mail(msg: Message) -> Mail:
    headers = _headers(msg)
    sender = decode_header(headers.get("from"))
    shown, address = email.utils.parseaddr(sender)
    address = address.lower()
    if "@" not in address:
        found = _ADDRESS.search(sender)
        address = found.group().lower() if found else ""
    elif shown:
        sender = f"{shown} <{address}>"  # 王敏 <wg@example.com>, without the client's quotes
    subject = decode_header(headers.get("subject"))
    texts: list[tuple[str, bytes]] = []
    files: list[tuple[str | None, str, bytes, str]] = []  # name, content type, data, cid
    forwarded: list[tuple[str, Mail]] = []
    for part in _leaves(msg):
        ph = _headers(part)
        ctype = part.get_content_type()
        disposition = ph.get("content-disposition", "").split(";", 1)[0].strip().lower()
        given = params(ph.get("content-disposition")).get("filename") or params(
            ph.get("content-type")
        ).get("name")
        name = _safe_name(given) if given else None
        if ctype == "message/rfc822":
            inner = _inner_message(part)
            if inner is not None:
                m = _mail(inner)
                forwarded.append((name or f"{_safe_name(m.subject) or 'message'}.eml", m))
            continue
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        if not name and disposition != "attachment" and ctype in ("text/plain", "text/html"):
            charset = params(ph.get("content-type")).get("charset")
            texts.append((ctype, decode_text(payload, charset).encode("utf-8")))
            continue
        cid = ph.get("content-id", "").strip().strip("<>")
        files.append((name, ctype, payload, cid))
    html = b" ".join(t for c, t in texts if c == "text/html").lower()
    attachments: list[Attachment] = []
    for name, ctype, payload, cid in files:
        # A small image drawn in the body (a logo, a signature) is skipped whatever its
        # disposition says: QQ Mail marks those as attachments too. A photo pasted into the
        # body is big, and counts.
        if cid and f"cid:{cid}".lower().encode() in html and len(payload) <= SIGNATURE_MAX:
            continue
        if name and name.lower().endswith(".eml") and payload:
            forwarded.append((name, _mail(email.message_from_bytes(payload))))
            continue
        attachments.append(Attachment(name or _made_name(ctype, len(attachments) + 1), payload))
    plain = [t for c, t in texts if c == "text/plain"]
    body = (plain or [t for _, t in texts] or [b""])[0]
    return Mail(
        address, sender, subject, _date(headers), tuple(attachments), tuple(forwarded), body
    )


# --- the materials of a message -----------------------------------------------------------------


def senders(units: Iterable[Unit]) -> dict[str, frozenset[str]]:
    """Each liaison address on the roster (a unit may list several) → the units using it."""
    out: dict[str, set[str]] = {}
    for u in units:
        for address in _ADDRESS.findall(u.liaison_email or ""):
            out.setdefault(address.lower(), set()).add(u.id)
    return {k: frozenset(v) for k, v in out.items()}


def _subject_segment(subject: str) -> str:
    return subject.replace("/", "／").replace("\\", "＼").strip() or ""


def decide_unit(
    unpacker: Unpacker, mail: Mail, arrived: dt.datetime
) -> tuple[str | None, Quarantine | None]:
    """The message's unit: its sender's address on the roster, else the subject, else the
    attachments' names. Two different units in the last: quarantined, for the operator."""
    by_address = unpacker.senders.get(mail.address, frozenset())
    if len(by_address) == 1:
        return next(iter(by_address)), None
    read = unpacker.reader.read
    quoted = quoted_original(mail)
    if quoted is not None:
        # Forwarded inline (Outlook's 转发, Foxmail's): the attachments are the original's,
        # whose sender and subject the body quotes; they say whose it is before the
        # forwarder's own subject does.
        address, subject = quoted
        by_quoted = unpacker.senders.get(address, frozenset())
        if len(by_quoted) == 1:
            return next(iter(by_quoted)), None
        if subject:
            r = read(_subject_segment(subject), arrived)
            if r.unit is not None:
                return r.unit, None
    if mail.subject:
        r = read(_subject_segment(mail.subject), arrived)
        if r.unit is not None:
            return r.unit, None
        if r.quarantine and r.quarantine.code in (Code.TWO_UNITS, Code.MANY_UNITS):
            return None, Quarantine((r.quarantine.reasons[0],))
    named: set[str] = set()
    for m in _all_mails(mail):
        for a in m.attachments:
            unit = read(a.name, arrived).unit
            if unit is not None:
                named.add(unit)
    if len(named) > 1:
        # By name, as every reason speaks of units (the operator knows no ids).
        names = sorted(unpacker.reader.unit_name(u) for u in named)
        return None, Quarantine.of(Code.MAIL_UNITS, units=names)
    return (next(iter(named)), None) if named else (None, None)


_FORWARD = re.compile(r"^\s*(?:转发|fwd?)\s*[:：]", re.IGNORECASE)
# The original's headers as a forward quotes them: Outlook (发件人: / From:, 主题: / Subject:),
# Foxmail and QQ Mail (------------------ 原始邮件 ------------------, 发件人: "李静"<bf@qq.com>;).
_QUOTED_FROM = re.compile(r"^[ \t>*]*(?:发件人|From)[ \t]*[:：](?P<v>.*)$", re.MULTILINE)
_QUOTED_SUBJECT = re.compile(r"^[ \t>*]*(?:主\s*题|Subject)[ \t]*[:：](?P<v>.*)$", re.MULTILINE)


def quoted_original(mail: Mail) -> tuple[str, str] | None:
    """(address, subject) of the message a forward quotes in its body — a message whose
    subject says it is forwarded (转发：, FW:, Fwd:) — or None."""
    if not _FORWARD.match(mail.subject):
        return None
    text = mail.body.decode("utf-8", errors="replace")
    found = _QUOTED_FROM.search(text)
    if found is None:
        return None
    address = _ADDRESS.search(found.group("v"))
    after = text[found.end() : found.end() + 2000]  # the quoted block's next few lines
    subject = _QUOTED_SUBJECT.search(after)
    return (
        address.group().lower() if address else "",
        subject.group("v").strip() if subject else "",
    )


def _all_mails(mail: Mail) -> list[Mail]:
    return [mail, *(m for _, inner in mail.forwarded for m in _all_mails(inner))]


def origin_of(mail: Mail, size: int) -> dict[str, Any]:
    return {
        "size": size,
        "from": mail.sender,
        "subject": mail.subject,
        "date": mail.date.isoformat() if mail.date else None,
    }


def message_parts(
    unpacker: Unpacker,
    data: bytes,
    path: str,
    arrived: dt.datetime,
    size: int,
    within: tuple[str, ...] = (),
    unit: str | None = None,
) -> list[Part]:
    """Every material of one message at `path`: its attachments (a zip's members), the
    messages forwarded inside it, or its body as one report."""
    return _parts(unpacker, parse(data), path, within, arrived, size, unit)


def _arrival(mail: Mail, arrived: dt.datetime) -> dt.datetime:
    # The Date header is the sender's word for when it was sent: a message written at 11:58
    # and fetched at 12:03 is on time. A clock a day ahead of its arrival is not believed.
    if mail.date is None or mail.date > arrived + dt.timedelta(days=1):
        return arrived
    return mail.date.astimezone(arrived.tzinfo)


def _parts(
    unpacker: Unpacker,
    mail: Mail,
    path: str,
    within: tuple[str, ...],
    arrived: dt.datetime,
    size: int,
    unit: str | None,
    passed_on: tuple[str | None, Quarantine | None] = (None, None),
) -> list[Part]:
    at = _arrival(mail, arrived)
    why: Quarantine | None = None
    given = unit is not None
    if unit is None:
        unit, why = decide_unit(unpacker, mail, at)
        if unit is None and why is None:
            # A forwarded message that names no unit of its own: the forwarder's reading.
            unit, why = passed_on
    origin = origin_of(mail, size)
    subject = _subject_segment(mail.subject)
    outer = f"{path}/{subject}" if subject else path
    held = within or (path,)

    def read(inner: str) -> Reading:
        r = unpacker.read_inside(inner, outer, at, unit)
        return Reading(None, r.kind, r.cell, why) if why is not None else r

    parts: list[Part] = []
    files, forwarded = inner_names(mail)
    for name, a in files:
        inner_path = f"{path}{ATTACHMENT}{name}"
        if bundle.is_bundle(name):
            zipped = unpacker.bundle_parts(
                io.BytesIO(a.data), inner_path, held, f"{outer}/{name}", at, origin, unit
            )
            if why is not None:
                zipped = [_quarantined(p, why) for p in zipped]
            parts += zipped
            continue
        reading = read(name)
        if bundle.is_unsupported(name):
            q = Quarantine.of(Code.ARCHIVE_UNSUPPORTED, ext=name.rsplit(".", 1)[-1].lower())
            reading = Reading(reading.unit, reading.kind, reading.cell, q)
        digest = _sha256(a.data)
        parts.append(
            Part(
                inner_path,
                held,
                digest,
                len(a.data),
                empty_checked(reading, len(a.data)),
                at,
                origin,
            )
        )
    # Whose a forwarded message is: a unit forwarding (a county bureau passing on a school's
    # mail, or the message found in a unit's place) answers for it; anyone else — the
    # bureau's own liaison passing units' mail into the designated mailbox — only carries it,
    # and the original's own sender, subject and names say whose it is.
    answers = given or len(unpacker.senders.get(mail.address, frozenset())) == 1
    for name, inner in forwarded:
        inner_path = f"{path}{ATTACHMENT}{name}"
        within_inner = (*held, inner_path)
        if answers:
            inner_parts = _parts(unpacker, inner, inner_path, within_inner, at, size, unit)
        else:
            inner_parts = _parts(
                unpacker, inner, inner_path, within_inner, at, size, None, (unit, why)
            )
        parts += inner_parts
    if not parts:
        # Sent without attachments: the message itself is the material (its body).
        reading = read(f"{subject or 'message'}.eml")
        body = mail.body
        parts.append(
            Part(
                path, held, _sha256(body), len(body), empty_checked(reading, len(body)), at, origin
            )
        )
    return parts


def inner_names(mail: Mail) -> tuple[list[tuple[str, Attachment]], list[tuple[str, Mail]]]:
    """The names a message's attachments and forwarded messages are listed under (after
    `#`): two attachments of one name are numbered, in the order the message holds them."""
    taken: set[str] = set()
    files = [(unique(a.name, taken), a) for a in mail.attachments]
    return files, [(unique(name, taken), inner) for name, inner in mail.forwarded]


def _quarantined(p: Part, why: Quarantine) -> Part:
    r = p.reading
    return replace(p, reading=Reading(None, r.kind, r.cell, why))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
