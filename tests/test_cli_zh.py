"""A Chinese bureau's command line: what each command says it did, its help and argparse's own
mistakes, in zh and in en — the English as before, byte for byte, the Chinese one line.

Each row runs as `weekwatch` runs (`main`, in this process) on the dashboard's week
(tests/conftest.py `week_ws`) with `--lang en`, and on a copy whose weekwatch.toml says
`lang = "zh"` unasked.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, dashboard_workspace, drop
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import main
from weekwatch.tui.cli_args import build
from weekwatch.tui.i18n_args import ARGPARSE, HELP, line_lang, zh_for
from weekwatch.tui.i18n_done import DONE

Q = "不知道是谁的照片.jpg"  # the week's quarantined file
PLAN = "xinhua/新华区_活动方案.docx"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Chinese, or the full-width punctuation Chinese text is written with.
WIDE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _weekwatch(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


def _chinese(ws: Workspace) -> Workspace:
    text = ws.config.read_text(encoding="utf-8")
    assert '# lang = "zh"' in text
    ws.config.write_text(text.replace('# lang = "zh"', 'lang = "zh"'), encoding="utf-8")
    assert Week(ws).event.lang == "zh"
    return ws


@pytest.fixture
def zh_ws(tmp_path: Path) -> Workspace:
    """The same week in a workspace that speaks Chinese (`lang = "zh"`)."""
    return _chinese(dashboard_workspace(tmp_path / "zh"))


def _ids(ws: Workspace) -> dict[str, str]:
    actions = Week(ws).ledger().actions
    back = [a.id for a in reversed(actions)] + ["", "", ""]
    return {"id": back[0], "before": back[1], "excuse": back[2]}


# ------------------------------------------------------------ what the actions say they did

#: (what is done first, the command line, its line in English, its line in Chinese)
DID = [
    (
        None,
        ["note", "pzy", "已电话提醒"],
        "recorded note pzy [{id}]",
        "已记录备注：平顶山职业技术学院 [{id}]",
    ),
    (
        None,
        ["contact", "平职院", "plan", "答应周五前补交", "--promised-by", "2024-05-17 12:00"],
        "recorded contact pzy plan [{id}]",
        "已记录联系：平顶山职业技术学院 方案 [{id}]",
    ),
    (
        None,
        ["excuse", "pzy", "05-14", "--reason", "停电"],
        "recorded excuse pzy 2024-05-14 [{id}]",
        "已记录免交：平顶山职业技术学院 05-14 [{id}]",
    ),
    (
        None,
        ["extend", "pzy", "summary", "--until", "2024-05-26 下班前"],
        "recorded extend pzy summary [{id}]",
        "已记录延期：平顶山职业技术学院 总结 [{id}]",
    ),
    (
        None,
        ["assign", Q, "--unit", "pzy", "--unit", "新华区", "--cell", "05-14"],
        f"recorded assign {Q} → pzy+xinhua 2024-05-14 [{{id}}]",
        f"已记录分配：{Q} → 平顶山职业技术学院+新华区教育体育局 05-14 [{{id}}]",
    ),
    (
        None,
        ["dismiss", Q, "--reason", "重复"],
        f"recorded dismiss {Q} [{{id}}]",
        f"已记录排除：{Q} [{{id}}]",
    ),
    (
        ["note", "pzy", "已电话提醒"],
        ["undo"],
        "recorded undo of note 平顶山职业技术学院 [{before}] [{id}]",
        "已撤销：备注 平顶山职业技术学院 [{before}] [{id}]",
    ),
    (
        ["excuse", "pzy", "05-14", "--reason", "停电", "--", "undo"],
        ["redo"],
        "recorded redo of excuse 平顶山职业技术学院 · 05-14 [{excuse}] [{id}]",
        "已重做：免交 平顶山职业技术学院 · 05-14 [{excuse}] [{id}]",
    ),
    (
        None,
        ["recommend", PLAN, "--note", "思路清楚"],
        f"★ {PLAN}\nrecorded recommend of 1 file(s) (思路清楚) [{{id}}]",
        f"★ {PLAN}\n已记录推荐 1 个文件（思路清楚） [{{id}}]",
    ),
    (
        ["recommend", PLAN],
        ["recommend", "--undo", PLAN],
        f"☆ {PLAN}\nrecorded unrecommend of 1 file(s) [{{id}}]",
        f"☆ {PLAN}\n已取消推荐 1 个文件 [{{id}}]",
    ),
]


def _first(ws: Workspace, first: list[str] | None, capsys) -> None:
    if first is None:
        return
    # Several commands are written one after the other, separated by "--".
    line: list[str] = []
    for word in [*first, "--"]:
        if word != "--":
            line.append(word)
            continue
        code, _, err = _weekwatch(["-w", str(ws.root), "--operator", "tester", *line], capsys)
        assert code == 0, err
        line = []


@pytest.mark.parametrize("first, argv, en, zh", DID, ids=[" ".join(r[1]) for r in DID])
def test_each_action_says_what_it_recorded_in_either_language(
    week_ws, zh_ws, capsys, first, argv, en, zh
):
    for ws, lang, line in ((week_ws, ["--lang", "en"], en), (zh_ws, [], zh)):
        _first(ws, first, capsys)
        code, out, err = _weekwatch(
            ["-w", str(ws.root), "--operator", "tester", *lang, *argv], capsys
        )
        assert (code, err) == (0, "")
        assert out == line.format(**_ids(ws)) + "\n"


def test_a_chinese_workspace_asked_in_english_answers_as_before(zh_ws, capsys):
    code, out, _ = _weekwatch(
        ["-w", str(zh_ws.root), "--operator", "tester", "--lang", "en", "note", "pzy", "x"], capsys
    )
    assert (code, out) == (0, "recorded note pzy [{id}]\n".format(**_ids(zh_ws)))


def test_an_action_in_chinese_is_still_a_process_that_loads_little(zh_ws):
    # The confirmation's words come from a table that imports nothing: neither argparse nor
    # the dashboard's words are loaded for it.
    code = (
        "import sys; from weekwatch.tui.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('argparse', 'weekwatch.tui.i18n', 'rich', 'textual') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "-w", str(zh_ws.root), "--operator", "王敏"]
        + ["note", "平职院", "已电话提醒"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("已记录备注：平顶山职业技术学院 [")
    assert lines[-1] == "[]"


# ------------------------------------------------------------ ingest, a re-read, init


def test_ingest_counts_and_a_reread_in_either_language(week_ws, zh_ws, capsys):
    for ws in (week_ws, zh_ws):
        drop(ws, "鲁山县/5月14日活动照片.jpg", at(14, 10, 5), b"photo")
        drop(ws, "不知道谁的.docx", at(14, 10, 6), b"doc")
        # The roster gains 鲁山县: what waits is read again at the next ingest.
        with ws.config.open("a", encoding="utf-8") as f:
            f.write('\n[[units]]\nid = "lushan"\nname = "鲁山县教育体育局"\naliases = ["鲁山县"]\n')
    code, out, err = _weekwatch(["-w", str(week_ws.root), "--lang", "en", "ingest"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "2 new (1 quarantined), 0 gone"
    assert out.splitlines()[1].startswith("nothing changed (")
    code, out, err = _weekwatch(["-w", str(zh_ws.root), "ingest"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "新收 2 个文件（其中待分拣 1 个），已移走 0 个"
    assert re.fullmatch(r"没有变化（重读 \d+ 个文件）", out.splitlines()[1])


def test_what_a_reread_changed_is_said_file_by_file(week_ws, zh_ws, capsys):
    lines = {}
    for ws, lang in ((week_ws, "en"), (zh_ws, "zh")):
        drop(ws, "鲁山县/5月14日活动照片.jpg", at(14, 10, 5), b"photo")
        assert _weekwatch(["-w", str(ws.root), "ingest"], capsys)[0] == 0
        with ws.config.open("a", encoding="utf-8") as f:
            f.write('\n[[units]]\nid = "lushan"\nname = "鲁山县教育体育局"\naliases = ["鲁山县"]\n')
        code, out, err = _weekwatch(["-w", str(ws.root), "--lang", lang, "ingest"], capsys)
        assert (code, err) == (0, "")
        lines[lang] = out.splitlines()
    assert lines["en"][0] == "0 new (0 quarantined), 0 gone"
    assert re.fullmatch(r"1 file now placed \(\d+ files read again\)", lines["en"][1])
    assert lines["en"][2].startswith("  鲁山县/5月14日活动照片.jpg: quarantine: ")
    assert lines["en"][2].endswith("  →  鲁山县教育体育局 2024-05-14")
    assert lines["zh"][0] == "新收 0 个文件（其中待分拣 0 个），已移走 0 个"
    assert re.fullmatch(r"1 个文件现已归位（重读 \d+ 个文件）", lines["zh"][1])
    assert lines["zh"][2].startswith("  鲁山县/5月14日活动照片.jpg：待分拣：")
    assert lines["zh"][2].endswith("  →  鲁山县教育体育局 05-14")
    assert all(CJK.search(line) for line in lines["zh"])


def test_init_says_what_it_made_in_the_language_it_was_given(tmp_path, capsys):
    for lang, line in (
        ("en", "created {d}/weekwatch.toml; drop files into {d}/inbox"),
        ("zh", "已创建 {d}/weekwatch.toml；请把文件放进 {d}/inbox"),
    ):
        d = tmp_path / lang
        argv = ["init", str(d), "--title", "2024年职业教育活动周", "--start", "2024-05-12"]
        code, out, err = _weekwatch([*argv, "--lang", lang], capsys)
        assert (code, err, out) == (0, "", line.format(d=d) + "\n")


# ------------------------------------------------------------ the log


def test_the_log_says_a_recommendation_and_its_undo(week_ws, zh_ws, capsys):
    # Damage first: a recommendation in the log stopped `weekwatch log` with a traceback.
    for ws in (week_ws, zh_ws):
        _first(ws, ["recommend", PLAN, "--note", "好", "--", "undo"], capsys)
    code, out, err = _weekwatch(["-w", str(week_ws.root), "log"], capsys)
    assert (code, err) == (0, "")
    assert f"  recommended {PLAN}: 好  (undone)  [" in out
    assert "  took back the recommendation of 新华区教育体育局 Plan [" in out
    code, out, err = _weekwatch(["-w", str(zh_ws.root), "log"], capsys)
    assert (code, err) == (0, "")
    assert f"  推荐 {PLAN}: 好  （已撤销）  [" in out
    assert "  撤销 推荐 新华区教育体育局 方案 [" in out


# ------------------------------------------------------------ argparse's own words

#: (the command line, its line in English, its line in Chinese): exit 2, one line each.
MISTAKES = [
    (
        ["note"],
        "the following arguments are required: unit, [CELL] TEXT (see `weekwatch note --help`)",
        "缺少必需的参数：unit, [CELL] TEXT（见 `weekwatch note --help`）",
    ),
    (
        ["excuse", "pzy", "plan"],
        "the following arguments are required: --reason (see `weekwatch excuse --help`)",
        "缺少必需的参数：--reason（见 `weekwatch excuse --help`）",
    ),
    (
        ["status", "--only"],
        "argument --only: expected one argument (see `weekwatch status --help`)",
        "参数 --only：需要一个值（见 `weekwatch status --help`）",
    ),
    (
        ["status", "--actions", "some"],
        "argument --actions: invalid choice: 'some' (choose from 'until', 'all') "
        "(see `weekwatch status --help`)",
        "参数 --actions：无效的选择：'some'（可选：'until', 'all'）"
        "（见 `weekwatch status --help`）",
    ),
    (
        ["watch", "--rescan", "0"],
        "argument --rescan: '0': give a number of seconds above 0 (see `weekwatch watch --help`)",
        "参数 --rescan：'0'：秒数须大于 0（见 `weekwatch watch --help`）",
    ),
    (
        ["watch", "--rescan", "soon"],
        "argument --rescan: 'soon' is not a number of seconds (see `weekwatch watch --help`)",
        "参数 --rescan：'soon' 不是秒数（见 `weekwatch watch --help`）",
    ),
    (
        ["undo", "a", "b"],
        "unrecognized arguments: b (see `weekwatch --help`)",
        "无法识别的参数：b（见 `weekwatch --help`）",
    ),
    (
        ["units", "bogus"],
        "argument units_command: invalid choice: 'bogus' (choose from 'import', 'list') "
        "(see `weekwatch units --help`)",
        "参数 units_command：无效的选择：'bogus'（可选：'import', 'list'）"
        "（见 `weekwatch units --help`）",
    ),
    (
        ["report", "pack", "--include-late", "--exclude-late"],
        "argument --exclude-late: not allowed with argument --include-late "
        "(see `weekwatch report pack --help`)",
        "参数 --exclude-late：不能与参数 --include-late 同时使用"
        "（见 `weekwatch report pack --help`）",
    ),
]


@pytest.mark.parametrize("argv, en, zh", MISTAKES, ids=[" ".join(r[0]) for r in MISTAKES])
def test_a_mistyped_line_is_one_line_in_either_language(week_ws, zh_ws, capsys, argv, en, zh):
    inbox = sorted((p, p.stat().st_mtime_ns) for p in zh_ws.inbox.rglob("*"))
    for line, said in (
        (["-w", str(week_ws.root), *argv], en),  # no lang: English, as before
        (["-w", str(week_ws.root), "--lang", "zh", *argv], zh),  # asked
        (["-w", str(zh_ws.root), *argv], zh),  # the workspace's language, unasked
        (["-w", str(zh_ws.root), "--lang", "en", *argv], en),
    ):
        assert _weekwatch(line, capsys) == (2, "", f"weekwatch: {said}\n"), line
    assert sorted((p, p.stat().st_mtime_ns) for p in zh_ws.inbox.rglob("*")) == inbox


def test_a_mistake_in_a_chinese_workspace_found_from_its_folder(zh_ws, capsys, monkeypatch):
    monkeypatch.chdir(zh_ws.inbox)  # no -w: the nearest parent holding weekwatch.toml
    monkeypatch.delenv("WEEKWATCH_WORKSPACE", raising=False)
    assert _weekwatch(["note"], capsys)[2].startswith("weekwatch: 缺少必需的参数：")


def _texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help and description text of a parser and its commands."""
    out = [t for t in (parser.description, parser.epilog) if t]
    for a in parser._actions:
        if a.help and a.help is not argparse.SUPPRESS:
            out.append(a.help)
        if isinstance(a, argparse._SubParsersAction):
            out += [c.help for c in a._choices_actions if c.help]
            for sub in a.choices.values():
                out += _texts(sub)
    return out


