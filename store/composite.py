"""Files that hold other files: zip bundles and e-mails, each inner file a material of its own.

A member of `舞钢市/照片.zip` is listed as `舞钢市/照片.zip!2024-05-13/1.jpg`, an attachment of
`mail/x.eml` as `mail/x.eml#活动照片1.jpg`, a member of a zip attached to it as
`mail/x.eml#照片.zip!1.jpg`. Ingestion hands every such file here (`is_composite`) and records
what comes back; nothing is ever extracted into the inbox.

Reading an inner file: its own path is read first, like a path under the inbox; what holds it
(the zip's name and folder, an e-mail's sender and subject) is the fallback. The reading rules
are the core ones (`reading.Reader`): the holder is read as if it were a folder around the inner
path, and a unit decided by the holder is put in front as the top-most folder, where the rules
give it precedence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from . import bundle
from .model import Material, Reading, Unit
from .reading import Reader, is_ignored
from .reasons import Code, Quarantine

#: Between a zip and its member, and between an e-mail and its attachment.
MEMBER = "!"
ATTACHMENT = "#"

_MAILDIR_PARTS = ("cur", "new", "tmp")

log = logging.getLogger(__name__)


def is_maildir_message(inbox: Path, relpath: str) -> bool:
    """A file in `cur/`, `new/` (or `tmp/`) of a Maildir: a folder holding two of cur/new/tmp."""
    parts = relpath.split("/")
    if len(parts) < 2 or parts[-2] not in _MAILDIR_PARTS:
        return False
    box = os.path.join(inbox, *parts[:-2])
    return sum(os.path.isdir(os.path.join(box, p)) for p in _MAILDIR_PARTS) >= 2


#: Names handed here whatever their folder: zips, the archives not read, e-mails.
_HOLDER_SUFFIXES = (".zip", *bundle.UNSUPPORTED, ".eml")


def is_composite(inbox: Path, relpath: str) -> bool:
    """Whether ingestion hands this file here rather than recording it as one material."""
    folder, _, name = relpath.rpartition("/")
    if name.lower().endswith(_HOLDER_SUFFIXES):  # as bundle.is_bundle, is_unsupported say
        return True
    # A scan asks this of every file: the folders are looked at only under a cur/new/tmp.
    return folder.rpartition("/")[2] in _MAILDIR_PARTS and is_maildir_message(inbox, relpath)


@dataclass(frozen=True)
class Part:
    """One material found inside a file, before it is recorded."""

    path: str
    within: tuple[str, ...]
    sha256: str
    size: int
    reading: Reading
    received_at: dt.datetime
    origin: dict[str, Any]


class Unpacker:
    """Reads the materials inside composite files, for one event's reader and roster."""

    def __init__(self, reader: Reader, units: Sequence[Unit]) -> None:
        self.reader = reader
        self.names = {u.id: u.name for u in units}
        self.units = tuple(units)
        from .mail import senders  # mail.py builds on this module

        self.senders = senders(units)

    # --- reading ------------------------------------------------------------------------
    def read_inside(
        self, inner: str, outer: str, arrived: dt.datetime, unit: str | None = None
    ) -> Reading:
        """Read `inner` (a path inside a file) with `outer` (folder-like) as its fallback.

        With `unit`, that unit is decided already (an e-mail's sender) and only kind and cell
        are read.
        """
        read = self.reader.read
        if unit is None:
            unit = read(inner, arrived).unit  # the inner path's own unit comes first
        if unit is None:
            return read(f"{outer}/{inner}", arrived)
        name = self.names.get(unit)
        if name is None:  # not on the roster (cannot happen for a unit the rules found)
            return read(f"{outer}/{inner}", arrived)
        return read(f"{name}/{outer}/{inner}", arrived)

    def bundle_parts(
        self,
        source: IO[bytes],
        path: str,
        within: tuple[str, ...],
        outer: str,
        arrived: dt.datetime,
        origin: dict[str, Any],
        unit: str | None = None,
    ) -> list[Part]:
        """The members of a zip at `path` (a file object), or one part saying why not."""
        try:
            found = list(bundle.members(source))
        except bundle.UnsafeBundle as exc:
            sha, size = _hash_source(source)
            return [self.whole(path, within, sha, size, arrived, origin, exc.quarantine)]
        parts: list[Part] = []
        taken: set[str] = set()
        for m in found:
            if is_ignored(m.name):
                continue
            name = unique(m.name, taken)
            reading = self.read_inside(m.name, outer, arrived, unit)
            parts.append(
                Part(
                    f"{path}{MEMBER}{name}",
                    (*within, path),
                    m.sha256,
                    m.size,
                    empty_checked(reading, m.size),
                    arrived,
                    origin,
                )
            )
        if not parts:
            sha, size = _hash_source(source)
            empty = Quarantine.of(Code.ZIP_EMPTY)
            return [self.whole(path, within, sha, size, arrived, origin, empty)]
        return parts

    def whole(
        self,
        path: str,
        within: tuple[str, ...],
        sha256: str,
        size: int,
        arrived: dt.datetime,
        origin: dict[str, Any],
        why: Quarantine,
    ) -> Part:
        """The file itself as one quarantined material (an unsafe or unreadable bundle)."""
        reading = self.reader.read(path, arrived)
        quarantined = Reading(reading.unit, reading.kind, reading.cell, why)
        return Part(path, within or (path,), sha256, size, quarantined, arrived, origin)

    def parts(self, inbox: Path, relpath: str, size: int, arrived: dt.datetime) -> list[Part]:
        """Every material inside one file of the inbox. Raises OSError if it cannot be read."""
        full = os.path.join(inbox, relpath)
        origin = {"size": size}
        name = relpath.rsplit("/", 1)[-1]
        if bundle.is_unsupported(name):
            why = Quarantine.of(Code.ARCHIVE_UNSUPPORTED, ext=name.rsplit(".", 1)[-1].lower())
            return [self.whole(relpath, (), _hash_path(full), size, arrived, origin, why)]
        if relpath.split("/")[-2:-1] == ["tmp"]:
            return []  # a Maildir message still being delivered: it moves to new/ when whole
        if bundle.is_bundle(name):
            with open(full, "rb") as f:
                return self.bundle_parts(f, relpath, (), relpath, arrived, origin)
        from .mail import message_parts

        with open(full, "rb") as f:
            data = f.read()
        return message_parts(self, data, relpath, arrived, size)


