"""The notices' obligations set up literally and driven through the command line.

Seed 002 (a college to its departments, 12–18 May 2024): by 12:00 on 12 May the activity plan
**and** the information form; by 19 May 下班前 the statistics table **and** the summary.
Seed 001 (Pingdingshan 2021): junior schools take part but owe only the summary.
The expected states are written out by hand, cell by cell.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.workspace import Workspace
from weekwatch.tui.cli import run

SEED_002_OBLIGATIONS = """
# 5月12日中午12点前: 方案与信息采集表; 5月19日下班前: 《情况统计表》和总结
[columns.plan]
requires = ["plan", "info_form"]

[columns.summary]
requires = ["summary", "statistics"]
deadline = "2024-05-19 下班前"
"""

# The departments' roster as the office keeps it.
DEPARTMENTS = """编号,单位名称,简称,类型
art,艺术设计学院,艺设,二级学院
mech,机械工程学院,机械,二级学院
elec,电子信息学院,电子,二级学院
"""

FILES = [
    # plan column: art sends both in time; mech the plan in time, the form after noon; elec
    # nothing
    ("艺术设计学院/艺术设计学院职业教育活动周方案.docx", at(11, 16)),
    ("艺术设计学院/信息采集表（艺术设计学院）.xlsx", at(12, 11, 30)),
    ("机械工程学院活动周方案.docx", at(12, 10)),
    ("机械工程学院 信息采集表.xlsx", at(12, 15)),
    # day 1 (12 May, due 12:00): everyone reports the opening
    ("艺术设计学院5月12日启动仪式报道.docx", at(12, 11)),
    ("机械工程学院 5.12 新闻稿.docx", at(12, 11, 10)),
    ("电子信息学院2024-05-12简报.docx", at(12, 11, 20)),
    # day 2 (13 May, due 12:00): one file is enough, as before
    ("艺术设计学院5月13日典型案例.docx", at(13, 10)),
    ("机械5月13日活动照片.jpg", at(13, 12, 30)),
    ("电子信息学院5月13日视频.mp4", at(13, 11)),
    # summary column (due 19 May 17:30): art both; mech the summary, the table next morning;
    # elec only the table
    ("艺术设计学院/《2024年职业教育活动周情况统计表》.xlsx", at(19, 10)),
    ("艺术设计学院/艺术设计学院活动周总结.docx", at(19, 16)),
    ("机械工程学院活动周总结.docx", at(19, 15)),
    ("机械工程学院情况统计表.xlsx", at(20, 9)),
    ("电子信息学院情况统计表.xlsx", at(19, 17)),
]

# moment → unit → column → (state, lacking)
EXPECTED: dict[str, dict[str, dict[str, tuple[str, list[str]]]]] = {
    "2024-05-12 11:00": {
        "art": {"plan": ("due", ["info_form"]), "2024-05-13": ("future", ["any"])},
        "mech": {"plan": ("due", ["info_form"])},
        "elec": {"plan": ("due", ["plan", "info_form"])},
    },
    "2024-05-12 12:00": {  # the deadline itself
        "art": {"plan": ("on_time", [])},
        "mech": {"plan": ("due", ["info_form"])},
        "elec": {"plan": ("due", ["plan", "info_form"])},
    },
    "2024-05-12 12:01": {
        "art": {"plan": ("on_time", [])},
        "mech": {"plan": ("missing", ["info_form"])},
        "elec": {"plan": ("missing", ["plan", "info_form"])},
    },
    "2024-05-12 16:00": {
        "art": {"plan": ("on_time", [])},
        "mech": {"plan": ("late", [])},  # complete, the form after the deadline
        "elec": {"plan": ("missing", ["plan", "info_form"])},
    },
    "2024-05-13 13:00": {
        "art": {"2024-05-13": ("on_time", []), "summary": ("future", ["summary", "statistics"])},
        "mech": {"2024-05-13": ("late", [])},
        "elec": {"2024-05-13": ("on_time", [])},
    },
    "2024-05-19 17:00": {
        "art": {"summary": ("on_time", [])},
        "mech": {"summary": ("due", ["statistics"])},
        "elec": {"summary": ("due", ["summary"])},
    },
    "2024-05-19 17:31": {
        "art": {"summary": ("on_time", [])},
        "mech": {"summary": ("missing", ["statistics"])},
        "elec": {"summary": ("missing", ["summary"])},
    },
    "2024-05-20 10:00": {
        "art": {"summary": ("on_time", []), "plan": ("on_time", [])},
        "mech": {"summary": ("late", []), "plan": ("late", [])},
        "elec": {"summary": ("missing", ["summary"]), "plan": ("missing", ["plan", "info_form"])},
    },
}


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def seed_002(tmp_path: Path, capsys) -> Workspace:
    root = tmp_path / "活动周2024"
    code, _, err = cli(
        capsys,
        "init",
        str(root),
        "--title",
        "2024年职业教育活动周",
        "--theme",
        "一技在手，一生无忧",
        "--start",
        "2024-05-12",
        "--plan-deadline",
        "2024-05-12 12:00",
    )
    assert code == 0, err
    ws = Workspace(root)
    # The operator adds the notice's obligations to the file init wrote.
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write(SEED_002_OBLIGATIONS)
    roster = tmp_path / "二级学院.csv"
    roster.write_text(DEPARTMENTS, encoding="utf-8")
    assert cli(capsys, "-w", str(root), "units", "import", str(roster))[0] == 0
    for rel, when in FILES:
        drop(ws, rel, when)
    assert cli(capsys, "-w", str(root), "ingest")[0] == 0
    return ws


def test_seed_002_week_through_the_cli(seed_002, capsys):
    root = str(seed_002.root)
    for moment, units in EXPECTED.items():
        code, out, err = cli(capsys, "-w", root, "status", "--json", "--as-of", moment)
        assert code == 0 and err == ""
        cells = {u["id"]: u["cells"] for u in json.loads(out)["units"]}
        for unit, columns in units.items():
            for column, (state, lacking) in columns.items():
                got = cells[unit][column]
                assert (got["state"], got["lacking"]) == (state, lacking), (moment, unit, column)


def test_seed_002_only_missing_lists_the_half_sent(seed_002, capsys):
    root = str(seed_002.root)
    # 12:30 on day 1: art sent both, mech half, elec nothing; everyone sent the day's report
    _, out, _ = cli(
        capsys, "-w", root, "status", "--json", "--as-of", "2024-05-12 12:30", "--only", "missing"
    )
    assert [u["id"] for u in json.loads(out)["units"]] == ["mech", "elec"]
    # the table shows how much of a half-sent cell arrived, readable without colour
    _, out, _ = cli(capsys, "-w", root, "status", "--as-of", "2024-05-12 12:30")
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "学院" in line}
    assert rows["机械工程学院"].split("│")[2].strip() == "✗1/2"
    assert rows["电子信息学院"].split("│")[2].strip() == "✗"
    assert rows["艺术设计学院"].split("│")[2].strip() == "✓2"


# --- seed 001: the bureau's junior schools owe only the summary -----------------------------

SEED_001_ROSTER = """编号,单位名称,简称,类型
wugang,舞钢市教育体育局,舞钢,county-bureau
pzy,平顶山职业技术学院,平职院,higher-vocational
jiuzhong,平顶山市第九中学,九中,junior-school
"""


@pytest.fixture
def seed_001(tmp_path: Path, capsys) -> Workspace:
    root = tmp_path / "2021活动周"
    code, _, err = cli(
        capsys,
        "init",
        str(root),
        "--title",
        "平顶山市2021年职业教育活动周",
        "--start",
        "2021-05-22",
        "--summary-deadline",
        "2021-06-02 18:00",
    )
    assert code == 0, err
    ws = Workspace(root)
    with open(ws.config, "a", encoding="utf-8") as f:
        f.write('\n[groups]\n"junior-school" = ["summary"]\n')
    roster = tmp_path / "units.csv"
    roster.write_text(SEED_001_ROSTER, encoding="utf-8")
    assert cli(capsys, "-w", str(root), "units", "import", str(roster))[0] == 0
    return ws


def test_a_junior_school_owes_only_the_summary(seed_001, capsys):
    root = str(seed_001.root)
    code, out, err = cli(capsys, "-w", root, "status", "--json", "--as-of", "2021-05-29 09:00")
    assert code == 0 and err == ""
    cells = {u["id"]: u["cells"] for u in json.loads(out)["units"]}
    school = cells["jiuzhong"]
    assert {c: s["state"] for c, s in school.items() if c != "summary"} == {
        c: "not_required" for c in school if c != "summary"
    }
    assert all(s["lacking"] == [] for c, s in school.items() if c != "summary")
    assert school["summary"] == {"state": "due", "count": 0, "lacking": ["any"]}
    # the bureau and the college owe every day: missing after each noon
    assert cells["wugang"]["2021-05-28"]["state"] == "missing"
    # not in `--only missing` while its summary is not yet overdue
    _, out, _ = cli(
        capsys, "-w", root, "status", "--json", "--as-of", "2021-05-29 09:00", "--only", "missing"
    )
    assert [u["id"] for u in json.loads(out)["units"]] == ["wugang", "pzy"]
    # after 2 June it is missing its summary, and only that
    _, out, _ = cli(
        capsys, "-w", root, "status", "--json", "--as-of", "2021-06-03 09:00", "--only", "missing"
    )
    listed = {u["id"]: u["cells"] for u in json.loads(out)["units"]}
    assert [c for c, s in listed["jiuzhong"].items() if s["state"] == "missing"] == ["summary"]


def test_the_status_table_draws_a_dash_for_what_is_not_owed(seed_001, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = cli(capsys, "-w", str(seed_001.root), "status", "--as-of", "2021-05-29 09:00")
    school = next(line for line in out.splitlines() if "第九中学" in line)
    cells = [c.strip() for c in school.split("│")[2:-1]]
    assert cells == ["—"] * 8 + ["○"]
    assert "— not required" in " ".join(out.split())  # the legend says what the dash means


def test_types_inferred_from_the_liaison_sheet_pick_the_group(tmp_path, capsys):
    """The bureau's own sheet has no type column: 初级中学 says junior-school by itself."""
    root = tmp_path / "w"
    args = ["init", str(root), "--title", "平顶山市2021年职业教育活动周", "--start", "2021-05-22"]
    assert cli(capsys, *args)[0] == 0
    with open(root / "weekwatch.toml", "a", encoding="utf-8") as f:
        f.write('\n[groups]\n"junior-school" = ["summary"]\n')
    sheet = tmp_path / "联络员信息表.csv"
    sheet.write_text(
        "附件1\n平顶山市2021年职业教育活动周联络员信息表\n"
        "序号,单位名称,联络员,职务,办公电话,手机,电子邮箱\n"
        "1,舞钢市教育体育局,王敏,科长,,13837510218,wg@example.com\n"
        "2,平顶山市第十一初级中学,钱芳,教师,,13700000002,\n",
        encoding="utf-8",
    )
    code, _, err = cli(capsys, "-w", str(root), "units", "import", str(sheet))
    assert code == 0 and "warning" not in err
    _, out, _ = cli(capsys, "-w", str(root), "status", "--json", "--as-of", "2021-05-25 13:00")
    states = {u["name"]: u["cells"]["2021-05-24"]["state"] for u in json.loads(out)["units"]}
    assert states == {"舞钢市教育体育局": "missing", "平顶山市第十一初级中学": "not_required"}


