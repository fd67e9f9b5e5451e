"""`[mail]` in weekwatch.toml: the designated mailbox (指定邮箱) weekwatch fetches, read-only.

The password is never in the TOML: it comes from an environment variable (`password_env`) or a
file only its owner can read (`password_file`), so the config can be shown, copied and kept
in version control without giving the mailbox away.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import _Locator
from .model import WeekwatchError

KEYS = ("host", "port", "user", "folder", "tls", "password_env", "password_file", "timeout")
TLS = ("ssl", "starttls", "none")
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class MailConfig:
    host: str
    user: str
    port: int = 993
    folder: str = "INBOX"  # decoded (其他文件夹), never modified UTF-7
    tls: str = "ssl"
    password_env: str = ""
    password_file: str = ""
    timeout: float = 30.0
    source: Path = Path("weekwatch.toml")

    @property
    def key(self) -> str:
        """Which mailbox and folder: the database remembers each one's last UID apart."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"

    def password(self) -> str:
        """The password, from the environment or the owner-only file; one clear error if not."""
        return read_password(self.source, "mail", self.password_env, self.password_file)


def read_password(source: Path, table: str, env: str, file: str) -> str:
    """A password kept outside weekwatch.toml: the environment variable `env`, else the file
    `file` (relative to the TOML's folder), which only its owner may read. Shared by every
    table that logs in somewhere ([mail], [smtp]), so each refuses the same mistakes."""
    if env:
        value = os.environ.get(env)
        if not value:
            raise WeekwatchError(
                f"{source}: [{table}] password_env: the environment variable {env} is not set",
                tag="password_env",
                source=source,
                table=table,
                env=env,
            )
        return value
    path = Path(os.path.expanduser(file))
    if not path.is_absolute():
        path = source.parent / path
    try:
        st = path.stat()
    except OSError as e:
        raise WeekwatchError(
            f"{source}: [{table}] password_file: cannot read {path} ({e.strerror})"
        ) from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise WeekwatchError(
            f"{path}: the {table} password file can be read by others "
            f"(mode {stat.S_IMODE(st.st_mode):o}); make it yours alone: chmod 600 {path}",
            tag="password_open",
            path=path,
            table=table,
            mode=f"{stat.S_IMODE(st.st_mode):o}",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise WeekwatchError(f"{path}: cannot read the {table} password ({e})") from None
    value = text.strip("\r\n")
    if not value:
        raise WeekwatchError(
            f"{path}: the {table} password file is empty",
            tag="password_empty",
            path=path,
            table=table,
        )
    return value


def password_keys(t: dict[str, Any], table: str, where: _Locator) -> tuple[str, str]:
    """`password_env` / `password_file` of a table: exactly one, a string; never `password`."""
    env = t.get("password_env", "")
    file = t.get("password_file", "")
    if bool(env) == bool(file):
        raise where.error(
            table, None, 'needs one of password_env = "NAME" or password_file = "PATH"'
        )
    for key, value in (("password_env", env), ("password_file", file)):
        if value and not isinstance(value, str):
            raise where.error(table, key, "must be a string")
    return env, file


def decode_folder(name: str) -> str:
    """A folder name as the operator reads it: `&UXZO1mWHTvZZOQ-` is 其他文件夹."""
    if "&" not in name:
        return name
    try:
        from imapclient import imap_utf7  # here: imapclient costs every command's start

        decoded = imap_utf7.decode(name.encode("ascii"))
    except (UnicodeError, ValueError):
        return name
    return decoded if isinstance(decoded, str) else name


def load_mail_config(path: Path) -> MailConfig | None:
    """The `[mail]` table of weekwatch.toml, checked; None when there is none."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        doc = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # load_config reports these, with their line, for the whole file
    table = doc.get("mail")
    if table is None:
        return None
    where = _Locator(path, text)
    if not isinstance(table, dict):
        raise where.error("mail", None, "must be a table: [mail] on a line of its own")
    return _check(table, path, where)


def _check(t: dict[str, Any], path: Path, where: _Locator) -> MailConfig:
    if "password" in t:
        raise where.error("mail", "password", "never here: use password_env or password_file")
    for key in t:
        if key not in KEYS:
            raise where.error("mail", key, f"unknown key; known keys: {', '.join(KEYS)}")

    def text(key: str, default: str | None = None) -> str:
        value = t.get(key, default)
        if value is None:
            raise where.error("mail", None, f"has no '{key}'")
        if not isinstance(value, str) or not value.strip():
            raise where.error("mail", key, "must be a non-empty string")
        return value.strip()

    host = text("host")
    user = text("user")
    tls = text("tls", "ssl").lower()
    if tls not in TLS:
        raise where.error("mail", "tls", f"'{tls}' is not one of {', '.join(TLS)}")
    if tls == "none" and host not in _LOOPBACK:
        raise where.error(
            "mail", "tls", "'none' sends the password in clear: only for 127.0.0.1; use ssl"
        )
    port = t.get("port", 993 if tls == "ssl" else 143)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise where.error("mail", "port", "must be a port number (993 for ssl)")
    timeout = t.get("timeout", 30)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise where.error("mail", "timeout", "must be a number of seconds")
    env, file = password_keys(t, "mail", where)
    return MailConfig(
        host=host,
        user=user,
        port=port,
        folder=decode_folder(text("folder", "INBOX")),
        tls=tls,
        password_env=env,
        password_file=file,
        timeout=float(timeout),
        source=path,
    )
