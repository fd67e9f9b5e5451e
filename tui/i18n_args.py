"""The command line's grammar in zh and en: argparse's own words (usage:, its mistakes) and the
help of every command and option, as `tui/cli_args.py` writes them.

Each English text is exactly the one argparse or cli_args.py prints, so a line is said in
Chinese by looking its English up (`zh_for`); a text missing here stays English
(`tests/test_cli_zh.py` walks the whole grammar and checks that none is). `speaking("zh")` has
argparse say its words from this table while a line is parsed; `line_lang` is the language of
a command line before its workspace is open. Only the grammar's path reads it (an action
line read without argparse never does), so it is not merged into `i18n._T`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence

from .cli_args import INIT_EPILOG

#: argparse's own messages (its gettext msgids, Python 3.11–3.13).
ARGPARSE: dict[str, tuple[str, str]] = {
    "ap.usage": ("用法：", "usage: "),
    "ap.positionals": ("位置参数", "positional arguments"),
    "ap.options": ("选项", "options"),
    "ap.help": ("显示本帮助并退出", "show this help message and exit"),
    "ap.version": ("显示版本号并退出", "show program's version number and exit"),
    "ap.argument": (
        "参数 %(argument_name)s：%(message)s",
        "argument %(argument_name)s: %(message)s",
    ),
    "ap.required": ("缺少必需的参数：%s", "the following arguments are required: %s"),
    "ap.one_of": ("必须给出 %s 之一", "one of the arguments %s is required"),
    "ap.unrecognized": ("无法识别的参数：%s", "unrecognized arguments: %s"),
    "ap.not_with": ("不能与参数 %s 同时使用", "not allowed with argument %s"),
    "ap.ignored": ("多余的值 %r", "ignored explicit argument %r"),
    "ap.expected_one": ("需要一个值", "expected one argument"),
    "ap.at_most_one": ("最多一个值", "expected at most one argument"),
    "ap.at_least_one": ("至少需要一个值", "expected at least one argument"),
    "ap.expected_n": ("需要 %s 个值", "expected %s argument"),
    "ap.expected_ns": ("需要 %s 个值", "expected %s arguments"),
    "ap.ambiguous": (
        "选项不明确：%(option)s 可能是 %(matches)s",
        "ambiguous option: %(option)s could match %(matches)s",
    ),
    "ap.unexpected": ("意外的选项：%s", "unexpected option string: %s"),
    "ap.invalid_value": ("%(type)s 值无效：%(value)r", "invalid %(type)s value: %(value)r"),
    "ap.invalid_choice": (
        "无效的选择：%(value)r（可选：%(choices)s）",
        "invalid choice: %(value)r (choose from %(choices)s)",
    ),
    "ap.error": ("%(prog)s：错误：%(message)s\n", "%(prog)s: error: %(message)s\n"),
    # cli_args.py's own checks of a value
    "ap.seconds_nan": ("%r 不是秒数", "%r is not a number of seconds"),
    "ap.seconds_low": ("%r：秒数须大于 0", "%r: give a number of seconds above 0"),
}

#: Every command's and option's help, and the descriptions, as cli_args.py writes them.
HELP: dict[str, tuple[str, str]] = {
    "help.prog": ("监看活动周各单位的报送材料。", "Watch an activity week's submissions."),
    "help.workspace": (
        "工作区文件夹（否则 $WEEKWATCH_WORKSPACE，否则当前文件夹或其上级）",
        "workspace folder (else $WEEKWATCH_WORKSPACE, else here or a parent)",
    ),
    "help.operator": (
        "以谁的名义记录操作（默认：为您记住的姓名、工作区的 `operator`、登录名）",
        "who records actions (default: the name remembered for you, the workspace's "
        "`operator`, the login name)",
    ),
    "help.cmd.init": ("新建工作区", "create a workspace"),
    "help.cmd.units": ("单位名单", "the roster"),
    "help.cmd.ingest": (
        "扫描一次收件夹（或只收录所列路径）后退出",
        "scan the inbox once (or take in only PATHs), then exit",
    ),
    "help.cmd.watch": (
        "持续收录放入的文件，直到停止（SIGTERM / Ctrl-C）",
        "ingest dropped files until stopped (SIGTERM / Ctrl-C)",
    ),
    "help.cmd.fetch": (
        "把指定邮箱的新邮件存入 inbox/mail/（只读）",
        "save the designated mailbox's new messages into inbox/mail/ (read-only)",
    ),
    "help.cmd.materials": ("列出收件夹中的文件", "list the files the inbox holds"),
    "help.cmd.status": ("单位 × 日期，每格的状态", "units × days, each cell's state"),
    "help.cmd.assign": ("分配待分拣或放错的文件", "place a quarantined or misplaced file"),
    "help.cmd.dismiss": (
        "把文件排除出本周：不算材料（可撤销）",
        "take a file out of the week: not a material (undoable)",
    ),
    "help.cmd.excuse": ("免交某单位的某格，须写理由", "excuse a unit's cell, with a reason"),
    "help.cmd.extend": ("延长某格的截止时间", "extend a cell's deadline"),
    "help.cmd.note": ("给单位（或其某格）写备注", "note on a unit (or one of its cells)"),
    "help.cmd.contact": (
        "记录与单位联络员的一次电话或消息",
        "log a call or message to a unit's liaison",
    ),
    "help.cmd.undo": (
        "撤销一条操作（默认：您最新的一条仍有效的；一批算一条）",
        "take back an action (default: your newest in force; a batch as one)",
    ),
    "help.cmd.redo": ("重做您最近一次撤销的操作", "put back what your newest undo took back"),
    "help.cmd.remind": (
        "给尚欠某格的每个单位发催报邮件",
        "e-mail a reminder to each unit that owes a cell",
    ),
    "help.cmd.log": ("操作记录", "the action log"),
    "help.cmd.report": (
        "催报名单、日报、全周统计",
        "the call list, the day's digest, the week's statistics",
    ),
    "help.cmd.recommend": (
        "把文件标为优秀、择优推荐（★）；--undo 取消标记",
        "mark files as the best, to recommend upward (★); --undo takes the mark off",
    ),
    "help.cmd.tui": ("打开看板（默认）", "open the dashboard (the default)"),
    "help.cmd.demo": ("在自带的演示周上打开看板", "the dashboard on the bundled demo week"),
    # init
    "help.init": (
        "新建工作区：weekwatch.toml 和 inbox/。",
        "Create a workspace: weekwatch.toml and inbox/.",
    ),
    "help.init.epilog": (
        "截止时间，照通知的写法（凡是接受时刻的选项都能这样写）：\n"
        "  2020-11-07            于2020年11月7日之前：只写日期即当天结束（23:59:59）\n"
        '  "2024-05-12 12:00"    5月12日中午12点前；"2024-05-12 24:00" 即当天结束\n'
        '  "2024-05-19 下班前"    5月19日下班前（或 "end of day"）：下班时间，\n'
        "                        即 --workday-end（未设时为 17:30）\n"
        '  "+1d 12:00"           每天，次日12:00：每天中午12:00前 按前一天的材料\n'
        "                        次日中午前报送理解；第 N 天的材料在第 N+1 天 12:00 前交\n"
        "  24:00                 每天，不写钟点：每天结束前\n"
        "  none                  不要求：没有单位需要报送这一栏（通知 001 只要总结：\n"
        "                        --plan-deadline none --daily-deadline none）\n"
        "  活动周前一天          活动周开始的前一天：{ days_before_start = 1 }\n"
        "  活动周结束后一周内    { days_after_end = 7 }；也可写 活动周结束后3天内、\n"
        "                        活动周结束后三个工作日内 下班前、活动周开始前10天 17:00\n"
        "  '{ days_before_start = 10, at = \"17:00\" }'    活动周开始前十天\n"
        "  '{ days_after_end = 7 }'                      活动周结束后一周内\n"
        "  '{ workdays_after_end = 3, at = \"下班前\" }'    三个工作日内：按国家节假日和调休\n"
        "示例：\n"
        "  weekwatch init 潍坊2020 --title 2020年潍坊市职业教育活动周 --start 2020-11-08 \\\n"
        "      --daily-deadline 24:00 --plan-deadline 活动周前一天 --summary-deadline 2020-11-17\n"
        "  weekwatch init 平顶山2021 --title 平顶山市2021年职业教育活动周 --start 2021-05-22 \\\n"
        "      --plan-deadline none --daily-deadline none --summary-deadline 2021-06-02\n",
        INIT_EPILOG,
    ),
    "help.init.dir": (
        "在哪个文件夹建工作区（不存在则新建）",
        "the folder to make the workspace in (created if need be)",
    ),
    "help.init.title": ("活动周的标题，照通知的写法", "the week's title, as the notice writes it"),
    "help.init.start": ("第一天，YYYY-MM-DD", "the first day, YYYY-MM-DD"),
    "help.init.days": ("共几天（默认：7）", "how many days (default: 7)"),
    "help.init.timezone": (
        "所有时间所在的时区（默认：Asia/Shanghai）",
        "the zone of every time (default: Asia/Shanghai)",
    ),
    "help.init.daily": (
        '当天的 HH:MM，"+1d HH:MM"（次日）即第二天，24:00，或 none（默认：12:00）',
        'HH:MM on the day, "+1d HH:MM" (次日) the next day, 24:00, or none (default: 12:00)',
    ),
    "help.init.plan": (
        "一个时刻、只写日期、{…} 表、通知里的说法（活动周前一天），或 none"
        "（默认：第 1 天的每日截止时间）",
        "a moment, a date alone, a {…} table, words (活动周前一天), or none (default: day 1 "
        "at the daily deadline)",
    ),
    "help.init.summary": (
        "一个时刻、只写日期、{…} 表、通知里的说法（活动周结束后一周内），或 none"
        "（默认：最后一天后 7 天的 18:00）",
        "a moment, a date alone, a {…} table, words (活动周结束后一周内), or none (default: "
        "7 days after the last day, 18:00)",
    ),
    "help.init.workday_end": (
        "下班前 指几点，HH:MM（默认：17:30）",
        "what 下班前 means, HH:MM (default: 17:30)",
    ),
    "help.init.theme": ("活动周的主题（默认：无）", "the week's theme, 主题 (default: none)"),
    "help.init.lang": (
        "工作区的语言：看板和命令行都用它（默认：不设：看板跟随系统语言，命令行用英文）",
        "the workspace's language: the dashboard's and the headless commands' (default: "
        "none: the dashboard follows the locale, the headless commands speak English)",
    ),
    # units
    "help.units.import": (
        "导入名单（.xlsx、.xls 或 .csv）；按编号、名称或简称更新已有单位",
        "import a roster (.xlsx, .xls or .csv); updates units matched by id, name or alias",
    ),
    "help.units.list": ("列出单位", "list the units"),
    "help.units.sheet": (
        "读哪个工作表（默认：第一个有表头的）",
        "the sheet to read (default: the first with a header)",
    ),
    "help.units.map": (
        "某列填入哪个字段，如 --map 学校全称=name（字段写 '-' 则不导入该列）",
        "the field a column fills, e.g. --map 学校全称=name (FIELD '-' keeps it out)",
    ),
    "help.units.dry_run": (
        "显示表头、各列、单位、跳过的行和警告；什么也不写",
        "show the header, columns, units, skipped rows and warnings; write nothing",
    ),
    "help.lang": (
        "语言（默认：weekwatch.toml 中的 lang，否则 en）",
        "language (default: lang in weekwatch.toml, else en)",
    ),
    # ingest, watch
    "help.ingest.paths": (
        "只收录收件夹中的这些文件或文件夹（钩子知道新到或移走的）",
        "only these files or folders of the inbox (what a hook knows arrived or went)",
    ),
    "help.ingest.reread": (
        "同时重读每个不是操作员分配的文件（按其首次到达时间）",
        "also read again every file not assigned by an operator (as of its first arrival)",
    ),
    "help.watch.poll": (
        "轮询，不用系统事件（网络共享文件夹）",
        "poll instead of OS events (network shares)",
    ),
    "help.watch.rescan": ("完整重扫的间隔", "full rescan interval"),
    "help.watch.fetch": (
        "同时收取邮箱（weekwatch.toml 的 [mail]）",
        "also fetch the mailbox ([mail] in weekwatch.toml)",
    ),
    "help.watch.fetch_every": (
        "收信间隔（支持 IDLE 的服务器来信时也会立即通知）",
        "fetch interval (a server offering IDLE also says at once when mail comes)",
    ),
    # materials, status
    "help.materials.quarantine": ("只列待分拣的文件", "only files waiting to be placed"),
    "help.as_of": (
        "当时的情况（日期时间；只写日期即当天结束）",
        "the week as it stood then (date-time; a date alone: its end)",
    ),
    "help.status.only": (
        "逗号分隔的状态：有这类格的单位",
        "comma-separated states: units having such a cell",
    ),
    "help.status.column": (
        "只看这一列：today（今天）、plan、summary、日期或第几天；与 --only 同用时，"
        "列出该列处于这些状态的单位（status --column today --only due,missing：该给谁打电话）",
        "only this column: today (今天), plan, summary, a date or a day number; with "
        "--only, the units whose cell there is in such a state (status --column today "
        "--only due,missing: whom to call)",
    ),
    "help.status.actions": (
        "until：--as-of 那一刻的原样（默认）；all：此后记录的免交、延期和分配也用于"
        "到那一刻为止的各格",
        "until: the board exactly as it was at --as-of (default); all: with every excuse, "
        "extension and assignment recorded since applied to the cells up to that moment",
    ),
    # the actions
    "help.path": (
        "照 `materials` 列出的写法、写成 inbox/…，或收件夹内的任一路径",
        "as `materials` prints it, as inbox/…, or a path inside the inbox",
    ),
    "help.assign.unit": (
        "编号、名称或简称；联合报送的文件写两次（各计一份）",
        "id, name or alias; twice for a joint file (each credited)",
    ),
    "help.assign.cell": ("跨两天的文件写两次", "twice for a file covering two days"),
    "help.assign.kind": (
        "plan, info_form, column_link, case, story, report, photo, video, summary, "
        "statistics；或照看板的叫法（照片、典型案例、总结 …）",
        "plan, info_form, column_link, case, story, report, photo, video, summary, "
        "statistics; or as the dashboard names it (照片, 典型案例, 总结 …)",
    ),
    "help.assign.received": (
        "实际到达时间（ISO；如第二天早上才保存的邮件）",
        "when it really arrived (ISO; e.g. mail saved next morning)",
    ),
    "help.assign.reason": ("原因（用 --received 时必填）", "why (required with --received)"),
    "help.extend.until": (
        "日期时间，未写时差即活动周的时区；只写日期即当天结束；'2024-05-19 下班前' 即下班时",
        "date-time, in the event's zone unless an offset is given; a date alone is "
        "the end of that day; '2024-05-19 下班前' the end of the working day",
    ),
    "help.contact.promised_by": (
        "联络员答应何时前报送（ISO）",
        "what the liaison promised, by when (ISO)",
    ),
    "help.undo.action": (
        "照 `log` 列出的编号，或能唯一确定的前几位",
        "its id as `log` prints it, or a unique prefix",
    ),
    # remind
    "help.cell": ("哪一列（默认：当前列）", "the column (default: the current one)"),
    "help.remind.only": (
        "哪些格：due、missing、late，逗号分隔（默认：三者都是）",
        "which cells: due, missing, late, comma-separated (default: all three)",
    ),
    "help.remind.units": (
        "只发给这些单位（编号、名称或简称，逗号分隔）",
        "only these units (ids, names or aliases, comma-separated)",
    ),
    "help.remind.dry_run": ("列出每封邮件；不发送", "print every message; send nothing"),
    "help.remind.yes": ("不询问直接发送", "send without asking"),
    "help.remind.again": ("已为此格催过的单位也发", "also units already reminded for this cell"),
    "help.remind.as_of": (
        "按那一刻判断、写日期并记录催报（可先用 --dry-run 试）",
        "judge, date and record the reminders as of then (try it with --dry-run)",
    ),
    # report
    "help.report.calls": (
        "该给谁打电话：未交或迟交，最严重的在前",
        "whom to phone: missing or late, worst first",
    ),
    "help.report.day": ("当天日报，可粘贴到消息里", "the day's digest, to paste into a message"),
    "help.report.stats": (
        "全周统计：每个单位、合计、每天",
        "the week's statistics per unit, totals, per day",
    ),
    "help.report.actions": ("完整的操作记录", "the full action log"),
    "help.report.consolidate": (
        "情况统计表：各单位的数字汇成一张表",
        "the 情况统计表: the units' figures in one table",
    ),
    "help.report.pack": (
        "本周材料改名、分文件夹、编目录，打成一个 zip",
        "the week's materials renamed, foldered and indexed, as one zip",
    ),
    "help.report.output": ("写入此文件（默认：打印）", "write to this file (default: print)"),
    "help.report.lang": ("标签语言（默认 zh）", "labels (default zh)"),
    "help.report.actions_until": (
        "until：--as-of 之前记录的决定；all：至今记录的全部免交、延期和分配，"
        "用于到 --as-of 为止的各格（默认 until）",
        "until: the decisions recorded by --as-of; all: every excuse, extension and "
        "assignment recorded so far, applied to the cells up to --as-of (default until)",
    ),
    "help.report.actions_all": (
        "until：--as-of 之前记录的决定；all：至今记录的全部免交、延期和分配，"
        "用于到 --as-of 为止的各格（默认 all）",
        "until: the decisions recorded by --as-of; all: every excuse, extension and "
        "assignment recorded so far, applied to the cells up to --as-of (default all)",
    ),
    "help.report.date": (
        "YYYY-MM-DD 或 5月13日（默认：今天）",
        "YYYY-MM-DD or 5月13日 (default: today)",
    ),
    "help.report.send": (
        "发到工作群的机器人（[notify]）",
        "post it to the work group's robots ([notify])",
    ),
    "help.report.template": (
        "各单位填写的模板（.xlsx、.xls、.csv）",
        "the template the units filled in (.xlsx, .xls, .csv)",
    ),
    "help.pack": (
        "把计入的材料复制（绝不移动 inbox/ 里的任何文件）到一个 zip："
        "<单位>/<栏目>/<类型>-<序号>-<文件名>，附目录 目录.xlsx。",
        "Copy the counted materials (never moving anything in inbox/) into one zip: "
        "<unit>/<column>/<kind>-<nn>-<name>, with an index 目录.xlsx.",
    ),
    "help.pack.recommended": ("只要推荐的（★）", "only the recommended (★)"),
    "help.pack.kinds": (
        "K,...（photo,video,... 或 照片,视频,...）",
        "K,... (photo,video,... or 照片,视频,...)",
    ),
    "help.pack.units": ("U,...：编号、名称或简称", "U,... by id, name or alias"),
    "help.pack.cells": (
        "C,...（plan、summary、日期、第几天）",
        "C,... (plan, summary, a date, a day number)",
    ),
    "help.pack.names": (
        "utf8（zip 的 UTF-8 标志）或 gbk（老版中文 Windows 自带的解压）",
        "utf8 (the zip's UTF-8 flag) or gbk (older Chinese Windows' built-in unzip)",
    ),
    "help.pack.output": (
        "FILE.zip 或文件夹（默认：reports/，带日期的文件名）",
        "FILE.zip or a folder (default: reports/, a dated name)",
    ),
    # recommend
    "help.recommend.path": (
        "照 `materials` 列出的写法（邮件或 zip 的路径即其中每个文件）",
        "as `materials` prints it (an e-mail's or zip's path marks every file inside)",
    ),
    "help.recommend.note": (
        "推荐理由（写进打包的目录）",
        "why it is recommended (shown in the pack's index)",
    ),
    "help.recommend.undo": ("取消这些文件的标记", "take the mark off these files"),
    # the dashboard, the demo
    "help.tui.lang": ("界面语言", "interface language"),
    "help.tui.read_only": (
        "只读打开看板，什么也不能写",
        "open the dashboard so that nothing can be written",
    ),
    "help.tui.as_of": ("打开某一刻的原样（不监视）", "open a frozen moment (no watcher)"),
    "help.tui.actions": (
        "与 --as-of 同用：到那时为止记录的决定（默认），或全部决定",
        "with --as-of: the decisions recorded until then (default), or all of them",
    ),
    "help.demo.interval": ("演示文件之间相隔几秒", "seconds between demo drops"),
    "help.demo.keep": (
        "保留演示的工作区（默认结束时删除）",
        "keep the demo's workspace (removed at the end)",
    ),
}

_ZH = {en: zh for zh, en in (*ARGPARSE.values(), *HELP.values())}


def zh_for(english: str) -> str:
    """A text of the grammar in Chinese; one this table lacks stays as it is."""
    return _ZH.get(english, english)


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """While a line is parsed, argparse says its words and the grammar's help in `lang`.

    argparse asks gettext for every word it prints (`argparse._`, `argparse.ngettext`); under
    zh those are answered from this table, and each help and description text is looked up
    as it is formatted. Nothing changes under en.
    """
    if lang != "zh":
        yield
        return
    import argparse

    saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    formatter = argparse.HelpFormatter
    get_help, add_text = formatter._get_help_string, formatter.add_text

    def ngettext(singular: str, plural: str, n: int) -> str:
        return zh_for(singular if n == 1 else plural)

    def help_string(self: argparse.HelpFormatter, action: argparse.Action) -> str:
        return zh_for(get_help(self, action) or "")

    def text(self: argparse.HelpFormatter, text: str | None) -> None:
        add_text(self, zh_for(text) if text else text)

    argparse._ = zh_for  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    formatter._get_help_string = help_string  # type: ignore[method-assign]
    formatter.add_text = text  # type: ignore[method-assign]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
        formatter._get_help_string = get_help  # type: ignore[method-assign]
        formatter.add_text = add_text  # type: ignore[method-assign]


_LANG = re.compile(r"""^\s*lang\s*=\s*["']\s*(zh|en)\s*["']""", re.MULTILINE | re.IGNORECASE)


def line_lang(words: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """The language a command line speaks before its workspace is open: its `--lang`, else
    the `lang` of the workspace it names (-w, $WEEKWATCH_WORKSPACE, here or a parent) — read
    from the text itself if weekwatch.toml does not load —, else en."""
    for i, word in enumerate(words):
        name, eq, value = word.partition("=")
        if name == "--lang":
            value = value if eq else (words[i + 1] if i + 1 < len(words) else "")
            if value in ("zh", "en"):
                return value
    folder: str | None = None
    for i, word in enumerate(words):
        if word in ("-w", "--workspace") and i + 1 < len(words):
            folder = words[i + 1]
            break
        if word.startswith("--workspace="):
            folder = word.partition("=")[2]
            break
    from weekwatch.store.model import WeekwatchError
    from weekwatch.store.workspace import find_workspace

    try:
        config = find_workspace(folder, os.environ if env is None else env).config
        text = config.read_text(encoding="utf-8-sig", errors="replace")
    except (WeekwatchError, OSError):
        return "en"
    found = _LANG.search(text)
    return found.group(1).lower() if found else "en"
