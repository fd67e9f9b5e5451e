"""weekwatch.toml written: `weekwatch init`'s text (every default shown as a comment), checked by
the loader before anything touches the disk, and TOML strings and deadlines as typed."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from weekwatch.store.config import SUMMARY_AFTER_DAYS, ConfigError, _parse, check_year
from weekwatch.store.deadlines import parse_daily, relative_words
from weekwatch.store.model import WeekwatchError
from weekwatch.store.obligations import example_lines
from weekwatch.store.workspace import Workspace


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def init_workspace(root: Path, flags: dict[str, str] | None = None, **fields: Any) -> Workspace:
    """Make `root` a workspace: write weekwatch.toml (`fields` as `render_config` takes them)
    and create inbox/.

    The text is checked by the same loader that will read it back before anything touches the
    disk, so a bad argument leaves nothing behind; an existing weekwatch.toml is never replaced.
    `flags` maps a field to the command-line flag that gave it: a bad value is then reported
    by that flag, since the operator never saw the file that was about to be written.
    """
    ws = Workspace(root.absolute())
    if ws.config.exists():
        raise WeekwatchError(f"{ws.config}: already exists; edit it, or init another folder")
    if root.exists() and not root.is_dir():
        raise WeekwatchError(f"{root}: not a folder")
    try:
        text = render_config(**fields)
        _parse(text, ws.config)
    except ConfigError as e:
        if flags and e.key in flags:
            flag, why = flags[e.key], e.__cause__ if isinstance(e.__cause__, Exception) else e
            raise WeekwatchError(
                f"{flag}: {e.problem}", tag="flag", flag=flag, error=why or e.problem
            ) from e
        raise
    ws.root.mkdir(parents=True, exist_ok=True)
    try:
        # "x" refuses to replace a file that appeared since the check above.
        with open(ws.config, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError as e:
        raise WeekwatchError(f"{ws.config}: already exists; edit it, or init another folder") from e
    except OSError as e:
        ws.config.unlink(missing_ok=True)
        raise WeekwatchError(f"{ws.config}: cannot write ({e.strerror})") from e
    ws.inbox.mkdir(exist_ok=True)
    from weekwatch.store.remind_template import write_default

    write_default(ws.root)  # the reminder's text, for the operator to adapt
    return ws


def deadline_toml(text: str, key: str = "") -> str:
    """A deadline typed on the command line, as TOML: a string, an inline table such as
    `{ days_after_end = 7, at = "18:00" }` written as typed (checked to be exactly one table),
    or the table words mean (`活动周结束后一周内` → `{ days_after_end = 7 }`)."""
    t = text.strip()
    if t.startswith("{"):
        try:
            doc = tomllib.loads(f"v = {t}") if "\n" not in t and "\r" not in t else None
        except tomllib.TOMLDecodeError:
            doc = None
        if doc is None or set(doc) != {"v"} or not isinstance(doc["v"], dict):
            problem = f"'{text}' is not a table like {{ days_after_end = 7, at = \"18:00\" }}"
            raise ConfigError(problem, key=key, problem=problem)
        return t
    try:
        table = relative_words(t)  # 活动周结束后一周内: the table it means
    except WeekwatchError as e:
        raise ConfigError(str(e), key=key, problem=str(e)) from e
    if table is not None:
        parts = [f"{k} = {toml_string(v) if isinstance(v, str) else v}" for k, v in table.items()]
        return "{ " + ", ".join(parts) + " }"
    return toml_string(t)


def _day1_time(daily_deadline: str) -> str:
    try:
        daily = parse_daily(daily_deadline)
    except WeekwatchError:
        return "12:00"  # the loader reports the bad value itself
    return "12:00" if daily is None else daily.time.strftime("%H:%M")


def render_config(
    *,
    title: str,
    start: dt.date,
    days: int = 7,
    timezone: str = "Asia/Shanghai",
    daily_deadline: str = "12:00",
    plan_deadline: str | None = None,
    summary_deadline: str | None = None,
    workday_end: str | None = None,
    theme: str = "",
    lang: str = "",
    day_themes: Sequence[str] = (),
) -> str:
    """The text of a new weekwatch.toml. Defaults left out are shown as comments, so the
    operator sees them and they keep following `start` if the dates are edited later."""
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise WeekwatchError(f"start must be a date, not {start!r}")
    check_year(start, f"--start {start.isoformat()}")
    if not isinstance(days, int) or isinstance(days, bool):
        raise WeekwatchError(f"days must be a whole number, not {days!r}")
    default_plan = f"{start.isoformat()} {_day1_time(daily_deadline)}"
    default_summary = (start + dt.timedelta(days=days - 1 + SUMMARY_AFTER_DAYS)).isoformat()
    lines = [
        "# weekwatch: the activity week this workspace watches.",
        "# Times are wall-clock times in `timezone`; add an offset (+08:00) only to mean another.",
        "# A deadline is written as the notice says it:",
        '#   "2020-11-07"            于2020年11月7日之前: a date alone is the end of that day',
        '#   "2024-05-12 12:00"      5月12日中午12点前 (24:00 is the end of the day too)',
        '#   "2024-05-19 下班前"      before the office closes: workday_end (or "end of day")',
        '#   { days_before_start = 10, at = "17:00" }   ten days before the week',
        "#   { days_after_end = 7 }                     活动周结束后一周内",
        '#   { workdays_after_end = 3, at = "下班前" }   三个工作日内 (China\'s holidays and 调休)',
        '#   "none"                  the week does not ask for it: nobody owes that column',
        "",
        "[event]",
        f"title = {toml_string(title.strip())}",
        f"theme = {toml_string(theme.strip())}",
        f"start = {start.isoformat()}",
        f"days = {days}",
        f"timezone = {toml_string(timezone.strip())}",
        '# daily_deadline: 12:00 the same day; "+1d 12:00" (次日12:00) the next day, as offices',
        '# read 每天中午12:00前 (day N\'s materials by noon of N+1); "24:00"; or "none".',
        f"daily_deadline = {toml_string(daily_deadline.strip())}",
    ]
    if workday_end is not None:
        lines.append(f"workday_end = {toml_string(workday_end.strip())}")
    else:
        lines.append('# workday_end = "17:30"    # what 下班前 (end of day) means')
    if plan_deadline is not None:
        lines.append(f"plan_deadline = {deadline_toml(plan_deadline, 'plan_deadline')}")
    else:
        lines.append(
            f'# plan_deadline = "{default_plan}"    # default: day 1 at the daily deadline'
        )
    if summary_deadline is not None:
        lines.append(f"summary_deadline = {deadline_toml(summary_deadline, 'summary_deadline')}")
    else:
        lines.append(
            f'# summary_deadline = "{default_summary} 18:00"    # default: a week after the end'
        )
    if day_themes:
        lines.append(f"day_themes = [{', '.join(toml_string(t) for t in day_themes)}]")
    else:
        lines.append(
            '# day_themes = ["学校日", "学生日", "教师日", "企业日"]    # optional, one per day'
        )
    if lang:
        lines.append(f"lang = {toml_string(lang.strip())}")
    else:
        lines.append('# lang = "zh"    # zh or en')
    lines += ["", *example_lines(start, days)]
    lines += [
        "",
        "# Units may be listed here, or imported from the bureau's roster (CSV or XLSX).",
        "# [[units]]",
        '# id = "wugang"',
        '# name = "舞钢市教育体育局"',
        '# aliases = ["舞钢", "舞钢市"]',
        "",
    ]
    return "\n".join(lines)
