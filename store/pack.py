"""The pack for the level above: the week's counted materials copied into one zip, renamed,
foldered and indexed (`weekwatch report pack`).

Every file is copied, never moved: plain files are read from the inbox, attachments and zip
members streamed from inside their message or bundle (`composite.open_material`), each
through one buffer into the zip, so a pack of 70,000 materials holds none of them in memory.
Names are UTF-8 with the zip's UTF-8 flag, or GBK for the built-in unzip of older Chinese
Windows, with Info-ZIP's Unicode Path field (0x7075) holding the UTF-8 name beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .composite import open_material
from .ledger import Ledger
from .model import KINDS, PLAN, SUMMARY, Action, WeekwatchError
from .pack_names import NAME_MODES as NAME_MODES  # `--names`: how member names are written
from .pack_names import Namer, Slot, file_name, original_name
from .rules import Credit, Placed

CHUNK = 1 << 20
_UTF8_FLAG = 0x800
_UNICODE_PATH = 0x7075
#: Already compressed: stored as they are (deflating a JPEG costs time and saves nothing).
_STORED = frozenset(
    ".jpg .jpeg .png .gif .heic .webp .mp4 .mov .avi .mkv .m4v .3gp .wmv .flv .mp3 .m4a "
    ".zip .rar .7z .gz .docx .xlsx .pptx .pdf".split()
)


@dataclass(frozen=True)
class Choice:
    """Which materials go in: the options of `report pack` (None: no limit)."""

    recommended_only: bool = False
    kinds: frozenset[str] | None = None
    units: frozenset[str] | None = None
    cells: frozenset[str] | None = None
    include_late: bool = True


@dataclass(frozen=True)
class Labels:
    """What the folders and names say, in the operator's language."""

    units: Mapping[str, str]  # unit id → its name
    column: Callable[[str], str]  # plan → 方案, 2024-05-13 → 05-13 学校日, summary → 总结
    kind: Callable[[str], str]  # photo → 照片
    recommended: str = "推荐"  # the top folder of a pack of the recommended only
    index: str = "目录.xlsx"


@dataclass(frozen=True)
class Item:
    """One material of the pack: where it counts, and where it goes (None: left out, as a
    duplicate of `duplicate_of`, or no longer in the inbox)."""

    placed: Placed
    unit: str
    cell: str
    late: bool
    duplicate_of: str | None
    recommended: Action | None
    member: str | None = None

    @property
    def note(self) -> str:
        return str(self.recommended.data.get("note") or "") if self.recommended else ""


@dataclass
class Written:
    """What became of one item in the zip."""

    item: Item
    encoding: str = ""  # "utf-8", "gbk", or "utf-8 (not in GBK)" for a fallen-back name
    copied: bool = False
    problem: str = ""  # why it is not in the pack, or why its bytes differ from the record


@dataclass
class Result:
    path: Path
    written: list[Written] = field(default_factory=list)

    @property
    def files(self) -> int:
        return sum(1 for w in self.written if w.copied)


def select(placed: Iterable[Placed], ledger: Ledger, choice: Choice) -> list[Item]:
    """The counted materials the choice takes (placed and judged by the cell rules), each
    once, in order of arrival; copies of one file are kept as items without a place."""
    out: list[Item] = []
    for p in placed:
        if p.superseded or p.quarantine is not None or p.dismissed is not None:
            continue
        credit = _credit(p, choice)
        if credit is None:
            continue
        mark = ledger.recommended.get(p.material.path)
        if choice.recommended_only and mark is None:
            continue
        if choice.kinds is not None and p.kind not in choice.kinds:
            continue
        if not choice.include_late and credit.late:
            continue
        out.append(Item(p, credit.unit, credit.cell, credit.late, credit.duplicate_of, mark))
    return out


def _credit(p: Placed, choice: Choice) -> Credit | None:
    """The first cell the material counts in among those chosen (a joint file goes in once,
    under its first unit); a duplicate's credit if it counts nowhere."""
    fits = [
        c
        for c in p.credits
        if (choice.units is None or c.unit in choice.units)
        and (choice.cells is None or c.cell in choice.cells)
    ]
    return next((c for c in fits if c.duplicate_of is None), fits[0] if fits else None)


def lay_out(items: Sequence[Item], labels: Labels, choice: Choice) -> list[Item]:
    """Each item with its path in the pack: `<unit>/<column>/<kind>-<nn>-<original name>`,
    numbered per unit, column and kind in order of arrival; names distinct ignoring case."""
    namer = Namer()
    namer.taken.add(labels.index.casefold())
    numbers: dict[tuple[str, str, str], int] = {}
    top = (labels.recommended,) if choice.recommended_only else ()
    roster = {u: i for i, u in enumerate(labels.units)}
    kinds: dict[str, int] = {k.value: i for i, k in enumerate(KINDS)}

    def order(it: Item) -> tuple[int, int, str, int]:
        # By unit as the roster lists them, then the plan, the days, the summary, then kind;
        # arrival order (the order given) within each.
        column = 0 if it.cell == PLAN else 2 if it.cell == SUMMARY else 1
        return (roster.get(it.unit, len(roster)), column, it.cell, kinds.get(it.placed.kind, 99))

    out: list[Item] = []
    for it in sorted(items, key=order):
        m = it.placed.material
        if it.duplicate_of is not None or m.gone:
            out.append(it)
            continue
        key = (it.unit, it.cell, it.placed.kind)
        numbers[key] = n = numbers.get(key, 0) + 1
        name = file_name(labels.kind(it.placed.kind), n, original_name(m.path, m.within))
        folders = (*top, labels.units.get(it.unit, it.unit), labels.column(it.cell))
        out.append(_with_member(it, namer.place(Slot(folders, name))))
    return out


