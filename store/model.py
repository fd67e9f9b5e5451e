"""The domain values of an activity week: the event, its units, the materials they send."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping
from enum import StrEnum
from json.encoder import encode_basestring
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from .reasons import Quarantine
from .values import field, replace, value

PLAN = "plan"
SUMMARY = "summary"


class Kind(StrEnum):
    """What a material is. Stored and printed as its value; equal to that string."""

    PLAN = "plan"  #: 活动方案: the unit's plan for the week
    INFO_FORM = "info_form"  #: 信息表 / 报名表: a form sent with the plan
    COLUMN_LINK = "column_link"  #: 宣传专栏 / 专栏地址: where the unit's publicity column is
    CASE = "case"  #: 典型案例: a case study
    STORY = "story"  #: 职教故事: a story
    REPORT = "report"  #: 新闻稿 / 简报 / 报道: a report of the day
    PHOTO = "photo"  #: 照片
    VIDEO = "video"  #: 视频
    SUMMARY = "summary"  #: 活动总结: the summary after the week
    STATISTICS = "statistics"  #: 统计表: the figures sent with the summary


#: Every kind a material can be, in the order the reading rules name them.
KINDS: tuple[Kind, ...] = tuple(Kind)
#: Kinds that belong in the plan or summary column rather than on a day.
PLAN_KINDS = frozenset({Kind.PLAN, Kind.INFO_FORM, Kind.COLUMN_LINK})
SUMMARY_KINDS = frozenset({Kind.SUMMARY, Kind.STATISTICS})


class State(StrEnum):
    """A cell's state, decided by `rules.cell_state` only. Stored and printed as its value."""

    FUTURE = "future"  #: `·` the cell's day has not begun
    DUE = "due"  #: `○` open, its deadline ahead
    ON_TIME = "on_time"  #: `✓` sent by the deadline
    LATE = "late"  #: `!` sent after the deadline
    MISSING = "missing"  #: `✗` deadline passed, nothing sent
    EXCUSED = "excused"  #: `E` an operator excused it
    NOT_REQUIRED = "not_required"  #: `—` the unit does not owe this column


#: Which decisions a board at a past moment applies (`--actions`): see `Week.ledger_at`.
ACTIONS = ("until", "all")
#: Cell states, from the rules module. `not_required`: the unit does not owe this column
#: (its type's [groups] entry leaves it out, or the day is not an owed day); it counts in no
#: total, filter or report.
STATES: tuple[State, ...] = tuple(State)
#: The word in `requires` for "any counted material completes the column" (the default).
ANY = "any"
#: The three column groups that [columns.*] and [groups] name; `days` stands for every day.
COLUMN_GROUPS = ("plan", "days", "summary")
#: The kinds that can land in each group's cells, so `requires` can only name those.
DAY_KINDS = frozenset({Kind.CASE, Kind.STORY, Kind.REPORT, Kind.PHOTO, Kind.VIDEO})


@value
class Obligations:
    """What the units owe: weekwatch.toml's [columns.*] `requires` / `days` and [groups].

    The default owes every column to every unit and lets any counted material complete a
    cell: a workspace without these keys judges exactly as before they existed.
    """

    plan_requires: tuple[str, ...] = ()  # kinds that must all arrive; () = any material
    days_requires: tuple[str, ...] = ()
    summary_requires: tuple[str, ...] = ()
    days: tuple[dt.date, ...] | None = None  # the owed days; None = every day of the week
    # roster type → what its units owe: "plan", "days", "summary" or a date (YYYY-MM-DD).
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    others: tuple[str, ...] | None = None  # [groups] "*": what unlisted types owe; None = all

    def requires(self, group: str) -> tuple[str, ...]:
        """The kinds a cell of this group ("plan", "days", "summary") needs; () = any."""
        if group == PLAN:
            return self.plan_requires
        if group == SUMMARY:
            return self.summary_requires
        return self.days_requires

    def shifted(self, delta: dt.timedelta) -> Obligations:
        def move(col: str) -> str:
            if col in COLUMN_GROUPS:
                return col
            return (dt.date.fromisoformat(col) + delta).isoformat()

        return Obligations(
            plan_requires=self.plan_requires,
            days_requires=self.days_requires,
            summary_requires=self.summary_requires,
            days=None if self.days is None else tuple(d + delta for d in self.days),
            groups=tuple((t, tuple(move(c) for c in cols)) for t, cols in self.groups),
            others=None if self.others is None else tuple(move(c) for c in self.others),
        )


