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
    # weekwatch units import (tui/roster_report.py)
    "roster.head": (
        "新增 {added} 个单位，更新 {updated} 个，未变 {unchanged} 个（名单共 {n} 个）",
        "{added} units added, {updated} updated, {unchanged} unchanged ({n} in the roster)",
    ),
    "roster.dry": ("——未写入（--dry-run）", " — nothing written (--dry-run)"),
    "roster.part": ("{why} {n} 行", "{n} {why}"),
    "roster.blank": ("空行 {n} 行", "{n} blank"),
    "roster.skipped": ("跳过 {n} 行：{parts}", "{n} rows skipped: {parts}"),
    "roster.sep": ("，", ", "),
    "roster.others": (
        "另有 {n} 个单位自动生成的简称有变（{ids}）",
        "{n} other units' derived aliases change ({ids})",
    ),
    "roster.warning": ("{n} 条警告：", "{n} warning:"),
    "roster.warnings": ("{n} 条警告：", "{n} warnings:"),
    "roster.more": ("  ……另有 {n} 条", "  … and {n} more"),
    "roster.why.total": ("合计/总计行", "a 合计/总计 row"),
    "roster.why.note": ("备注行（不是单位）", "a note, not a unit"),
    "roster.why.header": ("重复的表头", "the header repeated"),
    "roster.why.no_name": ("没有单位名称", "no 单位名称"),
    "roster.added": ("新增", "new"),
    "roster.updated": ("更新", "updated"),
    "roster.unchanged": ("未变", "unchanged"),
    "roster.matched": ("（按{by}匹配）", " (matched by {by})"),
    "roster.by.id": ("编号", "id"),
    "roster.by.name": ("名称", "name"),
    "roster.by.alias": ("简称", "alias"),
    "roster.fields": ("：{fields}", ": {fields}"),
    "roster.type": ("类型 {type}", "type {type}"),
    "roster.aliases": ("简称 {aliases}", "aliases {aliases}"),
    "roster.liaison": ("联络员 {name}", "liaison {name}"),
    "roster.sheet": ("，工作表“{sheet}”", ", sheet '{sheet}'"),
    "roster.sheets": ("（工作表：{sheets}）", " (sheets: {sheets})"),
    "roster.header": ("表头：{at}：{labels}", "header: {at}: {labels}"),
    "roster.columns": ("各列：", "columns:"),
    "roster.note": ("（{why}）", " ({why})"),
    "roster.units": (
        "单位（{n} 个；{mark} = weekwatch 据名称推断）：",
        "units ({n}; {mark} = derived by weekwatch from the name):",
    ),
    "roster.skipped_rows": (
        "跳过的行（{n} 行，另有空行 {blank} 行）：",
        "skipped rows ({n}, and {blank} blank):",
    ),
    "roster.at": ("第 {row} 行", "row {row}"),
    "roster.col.kept out": ("不导入", "kept out"),
    "roster.col.kept out (--map)": ("不导入（--map）", "kept out (--map)"),
    "roster.col.from --map": ("按 --map", "from --map"),
    "roster.col.mobile": ("手机", "mobile"),
    "roster.col.office": ("办公电话", "office"),
    "done.warning": ("警告：{text}", "warning: {text}"),
    "done.digits": (
        "有 {n} 个编号或简称全是数字（{shown}）：它们只在整个文件夹名或文件名就是它时才指这个单位，"
        "不会在名称中间认出（11-09活动照片 里的 11 是日期）；请给这些单位加简称",
        "{n} ids or aliases are digits alone ({shown}): they name a unit only as a whole "
        "folder or file name, never inside a name (in 11-09活动照片 the 11 is a date); give "
        "those units aliases",
    ),
    # weekwatch report pack
    "pack.files": ("共 {n} 个文件", "{n} files"),
    "pack.left": (
        "，{n} 个未收（重复，或已不在收件夹）",
        ", {n} left out (duplicates, or no longer in the inbox)",
    ),
    "pack.gbk": (
        "，{n} 个文件名 GBK 写不出，用了 UTF-8",
        ", {n} names outside GBK written in UTF-8",
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