def _with_member(it: Item, member: str) -> Item:
    return Item(it.placed, it.unit, it.cell, it.late, it.duplicate_of, it.recommended, member)


def refuse_inside(target: Path, inbox: Path) -> None:
    """A pack written into the inbox would be read back in as a unit's zip: refused."""
    real, box = os.path.realpath(target), os.path.realpath(inbox)
    if real == box or real.startswith(box.rstrip(os.sep) + os.sep):
        raise WeekwatchError(
            f"{target}: inside the inbox {inbox}; write the pack elsewhere (the watcher would "
            "read it back in)"
        )


# --- the zip ---------------------------------------------------------------------------------


def _unicode_path_field(raw: bytes, name: str) -> bytes:
    """Info-ZIP's Unicode Path extra field: version 1, the CRC-32 of the name as written in the
    header, then the name in UTF-8 (unzip, 7-Zip and WinRAR show this one)."""
    body = struct.pack("<BI", 1, zlib.crc32(raw)) + name.encode("utf-8")
    return struct.pack("<HH", _UNICODE_PATH, len(body)) + body


class _GbkInfo(zipfile.ZipInfo):
    """A member whose name is written in GBK without the UTF-8 flag (zipfile knows only ASCII
    and UTF-8: this is the one place its header encoding is chosen)."""

    __slots__ = ("raw",)
    raw: bytes

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 (zipfile's own name)
        return self.raw, self.flag_bits & ~_UTF8_FLAG


def member_info(
    name: str, mode: str, date_time: tuple[int, int, int, int, int, int]
) -> tuple[zipfile.ZipInfo, str]:
    """The ZipInfo for a member name under `--names` `mode`, and the encoding it got."""
    encoding = "utf-8"
    info: zipfile.ZipInfo
    if mode == "gbk" and not name.isascii():
        try:
            raw = name.encode("gbk")
        except UnicodeEncodeError:
            encoding = "utf-8 (not in GBK)"  # written as UTF-8 with the flag, for this member
            info = zipfile.ZipInfo(name, date_time)
        else:
            gbk = _GbkInfo(name, date_time)
            gbk.raw = raw
            gbk.extra = _unicode_path_field(raw, name)
            info, encoding = gbk, "gbk"
    else:
        info = zipfile.ZipInfo(name, date_time)
    stem_ext = os.path.splitext(name)[1].lower()
    info.compress_type = zipfile.ZIP_STORED if stem_ext in _STORED else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info, encoding


class _Hashing:
    """A file object's reads, hashed on the way through."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.source.read(n)
        self.sha.update(chunk)
        self.size += len(chunk)
        return chunk


Progress = Callable[[int, int], None]  # (bytes copied so far, bytes in all)


def write_pack(
    target: Path,
    inbox: Path,
    items: Sequence[Item],
    *,
    names: str = "utf8",
    tz: dt.tzinfo = dt.UTC,
    index: Callable[[list[Written], Path], None] | None = None,
    index_name: str = "目录.xlsx",
    progress: Progress | None = None,
) -> Result:
    """Copy every placed item into a new zip at `target` (written beside it, then renamed:
    an interrupted pack leaves no half zip under its name), then the index."""
    if names not in NAME_MODES:
        raise WeekwatchError(f"--names: '{names}'; use one of {', '.join(NAME_MODES)}")
    refuse_inside(target, inbox)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    total = sum(it.placed.material.size for it in items if it.member)
    done = 0
    result = Result(target)
    try:
        with zipfile.ZipFile(part, "w", allowZip64=True) as zf:
            for it in items:
                w = Written(it)
                result.written.append(w)
                if it.member is None:
                    continue
                m = it.placed.material
                info, w.encoding = member_info(it.member, names, _stamp(m.received_at, tz))
                info.file_size = m.size
                try:
                    with open_material(inbox, m) as src:
                        hashing = _Hashing(src)
                        big = m.size * 1.05 > zipfile.ZIP64_LIMIT
                        with zf.open(info, "w", force_zip64=big) as dst:
                            shutil.copyfileobj(hashing, dst, CHUNK)
                except (OSError, KeyError, zipfile.BadZipFile) as exc:
                    w.problem = f"cannot be read: {getattr(exc, 'strerror', None) or exc}"
                    continue
                w.copied = True
                if hashing.sha.hexdigest() != m.sha256:
                    w.problem = "changed since it was read (the pack holds it as it is now)"
                done += m.size
                if progress is not None:
                    progress(done, total)
            if index is not None:
                sheet = part.with_name(part.name + ".xlsx")
                try:
                    index(result.written, sheet)
                    latest = max((it.placed.material.received_at for it in items), default=None)
                    info, _ = member_info(index_name, names, _stamp(latest, tz))
                    with open(sheet, "rb") as src, zf.open(info, "w") as dst:
                        shutil.copyfileobj(src, dst, CHUNK)
                finally:
                    sheet.unlink(missing_ok=True)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return result


def _stamp(moment: dt.datetime | None, tz: dt.tzinfo) -> tuple[int, int, int, int, int, int]:
    """A zip's date and time (local, no zone; nothing before 1980 fits)."""
    if moment is None:
        return (1980, 1, 1, 0, 0, 0)
    t = moment.astimezone(tz)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)
