"""How typed and written names are compared: width, case, and traditional → simplified. Pure.

The reading rules, the roster and every input field fold names through `normalize`. OpenCC's
tables are loaded on the first text that needs them (ASCII never does), so a command given a
unit's id or its name exactly as the roster has it never loads them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

_SURROGATES = re.compile("[\ud800-\udfff]+")
_SURROGATE_SPLIT = re.compile("([\ud800-\udfff]+)")


@functools.cache
def _t2s() -> Callable[[str], str]:
    # OpenCC's own tables (the `opencc` wheel): 藝術設計學院 and 艺术设计学院 are one name.
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def width_case(text: str) -> str:
    """NFKC and casefold alone: ５月１３日 reads as 5月13日, WEIDONG as weidong."""
    return unicodedata.normalize("NFKC", text).casefold()


def normalize(text: str) -> str:
    """NFKC, casefold, traditional → simplified: ５月１３日 reads as 5月13日, WEIDONG as weidong,
    藝術設計學院活動週 as 艺术设计学院活动周. Names, aliases and paths alike go through it."""
    folded = width_case(text)
    if folded.isascii():
        return folded
    t2s = _t2s()
    if _SURROGATES.search(folded) is None:
        return t2s(folded)
    # An undecodable byte of a file name (os.fsdecode's lone surrogate) has no UTF-8 form for
    # OpenCC: convert around it.
    return "".join(
        part if _SURROGATES.fullmatch(part) else t2s(part)
        for part in _SURROGATE_SPLIT.split(folded)
        if part
    )
