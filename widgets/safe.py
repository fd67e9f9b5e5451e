"""Untrusted text (file and unit names, reasons) made safe to show: no markup, no controls."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 and C1 controls, DEL, and the bidi marks, embeddings, overrides and isolates that would
# reorder what follows them on screen.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _spell(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_str(s: object) -> str:
    """The text with every control and bidi-control character spelled out (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_spell, str(s))


def safe_text(s: object, style: str = "") -> Text:
    """A rich Text that shows `s` literally: markup is not parsed, controls are spelled out."""
    # Imported here: the headless commands print safe_str only, and Rich costs their start.
    from rich.text import Text

    return Text(safe_str(s), style=style, no_wrap=False)