#: Between several addresses in one field: what people type, and the "; " weekwatch writes.
_SEPARATORS = r"[;；,，、\s]+"


class WeekwatchError(Exception):
    """A problem the operator can fix: shown as one clear message, never a traceback.

    `str()` is the English line. `tag` and `fields`, where the raiser gives them, name the
    problem and its values, so the command line can say it in the workspace's language
    (tui/i18n_cli.py, whose English line for the tag is this one)."""

    tag: str = ""
    fields: Mapping[str, object] = MappingProxyType({})

    def __init__(self, *args: object, tag: str = "", **fields: object) -> None:
        super().__init__(*args)
        if tag:
            self.tag, self.fields = tag, fields


@value
class Event:
    """The week: its dates, deadlines and time zone. Deadlines are aware datetimes.

    A day's materials are due `daily_after_days` after the day itself (1: "+1d 12:00", the
    previous day's materials by noon); `not_owed` holds the column groups nobody owes.
    """

    title: str
    start: dt.date
    days: int = 7
    timezone: str = "Asia/Shanghai"
    daily_deadline: dt.time = dt.time(12, 0)
    plan_deadline: dt.datetime | None = None
    summary_deadline: dt.datetime | None = None
    theme: str = ""
    day_themes: tuple[str, ...] = ()
    lang: str = ""
    obligations: Obligations = Obligations()
    daily_after_days: int = 0
    workday_end: dt.time = dt.time(17, 30)
    # Column groups the week does not ask for at all (`plan_deadline = "none"`, ...).
    not_owed: frozenset[str] = frozenset()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(self.start + dt.timedelta(days=i) for i in range(self.days))

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)

    @property
    def columns(self) -> tuple[str, ...]:
        """The grid's columns: plan, each date as YYYY-MM-DD, summary."""
        return (PLAN, *(d.isoformat() for d in self.dates), SUMMARY)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """A wall-clock time on a day, in the event's time zone."""
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def day_theme(self, day: dt.date) -> str:
        i = (day - self.start).days
        return self.day_themes[i] if 0 <= i < len(self.day_themes) else ""

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The calendar day of a moment, in the event's time zone."""
        return moment.astimezone(self.tz).date()

    def shifted(self, days: int) -> Event:
        """The same event moved by a number of days (the demo uses this)."""
        delta = dt.timedelta(days=days)
        return replace(
            self,
            start=self.start + delta,
            plan_deadline=self.plan_deadline + delta if self.plan_deadline else None,
            summary_deadline=self.summary_deadline + delta if self.summary_deadline else None,
            obligations=self.obligations.shifted(delta),
        )


@value
class Unit:
    """One participating unit (参与单位) and its liaison."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    type: str = ""
    region: str = ""
    liaison_name: str = ""
    liaison_phone: str = ""  # one or more numbers, "; " between them, mobiles first
    liaison_email: str = ""  # one or more addresses, "; " between them
    #: Fields weekwatch derived rather than read ("id" from the name's pinyin, "type" from how
    #: the name ends): a later import with the column written corrects them.
    inferred: tuple[str, ...] = ()
    #: The aliases (among `aliases`) weekwatch derived from the name's generic ending.
    inferred_aliases: tuple[str, ...] = ()

    @property
    def emails(self) -> tuple[str, ...]:
        """Every address of the liaison(s): each one counts for matching a mail's sender."""
        # re caches the compiled pattern: compiled when a sender is first matched, not at import
        return tuple(e for e in re.split(_SEPARATORS, self.liaison_email) if "@" in e)

    @property
    def phones(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.liaison_phone.split(";") if p.strip())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "type": self.type,
            "region": self.region,
            "liaison_name": self.liaison_name,
            "liaison_phone": self.liaison_phone,
            "liaison_email": self.liaison_email,
        }
        # Only when set: units written by hand or by older versions read the same.
        if self.inferred:
            d["inferred"] = list(self.inferred)
        if self.inferred_aliases:
            d["inferred_aliases"] = list(self.inferred_aliases)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Unit:
        return cls(
            id=d["id"],
            name=d["name"],
            aliases=tuple(d.get("aliases") or ()),
            type=d.get("type", ""),
            region=d.get("region", ""),
            liaison_name=d.get("liaison_name", ""),
            liaison_phone=d.get("liaison_phone", ""),
            liaison_email=d.get("liaison_email", ""),
            inferred=tuple(d.get("inferred") or ()),
            inferred_aliases=tuple(d.get("inferred_aliases") or ()),
        )


