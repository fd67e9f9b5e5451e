"""The board feed: judging requests in, boards out, one judgement at a time. No Textual.

Arrivals, actions, other processes' writes and deadline ticks all ask for the board to be
judged again. While one judgement runs, further requests coalesce into a single next one
(whole, if any request wanted the whole board; else the union of the units asked for), so a
burst of 500 arrivals costs two judgements, not 500. A board is applied only if it is newer
than the last one applied. Units "hushed" (files that came while nothing watched) are shown
in the next board but not announced cell by cell.

The screen owns the worker that judges; this object only decides what to judge and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """One judgement to run: the whole board (`units` None) or only these units' cells."""

    seq: int
    units: frozenset[str] | None


@dataclass(frozen=True)
class Outcome:
    """What to do with a finished job: apply its board? announce which units quietly? next?"""

    apply: bool
    quiet: frozenset[str]
    next: Job | None


class BoardFeed:
    """Coalesces judging requests; orders the boards that come back."""

    def __init__(self) -> None:
        self._busy = False
        self._wanted = False
        self._want_full = False
        self._want_units: set[str] = set()
        self._seq = 0  # the last job handed out
        self._applied = 0  # the last job whose board was applied
        self._quiet: set[str] = set()
        self._quiet_until = 0

    @property
    def busy(self) -> bool:
        """A judgement is running."""
        return self._busy

    @property
    def applied(self) -> int:
        """The sequence number of the last board applied (0: none yet)."""
        return self._applied

    def request(self, units: Iterable[str] | None = None) -> Job | None:
        """Ask for a judgement (of `units` only, if given). Returns a job to start, or None
        if one is running: the request then waits, merged with any others, for it to end."""
        if units is None:
            self._want_full = True
        else:
            self._want_units.update(units)
        self._wanted = True
        return None if self._busy else self._next()

    def hush(self, units: Iterable[str]) -> None:
        """Show these units' changes without announcing them, up to the next job's board."""
        self._quiet.update(units)
        self._quiet_until = self._seq + 1

    def finished(self, seq: int, *, ok: bool = True) -> Outcome:
        """A job ended (`ok` False: it failed or was cancelled). Says whether to apply its
        board, which units to keep quiet, and the next job to start, if requests waited."""
        self._busy = False
        apply = ok and seq >= self._applied
        quiet = frozenset(self._quiet)
        if apply:
            self._applied = seq
            if seq >= self._quiet_until:
                self._quiet.clear()
        return Outcome(apply, quiet, self._next() if self._wanted else None)

    def _next(self) -> Job:
        # The first board is always whole: there is nothing to carry other units over from.
        whole = self._want_full or self._applied == 0
        units = None if whole else frozenset(self._want_units)
        self._wanted, self._want_full, self._want_units = False, False, set()
        self._busy = True
        self._seq += 1
        return Job(self._seq, units)
