"""A material's bytes in memory, wherever it is held (a plain file, `M.eml#A`, `B.zip!M`, any
nesting), for readers that need the whole file: a statistics spreadsheet to open.

The finding is `composite.open_material`'s (the one place that walks from the inbox's file to
the material inside it, as ingestion named it); this module bounds the size, checks the bytes
against the recorded SHA-256 — a file changed since it was read is said to be so, never read
silently — and turns every way of failing into one `Unreadable` with a code.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path

from .composite import open_material
from .model import Material

#: More than any filled-in form or spreadsheet a unit sends: past this, not read.
MAX_BYTES = 64 * 1024 * 1024


class Unreadable(Exception):
    """The material's bytes cannot be had. `code`: gone, changed, too_large or unreadable;
    `detail` says more, in English, for the log."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}" if detail else code)


def material_bytes(inbox: Path, m: Material, limit: int = MAX_BYTES) -> bytes:
    """The bytes of one recorded material, checked against its SHA-256."""
    if m.gone:
        raise Unreadable("gone", m.container)
    if m.size > limit:
        raise Unreadable("too_large", f"{m.size} bytes")
    try:
        with open_material(inbox, m) as f:
            data = f.read(limit + 1)
    except FileNotFoundError as e:
        raise Unreadable("gone", m.container) from e
    except KeyError as e:  # no longer inside its zip or message
        raise Unreadable("changed", m.container) from e
    except OSError as e:
        raise Unreadable("unreadable", e.strerror or str(e)) from e
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as e:
        raise Unreadable("unreadable", f"{m.container}: {e}") from e
    if len(data) > limit:
        raise Unreadable("too_large", m.path)
    if hashlib.sha256(data).hexdigest() != m.sha256:
        raise Unreadable("changed", m.container)
    return data
