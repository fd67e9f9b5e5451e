"""Whether a unit's name or alias found in a file name is that unit, or part of a longer name.

Pure, and part of the reading rules (`store/reading.py` finds the candidate matches, this module
judges them). Chinese has no spaces, so "whole" is judged from what stands next to a match:

* a numeral or 第 before a name that starts with a numeral makes a longer ordinal
  (九中 in 十九中, 一中 in 第一中学);
* a place (…市, …县, …区) right before a school's short name makes another place's school
  (卫校 in 洛阳市卫校, and 市卫校 too);
* an institution word right after a name makes a longer name (湛河 in 湛河北路小学,
  卫校 in 护卫校园, 舞钢市 in 舞钢市第一中学);
* an office word after a place's name makes another office of that place (新疆 in 新疆兵团,
  河北省 in 河北省人社厅), where after an institution's name it is the unit's own department
  (潍坊职业学院宣传部, 奎文区教体局办公室).

Such a longer name still is the unit when every character of it appears, in order, in the
unit's own name or an alias (第九中学 for 平顶山市第九中学, 叶县教体局 for 叶县教育体育局,
平顶山市卫校 for 平顶山市卫生学校): abbreviations keep their name's characters in order.
Anything else is "only inside" a name the roster does not hold, and the file waits for an
operator. Activity words and keywords end a name (走进九中, 平职院校园开放日), as does any
character that is not a Chinese one. And a name the roster does not hold that leads the file name
(湛河北路小学5月15日参观卫校) makes the unit after it a likely host, not a sender: in doubt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

_NUMERALS = frozenset("〇零一二三四五六七八九十百两")
_PLACE_ENDS = frozenset("市县区镇乡州旗")  # not 省: a province holds the city named after it
_SCHOOLISH_ENDS = frozenset("校学院中小园专高")  # a school's short name: 九中, 卫校, 平职院
#: Words that end an institution's name: after a match, they make it a longer name.
INSTITUTION_WORDS = (
    "幼儿园",
    "小学",
    "中学",
    "大学",
    "学校",
    "学院",
    "分校",
    "校区",
    "医院",
    "中心",
    "公司",
    "集团",
    "职校",
    "卫校",
    "技校",
    "艺校",
    "农校",
    "中专",
    "职专",
    "职高",
    "社区",
    "园",
    "路",
    "街",
    "村",
)
_INSTITUTION_RE = re.compile("|".join(INSTITUTION_WORDS))
#: Words that end an office's name. After a place (河北, 新疆, 奎文区) they make another office
#: of that place (河北省人社厅, 河北省总工会, 新疆兵团, 潍坊团委), unless the unit's own name holds
#: its characters (河北教育厅 for 河北省教育厅). After an institution's own name they are its
#: department (潍坊职业学院宣传部, 奎文区教体局办公室): the unit's still.
OFFICE_WORDS = (
    "厅",
    "局",
    "委",
    "办",
    "兵团",
    "工会",
    "政府",
    "宣传部",
    "组织部",
    "统战部",
    "职教社",
    "法院",
    "检察院",
)
_OFFICE_RE = re.compile("|".join(OFFICE_WORDS))
# How the name of an institution or an office ends (九中, 卫校, 平职院, 兵团教育局, 交通运输行指委):
# a key ending otherwise names a place, and an office word after it makes another office.
_NAMED_ENDS = frozenset("厅局委办部处科室会团社所站馆司心院校学中园专高")
#: Words that are no part of a unit's name: what a unit did, with whom, about what. Before or
#: after one, a name ends; between two units, one of them (or a date) makes the second a partner.
ACTIVITY_WORDS = (
    "活动",
    "开展",
    "举办",
    "组织",
    "参加",
    "参观",
    "走进",
    "进",
    "赴",
    "到",
    "在",
    "关于",
    "的",
    "启动",
    "开幕",
    "仪式",
    "体验",
    "启蒙",
    "职业体验",  # 寿光市职业体验: the bureau's activity, not 寿光市职业教育中心学校 cut short
    "职业启蒙",
    "研学",
    "开放日",
    "校园",
    "招聘",
    "宣讲",
    "送教",
    "志愿",
    "服务",
    "展演",
    "展示",
    "大赛",
    "比赛",
    "交流",
    "调研",
    "融合",
    "返校",
    "学生日",
    "教师日",
    "企业日",
    "学校日",
    "职业教育活动周",
    "活动周",
)
#: Between two units, these make them joint senders (quarantine), whatever else stands there.
CONNECTORS = ("与", "和", "及", "、", "联合", "携手", "共同", "会同")
# Before a unit, these end another institution's name: it, not the unit, leads (局 too here).
_LEADER_RE = re.compile("|".join((*INSTITUTION_WORDS, "局")))
_DATE_END = re.compile(r"\d\s*[年月日号天]$")
# A date written in words after a name (寿光市第四天, 青州市十一月九日, 昌邑市周三): no part of it.
_DATE_START = re.compile(
    r"第?[〇零一二三四五六七八九十两]+[月日号天]|第\d|星期|礼拜|周[一二三四五六日天末]"
)
_LONGEST_RUN = 8  # a name's continuation is looked for this far


def is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def is_subsequence(part: str, whole: str) -> bool:
    """Every character of part appears in whole, in order (教体局 in 教育体育局)."""
    it = iter(whole)
    return all(c in it for c in part)


class Match(NamedTuple):
    start: int
    end: int
    unit: str


class Inside(NamedTuple):
    """A name or alias found only inside a longer name: the word, its unit, the longer name;
    `shared`: the units whose names also begin with the word (寿光市 of 寿光市职业教育中心学校),
    when the longer name may be either's."""

    start: int
    end: int
    unit: str
    word: str
    inside: str
    shared: tuple[str, ...] = ()


