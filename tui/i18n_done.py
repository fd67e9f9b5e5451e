"""What a command says it did, in zh and en: the actions' `recorded …` lines, `ingest`'s count
line, what a re-read changed, `init`'s line.

Merged into `i18n._T`. An operator's action (`weekwatch note …`) is a process of its own that
loads nothing it does not use, so this module imports nothing and `done` formats a line
without `i18n.I18n`; the English templates give back exactly what weekwatch printed before
(`tests/test_cli_zh.py` checks both).
"""

from __future__ import annotations

DONE: dict[str, tuple[str, str]] = {
    # the columns, as the grid labels them
    "col.plan": ("方案", "Plan"),
    "col.summary": ("总结", "Summary"),
    # the operator's actions
    "done.action": ("已记录{what}：{where} [{id}]", "recorded {what} {where} [{id}]"),
    "done.note": ("备注", "note"),
    "done.contact": ("联系", "contact"),
    "done.excuse": ("免交", "excuse"),
    "done.extend": ("延期", "extend"),
    "done.assign": ("分配", "assign"),
    "done.dismiss": ("排除", "dismiss"),
    "done.undo": ("已撤销：{what} {ids} [{id}]", "recorded undo of {what} {ids} [{id}]"),
    "done.redo": ("已重做：{what} {ids} [{id}]", "recorded redo of {what} {ids} [{id}]"),
    "done.email_stays": (
        "邮件已经发出，无法收回；remind 仍算作已催报（--again 可再发）",
        "the e-mail was sent and stays sent; `remind` still counts it (--again)",
    ),
    "done.recommend": (
        "已记录推荐 {n} 个文件{note} [{id}]",
        "recorded recommend of {n} file(s){note} [{id}]",
    ),
    "done.unrecommend": (
        "已取消推荐 {n} 个文件{note} [{id}]",
        "recorded unrecommend of {n} file(s){note} [{id}]",
    ),
    "done.recommend_note": ("（{note}）", " ({note})"),
    # weekwatch ingest
    "done.ingest": (
        "新收 {n} 个文件（其中待分拣 {q} 个），已移走 {gone} 个",
        "{n} new ({q} quarantined), {gone} gone",
    ),
    # weekwatch init
    "done.init": (
        "已创建 {config}；请把文件放进 {inbox}",
        "created {config}; drop files into {inbox}",
    ),
    # what a re-read changed (units import, ingest --reread, the roster or dates edited)
    "reread.files": ("{n} 个文件", "{n} files"),
    "reread.file": ("{n} 个文件", "{n} file"),
    "reread.placed": ("{files}现已归位", "{files} now placed"),
    "reread.moved_one": ("1 个从 {before} 改归 {after}", "1 moved from {before} to {after}"),
    "reread.moved": ("{n} 个改归其他单位", "{n} moved to another unit"),
    "reread.recelled": ("{n} 个改了栏目、类型或日期", "{n} read with another column, kind or days"),
    "reread.quarantined": ("{n} 个转入待分拣", "{n} now in quarantine"),
    "reread.reason": ("{n} 个仍待分拣，原因有变", "{n} still in quarantine for another reason"),
    "reread.sep": ("，", ", "),
    "reread.nothing": ("没有变化", "nothing changed"),
    "reread.head": ("{parts}（重读 {files}{kept}）", "{parts} ({files} read again{kept})"),
    "reread.kept": (
        "；操作员分配的 {n} 个保持不变",
        "; {n} assigned by an operator, left as assigned",
    ),
    "reread.quarantine": ("待分拣：{reason}", "quarantine: {reason}"),
    "reread.change": ("  {path}：{was}  →  {now}{note}", "  {path}: {was}  →  {now}{note}"),
    "reread.dismissed": ("  （已排除：仍为排除）", "  (dismissed: stays dismissed)"),
}


def done(key: str, lang: str, **fields: object) -> str:
    """The line `key` in `lang` (zh, else English), its fields filled in."""
    text = DONE[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


def grid_column(column: str, lang: str) -> str:
    """A column as the grid labels it: 方案 / Plan, 总结 / Summary, a day as MM-DD."""
    if column in ("plan", "summary"):
        return done(f"col.{column}", lang)
    return f"{column[5:7]}-{column[8:10]}"
