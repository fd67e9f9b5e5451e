"""A reminder run on an opened workspace: the plan made from the judged board, each message
sent through the `[smtp]` server and recorded in the action log as it goes. Shared by
`weekwatch remind`, the schedule (`[remind] at`) and the dashboard's call list."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from .remind import Plan, Reminder, bureau_of, plan, send_all
from .remind_config import REMINDABLE, SmtpConfig, load_remind_config, load_smtp_config
from .remind_template import load_template
from .report_calls import calls_column
from .smtp_send import Sender
from .week import Week, default_operator


def make_plan(
    week: Week,
    *,
    cell: str | None = None,
    only: Sequence[str] = REMINDABLE,
    units: Sequence[str] | None = None,
    again: bool = False,
    operator: str | None = None,
) -> Plan:
    """What a run would send now: the board judged by the rules, the template filled."""
    template = load_template(week.workspace.root)
    board = week.board()
    col = cell or calls_column(board)  # the call list's column: what is owed
    cfg = load_smtp_config(week.workspace.config)
    bureau = bureau_of(cfg, load_remind_config(week.workspace.config).bureau)
    return plan(
        board,
        week.ledger(),
        template,
        col,
        only=only,
        units=units,
        again=again,
        bureau=bureau,
        operator=default_operator() if operator is None else operator,
    )


def recorder(week: Week, operator: str | None) -> Callable[[Reminder, str], object]:
    def record(r: Reminder, message_id: str) -> object:
        return week.contact(
            r.unit,
            f"催报邮件：{r.message.subject}（{'、'.join(r.to)}）",
            r.cell,
            operator=operator,
            via="email",
            message_id=message_id,
        )

    return record


def deliver(
    week: Week,
    cfg: SmtpConfig,
    reminders: Sequence[Reminder],
    operator: str | None,
    progress: Callable[[int, Reminder], None] = lambda _i, _r: None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send and record every reminder; raises SmtpError with how many went before it."""
    with Sender(cfg, cfg.password(), sleep=sleep) as sender:
        return send_all(
            reminders,
            cfg,
            sender,
            recorder(week, operator),
            now=week.clock,
            sleep=sleep,
            progress=progress,
        )
