"""The text of the detail pane and the file record: rich Text built from the Board and Ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rich.style import Style
from rich.text import Text

from weekwatch.store.ledger import Ledger
from weekwatch.store.model import Action, Unit
from weekwatch.store.rules import Board, CellState, Placed, deadline, requires
from weekwatch.store.traces import cell_trace
from weekwatch.widgets.look import STYLE, TRACE_MARK, cell_text, star_mark, symbols
from weekwatch.widgets.safe import safe_str

from .i18n import I18n, unit_type
from .i18n import column_name as column_name  # where its callers have found it
from .view import fmt_left


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def _line(text: Text, label: str, value: str, style: str = "", t: I18n | None = None) -> None:
    text.append(f"{label}{t('detail.colon') if t else ': '}", style="bold")
    text.append(safe_str(value), style=style)
    text.append("\n")


def action_line(a: Action, ledger: Ledger, tz: dt.tzinfo) -> Text:
    """`05-15 11:02 op excuse — reason` (undone actions struck through)."""
    data = a.data
    until = _local(data.get("until"), tz)
    what = data.get("reason") or data.get("text") or data.get("note") or until
    what = what or data.get("path") or "、".join(data.get("paths") or ())
    if a.data.get("promised_by"):
        what = f"{what} → {_local(a.data['promised_by'], tz)}"
    line = Text(f"{a.at.astimezone(tz):%m-%d %H:%M} ", style="dim")
    line.append(safe_str(a.operator), style="bold")
    line.append(f" {a.type}")
    if a.cell and a.type != "undo":
        line.append(f" {a.cell}")
    if what:
        line.append(" — ")
        line.append(safe_str(what))
    if a.id in ledger.undone:
        line.stylize("strike")
    return line


def _local(value: object, tz: dt.tzinfo) -> str:
    """A stored moment (ISO 8601) as the operator reads it: `05-15 15:00` in the event's zone."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        return f"{dt.datetime.fromisoformat(value).astimezone(tz):%m-%d %H:%M}"
    except ValueError:
        return value  # not a moment: shown as written


def detail(
    board: Board,
    ledger: Ledger,
    unit: Unit | None,
    column: str | None,
    t: I18n,
    styles: Mapping[str, Style | str] = STYLE,
) -> Text:
    """The focused cell first (state, deadline, materials), then the liaison and the history.

    Most useful first: on a 24-line terminal the pane shows only its first few lines.
    `styles`: the state styles (the dashboard passes its theme's).
    """
    ev = board.event
    text = Text()
    if unit is None:
        text.append(t("help.legend") + "\n", style="bold")
        for state, sym in symbols().items():
            text.append(f" {sym} ", style=styles[state])
            text.append(t(f"state.{state}") + "\n")
        text.append(f" {cell_text('not_required', 2)} ", style=styles["not_required"])
        text.append(t("state.not_required_sent", n=2) + "\n")
        text.append(f"\n{t('totals')}\n")
        text.append(t("trace.title") + "\n", style="bold")
        for trace, mark in TRACE_MARK.items():
            text.append(f" {mark} ", style="bold")
            text.append(t(f"trace.{trace}") + "\n")
        text.append(f" {star_mark()} ", style="bold")
        text.append(t("trace.recommended") + "\n")
        return text
    text.append(safe_str(unit.name), style="bold")
    if column is not None:
        cell = board.cells[(unit.id, column)]
        text.append(f" · {column_name(column, t)}  ")
        text.append(f"{symbols()[cell.state]} {t('state.' + cell.state)}", style=styles[cell.state])
        trace = cell_trace(board, ledger, unit.id, column)
        if trace:
            text.append(f" · {TRACE_MARK[trace]} {t('trace.' + trace)}", style="bold")
        text.append("\n")
        if cell.state == "not_required":
            text.append(t("detail.not_owed") + "\n", style="dim")
        else:
            due = deadline(ev, column, ledger.extensions.get((unit.id, column)))
            _line(text, t("detail.deadline"), f"{due.astimezone(ev.tz):%Y-%m-%d %H:%M}", t=t)
            if cell.need and cell.lacking:
                style = styles["missing" if cell.state == "missing" else "due"]
                text.append(lacking_text(cell, t) + "\n", style=style)
        mats = board.materials_of(unit.id, column)
        if not mats:
            text.append(t("detail.no_materials") + "\n", style="dim")
        for p in mats:
            text.append_text(material_line(p, board, ledger, t))
        history = ledger.history(unit.id, column)
    else:
        text.append("\n")
        history = ledger.history(unit.id)
    liaison = " ".join(x for x in (unit.liaison_name, unit.liaison_phone, unit.liaison_email) if x)
    _line(text, t("detail.liaison"), liaison or "—", t=t)
    about = [unit.id, "、".join(unit.aliases), unit_type(unit.type, t), unit.region]
    text.append(safe_str(" · ".join(x for x in about if x)) + "\n", style="dim")
    text.append(t("detail.history") + "\n", style="bold")
    if not history:
        text.append("  " + t("detail.no_history") + "\n", style="dim")
    for a in history[-12:]:
        text.append("  ")
        text.append_text(action_line(a, ledger, ev.tz))
        text.append("\n")
    return text


