"""`weekwatch report pack`: the week's materials for the level above, as one zip.

What goes in and where is store/pack.py (the choice, the layout, the streaming writer); this
module reads the options, gives the labels in the operator's language, shows a progress bar
on a terminal and prints the path."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from weekwatch.store import vocab
from weekwatch.store.model import KINDS, WeekwatchError
from weekwatch.store.pack import Choice, Item, Labels, lay_out, refuse_inside, select
from weekwatch.store.pack import write_pack as write_zip
from weekwatch.store.week import Week

#: Short kind labels for file names (the i18n ones are phrased for sentences).
KIND_LABELS = {
    "plan": ("活动方案", "plan"),
    "info_form": ("信息采集表", "info-form"),
    "column_link": ("专栏链接", "column-link"),
    "case": ("典型案例", "case"),
    "story": ("职教故事", "story"),
    "report": ("报道", "report"),
    "photo": ("照片", "photo"),
    "video": ("视频", "video"),
    "summary": ("总结", "summary"),
    "statistics": ("统计表", "statistics"),
}


def _l(lang: str, pair: tuple[str, str]) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _list(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").replace("，", ",").split(",") if x.strip()]


def choice_of(week: Week, args: argparse.Namespace) -> Choice:
    """The options as a `Choice`; units and cells read as everywhere else (store/vocab.py)."""
    kinds: set[str] = set()
    for k in _list(args.kinds):
        try:  # as `assign --kind` reads it: 照片, 視頻 in traditional characters, photo
            kinds.add(vocab.parse_kind(k))
        except WeekwatchError:
            raise WeekwatchError(
                f"--kinds: unknown kind {k!r}; the kinds are {', '.join(KINDS)}"
            ) from None
    units = {u.id for u in vocab.find_units(week.units(), args.units)} if args.units else set()
    cells = set(vocab.parse_cells(args.cells, week.event, week.clock())) if args.cells else set()
    return Choice(
        recommended_only=args.recommended,
        kinds=frozenset(kinds) or None,
        units=frozenset(units) or None,
        cells=frozenset(cells) or None,
        include_late=args.late,
    )


def labels_of(week: Week, lang: str) -> Labels:
    ev = week.event

    def column(col: str) -> str:
        if col in ("plan", "summary"):
            return {"plan": ("方案", "plan"), "summary": ("总结", "summary")}[col][
                0 if lang == "zh" else 1
            ]
        theme = ev.day_theme(dt.date.fromisoformat(col))
        return f"{col[5:7]}-{col[8:10]}" + (f" {theme}" if theme else "")

    def kind(k: str) -> str:
        return _l(lang, KIND_LABELS.get(k, (k, k)))

    return Labels(
        units={u.id: u.name for u in week.units()},
        column=column,
        kind=kind,
        recommended=_l(lang, ("推荐", "recommended")),
        index=_l(lang, ("目录.xlsx", "index.xlsx")),
    )


def target_of(week: Week, output: str | None, when: dt.datetime) -> Path:
    name = f"pack-{when:%Y%m%d-%H%M}.zip"
    if not output:
        return week.workspace.root / "reports" / name
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", "\\")):
        return path / name
    return path


def pack(
    week: Week,
    choice: Choice,
    target: Path,
    *,
    names: str = "utf8",
    lang: str = "zh",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, list[Item], Any]:
    """Choose, lay out and write the pack; what the dashboard's export dialog calls too."""
    from .pack_index import rows, write_index

    refuse_inside(target, week.workspace.inbox)
    ev = week.event
    labels = labels_of(week, lang)
    items = lay_out(select(week.placed(), week.ledger(), choice), labels, choice)
    if not any(it.member for it in items):
        raise WeekwatchError("no material matches: the pack would be empty")
    when = week.clock().astimezone(ev.tz)
    title = f"{ev.title} · {_l(lang, ('材料目录', 'materials'))} · {when:%Y-%m-%d %H:%M}"
    units = dict(labels.units)

    def index(written: list[Any], path: Path) -> None:
        table = rows(written, lang, units, labels.column, labels.kind, ev.tz)
        write_index(path, title, lang, table)

    result = write_zip(
        target,
        week.workspace.inbox,
        items,
        names=names,
        tz=ev.tz,
        index=index,
        index_name=labels.index,
        progress=progress,
    )
    return target, items, result


def run_pack(week: Week, args: argparse.Namespace) -> int:
    choice = choice_of(week, args)
    when = week.clock().astimezone(week.event.tz)
    target = target_of(week, args.output, when)
    refuse_inside(target, week.workspace.inbox)
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(_l(args.lang, ("打包", "packing")), total=None)

            def progress(done: int, total: int) -> None:
                # Every file copied: the index is written next (the last seconds of a big pack).
                last = _l(args.lang, ("写入目录", "writing the index")) if done >= total else None
                bar.update(task, completed=done, total=total, description=last)

            _, items, result = pack(
                week, choice, target, names=args.names, lang=args.lang, progress=progress
            )
    else:
        _, items, result = pack(week, choice, target, names=args.names, lang=args.lang)
    left = sum(1 for it in items if it.member is None)
    fallen = sum(1 for w in result.written if w.encoding.startswith("utf-8 ("))
    problems = [w for w in result.written if w.problem]
    from .i18n_done import done

    summary = done("pack.files", args.lang, n=result.files)
    if left:
        summary += done("pack.left", args.lang, n=left)
    if fallen:
        summary += done("pack.gbk", args.lang, n=fallen)
    print(f"weekwatch: {summary}", file=sys.stderr)
    for w in problems[:10]:
        from weekwatch.store.ingest import display_path
        from weekwatch.widgets.safe import safe_str

        shown = safe_str(display_path(w.item.placed.material.path))
        print(f"weekwatch: warning: {shown}: {w.problem}", file=sys.stderr)
    print(target)
    return 0


# --- the dashboard's export dialog (tui/exports.py registers the pack) -----------------------

#: The dialog's choices of what goes in (message keys, tui/i18n.py).
SCOPES = ("pack.all", "pack.recommended", "pack.unit", "pack.day")


def export_path(week: Week) -> Path:
    """Where the dialog's pack goes: reports/, the command line's dated name."""
    return target_of(week, None, week.clock().astimezone(week.event.tz))


def export_pack(week: Week, options: Mapping[str, str], lang: str) -> Path:
    """The pack the export dialog asks for: all, the recommended only, one unit or one day
    (the unit and day fields hold the dashboard's focus when it opens)."""
    from weekwatch.store import vocab

    scope = options.get("scope") or SCOPES[0]
    unit, day = options.get("unit", "").strip(), options.get("day", "").strip()
    choice = Choice(recommended_only=scope == "pack.recommended")
    if scope == "pack.unit":
        choice = Choice(units=frozenset({vocab.find_unit(week.units(), unit).id}))
    elif scope == "pack.day":
        choice = Choice(cells=frozenset({vocab.parse_cell(day, week.event, week.clock())}))
    target = export_path(week)
    names = (options.get("names") or "names.utf8").removeprefix("names.")
    pack(week, choice, target, names=names, lang=lang)
    return target
