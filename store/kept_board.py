"""The kept board's API for a `Week`: what `status`, `materials --json` and a first paint read.

The files are store/board_cache.py's; this decides what they are valid for and when they are
written. A kept board is keyed by what placing the week depends on, and nothing else:

* the data files — the roster and every materials shard (not the action log, not meta);
* weekwatch.toml and the code that decides (`board_cache.key_of`);
* the decisions that change a placing: assignments and dismissals in force, by path and
  action id (`placing_of`). The kept records (`board.r.NN`, store/kept_rows.py) also print
  each file's lateness against its extended deadline and its recommend mark, so they are
  kept with the extensions and the marks too (`rows_of`, `Keys.extra`).

Excuses, notes and contacts change no placing: a cell's state under them is judged by every
reader at its own moment from the kept arrivals (`rules.judge`), so an operator's `note`,
`excuse` or `contact` from another terminal leaves the kept board current, and `extend` or a
recommend mark leaves the kept cells current. Any other write (an arrival, a version, an
assignment, a dismissal, an undo of either, a roster or config change) makes it stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .atomic import MISSING, Stamp, file_stamp
from .db import FILES
from .ledger import Ledger, fold
from .model import Material, WeekwatchError
from .values import value

# Imported where used (board_cache with the rules, hashlib): `Week` binds these functions as
# its methods, and an operator's one action (`weekwatch note`) loads none of them.
if TYPE_CHECKING:
    from .rules import Arrivals, Board, Cells, KindArrivals, Placed
    from .week import Week

#: The database files a placing is read from: everything but the action log (its decisions
#: are keyed by what they decide, `placing_of`) and meta (bookkeeping no placing reads).
DATA_FILES = tuple(name for name in FILES if name not in ("actions", "meta"))


#: How long a reader waits for a keeper at work (tui/keeper.py) rather than judge the week
#: beside it on the same cores: longer than judging the week takes at 100,000 materials.
READER_WAIT_S = 60.0


@value
class Keys:
    """What kept cells and kept records are valid for, at one look at the database: `cells`
    (made of `base` and each materials shard's stamp) and `rows`."""

    cells: str
    rows: str
    base: str  # what the kept cells can be brought current from, shard by shard
    #: What the printed records depend on beyond the kept cells: the extensions and marks.
    extra: str = ""


def data_stamp(week: Week) -> tuple[Stamp, ...]:
    """The stamps of the data files (`DATA_FILES`): changed by any write of records or units."""
    dbdir = week.store.dbdir
    return tuple(file_stamp(dbdir / f"{name}.json") for name in DATA_FILES)


def written_stamp(week: Week) -> tuple[Stamp, ...]:
    """The stamps of what a write can change that a kept week is judged from: the data files
    and the action log (not meta: bookkeeping). A command that changed them hands on."""
    return (*data_stamp(week), file_stamp(week.store.dbdir / "actions.json"))


def placing_of(ledger: Ledger) -> tuple[tuple[str, str, str], ...]:
    """The decisions in force that change where a file is credited (an action's id names its
    whole content: actions are never edited)."""
    out = [("a", path, a.id) for path, a in ledger.assignments.items()]
    out += [("d", path, a.id) for path, a in ledger.dismissals.items()]
    return tuple(sorted(out))


def rows_of(ledger: Ledger) -> tuple[object, ...]:
    """What else `materials --json`'s records print of the decisions: each credit's lateness
    against an extended deadline, and the recommend marks with their notes."""
    ext = sorted((u, c, t.isoformat()) for (u, c), t in ledger.extensions.items())
    marks = sorted((path, a.id) for path, a in ledger.recommended.items())
    return (placing_of(ledger), tuple(ext), tuple(marks))


def keys_of(week: Week, ledger: Ledger | None = None) -> Keys:
    """The keys of a board judged now with `ledger` (default: every decision recorded)."""
    from . import board_cache

    ledger = fold(week.store.actions()) if ledger is None else ledger
    stamps = data_stamp(week)
    # The roster and the old unsharded file (DATA_FILES' first two), weekwatch.toml, the code.
    base = _sub(board_cache.key_of(stamps[:2], week._config_stamp), "base", placing_of(ledger))
    rows = _sub(board_cache.key_of(stamps, week._config_stamp), "rows", rows_of(ledger))
    return Keys(cells_key(base, stamps[2:]), rows, base, _sub(base, "extra", rows_of(ledger)))


def cells_key(base: str, shard_stamps: Sequence[Stamp]) -> str:
    """The kept cells' key: their base and every materials shard's stamp, in shard order."""
    return _sub(base, "cells", tuple(shard_stamps))


def _sub(base: str, part: str, decided: object) -> str:
    import hashlib

    return hashlib.sha256(repr((base, part, decided)).encode()).hexdigest()


def _key_for(base: str) -> Callable[[Mapping[str, Stamp]], str]:
    from .kept_parts import SHARD_NAMES

    return lambda stamps: cells_key(base, [stamps[n] for n in SHARD_NAMES])


def cache_key(week: Week) -> str:
    """The kept cells' key now: take it before reading the materials, hand it to `keep`."""
    return keys_of(week).cells


def rows_key(week: Week) -> str:
    """What `materials --json`'s records are made of now (any write that may change them
    changes it): the data files, weekwatch.toml, the code, the decisions they print."""
    return keys_of(week).rows


def kept_cells(
    week: Week,
    now: dt.datetime,
    actions: str | None = None,
    key: str | None = None,
    *,
    bring: bool = True,
) -> Cells | None:
    """Every cell at `now` from the kept board, or None when it cannot serve that moment
    (stale, absent, damaged, or `now` before the newest arrival or a decision): then the
    caller judges the week (`Week.board`, `Week.cells`). Kept cells another process's write
    made stale are brought current first (`bring_current`), unless `bring` is False (a
    read-only dashboard writes nothing, not even derived data)."""
    from . import board_cache, kept_judged, kept_parts
    from .rules import Cells, judge

    acts = week.store.actions()
    every = (actions or week.actions) == "all"
    if not board_cache.usable(None, acts, now, every):
        return None  # a decision after the moment: the board as it was then, judged afresh
    ledger = fold(acts)  # every decision: the same as those until `now`, as all came by then
    keys = keys_of(week, ledger)
    key = key or keys.cells
    dbdir = week.store.dbdir
    units = week.units()
    ids = [u.id for u in units]
    mark = kept_judged.mark_of(ledger)
    # The states as judged for a span holding `now` (store/kept_judged.py); after another
    # process's arrival, brought current with the kept cells (only the units it touched).
    judged = kept_judged.read(dbdir, key, mark, now, week.event.columns, ids)
    brought = False
    if judged is None and bring and key == keys.cells and _stale(dbdir, key):
        brought = bring_current(week, keys, ledger)
        if brought:
            judged = kept_judged.read(dbdir, key, mark, now, week.event.columns, ids)
    if judged is not None:
        return Cells(week.event, units, now, judged)
    kept = kept_parts.read_cells(dbdir, key)
    if kept is None and bring and not brought and key == keys.cells:
        if bring_current(week, keys, ledger):
            kept = kept_parts.read_cells(dbdir, keys_of(week, ledger).cells)
    if kept is None or not board_cache.usable(kept.newest, acts, now, every):
        return None
    cells = judge(week.event, units, kept.times, kept.kinds, ledger, now)
    if bring and key == keys.cells:
        kept_judged.write(dbdir, key, mark, week.event, ledger, now, cells, ids)
    return Cells(week.event, units, now, cells)


def _stale(dbdir: Path, key: str) -> bool:
    """Whether the kept cells are not `key`'s (another process wrote since they were kept)."""
    from . import kept_parts

    head = kept_parts.read_head(dbdir)
    return head is None or head.key != key


def bring_current(week: Week, keys: Keys, ledger: Ledger) -> bool:
    """Bring stale kept cells current by placing again only the units that another process's
    writes touched (store/kept_parts.py), under the keeping lock (a keeper already at it is
    waited for, then finds them current). False: the whole week is to be judged."""
    from . import kept_parts

    if file_stamp(week.store.dbdir / f"{DATA_FILES[1]}.json") != MISSING:
        return False  # records still in the old unsharded file: not kept in parts
    head = kept_parts.read_head(week.store.dbdir)
    if head is None or head.base != keys.base:
        return False  # nothing it can be brought current from: the whole week is judged
    with kept_parts.locked(week.store.dbdir) as ok:
        if not ok:
            return False
        try:
            done = kept_parts.update(
                week.store.dbdir,
                week.event,
                keys.base,
                _key_for(keys.base),
                ledger,
                verify=False,
                roster=week.units(),
                extra=keys.extra,
            )
        except (OSError, WeekwatchError):
            return False  # a shard unreadable now: the caller's judging says why
    return done is not None


def cells(week: Week, now: dt.datetime | None = None, actions: str | None = None) -> Cells:
    """Every cell at `now`, the same as `week.board(now, actions).cells`: from the kept board
    when it is current for that moment, else from the whole week (and kept again)."""
    from . import kept_parts
    from .rules import board

    now = now or week.clock()
    key = cache_key(week)
    kept = kept_cells(week, now, actions, key)
    if kept is None and kept_parts.wait_for_keeper(week.store.dbdir, READER_WAIT_S):
        key = cache_key(week)  # a keeper was judging the week: what it kept serves, likely
        kept = kept_cells(week, now, actions, key)
    if kept is not None:
        return kept
    ledger = week.ledger_at(now, actions)
    materials = week.store.materials()
    b = board(week.event, week.units(), materials, ledger, now)
    if keep(week, b, key, materials, ledger):
        from . import kept_judged

        ids = [u.id for u in b.units]
        kept_judged.write(
            week.store.dbdir,
            key,
            kept_judged.mark_of(ledger),
            week.event,
            ledger,
            now,
            b.cells,
            ids,
        )
    return b


def keep(
    week: Week, judged: Board, key: str, materials: Sequence[Material], ledger: Ledger
) -> bool:
    """Keep a board for other processes' readers if it can serve them: `key` (`cache_key`,
    taken before `materials` were read) is still the database's, every material had arrived by
    the board's moment and `ledger` held every decision. Returns whether it was kept."""
    from . import board_cache
    from .rules import arrivals

    latest = board_cache.newest(materials)
    acts = week.store.actions()
    if latest is not None and latest > judged.now:
        return False  # files stamped after the moment: this board is not the whole week's
    if not board_cache.kept_ledger_matches(ledger, acts) or key != cache_key(week):
        return False  # another decision, or another process wrote since the key was taken
    return _keep_parts(week, key, materials, ledger, lambda: arrivals(judged.placed), latest)


def _keep_parts(
    week: Week,
    key: str,
    materials: Sequence[Material],
    ledger: Ledger,
    placed_arrivals: Callable[[], tuple[Arrivals, KindArrivals]],
    latest: dt.datetime | None,
    lines: tuple[list[bytes], list[int]] | None = None,
) -> bool:
    """Keep the cells of the whole week judged from `materials` (read after `key` was taken):
    brought current shard by shard when the kept parts allow (cheaper than writing them all),
    else written whole; and, given the whole week's printed records (`kept_rows.encoded`:
    every material, every decision), those."""
    from . import kept_parts, kept_rows

    keys = keys_of(week, ledger)
    if keys.cells != key:
        return False
    dbdir = week.store.dbdir
    if file_stamp(dbdir / f"{DATA_FILES[1]}.json") != MISSING:
        return False  # records still in the old unsharded file: not kept in parts
    with kept_parts.locked(dbdir) as ok:
        if not ok:
            return False
        try:
            done = kept_parts.update(
                dbdir,
                week.event,
                keys.base,
                _key_for(keys.base),
                ledger,
                roster=week.units(),
                extra=keys.extra,
            ) is not None or kept_parts.write_whole(
                dbdir,
                _key_for(keys.base),
                key,
                keys.base,
                materials,
                placed_arrivals(),
                latest,
                ledger,
            )
            if done and lines is not None:
                bodies = kept_rows.bodies(*lines)
                return kept_parts.write_rows(dbdir, key, keys.extra, bodies)
            return done
        except (OSError, WeekwatchError):
            return False


def print_material_rows(week: Week, out: BinaryIO, waiting_only: bool = False) -> None:
    """`materials --json` on a binary stream: the kept records merged from their parts as they
    are on disk when current (never all in memory), else placed afresh, printed and kept."""
    from . import kept_parts, kept_rows
    from .rules import place

    dbdir = week.store.dbdir
    if print_kept_rows(week, out, waiting_only):
        return
    # Another process's arrival: brought current with the cells, only where it touched.
    ledger = fold(week.store.actions())
    if bring_current(week, keys_of(week, ledger), ledger) and print_kept_rows(
        week, out, waiting_only
    ):
        return
    # A keeper placing them now (a decision, a first keep): wait for it, not place them too.
    if kept_parts.wait_for_keeper(dbdir, READER_WAIT_S, kept_parts.ROWS_LOCK):
        if print_kept_rows(week, out, waiting_only):
            return
    ledger = fold(week.store.actions())
    keys = keys_of(week, ledger)
    materials = week.store.materials()
    placed = place(week.event, materials, ledger, roster=week.units())
    lines, homes = kept_rows.encoded(placed, ledger)
    kept_rows.print_lines(out, lines, waiting_only)
    out.flush()
    _keep_placed(week, keys, materials, ledger, placed, (lines, homes))


def print_kept_rows(week: Week, out: BinaryIO, waiting_only: bool = False) -> bool:
    """Print the kept records, merged from their parts, if they are current and whole
    (checked before anything is printed); whether it printed."""
    from . import kept_parts, kept_rows

    dbdir = week.store.dbdir
    head = kept_parts.read_head(dbdir)
    if head is None or head.rows is None:
        return False
    keys = keys_of(week)
    if head.key != keys.cells or head.rows != keys.extra:
        return False
    names = [kept_parts.part_name(kept_rows.KIND, n) for n in range(len(kept_parts.SHARD_NAMES))]
    return kept_rows.print_kept(dbdir, names, head.parts, out, waiting_only)


def _keep_placed(
    week: Week,
    keys: Keys,
    materials: Sequence[Material],
    ledger: Ledger,
    placed: list[Placed],
    lines: tuple[list[bytes], list[int]] | None = None,
) -> bool:
    """Keep the cells and the records of the whole week placed (`placed`, from `materials`
    read after `keys` were taken; `lines`, if already encoded), unless another process wrote
    meanwhile."""
    from . import board_cache, kept_rows
    from .rules import arrivals

    if keys != keys_of(week):
        return False
    latest = board_cache.newest(materials)
    encoded = lines or kept_rows.encoded(placed, ledger)
    return _keep_parts(
        week, keys.cells, materials, ledger, lambda: arrivals(placed), latest, encoded
    )


def keep_rows(week: Week) -> bool:
    """Bring the kept records current (with the cells, only where another process's write
    touched, when it can; else the whole week placed): what a keeper does after the cells."""
    from . import kept_parts
    from .rules import place

    ledger = fold(week.store.actions())
    keys = keys_of(week, ledger)
    head = kept_parts.read_head(week.store.dbdir)
    if head is not None and (head.key, head.rows) == (keys.cells, keys.extra):
        return True
    if bring_current(week, keys, ledger):
        head = kept_parts.read_head(week.store.dbdir)
        keys = keys_of(week, ledger)
        if head is not None and (head.key, head.rows) == (keys.cells, keys.extra):
            return True
    materials = week.store.materials()
    placed = place(week.event, materials, ledger, roster=week.units())
    return _keep_placed(week, keys, materials, ledger, placed)


def material_rows(week: Week, waiting_only: bool = False) -> bytes:
    """`materials --json`'s records (every material, every decision), one a line, each but the
    last followed by `,`: what `print_material_rows` prints inside its brackets."""
    import io

    buf = io.BytesIO()
    print_material_rows(week, buf, waiting_only)
    printed = buf.getvalue()
    return b"" if printed == b"[]\n" else printed[2:-2]
