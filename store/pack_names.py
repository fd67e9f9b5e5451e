"""Where each material goes in the pack, under a name that survives Windows. Pure.

Laid out for a person at the level above: `<unit>/<column>/<kind>-<nn>-<original name>`,
e.g. `舞钢市教育体育局/05-13 学校日/照片-01-活动照片1.jpg`. Names are untrusted (people and
their tools wrote them): every segment is cleaned so that Explorer can create it, and no two
paths in one pack are equal ignoring case (NTFS would merge them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: `report pack --names`: member names as UTF-8 (the zip's flag) or GBK with the Unicode Path
#: field, for older Chinese Windows' built-in unzip.
NAME_MODES = ("utf8", "gbk")
#: Windows' whole path limit is 260; the folder a person unpacks into takes some of it.
MAX_PATH = 240
#: One segment (NTFS allows 255).
MAX_SEGMENT = 200
#: Characters Windows refuses in a name, and the full-width forms a Chinese reader reads as
#: the same (a colon in 5:30 stays readable as 5：30).
_FORBIDDEN = str.maketrans(
    {
        "\\": "＼",
        "/": "／",
        ":": "：",
        "*": "＊",
        "?": "？",
        '"': "＂",
        "<": "＜",
        ">": "＞",
        "|": "｜",
    }
)
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
_SPACES = re.compile(r"\s+")


def _visible(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        # Controls (a newline in a name), bidi overrides, lone surrogates of an undecodable
        # name: none belongs in a file name on another person's desktop.
        return " " if ch in "\t\n\r\x0b\x0c\u2028\u2029" else "_"
    return ch


def safe_segment(text: str) -> str:
    """One path segment Windows can create: no `\\ / : * ? " < > |`, no control characters,
    no trailing dots or spaces, no reserved device name (CON, PRN, AUX, NUL, COM1…)."""
    out = "".join(_visible(ch) for ch in unicodedata.normalize("NFC", text))
    out = _SPACES.sub(" ", out.translate(_FORBIDDEN)).strip().rstrip(". ")
    if not out:
        return "_"
    stem = out.split(".", 1)[0].rstrip(" ").upper()
    if stem in _RESERVED:
        out = "_" + out  # CON.docx → _CON.docx: the name still reads, Windows accepts it
    return out


def split_ext(name: str) -> tuple[str, str]:
    """(stem, .ext); a name with no dot or only a leading one has no extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10 or " " in ext:
        return name, ""
    return stem, "." + ext


def shortened(name: str, room: int) -> str:
    """The name cut to `room` characters, its extension kept."""
    if len(name) <= room:
        return name
    stem, ext = split_ext(name)
    keep = max(1, room - len(ext))
    return (stem[:keep].rstrip(". ") or "_") + ext


@dataclass(frozen=True)
class Slot:
    """Where one material is filed: folders (unit, column), and the file's own name."""

    folders: tuple[str, ...]
    name: str


class Namer:
    """Hands out pack paths, each distinct ignoring case and within the length limits."""

    def __init__(self, max_path: int = MAX_PATH) -> None:
        self.max_path = max_path
        self.taken: set[str] = set()

    def place(self, slot: Slot) -> str:
        folders = [shortened(safe_segment(f), MAX_SEGMENT) for f in slot.folders]
        prefix = "".join(f + "/" for f in folders)
        room = max(8, min(MAX_SEGMENT, self.max_path - len(prefix)))
        base = safe_segment(slot.name)
        path = prefix + shortened(base, room)
        n = 1
        while path.casefold() in self.taken:
            n += 1
            stem, ext = split_ext(base)
            tail = f" ({n}){ext}"
            path = prefix + shortened(stem, room - len(tail)).rstrip(". ") + tail
        self.taken.add(path.casefold())
        return path


def file_name(kind_label: str, number: int, original: str) -> str:
    """`照片-01-活动照片1.jpg`: the kind, its number in the cell, the name as the unit gave it."""
    return f"{kind_label}-{number:02d}-{original}"


def original_name(path: str, within: tuple[str, ...] = ()) -> str:
    """The material's own name: for a file inside a zip or an e-mail, what follows its
    holder's `!` or `#`; for a message sent without attachments, its text (`.txt`)."""
    if within and path == within[-1]:
        last = path.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return split_ext(last)[0] + ".txt"
    inner = path[len(within[-1]) + 1 :] if within else path
    return inner.rsplit("/", 1)[-1]