#: unit id → its normalized name and aliases.
Keys = Mapping[str, Sequence[str]]
#: The (unit id, key) pairs whose key begins with a given key and is longer (store/reading.py's
#: index answers it from its buckets by first characters).
Prefixed = Callable[[str], Sequence[tuple[str, str]]]


class Judge:
    """Judges candidate matches in one normalized segment; `words` end a name (keywords too)."""

    def __init__(self, keys: Keys, words: Iterable[str], prefixed: Prefixed | None = None) -> None:
        self._keys = keys  # unit id → its normalized name and aliases
        self._prefixed = prefixed
        self._sharing: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        ends = sorted(set(words) | set(ACTIVITY_WORDS) | set(CONNECTORS), key=len, reverse=True)
        self._stop = re.compile("|".join(re.escape(w) for w in ends))
        self._stop_end = re.compile("(?:" + "|".join(re.escape(w) for w in ends) + ")$")

    def judge(
        self, text: str, spans: Sequence[Match], stem: int
    ) -> tuple[list[Match], list[Inside]]:
        """The matches that are whole names, and those found only inside a longer name.

        `stem` is the length of the segment without its extension: an all-digit id or alias
        names a unit only as the whole segment (a folder `11`), never inside a name.
        """
        starts = {m.start for m in spans}
        ends = {m.end for m in spans}
        kept: list[Match] = []
        inside: list[Inside] = []
        for m in spans:
            key = text[m.start : m.end]
            if key.isdigit():
                if m.start == 0 and m.end == stem:
                    kept.append(m)
                continue  # 11 in 11-09活动照片 is a date, never unit 11
            if key.isascii():
                if _ascii_whole(text, m.start, m.end):
                    kept.append(m)
                continue
            lefts = self._left(text, m.start, key, ends)
            right, _, run = self._longer(text, m.end, key, starts)
            shared: tuple[tuple[str, str], ...] = ()
            if lefts == [m.start] and right == m.end:
                shared = self._shared(m.unit, key, text, m.end, run) if run > m.end else ()
                if not shared:
                    kept.append(m)
                    continue
                # 寿光市 also begins 寿光市职业教育中心学校, and what follows may be its
                # (寿光市职教…): the longer name must be the unit's own, or the other's.
                right = run
            own = self._keys.get(m.unit, ())
            if any(is_subsequence(text[lo:right], k) for lo in lefts for k in own):
                kept.append(m)
                continue
            # An abbreviation of a unit whose name begins with the match (舞钢市职教中心 for
            # 舞钢市职业教育中心 after 舞钢市): that unit's, when it is the only one, and when it
            # ends as a name does (寿光市职业… may be the school's name cut, or 职业体验).
            longer = text[m.start : right]
            others = shared or self._shared(m.unit, key, text, m.end, m.end)
            theirs = {
                uid
                for uid, k in others
                if lefts == [m.start] and longer[-1] in _NAMED_ENDS and is_subsequence(longer, k)
            }
            if len(theirs) == 1:
                kept.append(Match(m.start, right, theirs.pop()))
            else:
                shown = text[self._shown_start(text, min(lefts), ends) : right]
                units = tuple(dict.fromkeys(uid for uid, _ in shared))
                inside.append(Inside(m.start, m.end, m.unit, key, shown, units))
        return kept, inside

    def _shared(
        self, unit: str, key: str, text: str, end: int, run: int
    ) -> tuple[tuple[str, str], ...]:
        """Other units' keys beginning with `key` that what follows it (text[end:run]) may be
        continuing: its first character is one of theirs after `key` (寿光市 + 职… of
        寿光市职业教育中心学校, not 寿光市 + 技能展演). With `run == end`, all of them."""
        if self._prefixed is None:
            return ()
        found = self._sharing.get((unit, key))
        if found is None:
            found = tuple((uid, k) for uid, k in self._prefixed(key) if uid != unit)
            if len(self._sharing) > 4096:
                self._sharing.clear()
            self._sharing[(unit, key)] = found
        if run == end:
            return found
        first = text[end]
        return tuple((uid, k) for uid, k in found if first in k[len(key) :])

    def _stops_before(self, text: str, i: int) -> bool:
        # A word or a date ends there (5月13日市二职高: the 日 is the date's, not a place's).
        return (
            self._stop_end.search(text, 0, i) is not None
            or _DATE_END.search(text, 0, i) is not None
        )

    def _left(self, text: str, i: int, key: str, ends: set[int]) -> list[int]:
        """Where a longer name holding the match could start: [i] if nothing extends it."""
        if i == 0 or not is_cjk(text[i - 1]) or i in ends or self._stops_before(text, i):
            return [i]
        if key[0] in _PLACE_ENDS:
            # 市卫校 after 洛阳: the 市 is 洛阳市's, and this another city's school.
            return self._place_starts(text, i + 1, ends)
        k = i
        if key[0] in _NUMERALS:
            while k > 0 and (text[k - 1] in _NUMERALS or text[k - 1] == "第"):
                k -= 1
        if k > 0 and text[k - 1] in _PLACE_ENDS and (k < i or key[-1] in _SCHOOLISH_ENDS):
            return self._place_starts(text, k, ends)
        return [k]

    def _place_starts(self, text: str, k: int, ends: set[int]) -> list[int]:
        # The place is a few characters ending at text[k-1]; how many is not known, so each
        # length from 3 up (2 when that is all there is: 叶县) is tried. Two are too few
        # otherwise: 山市 would make 中山市卫校 the 平顶山市卫生学校.
        lo = k
        while lo > 0 and k - lo < 4 and is_cjk(text[lo - 1]) and lo not in ends:
            if lo < k and self._stops_before(text, lo):
                break
            lo -= 1
        run = k - lo
        return [k - n for n in range(min(3, run), run + 1)] or [k]

    def whole_in(self, label: str, i: int, j: int) -> bool:
        """Whether a file named `label` would read text[i:j] as a whole name: not inside a
        longer one (潍坊 in 潍坊职业学院, 新疆 in 新疆生产建设兵团教育局, 寿光市 in
        寿光市职业教育中心学校 are inside). What a derived short name may be kept for."""
        kept, _ = self.judge(label, [Match(i, j, "")], len(label))
        return bool(kept)

    def _longer(self, text: str, j: int, key: str, starts: set[int]) -> tuple[int, bool, int]:
        # Where a longer name holding the match ends (j if nothing extends it), whether an
        # office word ends it, and where the characters that might continue it end.
        n = len(text)
        if (
            j == n
            or not is_cjk(text[j])
            or j in starts
            or self._stop.match(text, j)
            or _DATE_START.match(text, j)
        ):
            return j, False, j
        r = j
        while r < n and r - j < _LONGEST_RUN and is_cjk(text[r]) and r not in starts:
            if r > j and (self._stop.match(text, r) or _DATE_START.match(text, r)):
                break
            r += 1
        # The institution word may begin in the match itself: 九中 + 学 is 中学.
        end = j
        for w in _INSTITUTION_RE.finditer(text, j - 1, r):
            if w.end() > j:
                end = w.end()
        if end == j and key[-1] not in _NAMED_ENDS:
            # A place's first office after it: 新疆 + 兵团, 河北省 + 人社厅; what follows that
            # office (办公室 of 奎文区教体局办公室) is its own department, not a longer name.
            office = _OFFICE_RE.search(text, j, r)
            if office is not None:
                return office.end(), True, r
        return end, False, r

    def _shown_start(self, text: str, i: int, ends: set[int]) -> int:
        # For the reason: the longer name from where its characters begin.
        lo = i
        while lo > 0 and i - lo < _LONGEST_RUN and is_cjk(text[lo - 1]) and lo not in ends:
            if self._stops_before(text, lo):
                break
            lo -= 1
        return lo

    def other_leader(
        self, text: str, kept: Sequence[Match], inside: Sequence[Inside]
    ) -> str | None:
        """A name the roster does not hold, leading the name before its first unit, if any.

        湛河北路小学5月15日参观卫校: the primary school leads, so 卫校 is more likely its host
        than its sender. Activity words are no name (学校日卫校照片 is the school's own).
        """
        first = kept[0].start
        for x in inside:
            if x.start < first:
                return x.inside
        prefix = self._stop.sub(lambda w: " " * len(w.group()), text[:first])
        found = None
        for found in _LEADER_RE.finditer(prefix):  # the last one, nearest the unit  # noqa: B007
            pass
        if found is None:
            return None
        lo = found.start()
        while lo > 0 and found.end() - lo < _LONGEST_RUN and is_cjk(prefix[lo - 1]):
            lo -= 1
        return text[lo : found.end()]


def _ascii_whole(text: str, i: int, j: int) -> bool:
    before = text[i - 1] if i else ""
    after = text[j] if j < len(text) else ""
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())