@contextlib.contextmanager
def open_material(inbox: Path, m: Material) -> Iterator[IO[bytes]]:
    """The bytes of a material as a file object: a plain file opened, a zip member streamed
    from inside its zip, an attachment from inside its message (nothing is extracted into the
    inbox, nothing in it is written). Raises OSError, or KeyError if it is no longer inside."""
    from .mail import Mail, inner_names, parse

    with contextlib.ExitStack() as stack:
        outer = m.within[0] if m.within else m.path
        source: IO[bytes] = stack.enter_context(open(os.path.join(inbox, outer), "rb"))
        body = bool(m.within) and m.path == m.within[-1]  # a message sent without attachments
        if m.path == outer and not (body and _is_message(inbox, outer)):
            yield source  # a plain file, or a zip or archive quarantined whole
            return
        chain = [*m.within, *(() if body else (m.path,))]
        mail: Mail | None = None
        for holder, inner in zip(chain, chain[1:], strict=False):
            name = inner[len(holder) + 1 :]
            if mail is None and bundle.is_bundle(holder):
                zf = stack.enter_context(zipfile.ZipFile(source))
                source = stack.enter_context(zf.open(_member_info(zf, name)))
                continue
            if mail is None:
                mail = parse(source.read())  # a message is read whole, as ingestion reads it
            files, forwarded = inner_names(mail)
            found = dict(files).get(name)
            if found is not None:
                source, mail = io.BytesIO(found.data), None
            else:
                mail = dict(forwarded)[name]
        if body:
            yield io.BytesIO((mail or parse(source.read())).body)
            return
        yield source


def _is_message(inbox: Path, relpath: str) -> bool:
    return relpath.lower().endswith(".eml") or is_maildir_message(inbox, relpath)


