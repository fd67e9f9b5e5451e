"""Derived data kept in a file of its own, for the next process to load rather than make.

What it holds is plain values (dicts, lists, tuples, sets, strings, numbers) written with
`marshal`, which loads them several times faster than JSON, after a checksum of them and the
key they are valid for. `load` gives them back only when the file is whole (its checksum holds),
of this format and made for the very key asked; anything else is None, and the caller makes
the data again. Deleting such a file loses nothing; a process that cannot write it only pays
for making the data itself. `marshal`'s format is the interpreter's own: its version is part
of every key.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from .atomic import FILE_MODE, share_with_group

#: This format: bumped when the layout below changes.
FORMAT = 1
_MAGIC = b"wwd" + bytes([FORMAT])
#: What `marshal` writes depends on the interpreter: a file made by another is made again.
INTERPRETER = (sys.hexversion, marshal.version)


def load(path: Path, key: Any) -> Any:
    """What was kept in `path` for `key`, or None: missing, torn, tampered with, of another
    format, interpreter or key."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if raw[:4] != _MAGIC or len(raw) < 8:
        return None
    body = raw[8:]
    if int.from_bytes(raw[4:8], "little") != zlib.crc32(body):
        return None
    try:
        kept_key, value = marshal.loads(body)
    except (ValueError, EOFError, TypeError):  # a checksum that holds over what is not ours
        return None
    return value if kept_key == (INTERPRETER, key) else None


def keep(path: Path, key: Any, value: Any) -> None:
    """Keep `value` for `key` (replacing the file whole); a failure is only a later rebuild."""
    try:
        body = marshal.dumps(((INTERPRETER, key), value))
    except ValueError:  # a value marshal cannot write: nothing kept
        return
    payload = _MAGIC + zlib.crc32(body).to_bytes(4, "little") + body
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
        try:
            with contextlib.suppress(OSError):
                share_with_group(fd)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        # Not synced: a crash may tear it, and a torn file is only made again.
        os.replace(tmp, path)
    with contextlib.suppress(OSError):
        os.unlink(tmp)
