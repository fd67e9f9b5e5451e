"""The reading rules: what a dropped file's path says about its unit, its kind and its cell.

Pure: strings and dates in, a `Reading` out, no I/O. File names are written by people, so every
rule here is tolerant of form (full-width digits, mixed scripts, five ways of writing a date) and
strict about meaning (a number is only a date if it is one, and lies in the week).

Speed matters because ingest reads every file of a full inbox at start-up: a `Reader` caches
what it learned from each path segment (folders are shared by many files) and finds unit names
through a first-character index, never by scanning every alias. Sanity check, not a test::

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
from dataclasses import dataclass

from .model import PLAN, PLAN_KINDS, SUMMARY, SUMMARY_KINDS, Event, Reading, Unit

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
    return any(_ignored_segment(seg) for seg in relpath.split("/") if seg)


# --- units --------------------------------------------------------------------------------------

# Ids are tokens: runs of letters or digits. CJK characters are letters too, so a run of ASCII
# next to a run of other script is also split, or `weidong照片` would never name `weidong`.
_TOKEN_RE = re.compile(r"[a-zA-Z0-9]+|[^\W_a-zA-Z0-9]+")

Span = tuple[int, int, str]


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(m.group() for m in _TOKEN_RE.finditer(text))


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
        # Keys are indexed by their first two characters, then grouped by length, longest first:
        # at each position of a name a few slices and dict lookups find the longest key there,
        # however many units share a prefix like 平顶山.
        self._single = {k: frozenset(v) for k, v in keys.items() if len(k) == 1}
        grouped: dict[str, dict[int, dict[str, frozenset[str]]]] = {}
        for k, v in keys.items():
            if len(k) > 1:
                grouped.setdefault(k[:2], {}).setdefault(len(k), {})[k] = frozenset(v)
        self._by_bigram = {
            b: tuple(sorted(by_len.items(), reverse=True)) for b, by_len in grouped.items()
        }
        by_token: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        for toks in sorted(ids, key=len, reverse=True):
            by_token.setdefault(toks[0], []).append((toks, frozenset(ids[toks])))
        self._by_token = {t: tuple(v) for t, v in by_token.items()}

    def find(self, text: str) -> set[str]:
        """Unit ids named in one path segment, after dropping matches inside longer ones."""
        return {uid for _, _, uid in self.spans(text)}

    def spans(self, text: str) -> list[Span]:
        """(start, end, unit_id) of the kept matches, in order of start."""
        found: set[Span] = set()
        by_bigram = self._by_bigram
        single = self._single
        for i in range(len(text)):
            groups = by_bigram.get(text[i : i + 2])
            uids: frozenset[str] | None = None
            end = i
            if groups is not None:
                for n, keyed in groups:
                    uids = keyed.get(text[i : i + n])
                    if uids is not None:
                        end = i + n
                        break
            if uids is None and single:
                uids = single.get(text[i])
                end = i + 1
            if uids is not None:
                for uid in uids:
                    found.add((i, end, uid))
        if self._by_token:
            self._token_spans(text, found)
        return _outermost(found)

    def _token_spans(self, text: str, found: set[Span]) -> None:
        by_token = self._by_token
        for m in _TOKEN_RE.finditer(text):
            candidates = by_token.get(m.group())
            if candidates is None:
                continue
            for seq, uids in candidates:
                end = m.end()
                if len(seq) > 1:
                    # An id like `dept-01` matches `DEPT_01` too: separators are not tokens.
                    rest = _TOKEN_RE.finditer(text, end)
                    nxt = [next(rest, None) for _ in seq[1:]]
                    if any(t is None or t.group() != s for t, s in zip(nxt, seq[1:])):
                        continue
                    end = nxt[-1].end()  # type: ignore[union-attr]
                for uid in uids:
                    found.add((m.start(), end, uid))
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
    best = ""
    for m in _KEYWORD_RE.finditer(text):
        if len(m.group()) > len(best):  # strictly longer: of equal length, the first stays
            best = m.group()
    return _KEYWORDS[best] if best else None


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
# number with another century is a serial number, not a date.
_DATE_RE = re.compile(
    r"(?<!\d)(?P<y1>20\d\d)(?P<s1>[-_.])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<y2>20\d\d)\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?(?!\d)"
    r"|(?<!\d)(?P<y3>20\d\d)(?P<m3>\d\d)(?P<d3>\d\d)(?!\d)"
    r"|(?<![a-z])day[\s_-]*(?P<n1>\d{1,2})(?!\d)"
    r"|第\s*(?P<n2>\d{1,2}|[一二三四五六七八九十]{1,3})\s*天"
    r"|(?<!\d)(?P<m4>\d{1,2})\s*月\s*(?P<d4>\d{1,2})\s*[日号]?(?!\d)"
    r"|(?<!\d)(?<!\d[.-])(?P<m5>\d{1,2})[.-](?P<d5>\d{1,2})(?![.-]?\d)"
)

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


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None  # 2024-02-30 is not a date, so keep looking


# --- the reader ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """What one path segment says, whatever its place in a path."""

    units: frozenset[str]
    kind: str | None  # by keyword
    ext_kind: str  # by extension, used only for the file name
    day: str | None  # ISO date in the week
    bad: str | None  # a date here, but outside the week


_CACHE_MAX = 100_000
_BLANK = "\x00"  # neither a digit, a letter nor a keyword: breaks any date or keyword it covers


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
    """Reads paths for one event and one list of units; reuse it, it caches per segment."""

    def __init__(self, event: Event, units: Sequence[Unit]) -> None:
        self._event = event
        self._tz = event.tz
        self._start = event.start
        self._end = event.end
        self._years = sorted({event.start.year, event.end.year})
        self._index = UnitIndex(units)
        self._cache: dict[str, _Segment] = {}

    def read(self, relpath: str, arrived: dt.datetime) -> Reading:
        """Unit, kind and cell of a path relative to inbox/, or why it must be quarantined.

        `arrived` should be aware; it places an undated daily material on its day.
        """
        parts = [p for p in relpath.split("/") if p] or [""]
        folders = [self._segment(p) for p in parts[:-1]]
        name = self._segment(parts[-1])
        reasons: list[str] = []

        # The top-most folder naming a unit decides, whatever deeper folders or the name say.
        units = next((f.units for f in folders if f.units), name.units)
        unit: str | None = None
        if len(units) == 1:
            (unit,) = units
        elif not units:
            reasons.append("no unit named")
        else:
            count = "two" if len(units) == 2 else str(len(units))
            reasons.append(f"names {count} units: {', '.join(sorted(units))}")

        kind = name.kind or next((f.kind for f in reversed(folders) if f.kind), name.ext_kind)

        cell: str | None
        if kind in PLAN_KINDS:
            cell = PLAN
        elif kind in SUMMARY_KINDS:
            cell = SUMMARY
        else:
            cell = None
            for seg in (name, *reversed(folders)):
                if seg.day or seg.bad:
                    cell = seg.day
                    if seg.bad:
                        reasons.append(seg.bad)
                    break
            else:
                day = arrived.astimezone(self._tz).date()  # event.day_of, without rebuilding tz
                if self._start <= day <= self._end:
                    cell = day.isoformat()
                else:
                    reasons.append(f"arrived {day.isoformat()}, outside the week, and names no date")
        return Reading(unit=unit, kind=kind, cell=cell, quarantine="; ".join(reasons) or None)

    def _segment(self, raw: str) -> _Segment:
        seg = self._cache.get(raw)
        if seg is None:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()  # crude, but bounded; folders come straight back
            seg = self._cache[raw] = self._analyse(raw)
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
        return _Segment(
            units=frozenset(uid for _, _, uid in spans),
            kind=_keyword_kind(text),
            ext_kind=ext_kind,
            day=day,
            bad=bad,
        )

    def _find_date(self, text: str) -> tuple[str | None, str | None]:
        """The first date in the week; else why the first out-of-week date cannot be used."""
        bad: str | None = None
        for m in _DATE_RE.finditer(text):
            g = m.groupdict()
            if g["n1"] or g["n2"]:
                n = _day_number(g["n1"] or g["n2"])
                if n is None:
                    continue
                if 1 <= n <= self._event.days:
                    return (self._start + dt.timedelta(days=n - 1)).isoformat(), None
                bad = bad or f"day {n} is outside the week"
            elif g["m4"] or g["m5"]:
                # A month-day outside the week is a name (6.1儿童节), not a date.
                for year in self._years:
                    d = _date(str(year), g["m4"] or g["m5"], g["d4"] or g["d5"])
                    if d and self._start <= d <= self._end:
                        return d.isoformat(), None
            else:
                d = (
                    _date(g["y1"], g["m1"], g["d1"])
                    if g["y1"]
                    else _date(g["y2"], g["m2"], g["d2"])
                    if g["y2"]
                    else _date(g["y3"], g["m3"], g["d3"])
                )
                if d is None:
                    continue
                if self._start <= d <= self._end:
                    return d.isoformat(), None
                bad = bad or f"date {d.isoformat()} is outside the week"
        return None, bad
