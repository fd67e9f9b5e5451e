"""Zip bundles: each member a material, read without extracting anything, within safety limits.

Units zip their day's photos on Chinese Windows (member names in GBK, no UTF-8 flag), on macOS
(UTF-8 flag) or with Info-ZIP (a Unicode Path extra field). Names are decoded in that order of
trust, so the operator never sees mojibake. A bundle is read as a stream: member sizes and the
compression ratio are counted on the bytes actually produced, never taken from the headers, so
a zip bomb is stopped after at most one chunk past a limit.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from .reasons import Code, Quarantine

#: A bundle with more members than this is not a unit's day of photos.
MAX_MEMBERS = 10_000
#: Uncompressed bytes, all members together.
MAX_TOTAL = 2 * 1024**3
#: Uncompressed : compressed, in any one member...
MAX_RATIO = 100
#: ...once it has produced this much: a small blank file may compress far better than 100:1
#: and harms nobody.
RATIO_FLOOR = 1 << 20
CHUNK = 1 << 20

#: Archives weekwatch cannot read: the operator unpacks them into the inbox.
UNSUPPORTED = (".rar", ".7z")

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH = 0x7075


class UnsafeBundle(Exception):
    """The whole bundle is quarantined, for the reason given."""

    def __init__(self, code: Code, **args: str | int) -> None:
        self.quarantine = Quarantine.of(code, **args)
        super().__init__(self.quarantine.text("en"))


@dataclass(frozen=True)
class Member:
    """One file inside a bundle, hashed while streamed."""

    name: str  # decoded, '/'-separated; only the last segment if the path climbs out
    sha256: str
    size: int
    data: bytes | None = None  # kept when asked for (a small member to read further)


def is_bundle(name: str) -> bool:
    return name.lower().endswith(".zip")


def is_unsupported(name: str) -> bool:
    return name.lower().endswith(UNSUPPORTED)


def _unicode_path(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field's name, if present and made for this raw name."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        i += 4 + size
        if tag != _UNICODE_PATH or len(body) < 5 or body[0] != 1:
            continue
        (crc,) = struct.unpack_from("<I", body, 1)
        if crc != zlib.crc32(raw):
            return None  # the name was changed after the field was written: it is stale
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: UTF-8 flag, Unicode Path field, GB18030, CP437."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    # Without the flag, zipfile decoded the raw bytes as CP437, which maps every byte: reversible.
    raw = info.orig_filename.encode("cp437")
    name = _unicode_path(info, raw)
    if name is not None:
        return name
    if raw.isascii():
        return raw.decode("ascii")
    # Some tools write UTF-8 without setting the flag; GBK text is almost never valid UTF-8.
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp437")


def safe_member_path(name: str) -> str:
    """A /-separated path to read and list; one climbing out, or absolute, keeps its name only."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        return next((p for p in reversed(parts) if p and p != ".."), "")
    return "/".join(p for p in parts if p and p != ".")


def _stream(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], keep: bool
) -> tuple[str, int, bytes | None]:
    h = hashlib.sha256()
    out = 0
    kept: list[bytes] | None = [] if keep else None
    with zf.open(info) as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            out += len(chunk)
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise UnsafeBundle(Code.ZIP_TOO_BIG, limit="2 GB")
            if out > RATIO_FLOOR and out > MAX_RATIO * max(info.compress_size, 1):
                raise UnsafeBundle(Code.ZIP_BOMB, member=member_name(info), ratio=MAX_RATIO)
            if kept is not None:
                kept.append(chunk)
    return h.hexdigest(), out, b"".join(kept) if kept is not None else None


def entries(infos: Iterable[zipfile.ZipInfo]) -> Iterator[tuple[str, zipfile.ZipInfo]]:
    """(path, info) of every member that is a file of its own: folders, macOS resource forks
    and hidden files are not."""
    for info in infos:
        if info.is_dir():
            continue
        path = safe_member_path(member_name(info))
        last = path.rsplit("/", 1)[-1]
        if not path or path.startswith("__MACOSX/") or last.startswith("."):
            continue
        yield path, info


def members(source: IO[bytes], keep: tuple[str, ...] = ()) -> Iterator[Member]:
    """Every file member of a zip, streamed and hashed; raises UnsafeBundle past any limit.

    `keep` lists name endings (".zip", ".eml") whose bytes the caller wants back. Folders,
    macOS resource forks and hidden files are not members.
    """
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeBundle(Code.ZIP_UNREADABLE, detail=str(exc)) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise UnsafeBundle(Code.ZIP_TOO_MANY, limit=f"{MAX_MEMBERS:,}")
        if any(i.flag_bits & _ENCRYPTED_FLAG for i in infos):
            raise UnsafeBundle(Code.ZIP_ENCRYPTED)
        budget = [MAX_TOTAL]
        for path, info in entries(infos):
            try:
                digest, size, data = _stream(zf, info, budget, path.lower().endswith(keep))
            except UnsafeBundle:
                raise
            except NotImplementedError as exc:
                raise UnsafeBundle(Code.ZIP_METHOD, member=path, detail=str(exc)) from None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                raise UnsafeBundle(Code.ZIP_CORRUPT, member=path, detail=str(exc)) from None
            yield Member(path, digest, size, data)
