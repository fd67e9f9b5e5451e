"""Finding units as an operator types: by id, name, alias, and the name's pinyin in full
(`weisheng`) or by initials (`pdswx`). Pure; ranking best first.

Pinyin comes from pypinyin, as the ids do (`unit_names.initials`); a name's spellings are
worked out once and kept, so narrowing the grid at each key stays cheap.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence

from .folding import normalize
from .model import Unit

#: How a field matched, best first. A subsequence (letters in order, gaps allowed) is only
#: tried on short forms — ids, names, aliases, initials —, never on the full pinyin, where
#: almost any few letters would be found.
EXACT, PREFIX, SUBSTRING, SCATTERED = range(4)


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).casefold())


#: Spellings worked out by another process (`learn`): the dashboard has a short-lived one
#: read its 2,000 names, so that pypinyin's dictionaries (~50 MB) never load in it.
_LEARNT: dict[str, tuple[str, str]] = {}


def learn(known: Mapping[str, tuple[str, str]]) -> None:
    """Take names' spellings as `spellings` gives them, worked out elsewhere."""
    _LEARNT.update(known)


@functools.lru_cache(maxsize=8192)
def spellings(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name: 卫生学校 → ("weishengxuexiao", "wsxx")."""
    learnt = _LEARNT.get(name)
    if learnt is not None:
        return learnt
    from pypinyin import Style, lazy_pinyin  # its dictionaries load in ~0.3 s: only when needed

    full: list[str] = []
    first: list[str] = []
    for run in _RUNS.findall(name):
        if _HAN.match(run):  # one syllable per character (phrases decide polyphones: 银行)
            syllables = [_plain(p) for p in lazy_pinyin(run, style=Style.NORMAL)]
            full += syllables
            first += [p[:1] for p in syllables]
        else:  # Latin letters and digits (the "2" of 第2中学): one piece, kept whole
            full.append(_plain(run))
            first.append(_plain(run))
    return "".join(full), "".join(first)


def _subsequence(q: str, s: str) -> bool:
    it = iter(s)
    return all(ch in it for ch in q)


def _match(q: str, field: str, scattered: bool) -> int | None:
    if field == q:
        return EXACT
    if field.startswith(q):
        return PREFIX
    if q in field:
        return SUBSTRING
    if scattered and _subsequence(q, field):
        return SCATTERED
    return None


@functools.lru_cache(maxsize=8192)
def forms(unit: Unit) -> tuple[tuple[str, bool], ...]:
    """What a unit can be found by, worked out once: (text, whether letters may be scattered)
    — its id, name and aliases normalised, and their pinyin in full and by initials."""
    out = [(normalize(f), True) for f in (unit.id, unit.name, *unit.aliases) if f]
    for name in (unit.name, *unit.aliases):
        full, first = spellings(name)
        out += [(full, False), (first, True)]
    return tuple(out)


def score(unit: Unit, query: str) -> tuple[int, int] | None:
    """How well `unit` matches `query` (already `normalize`d): (match kind, length of the
    field matched) — lower is better —, or None when it does not match."""
    best: tuple[int, int] | None = None
    for field, scattered in forms(unit):
        if not field or (not query.isascii() and field.isascii()):
            continue  # Chinese typed: the pinyin forms cannot match it
        kind = _match(query, field, scattered)
        if kind is not None and (best is None or (kind, len(field)) < best):
            best = (kind, len(field))
    return best


def warm(units: Sequence[Unit]) -> None:
    """Work out every unit's forms ahead of the first key (pypinyin loads in ~0.3 s)."""
    for u in units:
        forms(u)


def names_of(units: Sequence[Unit]) -> list[str]:
    """Every name `forms` spells: each unit's name and aliases."""
    return [n for u in units for n in (u.name, *u.aliases)]


if __name__ == "__main__":
    # `python -m weekwatch.store.unit_search`: names in (a JSON list), their spellings out.
    import json
    import sys

    json.dump({n: spellings(n) for n in json.load(sys.stdin)}, sys.stdout)


def rank(units: Sequence[Unit], query: str, limit: int | None = None) -> list[Unit]:
    """The units matching `query`, best first: an exact id, name or alias, then a prefix, a
    part, letters in order; a shorter name before a longer; ties in roster order. An empty
    query matches every unit, in roster order."""
    q = normalize(query.strip())
    if not q:
        return list(units[:limit] if limit is not None else units)
    scored = []
    for i, u in enumerate(units):
        s = score(u, q)
        if s is not None:
            scored.append((s, i, u))
    scored.sort(key=lambda x: (x[0], x[1]))
    hits = [u for _, _, u in scored]
    return hits[:limit] if limit is not None else hits
