"""Every label, help line and message of the dashboard, in Chinese and English. No Textual here."""

from __future__ import annotations

import os
from collections.abc import Mapping

from weekwatch.store.reasons import Quarantine

from .i18n_cli import CLI
from .i18n_config import CONFIG
from .i18n_done import DONE, grid_column
from .i18n_remind import REMIND
from .i18n_triage import TRIAGE

LANGS = ("zh", "en")

_T: dict[str, tuple[str, str]] = {
    # grid
    "col.unit": ("单位", "Unit"),
    "today": ("今天", "today"),
    "totals": (
        "顶部四行：每列按时 / 迟交 / 未交 / 待交（截止前还没交）的单位数",
        "Top rows: units on time / late / missing / due (not yet sent, deadline ahead), per column",
    ),
    "weekdays": ("一二三四五六日", "MonTueWedThuFriSatSun"),
    # header
    "countdown.today": ("今日截止 {time} · 还有 {left}", "Today's deadline {time} · {left} left"),
    "countdown.plan": ("方案截止 {time} · 还有 {left}", "Plan due {time} · {left} left"),
    "countdown.summary": ("总结截止 {time} · 还有 {left}", "Summary due {time} · {left} left"),
    "countdown.day": ("{day}材料截止 {time} · 还有 {left}", "{day} due {time} · {left} left"),
    "countdown.next": ("下个截止 {time} · 还有 {left}", "Next deadline {time} · {left} left"),
    "countdown.over": ("所有截止时间已过", "All deadlines have passed"),
    "left.days": ("{d} 天 {h} 小时", "{d} d {h} h"),
    "left.hours": ("{h} 小时 {m} 分钟", "{h} h {m} min"),
    "left.minutes": ("{m} 分钟", "{m} min"),
    "left.seconds": ("{s} 秒", "{s} s"),
    "badge.quarantine": ("待分拣 {n}", "quarantine {n}"),
    "badge.watching": ("监视中", "watching"),
    "badge.failing": ("监视出错，重试中", "watcher failing, retrying"),
    "badge.following": ("跟随 pid {pid}", "following pid {pid}"),
    "badge.following_stale": ("pid {pid} 未在扫描", "pid {pid} NOT scanning"),
    "badge.not_taking_in": ("未收录文件", "NOT taking in files"),
    "badge.scanned": ("扫描于 {at}", "scanned {at}"),
    "badge.read_only": ("只读", "read-only"),
    "badge.mail_down": ("邮箱连不上", "mailbox down"),
    "badge.remind": ("{at} 自动催报", "reminder at {at}"),
    "badge.remind_off": ("{at} 催报已取消", "{at} reminder cancelled"),
    "key.remind": ("邮件催报", "E-mail reminder"),
    "key.remind.tip": (
        "给选中的单位（或本列尚欠材料的单位）发催报邮件：先预览、确认",
        "E-mail a reminder to the marked units (or all owing this column): preview, confirm",
    ),
    "key.calls_remind.tip": (
        "给名单上的单位（或其中选中的）发催报邮件：先预览、确认",
        "E-mail a reminder to the listed units (or the marked among them): preview, confirm",
    ),
    "key.remind_skip": ("取消下次自动催报", "Cancel next reminder"),
    "key.remind_skip.tip": (
        "取消（再按恢复）[remind] 定时的下一次催报邮件",
        "Cancel (again: restore) the next scheduled reminder of [remind]",
    ),
    "remind.title": ("发送催报邮件？", "Send the reminders?"),
    "remind.hint": ("y 发送 · n / Esc 取消", "y send · n / Esc cancel"),
    "remind.count": (
        "共 {n} 个单位，各发一封。第一封：",
        "{n} units, one message each. The first:",
    ),
    "remind.call_instead": ("无邮箱，请电话联系：{names}", "no e-mail, call instead: {names}"),
    "remind.nobody": (
        "没有需要发邮件的单位（此前已催 {n} 个）",
        "nobody to e-mail ({n} reminded before)",
    ),
    "remind.sent_one": ("已发 {i}/{n}：{name}", "sent {i}/{n}: {name}"),
    "remind.done": ("催报邮件已发 {n} 封，已记入联系记录", "{n} reminders sent and logged"),
    "remind.no_smtp": (
        "weekwatch.toml 没有 [smtp]：不能发邮件（见 README）",
        "no [smtp] in weekwatch.toml: cannot send e-mail (see the README)",
    ),
    "remind.no_schedule": (
        "没有定时催报（[remind] auto = true）或本周已无下一次",
        "no scheduled reminder ([remind] auto = true), or none left this week",
    ),
    "remind.cancelled": ("已取消 {at} 的自动催报", "the reminder of {at} is cancelled"),
    "remind.restored": ("已恢复 {at} 的自动催报", "the reminder of {at} is back on"),
    "badge.as_of": ("回看 {when}", "as of {when}"),
    "badge.as_of_all": ("回看 {when}（含此后的决定）", "as of {when}, with later decisions"),
    "badge.filter": ("筛选：{name}", "filter: {name}"),
    "badge.sort": ("排序：{name}", "sort: {name}"),
    "badge.filter_short": ("f：{name}", "f: {name}"),
    "badge.sort_short": ("s：{name}", "s: {name}"),
    "badge.marked": ("已选 {n}", "marked {n}"),
    "filter.all": ("全部", "all"),
    "filter.problems": ("问题", "problems"),
    "filter.missing": ("未交", "missing"),
    "filter.late": ("迟交", "late"),
    "filter.due_today": ("今日待交", "due today"),
    "filter.missing_today": ("今日未交", "missing today"),
    "filter.late_today": ("今日迟交", "late today"),
    # the search that narrows the grid, the marks of a cell's history
    "search.prompt": ("查找（名称、简称、编号、拼音）", "find (name, alias, id, pinyin)"),
    "search.count": ("{n} 个单位", "{n} unit(s)"),
    "detail.none_shown": (
        "没有单位符合「{why}」（Esc 清除）",
        "No unit matches “{why}” now (Esc clears)",
    ),
    "search.none": ("没有单位匹配「{q}」", "no unit matches “{q}”"),
    "badge.search": ("/ {q}", "/ {q}"),
    "trace.title": ("格内标记", "Marks in a cell"),
    "trace.broken": ("承诺时间已过仍未交", "promise broken: its time passed, still not sent"),
    "trace.promised": ("已承诺（时间未到）", "promised, its time still ahead"),
    "trace.extended": ("已延期", "deadline extended"),
    "trace.contacted": ("已联系", "contacted"),
    "trace.recommended": ("有择优推荐的文件", "holds a recommended file"),
    "sort.roster": ("名册顺序", "roster"),
    "sort.worst": ("问题优先", "worst first"),
    "sort.region": ("区域", "region"),
    "sort.type": ("类型", "type"),
    # states
    "state.future": ("未开始", "not yet"),
    "state.due": ("待交", "due"),
    "state.on_time": ("按时", "on time"),
    "state.late": ("迟交", "late"),
    "state.missing": ("未交", "missing"),
    "state.excused": ("已免", "excused"),
    "state.not_required": ("无需报送", "not required"),
    # A column nobody owes that still received files: `—2` (widgets/look.py cell_text).
    "state.not_required_sent": ("无需报送，仍收到 {n} 份", "not required, {n} files came anyway"),
    # today's picture
    "today.title": ("今日到达（每小时）", "Arrivals today (per hour)"),
    "today.share": (
        "今日按时 {on}/{all}（{pct}%）· 待交 {due}",
        "On time today {on}/{all} ({pct}%) · due {due}",
    ),
    "today.not_owed": (
        "今日无需报送 · 已收到 {n} 份（{units} 个单位）",
        "Nothing due today · {n} files came ({units} units)",
    ),
    "today.none": ("今天不在活动周内", "Today is not a day of the week"),
    # detail
    "detail.title": ("详情", "Detail"),
    "detail.colon": ("：", ": "),
    # the file record's fields (o), as stored; under zh in words
    "record.path": ("路径", "path"),
    "record.unit": ("单位", "unit"),
    "record.cell": ("栏目", "cell"),
    "record.credits": ("计入", "credits"),
    "record.kind": ("类型", "kind"),
    "record.size": ("大小", "size"),
    "record.sha256": ("sha256", "sha256"),
    "record.received_at": ("收到于", "received_at"),
    "record.judged_at": ("按此时间判定", "judged_at"),
    "record.late": ("迟交", "late"),
    "record.duplicate_of": ("重复于", "duplicate_of"),
    "record.quarantine": ("待分拣原因", "quarantine"),
    "record.until": ("截至（日期范围）", "until"),
    "record.superseded": ("已被新版本取代", "superseded"),
    "record.gone": ("已移走", "gone"),
    "record.dismissed": ("已排除", "dismissed"),
    "record.recommended": ("推荐", "recommended"),
    "record.version": ("版本", "version"),
    "record.within": ("所在", "within"),
    "record.from": ("发件人", "from"),
    "record.subject": ("主题", "subject"),
    "record.date": ("发信时间", "date"),
    "detail.unit": ("单位", "Unit"),
    "detail.liaison": ("联络员", "Liaison"),
    "detail.type_region": ("类型 / 区域", "Type / region"),
    "detail.cell": ("格", "Cell"),
    "detail.deadline": ("截止", "Deadline"),
    "detail.materials": ("材料", "Materials"),
    "detail.no_materials": ("（暂无材料）", "(no materials)"),
    "detail.not_owed": ("（该单位无需报送此栏）", "(this unit does not owe this column)"),
    "detail.lacking": ("缺{kinds}", "lacking: {kinds}"),
    "detail.sent_not": ("已交{sent}，缺{lacking}", "sent {sent}, not {lacking}"),
    # kinds, as a notice names them (zh in 《》 when listed)
    "kind.plan": ("活动方案", "the activity plan"),
    "kind.info_form": ("信息采集表", "the information form"),
    "kind.column_link": ("宣传专栏链接", "the publicity column's link"),
    "kind.case": ("典型案例", "a typical case"),
    "kind.story": ("职教故事", "a story"),
    "kind.report": ("报道", "a report"),
    "kind.photo": ("照片", "photos"),
    "kind.video": ("视频", "a video"),
    "kind.summary": ("总结", "the summary"),
    "kind.statistics": ("情况统计表", "the statistics table"),
    "kind.any": ("材料", "any material"),
    "detail.history": ("记录", "History"),
    "detail.no_history": ("（暂无记录）", "(no actions)"),
    "detail.late_by": ("迟 {left}", "late by {left}"),
    "detail.duplicate": ("重复", "duplicate"),
    "detail.gone": ("已从收件箱移走，仍计入", "gone from the inbox, still counts"),
    "detail.undone": ("已撤销", "undone"),
    # record modal
    "record.title": ("文件记录", "File record"),
    "record.none": ("此格没有文件", "No file in this cell"),
    "record.close": ("Esc 关闭", "Esc closes"),
    # forms
    "form.ok": ("确定", "OK"),
    "form.cancel": ("取消", "Cancel"),
    "form.hint": ("Enter 确定 · Esc 取消", "Enter to confirm · Esc to cancel"),
    "excuse.title": ("免交：{who}", "Excuse: {who}"),
    "excuse.reason": ("原因", "Reason"),
    "extend.title": ("延期：{who}", "Extend: {who}"),
    "extend.until": ("延至（HH:MM 或 YYYY-MM-DD HH:MM）", "Until (HH:MM or YYYY-MM-DD HH:MM)"),
    "contact.title": ("联系记录：{who}", "Contact: {who}"),
    "contact.text": ("联系内容 / 对方承诺", "What was said / promised"),
    "contact.by": ("承诺时间（可空，HH:MM 或完整时间）", "Promised by (optional, HH:MM or full)"),
    "note.title": ("备注：{who}", "Note: {who}"),
    "note.text": ("备注", "Note"),
    "assign.title": ("分配：{path}", "Assign: {path}"),
    "assign.cell": (
        "列（方案 / 总结 / 日期 / 第几天）",
        "Column (plan / summary / date / day no.)",
    ),
    "assign.kind": ("类型（可空）", "Kind (optional)"),
    "assign.received": (
        "实际到达时间（可空，YYYY-MM-DD HH:MM，如次日才保存的邮件附件）",
        "Really arrived (optional, YYYY-MM-DD HH:MM: mail saved the next morning)",
    ),
    "assign.reason": ("原因（填写到达时间时必填）", "Reason (needed with an arrival time)"),
    "dismiss.title": ("排除（不是材料）：{path}", "Dismiss (not a material): {path}"),
    "dismiss.reason": ("原因", "Reason"),
    "picker.title": ("查找单位（编号、名称或简称）", "Find a unit (id, name or alias)"),
    "picker.placeholder": ("输入以查找…", "type to search…"),
    "n_units": ("{n} 个单位", "{n} units"),
    # quarantine
    "quarantine.title": ("待分拣文件", "Quarantined files"),
    "quarantine.empty": ("没有待分拣的文件", "Nothing waits in quarantine"),
    "quarantine.path": ("文件", "File"),
    "quarantine.reason": ("原因", "Reason"),
    "quarantine.arrived": ("到达", "Arrived"),
    "quarantine.hint": (
        "Enter/a 分配 · d 排除 · Esc 返回",
        "Enter/a assign · d dismiss · Esc back",
    ),
    "quarantine.hint_read_only": (
        "只读：可查看，不能分配或排除 · Esc 返回",
        "Read-only: look, but nothing can be assigned or dismissed · Esc goes back",
    ),
    "record.scroll": ("↑↓ PgUp PgDn 滚动 · Esc 关闭", "↑↓ PgUp PgDn scroll · Esc closes"),
    # the call list (tui/screens/calls.py)
    "calls.title": ("电话清单 · {col} · {n} 个单位", "Call list · {col} · {n} unit(s)"),
    "calls.empty": ("{col}：无需联系的单位", "{col}: nobody to call"),
    "calls.unit": ("单位", "Unit"),
    "calls.what": ("情况", "State"),
    "calls.week": ("本周未交", "Missing"),
    "calls.liaison": ("联系人", "Liaison"),
    "calls.phone": ("电话", "Phone"),
    "calls.email": ("邮箱", "E-mail"),
    "calls.tried": ("已联系", "Tried"),
    "calls.promise": ("承诺", "Promise"),
    "calls.overdue": ("已逾期", "OVERDUE"),
    "calls.times": ("{n} 次", "{n}x"),
    "calls.none_tried": ("（尚未联系）", "(not contacted yet)"),
    "calls.promised": ("承诺 {when}", "promised by {when}"),
    "calls.missing_week": ("本周未交 {n} 格", "{n} cell(s) missing this week"),
    "calls.hint": (
        "Enter 记录联系 · p 复制电话 · [ ] 换列 · w 导出 · Esc 返回",
        "Enter log a call · p copy phone · [ ] column · w export · Esc back",
    ),
    "msg.copied": ("已复制 {who} 的电话 {phone}", "Copied {who}'s phone {phone}"),
    "msg.no_phone": ("名册中没有 {who} 的电话", "The roster has no phone for {who}"),
    "msg.nobody": ("清单为空", "The list is empty"),
    "key.calls": ("电话", "Calls"),
    "key.calls.tip": (
        "电话清单：未交或迟交的单位及联系人",
        "Call list: units missing or late, with their liaisons",
    ),
    "key.calls_contact.tip": (
        "记录对此单位的联系及对方承诺",
        "Log a call to this unit and what was promised",
    ),
    "key.copy_phone": ("复制电话", "Copy phone"),
    "key.copy_phone.tip": (
        "把联系人电话复制到剪贴板（OSC 52，SSH 下也可用）",
        "Copy the liaison's phone to the clipboard (OSC 52, works over SSH)",
    ),
    "key.prev_column": ("上一列", "Prev column"),
    "key.prev_column.tip": ("看前一列（前一天、方案）", "The previous column (day, plan)"),
    "key.next_column": ("下一列", "Next column"),
    "key.next_column.tip": ("看后一列（后一天、总结）", "The next column (day, summary)"),
    # the export dialog (tui/screens/export.py, tui/exports.py)
    "key.export": ("导出", "Export"),
    "key.export.tip": ("导出报表到工作区的 reports/", "Export a report into reports/"),
    "key.write": ("写入", "Write"),
    "key.write.tip": ("按所选写入文件", "Write the file as chosen"),
    "export.title": ("导出报表", "Export a report"),
    "export.kind": ("报表", "Report"),
    "export.format": ("格式", "Format"),
    "export.path": ("将写入 {path}", "Writes {path}"),
    "export.hint": (
        "↑↓ 选择 · Tab 下一项 · Enter 导出 · Esc 取消",
        "↑↓ choose · Tab next · Enter export · Esc cancel",
    ),
    "export.calls": ("电话清单", "Call list"),
    "export.day": ("当日简报", "Day's digest"),
    "export.stats": ("周统计", "Week's statistics"),
    "export.actions": ("操作记录", "Action log"),
    "export.cell": (
        "列（方案 / 总结 / 日期 / 第几天；可空：当前列）",
        "Column (plan / summary / date / day no.; empty: the current one)",
    ),
    "export.date": (
        "日期（YYYY-MM-DD 或第几天；可空：今天）",
        "Date (YYYY-MM-DD or day no.; empty: today)",
    ),
    "export.consolidate": ("情况统计表汇总", "情况统计表 consolidated"),
    "export.template": (
        "模板文件（.xlsx / .xls / .csv，相对工作区）",
        "Template file (.xlsx / .xls / .csv, relative to the workspace)",
    ),
    "export.pack": ("材料打包（上报用）", "Materials pack (for the level above)"),
    "export.pack.scope": ("打包哪些", "What goes in"),
    "pack.all": ("全部计入的材料", "every counted material"),
    "pack.recommended": ("仅推荐 ★", "the recommended ★ only"),
    "pack.unit": ("此单位", "this unit"),
    "pack.day": ("此日", "this day"),
    "export.pack.unit": ("单位（此单位）", "Unit (this unit)"),
    "export.pack.day": ("日期（此日）", "Day (this day)"),
    "export.pack.names": ("压缩包内文件名", "Names in the zip"),
    "names.utf8": ("UTF-8（Win10/11、Mac）", "UTF-8 (Windows 10/11, macOS)"),
    "names.gbk": ("GBK（旧版中文 Windows）", "GBK (older Chinese Windows)"),
    "format.zip": ("ZIP 压缩包", "zip archive"),
    "export.required": ("请填写：{field}", "Fill in: {field}"),
    "format.text": ("纯文本", "plain text"),
    "format.md": ("Markdown", "Markdown"),
    "format.csv": ("CSV（Excel 可直接打开）", "CSV (opens in Excel)"),
    "format.xlsx": ("Excel 表格", "Excel workbook"),
    "format.json": ("JSON", "JSON"),
    "msg.exporting": ("正在导出…", "Exporting…"),
    "msg.exported": ("已导出：{path}", "Exported: {path}"),
    "msg.export_failed": ("导出失败：{err}", "Export failed: {err}"),
    # help
    "help.title": ("快捷键", "Keys"),
    "help.legend": ("图例", "Legend"),
    # bindings (label, tooltip)
    "key.quit": ("退出", "Quit"),
    "key.quit.tip": ("退出看板", "Quit the dashboard"),
    "key.find": ("查找", "Find"),
    "key.find.tip": (
        "边打边筛：名称、简称、编号、拼音全拼或首字母；回车到最佳匹配",
        "Narrow the grid as you type: name, alias, id, pinyin or its initials; Enter goes to "
        "the best match",
    ),
    "key.clear": ("清除", "Clear"),
    "key.clear.tip": (
        "清除查找、筛选、排序和选中",
        "Clear the search, filter, sort and marks",
    ),
    "key.detail": ("详情", "Details"),
    "key.detail.tip": ("展开或收起详情栏", "Expand or collapse the detail pane"),
    "key.filter": ("筛选", "Filter"),
    "key.filter.tip": (
        "切换筛选：全部 → 今日待交 → 今日未交 → 今日迟交 → 问题 → 未交 → 迟交",
        "Cycle filter: all → due today → missing today → late today → problems → missing → late",
    ),
    "key.sort": ("排序", "Sort"),
    "key.sort.tip": (
        "切换排序：名册 → 问题优先 → 区域 → 类型",
        "Cycle sort: roster → worst first → region → type",
    ),
    "key.excuse": ("免交", "Excuse"),
    "key.excuse.tip": (
        "免交此格（或已选各行），需填原因",
        "Excuse this cell (or the marked rows), with a reason",
    ),
    "key.extend": ("延期", "Extend"),
    "key.extend.tip": ("延长此格的截止时间", "Extend this cell's deadline"),
    "key.contact": ("联系", "Contact"),
    "key.contact.tip": (
        "记录一次联系及对方承诺（或已选各行）",
        "Log a call or message and what was promised (or the marked rows)",
    ),
    "key.note": ("备注", "Note"),
    "key.note.tip": ("给此单位此格加备注", "Add a note to this unit and cell"),
    "key.undo": ("撤销", "Undo"),
    "key.undo.tip": ("撤销最近一次操作", "Undo the last action"),
    "key.mark": ("选中", "Mark"),
    "key.mark.tip": (
        "选中/取消本行，用于批量免交或联系",
        "Mark or unmark this row for a bulk excuse or contact",
    ),
    "key.rescan": ("重扫", "Rescan"),
    "key.rescan.tip": ("重新扫描收件箱", "Rescan the inbox"),
    "key.help": ("帮助", "Help"),
    "key.help.tip": ("列出所有快捷键", "List every key"),
    "key.quarantine": ("待分拣", "Quarantine"),
    "key.quarantine.tip": ("查看并分配待分拣文件", "See and assign the quarantined files"),
    "key.recommend": ("推荐", "Recommend"),
    "key.recommend.tip": (
        "择优推荐 ★：标记此格（或所选文件）为优秀材料，可附说明；全部已标记时取消",
        "Mark this cell's files (or the chosen file) as the best ★, with a note; unmark if all are",
    ),
    "recommend.title": ("择优推荐 ★：{who}", "Recommend ★: {who}"),
    "recommend.note": ("推荐说明（可不填）", "Note (optional)"),
    "msg.recommended": ("已推荐 ★ {n} 个文件", "★ on {n} file(s)"),
    "msg.unrecommended": ("已取消推荐 {n} 个文件", "★ off {n} file(s)"),
    "detail.recommended": ("推荐", "recommended"),
    "record.hint": (
        "↑↓ 滚动 · ←→ 选文件 · * 推荐/取消 · Esc 关闭",
        "↑↓ scroll · ←→ choose a file · * recommend/unmark · Esc closes",
    ),
    "key.prev_file": ("上一个文件", "Previous file"),
    "key.next_file": ("下一个文件", "Next file"),
    "key.record": ("文件", "File"),
    "key.record.tip": ("查看此格文件的完整记录", "Show the full record of this cell's files"),
    "key.theme": ("主题", "Theme"),
    "key.theme.tip": (
        "切换配色主题（含终端自身 ANSI 颜色）",
        "Switch colour theme (incl. the terminal's own ANSI colours)",
    ),
    "key.lang": ("语言", "Language"),
    "key.lang.tip": ("切换中文 / English", "Switch Chinese / English"),
    "key.palette": ("命令", "Commands"),
    "key.palette.tip": ("命令面板", "Command palette"),
    # Textual's own palette entries and words, said in Chinese (their English is Textual's)
    "palette.search": ("查找命令…", "Search for commands…"),
    "palette.footer": ("命令", "palette"),
    "textual.Theme": ("配色主题", "Theme"),
    "textual.Change the current theme": ("从列表中选择配色主题", "Change the current theme"),
    "textual.Quit": ("退出", "Quit"),
    "textual.Quit the application as soon as possible": (
        "立即退出 weekwatch",
        "Quit the application as soon as possible",
    ),
    "textual.Keys": ("按键面板", "Keys"),
    "textual.Show help for the focused widget and a summary of available keys": (
        "在侧边显示当前部件的说明和可用按键",
        "Show help for the focused widget and a summary of available keys",
    ),
    "textual.Hide the keys and widget help panel": (
        "收起按键面板",
        "Hide the keys and widget help panel",
    ),
    "textual.Maximize": ("最大化", "Maximize"),
    "textual.Maximize the focused widget": ("把当前部件铺满屏幕", "Maximize the focused widget"),
    "textual.Minimize": ("还原", "Minimize"),
    "textual.Minimize the widget and restore to normal size": (
        "把部件还原为正常大小",
        "Minimize the widget and restore to normal size",
    ),
    "textual.Screenshot": ("截图", "Screenshot"),
    "textual.Save an SVG 'screenshot' of the current screen": (
        "把当前屏幕存为 SVG 截图",
        "Save an SVG 'screenshot' of the current screen",
    ),
    # the unit types weekwatch infers from a name (store/unit_names.py TYPE_RULES)
    "type.steering-committee": ("行指委", "steering-committee"),
    "type.corps": ("兵团教育局", "corps"),
    "type.province": ("省级教育厅", "province"),
    "type.county-bureau": ("县市区教体局", "county-bureau"),
    "type.dev-zone-bureau": ("开发区社会事业局", "dev-zone-bureau"),
    "type.technician-college": ("技师学院", "technician-college"),
    "type.higher-vocational": ("高职院校", "higher-vocational"),
    "type.secondary-vocational": ("中职学校", "secondary-vocational"),
    "type.junior-school": ("初中", "junior-school"),
    "key.move": ("移动", "Move"),
    "key.move.tip": ("方向键或 hjkl 移动", "Arrows or hjkl move"),
    "key.assign": ("分配", "Assign"),
    "key.assign.tip": (
        "把此文件分配给单位 / 列 / 类型",
        "Assign this file to a unit / column / kind",
    ),
    "key.dismiss": ("排除", "Dismiss"),
    "key.dismiss.tip": (
        "此文件不是材料：移出待分拣（可撤销）",
        "Not a material: take it out of quarantine (undoable)",
    ),
    "key.back": ("返回", "Back"),
    "key.back.tip": ("返回看板", "Back to the grid"),
    "key.cancel": ("取消", "Cancel"),
    "key.cancel.tip": ("关闭，不保存", "Close without saving"),
    "key.cancel_pick.tip": ("关闭，不选择", "Close without choosing"),
    "key.close": ("关闭", "Close"),
    "key.close.tip": ("关闭此窗口", "Close this window"),
    "key.close_help.tip": ("关闭帮助", "Close help"),
    "key.next": ("下一个", "Next"),
    "key.next.tip": ("下一个匹配", "Next match"),
    "key.prev": ("上一个", "Previous"),
    "key.prev.tip": ("上一个匹配", "Previous match"),
    "key.down": ("下移", "Down"),
    "key.down.tip": ("下一行", "Next row"),
    "key.up": ("上移", "Up"),
    "key.up.tip": ("上一行", "Previous row"),
    # messages
    "msg.read_only": ("只读模式：不能记录任何操作", "Read-only: nothing can be recorded"),
    "msg.as_of": ("回看模式：不能记录操作", "Looking back (as of): nothing can be recorded"),
    "msg.excused": ("已免交 {n} 格", "Excused {n} cell(s)"),
    "msg.extended": ("{who} 延期至 {until}", "{who} extended until {until}"),
    "msg.contacted": ("已记录联系 {n} 个单位", "Contact logged for {n} unit(s)"),
    "msg.noted": ("已记录备注：{who}", "Note recorded: {who}"),
    "msg.undone": ("已撤销：{what}", "Undone: {what}"),
    "msg.assigned": ("已分配 {path} → {who}", "Assigned {path} → {who}"),
    "msg.dismissed": ("已排除 {path}（u 撤销）", "Dismissed {path} (u undoes)"),
    "msg.rescan": ("正在重新扫描收件箱…", "Rescanning the inbox…"),
    "msg.scanned": ("扫描完成：新增 {added}，移除 {gone}", "Scan done: {added} new, {gone} gone"),
    "msg.arrived": ("新材料：{who}（{col}）", "New material: {who} ({col})"),
    "msg.arrived_burst": ("{n} 个新文件：{what}", "{n} new files: {what}"),
    "msg.arrived_quarantine": ("新文件待分拣：{path}", "New file in quarantine: {path}"),
    "msg.item_quarantine": ("待分拣 {path}", "quarantine: {path}"),
    "msg.gone": (
        "文件已从收件箱移走：{path}（仍计入 {where}）",
        "Gone from the inbox: {path} (still counts for {where})",
    ),
    "msg.gone_many": (
        "{n} 个文件已从收件箱移走（仍计入）：{what}",
        "{n} files gone from the inbox (they still count): {what}",
    ),
    "msg.toasts_muted": (
        "提示已静音（警告和错误照常显示）",
        "Toasts muted (warnings and errors still show)",
    ),
    "msg.demo_at": (
        "演示工作区：{path}（退出时删除；weekwatch demo --keep 保留）",
        "Demo workspace: {path} (removed when you quit; weekwatch demo --keep keeps it)",
    ),
    "msg.toasts_on": ("提示已恢复", "Toasts on again"),
    "msg.missing": ("{n} 格已过截止未交", "{n} cell(s) now missing"),
    "msg.quarantined": ("{n} 个文件待分拣", "{n} file(s) wait in quarantine"),
    "msg.watch_failed": ("收录暂停，稍后自动重试：{problem}", "Not ingesting, retrying: {problem}"),
    "msg.watch_works": ("收录已恢复", "Ingesting again"),
    "msg.took_over": (
        "pid {pid} 已停止收录：本看板接手收录",
        "pid {pid} stopped taking in files: this dashboard takes them in now",
    ),
    "msg.intake_stopped": (
        "收录已停止：{err}（{s} 秒后重试，按 r 立即重试）",
        "Intake stopped: {err} (retrying in {s} s; r retries now)",
    ),
    "msg.follow_rescan": (
        "pid {pid} 在收录（上次扫描 {at}），已重新读取",
        "pid {pid} takes in files (last scan {at}); the board is read again",
    ),
    "quit.title": ("退出 weekwatch？", "Quit weekwatch?"),
    "quit.body": (
        "本看板在收录收件箱，另有 {n} 个看板跟随（pid {pids}）。\n"
        "退出后其中一个会在几秒内接手收录。",
        "This dashboard takes in the inbox and {n} other(s) follow it (pid {pids}).\n"
        "Once you quit, one of them takes over within a few seconds.",
    ),
    "quit.hint": ("y 退出 · n 留下", "y quit · n stay"),
    "key.yes": ("是", "Yes"),
    "key.yes.tip": ("确认", "Confirm"),
    "key.no": ("否", "No"),
    "key.no.tip": ("不做，返回", "Do not, go back"),
    "msg.following": (
        "另一进程（pid {pid}）正在收录，本看板跟随存储",
        "Another process (pid {pid}) ingests; following the store",
    ),
    "msg.no_unit": ("没有单位", "No unit here"),
    "msg.pick_cell": (
        "请把光标移到某一天或方案/总结列",
        "Move to a day, plan or summary column first",
    ),
    "msg.marked": ("已选 {n} 行", "{n} row(s) marked"),
    "msg.not_found": ("找不到：{q}", "Not found: {q}"),
    "msg.error": ("出错：{err}", "Error: {err}"),
    "msg.theme": ("主题：{name}", "Theme: {name}"),
    # the headless commands (status, materials, log, units list)
    "cli.title": ("{title} — {when} · {actions}", "{title} — as of {when} · {actions}"),
    "cli.actions.until": ("截至当时的决定", "decisions until then"),
    "cli.actions.all": ("含此后的全部决定", "with every later decision"),
    "cli.sum": ("总结", "Sum."),
    "cli.summary": ("{col}：{counts}（应交 {n} 个单位）", "{col}: {counts} ({n} units owe it)"),
    "cli.today_label": ("{col}（今天）", "{col} (today)"),
    "cli.summary_week": ("全周：{counts}（共 {n} 格）", "the week: {counts} ({n} cells)"),
    "cli.quarantine": ("待分拣：{reason}", "quarantine: {reason}"),
    "cli.dismissed": ("已排除：{reason}", "dismissed: {reason}"),
    "cli.late": ("迟交", "late"),
    "cli.gone": ("已移走", "gone"),
    "cli.until": ("（至 {day}）", "(until {day})"),
    "cli.duplicate": ("与 {path} 重复", "duplicate of {path}"),
    "cli.assigned": ("（人工分配）", "(assigned)"),
    "cli.superseded": ("已被新版本取代", "superseded"),
    "cli.version": ("（共 {n} 版，首版 {first}）", "(version {n} of {n}, first {first})"),
    "cli.by_operator": ("（收到于 {when}，操作员指定）", "(received {when}, by an operator)"),
    "cli.units_header": (
        "编号\t单位名称\t别名\t类型\t区域\t联络员\t电话\t邮箱",
        "id\tname\taliases\ttype\tregion\tliaison\tphone\temail",
    ),
    "log.excuse": ("免交：{what}", "excused: {what}"),
    "log.extend": ("延期至 {what}", "extended until {what}"),
    "log.note": ("备注：{what}", "note: {what}"),
    "log.contact": ("联系：{what}", "contacted: {what}"),
    "log.assign": ("分配 {what}", "assigned {what}"),
    "log.dismiss": ("排除 {what}", "dismissed {what}"),
    "log.undo": ("撤销 {what}", "took back {what}"),
    "log.recommend": ("推荐 {what}", "recommended {what}"),
    "log.unrecommend": ("取消推荐 {what}", "took the mark off {what}"),
    "log.promised": ("承诺 {when} 前", "promised by {when}"),
    "log.undone": ("（已撤销）", "(undone)"),
    "log.replaced": ("（已被 {id} 取代）", "(replaced by {id})"),
    "log.excuse.name": ("免交", "the excuse of"),
    "log.extend.name": ("延期", "the extension of"),
    "log.note.name": ("备注", "the note on"),
    "log.contact.name": ("联系记录", "the contact with"),
    "log.assign.name": ("分配", "the assignment to"),
    "log.dismiss.name": ("排除", "the dismissal of"),
    "log.undo.name": ("撤销", "the undo of"),
    "log.recommend.name": ("推荐", "the recommendation of"),
    "log.unrecommend.name": ("取消推荐", "the unmarking of"),
    # palette
    "palette.filter": ("筛选：{name}", "Filter: {name}"),
    "palette.mute": ("提示静音", "Mute toasts"),
    "palette.mute.tip": (
        "不再弹出到达等提示（警告和错误照常）",
        "No more arrival toasts (warnings and errors still show)",
    ),
    "palette.unmute": ("提示恢复", "Unmute toasts"),
    "palette.unmute.tip": ("重新弹出到达等提示", "Show arrival toasts again"),
    "palette.sort": ("排序：{name}", "Sort: {name}"),
}
# The triage dialogs' words, kept in their own module.
_T.update(TRIAGE)
_T.update(REMIND)
_T.update(CLI)
_T.update(DONE)
_T.update(CONFIG)