@value
class Reading:
    """What the reading rules made of a path: where it goes, or why it could not be placed."""

    unit: str | None
    kind: str
    cell: str | None
    quarantine: Quarantine | None = None
    until: str | None = None  # a range's last day (诸城市11月9日至10日): cell is its first


#: One tzinfo object per UTC offset, shared by every moment read back from the store.
_OFFSETS: dict[dt.tzinfo, dt.tzinfo] = {}


def moment(iso: str) -> dt.datetime:
    """An ISO date-time as the store writes it, its tzinfo shared with every other of its
    offset: aware datetimes with the very same tzinfo compare field by field, those with
    equal but distinct ones through two utcoffset() calls each, ten times slower (a board
    sorts and compares every material's arrival)."""
    d = dt.datetime.fromisoformat(iso)
    tz = d.tzinfo
    if tz is None:
        return d
    shared = _OFFSETS.get(tz)
    if shared is None:
        # fromisoformat gives fixed offsets, equal (and hashing alike) by their offset.
        shared = _OFFSETS.setdefault(tz, tz) if len(_OFFSETS) < 256 else tz
    return d if shared is tz else d.replace(tzinfo=shared)


@value(slots=True)
class Material:
    """One dropped file as the store records it (one version of it, if it was rewritten).

    Slotted: a week holds one per file and version (100,000 in a province's week); without a
    `__dict__` of its own the 100,000 take 28.8 MB instead of 34.4 MB (bench: tracemalloc).
    Read back from the store (`from_dict`) the strings every record repeats are shared."""

    key: str  # the record's id: the path, or path + version for a superseded copy
    path: str  # relative to inbox/, '/'-separated, exactly as on disk
    sha256: str
    size: int
    mtime_ns: int
    received_at: dt.datetime
    unit: str | None
    kind: str
    cell: str | None
    quarantine: Quarantine | None = None
    superseded: bool = False
    gone: bool = False
    #: For a material inside another file (a zip member, an e-mail attachment): the paths of
    #: what holds it, outermost (the file in the inbox) first. Empty for a plain file.
    within: tuple[str, ...] = ()
    #: What the holding file says about it: the holder's size, an e-mail's sender, subject, date.
    origin: dict[str, Any] = field(default_factory=dict, compare=False)
    until: str | None = None  # a range's last day, as the reading rules found it
    #: The file's inode and status-change time when read: with size and mtime, what
    #: "unchanged" means (a file replaced by another of the same size and mtime is re-read).
    ino: int = 0
    ctime_ns: int = 0

    @property
    def container(self) -> str:
        """The file in the inbox this material was read from."""
        return self.within[0] if self.within else self.path

    def to_dict(self) -> dict[str, Any]:
        d = self._plain_dict()
        if self.within:  # plain files keep their old, smaller record
            d["within"] = list(self.within)
            d["origin"] = self.origin
        if self.until:
            d["until"] = self.until
        return d

    def _plain_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "received_at": self.received_at.isoformat(),
            "unit": self.unit,
            "kind": self.kind,
            "cell": self.cell,
            "quarantine": self.quarantine.to_json() if self.quarantine else None,
            "superseded": self.superseded,
            "gone": self.gone,
            "ino": self.ino,
            "ctime_ns": self.ctime_ns,
        }

    @classmethod
    def from_dict(cls, key: str, d: dict[str, Any]) -> Material:
        path = d["path"]
        unit, cell, kind = d.get("unit"), d.get("cell"), d.get("kind", "report")
        return cls(
            # A week holds one record per file: the strings every record repeats (a unit's
            # id, its cell, its kind; the key, nearly always the path) held once, not once per
            # record as the JSON decoder made them (~40 MB at 100,000).
            key=path if key == path else key,
            path=path,
            sha256=d["sha256"],
            size=d["size"],
            mtime_ns=d.get("mtime_ns", 0),
            received_at=moment(d["received_at"]),
            unit=None if unit is None else sys.intern(unit),
            kind=sys.intern(kind),
            cell=None if cell is None else sys.intern(cell),
            quarantine=Quarantine.from_json(d.get("quarantine")),
            superseded=d.get("superseded", False),
            gone=d.get("gone", False),
            within=tuple(d["within"]) if "within" in d else (),
            origin=d.get("origin") or _NO_ORIGIN,
            until=d.get("until"),
            ino=d.get("ino", 0),
            ctime_ns=d.get("ctime_ns", 0),
        )


