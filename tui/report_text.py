"""The day's digest as plain text: short lines, no box drawing, to paste into WeChat or mail."""

from __future__ import annotations

from weekwatch.store.model import State
from weekwatch.store.report_day import Digest
from weekwatch.store.rules import Board
from weekwatch.widgets.safe import safe_str

from .describe import column_name, kinds_text
from .i18n import I18n


def day_text(d: Digest, board: Board, t: I18n, actions: str = "") -> str:
    """`actions` says which decisions the digest applies (see report_cli.actions_words)."""
    zh = t.lang == "zh"
    ev = board.event
    when = board.now.astimezone(ev.tz)
    lines = [safe_str(ev.title), f"{column_name(d.day, t)} " + ("日报" if zh else "digest")]
    lines.append(
        ("截至 " if zh else "as of ") + f"{when:%m-%d %H:%M}" + (f" · {actions}" if actions else "")
    )
    if d.share is not None:
        on = sum(1 for u in d.units if u.state == State.ON_TIME)
        lines.append(("按时报送率 " if zh else "on time ") + f"{d.share:.0%}（{on}/{d.owing}）")
    sent = [u for u in d.units if u.arrivals]
    lines.append("")
    lines.append(("已报送" if zh else "Sent") + f"（{len(sent)}）")
    for u in sent:
        kinds = ("、" if zh else ", ").join(f"{t('kind.' + k)}{n}" for k, n in u.arrivals.items())
        lines.append(f"· {safe_str(u.name)}：{kinds}")
    late = [u for u in d.units if u.state == State.LATE]
    if late:
        lines.append("")
        lines.append(("迟交" if zh else "Late") + f"（{len(late)}）")
        for u in late:
            by = f"{u.late_minutes}分钟" if zh else f"{u.late_minutes} min"
            lines.append(f"· {safe_str(u.name)}：" + (f"迟{by}" if zh else f"late by {by}"))
    missing = [u for u in d.units if u.state in (State.MISSING, State.DUE)]
    if missing:
        lines.append("")
        lines.append(("未报送" if zh else "Not sent") + f"（{len(missing)}）")
        for u in missing:
            extra = ""
            if u.sent:
                extra = "：" + t(
                    "detail.sent_not", sent=kinds_text(u.sent, t), lacking=kinds_text(u.lacking, t)
                )
            lines.append(f"· {safe_str(u.name)}{extra}")
    if d.quarantine:
        lines.append("")
        lines.append(("待分拣文件" if zh else "In quarantine") + f"（{len(d.quarantine)}）")
        lines.extend(f"· {safe_str(q)}" for q in d.quarantine[:20])
        if len(d.quarantine) > 20:
            lines.append(f"… +{len(d.quarantine) - 20}")
    return "\n".join(lines)
