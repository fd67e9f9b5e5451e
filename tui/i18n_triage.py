"""The triage dialogs' words in zh and en: input mistakes, confirmations, undo and redo.

Merged into `i18n._T` (one table for the both-languages test); kept here so the dialogs' texts
sit together. No Textual.
"""

from __future__ import annotations

TRIAGE: dict[str, tuple[str, str]] = {
    "form.steps": (
        "Enter 下一项 · 最后一项 Enter 确定 · Esc 取消",
        "Enter: next field, on the last confirms · Esc: cancel",
    ),
    "form.required": ("此项必填", "required"),
    "input.cell": ("没有“{text}”这一列；可输入 {examples}", "no column '{text}'; use {examples}"),
    "input.not_in_week": (
        "“{text}”不是活动周中的一天；可输入 {examples}",
        "'{text}' is not a day of the week; use {examples}",
    ),
    "input.moment": (
        "“{text}”不是日期时间；可写成 {examples}",
        "'{text}' is not a date and time; write it like {examples}",
    ),
    "input.unit": (
        "名单中没有“{text}”（编号、名称或简称）",
        "no unit '{text}' (id, name or alias)",
    ),
    "input.unit_like": ("；是否指：{candidates}", "; did you mean {candidates}?"),
    "input.ambiguous": (
        "“{text}”对应多个单位：{candidates}；请多输入几个字",
        "'{text}' names several units: {candidates}; type more of the name",
    ),
    "input.empty": ("未输入", "nothing typed"),
    "input.kind": ("没有“{text}”这种类型；可选：{kinds}", "no kind '{text}'; one of {kinds}"),
    "assign.kinds": ("可选类型：{kinds}", "kinds: {kinds}"),
    "assign.pick": ("分配 {path}：选择单位", "Assign {path}: pick the unit"),
    "assign.for": ("分配 {path} → {who}", "Assign {path} → {who}"),
    "assign.suggested": ("文件名提示：{names}", "the name suggests: {names}"),
    "confirm.hint": ("y 确定 · n 或 Esc 不做", "y: do it · n or Esc: don't"),
    "confirm.earlier.title": ("把截止时间提前？", "Move the deadline earlier?"),
    "confirm.earlier.body": (
        "{who}：截止时间将从 {old} 提前到 {new}。",
        "{who}: the deadline moves from {old} to {new}, earlier.",
    ),
    "confirm.on_time.title": ("免交已按时提交的格？", "Excuse a cell already on time?"),
    "confirm.on_time.body": (
        "{who} 已按时提交；免交后此格显示为“免交”。",
        "{who} already sent on time; excused, the cell shows as excused instead.",
    ),
    "confirm.others.title": ("撤销他人的操作？", "Take back another operator's action?"),
    "confirm.others.body": (
        "将撤销 {operator} 于 {at} 的操作：{what}",
        "This takes back {operator}'s action of {at}: {what}",
    ),
    "msg.nothing_undo": ("没有可撤销的操作", "Nothing to undo"),
    "msg.nothing_redo": ("没有可重做的操作", "Nothing to redo"),
    "msg.undone_what": ("已撤销：{what}（U 重做）", "Undone: {what} (U redoes)"),
    "msg.redone": ("已重做：{what}", "Redone: {what}"),
    "msg.assigned_to": ("已分配 {path} → {who}", "Assigned {path} → {who}"),
    "msg.contacted_each": (
        "已记录联系 {n} 个单位，各记在其缺交格：{cells}",
        "Contact logged for {n} unit(s), each on its own gap: {cells}",
    ),
    "act.excuse": ("免交", "excuse"),
    "act.extend": ("延期", "extension"),
    "act.contact": ("联系", "contact"),
    "act.note": ("备注", "note"),
    "act.assign": ("分配", "assignment"),
    "act.dismiss": ("排除", "dismissal"),
    "act.undo": ("撤销", "undo"),
    "act.recommend": ("推荐", "recommendation"),
    "act.unrecommend": ("取消推荐", "unmarking"),
    "act.n_units": ("（{n} 个单位）", " ({n} units)"),
    "key.redo": ("重做", "Redo"),
    "key.redo.tip": ("重做刚撤销的操作", "Put back what the last undo took back"),
    "operator.title": ("您是哪位操作员？", "Who is operating?"),
    "operator.body": (
        "登录名“{login}”由多人共用；请输入您的姓名，操作记录将署此名（只问一次）。",
        "The login name '{login}' is shared; type your name: actions are recorded under it "
        "(asked once).",
    ),
    "operator.name": ("姓名", "Name"),
    "msg.operator": ("操作员：{name}", "Operator: {name}"),
}
