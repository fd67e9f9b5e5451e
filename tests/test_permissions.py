"""Permissions: the database is its operators' group's alone, and shareable within it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import pytest

from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

#: Two operators of one bureau (uids with no name here), sharing the group SHARED.
ALICE, BOB, STRANGER, SHARED = 41001, 41002, 41003, 41000


#: Where the other accounts import weekwatch and its dependencies from, when they cannot reach
#: this checkout's own (an interpreter or a clone under a home folder only root may enter).
READABLE: dict[str, str] = {}


def weekwatch(root: Path, *args: str, umask: int = 0o022, user: int | None = None):
    """`weekwatch ARGS` under `umask`, as `user` (a member of SHARED) if given."""
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(root), "HOME": str(root)}
    if user is not None:
        env.update(READABLE)
    prefix: list[str] = []
    if user is not None:
        groups = str(SHARED) if user != STRANGER else str(user)
        prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", f"--groups={groups}", "--"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "weekwatch", "--operator", str(user or "me"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=lambda: os.umask(umask),
    )


def modes(dbdir: Path) -> dict[str, str]:
    """Every file's mode by its path under dbdir; every folder's (dbdir's is ".") by its path
    followed by "/"."""
    out = {".": oct(stat.S_IMODE(dbdir.stat().st_mode))}
    for p in dbdir.rglob("*"):
        name = p.relative_to(dbdir).as_posix() + ("/" if p.is_dir() else "")
        out[name] = oct(stat.S_IMODE(p.stat().st_mode))
    return out


def init(root: Path, umask: int) -> None:
    done = weekwatch(
        root.parent, "init", str(root), "--title", "活动周", "--start", "2024-05-12", umask=umask
    )
    assert done.returncode == 0, done.stderr
    (root / "inbox" / "舞钢市_5月13日_照片.jpg").write_bytes(b"photo")


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_the_database_is_owner_and_group_only_whatever_the_umask(tmp_path, umask):
    root = tmp_path / "week"
    init(root, umask)
    for args in (["ingest"], ["materials"]):
        assert weekwatch(root, *args, umask=umask).returncode == 0
    (root / "inbox" / "宝丰县_5月13日_照片.jpg").write_bytes(b"photo 2")
    assert weekwatch(root, "ingest", umask=umask).returncode == 0  # rewrites a shard
    got = modes(root / ".weekwatch")
    assert got.pop(".") == oct(0o2770)
    folders = {name: mode for name, mode in got.items() if name.endswith("/")}
    assert set(folders.values()) <= {oct(0o2770)}, folders  # the stamp index's folder
    files = {name: mode for name, mode in got.items() if name not in folders}
    assert set(files.values()) == {oct(0o660)}, files
    assert {"meta.json", "store.lock", "ingest.lock"} <= set(files)
    assert any(name.startswith("materials.") for name in files)
    assert any(name.startswith("stamps/") for name in files)


@pytest.fixture
def shared(tmp_path_factory):
    """A workspace in a folder every test user can reach, group SHARED, setgid."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("acting as several operators needs root and setpriv")
    base = Path(tempfile.mkdtemp(prefix="weekwatch-shared-"))
    base.chmod(0o755)
    root = base / "week"
    root.mkdir()
    os.chown(root, ALICE, SHARED)
    root.chmod(0o2775)
    probe = weekwatch(base, "--help", user=ALICE)
    if probe.returncode != 0:
        READABLE["PYTHONPATH"] = str(readable_copy(base / "site"))
        probe = weekwatch(base, "--help", user=ALICE)
    if probe.returncode != 0:
        READABLE.clear()
        shutil.rmtree(base)
        pytest.skip(f"another account cannot run this checkout's Python: {probe.stderr[-200:]}")
    yield root
    READABLE.clear()
    shutil.rmtree(base, ignore_errors=True)


def readable_copy(site: Path) -> Path:
    """Copy weekwatch and every distribution it depends on into `site`, readable by all, for
    accounts that cannot enter the folder this interpreter's packages are in."""
    import weekwatch as package

    shutil.copytree(
        Path(package.__file__).parent,
        site / "weekwatch",
        ignore=shutil.ignore_patterns(".*", "tests", "bench", "docs", "__pycache__", "*.egg-*"),
        symlinks=True,  # a link (scripts/check makes one under .mypy_cache) is copied as a link
    )
    todo, seen = ["weekwatch"], set()
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for req in dist.requires or []:
            if "extra ==" not in req:
                todo.append(req.split(";")[0].split("[")[0].split()[0].rstrip("<>=!~,.0123456789"))
        if name == "weekwatch":
            continue
        for file in dist.files or []:
            src = Path(dist.locate_file(file))
            if src.is_file() and not file.parts[0].endswith((".dist-info", "..")):
                (site / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, site / file)
    for path in (site, *site.rglob("*")):
        if not path.is_symlink():  # a link's target is not ours to change
            path.chmod(0o755 if path.is_dir() else 0o644)
    return site


def test_a_second_operator_of_the_group_can_ingest_watch_and_write(shared):
    done = weekwatch(
        shared.parent,
        "init",
        str(shared),
        "--title",
        "活动周",
        "--start",
        "2024-05-12",
        user=ALICE,
        umask=0o002,
    )
    assert done.returncode == 0, done.stderr
    roster = shared / "units.csv"
    roster.write_text("id,name,aliases\nwugang,舞钢市教育体育局,舞钢市\n", encoding="utf-8")
    assert weekwatch(shared, "units", "import", str(roster), user=ALICE).returncode == 0
    for i, user in enumerate((ALICE, BOB, ALICE)):
        (shared / "inbox" / f"舞钢市_5月13日_照片{i}.jpg").write_bytes(b"photo %d" % i)
        ingest = weekwatch(shared, "ingest", user=user, umask=0o002)
        assert ingest.returncode == 0, ingest.stderr
        note = weekwatch(shared, "note", "舞钢市", f"{user} 来过", user=user, umask=0o002)
        assert note.returncode == 0, note.stderr
    assert len(Week(Workspace(shared), read_only=True).store.materials()) == 3
    assert len(Week(Workspace(shared), read_only=True).store.actions()) == 3


def test_an_account_outside_the_group_gets_one_message_and_exit_2(shared):
    done = weekwatch(
        shared.parent,
        "init",
        str(shared),
        "--title",
        "活动周",
        "--start",
        "2024-05-12",
        user=ALICE,
        umask=0o002,
    )
    assert done.returncode == 0, done.stderr
    assert weekwatch(shared, "ingest", user=ALICE).returncode == 0
    for args in (["ingest"], ["note", "舞钢市", "路过"], ["status"]):
        out = weekwatch(shared, *args, user=STRANGER)
        assert out.returncode == 2, (args, out.returncode, out.stderr)
        assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
        assert "ermission denied" in out.stderr
