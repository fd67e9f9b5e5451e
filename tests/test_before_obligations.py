"""A workspace made before [columns.*] and [groups] existed judges exactly as it did then.

`data/before_obligations/` was written by weekwatch at commit 6387da9 (see its make.py): a
roster, files, excuses, an extension, an assignment and an undo, and what `status --json` said
at eight moments of the week. Opened now, every state and count is the same; the only change
is the new `lacking` field, which under "any" says only whether anything has arrived.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from weekwatch.tui.cli import run

DATA = Path(__file__).parent / "data" / "before_obligations"
EXPECTED = json.loads((DATA / "status.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def old_ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("old") / "workspace"
    shutil.copytree(DATA / "workspace", root)
    return root


@pytest.mark.parametrize("moment", list(EXPECTED))
def test_every_state_and_count_is_what_it_was(old_ws, capsys, moment):
    assert run(["-w", str(old_ws), "status", "--json", "--as-of", moment]) == 0
    now = json.loads(capsys.readouterr().out)
    for unit in now["units"]:
        for cell in unit["cells"].values():
            lacking = cell.pop("lacking")
            assert lacking == ([] if cell["count"] else ["any"])
    assert now == EXPECTED[moment]


def test_the_old_workspace_has_states_of_every_kind(old_ws):
    # The comparison above is only worth something if the week really moves through them.
    seen = {c["state"] for s in EXPECTED.values() for u in s["units"] for c in u["cells"].values()}
    assert seen == {"future", "due", "on_time", "late", "missing", "excused"}