def kinds_text(kinds: tuple[str, ...] | list[str], t: I18n) -> str:
    """《情况统计表》《总结》 in Chinese; "the statistics table and the summary" in English."""
    names = [t(f"kind.{k}") for k in kinds]
    if t.lang == "zh":
        return "".join(f"《{n}》" for n in names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def lacking_text(cell: CellState, t: I18n) -> str:
    """缺《情况统计表》 / lacking: the statistics table ('' when nothing required is lacking)."""
    if not cell.need or not cell.lacking:
        return ""
    return t("detail.lacking", kinds=kinds_text(cell.lacking, t))


def sent_not_text(board: Board, unit: str, column: str, t: I18n) -> str:
    """已交《总结》，缺《情况统计表》 / "sent the summary, not the statistics table": a
    half-sent cell as the call list and the digest say it ('' unless half-sent)."""
    cell = board.cells[(unit, column)]
    if not cell.partial:
        return ""
    sent = tuple(k for k in requires(board.event, column) if k not in cell.lacking)
    return t("detail.sent_not", sent=kinds_text(sent, t), lacking=kinds_text(cell.lacking, t))


def material_line(p: Placed, board: Board, ledger: Ledger, t: I18n) -> Text:
    """`  name  [kind] 12.3 KB  05-15 11:58  late by 3 min`."""
    ev = board.event
    m = p.material
    line = Text("· ")
    line.append(safe_str(m.path))  # the path as on disk: folders say who sent it, too
    line.append(f"  [{p.kind}] {human_size(m.size)}  ", style="dim")
    line.append(f"{m.received_at.astimezone(ev.tz):%m-%d %H:%M}")
    if p.late and p.unit and p.cell:
        due = deadline(ev, p.cell, ledger.extensions.get((p.unit, p.cell)))
        line.append(
            "  " + t("detail.late_by", left=fmt_left(m.received_at - due, t)), style=STYLE["late"]
        )
    if p.duplicate_of:
        line.append(f"  {t('detail.duplicate')}", style="dim")
    note = ledger.recommend_note(m.path)
    if note is not None:  # ★ reads without colour
        line.append(f"  ★ {t('detail.recommended')}", style="bold")
        if note:
            line.append(" " + safe_str(note))
    if m.gone:  # removed from the inbox after it was taken in: it still counts
        line.append(f"  {t('detail.gone')}", style=STYLE["late"])
    line.append("\n")
    return line


def record(p: Placed, board: Board, t: I18n, ledger: Ledger | None = None) -> Text:
    """Everything the store knows about one file (with `ledger`: its ★ and note)."""
    m = p.material
    tz = board.event.tz
    text = Text()
    rows = [
        ("path", m.path),
        ("unit", p.unit or "—"),
        ("cell", p.cell or "—"),
        ("kind", p.kind),
        ("size", f"{m.size} B ({human_size(m.size)})"),
        ("sha256", m.sha256),
        ("received_at", m.received_at.astimezone(tz).isoformat()),
        ("late", str(p.late)),
        ("duplicate_of", p.duplicate_of or "—"),
        ("quarantine", t.reason(p.quarantine) or "—"),
        ("until", m.until or "—"),  # a range's last day; the cell is its first
        ("superseded", str(m.superseded)),
        ("gone", str(m.gone)),
    ]
    if p.judged_at != m.received_at:
        # Judged by its first version's arrival, or the time an operator gave it.
        rows.insert(7, ("judged_at", p.judged_at.astimezone(tz).isoformat()))
    if len(p.credits) > 1:
        rows.insert(3, ("credits", ", ".join(f"{c.unit} {c.cell}" for c in p.credits)))
    if p.dismissed is not None:
        rows.append(("dismissed", p.dismissed))
    note = ledger.recommend_note(m.path) if ledger is not None else None
    if note is not None:
        rows.append(("recommended", f"★ {note}".rstrip()))
    for v in p.versions:  # a file rewritten in place: every version, oldest first
        when = v.received_at.astimezone(tz)
        rows.append(("version", f"{when:%m-%d %H:%M}  {human_size(v.size)}  {v.sha256[:12]}"))
    if m.within:  # inside an e-mail or a zip: what holds it, and what the e-mail said
        rows.insert(1, ("within", " › ".join(m.within)))
        origin = m.origin
        if origin.get("from") or origin.get("subject"):
            rows[2:2] = [
                ("from", str(origin.get("from") or "—")),
                ("subject", str(origin.get("subject") or "—")),
                ("date", _mail_date(origin.get("date"), tz)),
            ]
    for k, val in rows:
        if t.lang == "zh":  # the record's fields and yes/no in Chinese; English: as stored
            val = {"True": "是", "False": "否"}.get(val, val) if k in _YES_NO else val
            k = t(f"record.{k}")
        _line(text, k, val, t=t)
    return text


#: The record's fields that hold True or False.
_YES_NO = frozenset({"late", "superseded", "gone"})


def _mail_date(value: object, tz: dt.tzinfo) -> str:
    """The e-mail's Date header, in the event's zone."""
    if not isinstance(value, str):
        return "—"
    try:
        return dt.datetime.fromisoformat(value).astimezone(tz).isoformat()
    except ValueError:
        return value
