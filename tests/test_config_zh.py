"""A weekwatch.toml mistake in a Chinese workspace: one Chinese line, exit 2, no traceback,
nothing in inbox/ touched — and the English line exactly as before.

Each row breaks one line of a real workspace's weekwatch.toml (`lang = "zh"` in it, which is
read from the text even when the file does not load), runs a command as `weekwatch` runs, and
compares what it says in zh and with `--lang en`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.store.config import load_config
from weekwatch.store.model import WeekwatchError
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import main
from weekwatch.tui.i18n_cli import CLI, said
from weekwatch.tui.i18n_config import CONFIG

CJK = re.compile(r"[\u4e00-\u9fff]")

#: (the line as written, the line broken, the Chinese said; {path}, {L}: the file, its line)
BROKEN = [
    (
        "days = 7",
        "days = 7x",
        "{path}：不是有效的 TOML：一条语句之后应当换行或结束（第 {L} 行第 9 列）",
    ),
    (
        'title = "2024年职业教育活动周"',
        "title = 2024",
        "{path} 第 {L} 行：[event] title：必须是加引号的字符串，不能是数字",
    ),
    ("days = 7", 'days = "七"', "{path} 第 {L} 行：[event] days：必须是整数，不能是字符串"),
    ("days = 7", "days = 40", "{path} 第 {L} 行：[event] days：必须在 1 到 31 之间，不能是 40"),
    (
        "start = 2024-05-12",
        'start = "5月12日"',
        "{path} 第 {L} 行：[event] start：必须是日期，如 2024-05-12，不能是 '5月12日'",
    ),
    (
        'theme = "一技在手，一生无忧"',
        'themes = "一技在手"',
        "{path} 第 {L} 行：[event] themes：没有这个键（是不是“theme”？）；可用的键：title, theme, "
        "start, days, timezone, daily_deadline, plan_deadline, summary_deadline, day_themes, "
        "lang, workday_end",
    ),
    (
        'timezone = "Asia/Shanghai"',
        'timezone = "Asia/Beijing"',
        "{path} 第 {L} 行：[event] timezone：没有“Asia/Beijing”这个时区；请写如 Asia/Shanghai",
    ),
    (
        'daily_deadline = "12:00"',
        'daily_deadline = "中午"',
        "{path} 第 {L} 行：[event] daily_deadline：“中午”不是钟点；请写成 HH:MM，如 12:00，"
        '或 24:00、"+1d 12:00"（次日12:00）、"none"',
    ),
    (
        'daily_deadline = "12:00"',
        'daily_deadline = "+9d 12:00"',
        "{path} 第 {L} 行：[event] daily_deadline：“+9d 12:00”：材料可以推后 1 到 7 天交，"
        "不能是 9 天",
    ),
    (
        '# summary_deadline = "2024-05-25 18:00"    # default: a week after the end',
        'summary_deadline = "下周五"',
        "{path} 第 {L} 行：[event] summary_deadline：“下周五”不是日期时间；"
        "请写如 2024-05-13 12:00、2024-05-13（当天结束）或 2024-05-13T12:00+08:00",
    ),
    (
        '# summary_deadline = "2024-05-25 18:00"    # default: a week after the end',
        'summary_deadline = "2024-05-13"',
        "{path} 第 {L} 行：[event] summary_deadline：2024-05-13 23:59 早于活动周最后一天的开始"
        "（2024-05-18 00:00）；请检查日期",
    ),
    (
        '# summary_deadline = "2024-05-25 18:00"    # default: a week after the end',
        "summary_deadline = { days_after = 7 }",
        "{path} 第 {L} 行：[event] summary_deadline：没有“days_after”这个键；"
        "请写 days_before_start, days_after_end, workdays_before_start, workdays_after_end 之一，"
        "可再加 at，"
        '如 {{ days_after_end = 7, at = "18:00" }}',
    ),
    (
        '# summary_deadline = "2024-05-25 18:00"    # default: a week after the end',
        'summary_deadline = "活动周结束后尽快"',
        "{path} 第 {L} 行：[event] summary_deadline：“活动周结束后尽快”：读懂了“活动周结束后”"
        "（活动周结束之后），读不懂“尽快”；请写明几天，如 活动周前一天、活动周结束后一周内、"
        "活动周结束后3个工作日内",
    ),
    (
        '# workday_end = "17:30"    # what 下班前 (end of day) means',
        'workday_end = "五点半"',
        "{path} 第 {L} 行：[event] workday_end：“五点半”不是钟点；"
        "请写成 HH:MM，如 12:00（24:00 即当天结束）",
    ),
    (
        '# summary_deadline = "2024-05-25 18:00"    # default: a week after the end',
        "summary_deadline = { days_after_end = 400 }",
        "{path} 第 {L} 行：[event] summary_deadline：days_after_end 必须是 0 到 366 的整天数，"
        "不能是 400",
    ),
    (
        "start = 2024-05-12",
        "start = 0024-05-12",
        "{path} 第 {L} 行：[event] start：0024-05-12 在 24 年；"
        "weekwatch 只管 1900 到 9000 年的活动周",
    ),
    ("[event]", "[evnt]", "{path}：没有 [event] 表；至少要写 title 和 start"),
    ("start = 2024-05-12", "# start: to be decided", "{path}：[event] 中没有“start”"),
]


def _weekwatch(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.fixture
def zh_ws(tmp_path: Path) -> Workspace:
    ws = empty_workspace(tmp_path / "week")
    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(text.replace('# lang = "zh"', 'lang = "zh"'), encoding="utf-8")
    drop(ws, "xinhua/新华区_2024-05-13_照片.jpg", at(13, 11))
    return ws


def _render(error: Exception, i: int) -> str:
    """The error as the tables say it in one language (0 zh, 1 en), field by field."""
    if not isinstance(error, WeekwatchError) or not error.tag:
        return str(error)
    fields = {k: _render(v, i) if isinstance(v, Exception) else v for k, v in error.fields.items()}
    if i == 0:
        fields.update({k.removesuffix("_zh"): v for k, v in fields.items() if k.endswith("_zh")})
    return {**CLI, **CONFIG}[f"error.{error.tag}"][i].format(**fields)


@pytest.mark.parametrize("line, broken, zh", BROKEN, ids=[b for _, b, _ in BROKEN])
def test_a_broken_weekwatch_toml_is_one_chinese_line(zh_ws, capsys, line, broken, zh):
    text = zh_ws.config.read_text(encoding="utf-8")
    assert line in text
    text = text.replace(line, broken, 1)
    zh_ws.config.write_text(text, encoding="utf-8")
    number = text.splitlines().index(broken) + 1
    with pytest.raises(WeekwatchError) as raised:
        load_config(zh_ws.config)
    english = str(raised.value)
    # The table's English is the store's own line, field by field: the two cannot drift.
    assert _render(raised.value, 1) == english
    assert said(raised.value, "zh") == zh.format(path=zh_ws.config, L=number)
    inbox = sorted((p, p.stat().st_mtime_ns) for p in zh_ws.inbox.rglob("*"))
    for argv in (["status"], ["note", "xinhua", "已电话提醒"], ["ingest"]):
        code, out, err = _weekwatch(["-w", str(zh_ws.root), *argv], capsys)
        assert (code, out) == (2, "")
        assert err == f"weekwatch: {zh.format(path=zh_ws.config, L=number)}\n"
        code, out, err = _weekwatch(["-w", str(zh_ws.root), "--lang", "en", *argv], capsys)
        assert (code, out, err) == (2, "", f"weekwatch: {english}\n")
    assert sorted((p, p.stat().st_mtime_ns) for p in zh_ws.inbox.rglob("*")) == inbox


def test_an_english_workspace_says_its_broken_config_in_english(tmp_path, capsys):
    ws = empty_workspace(tmp_path / "week")
    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(text.replace("days = 7", "days = 7x"), encoding="utf-8")
    code, _, err = _weekwatch(["-w", str(ws.root), "status"], capsys)
    assert code == 2
    assert err.startswith(f"weekwatch: {ws.config}: not valid TOML: Expected newline")
    assert not CJK.search(err.replace("活动周", ""))


@pytest.mark.parametrize("key, zh, en", [(k, *v) for k, v in CONFIG.items()])
def test_each_config_message_has_the_same_fields_in_both_languages(key, zh, en):
    fields = re.compile(r"(?<!\{)\{(\w+)\}")
    assert sorted(fields.findall(zh)) == sorted(fields.findall(en)), key
    assert re.search(r"[\u4e00-\u9fff\uff00-\uffef]", zh), key
    assert "\n" not in zh or key == "error.no_table", key  # that one shows an example table


#: (what weekwatch.toml lacks or holds, the command, the Chinese said; {path}: the file)
LOGINS = [
    (
        "",
        ["fetch"],
        '{path}：没有 [mail] 表；请加上，例如：\n[mail]\nhost = "imap.163.com"\n'
        'user = "pdszhijiao@163.com"\npassword_env = "WEEKWATCH_MAIL"',
    ),
    (
        "",
        ["report", "day", "--send"],
        "{path}：没有 [notify] 表；请加 wecom_webhook，或 dingtalk_webhook 和 dingtalk_secret"
        "（普通微信群没有机器人：请改为粘贴 `weekwatch report day` 的内容）",
    ),
    (
        '\n[mail]\nhost = "imap.163.com"\nuser = "wf@163.com"\npassword_env = "WW_NOT_SET"\n',
        ["fetch"],
        "{path}：[mail] password_env：环境变量 WW_NOT_SET 没有设置",
    ),
]


@pytest.mark.parametrize("added, argv, zh", LOGINS, ids=[" ".join(r[1]) for r in LOGINS])
def test_a_missing_login_table_is_said_in_chinese(zh_ws, capsys, monkeypatch, added, argv, zh):
    monkeypatch.delenv("WW_NOT_SET", raising=False)
    with zh_ws.config.open("a", encoding="utf-8") as f:
        f.write(added)
    code, out, err = _weekwatch(["-w", str(zh_ws.root), *argv], capsys)
    assert (code, out, err) == (2, "", f"weekwatch: {zh.format(path=zh_ws.config)}\n")
    code, out, err = _weekwatch(["-w", str(zh_ws.root), "--lang", "en", *argv], capsys)
    assert code == 2 and not CJK.search(err.replace("活动周", "")), err


def test_what_the_system_refused_in_either_language(zh_ws):
    from weekwatch.tui.cli import _os_said

    refused = PermissionError(13, "Permission denied", "/srv/week/.weekwatch/materials.json")
    full = OSError(28, "No space left on device", "/srv/week/.weekwatch/actions.json")
    en = ["-w", str(zh_ws.root), "--lang", "en", "status"]
    zh = ["-w", str(zh_ws.root), "status"]
    assert _os_said("os.permission", refused, en) == (
        "/srv/week/.weekwatch/materials.json: Permission denied: this account may not use it; "
        "a workspace shared by several operators needs them in one group (chmod -R g+rwX, "
        "chgrp -R)"
    )
    assert _os_said("os.permission", refused, zh) == (
        "/srv/week/.weekwatch/materials.json：没有权限：本账号无权使用；"
        "多位操作员共用的工作区需要他们在同一个组（chmod -R g+rwX、chgrp -R）"
    )
    assert _os_said("os.error", full, en) == (
        "/srv/week/.weekwatch/actions.json: No space left on device"
    )
    assert _os_said("os.error", full, zh) == "/srv/week/.weekwatch/actions.json：磁盘空间已满"
    big = OverflowError("date value out of range")
    assert _os_said("os.range", big, en) == "a value is out of range (date value out of range)"
    assert _os_said("os.range", big, zh) == "有个值超出了范围（date value out of range）"
