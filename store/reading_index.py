"""The reading rules' index of the roster's names, kept beside the roster (derived data).

A `Reader` finds units through `reading.UnitIndex`: every name and alias folded (NFKC, case,
OpenCC's traditional → simplified) and grouped by its first characters. At 2,000 units that and
the roster's 2,000 `Unit`s it is made from cost ~45 ms, more than the rest of `weekwatch ingest
PATH` for one new file. So the index is kept in `.weekwatch/reading.idx` (store/derived.py),
with the unit names and the fingerprint `reread.read_with` gives of the same roster and week,
for the next process to load in about a millisecond.

It is valid only for the roster file's stamp, weekwatch.toml's and the reading code's it was
made with (the stamps taken before either file was read, so a write meanwhile makes it stale,
never wrong); torn, tampered with or of another version, it is not trusted and is made again
(`tests/test_reading_index.py` does each damage first, and reads real names through a kept
index and a fresh one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import derived
from .reading import Reader, UnitIndex

if TYPE_CHECKING:
    from .week import Week

#: Bumped when what is kept changes shape.
VERSION = 1
NAME = "reading.idx"
#: The modules whose code decides what the index holds: the reading of names, the values it is
#: made from and the fingerprint.
_CODE = ("reading.py", "names.py", "folding.py", "model.py", "values.py", "reread.py")


def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """Each deciding module's stamp (this one's too): other code, another index."""
    here = Path(__file__).parent
    out = []
    for name in (*_CODE, os.path.basename(__file__)):
        st = os.stat(here / name)
        out.append((name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def reader(week: Week) -> tuple[Reader, str]:
    """The week's reader and its `read_with` fingerprint: from the kept index when it is
    current, else made from the roster (every `Unit`) and kept for the next process."""
    key = (VERSION, week.store.units_stamp(), week.config_stamp, code_stamp())
    path = week.store.dbdir / NAME
    kept = derived.load(path, key)
    if kept is not None:
        attrs, patterns, names, fingerprint = kept
        index = _index(attrs, patterns)
    else:
        from .reread import read_with

        units = week.units()
        index = UnitIndex(units)
        names = {u.id: u.name for u in units}
        fingerprint = read_with(week.event, units)
        if not week.read_only:
            derived.keep(path, key, (*_state(index), names, fingerprint))
    return Reader(week.event, (), index=index, names=names), fingerprint


def _state(index: UnitIndex) -> tuple[dict[str, Any], dict[str, tuple[str, int]]]:
    """The index's attributes as plain values, its compiled patterns as their text."""
    attrs: dict[str, Any] = {}
    patterns: dict[str, tuple[str, int]] = {}
    for k, v in vars(index).items():
        if isinstance(v, re.Pattern):
            patterns[k] = (v.pattern, v.flags)
        else:
            attrs[k] = v
    return attrs, patterns


def _index(attrs: dict[str, Any], patterns: dict[str, tuple[str, int]]) -> UnitIndex:
    index = UnitIndex.__new__(UnitIndex)  # what __init__ made, without making it again
    vars(index).update(attrs)
    for k, (pattern, flags) in patterns.items():
        setattr(index, k, re.compile(pattern, flags))
    return index
