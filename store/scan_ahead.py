"""What a scan hands the hashing workers while its walk goes on (store/hashing.py `Ahead`), and
the cycle collector paused while a scan makes its records."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

from . import stamp_index
from .hashing import Ahead
from .inbox_walk import Found, _mtime


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off while a scan makes its records (and the workers forked then,
    theirs): a scan from scratch makes a few objects per file, none in a cycle, and each of
    the collector's passes over everything alive cost a fifth of the scan's own time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Offers:
    """Picks, as the walk finds them, the files ingest will read: a regular file, not a zip
    or an e-mail, not as the stamp index has it. A guess made early, never trusted:
    `Ahead.take` reads anything it got wrong."""

    def __init__(
        self,
        hashed: Ahead,
        look: Callable[[str], stamp_index.Entry | None],
        inbox: Path,
        tz: dt.tzinfo,
    ) -> None:
        self.hashed, self._look, self._inbox, self._tz = hashed, look, inbox, tz

    def offer_found(self, f: Found) -> None:
        from . import composite

        if f.kind != "file":
            return
        entry = self._look(f.relpath)
        if entry is not None and entry[0] == stamp_index.FILE and entry[1:] == f[1:5]:
            return  # as it was read: nothing to do
        if composite.is_composite(self._inbox, f.relpath):
            return
        self.hashed.offer(f.relpath, f.mtime_ns, _mtime(f).astimezone(self._tz))

    def arrived(self, f: Found) -> dt.datetime:
        """Each file's arrival, its modification time (as `_mtime`), found once."""
        return self.hashed.arrival(f.relpath) or _mtime(f)
