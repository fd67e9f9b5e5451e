"""The domain room stays free of the UI: importing all of store/ loads no Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import weekwatch.store


def test_store_imports_no_textual():
    names = [f"weekwatch.store.{m.name}" for m in pkgutil.iter_modules(weekwatch.store.__path__)]
    assert "weekwatch.store.rules" in names
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or '.tui' in m or '.widgets' in m)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_installs_as_one_namespace():
    import weekwatch.tui
    import weekwatch.widgets

    assert weekwatch.store.__name__ == "weekwatch.store"
    assert (
        weekwatch.tui.__name__ == "weekwatch.tui"
        and weekwatch.widgets.__name__ == "weekwatch.widgets"
    )
