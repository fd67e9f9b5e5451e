"""`weekwatch remind`'s lines in zh and en: the dry run, the question, the progress and the
call-instead list. Merged into `i18n._T` (one table for the both-languages test). No Textual.
"""

from __future__ import annotations

REMIND: dict[str, tuple[str, str]] = {
    "remind.cli.as_of": ("按 {when} 的情况（--as-of）", "as of {when} (--as-of)"),
    "remind.cli.to": ("收件人：{to}", "To: {to}"),
    "remind.cli.subject": ("主题：{subject}", "Subject: {subject}"),
    "remind.cli.html": ("（另有同样内容的 HTML）", "(and the same as HTML)"),
    "remind.cli.already": (
        "；此前已催 {n} 个（加 --again 仍发）",
        "; {n} reminded before (--again to send anyway)",
    ),
    "remind.cli.dry": (
        "{label}：将发 {n} 封，未发送（试运行）{already}",
        "{label}: {n} would be sent, none sent (dry run){already}",
    ),
    "remind.cli.nobody": (
        "{label}：没有需要发邮件的单位{already}",
        "{label}: nobody to e-mail{already}",
    ),
    "remind.cli.ask": (
        "{label}：以 {sender} 给 {n} 个单位发催报邮件？",
        "{label}: e-mail {n} units from {sender}?",
    ),
    "remind.cli.no_terminal": (
        "{question} 没有终端可以询问：加 --yes 才发送",
        "{question} No terminal to ask: pass --yes to send",
    ),
    "remind.cli.nothing": ("未发送", "nothing sent"),
    "remind.cli.sent_one": ("已发 {i}/{n}  {name}  → {to}", "sent {i}/{n}  {name}  → {to}"),
    "remind.cli.sent": ("{label}：已发 {n} 封{already}", "{label}: {n} sent{already}"),
    "remind.cli.call_head": (
        "请改打电话（名册中没有邮箱）：",
        "call instead (no e-mail address on the roster):",
    ),
    "remind.cli.no_phone": ("也没有电话", "no phone either"),
    # what a scheduled reminder did (`watch` prints it, the dashboard toasts it)
    "remind.news.sent": ("{when} 定时催报：已发 {n} 封", "reminder of {when}: {n} e-mailed"),
    "remind.news.call": ("；请改打电话：{names}", "; call instead: {names}"),
    "remind.news.cancelled": (
        "{when} 的定时催报已被取消：未发送",
        "reminder of {when} cancelled by an operator: not sent",
    ),
    "remind.news.failed": ("{when} 定时催报未发：{error}", "reminder of {when}: {error}"),
}
