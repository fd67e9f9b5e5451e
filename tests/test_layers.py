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
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] == 'textual' or '.tui' in m or '.widgets' in m)\n"
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


def test_every_package_folder_is_installed():
    """A folder of code left out of pyproject's package list would vanish from `pip install .`."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {"weekwatch"} | {
        "weekwatch." + ".".join(p.parent.relative_to(root).parts)
        for top in ("store", "tui", "widgets", "fixtures")
        for p in (root / top).rglob("__init__.py")
    }
    assert on_disk == listed


def test_test_modules_share_fixtures_not_imports():
    """One kit: fixtures in conftest.py, values in weekwatch.fixtures; no test imports another."""
    import ast
    from pathlib import Path

    here = Path(__file__).resolve().parent
    local = {p.stem for p in here.glob("*.py")}
    bad = []
    for path in sorted(here.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            bad += [f"{path.name}: {n}" for n in names if n.split(".")[0] in local]
    assert bad == []
