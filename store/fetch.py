"""Fetching the designated mailbox over IMAP, read-only, into `inbox/mail/` as `.eml` files.

Read-only toward the server, in three ways: the folder is opened with EXAMINE (read-only
SELECT), messages are fetched with `BODY.PEEK[]`, and nothing is ever stored, moved, deleted
or expunged. The folder's UIDVALIDITY and the last UID fetched are kept in the database; when
UIDVALIDITY changes every message is looked at again, and one whose bytes were saved before is
not saved twice. Each message is written atomically (a hidden temp file, then a rename), so
the watcher never reads half of one.

NetEase (163.com, 126.com) refuses SELECT with "Unsafe Login" unless the client first says who
it is with the IMAP ID command (RFC 2971): weekwatch always does, where the server offers ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import logging
import os
import re
import socket
import ssl
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from . import mail
from .mailconfig import MailConfig
from .model import WeekwatchError

log = logging.getLogger(__name__)

#: Under inbox/: where fetched messages are saved.
MAIL_FOLDER = "mail"
#: Messages fetched per FETCH command: big enough to be quick, small enough to write as we go.
BATCH = 50
_META = "mailbox"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


class MailNetworkError(Exception):
    """The mailbox could not be reached (exit status 1): retried with back-off by the watcher."""


@dataclass
class FetchResult:
    folder: str
    saved: list[str] = field(default_factory=list)  # inbox-relative paths of new .eml files
    skipped: int = 0  # already saved (same bytes) after a UIDVALIDITY change
    uidvalidity: int = 0
    last_uid: int = 0
    reset: bool = False  # UIDVALIDITY changed since the last fetch


def _short(text: str, limit: int) -> str:
    # Limits in bytes: file systems count UTF-8 bytes (255 per name), not characters.
    out = ""
    for ch in text:
        if len((out + ch).encode("utf-8")) > limit:
            break
        out += ch
    return out


def file_name(data: bytes, uidvalidity: int, uid: int, tz: Any) -> str:
    """`20240513-1158_王敏_舞钢市5月13日照片_u1700000000-42.eml`: safe on any file system."""
    try:
        m = mail.parse(data)
        when = m.date.astimezone(tz).strftime("%Y%m%d-%H%M") if m.date else "nodate"
        sender = m.sender.split("<", 1)[0].strip().strip('"') or m.address
        subject = m.subject
    except Exception:  # a name must be made whatever the message holds
        when, sender, subject = "nodate", "", ""

    def clean(text: str, limit: int) -> str:
        text = unicodedata.normalize("NFC", text)
        text = _UNSAFE.sub("_", text).strip(" ._")
        return _short(text, limit)

    parts = [when, clean(sender, 40), clean(subject, 90), f"u{uidvalidity}-{uid}"]
    return "_".join(p for p in parts if p) + ".eml"


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    tmp = folder / f".{name}.part"  # hidden and partial: the reading rules skip it
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / name)


def describe(exc: BaseException, cfg: MailConfig) -> tuple[str, int]:
    """One line for the operator and the exit status: 2 to fix the config, 1 for the network."""
    where = f"{cfg.host}:{cfg.port}"
    if isinstance(exc, WeekwatchError):
        return str(exc), 2
    if isinstance(exc, LoginError):
        said = _said(exc)
        return f"mail: {where} refused the login for {cfg.user}{said}", 2
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        reason = getattr(exc, "reason", None) or str(exc)
        return f"mail: TLS with {where} failed ({reason}); check [mail] tls and port", 2
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"mail: {where} did not answer within {cfg.timeout:g} s", 1
    if isinstance(exc, socket.gaierror):
        return f"mail: cannot find the host {cfg.host} ({exc.strerror})", 1
    if isinstance(exc, ConnectionRefusedError):
        return f"mail: {where} refused the connection (is the server up, the port right?)", 1
    if isinstance(exc, OSError):
        return f"mail: {where}: {exc.strerror or exc}", 1
    if isinstance(exc, IMAPClientError):
        return f"mail: {where}: {_said(exc).lstrip(': ') or type(exc).__name__}", 1
    return f"mail: {where}: {exc}", 1


def _said(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc.args[0] if exc.args else None, bytes):
        text = exc.args[0].decode("utf-8", "replace")
    text = " ".join(text.split())
    return f": {text}" if text else ""


class Mailbox:
    """One connection to the designated mailbox, its folder opened read-only."""

    def __init__(self, cfg: MailConfig, password: str) -> None:
        self.cfg = cfg
        self._password = password
        self.client: IMAPClient | None = None
        self.uidvalidity = 0

    def open(self) -> None:
        cfg = self.cfg
        context = ssl.create_default_context()
        client = IMAPClient(
            cfg.host,
            port=cfg.port,
            ssl=cfg.tls == "ssl",
            ssl_context=context if cfg.tls == "ssl" else None,
            timeout=cfg.timeout,
        )
        try:
            if cfg.tls == "starttls":
                client.starttls(context)
            if (cfg.user + self._password).isascii():
                client.login(cfg.user, self._password)
            else:  # LOGIN is ASCII only; AUTHENTICATE PLAIN carries UTF-8
                client.plain_login(cfg.user, self._password)
            if client.has_capability("ID"):
                # NetEase answers SELECT with "Unsafe Login" until the client says who it is.
                client.id_({"name": "weekwatch", "version": _version(), "vendor": "weekwatch"})
            try:
                info = client.select_folder(cfg.folder, readonly=True)
            except IMAPClientError as e:
                raise WeekwatchError(
                    f"mail: cannot open the folder {cfg.folder} of {cfg.user}{_said(e)}"
                ) from None
        except BaseException:
            _close(client)
            raise
        self.client = client
        self.uidvalidity = int(info.get(b"UIDVALIDITY", 0))

    def close(self) -> None:
        if self.client is not None:
            _close(self.client)
            self.client = None

    def can_idle(self) -> bool:
        return self.client is not None and self.client.has_capability("IDLE")

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """IDLE up to `seconds` (in slices, so `stop` is seen): True if a message arrived."""
        assert self.client is not None
        end = dt.datetime.now().timestamp() + seconds
        self.client.idle()
        try:
            while not stop.is_set():
                left = end - dt.datetime.now().timestamp()
                if left <= 0:
                    return False
                for response in self.client.idle_check(timeout=min(left, 1.0)):
                    if len(response) > 1 and response[1] in (b"EXISTS", b"RECENT"):
                        return True
            return False
        finally:
            self.client.idle_done()

    def fetch_new(self, store: Any, inbox: Path, tz: Any) -> FetchResult:
        """Save every message not fetched before as one .eml under inbox/mail/."""
        assert self.client is not None
        cfg = self.cfg
        state = dict(store.get_meta(_META, {}) or {})
        mine = dict(state.get(cfg.key) or {})
        result = FetchResult(folder=cfg.folder, uidvalidity=self.uidvalidity)
        last = int(mine.get("last_uid", 0))
        if mine and int(mine.get("uidvalidity", 0)) != self.uidvalidity:
            result.reset = True
            last = 0  # the server renumbered the folder: look at every message again
        seen_bytes = set(mine.get("hashes", ()))
        uids = sorted(u for u in self.client.search(["UID", f"{last + 1}:*"]) if u > last)
        folder = inbox / MAIL_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        top = last
        for i in range(0, len(uids), BATCH):
            chunk = uids[i : i + BATCH]
            fetched = self.client.fetch(chunk, ["BODY.PEEK[]"])
            for uid in chunk:
                data = fetched.get(uid, {}).get(b"BODY[]")
                if not isinstance(data, bytes):
                    continue  # expunged meanwhile by someone else
                digest = hashlib.sha256(data).hexdigest()[:32]
                if digest in seen_bytes:
                    result.skipped += 1
                else:
                    name = file_name(data, self.uidvalidity, uid, tz)
                    _write_atomically(folder, name, data)
                    result.saved.append(f"{MAIL_FOLDER}/{name}")
                    seen_bytes.add(digest)
                top = max(top, uid)
            # Remembered after each batch: a fetch cut short resumes where it stopped.
            mine = {"uidvalidity": self.uidvalidity, "last_uid": top, "hashes": sorted(seen_bytes)}
            store.set_meta(_META, {**state, cfg.key: mine})
        if not uids and (not mine or result.reset):
            mine = {"uidvalidity": self.uidvalidity, "last_uid": top, "hashes": sorted(seen_bytes)}
            store.set_meta(_META, {**state, cfg.key: mine})
        result.last_uid = top
        return result


def _version() -> str:
    try:
        return importlib.metadata.version("weekwatch")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def _close(client: IMAPClient) -> None:
    # Logout only: no CLOSE, which would expunge on a read-write folder.
    try:
        client.logout()
    except Exception:
        try:
            client.shutdown()
        except Exception:
            pass


def fetch_once(cfg: MailConfig, store: Any, inbox: Path, tz: Any) -> FetchResult:
    """One pass: connect, save what is new, log out. Raises what `describe` explains."""
    box = Mailbox(cfg, cfg.password())
    box.open()
    try:
        return box.fetch_new(store, inbox, tz)
    finally:
        box.close()


def set_state(store: Any, ok: bool, message: str = "", at: dt.datetime | None = None) -> None:
    """What the dashboard's header shows: the mailbox up, or down and why."""
    now = (at or dt.datetime.now(dt.UTC)).isoformat()
    old = store.get_meta("mailbox_state") or {}
    if old.get("ok") == ok and old.get("error", "") == message:
        return  # unchanged: no write, no wake-up for every dashboard
    store.set_meta("mailbox_state", {"ok": ok, "error": message, "at": now})


