"""The command line in the workspace's language: each problem one line in zh and in en, exit 2.

Each row is a mistake an operator makes on the dashboard's week (tests/conftest.py `week_ws`),
run as `weekwatch` runs (`main`, in this process), once with `--lang en` and once with
`--lang zh`; a workspace whose weekwatch.toml says `lang = "zh"` speaks Chinese unasked.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from weekwatch.fixtures.testweek import NOW, clock_at, drop
from weekwatch.store.model import WeekwatchError
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import main
from weekwatch.tui.i18n import I18n
from weekwatch.tui.i18n_cli import CLI, said

Q = "不知道是谁的照片.jpg"  # the week's quarantined file

#: (what is done first, the command line, its line in English, its line in Chinese)
ROWS = [
    (
        None,
        ["note", "nobody", "called"],
        "no unit 'nobody' (by id, name or alias; see `weekwatch units list`)",
        "名单中没有“nobody”（编号、名称或简称）",
    ),
    (None, ["note", "pzy", "  "], "a note needs some text", "备注不能为空"),
    (
        None,
        ["excuse", "pzy", "bogus", "--reason", "停电"],
        "no column 'bogus'; use plan, summary, today, 05-12, 1–7",
        "没有“bogus”这一列；可输入 方案、总结、今天、05-12、1–7",
    ),
    (
        None,
        ["excuse", "pzy", "plan", "--reason", " "],
        "an excuse needs a reason",
        "免责要写明理由",
    ),
    (
        None,
        ["extend", "pzy", "plan", "--until", "bogus"],
        "--until: 'bogus' is not a date and time; write it like 15:00, today 17:30, "
        "05-12 12:00, 2024-05-12 下班前",
        "--until：“bogus”不是日期时间；可写成 15:00、今天 17:30、05-12 12:00、2024-05-12 下班前",
    ),
    (
        None,
        ["contact", "pzy", "答应补交", "--promised-by", "bogus"],
        "--promised-by: 'bogus' is not a date and time; write it like 15:00, today 17:30, "
        "05-12 12:00, 2024-05-12 下班前",
        "--promised-by：“bogus”不是日期时间；可写成 15:00、今天 17:30、05-12 12:00、"
        "2024-05-12 下班前",
    ),
    (
        None,
        ["assign", Q, "--unit", "pzy", "--kind", "相片"],
        "--kind: no kind '相片'; one of plan, info_form, column_link, case, story, report, "
        "photo, video, summary, statistics",
        "--kind：没有“相片”这种类型；可选：活动方案、信息采集表、宣传专栏链接、典型案例、职教故事、"
        "报道、照片、视频、总结、情况统计表",
    ),
    (
        None,
        ["assign", "nothere.docx", "--unit", "pzy"],
        "no material at 'nothere.docx' (see `weekwatch materials`)",
        "“nothere.docx”没有对应的材料（见 weekwatch materials）",
    ),
    (
        None,
        ["assign", "/etc/passwd", "--unit", "pzy"],
        "'/etc/passwd' is not inside the inbox {inbox}",
        "“/etc/passwd”不在收件夹 {inbox} 内",
    ),
    (
        None,
        ["assign", Q],
        f"{Q}: say which unit it belongs to (--unit)",
        f"{Q}：请用 --unit 说明它属于哪个单位",
    ),
    (
        None,
        ["assign", Q, "--unit", "pzy", "--unit", "平职院"],
        "a unit or a cell is named twice",
        "同一个单位或同一列写了两次",
    ),
    (
        None,
        ["assign", Q, "--received", "2024-05-14 10:00"],
        "a corrected arrival time needs a reason (--reason)",
        "更正到达时间要写明理由（--reason）",
    ),
    (
        None,
        ["dismiss", Q, "--reason", ""],
        "a dismissal needs a reason (--reason)",
        "剔除要写明理由（--reason）",
    ),
    (
        ["dismiss", Q, "--reason", "重复"],
        ["dismiss", Q, "--reason", "重复"],
        f"{Q} is already dismissed",
        f"{Q} 已经剔除",
    ),
    (
        None,
        ["ingest", "/etc/passwd"],
        "/etc/passwd: not inside the inbox ({inbox}); weekwatch takes in only what lies there",
        "/etc/passwd：不在收件夹（{inbox}）内；weekwatch 只收录收件夹里的文件",
    ),
    (
        None,
        ["ingest", "{inbox}/舞钢市/没有这个.docx"],
        "舞钢市/没有这个.docx: no such file or folder in the inbox",
        "舞钢市/没有这个.docx：收件夹里没有这个文件或文件夹",
    ),
    (None, ["undo"], "nothing to undo", "没有可撤销的操作"),
    (None, ["redo"], "nothing to redo", "没有可重做的操作"),
    (
        None,
        ["undo", "bogus"],
        "no action with id 'bogus' (see `weekwatch log`)",
        "没有编号为“bogus”的操作（见 weekwatch log）",
    ),
    (
        ["note", "pzy", "已电话提醒"],
        ["--operator", "李四", "undo"],
        "nothing of 李四's to undo; the newest action is tester's (note 平顶山职业技术学院, {at}): "
        "`weekwatch undo {id}` takes it back",
        "李四 没有可撤销的操作；最新的一条是 tester 的（备注 平顶山职业技术学院，{at}）："
        "`weekwatch undo {id}` 可撤销它",
    ),
    (
        ["recommend", "xinhua/新华区_活动方案.docx"],
        ["recommend", "xinhua/新华区_活动方案.docx"],
        "already recommended: xinhua/新华区_活动方案.docx (--undo takes the mark off)",
        "已经推荐过：xinhua/新华区_活动方案.docx（--undo 取消推荐）",
    ),
    (
        None,
        ["recommend", "--undo", "xinhua/新华区_活动方案.docx"],
        "not recommended: xinhua/新华区_活动方案.docx",
        "没有推荐过：xinhua/新华区_活动方案.docx",
    ),
    (
        None,
        ["recommend", Q, "--undo", "--note", "好"],
        "recommend --undo takes no --note",
        "recommend --undo 不带 --note",
    ),
    (
        None,
        ["status", "--only", "bogus"],
        "--only: unknown state bogus; the states are future, due, on_time, late, missing, "
        "excused, not_required",
        "--only：没有状态 bogus；可用的状态：future, due, on_time, late, missing, excused, "
        "not_required",
    ),
    (
        None,
        ["status", "--column", "bogus"],
        "--column: no column 'bogus'; use plan, summary, today, 05-12, 1–7",
        "--column：没有“bogus”这一列；可输入 方案、总结、今天、05-12、1–7",
    ),
    (
        None,
        ["report"],
        "weekwatch report: say calls, day, stats, actions or pack",
        "weekwatch report：请写 calls、day、stats、actions 或 pack",
    ),
    (
        None,
        ["units"],
        "weekwatch units: say `units import FILE` or `units list`",
        "weekwatch units：请写 `units import 文件` 或 `units list`",
    ),
    (
        None,
        ["-w", "{root}/nowhere", "log"],
        "{root}/nowhere (from --workspace): no such folder",
        "{root}/nowhere（来自 --workspace）：没有这个文件夹",
    ),
    (
        None,
        ["-w", "{root}/weekwatch.toml/x", "log"],
        "{root}/weekwatch.toml/x (from --workspace): no such folder",
        "{root}/weekwatch.toml/x（来自 --workspace）：没有这个文件夹",
    ),
    (
        None,
        ["-w", "{root}/inbox/{Q}", "log"],
        "{root}/inbox/{Q} (from --workspace): not a folder",
        "{root}/inbox/{Q}（来自 --workspace）：不是文件夹",
    ),
    (
        None,
        ["-w", "{root}/inbox", "log"],
        "{root}/inbox (from --workspace): no weekwatch.toml in this folder; run "
        "`weekwatch init {root}/inbox` to make it a workspace",
        "{root}/inbox（来自 --workspace）：文件夹中没有 weekwatch.toml；"
        "运行 `weekwatch init {root}/inbox` 把它建成工作区",
    ),
    (
        None,
        ["init", "{root}/new", "--title", "活动周", "--start", "5月12日"],
        "--start '5月12日': expected a date as YYYY-MM-DD",
        "--start “5月12日”：日期请写成 YYYY-MM-DD",
    ),
]


def _weekwatch(ws: Workspace, argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


def _filled(text: str, ws: Workspace, week: Week) -> str:
    newest = week.ledger().actions[-1] if week.ledger().actions else None
    at = f"{newest.at.astimezone(week.event.tz):%m-%d %H:%M}" if newest else ""
    fields = {"root": ws.root, "inbox": ws.inbox, "Q": Q, "at": at, "id": newest and newest.id}
    return re.sub(r"\{(\w+)\}", lambda m: str(fields[m[1]]), text)


@pytest.mark.parametrize("first, argv, en, zh", ROWS, ids=[" ".join(r[1]) for r in ROWS])
def test_each_problem_is_one_line_in_either_language(week_ws, capsys, first, argv, en, zh):
    if first is not None:
        done = _weekwatch(
            week_ws, ["-w", str(week_ws.root), "--operator", "tester", *first], capsys
        )
        assert done[0] == 0, done
    week = Week(week_ws)
    argv = [_filled(a, week_ws, week) for a in argv]
    if "-w" not in argv:
        argv = ["-w", str(week_ws.root), *argv]
    if "--operator" not in argv:
        argv = ["--operator", "tester", *argv]
    inbox_before = sorted((p, p.stat().st_mtime_ns) for p in week_ws.inbox.rglob("*"))
    for lang, line in (("en", en), ("zh", zh)):
        # init's --lang is the new workspace's: given after the command, as one writes it
        said_in = [*argv, "--lang", lang] if "init" in argv else ["--lang", lang, *argv]
        code, out, err = _weekwatch(week_ws, said_in, capsys)
        assert (code, err) == (2, f"weekwatch: {_filled(line, week_ws, week)}\n"), lang
        assert out == ""
    assert sorted((p, p.stat().st_mtime_ns) for p in week_ws.inbox.rglob("*")) == inbox_before


def test_a_chinese_workspace_says_its_problems_in_chinese_unasked(week_ws, capsys):
    config = week_ws.config.read_text(encoding="utf-8")
    week_ws.config.write_text(config.replace('# lang = "zh"', 'lang = "zh"'), encoding="utf-8")
    assert Week(week_ws).event.lang == "zh"
    code, _, err = _weekwatch(week_ws, ["-w", str(week_ws.root), "note", "nobody", "x"], capsys)
    assert (code, err) == (2, "weekwatch: 名单中没有“nobody”（编号、名称或简称）\n")
    # --lang still wins over the workspace's language.
    code, _, err = _weekwatch(
        week_ws, ["-w", str(week_ws.root), "--lang", "en", "note", "pzy", " "], capsys
    )
    assert (code, err) == (2, "weekwatch: a note needs some text\n")


def test_a_problem_says_one_line_and_no_traceback_as_its_own_process(week_ws):
    done = subprocess.run(
        [sys.executable, "-m", "weekwatch", "-w", str(week_ws.root), "--lang", "zh"]
        + ["undo", "bogus"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr == "weekwatch: 没有编号为“bogus”的操作（见 weekwatch log）\n"


#: Problems the command line never meets (it checks first), said through the Week API itself.
def _api_problems(ws: Workspace) -> dict[str, WeekwatchError]:
    found: dict[str, WeekwatchError] = {}

    def catch(tag: str, do) -> None:
        with pytest.raises(WeekwatchError) as e:
            do()
        assert e.value.tag == tag
        found[tag] = e.value

    week = Week(ws, clock=clock_at())
    catch("read_only", lambda: Week(ws, read_only=True).note("pzy", "x"))
    catch("unit_id", lambda: week.note("nobody", "x"))
    catch("column", lambda: week.note("pzy", "x", cell="2030-01-01"))
    catch("unknown_kind", lambda: week.assign(Q, ["pzy"], [], "相片"))
    catch("name_file", lambda: week.recommend([]))
    a = week.note("pzy", "x", operator="tester")
    week.undo(a.id, operator="tester")
    catch("already_undone", lambda: week.undo(a.id, operator="tester"))
    week.note("pzy", "y", operator="tester")
    catch("several_actions", lambda: week.ledger().find("2"))
    empty = ws.root / "roster.csv"
    empty.write_text("单位名称,联系人\n", encoding="utf-8")
    catch("no_units", lambda: week.import_units(empty))
    catch("ingest_inbox", lambda: week.ingestor().take([""]))
    (ws.inbox / "链接").symlink_to(ws.root, target_is_directory=True)
    catch("ingest_through", lambda: week.ingestor().take(["链接/x.docx"]))
    return found


def test_what_only_the_dashboard_meets_is_said_in_either_language_too(week_ws):
    for tag, e in _api_problems(week_ws).items():
        assert said(e, "en") == str(e), tag
        zh = said(e, "zh")
        assert zh != str(e) and re.search(r"[\u4e00-\u9fff]", zh), (tag, zh)


def test_every_line_of_the_table_is_the_stores_own_english(week_ws, capsys):
    # The table's English template, filled with the error's fields, is the line the store
    # raised: the two cannot drift apart. And every tagged problem has a row or an API case.
    seen: dict[str, WeekwatchError] = dict(_api_problems(week_ws))
    en = I18n("en")
    for tag, e in seen.items():
        fields = {k: str(v) if isinstance(v, Exception) else v for k, v in e.fields.items()}
        assert en(f"error.{tag}", **fields) == str(e), tag
    tags = {k.removeprefix("error.") for k in CLI if k.startswith("error.")}
    rows_tags = {
        "note_text",
        "excuse_reason",
        "outside_inbox",
        "ingest_outside",
        "ingest_missing",
        "no_material",
        "which_unit",
        "named_twice",
        "received_reason",
        "dismiss_reason",
        "already_dismissed",
        "nothing_to_undo",
        "nothing_to_redo",
        "no_action",
        "not_yours",
        "already_recommended",
        "not_recommended",
        "undo_note",
        "unknown_state",
        "flag",
        "report_say",
        "units_say",
        "no_folder",
        "not_folder",
        "no_config",
        "start_date",
    }
    # A file's column is found from its kind or arrival, and a zip's or an e-mail's from its
    # files: these three need a holder whose files name no day (tests/test_assign.py's way).
    untested = tags - rows_tags - set(seen) - {"which_cell", "which_unit_files", "which_cell_files"}
    untested -= {"no_workspace", "not_a_day"}  # below
    untested -= {"usage"}  # argparse's own mistakes: tests/test_cli_zh.py
    assert untested == set()


def test_no_workspace_and_a_day_outside_the_week(tmp_path, week_ws, capsys, monkeypatch):
    monkeypatch.delenv("WEEKWATCH_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    for lang, line in (
        (
            "en",
            "no weekwatch.toml here or in any parent folder; run `weekwatch init DIR` or pass "
            "--workspace",
        ),
        (
            "zh",
            "这里和上级文件夹都没有 weekwatch.toml；"
            "运行 `weekwatch init 文件夹` 或用 --workspace 指明",
        ),
    ):
        assert _weekwatch(week_ws, ["--lang", lang, "log"], capsys)[::2] == (
            2,
            f"weekwatch: {line}\n",
        )
    root = str(week_ws.root)
    for lang, line in (
        ("en", "--column today: 2024-05-20 is not a day of the week (2024-05-12 – 2024-05-18)"),
        ("zh", "--column today：2024-05-20 不在活动周内（2024-05-12 – 2024-05-18）"),
    ):
        argv = [
            "-w",
            root,
            "--lang",
            lang,
            "--as-of",
            "2024-05-20 10:00",
            "status",
            "--column",
            "today",
        ]
        assert _weekwatch(week_ws, argv, capsys)[::2] == (2, f"weekwatch: {line}\n")


# ---------------------------------------------------------------------- assign --kind, watch


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("photo", "photo"),
        ("Photo", "photo"),
        ("ｐｈｏｔｏ", "photo"),
        ("照片", "photo"),  # as the dashboard's form shows it
        ("视频", "video"),
        ("視頻", "video"),  # traditional characters
        ("典型案例", "case"),
        ("總結", "summary"),
        ("情況統計表", "statistics"),
        ("信息采集表", "info_form"),
        ("宣传专栏链接", "column_link"),
    ],
)
def test_assign_takes_a_kind_as_the_dashboard_names_it(week_ws, capsys, typed, kind):
    argv = ["-w", str(week_ws.root), "--operator", "tester", "assign", Q, "--unit", "pzy"]
    code, out, err = _weekwatch(week_ws, [*argv, "--cell", "05-14", "--kind", typed], capsys)
    assert code == 0, err
    assert Week(week_ws).ledger().assignments[Q].data["kind"] == kind


def test_every_kind_the_dashboard_and_the_pack_name_reads_back(week_ws):
    from weekwatch.store.model import KINDS
    from weekwatch.store.vocab import parse_kind
    from weekwatch.tui.guards import kind_name
    from weekwatch.tui.pack_cli import KIND_LABELS

    zh = I18n("zh")
    assert {k: parse_kind(kind_name(k, zh)) for k in KINDS} == {k: k for k in KINDS}
    assert {k: parse_kind(label) for k, (label, _) in KIND_LABELS.items()} == {
        k: k for k in KIND_LABELS
    }


def _watch_lines(ws: Workspace, lang: str, n: int) -> list[str]:
    from weekwatch.fixtures.damage import kill_group, wait_until, weekwatch

    proc = weekwatch(ws, "--lang", lang, "watch")
    try:
        lines = [proc.stdout.readline().rstrip("\n")]
        while "Ctrl-C" not in lines[0]:  # what was read again first: the start-up scan is done
            lines = [proc.stdout.readline().rstrip("\n")]
        drop(ws, "xinhua/新华区_2024-05-15_照片.jpg", NOW)
        drop(ws, "谁的视频.mp4", NOW)
        (ws.inbox / "舞钢_2024-05-14_报道.docx").unlink()
        while len(lines) < n + 1:
            lines.append(proc.stdout.readline().rstrip("\n"))
        return lines
    finally:
        kill_group(proc.pid)
        assert wait_until(lambda: proc.poll() is not None, 10, 0.1)


WATCH_LINES = {
    "en": [
        "watching {inbox} (Ctrl-C to stop)",
        "+ xinhua/新华区_2024-05-15_照片.jpg  →  xinhua 2024-05-15",
        "+ 谁的视频.mp4  →  quarantine: {reason_en}",
        "- 舞钢_2024-05-14_报道.docx  (gone)",
    ],
    "zh": [
        "正在监视 {inbox}（Ctrl-C 停止）",
        "+ xinhua/新华区_2024-05-15_照片.jpg  →  新华区教育体育局 05-15",
        "+ 谁的视频.mp4  →  待分拣：{reason_zh}",
        "- 舞钢_2024-05-14_报道.docx  （已从收件夹移走）",
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_watch_says_its_lines_in_the_workspaces_language(week_ws, lang):
    got = _watch_lines(week_ws, lang, 3)
    q = next(m.quarantine for m in Week(week_ws).store.materials() if m.path == "谁的视频.mp4")
    fields = {"inbox": week_ws.inbox, "reason_en": q.text("en"), "reason_zh": q.text("zh")}
    want = [line.format(**fields) for line in WATCH_LINES[lang]]
    assert got[0] == want[0]
    assert sorted(got[1:]) == sorted(want[1:])
