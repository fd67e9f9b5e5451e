"""Who gets a reminder and what it says (`weekwatch remind`), and the sending of a run.

Which cells are due, missing or late comes from the judged board (`rules`); this module only
picks among them. Every message that goes out is recorded at once in the action log as a
contact (`via: email`, its Message-ID), so a run that is stopped half-way and started again
sends only to the units not yet reminded, and no unit is reminded twice for one cell unless
the operator asks (`again`). An undo takes the contact out of the call list but cannot unsend
the e-mail: a reminder undone still counts as sent here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .ledger import Ledger
from .model import ANY, PLAN, SUMMARY, Action, Event, State, Unit
from .remind_config import SmtpConfig
from .remind_template import Filled, Template
from .rules import Board, deadline
from .smtp_send import Sender, build_message

KIND_ZH = {
    "plan": "活动方案",
    "info_form": "信息采集表",
    "column_link": "宣传专栏地址",
    "case": "典型案例",
    "story": "职教故事",
    "report": "新闻报道",
    "photo": "照片",
    "video": "视频",
    "summary": "活动总结",
    "statistics": "情况统计表",
}
VIA = "email"


@dataclass(frozen=True)
class Reminder:
    unit: str
    name: str
    cell: str
    state: State
    to: tuple[str, ...]
    message: Filled


@dataclass(frozen=True)
class CallInstead:
    unit: str
    name: str
    liaison: str
    phone: str
    cell: str
    state: State


@dataclass(frozen=True)
class Plan:
    cell: str
    reminders: tuple[Reminder, ...]
    call_instead: tuple[CallInstead, ...]  # owing, but no e-mail address on the roster
    already: tuple[str, ...]  # unit ids reminded before for this cell (skipped)


def cell_label(cell: str) -> str:
    if cell == PLAN:
        return "活动方案"
    if cell == SUMMARY:
        return "活动总结"
    d = dt.date.fromisoformat(cell)
    return f"{d.month}月{d.day}日"


def _when(t: dt.datetime) -> str:
    return f"{t.month}月{t.day}日 {t:%H:%M}"


def span(delta: dt.timedelta) -> str:
    """A duration as an office writes it: 1天2小时, 2小时15分钟, 35分钟."""
    minutes = max(1, -(-int(delta.total_seconds()) // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}天"] if days else []
    if hours:
        parts.append(f"{hours}小时")
    if mins and not days:
        parts.append(f"{mins}分钟")
    return "".join(parts) or "1分钟"


def reminded(actions: Iterable[Action]) -> set[tuple[str, str]]:
    """(unit, cell) already reminded by e-mail: undone or not, the message was sent."""
    return {
        (a.unit, a.cell)
        for a in actions
        if a.type == "contact" and a.data.get("via") == VIA and a.unit and a.cell
    }


def plan(
    board: Board,
    ledger: Ledger,
    template: Template,
    cell: str,
    *,
    only: Sequence[str] = ("due", "missing", "late"),
    units: Sequence[str] | None = None,
    again: bool = False,
    bureau: str = "",
    operator: str = "",
) -> Plan:
    """The reminders a run would send for `cell`, in roster order."""
    ev = board.event
    sent = set() if again else reminded(ledger.actions)
    wanted = set(units) if units is not None else None
    out: list[Reminder] = []
    call: list[CallInstead] = []
    skipped: list[str] = []
    for u in board.units:
        if wanted is not None and u.id not in wanted:
            continue
        s = board.cell(u.id, cell)
        if s.state.value not in only:
            continue
        if (u.id, cell) in sent:
            skipped.append(u.id)
            continue
        if not u.emails:
            call.append(CallInstead(u.id, u.name, u.liaison_name, u.liaison_phone, cell, s.state))
            continue
        due = deadline(ev, cell, ledger.extensions.get((u.id, cell)))
        values = _values(ev, board, u, cell, s.state, s.lacking, due, bureau, operator)
        out.append(Reminder(u.id, u.name, cell, s.state, u.emails, template.fill(values)))
    return Plan(cell, tuple(out), tuple(call), tuple(skipped))


def _values(
    ev: Event,
    board: Board,
    u: Unit,
    cell: str,
    state: State,
    lacking: tuple[str, ...],
    due: dt.datetime,
    bureau: str,
    operator: str,
) -> dict[str, str]:
    due = due.astimezone(ev.tz)
    if state == State.DUE:
        left = f"距截止还有{span(due - board.now)}"
    elif state == State.MISSING:
        left = f"已逾期{span(board.now - due)}"
    else:
        left = "已超过截止时间"
    if lacking == (ANY,):
        owed = "本项全部材料（尚未收到任何文件）"
    else:
        owed = "、".join(KIND_ZH.get(k, k) for k in lacking) or "无"
    day = cell_label(cell) if cell not in (PLAN, SUMMARY) else f"{due.month}月{due.day}日"
    return {
        "unit": u.name,
        "liaison": u.liaison_name,
        "cell": cell_label(cell),
        "day": day,
        "deadline": _when(due),
        "left": left,
        "lacking": owed,
        "event": ev.title,
        "bureau": bureau,
        "operator": operator,
    }


def bureau_of(cfg: SmtpConfig | None, configured: str) -> str:
    return configured or (cfg.sender_name if cfg else "")


Record = Callable[[Reminder, str], object]


def send_all(
    reminders: Sequence[Reminder],
    cfg: SmtpConfig,
    sender: Sender,
    record: Record,
    *,
    now: Callable[[], dt.datetime],
    sleep: Callable[[float], None],
    progress: Callable[[int, Reminder], None] = lambda _i, _r: None,
) -> int:
    """Send each reminder through an opened `Sender`, recording each as soon as the server
    accepted it; `every` seconds between two. Returns how many were sent."""
    for i, r in enumerate(reminders):
        if i:
            sleep(cfg.every)
        msg = build_message(cfg, r.to, r.message, now())
        sender.send(msg)
        record(r, str(msg["Message-ID"]))
        progress(i + 1, r)
    return len(reminders)
