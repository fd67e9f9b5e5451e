"""`weekwatch report consolidate --template FILE`: the 情况统计表 rolled up, a row per roster unit.

Each unit's figures come from its latest counted statistics material (kind `statistics`, the
summary column) at the board's moment — a plain file, an e-mail's attachment or a zip's member,
read by store/contents.py without changing anything in the inbox — matched against the template
by store/consolidate.py. Pure apart from the `read` function the caller passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .consolidate import SUFFIXES, Figures, Problem, Template, read_figures
from .contents import Unreadable
from .model import SUMMARY, Kind, Material
from .rules import Board, Placed


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    name: str
    file: str | None  # the material's path under inbox/
    received_at: dt.datetime | None
    figures: Figures


@dataclass(frozen=True)
class Consolidated:
    template: Template
    units: tuple[UnitFigures, ...]
    totals: dict[str, float | int]  # per field: the sum of the values counted

    @property
    def reported(self) -> int:
        return sum(1 for u in self.units if u.file is not None)

    @property
    def with_problems(self) -> int:
        """Units that sent a file whose figures have a problem."""
        return sum(1 for u in self.units if u.file is not None and _real(u.figures.problems))


def _real(problems: tuple[Problem, ...]) -> bool:
    # Rows summed is said, not wrong.
    return any(p.code != "summed" for p in problems)


def statistics_files(board: Board) -> dict[str, list[Placed]]:
    """Each unit's counted statistics materials by the board's moment, latest first (one pass
    over the board: a province's roster would otherwise cost units × materials)."""
    out: dict[str, list[Placed]] = {}
    for p in board.placed:
        if p.kind != Kind.STATISTICS or p.superseded or p.judged_at > board.now:
            continue
        for unit in {c.unit for c in p.credits if c.cell == SUMMARY and c.duplicate_of is None}:
            out.setdefault(unit, []).append(p)
    for found in out.values():
        found.sort(key=lambda p: (p.judged_at, p.material.path), reverse=True)
    return out


def consolidate(
    board: Board, template: Template, read: Callable[[Material], bytes]
) -> Consolidated:
    rows: list[UnitFigures] = []
    by_unit = statistics_files(board)
    for u in board.units:
        files = by_unit.get(u.id, [])
        # The latest spreadsheet counts; a later .pdf or photo of the form is no figures.
        sheet = next((p for p in files if _is_sheet(p.material.path)), None)
        if sheet is None:
            if files:
                p = files[0]
                fig = Figures(
                    dict.fromkeys(template.fields),
                    (Problem("not_spreadsheet", {"file": p.material.path}),),
                )
                rows.append(UnitFigures(u.id, u.name, p.material.path, p.judged_at, fig))
            else:
                fig = Figures(dict.fromkeys(template.fields), (Problem("no_file"),))
                rows.append(UnitFigures(u.id, u.name, None, None, fig))
            continue
        m = sheet.material
        try:
            fig = read_figures(m.path, read(m), template)
        except Unreadable as e:
            code = "changed" if e.code == "changed" else "unreadable"
            args: dict[str, object] = {"file": m.path}
            if code == "unreadable":
                args["detail"] = e.detail or e.code
            fig = Figures(dict.fromkeys(template.fields), (Problem(code, args),))
        rows.append(UnitFigures(u.id, u.name, m.path, sheet.judged_at, fig))
    totals: dict[str, float | int] = {}
    for f in template.fields:
        totals[f] = sum(v for r in rows if (v := r.figures.counted(f)) is not None)
    return Consolidated(template, tuple(rows), totals)


def _is_sheet(path: str) -> bool:
    return path.rsplit("/", 1)[-1].casefold().endswith(SUFFIXES)


def consolidated_json(board: Board, c: Consolidated, actions: str) -> dict[str, Any]:
    tz = board.event.tz
    return {
        "as_of": board.now.astimezone(tz).isoformat(),
        "actions": actions,
        "template": c.template.path,
        "fields": list(c.template.fields),
        "units": [
            {
                "id": r.unit,
                "name": r.name,
                "file": r.file,
                "received_at": r.received_at.astimezone(tz).isoformat() if r.received_at else None,
                "values": r.figures.values,
                "problems": [p.json() for p in r.figures.problems],
            }
            for r in c.units
        ],
        "totals": {
            "values": c.totals,
            "units": len(c.units),
            "reported": c.reported,
            "with_problems": c.with_problems,
        },
    }