def default_lang(workspace_lang: str = "", env: Mapping[str, str] | None = None) -> str:
    """The workspace's language if it sets one, else zh for a zh* locale, else en."""
    if workspace_lang in LANGS:
        return workspace_lang
    env = os.environ if env is None else env
    loc = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    return "zh" if loc.lower().startswith("zh") else "en"


class I18n:
    """`t("key", n=3)`: the label in the chosen language, with its fields filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else "en"
        self._i = LANGS.index(self.lang)

    def __call__(self, key: str, **fields: object) -> str:
        text = _T[key][self._i]
        return text.format(**fields) if fields else text

    def reason(self, quarantine: Quarantine | None) -> str:
        """Why a file waits in quarantine, in the chosen language (texts: store/reasons.py)."""
        return quarantine.text(self.lang) if quarantine else ""

    def weekday(self, day: int) -> str:
        """Monday = 0: 周一 / Mon."""
        names = _T["weekdays"][self._i]
        return f"周{names[day]}" if self.lang == "zh" else names[day * 3 : day * 3 + 3]


def keys() -> frozenset[str]:
    """Every message key (for the test that both languages say everything)."""
    return frozenset(_T)


def textual_word(text: str, t: I18n) -> str:
    """One of Textual's own words (a palette entry, its help) in `t`'s language."""
    key = f"textual.{text}"
    return t(key) if key in _T else text


def unit_type(code: str, t: I18n) -> str:
    """A unit's type as the operator reads it: 县市区教体局 for `county-bureau` under zh; a
    type the roster wrote itself, as written."""
    key = f"type.{code}"
    return t(key) if key in _T else code


def column_name(column: str, t: I18n) -> str:
    """方案 / Plan, 总结 / Summary, or a day as MM-DD."""
    return grid_column(column, t.lang)
