"""`report consolidate`'s table: a row per unit with the template's fields, a totals row, and a
status column naming every problem in the operator's language (the codes: store/consolidate.py)."""

from __future__ import annotations

from decimal import Decimal

from weekwatch.store.consolidate import Problem
from weekwatch.store.report_consolidate import Consolidated

from .report_formats import Cell

_TEXT = {
    "no_file": ("未报送统计表", "no statistics file"),
    "not_spreadsheet": ("不是表格文件（{file}）", "not a spreadsheet ({file})"),
    "unreadable": ("无法读取（{detail}）", "cannot be read ({detail})"),
    "changed": ("文件已改变，请先 ingest", "changed since read; run ingest"),
    "no_match": ("与模板不符：找不到模板的栏目", "does not match the template: none of its labels"),
    "missing": ("缺少栏目：{labels}", "labels missing: {labels}"),
    "empty": ("“{label}”未填", "'{label}' left blank"),
    "blank": ("表中未填数字", "nothing filled in"),
    "not_number": ("“{label}”不是数字：“{text}”", "'{label}' is not a number: '{text}'"),
    "negative": (
        "“{label}”为负数（{value}），未计入合计",
        "'{label}' is negative ({value}), not in the totals",
    ),
    "summed": ("{rows}行相加（无合计行）", "{rows} rows added up (no total row)"),
}


def problem_text(p: Problem, lang: str) -> str:
    zh = lang == "zh"
    args = dict(p.args)
    labels = args.get("labels")
    if isinstance(labels, list):
        args["labels"] = ("、" if zh else ", ").join(str(x) for x in labels)
    if "file" in args:
        args["file"] = str(args["file"]).rsplit("/", 1)[-1]
    return _TEXT[p.code][0 if zh else 1].format(**args)


def status_text(problems: tuple[Problem, ...], lang: str) -> str:
    if not problems:
        return "正常" if lang == "zh" else "ok"
    return ("；" if lang == "zh" else "; ").join(problem_text(p, lang) for p in problems)


def consolidated_table(c: Consolidated, lang: str) -> tuple[list[str], list[list[Cell]]]:
    zh = lang == "zh"
    headers = ["单位" if zh else "Unit", *c.template.fields]
    headers += ["文件" if zh else "File", "状态" if zh else "Status"]
    rows: list[list[Cell]] = []
    for u in c.units:
        rows.append(
            [u.name, *(_figure(u.figures.values[f]) for f in c.template.fields)]
            + [u.file or "", status_text(u.figures.problems, lang)]
        )
    n, sent, bad = len(c.units), c.reported, c.with_problems
    summary = (
        f"{sent}/{n} 个单位已报送，其中 {bad} 个有问题"
        if zh
        else f"{sent} of {n} units sent, {bad} of them with problems"
    )
    rows.append(
        ["合计" if zh else "Total", *(_figure(c.totals[f]) for f in c.template.fields), "", summary]
    )
    return headers, rows


def _figure(v: float | int | None) -> Cell:
    # A float cell means a share in the report tables: a figure with decimals is a Decimal.
    if isinstance(v, float):
        return int(v) if v.is_integer() else Decimal(repr(round(v, 6))).normalize()
    return v
