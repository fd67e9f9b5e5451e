"""`weekwatch report day --send`: the digest posted to a local HTTP server standing in for the
WeCom and DingTalk robots — the JSON payload, DingTalk's signature recomputed, errcode refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.notify import escape, markdown
from weekwatch.tui.cli import main, run

SECRET = "SEC0123456789abcdef"


class Robots:
    """Records each POST (path, query, JSON body); answers `reply` as JSON."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, list[str]], dict]] = []
        self.reply: dict = {"errcode": 0, "errmsg": "ok"}
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(size).decode("utf-8"))
                url = urllib.parse.urlsplit(self.path)
                robots.posts.append((url.path, urllib.parse.parse_qs(url.query), body))
                out = json.dumps(robots.reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robots():
    r = Robots()
    yield r
    r.close()


def configure(ws, robots: Robots, wecom: bool = True, dingtalk: bool = True) -> None:
    lines = ["", "[notify]"]
    if wecom:
        lines.append(f'wecom_webhook = "{robots.base}/cgi-bin/webhook/send?key=k-1"')
    if dingtalk:
        lines.append(f'dingtalk_webhook = "{robots.base}/robot/send?access_token=t-1"')
        lines.append(f'dingtalk_secret = "{SECRET}"')
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def send(ws, capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["-w", str(ws.root), "report", "day", "2024-05-13", "--send", *args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_the_digest_goes_to_both_robots_as_markdown_dingtalk_signed(ws, robots, capsys):
    drop(ws, "舞钢市/5月13日/典型案例.docx", at(13, 9, 30))
    assert run(["-w", str(ws.root), "ingest"]) == 0
    configure(ws, robots)
    code, out, err = send(ws, capsys)
    assert code == 0, err
    assert "posted to wecom" in out and "posted to dingtalk" in out
    assert "k-1" not in out and "t-1" not in out  # the keys are secrets: never printed
    (wpath, wq, wbody), (dpath, dq, dbody) = robots.posts
    assert wpath == "/cgi-bin/webhook/send" and wq["key"] == ["k-1"]
    assert wbody["msgtype"] == "markdown"
    content = wbody["markdown"]["content"]
    assert content.startswith("### 2024年职业教育活动周")
    assert "舞钢市教育体育局" in content and "宝丰县教育体育局" in content
    assert dbody["msgtype"] == "markdown" and dbody["markdown"]["text"] == content
    assert "2024年职业教育活动周" in dbody["markdown"]["title"]
    # The signature, computed again here as DingTalk's documentation says.
    ts = dq["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert dq["sign"] == [expected]  # parse_qs undid the URL encoding
    assert dq["access_token"] == ["t-1"]


def test_an_errcode_is_one_clear_message_with_the_platforms_words(ws, robots, capsys):
    configure(ws, robots, wecom=False)
    robots.reply = {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc]"}
    code, out, err = send(ws, capsys)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "weekwatch: dingtalk: the robot refused the message "
        "(errcode 310000: sign not match, more: [https://ding-doc]); check [notify]"
    ]


def test_an_unreachable_robot_is_one_line_exit_1(ws, robots, capsys):
    configure(ws, robots, dingtalk=False)
    robots.close()
    code, _, err = send(ws, capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "cannot reach" in err


def test_no_notify_table_says_how_and_what_to_paste_instead(ws, capsys):
    code, _, err = send(ws, capsys)
    assert code == 2 and "[notify]" in err and "paste" in err


def test_dingtalk_needs_its_secret(ws, capsys):
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write('\n[notify]\ndingtalk_webhook = "https://oapi.dingtalk.com/robot/send?a=1"\n')
    code, _, err = send(ws, capsys)
    assert code == 2 and "dingtalk_secret" in err and "Traceback" not in err


def test_untrusted_names_stay_text_in_markdown():
    md = markdown("周报", ["· [点我](http://x) **单位**", "# 不是标题"])
    assert "\\[点我\\]\\(http://x\\) \\*\\*单位\\*\\*" in md
    assert "\n\n\\# 不是标题" in md
    assert escape("a_b") == "a\\_b"
