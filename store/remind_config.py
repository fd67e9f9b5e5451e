"""`[smtp]`, `[remind]` and `[notify]` in weekwatch.toml: how weekwatch reaches the units.

`[smtp]` is the bureau's outgoing mail server (for 163.com and QQ mail the password is the
client authorisation code, 授权码, never the web password); like `[mail]` the password is never
in the TOML. `[remind]` schedules reminders; `[notify]` names the work group's robots.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from .config import _Locator
from .deadlines import parse_hhmm
from .mailconfig import password_keys, read_password
from .model import WeekwatchError

SMTP_KEYS = (
    "host",
    "port",
    "tls",
    "user",
    "from",
    "reply_to",
    "password_env",
    "password_file",
    "every",
    "timeout",
    "cafile",
)
REMIND_KEYS = ("at", "auto", "only", "bureau")
NOTIFY_KEYS = ("wecom_webhook", "dingtalk_webhook", "dingtalk_secret")
TLS = ("ssl", "starttls", "none")
_LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: The cell states a reminder may be about (`--only`, `[remind] only`).
REMINDABLE = ("due", "missing", "late")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    user: str
    sender: str  # the address of `from`
    sender_name: str = ""  # its display name (平顶山市教体局职成科)
    port: int = 465
    tls: str = "ssl"
    reply_to: str = ""
    password_env: str = ""
    password_file: str = ""
    every: float = 3.0  # seconds between two messages: a mail server throttles bursts
    timeout: float = 30.0
    cafile: str = ""  # a CA file to trust instead of the system's store
    source: Path = Path("weekwatch.toml")

    def password(self) -> str:
        return read_password(self.source, "smtp", self.password_env, self.password_file)

    @property
    def from_header(self) -> str:
        return str(Address(self.sender_name, addr_spec=self.sender))

    @property
    def cafile_path(self) -> Path | None:
        if not self.cafile:
            return None
        path = Path(self.cafile).expanduser()
        return path if path.is_absolute() else self.source.parent / path


@dataclass(frozen=True)
class RemindConfig:
    at: tuple[dt.time, ...] = ()
    auto: bool = False
    only: tuple[str, ...] = ("due",)  # what a scheduled reminder is about
    bureau: str = ""  # who signs the reminders; else the display name of [smtp] from


@dataclass(frozen=True)
class NotifyConfig:
    wecom_webhook: str = ""
    dingtalk_webhook: str = ""
    dingtalk_secret: str = ""


def _document(path: Path) -> tuple[dict[str, Any], _Locator] | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
        doc = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # load_config reports these, with their line, for the whole file
    return doc, _Locator(path, text)


def _table(path: Path, name: str, keys: tuple[str, ...]) -> tuple[dict[str, Any], _Locator] | None:
    found = _document(path)
    if found is None:
        return None
    doc, where = found
    table = doc.get(name)
    if table is None:
        return None
    if not isinstance(table, dict):
        raise where.error(name, None, f"must be a table: [{name}] on a line of its own")
    if "password" in table and "password_env" in keys:
        raise where.error(name, "password", "never here: use password_env or password_file")
    for key in table:
        if key not in keys:
            raise where.error(name, key, f"unknown key; known keys: {', '.join(keys)}")
    return table, where


def _text(t: dict[str, Any], where: _Locator, table: str, key: str, default: str | None) -> str:
    value = t.get(key, default)
    if value is None:
        raise where.error(table, None, f"has no '{key}'")
    if not isinstance(value, str) or (not value.strip() and default is None):
        raise where.error(table, key, "must be a non-empty string")
    return value.strip()


def _seconds(t: dict[str, Any], where: _Locator, table: str, key: str, default: float) -> float:
    value = t.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise where.error(table, key, "must be a number of seconds")
    return float(value)


def load_smtp_config(path: Path) -> SmtpConfig | None:
    """The `[smtp]` table, checked; None when there is none."""
    found = _table(path, "smtp", SMTP_KEYS)
    if found is None:
        return None
    t, where = found
    host = _text(t, where, "smtp", "host", None)
    user = _text(t, where, "smtp", "user", None)
    tls = _text(t, where, "smtp", "tls", "ssl").lower()
    if tls not in TLS:
        raise where.error("smtp", "tls", f"'{tls}' is not one of {', '.join(TLS)}")
    if tls == "none" and host not in _LOOPBACK:
        raise where.error(
            "smtp", "tls", "'none' sends the password in clear: only for 127.0.0.1; use ssl"
        )
    port = t.get("port", 465 if tls == "ssl" else 587 if tls == "starttls" else 25)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise where.error("smtp", "port", "must be a port number (465 for ssl)")
    name, addr = parseaddr(_text(t, where, "smtp", "from", user))
    if "@" not in addr:
        raise where.error(
            "smtp", "from", 'needs an address, e.g. "平顶山市教体局职成科 <pds9980@163.com>"'
        )
    reply_name, reply = parseaddr(_text(t, where, "smtp", "reply_to", ""))
    if t.get("reply_to") and "@" not in reply:
        raise where.error("smtp", "reply_to", "needs an address")
    env, file = password_keys(t, "smtp", where)
    timeout = _seconds(t, where, "smtp", "timeout", 30.0)
    if timeout <= 0:
        raise where.error("smtp", "timeout", "must be a number of seconds above 0")
    return SmtpConfig(
        host=host,
        user=user,
        sender=addr,
        sender_name=name,
        port=port,
        tls=tls,
        reply_to=str(Address(reply_name, addr_spec=reply)) if reply else "",
        password_env=env,
        password_file=file,
        every=_seconds(t, where, "smtp", "every", 3.0),
        timeout=timeout,
        cafile=_text(t, where, "smtp", "cafile", ""),
        source=path,
    )


def parse_only(text: str, flag: str = "--only") -> tuple[str, ...]:
    """`due,missing,late` (any of them): what a reminder is about."""
    picked = tuple(dict.fromkeys(s.strip().lower() for s in text.split(",") if s.strip()))
    bad = [s for s in picked if s not in REMINDABLE]
    if bad or not picked:
        raise WeekwatchError(
            f"{flag}: {', '.join(bad) or repr(text)}: choose from {', '.join(REMINDABLE)}"
        )
    return picked


def load_remind_config(path: Path) -> RemindConfig:
    """The `[remind]` table (off when there is none)."""
    found = _table(path, "remind", REMIND_KEYS)
    if found is None:
        return RemindConfig()
    t, where = found
    raw = t.get("at", [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise where.error("remind", "at", 'must be a list of times, e.g. at = ["11:00"]')
    times = []
    for x in raw:
        try:
            times.append(parse_hhmm(x))
        except WeekwatchError:
            raise where.error("remind", "at", f"'{x}' is not a time of day (HH:MM)") from None
    auto = t.get("auto", False)
    if not isinstance(auto, bool):
        raise where.error("remind", "auto", "must be true or false")
    if auto and not times:
        raise where.error("remind", "auto", 'is on but no time is set: at = ["11:00"]')
    only = t.get("only", "due")
    if isinstance(only, list):
        only = ",".join(str(x) for x in only)
    if not isinstance(only, str):
        raise where.error("remind", "only", 'must be a list like ["due"]')
    try:
        picked = parse_only(only, "only")
    except WeekwatchError as e:
        raise where.error("remind", "only", str(e).removeprefix("only: ")) from None
    return RemindConfig(
        at=tuple(sorted(set(times))),
        auto=auto,
        only=picked,
        bureau=_text(t, where, "remind", "bureau", ""),
    )


def load_notify_config(path: Path) -> NotifyConfig | None:
    """The `[notify]` table, checked; None when there is none."""
    found = _table(path, "notify", NOTIFY_KEYS)
    if found is None:
        return None
    t, where = found
    values = {k: _text(t, where, "notify", k, "") for k in NOTIFY_KEYS}
    for key in ("wecom_webhook", "dingtalk_webhook"):
        if values[key] and not values[key].startswith(("https://", "http://")):
            raise where.error("notify", key, "must be the robot's https:// address")
    if values["dingtalk_webhook"] and not values["dingtalk_secret"]:
        raise where.error(
            "notify", "dingtalk_webhook", "needs dingtalk_secret (the robot's 加签 secret, SEC…)"
        )
    if not values["wecom_webhook"] and not values["dingtalk_webhook"]:
        raise where.error("notify", None, "names no robot: wecom_webhook or dingtalk_webhook")
    return NotifyConfig(**values)
