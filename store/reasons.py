"""Why a file waits in quarantine: a reason code and its arguments, said in zh and in en.

The store keeps the code and the arguments, never prose, so rewording a text changes what every
operator sees, in both languages, including for files quarantined long ago. Adding a reason is one
line in `Code`: its value (stored, stable), its Chinese and its English text, whose `{fields}`
are the arguments the code is given. `tests/test_reasons.py` renders every code in both
languages, so a code without a text, or a text naming an argument nobody gives, fails there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from .values import value

#: An argument: a word, a number, or a list of words (joined as the language joins lists).
Arg = str | int | tuple[str, ...]


class Code(StrEnum):
    """Every quarantine reason. The value is what the database stores: never change one."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str, en: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.en = en
        return member

    # -- units (store/reading.py)
    NO_UNIT = "no_unit", "未识别出单位", "no unit named"
    ONLY_INSIDE = (
        "only_inside",
        "名单中没有此单位：{words} 只出现在更长的名称“{inside}”之中",
        "no unit on the roster: {words} only inside {inside}",
    )
    SHARED_START = (
        "shared_start",
        "“{inside}”说不清是 {unit} 还是 {others}（两者名称都以“{word}”开头）",
        "{inside}: {unit} or {others}? (both names begin with {word})",
    )
    TWO_UNITS = "two_units", "同时指向两个单位：{units}", "names two units: {units}"
    MANY_UNITS = "many_units", "同时指向 {n} 个单位：{units}", "names {n} units: {units}"
    AFTER_OTHER = (
        "after_other",
        "{unit} 排在名单外的“{other}”之后，可能是对方发来的",
        "names {unit} only after {other}, which is not on the roster",
    )
    # -- days (store/reading.py)
    DATE_OUTSIDE = "date_outside", "日期 {date} 不在活动周内", "names {date}, outside the week"
    OTHER_YEAR = (
        "other_year",
        "写的是 {year} 年，不是本届活动周的 {week_year} 年",
        "names the year {year}, not the week's {week_year}",
    )
    DAY_OUTSIDE = "day_outside", "第 {n} 天不在活动周内", "day {n} is outside the week"
    WEEKDAY_OUTSIDE = (
        "weekday_outside",
        "{word} 不是活动周中的一天",
        "names {word}, not a day of the week",
    )
    ARRIVED_OUTSIDE = (
        "arrived_outside",
        "{date} 到达，不在活动周内，且文件名无日期",
        "arrived {date}, outside the week, and names no date",
    )
    # -- files (store/ingest.py)
    EMPTY = "empty", "空文件（0 字节）", "empty file (0 bytes)"
    SYMLINK = (
        "symlink",
        "符号链接（指向 {target}）：不跟随；请放入文件本身",
        "symbolic link (to {target}): not followed; drop the file itself",
    )
    FIFO = "fifo", "命名管道（FIFO）：不是文件，未打开", "a FIFO (named pipe): not opened"
    SOCKET = "socket", "套接字：不是文件，未打开", "a socket, not a file: not opened"
    DEVICE = "device", "设备文件：不是普通文件，未打开", "a device node, not a file: not opened"
    UNREADABLE = (
        "unreadable",
        "无法读取（{detail}）：每次扫描都会重试，可读后自动归位",
        "cannot be read ({detail}): tried again at every scan, placed once readable",
    )
    FOLDER_UNREADABLE = (
        "folder_unreadable",
        "文件夹无法读取（{detail}）：其中的文件未列出，每次扫描都会重试",
        "folder cannot be read ({detail}): its files are not listed; tried again at every scan",
    )
    # -- zips and e-mails (store/bundle.py, store/composite.py, store/mail.py)
    ARCHIVE_UNSUPPORTED = (
        "archive_unsupported",
        "不支持的压缩格式（{ext}）：请解压后放入收件箱",
        "unsupported archive ({ext}): unpack it",
    )
    ZIP_UNREADABLE = (
        "zip_unreadable",
        "不是可读的 zip 压缩包（{detail}）",
        "not a readable zip ({detail})",
    )
    ZIP_CORRUPT = (
        "zip_corrupt",
        "压缩包已损坏：{member}（{detail}）",
        "corrupt zip: {member} ({detail})",
    )
    ZIP_ENCRYPTED = (
        "zip_encrypted",
        "压缩包有密码：请对方发送不加密的压缩包",
        "encrypted zip: ask for it without a password",
    )
    ZIP_METHOD = (
        "zip_method",
        "压缩包用了不支持的压缩方式：{member}（{detail}）",
        "zip uses a compression weekwatch cannot read: {member} ({detail})",
    )
    ZIP_TOO_MANY = (
        "zip_too_many",
        "压缩包内文件超过 {limit} 个",
        "zip holds more than {limit} files",
    )
    ZIP_TOO_BIG = "zip_too_big", "压缩包解压后超过 {limit}", "zip unpacks to more than {limit}"
    ZIP_BOMB = (
        "zip_bomb",
        "压缩包内 {member} 的压缩比超过 {ratio}:1（疑似压缩炸弹）",
        "{member} compresses more than {ratio}:1 (a zip bomb?)",
    )
    ZIP_EMPTY = "zip_empty", "压缩包里没有文件", "the zip holds no files"
    UNREADABLE_INSIDE = (
        "unreadable_inside",
        "无法读取其中的内容（{detail}）",
        "cannot be read inside ({detail})",
    )
    MAIL_UNITS = (
        "mail_units",
        "邮件的附件指向不同单位：{units}",
        "the e-mail's files name different units: {units}",
    )
    # -- a reason recorded as prose before reasons had codes (schema 1), kept word for word
    LEGACY = "legacy", "{text}", "{text}"


