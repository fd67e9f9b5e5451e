"""The reading rules: what a dropped file's path says about its unit, its kind and its cell.

Pure: strings and dates in, a `Reading` out, no I/O. File names are written by people, so every
rule here is tolerant of form (full-width digits, mixed scripts, five ways of writing a date) and
strict about meaning (a number is only a date if it is one, and lies in the week).

Speed matters because ingest reads every file of a full inbox at start-up: a `Reader` caches
what it learned from each folder (many files share one) and finds unit names through an index
on their first two characters, never by scanning every alias. A path whose name it has not seen
costs some 20 µs (about 50,000 reads/s on a busy 2-core box, 500 units with aliases); a path it
has seen, about 1 µs. Sanity check, not a test::

    python -c "import timeit, datetime as d; from weekwatch.store.model import Event, Unit; \
from weekwatch.store.reading import Reader; \
us = [Unit(f'u{i}', f'测试{i}县教体局', (f'测{i}县', f'T{i}')) for i in range(500)]; \
r = Reader(Event('t', d.date(2024, 5, 12)), us); a = d.datetime.now(d.UTC); \
n = 100_000; print(n / timeit.timeit(lambda: [r.read(f'测试{i % 500}县教体局/2024-05-13/\
{i}-典型案例5月13日.docx', a) for i in range(n)], number=1), 'reads/s')"
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .model import PLAN, PLAN_KINDS, SUMMARY, SUMMARY_KINDS, Event, Reading, Unit
from .reasons import Code, Quarantine

# --- names --------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """NFKC, then casefold: ５月１３日 reads as 5月13日, WEIDONG as weidong."""
    return unicodedata.normalize("NFKC", text).casefold()


# --- ignored files ------------------------------------------------------------------------------

_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
# Files still being written by a browser or a transfer tool: they will be renamed when complete.
_PARTIAL_SUFFIXES = (".part", ".crdownload", ".filepart", ".tmp", ".download")


@functools.lru_cache(maxsize=8192)
def _ignored_segment(segment: str) -> bool:
    s = normalize(segment)
    # A leading dot covers hidden files, .DS_Store and LibreOffice's `.~lock.*#` alike.
    return s.startswith((".", "~$")) or s.endswith(_PARTIAL_SUFFIXES) or s in _IGNORED_NAMES


def is_ignored(relpath: str) -> bool:
    """True if any '/'-separated segment is a hidden, lock, partial or OS housekeeping file."""
    for seg in relpath.split("/"):  # a loop, not any(): this runs for every file of a scan
        if seg and _ignored_segment(seg):
            return True
    return False


# --- units --------------------------------------------------------------------------------------

# Ids are tokens: runs of letters or digits. CJK characters are letters too, so a run of ASCII
# next to a run of other script is also split, or `weidong照片` would never name `weidong`.
_TOKEN_RE = re.compile(r"[a-zA-Z0-9]+|[^\W_a-zA-Z0-9]+")
_ASCII_TOKEN_RE = re.compile(r"[a-zA-Z0-9]+")
_ASCII_WORD_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9]*")

Span = tuple[int, int, str]
# Neither a digit, a letter nor a keyword: put over a unit's name, it breaks any date or keyword
# that would run through it.
_BLANK = "\x00"
_NO_UNITS: frozenset[str] = frozenset()


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(text))


def _outermost(found: set[Span]) -> list[Span]:
    """Drop matches lying inside a strictly longer match (平顶山 inside 平顶山职业技术学院)."""
    if len(found) <= 1:
        return sorted(found)
    return sorted(
        m
        for m in found
        if not any(o[0] <= m[0] and m[1] <= o[1] and o[1] - o[0] > m[1] - m[0] for o in found)
    )


class UnitIndex:
    """Finds the units named in one (normalized) path segment."""

    def __init__(self, units: Iterable[Unit]) -> None:
        keys: dict[str, set[str]] = {}
        ids: dict[tuple[str, ...], set[str]] = {}
        for unit in units:
            for key in (unit.name, *unit.aliases):
                k = normalize(key).strip()
                if k:
                    keys.setdefault(k, set()).add(unit.id)
            toks = _tokens(normalize(unit.id))
            if toks:
                ids.setdefault(toks, set()).add(unit.id)
        # Names and aliases are indexed by their first character, then their second, then grouped
        # by length, longest first: at a position, two dict lookups and a slice or two find the
        # longest key there, however many units share a prefix like 平顶山.
        self._single = {k: frozenset(v) for k, v in keys.items() if len(k) == 1}
        grouped: dict[str, dict[str, dict[int, dict[str, frozenset[str]]]]] = {}
        for k, v in keys.items():
            if len(k) > 1:
                by_len = grouped.setdefault(k[0], {}).setdefault(k[1], {})
                by_len.setdefault(len(k), {})[k] = frozenset(v)
        self._by_first = {
            c1: {c2: tuple(sorted(by_len.items(), reverse=True)) for c2, by_len in nxt.items()}
            for c1, nxt in grouped.items()
        }
        for c in self._single:
            self._by_first.setdefault(c, {})
        self._starts = re.compile(
            "[" + "".join(re.escape(c) for c in sorted(self._by_first)) + "]"
            if self._by_first
            else "(?!)"
        )
        by_token: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        for toks in sorted(ids, key=len, reverse=True):
            by_token.setdefault(toks[0], []).append((toks, frozenset(ids[toks])))
        self._by_token = {t: tuple(v) for t, v in by_token.items()}
        self._id_starts = frozenset(self._by_token)
        # A cheap first look for ids: runs beginning with a letter when every id does (dates and
        # numbers then cost nothing), ASCII runs when every id is ASCII. Any run it finds is only
        # a candidate, checked as a whole token afterwards.
        firsts = {seq[0] for seq in ids}
        if all(t.isascii() and t[0].isalpha() for t in firsts):
            self._token_re = _ASCII_WORD_RE
        elif all(t.isascii() for t in firsts):
            self._token_re = _ASCII_TOKEN_RE
        else:
            self._token_re = _TOKEN_RE

    def find(self, text: str) -> set[str]:
        """Unit ids named in one path segment, after dropping matches inside longer ones."""
        return {uid for _, _, uid in self.spans(text)}

    def spans(self, text: str) -> list[Span]:
        """(start, end, unit_id) of the kept matches, in order of start."""
        found: set[Span] = set()
        by_first = self._by_first
        single = self._single
        # The regex finds, in C, the few positions where some key could start.
        for m in self._starts.finditer(text):
            i = m.start()
            c1 = m.group()
            nxt = by_first[c1]
            uids: frozenset[str] | None = None
            end = i
            groups = nxt.get(text[i + 1 : i + 2])
            if groups is not None:
                for n, keyed in groups:
                    uids = keyed.get(text[i : i + n])
                    if uids is not None:
                        end = i + n
                        break
            if uids is None and single:
                uids = single.get(c1)
                end = i + 1
            if uids is not None:
                for uid in uids:
                    found.add((i, end, uid))
        by_token = self._by_token
        # findall first: most names hold no id, and strings are cheaper than match objects.
        if by_token and not self._id_starts.isdisjoint(self._token_re.findall(text)):
            self._token_spans(text, found)
        return _outermost(found) if found else []

    def _token_spans(self, text: str, found: set[Span]) -> None:
        by_token = self._by_token
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]
        for j, (start, _, tok) in enumerate(toks):
            candidates = by_token.get(tok)
            if candidates is None:
                continue
            for seq, uids in candidates:
                n = len(seq)
                # An id like `dept-01` matches `DEPT_01` too: separators are not tokens.
                if n > 1 and tuple(t[2] for t in toks[j : j + n]) != seq:
                    continue
                end = toks[j + n - 1][1]
                for uid in uids:
                    found.add((start, end, uid))
                break


# --- kinds --------------------------------------------------------------------------------------

_KEYWORDS = {
    "信息采集表": "info_form",
    "典型案例": "case",
    "统计表": "statistics",
    "方案": "plan",
    "案例": "case",
    "故事": "story",
    "稿件": "report",
    "报道": "report",
    "新闻": "report",
    "简报": "report",
    "信息": "report",
    "照片": "photo",
    "图片": "photo",
    "视频": "video",
    "总结": "summary",
}
# Longest first, so 信息采集表 is never read as 信息 at the same position.
_KEYWORD_RE = re.compile("|".join(sorted(_KEYWORDS, key=len, reverse=True)))

_IMAGE_EXTS = frozenset("jpg jpeg png gif bmp webp heic heif tif tiff".split())
_VIDEO_EXTS = frozenset("mp4 mov avi mkv wmv flv m4v 3gp mpg mpeg webm".split())


def _keyword_kind(text: str) -> str | None:
    found = _KEYWORD_RE.findall(text)
    # max keeps the first of equal lengths: the longest keyword wins, then the first in the name.
    return _KEYWORDS[max(found, key=len)] if found else None


def _extension_kind(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return "report"
    if ext in _IMAGE_EXTS:
        return "photo"
    if ext in _VIDEO_EXTS:
        return "video"
    return "report"


# --- dates --------------------------------------------------------------------------------------

# One scan, alternatives tried in this order at each position, so a full date is consumed whole
# before its tail could be read as a month-day. Lookarounds keep digits of longer numbers (phone
# numbers, timestamps, versions like 1.5.13) from being read as dates. Years are 20xx: an 8-digit
# number with another century is a serial number, not a date. The leading lookahead is only for
# speed: it fails most positions at once. Each branch ends in its own group, so `lastgroup` tells
# which form matched.
_DATE_RE = re.compile(
    r"(?=[\d第d])(?:(?<!\d)(?:"
    r"(?P<y1>20\d\d)(?P<s1>[-_.])(?P<m1>\d{1,2})(?P=s1)(?P<ymd>\d{1,2})(?!\d)"
    r"|(?P<y2>20\d\d)\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<ynd>\d{1,2})\s*[日号]?(?!\d)"
    r"|(?P<y3>20\d\d)(?P<m3>\d\d)(?P<compact>\d\d)(?!\d)"
    r"|(?P<m4>\d{1,2})\s*月\s*(?P<md>\d{1,2})\s*[日号]?(?!\d)"
    r"|(?<!\d[.-])(?P<m5>\d{1,2})[.-](?P<mdsep>\d{1,2})(?![.-]?\d)"
    r")|(?<![a-z])day[\s_-]*(?P<dayn>\d{1,2})(?!\d)"
    r"|第\s*(?P<nthday>\d{1,2}|[一二三四五六七八九十]{1,3})\s*天)"
)
# For each branch: the groups holding year, month, day (year None: the event's).
_DATE_GROUPS: dict[str, tuple[str | None, str, str]] = {
    "ymd": ("y1", "m1", "ymd"),
    "ynd": ("y2", "m2", "ynd"),
    "compact": ("y3", "m3", "compact"),
    "md": (None, "m4", "md"),
    "mdsep": (None, "m5", "mdsep"),
}

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _day_number(text: str) -> int | None:
    """3 or 三 or 十二: the n of 第n天. None for a malformed numeral like 十十."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _date(y: int, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(y, int(m), int(d))
    except ValueError:
        return None  # 2024-02-30 is not a date, so keep looking


