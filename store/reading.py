"""The reading rules: what a dropped file's path says about its unit, its kind and its cell.

Pure: strings and dates in, a `Reading` out, no I/O. File names are written by people, so every
rule here is tolerant of form (full-width digits, traditional characters, mixed scripts, many
ways of writing a date) and strict about meaning: when in doubt, quarantine, never guess. A unit
is named only by its whole name or alias (`names.py`: 九中 is not inside 十九中); of two units,
the one leading the name is the sender when the other comes after the date or the activity words
(叶县教体局11月9日职业启蒙进九中); a day stated in the name is never replaced by the arrival day
(`dates.py`), and a stated day outside the week is a reason, with that day in it.

Speed matters because ingest reads every file of a full inbox at start-up: a `Reader` caches
what it learned from each folder (many files share one) and finds unit names through an index
on their first two characters, never by scanning every alias. A path whose name it has not seen
costs some 40 µs (about 25,000 reads/s on a busy 2-core box, 500 units with aliases; judging
whole names and reading weekdays and ranges cost about half of that); a path it has seen, about
1 µs. Sanity check, not a test::

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
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .dates import NO_DATE, Dated, DateReader
from .folding import normalize as normalize  # where the reading rules' callers find it
from .model import PLAN, PLAN_KINDS, SUMMARY, SUMMARY_KINDS, Event, Reading, Unit
from .names import ACTIVITY_WORDS, CONNECTORS, Inside, Judge, Match
from .reasons import Code, Quarantine

# --- names --------------------------------------------------------------------------------------


def digits_only(units: Iterable[Unit]) -> list[str]:
    """Ids and aliases of digits alone (a roster's 编号 1–27): they name their unit only as a
    whole folder or file name, never inside a name, where they are dates (11-09活动照片)."""
    return [key for u in units for key in (u.id, *u.aliases) if normalize(key).strip().isdigit()]


# --- ignored files ------------------------------------------------------------------------------

_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
# Files still being written by a browser or a transfer tool: they will be renamed when complete.
_PARTIAL_SUFFIXES = (".part", ".crdownload", ".filepart", ".tmp", ".download")


@functools.lru_cache(maxsize=8192)
def _ignored_segment(segment: str) -> bool:
    s = normalize(segment)
    # A leading dot covers hidden files, .DS_Store and LibreOffice's `.~lock.*#` alike.
    return s.startswith((".", "~$")) or s.endswith(_PARTIAL_SUFFIXES) or s in _IGNORED_NAMES


def ignored_name(name: str) -> bool:
    """Whether one name in a folder that is not ignored is: `is_ignored` for that segment,
    at a scan's speed. The traditional → simplified step of `normalize` is left out: it never
    changes an ASCII character nor makes one, and these tests look at ASCII only (a test
    checks every character OpenCC converts)."""
    s = name.casefold() if name.isascii() else unicodedata.normalize("NFKC", name).casefold()
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
        #: unit id → its normalized name and aliases (what a longer name must agree with).
        self.keys_of: dict[str, tuple[str, ...]] = {}
        for unit in units:
            own = []
            for key in (unit.name, *unit.aliases):
                k = normalize(key).strip()
                if k:
                    keys.setdefault(k, set()).add(unit.id)
                    own.append(k)
            self.keys_of[unit.id] = tuple(own)
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

    def prefixed(self, key: str) -> list[tuple[str, str]]:
        """(unit id, key) of the longer keys beginning with `key` (寿光市 → 寿光市职业教育中心
        学校): from the bucket of its first two characters, never a scan of every key."""
        if len(key) < 2:
            return []
        bucket = self._by_first.get(key[0], {}).get(key[1], ())
        return [
            (uid, k)
            for n, keyed in bucket
            if n > len(key)
            for k, uids in keyed.items()
            if k.startswith(key)
            for uid in sorted(uids)
        ]

    def keys_of_all(self) -> list[str]:
        """Every normalized name and alias the index finds."""
        return [k for keys in self.keys_of.values() for k in keys]

    def matches(self, text: str) -> list[Match]:
        """The candidate matches (outermost only), for `names.Judge` to keep or reject."""
        return [Match(*span) for span in self.spans(text)]

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
    "联络员": "info_form",
    "回执": "info_form",
    "宣传专栏": "column_link",
    "专栏地址": "column_link",
    "网址": "column_link",
    "网站": "column_link",
    "链接": "column_link",
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
    "活动周总结": "summary",
    "工作总结": "summary",
    "总结报告": "summary",
    "总结": "summary",
}
# Longest first, so 信息采集表 is never read as 信息 at the same position.
_KEYWORD_RE = re.compile("|".join(sorted(_KEYWORDS, key=len, reverse=True)))
# Names written in English (seed 000's week): whole words only (plan, not explanation); looked
# for apart, among a name's Latin words, so the Chinese keywords' scan stays one fast pattern.
_EN_KEYWORDS = {
    "plan": "plan",
    "plans": "plan",
    "liaison": "info_form",
    "website": "column_link",
    "link": "column_link",
    "case": "case",
    "cases": "case",
    "story": "story",
    "stories": "story",
    "report": "report",
    "news": "report",
    "article": "report",
    "photo": "photo",
    "photos": "photo",
    "picture": "photo",
    "pictures": "photo",
    "video": "video",
    "videos": "video",
    "summary": "summary",
    "statistics": "statistics",
    "statistical": "statistics",
}
_LATIN_WORD_RE = re.compile(r"[a-z]{4,}")  # every English keyword is four letters or more
_LATIN_RE = re.compile(r"[a-z]")


def _found_keywords(text: str) -> list[str]:
    found = _KEYWORD_RE.findall(text)
    if _LATIN_RE.search(text) is not None:
        found += [w for w in _LATIN_WORD_RE.findall(text) if w in _EN_KEYWORDS]
    return found


_IMAGE_EXTS = frozenset("jpg jpeg png gif bmp webp heic heif tif tiff".split())
_VIDEO_EXTS = frozenset("mp4 mov avi mkv wmv flv m4v 3gp mpg mpeg webm".split())


def kind_named(text: str) -> str | None:
    """The kind a name's words say (照片, 典型案例, 情况统计表), or None: what an operator types
    for a kind reads as a file name's words do."""
    return _keyword_kind(text)


def kinds_named(name: str) -> frozenset[str]:
    """Every kind a file name's words name (方案与信息采集表: plan and info_form), not only the
    one its reading keeps: a file may hold two of a column's required kinds."""
    return frozenset(_kind_of(w) for w in _found_keywords(normalize(name)))


def _keyword_kind(text: str) -> str | None:
    found = _found_keywords(text)
    # max keeps the first of equal lengths: the longest keyword wins, then the first in the name.
    return _kind_of(max(found, key=len)) if found else None


def _kind_of(word: str) -> str:
    return _KEYWORDS.get(word) or _EN_KEYWORDS[word]


def _extension_kind(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return "report"
    if ext in _IMAGE_EXTS:
        return "photo"
    if ext in _VIDEO_EXTS:
        return "video"
    return "report"


# --- the reader ---------------------------------------------------------------------------------


class _Segment(NamedTuple):
    """What one path segment says, whatever its place in a path."""

    units: frozenset[str]  # the sender: one unit, or several when no rule tells which
    after_other: str | None  # a name not on the roster leading the segment, before its units
    named: tuple[tuple[str, str], ...]  # (unit id, the words that named it), in order
    inside: tuple[Inside, ...]  # names found only inside longer names
    kind: str | None  # by keyword
    ext_kind: str  # by extension, used only for the file name
    dated: Dated


class _Folders(NamedTuple):
    """What the folders of a path say together, so files sharing them pay once."""

    top: _Segment | None  # the top-most folder naming any unit
    inside: tuple[Inside, ...]  # of the top-most folder holding such names
    kind: str | None  # of the deepest folder holding a keyword
    dated: Dated  # of the deepest folder holding a date
    other_year: Quarantine | None  # any folder's


_NO_FOLDERS = _Folders(None, (), None, NO_DATE, None)
_CACHE_MAX = 100_000
_ReadingKey = tuple[str | None, str, str | None, Quarantine | None, str | None]


def _blank(text: str, spans: Sequence[Match]) -> str:
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


# Between a leading unit and another, a date or one of these makes the other a partner.
_PARTNER_RE = re.compile(
    r"\d|" + "|".join(re.escape(w) for w in sorted({*ACTIVITY_WORDS, *_KEYWORDS}, reverse=True))
)
_CONNECTOR_RE = re.compile("|".join(re.escape(w) for w in CONNECTORS))
_LEAD_NOISE_RE = re.compile(r"[^\w]|[\da-z_]|20\d\d年|关于")


def _sender(text: str, kept: Sequence[Match]) -> frozenset[str]:
    """The unit that sent a segment naming several: the leading one, if the others are partners.

    叶县教体局11月9日职业启蒙进九中: 叶县 leads, 九中 comes after the date, so 叶县 sent it.
    舞钢市与汝州市联合活动报道: nothing but 与 between them, so no rule tells: all are returned.
    """
    units = frozenset(m.unit for m in kept)
    if len(units) <= 1:
        return units
    first = kept[0]
    leading = not _LEAD_NOISE_RE.sub("", text[: first.start]).strip(_BLANK)
    if not leading or sum(1 for m in kept if m.start == first.start) > 1:
        return units  # one alias of two units, or a name that does not begin with a unit
    second = next(m for m in kept if m.unit != first.unit)
    between = text[first.end : second.start]
    if _PARTNER_RE.search(between):
        return frozenset([first.unit])
    return units


class Reader:
    """Reads paths for one event and one list of units; reuse it, it caches what it reads."""

    def __init__(
        self,
        event: Event,
        units: Sequence[Unit],
        *,
        index: UnitIndex | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """`index` and `names` (unit id → name), when given, stand for `units`: the index
        kept beside the roster (store/reading_index.py) saves folding every name again."""
        self._event = event
        self._tz = event.tz
        self._start = event.start
        self._end = event.end
        self._index = UnitIndex(units) if index is None else index
        self._judge = Judge(self._index.keys_of, _KEYWORDS, self._index.prefixed)
        self._dates = DateReader(event)
        self._unit_names = {u.id: u.name for u in units} if names is None else dict(names)
        self._shorts: tuple[re.Pattern[str], dict[str, list[str]]] | tuple[()] | None = None
        self._names: dict[str, _Segment] = {}
        self._folders: dict[str, _Folders] = {"": _NO_FOLDERS}
        self._segments: dict[str, _Segment] = {}  # one folder name, wherever it appears
        # Readings are frozen and few distinct: sharing them saves building one per file.
        self._readings: dict[_ReadingKey, Reading] = {}

    def read(self, relpath: str, arrived: dt.datetime) -> Reading:
        """Unit, kind and cell of a path relative to inbox/, or why it must be quarantined.

        `arrived` should be aware (a naive one is taken as the machine's local time); it places
        an undated daily material on its day, never one whose name states a day.
        """
        folder, _, name = relpath.rpartition("/")
        f = self._folders.get(folder)
        if f is None:
            f = self._read_folders(folder)
        n = self._names.get(name)
        if n is None:
            n = self._read_name(name)

        # The top-most folder naming a unit decides, whatever deeper folders or the name say.
        seg = f.top or (n if n.units else None)
        unit: str | None = None
        why: Quarantine | None = None
        if seg is None:
            inside = f.inside or n.inside
            why = self._inside(inside) if inside else self._no_unit(relpath)
        elif seg.after_other is not None:
            # Another name leads: the unit named after it may be its host, not its sender.
            why = Quarantine.of(Code.AFTER_OTHER, unit=self._words(seg), other=seg.after_other)
        elif len(seg.units) == 1:
            (unit,) = seg.units
        else:
            why = self._several(seg)

        kind = n.kind or f.kind or n.ext_kind
        dated = n.dated if n.dated.day or n.dated.bad else f.dated
        other_year = n.dated.other_year or f.other_year

        cell: str | None = None
        until: str | None = None
        bad: Quarantine | None = None
        if kind in SUMMARY_KINDS and kind != "statistics" and dated.day:
            # A date in the week beats the keyword: 11月10日活动总结 is that day's report.
            kind, cell, until = "report", dated.day, dated.until
        elif kind in PLAN_KINDS or kind in SUMMARY_KINDS:
            # Other dates in plans and summaries say when they were written, not where they go;
            # another year's says it is another week's.
            cell = PLAN if kind in PLAN_KINDS else SUMMARY
            bad = other_year
        elif dated.day or dated.bad:
            cell, until, bad = dated.day, dated.until, dated.bad
        elif other_year:
            bad = other_year
        else:
            day = arrived.astimezone(self._tz).date()  # event.day_of, without rebuilding tz
            if self._start <= day <= self._end:
                cell = day.isoformat()
            else:
                bad = Quarantine.of(Code.ARRIVED_OUTSIDE, date=day.isoformat())
        if bad:
            cell = None  # a file naming another day never counts for one it does not name
            why = why + bad if why else bad

        key = (unit, kind, cell, why, until)
        reading = self._readings.get(key)
        if reading is None:
            if len(self._readings) >= _CACHE_MAX:
                self._readings.clear()
            reading = self._readings[key] = Reading(*key)
        return reading

    def _no_unit(self, relpath: str) -> Quarantine:
        """Why no unit: a short name two units' names both leave (吉林 of 吉林省教育厅 and
        吉林市教育局), so neither keeps it, said as the two it may be; else none named."""
        shared = self._shared_short()
        if shared:
            text = normalize(relpath)
            for m in shared[0].finditer(text):
                whole, _ = self._judge.judge(text, [Match(m.start(), m.end(), "")], len(text))
                if whole:
                    units = [f"{self.unit_name(u)} ({m.group()})" for u in shared[1][m.group()]]
                    return self._several_of(units)
        return Quarantine.of(Code.NO_UNIT)

    def _shared_short(self) -> tuple[re.Pattern[str], dict[str, list[str]]] | None:
        # Made on the first file no unit is found for: most weeks never need it.
        if self._shorts is None:
            from .unit_names import alias_candidates

            keys = set(self._index.keys_of_all())
            owners: dict[str, list[str]] = {}
            for uid, name in self._unit_names.items():
                for c in alias_candidates(name):
                    k = normalize(c)
                    if k not in keys and uid not in owners.get(k, []):
                        owners.setdefault(k, []).append(uid)
            both = {k: v for k, v in owners.items() if len(v) > 1}
            pattern = "|".join(re.escape(k) for k in sorted(both, key=len, reverse=True))
            self._shorts = (re.compile(pattern), both) if both else ()
        return self._shorts or None

    def unit_name(self, uid: str) -> str:
        """A unit's name, as the reasons say it (an id no longer on the roster as itself)."""
        return self._unit_names.get(uid, uid)

    def _word(self, uid: str, word: str) -> str:
        name = self._unit_names.get(uid, uid)
        return name if normalize(name) == word else f"{name} ({word})"

    def _words(self, seg: _Segment) -> list[str]:
        """The segment's units, by name with the words that named them, in order."""
        seen: dict[str, str] = {}
        for uid, word in seg.named:
            if uid in seg.units:
                seen.setdefault(uid, self._word(uid, word))
        return list(seen.values())

    def _several(self, seg: _Segment) -> Quarantine:
        return self._several_of(self._words(seg))

    def _several_of(self, words: list[str]) -> Quarantine:
        if len(words) == 2:
            return Quarantine.of(Code.TWO_UNITS, units=words)
        return Quarantine.of(Code.MANY_UNITS, n=len(words), units=words)

    def _inside(self, found: Sequence[Inside]) -> Quarantine:
        by_inside: dict[str, list[str]] = {}
        shared: list[Inside] = []
        for x in found:
            if x.shared:
                shared.append(x)  # said apart: which names begin with the same words
                continue
            words = by_inside.setdefault(x.inside, [])
            w = self._word(x.unit, x.word)
            if w not in words:
                words.append(w)
        said = [
            Quarantine.of(
                Code.SHARED_START,
                word=x.word,
                unit=self.unit_name(x.unit),
                others=[self.unit_name(u) for u in x.shared],
                inside=x.inside,
            ).reasons[0]
            for x in shared
        ]
        return Quarantine(
            tuple(
                said
                + [
                    Quarantine.of(Code.ONLY_INSIDE, words=words, inside=inside).reasons[0]
                    for inside, words in by_inside.items()
                ]
            )
        )

    def _read_name(self, raw: str) -> _Segment:
        if len(self._names) >= _CACHE_MAX:
            self._names.clear()  # crude, but bounded
        seg = self._names[raw] = self._analyse(raw, is_name=True)
        return seg

    def _read_folders(self, folder: str) -> _Folders:
        if len(self._folders) >= _CACHE_MAX:
            self._folders.clear()
            self._segments.clear()
        segs = [self._folder_segment(p) for p in folder.split("/") if p]
        dated = next((s.dated for s in reversed(segs) if s.dated.day or s.dated.bad), NO_DATE)
        f = self._folders[folder] = _Folders(
            top=next((s for s in segs if s.units), None),
            inside=next((s.inside for s in segs if s.inside), ()),
            kind=next((s.kind for s in reversed(segs) if s.kind), None),
            dated=dated,
            other_year=next((s.dated.other_year for s in segs if s.dated.other_year), None),
        )
        return f

    def _folder_segment(self, raw: str) -> _Segment:
        # 舞钢市/2024-05-13 and 舞钢市/2024-05-14 share what 舞钢市 says.
        seg = self._segments.get(raw)
        if seg is None:
            seg = self._segments[raw] = self._analyse(raw, is_name=False)
        return seg

    def _analyse(self, raw: str, *, is_name: bool) -> _Segment:
        text = original = normalize(raw)
        ext_kind = _extension_kind(text)
        stem = len(text)
        if is_name:
            base, dot, _ = text.rpartition(".")
            if dot and base:
                stem = len(base)
        kept: list[Match] = []
        inside: list[Inside] = []
        spans = self._index.matches(text)
        if spans:
            kept, inside = self._judge.judge(text, spans, stem)
            # Neither keywords nor dates are read from a unit's name: 江苏信息职业技术学院 is a
            # college, not a 信息 report. Names found only inside longer names are not blanked:
            # 十九中 is still no unit's, and its date still a date.
            text = _blank(text, kept)
        units = _sender(text, kept) if kept else _NO_UNITS
        named = tuple((m.unit, original[m.start : m.end]) for m in kept)
        other = self._judge.other_leader(original, kept, inside) if kept else None
        return _Segment(
            units,
            other,
            named,
            tuple(inside),
            _keyword_kind(text),
            ext_kind,
            self._dates.read(text),
        )
