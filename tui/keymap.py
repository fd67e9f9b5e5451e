"""The user's own key map: a TOML file of binding id = keys, honoured through `set_keymap`.

Where: `$WEEKWATCH_KEYMAP` if set, else `$XDG_CONFIG_HOME/weekwatch/keymap.toml` (by default
`~/.config/weekwatch/keymap.toml`). No file, no change. The file, for instance::

    # binding id = keys (Textual key names, comma-separated for several)
    "grid.excuse" = "E"
    "grid.find" = "slash,ctrl+f"
    "app.quit" = "ctrl+q"

The ids are listed in README.md (Keys); the help screen (`?`) shows the keys in force.
A mistake in the file is one message (the file, what is wrong) and exit 2.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from weekwatch.store.model import WeekwatchError


def keymap_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("WEEKWATCH_KEYMAP"):
        return Path(env["WEEKWATCH_KEYMAP"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(base) / "weekwatch" / "keymap.toml"


def binding_ids() -> dict[str, str]:
    """Every binding id a key map may name, with its default keys."""
    from weekwatch.widgets.grid import Grid

    from .app import WeekwatchApp
    from .screens.calls import CallsScreen
    from .screens.confirm import ConfirmScreen
    from .screens.dashboard import DashboardScreen
    from .screens.export import ExportScreen
    from .screens.form import FormScreen, TextScreen
    from .screens.help import HelpScreen
    from .screens.picker import UnitPicker
    from .screens.quarantine import QuarantineScreen
    from .screens.record import RecordScreen

    out: dict[str, str] = {}
    for cls in (
        WeekwatchApp,
        DashboardScreen,
        Grid,
        QuarantineScreen,
        CallsScreen,
        ExportScreen,
        FormScreen,
        TextScreen,
        RecordScreen,
        UnitPicker,
        HelpScreen,
        ConfirmScreen,
    ):
        for b in cls.BINDINGS:
            if not isinstance(b, tuple) and b.id:
                out[b.id] = b.key
    return out


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The key map in the file (empty if there is none)."""
    path = path or keymap_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise WeekwatchError(f"{path}: cannot read the key map: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise WeekwatchError(f"{path}: the key map is not UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise WeekwatchError(f"{path}: {exc}") from exc
    known = binding_ids()
    keymap: dict[str, str] = {}
    for bid, keys in data.items():
        if bid not in known:
            raise WeekwatchError(
                f"{path}: no key is called {bid!r} (known: {', '.join(sorted(known))})"
            )
        if not isinstance(keys, str) or not keys.strip():
            raise WeekwatchError(f'{path}: {bid} must be keys in quotes, e.g. {bid} = "ctrl+e"')
        keymap[bid] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return keymap