#: The origin of every plain file's record, one dict shared by all of them (never changed:
#: a Material is frozen, and nothing writes into its origin).
_NO_ORIGIN: dict[str, Any] = {}


def placing_text(unit: str | None, kind: str, cell: str | None, quarantine: str) -> str:
    """The middle of a plain file's record as `plain_record_text` writes it: unit, kind, cell
    and the quarantine (given as its JSON text, "null" for none). Shared by every file read
    alike, so a scan makes it once per distinct reading."""
    u = "null" if unit is None else encode_basestring(unit)
    c = "null" if cell is None else encode_basestring(cell)
    return f'"unit":{u},"kind":{encode_basestring(kind)},"cell":{c},"quarantine":{quarantine}'


def plain_record_text(
    key: str,
    sha256: str,
    size: int,
    mtime_ns: int,
    received_at: str,
    placing: str,
    ino: int,
    ctime_ns: int,
    until: str | None = None,
) -> str:
    """One plain file's newest record as a shard file holds it, ``"key":{…}``: the very text
    `Material(key=path, …).to_dict()` encodes to (store/atomic.py's `encode`, keys in the same
    order; `tests/test_fresh_scan.py` compares them), made without a `Material` or a dict —
    a scan from scratch writes 100,000. `key` is the path already as JSON text (the key and
    the path are one), `received_at` its ISO text, `placing` from `placing_text`."""
    tail = "" if not until else f',"until":{encode_basestring(until)}'
    return (
        f'{key}:{{"path":{key},"sha256":"{sha256}","size":{size},"mtime_ns":{mtime_ns},'
        f'"received_at":"{received_at}",{placing},"superseded":false,"gone":false,'
        f'"ino":{ino},"ctime_ns":{ctime_ns}{tail}}}'
    )


#: Action types an operator can record.
class ActionType(StrEnum):
    """What an operator decided. Stored in the action log as its value."""

    EXCUSE = "excuse"  #: a cell need not be sent (with a reason)
    EXTEND = "extend"  #: a cell's deadline moved (until)
    NOTE = "note"  #: a note on a unit or cell
    CONTACT = "contact"  #: a logged call (text, promised by)
    ASSIGN = "assign"  #: a file placed by hand (unit, cell, kind)
    DISMISS = "dismiss"  #: a file taken out of quarantine
    UNDO = "undo"  #: an earlier action taken back
    RECOMMEND = "recommend"  #: files marked as the best, to recommend upward (with a note)
    UNRECOMMEND = "unrecommend"  #: the mark taken off files again


ACTION_TYPES: tuple[ActionType, ...] = tuple(ActionType)


@value
class Action:
    """One operator decision, kept forever in the action log."""

    id: str
    type: ActionType
    operator: str
    at: dt.datetime
    unit: str | None = None
    cell: str | None = None
    # reason / until / text / path, kind / target
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "operator": self.operator,
            "at": self.at.isoformat(),
            "unit": self.unit,
            "cell": self.cell,
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, key: str, d: dict[str, Any]) -> Action:
        return cls(
            id=key,
            type=ActionType(d["type"]),
            operator=d.get("operator", ""),
            at=dt.datetime.fromisoformat(d["at"]),
            unit=d.get("unit"),
            cell=d.get("cell"),
            data=dict(d.get("data") or {}),
        )