def mailbox_state(store: Any) -> dict[str, Any] | None:
    """The last fetch's outcome ({"ok", "error", "at"}), or None if nothing fetches."""
    value = store.get_meta("mailbox_state")
    return value if isinstance(value, dict) else None


@dataclass
class Fetcher:
    """Fetches in a loop until `stop`: every `every` seconds, at once on IDLE news, and with
    back-off (5 s, doubling, at most 5 minutes) while the mailbox cannot be reached."""

    cfg: MailConfig
    store: Any
    inbox: Path
    tz: Any
    every: float = 60.0
    on_error: Callable[[str], None] | None = None
    on_saved: Callable[[FetchResult], None] | None = None
    backoff: tuple[float, float] = (5.0, 300.0)
    failures: int = 0

    def run(self, stop: threading.Event) -> None:
        box: Mailbox | None = None
        while not stop.is_set():
            try:
                if box is None:
                    box = Mailbox(self.cfg, self.cfg.password())
                    box.open()
                result = box.fetch_new(self.store, self.inbox, self.tz)
                if self.failures:
                    log.info("mailbox %s is back", self.cfg.host)
                self.failures = 0
                set_state(self.store, True)
                if result.saved and self.on_saved is not None:
                    self.on_saved(result)
                if box.can_idle():
                    box.wait(self.every, stop)
                else:
                    stop.wait(self.every)
            except Exception as exc:  # every failure is one line and a retry, never the end
                if box is not None:
                    box.close()
                    box = None
                line, _ = describe(exc, self.cfg)
                self.failures += 1
                try:
                    set_state(self.store, False, line)
                except Exception:
                    log.exception("cannot record the mailbox state")
                if self.on_error is not None:
                    self.on_error(line)
                else:
                    log.warning("%s", line)
                first, most = self.backoff
                stop.wait(min(most, first * 2 ** min(self.failures - 1, 16)))
        if box is not None:
            box.close()
