"""Who is operating: the name every action is recorded under.

Operators are people, not login names. In order: `--operator`; the name this person gave
before, remembered per user in `$XDG_CONFIG_HOME/weekwatch/operator.toml` (or
`~/.config/weekwatch/operator.toml`, or the file `$WEEKWATCH_OPERATOR_FILE` names); the
workspace's `operator` in weekwatch.toml (a workspace one person keeps); the login name.

A login several people share (`root`, `admin`, …) is no one in particular: the dashboard asks
once for a name and remembers it in that file under the address the person connects from
(`SSH_CONNECTION`; `local` at the console), so two people on one `root` account each keep
their own name. Nothing of this lives in the workspace: another operator's dashboard never
picks it up.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from .model import WeekwatchError
from .values import value

#: Login names that say nothing about the person behind them.
SHARED_LOGINS = frozenset(
    {"root", "admin", "administrator", "ubuntu", "user", "guest", "operator", "weekwatch"}
)


@value
class Operator:
    """The name to record under, where it came from, and whether the person should be asked."""

    name: str
    source: str  # flag, remembered, workspace, login
    ask: bool = False  # a shared login and nothing better known: ask once, then remember


def login_name(env: Mapping[str, str] | None = None) -> str:
    import getpass

    env = os.environ if env is None else env
    for key in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if env.get(key):
            return env[key]
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container, a cron job without USER)
        return "operator"


def operator_file(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("WEEKWATCH_OPERATOR_FILE"):
        return Path(env["WEEKWATCH_OPERATOR_FILE"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or "~").expanduser() / ".config")
    return Path(base) / "weekwatch" / "operator.toml"


def client(env: Mapping[str, str] | None = None) -> str:
    """Where the person connects from: the SSH client's address, or `local`."""
    env = os.environ if env is None else env
    for key in ("SSH_CONNECTION", "SSH_CLIENT"):
        parts = env.get(key, "").split()
        if parts:
            return parts[0]
    return "local"


def shared(login: str) -> bool:
    return login.lower() in SHARED_LOGINS


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise WeekwatchError(f"{path}: cannot be read as TOML ({e}); fix or delete it") from None


def remembered(env: Mapping[str, str] | None = None) -> str | None:
    """The name this person gave before (for a shared login: from this client address)."""
    doc = _read(operator_file(env))
    if shared(login_name(env)):
        clients = doc.get("clients")
        name = clients.get(client(env)) if isinstance(clients, dict) else None
    else:
        name = doc.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else None


def remember(name: str, env: Mapping[str, str] | None = None) -> Path:
    """Keep `name` for this person (for a shared login: for this client address)."""
    name = name.strip()
    if not name or any(ord(c) < 32 for c in name):
        raise WeekwatchError("an operator's name must be some text on one line")
    path = operator_file(env)
    doc = _read(path)
    old_name = doc.get("name")
    plain = old_name if isinstance(old_name, str) else None
    raw_clients = doc.get("clients")
    clients: dict[str, str] = (
        {str(k): str(v) for k, v in raw_clients.items()} if isinstance(raw_clients, dict) else {}
    )
    if shared(login_name(env)):
        clients[client(env)] = name
    else:
        plain = name
    lines = ["# weekwatch: who is operating (the name actions are recorded under)"]
    if plain:
        lines.append(f"name = {_toml(plain)}")
    if clients:
        lines.append("")
        lines.append("[clients]  # a shared login: the name per address connected from")
        lines += [f"{_toml(k)} = {_toml(v)}" for k, v in sorted(clients.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _toml(text: str) -> str:
    from .config_write import toml_string  # config imports much: at call time

    return toml_string(text)


def workspace_operator(config: Path) -> str | None:
    """`operator = "王敏"` at the top of weekwatch.toml, if set."""
    try:
        doc = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # the config's own loading says what is wrong with it
    name = doc.get("operator")
    if name is not None and not isinstance(name, str):
        raise WeekwatchError(f'{config}: operator must be a name in quotes, like "王敏"')
    return name.strip() if name and name.strip() else None


def resolve(
    flag: str | None, config: Path | None, env: Mapping[str, str] | None = None
) -> Operator:
    """Who is operating (module docstring for the order)."""
    if flag and flag.strip():
        return Operator(flag.strip(), "flag")
    name = remembered(env)
    if name:
        return Operator(name, "remembered")
    name = workspace_operator(config) if config is not None else None
    if name:
        return Operator(name, "workspace")
    login = login_name(env)
    return Operator(login, "login", ask=shared(login))