def _member_info(zf: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """The member listed under `name`, numbered as `bundle_parts` numbers twins."""
    taken: set[str] = set()
    for path, info in bundle.entries(zf.infolist()):
        if not is_ignored(path) and unique(path, taken) == name:
            return info
    raise KeyError(name)


def _hash_source(source: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of a whole file object, streamed from its start."""
    source.seek(0)
    h = hashlib.sha256()
    size = 0
    while chunk := source.read(bundle.CHUNK):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def _hash_path(path: str) -> str:
    with open(path, "rb") as f:
        return _hash_source(f)[0]


def unique(name: str, taken: set[str]) -> str:
    """Two members may share a name (a zip allows it; `..` paths cut to a name): number them."""
    out, n = name, 1
    while out in taken:
        n += 1
        stem, dot, ext = name.rpartition(".")
        out = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
    taken.add(out)
    return out


def empty_checked(reading: Reading, size: int) -> Reading:
    if size:
        return reading
    return Reading(reading.unit, reading.kind, reading.cell, Quarantine.of(Code.EMPTY))


# --- recording --------------------------------------------------------------------------------


def held(known: Iterable[Material]) -> dict[str, list[Material]]:
    """The live records read from each composite file of the inbox, by that file's path."""
    out: dict[str, list[Material]] = {}
    for m in known:
        if m.within and not m.superseded:
            out.setdefault(m.within[0], []).append(m)
    return out


def unchanged(records: list[Material], size: int, mtime_ns: int) -> bool:
    """Whether the file still has the size and stamp its records were read from.

    Only the records still there are compared: a member gone from an earlier version keeps
    that version's stamp, and counting it made the zip read again at every scan.
    """
    live = [m for m in records if not m.gone]
    return bool(live) and all(m.mtime_ns == mtime_ns and m.origin.get("size") == size for m in live)


def record(
    parts: list[Part], old: list[Material], mtime_ns: int
) -> tuple[list[Material], list[Material], list[Material]]:
    """(writes, added, gone) for a composite file read anew, against its earlier records.

    An inner file with the same content keeps its record (and its arrival); changed content
    supersedes the old record, as for a rewritten plain file; an inner file no longer there
    is gone.
    """
    before = {m.path: m for m in old}
    writes: list[Material] = []
    added: list[Material] = []
    for p in parts:
        prev = before.pop(p.path, None)
        same = prev is not None and (prev.sha256, prev.within) == (p.sha256, p.within)
        if prev is not None and same and prev.quarantine == p.reading.quarantine:
            writes.append(replace(prev, mtime_ns=mtime_ns, gone=False, origin=p.origin))
            continue
        if prev is not None:
            writes.append(replace(prev, key=f"{prev.path}@{prev.sha256[:16]}", superseded=True))
        r = p.reading
        m = Material(
            key=p.path,
            path=p.path,
            sha256=p.sha256,
            size=p.size,
            mtime_ns=mtime_ns,
            received_at=p.received_at,
            unit=r.unit,
            kind=r.kind,
            cell=r.cell,
            quarantine=r.quarantine,
            until=r.until,
            within=p.within,
            origin=p.origin,
        )
        writes.append(m)
        added.append(m)
    gone = [replace(m, gone=True) for m in before.values() if not m.gone]
    return writes + gone, added, gone


def ingest_composites(
    unpacker: Unpacker,
    inbox: Path,
    found: Iterable[tuple[str, int, int]],
    arrived: Callable[[int], dt.datetime],
    known: dict[str, list[Material]],
    errors: list[str],
) -> tuple[list[Material], list[Material], list[Material]]:
    """Read each changed composite file (relpath, size, mtime_ns); (writes, added, gone)."""
    writes: list[Material] = []
    added: list[Material] = []
    gone: list[Material] = []
    for i, (relpath, size, mtime_ns) in enumerate(found):
        at = arrived(i)
        try:
            parts = unpacker.parts(inbox, relpath, size, at)
        except OSError as exc:
            errors.append(f"{relpath}: {exc.strerror or exc}")
            continue
        except Exception as exc:  # a file no reader foresaw must not stop the pass
            log.exception("cannot read inside %s", relpath)
            why = Quarantine.of(Code.UNREADABLE_INSIDE, detail=type(exc).__name__)
            try:
                sha = _hash_path(os.path.join(inbox, relpath))
            except OSError as err:
                errors.append(f"{relpath}: {err.strerror or err}")
                continue
            parts = [unpacker.whole(relpath, (), sha, size, at, {"size": size}, why)]
        w, a, g = record(parts, known.get(relpath, []), mtime_ns)
        writes += w
        added += a
        gone += g
    return writes, added, gone
