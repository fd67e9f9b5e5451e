"""A material's bytes, wherever it is held: a plain file of the inbox, an e-mail's attachment
(`M.eml#A`), a zip's member (`B.zip!M`), or any nesting of those (`M.eml#B.zip!M`).

Read-only and nothing extracted: the inbox file is opened for reading, a zip is streamed member
by member within the bundle's safety limits (store/bundle.py), an e-mail parsed as ingestion
parses it (store/mail.py). Inner names are made unique in the order ingestion made them, so
`a.xlsx (2)` finds the second attachment named `a.xlsx`. The bytes found are checked against the
recorded SHA-256: a file changed since it was read is said to be so, never read silently.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import IO

from . import bundle
from .composite import ATTACHMENT, MEMBER, unique
from .mail import Mail, parse
from .model import Material
from .reading import is_ignored

#: More than any filled-in form, spreadsheet or document a unit sends: past this, not read.
MAX_BYTES = 64 * 1024 * 1024


class Unreadable(Exception):
    """The material's bytes cannot be had; the message says why, in English, for the log.
    `code` is one of: gone, changed, too_large, unreadable."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}" if detail else code)


def material_bytes(inbox: Path, m: Material, limit: int = MAX_BYTES) -> bytes:
    """The bytes of one recorded material, checked against its SHA-256."""
    if m.gone:
        raise Unreadable("gone", m.container)
    if m.size > limit:
        raise Unreadable("too_large", f"{m.size} bytes")
    chain = [*m.within, m.path]
    # A message sent without attachments is its own material (its body): nothing inside.
    steps = [p for i, p in enumerate(chain) if i == 0 or p != chain[i - 1]]
    try:
        with _open(inbox, steps[0]) as f:
            held: bytes | Mail | IO[bytes]
            held = f if len(steps) > 1 else _bounded(f, steps[0], limit)
            for outer, inner in zip(steps, steps[1:], strict=False):
                held = _step(held, outer, inner, limit)
    except OSError as e:
        code = "gone" if isinstance(e, FileNotFoundError) else "unreadable"
        raise Unreadable(code, e.strerror or str(e)) from e
    except bundle.UnsafeBundle as e:
        raise Unreadable("unreadable", str(e)) from e
    if isinstance(held, bytes) and len(steps) < len(chain):
        held = parse(held)  # the material is the message's body
    if isinstance(held, Mail):
        data = held.body
    elif isinstance(held, bytes):
        data = held
    else:
        raise Unreadable("unreadable", m.path)
    if hashlib.sha256(data).hexdigest() != m.sha256:
        raise Unreadable("changed", m.container)
    return data


def _open(inbox: Path, rel: str) -> IO[bytes]:
    # O_NOFOLLOW: the inbox is walked without following links; reading does the same.
    fd = os.open(inbox / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    return os.fdopen(fd, "rb")


def _bounded(f: IO[bytes], name: str, limit: int) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise Unreadable("too_large", name)
    return data


def _step(held: bytes | Mail | IO[bytes], outer: str, inner: str, limit: int) -> bytes | Mail:
    """From the holder at path `outer` to the file at path `inner` inside it."""
    if not inner.startswith(outer) or len(inner) <= len(outer) + 1:
        raise Unreadable("unreadable", f"{inner} is not inside {outer}")
    sep, name = inner[len(outer)], inner[len(outer) + 1 :]
    if sep == MEMBER:
        if isinstance(held, Mail):
            raise Unreadable("unreadable", f"{outer} is a message, not a zip")
        # A zip in the inbox is streamed from its file, one inside a message from memory.
        return _member(io.BytesIO(held) if isinstance(held, bytes) else held, name, limit)
    if sep == ATTACHMENT:
        if isinstance(held, Mail):
            return _attachment(held, name)
        # A message is parsed whole, as ingestion parses it.
        return _attachment(parse(held if isinstance(held, bytes) else held.read()), name)
    raise Unreadable("unreadable", f"{inner} is not inside {outer}")


def _member(source: IO[bytes], name: str, limit: int) -> bytes:
    taken: set[str] = set()
    # Only members of the wanted one's type are kept in memory while streaming (its name may
    # have been numbered: `a (2).xlsx` is the second `a.xlsx`).
    suffix = Path(name).suffix.lower()
    for m in bundle.members(source, keep=(suffix,) if suffix else ("",)):
        if is_ignored(m.name):
            continue
        if unique(m.name, taken) == name:
            if m.data is None or m.size > limit:
                raise Unreadable("too_large", name)
            return m.data
    raise Unreadable("gone", name)


def _attachment(mail: Mail, name: str) -> bytes | Mail:
    # Attachments first, then forwarded messages: the order ingestion names them in.
    taken: set[str] = set()
    for a in mail.attachments:
        if unique(a.name, taken) == name:
            return a.data
    for fname, inner in mail.forwarded:
        if unique(fname, taken) == name:
            return inner
    raise Unreadable("gone", name)