# --- the reader ---------------------------------------------------------------------------------


class _Segment(NamedTuple):
    """What one path segment says, whatever its place in a path."""

    units: frozenset[str]
    kind: str | None  # by keyword
    ext_kind: str  # by extension, used only for the file name
    day: str | None  # ISO date in the week
    bad: Quarantine | None  # a date here, but outside the week


class _Folders(NamedTuple):
    """What the folders of a path say together, so files sharing them pay once."""

    units: frozenset[str]  # of the top-most folder naming any
    kind: str | None  # of the deepest folder holding a keyword
    day: str | None  # of the deepest folder holding a date
    bad: Quarantine | None


_NO_FOLDERS = _Folders(frozenset(), None, None, None)
_CACHE_MAX = 100_000


def _blank(text: str, spans: list[Span]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, _ in spans:
        if end <= pos:
            continue
        start = max(start, pos)
        out.append(text[pos:start])
        out.append(_BLANK * (end - start))
        pos = end
    out.append(text[pos:])
    return "".join(out)


class Reader:
    """Reads paths for one event and one list of units; reuse it, it caches what it reads."""

    def __init__(self, event: Event, units: Sequence[Unit]) -> None:
        self._event = event
        self._tz = event.tz
        self._start = event.start
        self._end = event.end
        self._years = sorted({event.start.year, event.end.year})  # a week may span New Year
        self._index = UnitIndex(units)
        self._unit_names = {u.id: u.name for u in units}
        self._names: dict[str, _Segment] = {}
        self._folders: dict[str, _Folders] = {"": _NO_FOLDERS}
        self._segments: dict[str, _Segment] = {}  # one folder name, wherever it appears
        # Readings are frozen and few distinct: sharing them saves building one per file.
        self._readings: dict[tuple[str | None, str, str | None, Quarantine | None], Reading] = {}

    def read(self, relpath: str, arrived: dt.datetime) -> Reading:
        """Unit, kind and cell of a path relative to inbox/, or why it must be quarantined.

        `arrived` should be aware (a naive one is taken as the machine's local time); it places
        an undated daily material on its day.
        """
        folder, _, name = relpath.rpartition("/")
        f = self._folders.get(folder)
        if f is None:
            f = self._read_folders(folder)
        n = self._names.get(name)
        if n is None:
            n = self._read_name(name)

        # The top-most folder naming a unit decides, whatever deeper folders or the name say.
        units = f.units or n.units
        unit: str | None = None
        why: Quarantine | None = None
        if len(units) == 1:
            (unit,) = units
        elif not units:
            why = Quarantine.of(Code.NO_UNIT)
        else:
            names = sorted(self._unit_names.get(u, u) for u in units)
            if len(names) == 2:
                why = Quarantine.of(Code.TWO_UNITS, units=names)
            else:
                why = Quarantine.of(Code.MANY_UNITS, n=len(names), units=names)

        kind = n.kind or f.kind or n.ext_kind

        cell: str | None = None
        bad: Quarantine | None = None
        if kind in PLAN_KINDS:
            cell = PLAN  # dates in plans and summaries are ignored: they say when, not where
        elif kind in SUMMARY_KINDS:
            cell = SUMMARY
        elif n.day or n.bad:  # the file name's date first, then the deepest folder's
            cell, bad = n.day, n.bad
        elif f.day or f.bad:
            cell, bad = f.day, f.bad
        else:
            day = arrived.astimezone(self._tz).date()  # event.day_of, without rebuilding tz
            if self._start <= day <= self._end:
                cell = day.isoformat()
            else:
                bad = Quarantine.of(Code.ARRIVED_OUTSIDE, date=day.isoformat())
        if bad:
            why = why + bad if why else bad

        key = (unit, kind, cell, why)
        reading = self._readings.get(key)
        if reading is None:
            if len(self._readings) >= _CACHE_MAX:
                self._readings.clear()
            reading = self._readings[key] = Reading(*key)
        return reading

    def _read_name(self, raw: str) -> _Segment:
        if len(self._names) >= _CACHE_MAX:
            self._names.clear()  # crude, but bounded
        seg = self._names[raw] = self._analyse(raw)
        return seg

    def _read_folders(self, folder: str) -> _Folders:
        if len(self._folders) >= _CACHE_MAX:
            self._folders.clear()
            self._segments.clear()
        segs = [self._folder_segment(p) for p in folder.split("/") if p]
        dated = next((s for s in reversed(segs) if s.day or s.bad), None)
        f = self._folders[folder] = _Folders(
            units=next((s.units for s in segs if s.units), _NO_UNITS),
            kind=next((s.kind for s in reversed(segs) if s.kind), None),
            day=dated.day if dated else None,
            bad=dated.bad if dated else None,
        )
        return f

    def _folder_segment(self, raw: str) -> _Segment:
        # 舞钢市/2024-05-13 and 舞钢市/2024-05-14 share what 舞钢市 says.
        seg = self._segments.get(raw)
        if seg is None:
            seg = self._segments[raw] = self._analyse(raw)
        return seg

    def _analyse(self, raw: str) -> _Segment:
        text = normalize(raw)
        spans = self._index.spans(text)
        ext_kind = _extension_kind(text)
        if spans:
            # Neither keywords nor dates are read from a unit's name: 江苏信息职业技术学院 is a
            # college, not a 信息 report.
            text = _blank(text, spans)
        day, bad = self._find_date(text)
        units = frozenset([uid for _, _, uid in spans]) if spans else _NO_UNITS
        return _Segment(units, _keyword_kind(text), ext_kind, day, bad)

    def _find_date(self, text: str) -> tuple[str | None, Quarantine | None]:
        """The first date in the week; else why the first out-of-week date cannot be used."""
        bad: Quarantine | None = None
        for m in _DATE_RE.finditer(text):
            form = m.lastgroup
            if form == "dayn" or form == "nthday":
                n = _day_number(m.group(form))
                if n is None:
                    continue
                if 1 <= n <= self._event.days:
                    return (self._start + dt.timedelta(days=n - 1)).isoformat(), None
                bad = bad or Quarantine.of(Code.DAY_OUTSIDE, n=n)
                continue
            y, mo, d = _DATE_GROUPS[form or ""]
            if y is None:
                # A month-day outside the week is a name (6.1儿童节), not a date.
                for year in self._years:
                    date = _date(year, m.group(mo), m.group(d))
                    if date and self._start <= date <= self._end:
                        return date.isoformat(), None
                continue
            date = _date(int(m.group(y)), m.group(mo), m.group(d))
            if date is None:
                continue
            if self._start <= date <= self._end:
                return date.isoformat(), None
            bad = bad or Quarantine.of(Code.DATE_OUTSIDE, date=date.isoformat())
        return None, bad
