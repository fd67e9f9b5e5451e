"""A judged board kept between processes: what the rules decided, beside the database.

Derived data only: deleting it loses nothing, and it is never trusted unless its key matches.
Files in the database folder, each written whole (temp file, rename):

* ``board.cells`` and its parts (store/kept_parts.py) — every cell's counted arrivals (the
  moments and kinds `rules.judge` needs), from placing the whole week with every decision;
  and the newest arrival among the materials. A reader judges the 2,000 × 9 cells at its own
  moment from them instead of placing the week.
  With them, `materials --json`'s records as printed, in parts merged as they are printed
  (store/kept_rows.py).

The key is what they were computed from (store/kept_board.py): the data files' stamps (each
materials shard, units), weekwatch.toml's stamp, the stamps of the code that decides (every
module in store/), and the decisions that move a file. Placing does not depend on the
moment except for files stamped after it (a file not yet arrived, a version not yet in
force), so kept cells serve a moment only from the newest arrival on, and only when every
decision was recorded by then (or all decisions are asked for): `usable`. Anything else is
judged afresh by the caller.

A damaged, truncated or foreign file reads as absent. Writes are best-effort: a reader on a
read-only disk or without the right to write there simply judges afresh next time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .atomic import FILE_MODE, Stamp
from .ledger import Ledger
from .model import Action, Material

#: Bump when what is kept changes shape; the code's own stamps catch any other change.
CACHE_VERSION = 1
CELLS = "board.cells"
#: The records as one file, kept by weekwatch before they were kept in parts: removed.
ROWS = "board.rows"
TMP_MARK = ".tmp-"


@functools.lru_cache(maxsize=1)
def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """The stamps of the modules that decide what is kept (all of store/): a changed rule, an
    upgrade, a checkout of other code makes every kept board stale."""
    here = Path(__file__).parent
    out = []
    with os.scandir(here) as entries:
        for e in entries:
            if e.name.endswith(".py"):
                st = e.stat()
                out.append((e.name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def key_of(store_stamp: Sequence[Stamp], config_stamp: Stamp) -> str:
    """The key a kept board is valid for: the database files, weekwatch.toml, the code."""
    parts = (CACHE_VERSION, tuple(store_stamp), config_stamp, code_stamp())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def newest(materials: Iterable[Material]) -> dt.datetime | None:
    """The latest arrival among the materials (all of them: those after any moment too)."""
    return max((m.received_at for m in materials), default=None)


def usable(
    kept_newest: dt.datetime | None,
    actions: Sequence[Action],
    now: dt.datetime,
    every_action: bool,
) -> bool:
    """Whether a board kept from the whole week judges the same as placing the week at `now`:
    every material has arrived by then, and every decision applies (recorded by then, or all
    asked for with `--actions all`)."""
    if kept_newest is not None and kept_newest > now:
        return False
    return every_action or all(a.at <= now for a in actions)


def _line(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("ascii") + b"\n"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _write(path: Path, payload: bytes) -> bool:
    """Replace `path` whole, or leave it: a reader sees the old file, the new, or none.
    Returns whether it was replaced."""
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _sweep(path)
        return True
    except OSError:
        # Kept data is an aid, never a requirement: a read-only disk judges afresh next time.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


#: A temp file this old is a killed writer's: no kept board takes minutes to write.
LEFTOVER_S = 600


def _sweep(path: Path) -> None:
    """Remove what a reader killed mid-write left beside `path` (never the database's own)."""
    prefix = f".{path.name}{TMP_MARK}"
    cutoff = time.time() - LEFTOVER_S
    with os.scandir(path.parent) as entries:
        for e in entries:
            if e.name.startswith(prefix) and e.stat().st_mtime < cutoff:
                with contextlib.suppress(OSError):
                    os.unlink(e.path)


def discard(dbdir: Path) -> None:
    """Remove the kept board (nothing is lost: the next reader judges afresh)."""
    from .kept_parts import discard as discard_parts

    discard_parts(dbdir)
    from .kept_judged import JUDGED

    for name in (ROWS, JUDGED):  # the records as kept before the parts; the judged states
        with contextlib.suppress(OSError):
            os.unlink(dbdir / name)


def kept_ledger_matches(ledger: Ledger, actions: Sequence[Action]) -> bool:
    """Whether a board was judged with every recorded decision (what kept cells assume)."""
    return len(ledger.actions) == len(actions)
