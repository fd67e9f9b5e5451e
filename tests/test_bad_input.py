"""Bad input of every kind ends as one message on stderr and exit 2: never a traceback."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.damage import run_weekwatch

#: (what the operator typed, the words the message must say)
BAD = [
    (["init", "{root}/w1", "--title", "x", "--start", "9999-12-30"], "9999"),
    (["status", "--as-of", "9999-12-31T23:59-12:00"], "9999"),
    (["status", "--as-of", "0001-01-01T00:00+14:00"], "year 1"),
    (["extend", "舞钢市", "plan", "--until", "0001-01-01T00:00+14:00"], "year 1"),
    (["extend", "舞钢市", "plan", "--until", "9999-12-31T23:59"], "9999"),
    (["watch", "--rescan", "nan"], "--rescan"),
    (["watch", "--rescan", "inf"], "--rescan"),
    (["watch", "--rescan", "0"], "--rescan"),
    (["watch", "--rescan", "-5"], "--rescan"),
    (
        ["init", "{root}/w2", "--title", "x", "--start", "2024-05-12", "--timezone", "Factory"],
        "Factory",
    ),
    (
        ["init", "{root}/w3", "--title", "x", "--start", "2024-05-12", "--timezone", "localtime"],
        "localtime",
    ),
    (
        ["init", "{root}/w4", "--title", "x", "--start", "2024-05-12", "--timezone", "posixrules"],
        "posixrules",
    ),
    (["units", "import", "{root}/header-only.csv"], "no units"),
]


@pytest.mark.parametrize(("args", "says"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_message_and_exit_2(ws, args, says):
    (ws.root / "header-only.csv").write_text("id,name,aliases\n", encoding="utf-8")
    argv = [a.format(root=ws.root) for a in args]
    done = run_weekwatch(ws, *argv, timeout=30)  # a watch that accepted it would not end
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert says in lines[0]


def test_a_deeply_nested_toml_array_is_one_message(ws):
    config = ws.root / "weekwatch.toml"
    config.write_text(config.read_text(encoding="utf-8") + "deep = " + "[" * 5000 + "]" * 5000)
    done = run_weekwatch(ws, "status")
    assert done.returncode == 2, done.stderr
    assert "nested too deeply" in done.stderr and "Traceback" not in done.stderr