def test_a_file_in_a_column_its_group_does_not_owe_is_never_late(seed_001, capsys):
    """九中 owes only the summary: its photo of 23 May sent two days later is not late (its
    cell is `—`), where the county bureau's, owed, is."""
    import datetime as dt

    from weekwatch.fixtures.testweek import TZ

    late = dt.datetime(2021, 5, 25, 10, tzinfo=TZ)
    drop(seed_001, "九中5月23日照片.jpg", late)
    drop(seed_001, "舞钢5月23日照片.jpg", late)
    root = str(seed_001.root)
    assert cli(capsys, "-w", root, "ingest")[0] == 0
    code, out, _ = cli(capsys, "-w", root, "materials", "--json")
    assert code == 0
    rows = [json.loads(line.rstrip(",")) for line in out.splitlines() if line.startswith("{")]
    late_of = {r["unit"]: (r["late"], [c["late"] for c in r["credits"]]) for r in rows}
    assert late_of == {"jiuzhong": (False, [False]), "wugang": (True, [True])}


def test_one_file_holding_two_required_kinds_completes_the_cell(seed_002, capsys):
    """The notice names its attachment 本校职业教育活动周方案与信息采集表: one file holding the
    plan and the form. It counted as the form alone (✗1/2, 'missing: plan')."""
    root = str(seed_002.root)
    drop(seed_002, "电子信息学院职业教育活动周方案与信息采集表.docx", at(12, 11))
    drop(seed_002, "电子信息学院活动周情况统计表和总结.docx", at(19, 10))
    assert cli(capsys, "-w", root, "ingest")[0] == 0

    def elec(moment: str) -> dict[str, dict]:
        flags = ["--as-of", moment, "--actions", "all"]
        code, out, _ = cli(capsys, "-w", root, "status", "--json", *flags)
        assert code == 0
        return next(u["cells"] for u in json.loads(out)["units"] if u["id"] == "elec")

    cells = elec("2024-05-20 10:00")
    assert (cells["plan"]["state"], cells["plan"]["lacking"]) == ("on_time", [])
    assert (cells["summary"]["state"], cells["summary"]["lacking"]) == ("on_time", [])
    # An operator who says what the file is has the last word: the plan alone.
    path = "电子信息学院职业教育活动周方案与信息采集表.docx"
    assigned = ["assign", path, "--unit", "elec", "--kind", "plan"]
    assert cli(capsys, "-w", root, "--operator", "王敏", *assigned)[0] == 0
    cells = elec("2024-05-20 10:00")
    assert (cells["plan"]["state"], cells["plan"]["lacking"]) == ("missing", ["info_form"])