# Looked up by stored value (Code(value) would go through the three-argument constructor).
_BY_VALUE: dict[str, Code] = {c.value: c for c in Code}
_LIST_SEP = {"zh": "、", "en": ", "}
_JOIN = {"zh": "；", "en": "; "}


def _say(value: Arg, lang: str) -> str:
    if isinstance(value, tuple):
        return _LIST_SEP[lang].join(value)
    return str(value)


@value
class Reason:
    """One reason: a code and its arguments (kept as sorted pairs so a Reason is hashable)."""

    code: Code
    args: tuple[tuple[str, Arg], ...] = ()

    def text(self, lang: str = "en") -> str:
        template = self.code.zh if lang == "zh" else self.code.en
        return template.format(**{k: _say(v, "zh" if lang == "zh" else "en") for k, v in self.args})

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "args": {k: list(v) if isinstance(v, tuple) else v for k, v in self.args},
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Reason:
        code = _BY_VALUE.get(str(d.get("code")))
        if code is None:
            # A code from a newer weekwatch: keep something readable rather than fail the open.
            return reason(Code.LEGACY, text=str(d.get("code")))
        return reason(code, **dict(d.get("args") or {}))


def reason(code: Code, **args: Any) -> Reason:
    """`reason(Code.DATE_OUTSIDE, date="2024-11-15")`: lists become tuples, keys are sorted."""
    return Reason(
        code, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))
    )


@value
class Quarantine:
    """Why a file could not be placed: one or more reasons, the deciding one first."""

    reasons: tuple[Reason, ...]

    @classmethod
    def of(cls, code: Code, **args: Any) -> Quarantine:
        return cls((reason(code, **args),))

    @property
    def code(self) -> Code:
        """The first reason's code (what `materials --json` gives as `quarantine_code`)."""
        return self.reasons[0].code

    @property
    def codes(self) -> tuple[Code, ...]:
        return tuple(r.code for r in self.reasons)

    def text(self, lang: str = "en") -> str:
        return _JOIN["zh" if lang == "zh" else "en"].join(r.text(lang) for r in self.reasons)

    def __str__(self) -> str:
        return self.text("en")

    def __add__(self, other: Quarantine) -> Quarantine:
        return Quarantine(self.reasons + other.reasons)

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.reasons]

    @classmethod
    def from_json(cls, value: object) -> Quarantine | None:
        """What the database holds: a list of reasons (schema 2), or prose (schema 1)."""
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, str):
            return from_legacy_text(value)
        if isinstance(value, list):
            return cls(tuple(Reason.from_json(r) for r in value if isinstance(r, Mapping)))
        return from_legacy_text(str(value))


def join(parts: Iterable[Quarantine | None]) -> Quarantine | None:
    reasons = tuple(r for q in parts if q is not None for r in q.reasons)
    return Quarantine(reasons) if reasons else None


# --- schema 1: the English prose weekwatch wrote before codes ----------------------------------


@functools.cache
def _legacy() -> tuple[tuple[re.Pattern[str], Code, tuple[str, ...]], ...]:
    """Schema 1's sentences, compiled when one is read back (a database of before codes)."""
    return (
        (re.compile(r"no unit named"), Code.NO_UNIT, ()),
        (re.compile(r"names two units: (.*)"), Code.TWO_UNITS, ("units",)),
        (re.compile(r"names (\d+) units: (.*)"), Code.MANY_UNITS, ("n", "units")),
        (re.compile(r"date (\S+) is outside the week"), Code.DATE_OUTSIDE, ("date",)),
        (re.compile(r"day (\d+) is outside the week"), Code.DAY_OUTSIDE, ("n",)),
        (
            re.compile(r"arrived (\S+), outside the week, and names no date"),
            Code.ARRIVED_OUTSIDE,
            ("date",),
        ),
        (re.compile(r"empty file \(0 bytes\)"), Code.EMPTY, ()),
    )


def _legacy_part(part: str) -> Reason:
    for pattern, code, names in _legacy():
        m = pattern.fullmatch(part)
        if m:
            args: dict[str, Arg] = dict(zip(names, m.groups(), strict=True))
            if "units" in args:
                # Schema 1 listed unit ids: "a, b".
                args["units"] = tuple(str(args["units"]).split(", "))
            if "n" in args:
                args["n"] = int(str(args["n"]))
            return reason(code, **args)
    return reason(Code.LEGACY, text=part)


def from_legacy_text(text: str) -> Quarantine:
    """A schema-1 reason ("no unit named; date 2024-06-01 is outside the week") as codes."""
    return Quarantine(
        tuple(_legacy_part(p) for p in text.split("; ") if p) or (reason(Code.LEGACY, text=text),)
    )
