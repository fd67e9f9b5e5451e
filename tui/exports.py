"""What the dashboard's export dialog can write: a small registry of export kinds. No Textual.

Each kind names its formats and its options (a field the dialog shows, or a choice among
values) and writes its file through the same code as the command line, so a file exported
from the dashboard is the file `weekwatch report …` would write, under the same dated name in
the workspace's reports/. Another kind (the submission pack, say) registers itself with
`register` and appears in the dialog with its own options.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from weekwatch.store.week import Week

#: A format's file name ending.
EXTENSIONS = {"text": "txt", "md": "md", "csv": "csv", "xlsx": "xlsx", "json": "json"}


@dataclass(frozen=True)
class ExportOption:
    """One setting of an export kind: free text (`choices` empty) or one of `choices`.

    `label` and each choice are message keys (tui/i18n.py); an empty value means the
    kind's default (the current column, today)."""

    name: str
    label: str
    choices: tuple[str, ...] = ()
    default: str = ""
    required: bool = False  # the dialog will not write while it is empty


@dataclass(frozen=True)
class ExportRequest:
    """What the operator chose: the kind's format, its options, the language of the labels."""

    format: str
    options: Mapping[str, str]
    lang: str


@dataclass(frozen=True)
class ExportKind:
    id: str
    label: str  # a message key
    formats: tuple[str, ...]
    #: Writes the file (in a worker thread) and returns its path; raises WeekwatchError or
    #: OSError with a message the operator can act on.
    write: Callable[[Week, ExportRequest], Path]
    #: Where the file will go, shown before it is written.
    path: Callable[[Week, ExportRequest], Path]
    options: tuple[ExportOption, ...] = ()


EXPORTS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    """Offer `kind` in the export dialog (in the order registered)."""
    EXPORTS[kind.id] = kind
    return kind


def _report_path(report: str) -> Callable[[Week, ExportRequest], Path]:
    def path(week: Week, req: ExportRequest) -> Path:
        from .report_cli import report_path

        return report_path(week, report, week.clock(), EXTENSIONS[req.format])

    return path


def _report_write(report: str, actions: str) -> Callable[[Week, ExportRequest], Path]:
    def write(week: Week, req: ExportRequest) -> Path:
        from .report_cli import write_report

        target = _report_path(report)(week, req)
        target.parent.mkdir(parents=True, exist_ok=True)
        template = req.options.get("template", "").strip()
        if template:  # typed relative to the workspace, where the dashboard works
            template = str(week.workspace.root / Path(template).expanduser())
        args = argparse.Namespace(
            report=report,
            format=req.format,
            output=str(target),
            lang=req.lang,
            as_of=None,  # the app's clock: in as-of mode the week's clock stands at that moment
            # The command line's default for this report, unless the dashboard was opened
            # with every later decision applied.
            actions="all" if week.actions == "all" else actions,
            cell=req.options.get("cell", "").strip() or None,
            date=req.options.get("date", "").strip() or None,
            template=template or None,
        )
        written = write_report(week, args)
        return written if isinstance(written, Path) else target

    return write


def report_kind(
    report: str, options: tuple[ExportOption, ...] = (), actions: str = "until"
) -> ExportKind:
    """One of `weekwatch report`'s reports as an export kind (`actions`: its default)."""
    return ExportKind(
        report,
        f"export.{report}",
        tuple(EXTENSIONS),
        _report_write(report, actions),
        _report_path(report),
        options,
    )


register(report_kind("calls", (ExportOption("cell", "export.cell"),)))
register(report_kind("day", (ExportOption("date", "export.date"),)))
register(report_kind("stats", actions="all"))
register(report_kind("actions"))
register(
    report_kind("consolidate", (ExportOption("template", "export.template", required=True),), "all")
)


def _pack_write(week: Week, req: ExportRequest) -> Path:
    from .pack_cli import export_pack

    return export_pack(week, req.options, req.lang)


def _pack_path(week: Week, _req: ExportRequest) -> Path:
    from .pack_cli import export_path

    return export_path(week)


#: The week's materials for the level above (tui/pack_cli.py): all of them, the recommended
#: only, the focused unit's or the focused day's; names in UTF-8 or GBK.
register(
    ExportKind(
        "pack",
        "export.pack",
        ("zip",),
        _pack_write,
        _pack_path,
        (
            ExportOption(
                "scope",
                "export.pack.scope",
                ("pack.all", "pack.recommended", "pack.unit", "pack.day"),
                "pack.all",
            ),
            ExportOption("unit", "export.pack.unit"),
            ExportOption("day", "export.pack.day"),
            ExportOption("names", "export.pack.names", ("names.utf8", "names.gbk"), "names.utf8"),
        ),
    )
)
