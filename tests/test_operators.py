"""Operators are people: the name actions are recorded under, from --operator, the name a
person gave (asked once on a shared login like root), the workspace's `operator`, the login."""

from __future__ import annotations

import json

import pytest

from weekwatch.store import operators
from weekwatch.store.week import Week
from weekwatch.tui.cli import run
from weekwatch.tui.screens.form import FormScreen


@pytest.fixture
def person(tmp_path, monkeypatch):
    """A login named `login`, its config home in tmp, connected over SSH from `address`."""

    def be(login: str, address: str | None = "10.0.0.5") -> None:
        for key in ("LOGNAME", "USER"):
            monkeypatch.setenv(key, login)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        monkeypatch.delenv("WEEKWATCH_OPERATOR_FILE", raising=False)
        monkeypatch.delenv("SSH_CLIENT", raising=False)
        if address is None:
            monkeypatch.delenv("SSH_CONNECTION", raising=False)
        else:
            monkeypatch.setenv("SSH_CONNECTION", f"{address} 52100 10.0.0.1 22")

    return be


def _log(ws, capsys) -> list[dict]:
    capsys.readouterr()
    run(["-w", str(ws.root), "log", "--json"])
    return json.loads(capsys.readouterr().out)


def test_the_cli_records_under_flag_remembered_workspace_then_login(ws, capsys, person):
    person("wangmin")
    excuse = ["-w", str(ws.root), "excuse", "舞钢市", "05-13", "--reason", "停电"]
    run(excuse)
    config = ws.config.read_text(encoding="utf-8")
    ws.config.write_text('operator = "李娜"\n' + config, encoding="utf-8")
    run(excuse)
    operators.remember("王敏")
    run(excuse)
    run(["--operator", "张伟", *excuse])
    assert [r["operator"] for r in _log(ws, capsys)] == ["wangmin", "李娜", "王敏", "张伟"]


def test_a_shared_login_remembers_each_person_by_where_they_connect_from(person):
    person("root", "10.0.0.5")
    assert operators.resolve(None, None) == operators.Operator("root", "login", ask=True)
    operators.remember("王敏")
    person("root", "10.0.0.6")  # someone else on the same root account
    assert operators.resolve(None, None).ask
    operators.remember("李娜")
    assert operators.resolve(None, None).name == "李娜"
    person("root", "10.0.0.5")
    assert operators.resolve(None, None) == operators.Operator("王敏", "remembered")


def test_a_bad_workspace_operator_is_one_message(ws, capsys, person):
    person("wangmin")
    ws.config.write_text("operator = 3\n" + ws.config.read_text(encoding="utf-8"), "utf-8")
    with pytest.raises(Exception) as e:
        run(["-w", str(ws.root), "excuse", "舞钢市", "05-13", "--reason", "停电"])
    assert "operator must be a name" in str(e.value)


async def test_the_dashboard_asks_once_on_a_shared_login(week_ws, app_for, settle, person):
    person("root", "10.0.0.5")
    who = operators.resolve(None, week_ws.config)
    assert who.ask
    app = app_for(week_ws, operator=None)
    app.dashboard.ask_operator = who.ask  # as `weekwatch tui` does (tui/launch.py)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and "root" in form.intro
        form.query_one("#field-name").value = "root"  # the shared name says nobody
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form and form.error("name")
        form.query_one("#field-name").value = "王敏"
        await pilot.press("enter")
        await settle(pilot)
        assert app.dashboard.operator == "王敏"
        assert app.dashboard.grid.goto("weidong", "2024-05-14")
        await pilot.pause()
        await pilot.press("e")
        app.screen.query_one("#field-reason").value = "停电"
        await pilot.press("enter")
        await settle(pilot, lambda: bool(app.week.ledger().excuses))
    assert [a.operator for a in Week(week_ws).ledger().actions] == ["王敏"]
    # The next start (another process) knows the name: nothing to ask.
    assert operators.resolve(None, week_ws.config) == operators.Operator("王敏", "remembered")
