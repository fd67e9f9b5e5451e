"""The reminder's text (`reminder.txt` in the workspace): a subject line, a plain body and,
only if the operator writes one, an HTML part; placeholders such as `{unit}` filled per unit.

The file is the operator's to edit: a mistake in it (an unknown placeholder, a lone brace) is
one message naming the line, found before anything is sent.
"""

from __future__ import annotations

import html
import string
from dataclasses import dataclass
from pathlib import Path

from .model import WeekwatchError

NAME = "reminder.txt"
SUBJECT = "Subject:"
HTML_MARK = "--- html ---"

#: Every placeholder, and what it holds (the comment `init` writes into the file).
PLACEHOLDERS = {
    "unit": "单位名称",
    "liaison": "联络员姓名",
    "cell": "所催材料（5月14日 / 活动方案 / 活动总结）",
    "day": "所催的日期（5月14日）",
    "deadline": "截止时间（5月14日 12:00）",
    "left": "距截止还有多久，或已逾期多久",
    "lacking": "尚缺的材料（典型案例、照片）",
    "event": "活动名称",
    "bureau": "发件单位",
    "operator": "经办人",
}

DEFAULT = """\
# weekwatch 催报邮件模板。以 # 开头的行是说明，不会发出。
# 第一行 Subject: 是邮件主题；其后是正文。要加 HTML 正文，在纯文本之后另起一行写 --- html ---。
# 可用的占位符：
{notes}
Subject: 【{{event}}】请报送{{cell}}材料

{{liaison}}老师：您好！

{{event}}{{cell}}材料的报送截止时间为{{deadline}}，{{left}}。
目前{{unit}}尚缺：{{lacking}}。

请尽快通过指定邮箱报送；如已报送，请忽略本邮件。

{{bureau}}
{{operator}}
"""


def default_text() -> str:
    notes = "\n".join(f"#   {{{k}}}  {v}" for k, v in PLACEHOLDERS.items())
    return DEFAULT.format(notes=notes)


@dataclass(frozen=True)
class Filled:
    subject: str
    text: str
    html: str | None  # None unless the template has an HTML part


@dataclass(frozen=True)
class Template:
    subject: str
    text: str
    html: str | None
    source: Path

    def fill(self, values: dict[str, str]) -> Filled:
        esc = {k: html.escape(v) for k, v in values.items()}
        return Filled(
            # A subject is one line: a name with a newline must not start a second header.
            " ".join(self.subject.format_map(values).split()),
            self.text.format_map(values),
            self.html.format_map(esc) if self.html is not None else None,
        )


def _check_line(path: Path, n: int, line: str) -> None:
    try:
        parts = list(string.Formatter().parse(line))
    except ValueError as e:
        raise WeekwatchError(
            f"{path}, line {n}: {e} (write {{{{ and }}}} for a brace itself)"
        ) from None
    for _lit, field, spec, conv in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conv:
            known = ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)
            raise WeekwatchError(
                f"{path}, line {n}: unknown placeholder {{{field}}}; the placeholders are {known}"
            )


def parse_template(text: str, path: Path) -> Template:
    """A reminder template, every line checked."""
    subject = ""
    body: list[str] = []
    html_part: list[str] | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            continue
        if not subject and not body and line.startswith(SUBJECT):
            subject = line[len(SUBJECT) :].strip()
            _check_line(path, n, subject)
            continue
        if line.strip() == HTML_MARK and html_part is None:
            html_part = []
            continue
        _check_line(path, n, line)
        (body if html_part is None else html_part).append(line)
    if not subject:
        raise WeekwatchError(f"{path}: no 'Subject:' line (the first line sent is the subject)")
    plain = "\n".join(body).strip("\n") + "\n"
    if not plain.strip():
        raise WeekwatchError(f"{path}: the message has no text")
    rich = "\n".join(html_part).strip("\n") + "\n" if html_part else None
    return Template(subject, plain, rich, path)


def load_template(root: Path) -> Template:
    """`reminder.txt` of the workspace at `root`; the default text when the file is absent."""
    path = root / NAME
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return parse_template(default_text(), path)
    except UnicodeDecodeError:
        raise WeekwatchError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as e:
        raise WeekwatchError(f"{path}: cannot read ({e.strerror})") from None
    return parse_template(text, path)


def write_default(root: Path) -> Path:
    """Write the default `reminder.txt` (never over an existing one)."""
    path = root / NAME
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(default_text())
    except FileExistsError:
        pass
    return path
