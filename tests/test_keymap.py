"""The user's key map: a documented TOML file of binding id = keys, honoured by the app."""

from __future__ import annotations

import pytest

from weekwatch.fixtures.testweek import TODAY
from weekwatch.store.model import WeekwatchError
from weekwatch.tui.cli import main
from weekwatch.tui.keymap import binding_ids, keymap_path, load_keymap
from weekwatch.tui.screens.form import FormScreen


def test_the_file_is_found_where_the_docs_say(tmp_path):
    assert keymap_path({"WEEKWATCH_KEYMAP": "/x/keys.toml"}).as_posix() == "/x/keys.toml"
    xdg = keymap_path({"XDG_CONFIG_HOME": str(tmp_path)})
    assert xdg == tmp_path / "weekwatch" / "keymap.toml"
    assert load_keymap(tmp_path / "none.toml") == {}  # no file, no change


def test_a_key_map_names_binding_ids(tmp_path):
    path = tmp_path / "keymap.toml"
    path.write_text('"grid.excuse" = "z"\n"grid.find" = "slash, ctrl+f"\n', encoding="utf-8")
    assert load_keymap(path) == {"grid.excuse": "z", "grid.find": "slash,ctrl+f"}
    ids = binding_ids()
    assert {"app.quit", "grid.excuse", "quarantine.assign", "form.cancel"} <= set(ids)
    assert {"grid.calls", "grid.export", "calls.copy", "calls.contact", "export.write"} <= set(ids)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('"grid.exuse" = "z"\n', "no key is called 'grid.exuse'"),
        ('"grid.excuse" = 3\n', "grid.excuse must be keys in quotes"),
        ('"grid.excuse" = "z\n', "keymap.toml"),  # broken TOML: the file is named
    ],
)
def test_a_mistake_is_one_message(tmp_path, text, needle):
    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WeekwatchError, match="keymap.toml") as err:
        load_keymap(path)
    assert needle in str(err.value)


def test_the_dashboard_refuses_a_bad_key_map_with_exit_2(week_ws, tmp_path, monkeypatch, capsys):
    path = tmp_path / "keymap.toml"
    path.write_text('"nope" = "z"\n', encoding="utf-8")
    monkeypatch.setenv("WEEKWATCH_KEYMAP", str(path))
    with pytest.raises(SystemExit) as exit_:
        main(["-w", str(week_ws.root), "tui"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "no key is called 'nope'" in err and "Traceback" not in err


async def test_the_app_honours_the_key_map(week_ws, app_for, settle):
    app = app_for(week_ws, keymap={"grid.excuse": "z"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.dashboard.grid.goto("jxxx", TODAY)
        await pilot.press("e")  # the default key no longer excuses
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")  # help shows the keys in force
        await pilot.pause()
        keys = {b.id: b.key for b in app.screen.bindings}
        assert keys["grid.excuse"] == "z"


def test_every_binding_speaks_both_languages():
    """A binding's description and tooltip are message keys, so `localized` translates them."""
    from textual.binding import Binding

    from weekwatch.tui import i18n
    from weekwatch.tui.app import WeekwatchApp
    from weekwatch.tui.screens.calls import CallsScreen
    from weekwatch.tui.screens.dashboard import DashboardScreen
    from weekwatch.tui.screens.export import ExportScreen
    from weekwatch.tui.screens.form import TextScreen
    from weekwatch.tui.screens.help import HelpScreen
    from weekwatch.tui.screens.picker import UnitPicker
    from weekwatch.tui.screens.quarantine import QuarantineScreen

    known = i18n.keys()
    screens = (
        WeekwatchApp,
        DashboardScreen,
        QuarantineScreen,
        CallsScreen,
        ExportScreen,
        FormScreen,
        TextScreen,
        UnitPicker,
        HelpScreen,
    )
    for cls in screens:
        for b in cls.BINDINGS:
            assert isinstance(b, Binding) and b.id, (cls, b)
            assert b.description in known and b.tooltip in known, (cls.__name__, b.id)


def test_the_readme_lists_every_binding_id_with_its_keys():
    """The key map's ids are documented where users look for them (README, Keys)."""
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for bid, keys in binding_ids().items():
        assert f"| `{bid}` | `{keys}` |" in readme, bid
