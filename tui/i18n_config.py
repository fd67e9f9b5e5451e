"""weekwatch.toml's mistakes and the deadlines' in zh and en: where (file, line, table, key) and
what is wrong, one line each.

store/config.py and store/deadlines.py raise each with a `tag` and its fields, the where as
`config_key` / `config_table` around the problem itself (`why`, a tagged error of its own); the
English templates give back exactly the store's English line (`tests/test_config_zh.py`
checks both). Read by `i18n_cli.said` beside its own table; merged into `i18n._T`. No imports.
"""

from __future__ import annotations

CONFIG: dict[str, tuple[str, str]] = {
    # where
    "error.config_key": ("{at}：{name} {what}：{why}", "{at}: {name} {what}: {why}"),
    "error.config_table": ("{at}：{name} {why}", "{at}: {name} {why}"),
    "error.not_toml": (
        "{path}：不是有效的 TOML：{detail}{at}",
        "{path}: not valid TOML: {detail}{at}",
    ),
    "error.not_utf8": (
        "{path} 第 {line} 行：不是 UTF-8 文本；请把文件存为 UTF-8",
        "{path}, line {line}: not UTF-8 text; save the file as UTF-8",
    ),
    "error.no_event": (
        "{path}：没有 [event] 表；至少要写 title 和 start",
        "{path}: no [event] table; it needs at least a title and a start",
    ),
    "error.no_required": (
        "{path}：[event] 中没有“{required}”",
        "{path}: [event] has no '{required}'",
    ),
    # what is wrong with a key
    "error.event_not_table": (
        "必须是表：[event] 单独写一行",
        "must be a table: [event] on a line of its own",
    ),
    "error.unknown_key": (
        "没有这个键{hint}；可用的键：{known}",
        "unknown key{hint}; known keys: {known}",
    ),
    "error.set_twice": (
        "设了两次：这里和 [event] {event_key}；只留一个",
        "is set twice: here and as [event] {event_key}; keep one of them",
    ),
    "error.summary_early": (
        "{summary} 早于活动周最后一天的开始（{begins}）；请检查日期",
        "{summary} is before the last day of the week begins ({begins}); check the date",
    ),
    "error.units_not_tables": ("必须写成 [[units]] 表", "must be tables written as [[units]]"),
    "error.must_string": (
        "必须是加引号的字符串，不能是{type}",
        "must be a string in quotes, not {type}",
    ),
    "error.must_nonempty": ("不能为空", "must not be empty"),
    "error.date_no_time": (
        "必须是不带时间的日期，如 2024-05-12",
        "must be a date without a time, like 2024-05-12",
    ),
    "error.must_date": (
        "必须是日期，如 2024-05-12，不能是 {value}",
        "must be a date like 2024-05-12, not {value}",
    ),
    "error.must_whole": ("必须是整数，不能是{type}", "must be a whole number, not {type}"),
    "error.days_range": (
        "必须在 1 到 {most} 之间，不能是 {value}",
        "must be between 1 and {most}, not {value}",
    ),
    "error.must_time": (
        '必须是时间，如 "12:00"，不能是{type}',
        'must be a time like "12:00", not {type}',
    ),
    "error.themes_list": (
        '必须是字符串列表，如 ["学校日", "学生日"]',
        'must be a list of strings, like ["学校日", "学生日"]',
    ),
    "error.themes_count": (
        "写了 {n} 项，但活动周只有 {days} 天",
        "has {n} entries but the week has {days} days",
    ),
    "error.unknown_lang": (
        "没有“{value}”这种语言；可用：{langs}",
        "unknown language '{value}'; use one of {langs}",
    ),
    "error.aliases_list": (
        '必须是字符串列表（["平职院", "平职"]）或一个字符串（"平职院；平职"）',
        'must be a list of strings (["平职院", "平职"]) or one string ("平职院；平职")',
    ),
    "error.year": (
        "{what} 在 {year} 年；weekwatch 只管 {first} 到 {last} 年的活动周",
        "{what} is in the year {year}; weekwatch keeps weeks between {first} and {last}",
    ),
    "error.zone_name": (
        "“{name}”不是时区名；请写如 Asia/Shanghai",
        "'{name}' is not a time zone name; use one like Asia/Shanghai",
    ),
    "error.zone_machine": (
        "“{name}”不是某地的时区（它取决于机器，或什么也不是）；请写活动周的时区，如 Asia/Shanghai",
        "'{name}' is not a place's time zone (it depends on the machine, or on nothing); "
        "name the week's zone, like Asia/Shanghai",
    ),
    "error.zone_unknown": (
        "没有“{name}”这个时区；请写如 Asia/Shanghai",
        "unknown time zone '{name}'; use one like Asia/Shanghai",
    ),
    # the deadlines, as typed in weekwatch.toml or after an init flag
    "error.not_hhmm": (
        "“{text}”不是钟点；请写成 HH:MM，如 12:00（24:00 即当天结束）",
        "'{text}' is not a time of day; write it as HH:MM, like 12:00 (24:00 is the end "
        "of the day)",
    ),
    "error.not_time": (
        "“{text}”不是钟点；请写成 HH:MM，如 12:00（24:00 即当天结束，下班前 即下班时）",
        "'{text}' is not a time of day; write it as HH:MM, like 12:00 (24:00 is the end "
        "of the day, 下班前 the end of the working day)",
    ),
    "error.daily_offset": (
        "必须是本地钟点，如 12:00，不带时差",
        "must be a wall-clock time like 12:00, without an offset",
    ),
    "error.daily_type": (
        '必须是时间，如 "12:00"（或 "+1d 12:00"、"none"），不能是{what}',
        'must be a time like "12:00" (or "+1d 12:00", "none"), not {what}',
    ),
    "error.daily_empty": (
        '是空的；请写时间，如 12:00；活动周不要每日材料则写 "none"',
        'is empty; write a time like 12:00, or "none" if the week asks for no daily materials',
    ),
    "error.daily_after": (
        "“{value}”：材料可以推后 1 到 7 天交，不能是 {after} 天",
        "'{value}': the materials can be due 1 to 7 days later, not {after}",
    ),
    "error.daily_not_time": (
        '“{value}”不是钟点；请写成 HH:MM，如 12:00，或 24:00、"+1d 12:00"（次日12:00）、"none"',
        "'{value}' is not a time of day; write it as HH:MM like 12:00, or 24:00, "
        '"+1d 12:00" (次日12:00: the next day), "none"',
    ),
    "error.not_moment": (
        "“{text}”不是日期时间；请写如 2024-05-13 12:00、2024-05-13（当天结束）"
        "或 2024-05-13T12:00+08:00",
        "'{text}' is not a date and time; write it like 2024-05-13 12:00, 2024-05-13 (the "
        "end of that day) or 2024-05-13T12:00+08:00",
    ),
    "error.not_moment_time": (
        "“{text}”不是日期时间；请写如 2024-05-13 12:00、2024-05-13（当天结束）、"
        "2024-05-19 下班前 或 2024-05-13T12:00+08:00",
        "'{text}' is not a date and time; write it like 2024-05-13 12:00, 2024-05-13 "
        "(the end of that day), 2024-05-19 下班前 or 2024-05-13T12:00+08:00",
    ),
    "error.not_real_date": (
        "“{text}”不是真实的日期（{error}）",
        "'{text}' is not a real date ({error})",
    ),
    "error.not_real_moment": (
        "“{text}”不是真实的日期时间（{error}）",
        "'{text}' is not a real date and time ({error})",
    ),
    "error.bad_offset": (
        "“{text}”：时差 {off} 不是真实的时差",
        "'{text}': the offset {off} is not a real time zone offset",
    ),
    "error.deadline_type": (
        '必须是日期时间，如 "2024-05-12 12:00"、日期、"none" 或表 '
        '{{ days_after_end = 7, at = "18:00" }}，不能是 {type}',
        'must be a date and time like "2024-05-12 12:00", a date, "none", or a table like '
        '{{ days_after_end = 7, at = "18:00" }}, not {type}',
    ),
    "error.relative_keys": (
        '{what}；请写 {keys} 之一，可再加 at，如 {{ days_after_end = 7, at = "18:00" }}',
        "{what}; write one of {keys}, and optionally at, like "
        '{{ days_after_end = 7, at = "18:00" }}',
    ),
    "error.relative_count": (
        "{count} 必须是 0 到 366 的整天数，不能是 {n}",
        "{count} must be a whole number of days from 0 to 366, not {n}",
    ),
    "error.relative_at": (
        'at 必须是时间，如 "18:00" 或 "下班前"，不能是 {at}',
        'at must be a time like "18:00" or "下班前", not {at}',
    ),
    # the tables that log in or post somewhere ([mail], [smtp], [notify])
    "error.no_table": (
        "{path}：没有 [{table}] 表；请加上，例如：\n{example}",
        "{path}: no [{table}] table; add one, for instance:\n{example}",
    ),
    "error.no_notify": (
        "{path}：没有 [notify] 表；请加 wecom_webhook，或 dingtalk_webhook 和 dingtalk_secret"
        "（普通微信群没有机器人：请改为粘贴 `weekwatch report day` 的内容）",
        "{path}: no [notify] table; add wecom_webhook, or dingtalk_webhook and dingtalk_secret "
        "(a plain WeChat group has no robot: paste `weekwatch report day` instead)",
    ),
    "error.password_env": (
        "{source}：[{table}] password_env：环境变量 {env} 没有设置",
        "{source}: [{table}] password_env: the environment variable {env} is not set",
    ),
    "error.password_open": (
        "{path}：{table} 密码文件别人也能读（权限 {mode}）；请只留给自己：chmod 600 {path}",
        "{path}: the {table} password file can be read by others (mode {mode}); make it yours "
        "alone: chmod 600 {path}",
    ),
    "error.password_empty": (
        "{path}：{table} 密码文件是空的",
        "{path}: the {table} password file is empty",
    ),
    # a deadline written from the week in words (`init --summary-deadline 活动周结束后一周内`)
    "error.deadline_words": (
        "“{text}”：读懂了“{read}”（{side}），读不懂“{rest}”；请写明几天，"
        "如 活动周前一天、活动周结束后一周内、活动周结束后3个工作日内",
        "'{text}': read {read} ({side}) but not '{rest}'; write how many days, like "
        "活动周前一天, 活动周结束后一周内, 活动周结束后3个工作日内",
    ),
    "error.deadline_words_at": (
        "“{text}”：读懂了“{read}”（{count} = {n}），读不懂钟点“{at}”；请写如 17:00 或 下班前",
        "'{text}': read {read} ({count} = {n}) but not the time of day '{at}'; write it like "
        "17:00 or 下班前",
    ),
}

#: tomllib's words for what is wrong, in Chinese (a message not here stays as tomllib says it).
TOML_DETAILS: dict[str, str] = {
    "Expected newline or end of document after a statement": "一条语句之后应当换行或结束",
    "Invalid value": "值无效",
    "Invalid statement": "语句无效",
    "Unterminated string": "字符串没有结束引号",
    "Unclosed array": "数组没有闭合",
    "Unclosed inline table": "行内表没有闭合",
    "Cannot overwrite a value": "不能覆盖已有的值",
    "Expected '=' after a key in a key/value pair": "键后面应当是“=”",
    "Expected ']' at the end of a table declaration": "表头末尾应当是“]”",
    "Expected ']]' at the end of an array declaration": "数组表头末尾应当是“]]”",
    "Invalid initial character for a key part": "键的开头字符无效",
    "Invalid date or datetime": "日期或日期时间无效",
    "nested too deeply": "嵌套太深",
}
