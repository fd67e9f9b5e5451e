"""Where a workspace lives: the folder holding weekwatch.toml, inbox/ and .weekwatch/."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from weekwatch.store.model import WeekwatchError
from weekwatch.store.values import value

CONFIG_NAME = "weekwatch.toml"
ENV_VAR = "WEEKWATCH_WORKSPACE"

NOT_FOUND = (
    f"no {CONFIG_NAME} here or in any parent folder; run `weekwatch init DIR` or pass --workspace"
)


@value
class Workspace:
    """A workspace folder. `root` is absolute, so the paths below do not move with the cwd."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def dbdir(self) -> Path:
        return self.root / ".weekwatch"


def find_workspace(
    arg: str | None,
    env: Mapping[str, str] = os.environ,
    cwd: Path | None = None,
) -> Workspace:
    """The workspace named by --workspace, else by $WEEKWATCH_WORKSPACE, else the nearest one up.

    A folder that was named explicitly must hold weekwatch.toml itself: silently walking up
    from a named folder could open some other week's workspace.
    """
    here = (cwd if cwd is not None else Path.cwd()).absolute()
    if arg:
        return _named(arg, here, "--workspace")
    # An empty variable (`WEEKWATCH_WORKSPACE= weekwatch`) means "unset", as shells intend it.
    named = env.get(ENV_VAR, "").strip()
    if named:
        return _named(named, here, ENV_VAR)
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Workspace(folder.resolve())
    raise WeekwatchError(NOT_FOUND, tag="no_workspace", config=CONFIG_NAME)


def _named(text: str, cwd: Path, source: str) -> Workspace:
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = cwd / path
    # Pointing at the toml itself is an easy slip (tab completion); it names the same workspace.
    if path.name == CONFIG_NAME and path.is_file():
        path = path.parent
    if not path.exists():
        raise WeekwatchError(
            f"{path} (from {source}): no such folder", tag="no_folder", path=path, source=source
        )
    if not path.is_dir():
        raise WeekwatchError(
            f"{path} (from {source}): not a folder", tag="not_folder", path=path, source=source
        )
    if not (path / CONFIG_NAME).is_file():
        raise WeekwatchError(
            f"{path} (from {source}): no {CONFIG_NAME} in this folder; "
            f"run `weekwatch init {text}` to make it a workspace",
            tag="no_config",
            path=path,
            source=source,
            config=CONFIG_NAME,
            text=text,
        )
    return Workspace(path.resolve())
