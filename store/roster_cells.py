"""Cells as people fill them: several e-mails or phones in one cell, full-width digits, spaces;
and rows that are no unit at all (totals, notes, a repeated header). Pure functions."""

from __future__ import annotations

import re
import unicodedata

from .reading import normalize

# Full-width and ideographic spaces and the no-break space count as spaces; strip() alone keeps
# U+3000 only on some paths, so say it.
_SPACE = "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"


def clean(text: str) -> str:
    """A cell's text with spaces (full-width ones too) stripped at both ends."""
    return text.strip().strip(_SPACE).strip()


def one_line(text: str) -> str:
    """A name on one line: line breaks inside it (Alt+Enter in Excel) joined, runs of spaces
    made one. Chinese runs on without a space; Latin words keep one between them."""
    text = clean(text)
    if "\n" in text or "\r" in text:
        joined = ""
        for part in re.split(r"\r\n|\r|\n", text):
            part = clean(part)
            if not part:
                continue
            if joined and joined[-1].isascii() and part[0].isascii():
                joined += " "
            joined += part
        text = joined
    return re.sub(f"[ \t{_SPACE}]{{2,}}", " ", text)


# --- several values in one cell -----------------------------------------------------------------

_SPLIT = re.compile(r"[；;、，,/／|｜\s]+")
_SPLIT_NO_SPACE = re.compile(r"[；;、，,/／|｜\r\n]+")
#: What people write in a cell that has nothing to say.
_NOTHING = frozenset({"无", "暂无", "没有", "/", "-", "—", "——", "空", "none", "n/a", "na"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def emails(text: str) -> tuple[list[str], list[str]]:
    """(addresses, pieces that are not addresses) from one cell."""
    good: list[str] = []
    bad: list[str] = []
    text = unicodedata.normalize("NFKC", text)
    for piece in _SPLIT.split(text):
        piece = piece.strip().strip("<>()[]\"'“”‘’.。").strip()
        if piece.casefold().startswith("mailto:"):
            piece = piece[7:]
        if not piece or piece.casefold() in _NOTHING:
            continue
        if _EMAIL.fullmatch(piece):
            if piece.casefold() not in (g.casefold() for g in good):
                good.append(piece)
        else:
            bad.append(piece)
    return good, bad


_MOBILE = re.compile(r"1[3-9]\d{9}")
_AREA3 = ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029")
_LANDLINE = re.compile(r"(0\d{2,3})(\d{7,8})")
_LOCAL = re.compile(r"\d{7,8}")
_EXTENSION = re.compile(r"(?:转|ext\.?|x|分机)(\d{1,6})$", re.I)


def phone(text: str) -> str | None:
    """One phone number for display (13812345678, 0536-8888888), or None if it is not one."""
    t = unicodedata.normalize("NFKC", text).strip()
    # A number Excel held as a float and a script wrote out as such: 13812345678.0.
    t = re.sub(r"^(\d+)\.0+$", r"\1", t)
    ext = ""
    m = _EXTENSION.search(t)
    if m:
        ext, t = f"转{m.group(1)}", t[: m.start()]
    t = re.sub(r"[\s\-–—().（）]", "", t)
    if t.startswith("+86"):
        t = t[3:]
    elif t.startswith("86") and len(t) == 13:
        t = t[2:]
    if _MOBILE.fullmatch(t):
        return t + ext
    m = _LANDLINE.fullmatch(t)
    if m:
        area = t[:3] if t[:3] in _AREA3 else t[:4]
        rest = t[len(area) :]
        if _LOCAL.fullmatch(rest):
            return f"{area}-{rest}{ext}"
    if _LOCAL.fullmatch(t):
        return t + ext
    return None


def phones(text: str) -> tuple[list[str], list[str]]:
    """(numbers for display, pieces that are not numbers) from one cell.

    "138 0000 0000" is one number, "0536-8888888 13800000000" two: a piece between separators
    that reads as one number whole is one; otherwise its spaces separate numbers.
    """
    good: list[str] = []
    bad: list[str] = []
    for piece in _SPLIT_NO_SPACE.split(unicodedata.normalize("NFKC", text)):
        piece = piece.strip()
        if not piece or piece.casefold() in _NOTHING:
            continue
        whole = phone(piece)
        parts = [whole] if whole else [phone(p) for p in piece.split()]
        if whole is None and (not parts or None in parts):
            # Keep a piece as written rather than lose it (a number with a note, 0536-8888888
            # (办)); it only earns a warning.
            bad.append(piece)
            continue
        for p in parts:
            if p and p not in good:
                good.append(p)
    return good, bad


def names(text: str) -> list[str]:
    """Liaison names from one cell: 张三、李四 or 张三/李四."""
    out: list[str] = []
    for piece in _SPLIT_NO_SPACE.split(text):
        piece = one_line(piece)
        if piece and piece.casefold() not in _NOTHING and piece not in out:
            out.append(piece)
    return out


# --- rows that are no unit ----------------------------------------------------------------------

_TOTAL = re.compile(r"^(合计|总计|小计|共计|总数|合计数)")
_NOTE = re.compile(
    r"^(注|备注|说明|附注|填表说明|填表人|填报人|制表人?|审核人?|联系人|联系电话|电话|"
    r"负责人|填表日期|填报日期|日期|单位盖章|盖章|签字|签名)\s*\d*\s*[:：]"
)


def squeeze(text: str) -> str:
    """No spaces at all: 合 计 is 合计."""
    return re.sub(rf"[\s{_SPACE}]+", "", unicodedata.normalize("NFKC", text))


def is_total(text: str) -> bool:
    return bool(_TOTAL.match(normalize(squeeze(text))))  # 合計 too


def is_note(text: str) -> bool:
    return bool(_NOTE.match(normalize(squeeze(text))))  # 填表人：, 聯繫人：
