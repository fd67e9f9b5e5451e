"""An operator action's command line read without argparse, when it is plain.

A script or cron job records an action per call (`weekwatch note pzy 已电话提醒`), or a hook
takes in what arrived (`weekwatch ingest PATH`), and argparse
with what it loads (gettext, locale, shutil) is a tenth of such a call. A line that names an
action and holds only its positionals and its own options, each spelt in full, is read here
into the very namespace argparse would give (`tests/test_cli_startup.py` compares them line
by line); anything else — help, a mistake, an abbreviated option, an option between
positionals, a value that starts with `-` — returns None and is read by `cli_args.parse`, so
every help text and every error is argparse's, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from argparse import Namespace

#: The top level's options an action line may carry: their dest, and the values they take
#: (None: any value).
_TOP: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "-w": ("workspace", None),
    "--workspace": ("workspace", None),
    "--operator": ("operator", None),
    "--lang": ("lang", ("zh", "en")),
    "--as-of": ("as_of", None),
    "--actions": ("actions", ("until", "all")),
}

#: Each action: its positionals (the last may take one or more: `rest`), its options' dests.
_ACTIONS: dict[str, tuple[tuple[str, ...], bool, dict[str, str], tuple[str, ...]]] = {
    # name: (positionals, last takes several, {option: dest}, required options)
    "note": (("unit", "rest"), True, {}, ()),
    "contact": (("unit", "rest"), True, {"--promised-by": "promised_by"}, ()),
    "excuse": (("unit", "cell"), False, {"--reason": "reason"}, ("--reason",)),
    "extend": (("unit", "cell"), False, {"--until": "until"}, ("--until",)),
    "redo": ((), False, {}, ()),
}


def read_action(words: Sequence[str]) -> Namespace | None:
    """A plain action line's arguments, as argparse's namespace holds them (a
    `SimpleNamespace`: argparse is not imported for it), or None for `cli_args.parse`."""
    values: dict[str, object] = {
        "workspace": None,
        "operator": None,
        "lang": None,
        "read_only": False,
        "as_of": None,
        "actions": None,
    }
    i = 0
    while i < len(words) and words[i].startswith("-"):
        word = words[i]
        if word == "--read-only":
            values["read_only"] = True
            i += 1
            continue
        name, eq, value = word.partition("=")
        if name not in _TOP or (eq and name == "-w"):
            return None
        if not eq:
            if i + 1 >= len(words) or words[i + 1].startswith("-"):
                return None
            value = words[i + 1]
        dest, choices = _TOP[name]
        if choices is not None and value not in choices:
            return None
        values[dest] = value
        i += 2 if not eq else 1
    if i >= len(words):
        return None
    command, rest = words[i], words[i + 1 :]
    if command == "undo":  # [ACTION]
        if len(rest) > 1 or any(w.startswith("-") for w in rest):
            return None
        return _namespace(**values, command=command, action=rest[0] if rest else None)
    if command == "ingest":  # [PATH...], --reread before or after them (a hook's own line)
        paths = list(rest)
        reread = False
        for end in (0, -1):
            if paths and paths[end] == "--reread" and not reread:
                paths.pop(end)
                reread = True
        if any(w.startswith("-") for w in paths):
            return None
        return _namespace(**values, command=command, paths=paths, reread=reread)
    if command not in _ACTIONS:
        return None
    positionals, several, options, required = _ACTIONS[command]
    given: dict[str, str] = {}
    plain: list[str] = []
    # Its options before the positionals or after them, never between: argparse reads those
    # its own way, so they are left to it.
    after = False
    j = 0
    while j < len(rest):
        word = rest[j]
        if not word.startswith("-"):
            if after:
                return None
            plain.append(word)
            j += 1
            continue
        after = bool(plain)
        name, eq, value = word.partition("=")
        if name not in options or name in given:
            return None
        if not eq:
            if j + 1 >= len(rest) or rest[j + 1].startswith("-"):
                return None
            value = rest[j + 1]
        given[name] = value
        j += 1 if eq else 2
    if any(r not in given for r in required):
        return None
    if several:
        if len(plain) < len(positionals):
            return None
        read: dict[str, object] = dict(zip(positionals[:-1], plain, strict=False))
        read[positionals[-1]] = plain[len(positionals) - 1 :]
    else:
        if len(plain) != len(positionals):
            return None
        read = dict(zip(positionals, plain, strict=True))
    for name, dest in options.items():
        read[dest] = given.get(name)
    return _namespace(**values, command=command, **read)


def _namespace(**values: object) -> Namespace:
    # The commands read their arguments as attributes only: a SimpleNamespace serves as
    # argparse's Namespace without importing argparse.
    return cast("Namespace", SimpleNamespace(**values))