def test_every_help_text_of_the_grammar_has_its_chinese():
    texts = _texts(build())
    assert len(texts) > 90
    missing = [t for t in texts if zh_for(t) == t]
    assert missing == []
    assert all(CJK.search(zh_for(t)) for t in texts)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "argv", [[], ["init"], ["excuse"], ["status"], ["report", "pack"], ["units", "import"]]
)
def test_help_is_chinese_in_a_chinese_workspace(zh_ws, week_ws, capsys, argv):
    code, out, err = _weekwatch(["-w", str(zh_ws.root), *argv, "--help"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"用法：weekwatch {' '.join(argv)}".rstrip())
    assert "选项:" in out and "show this help" not in out
    # Each option's help there, in Chinese (argparse wraps it: compared without spaces).
    parser = build()
    for word in argv:
        parser = next(
            a.choices[word] for a in parser._actions if isinstance(a, argparse._SubParsersAction)
        )
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            assert _squeezed(zh_for(action.help)) in _squeezed(out), action.help
    # The same line in an English workspace: argparse's help, unchanged.
    code, out, _ = _weekwatch(["-w", str(week_ws.root), *argv, "--help"], capsys)
    assert code == 0 and out.startswith("usage: weekwatch")
    assert "options:\n  -h, --help  " in out and "show this help message and exit" in out


def test_the_line_speaks_its_lang_else_its_workspaces(zh_ws, week_ws, tmp_path):
    env = {"WEEKWATCH_WORKSPACE": str(zh_ws.root)}
    assert line_lang(["--lang", "en", "note"], env) == "en"
    assert line_lang(["note", "--lang=zh"], {}) == "zh"
    assert line_lang(["note"], env) == "zh"
    assert line_lang(["-w", str(week_ws.root), "note"], env) == "en"
    assert line_lang([f"--workspace={zh_ws.root}"], {}) == "zh"
    assert line_lang(["-w", str(tmp_path / "nowhere")], {}) == "en"


# ------------------------------------------------------------ the tables themselves

_FIELDS = re.compile(r"\{(\w*)[^}]*\}|%\((\w+)\)\w|%[sr]")


@pytest.mark.parametrize(
    "key, zh, en",
    [(k, *v) for table in (DONE, ARGPARSE, HELP) for k, v in table.items()],
)
def test_each_message_says_the_same_in_both_languages(key, zh, en):
    assert sorted(_FIELDS.findall(zh)) == sorted(_FIELDS.findall(en)), key
    assert zh != en and WIDE.search(zh), key
    if key not in ("help.init.epilog", "ap.error"):
        assert "\n" not in zh, key  # one line
    assert not CJK.search(en) or key.startswith(("help.", "col.", "roster.", "done.digits")), key


def test_a_skipped_rows_reason_is_the_rosters_own_english():
    from weekwatch.store.roster import REASONS

    assert {k: DONE[f"roster.why.{k}"][1] for k in REASONS} == REASONS


# ------------------------------------------------------------ units import, the pack

#: The liaison sheet as a bureau keeps it: a title row, a heading, no id column, a 合计 row and
#: a 填表人 note at the bottom.
ROSTER = (
    "附件1\n2020年职业教育活动周联络员信息表\n"
    "序号,单位名称,联络员,职务,办公电话,手机,电子邮箱\n"
    "1,奎文区教育和体育局,张伟,科长,0536-8888001,13800000001,kw@wf.cn\n"
    "2,潍坊职业学院,刘洋,主任,0536-8888004,13800000004,wfzy@wf.cn\n"
    "合计,2个单位\n填表人：郑瑶琦\n"
)


def test_units_import_says_what_it_did_in_either_language(week_ws, zh_ws, tmp_path, capsys):
    sheet = tmp_path / "联络员信息表.csv"
    sheet.write_text(ROSTER, encoding="utf-8")
    out = {}
    for ws, lang in ((week_ws, "en"), (zh_ws, "zh")):
        code, dry, err = _weekwatch(
            ["-w", str(ws.root), "--lang", lang, "units", "import", str(sheet), "--dry-run"], capsys
        )
        assert (code, err) == (0, "")
        code, done, err = _weekwatch(
            ["-w", str(ws.root), "--lang", lang, "units", "import", str(sheet)], capsys
        )
        assert (code, err) == (0, "")
        out[lang] = (dry.splitlines(), done.splitlines())
    dry, done = out["en"]
    assert done[:2] == [
        "2 units added, 0 updated, 0 unchanged (7 in the roster)",
        "2 rows skipped: 1 a 合计/总计 row, 1 a note, not a unit",
    ]
    assert dry[1] == "header: line 3: 序号 | 单位名称 | 联络员 | 职务 | 办公电话 | 手机 | 电子邮箱"
    assert "  A\t序号\t→ - (kept out)" in dry and "  F\t手机\t→ liaison_phone (mobile)" in dry
    assert "  line 7\ta note, not a unit\t填表人：郑瑶琦" in dry
    assert dry[-2:] == [
        "2 units added, 0 updated, 0 unchanged (7 in the roster) — nothing written (--dry-run)",
        "2 rows skipped: 1 a 合计/总计 row, 1 a note, not a unit",
    ]
    dry, done = out["zh"]
    assert done[:2] == [
        "新增 2 个单位，更新 0 个，未变 0 个（名单共 7 个）",
        "跳过 2 行：合计/总计行 1 行，备注行（不是单位） 1 行",
    ]
    assert dry[1] == "表头：第 3 行：序号 | 单位名称 | 联络员 | 职务 | 办公电话 | 手机 | 电子邮箱"
    assert "  A\t序号\t→ -（不导入）" in dry and "  F\t手机\t→ liaison_phone（手机）" in dry
    assert any(line.startswith("  第 4 行\tkwqjyhtyj*\t奎文区教育和体育局\t") for line in dry)
    assert "  第 7 行\t备注行（不是单位）\t填表人：郑瑶琦" in dry
    assert dry[-2].endswith("——未写入（--dry-run）")
    assert all(CJK.search(line) for line in dry[1:])


def test_the_pack_counts_its_files_in_its_language(week_ws, tmp_path, capsys):
    for lang, said in (("en", r"weekwatch: \d+ files\n"), ("zh", r"weekwatch: 共 \d+ 个文件\n")):
        target = tmp_path / f"{lang}.zip"
        code, out, err = _weekwatch(
            ["-w", str(week_ws.root), "report", "pack", "--output", str(target), "--lang", lang],
            capsys,
        )
        assert code == 0 and out == f"{target}\n" and target.is_file()
        assert re.fullmatch(said, err), err


def test_a_roster_of_digit_ids_is_warned_in_either_language(week_ws, zh_ws, tmp_path, capsys):
    sheet = tmp_path / "名单.csv"
    sheet.write_text("编号,单位名称\n01,奎文区教育和体育局\n", encoding="utf-8")
    for ws, lang, said in (
        (week_ws, "en", "weekwatch: warning: 1 ids or aliases are digits alone (01): "),
        (zh_ws, "zh", "weekwatch: 警告：有 1 个编号或简称全是数字（01）："),
    ):
        code, _, err = _weekwatch(
            ["-w", str(ws.root), "--lang", lang, "units", "import", str(sheet)], capsys
        )
        assert code == 0 and err.startswith(said) and err.count("\n") == 1, err


def test_the_action_log_report_names_units_columns_and_actions_in_chinese(week_ws, capsys):
    _first(
        week_ws,
        ["contact", "pzy", "plan", "答应周五前补交", "--promised-by", "2024-05-17 12:00", "--"]
        + ["excuse", "新华区", "05-14", "--reason", "停电"],
        capsys,
    )
    code, out, err = _weekwatch(["-w", str(week_ws.root), "report", "actions"], capsys)
    assert (code, err) == (0, "")
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()[2:]]
    assert [r[2:] for r in rows] == [
        ["平顶山职业技术学院", "方案", "联系", "答应周五前补交 → 2024-05-17 12:00"],
        ["新华区教育体育局", "05-14", "免交", "停电"],
    ]
    code, out, _ = _weekwatch(
        ["-w", str(week_ws.root), "report", "actions", "--lang", "en"], capsys
    )
    rows = [re.split(r"\s{2,}", line) for line in out.splitlines()[2:]]
    assert [r[2:] for r in rows] == [  # as recorded, as before
        ["pzy", "plan", "contact", "答应周五前补交 → 2024-05-17T12:00:00+08:00"],
        ["xinhua", "2024-05-14", "excuse", "停电"],
    ]
