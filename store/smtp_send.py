"""Sending reminders through the bureau's SMTP server: the message as a real mail client writes
it (RFC 2047 headers, Date, Message-ID, a UTF-8 body), TLS verified, and what a real server
answers turned into one line for the operator.

A 4xx answer is the server asking to try later: retried with back-off. A 5xx answer is a
refusal: the run stops with the server's own words, and says how many were sent before it.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from types import TracebackType

from .model import WeekwatchError
from .remind_config import SmtpConfig
from .remind_template import Filled

#: Back-off between the tries of a message the server answered 4xx (seconds).
RETRY_DELAYS = (2.0, 5.0, 15.0)


class SmtpError(WeekwatchError):
    """A send that could not go on: one line, the exit status (2: the operator can fix the
    config; 1: the network or the server)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def build_message(
    cfg: SmtpConfig, to: Sequence[str], filled: Filled, now: dt.datetime
) -> EmailMessage:
    """One reminder to one unit's addresses (all in To: they are the same unit's liaisons)."""
    msg = EmailMessage()  # the default policy folds and RFC 2047-encodes non-ASCII headers
    msg["From"] = cfg.from_header
    msg["To"] = ", ".join(to)
    if cfg.reply_to:
        msg["Reply-To"] = cfg.reply_to
    msg["Subject"] = filled.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rpartition("@")[2] or None)
    msg.set_content(filled.text, charset="utf-8")
    if filled.html is not None:
        msg.add_alternative(filled.html, subtype="html", charset="utf-8")
    return msg


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}".strip()


def refusal(code: int, text: bytes | str, sent: int) -> str:
    """The line for a 5xx answer; 163.com's `554 DT:SPM` is its spam filter."""
    said = _said(code, text)
    before = f"{sent} sent before it" if sent != 1 else "1 sent before it"
    if "DT:SPM" in said or "spam" in said.lower():
        return (
            f"the server refused the message as spam ({said}); {before}. Change the text of "
            "reminder.txt, send fewer at a time (raise [smtp] every), or ask the provider"
        )
    return f"the server refused the message ({said}); {before}"


class Sender:
    """One SMTP session: connect, log in, send each message (retrying 4xx), quit."""

    def __init__(
        self,
        cfg: SmtpConfig,
        password: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.cfg = cfg
        self._password = password
        self.sleep = sleep
        self.delays = tuple(delays)
        self.smtp: smtplib.SMTP | None = None
        self.sent = 0

    @property
    def where(self) -> str:
        return f"{self.cfg.host}:{self.cfg.port}"

    def context(self) -> ssl.SSLContext:
        ca = self.cfg.cafile_path
        if ca is not None and not ca.is_file():
            raise SmtpError(f"{self.cfg.source}: [smtp] cafile: no file {ca}", 2)
        # The system's CA store, or only the CA file the operator named; always verified.
        return ssl.create_default_context(cafile=str(ca) if ca else None)

    def __enter__(self) -> Sender:
        self.open()
        return self

    def __exit__(
        self,
        _t: type[BaseException] | None,
        _e: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        cfg = self.cfg
        try:
            if cfg.tls == "ssl":
                self.smtp = smtplib.SMTP_SSL(
                    cfg.host, cfg.port, timeout=cfg.timeout, context=self.context()
                )
            else:
                self.smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
                if cfg.tls == "starttls":
                    self.smtp.starttls(context=self.context())
            self.smtp.login(cfg.user, self._password)
        except BaseException as exc:
            self.close()
            raise self.error(exc) from None

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
        self.smtp = None

    def send(self, msg: EmailMessage) -> None:
        """Send one message; a 4xx is tried again after each delay, then stops the run."""
        assert self.smtp is not None, "open() first"
        for delay in (*self.delays, None):
            try:
                self.smtp.send_message(msg, from_addr=self.cfg.sender)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                if 400 <= code < 500 and delay is not None:
                    self._again(delay)
                    continue
                raise SmtpError(refusal(code, text, self.sent), 1) from None
            except smtplib.SMTPResponseException as exc:
                if 400 <= exc.smtp_code < 500 and delay is not None:
                    self._again(delay)
                    continue
                if 400 <= exc.smtp_code < 500:
                    said = _said(exc.smtp_code, exc.smtp_error)
                    raise SmtpError(
                        f"the server kept asking to try later ({said}); "
                        f"{self.sent} sent; run again later",
                        1,
                    ) from None
                raise SmtpError(refusal(exc.smtp_code, exc.smtp_error, self.sent), 1) from None
            except BaseException as exc:
                raise self.error(exc) from None
            self.sent += 1
            return

    def _again(self, delay: float) -> None:
        self.sleep(delay)
        assert self.smtp is not None
        try:
            self.smtp.rset()
        except smtplib.SMTPServerDisconnected:
            self.smtp = None
            self.open()

    def error(self, exc: BaseException) -> SmtpError:
        """One line and an exit status for what went wrong talking to the server."""
        cfg, where = self.cfg, self.where
        if isinstance(exc, SmtpError):
            return exc
        if isinstance(exc, WeekwatchError):
            return SmtpError(str(exc), 2)
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            said = _said(exc.smtp_code, exc.smtp_error)
            return SmtpError(
                f"smtp: {where} refused the login for {cfg.user} ({said}); check [smtp] user "
                "and the password (for 163.com or QQ mail: the client authorisation code 授权码)",
                2,
            )
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return SmtpError(f"smtp: {where}: {exc}; check [smtp] tls and port", 2)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return SmtpError(
                f"smtp: {where}: the server's certificate is not trusted "
                f"({exc.verify_message}); check [smtp] host, or name its CA in [smtp] cafile",
                2,
            )
        if isinstance(exc, ssl.SSLError):
            reason = exc.reason or str(exc)
            return SmtpError(
                f"smtp: TLS with {where} failed ({reason}); check [smtp] tls and port", 2
            )
        if isinstance(exc, TimeoutError | socket.timeout):
            return SmtpError(f"smtp: {where} did not answer within {cfg.timeout:g} s", 1)
        if isinstance(exc, socket.gaierror):
            return SmtpError(f"smtp: cannot find the host {cfg.host} ({exc.strerror})", 1)
        if isinstance(exc, ConnectionRefusedError):
            return SmtpError(
                f"smtp: {where} refused the connection (is the server up, the port right?)", 1
            )
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return SmtpError(f"smtp: {where} closed the connection ({exc}); {self.sent} sent", 1)
        if isinstance(exc, smtplib.SMTPResponseException):
            return SmtpError(f"smtp: {where}: {_said(exc.smtp_code, exc.smtp_error)}", 1)
        if isinstance(exc, OSError):
            return SmtpError(f"smtp: {where}: {exc.strerror or exc}", 1)
        if isinstance(exc, smtplib.SMTPException):
            return SmtpError(f"smtp: {where}: {exc}", 1)
        raise exc
