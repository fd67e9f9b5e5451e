"""Posting to the bureau's work group: the WeCom (企业微信) group robot and the DingTalk (钉钉)
robot with 加签, each as the platform's markdown message; the answer's `errcode` checked.

DingTalk's signature: the string `timestamp + "\\n" + secret` signed with HMAC-SHA256 under the
secret, Base64-encoded, then URL-encoded, sent as `&timestamp=…&sign=…` (timestamp in
milliseconds, accepted within an hour of DingTalk's clock).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from .model import WeekwatchError
from .remind_config import NotifyConfig

TIMEOUT = 15.0
_MARKDOWN = re.compile(r"([\\`*_\[\]()#>|~])")


class NotifyError(WeekwatchError):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Posted:
    platform: str
    url: str  # without the signature or the token, to say where it went


def escape(text: str) -> str:
    """A unit's name or a file's path as literal text in markdown (no links, no headings)."""
    return _MARKDOWN.sub(r"\\\1", text)


def markdown(title: str, lines: list[str]) -> str:
    """Plain digest lines as markdown: the title a heading, each line its own paragraph."""
    body = [f"### {escape(title)}"]
    body += [escape(line) for line in lines if line.strip()]
    return "\n\n".join(body)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` parameter, URL-encoded, as DingTalk's documentation computes it."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(webhook: str, secret: str, timestamp_ms: int) -> str:
    sep = "&" if "?" in webhook else "?"
    return f"{webhook}{sep}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def _where(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    return f"{p.scheme}://{p.netloc}{p.path}"


def _post(platform: str, url: str, payload: dict[str, object], timeout: float) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    where = _where(url)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except urllib.error.HTTPError as e:
        raise NotifyError(f"{platform}: {where} answered HTTP {e.code} {e.reason}", 1) from None
    except TimeoutError:
        raise NotifyError(f"{platform}: {where} did not answer within {timeout:g} s", 1) from None
    except urllib.error.URLError as e:
        reason = getattr(e.reason, "strerror", None) or e.reason
        raise NotifyError(f"{platform}: cannot reach {where} ({reason})", 1) from None
    except OSError as e:
        raise NotifyError(f"{platform}: {where}: {e.strerror or e}", 1) from None
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotifyError(f"{platform}: {where} did not answer as the robot does", 1) from None
    code = answer.get("errcode") if isinstance(answer, dict) else None
    if code != 0:
        said = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        # A wrong key, secret or keyword is the operator's to fix in [notify].
        raise NotifyError(
            f"{platform}: the robot refused the message (errcode {code}: {said}); check [notify]",
            2,
        )


def post_markdown(
    cfg: NotifyConfig,
    title: str,
    text: str,
    *,
    now_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    timeout: float = TIMEOUT,
) -> list[Posted]:
    """Post the markdown `text` to every robot `[notify]` names; stops at the first refusal."""
    done: list[Posted] = []
    if cfg.wecom_webhook:
        payload: dict[str, object] = {"msgtype": "markdown", "markdown": {"content": text}}
        _post("wecom", cfg.wecom_webhook, payload, timeout)
        done.append(Posted("wecom", _where(cfg.wecom_webhook)))
    if cfg.dingtalk_webhook:
        url = dingtalk_url(cfg.dingtalk_webhook, cfg.dingtalk_secret, now_ms())
        payload = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        _post("dingtalk", url, payload, timeout)
        done.append(Posted("dingtalk", _where(cfg.dingtalk_webhook)))
    return done
