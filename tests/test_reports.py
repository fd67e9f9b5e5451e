"""`weekwatch report …` on the dashboard's week (tests/conftest `week_ws`) at fixed moments.

The expected numbers are worked out here by hand from the files the fixture drops
(fixtures/testweek.DASHBOARD_DROPS, daily deadline 12:00), not by calling the report code.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

from rich.cells import cell_len

from weekwatch.fixtures.testweek import at, clock_at
from weekwatch.store.week import Week
from weekwatch.tui.cli import run

AS_OF = "2024-05-15T13:00"  # day 4, an hour after its noon deadline
DAYS = ["2024-05-12", "2024-05-13", "2024-05-14", "2024-05-15"]


def call(ws, capsys, *args: str) -> str:
    capsys.readouterr()
    assert run(["-w", str(ws.root), "--operator", "小王", *args]) == 0
    return capsys.readouterr().out


def test_call_list_is_worst_first_with_liaison_and_overdue_promise(week_ws, capsys):
    # 卫东区 promised on day 3 to send by 10:00 on day 4; at 13:00 its day-4 cell is missing.
    week = Week(week_ws, clock=clock_at(at(14, 16)))
    week.contact("weidong", "李娜说明早补交", "2024-05-15", promised_by=at(15, 10), operator="小王")
    data = json.loads(
        call(week_ws, capsys, "report", "calls", "--as-of", AS_OF, "--format", "json")
    )
    assert data["cell"] == "2024-05-15"
    # Missing cells by 13:00 on the 15th, counted by hand (plan + days 12–15):
    # 技师学院 5 (all), 舞钢 4 (plan, 12, 13, 15), 卫东区 2 (14, 15), 新华区 1 (15);
    # 平职院 sent its day-4 video at 09:15 and is not called.
    got = [(u["id"], u["state"], u["missing_this_week"]) for u in data["units"]]
    assert got == [
        ("jxxx", "missing", 5),
        ("wugang", "missing", 4),
        ("weidong", "missing", 2),
        ("xinhua", "missing", 1),
    ]
    weidong = data["units"][2]
    assert (weidong["liaison"], weidong["phone"]) == ("李娜", "13837520436")
    assert weidong["promise_overdue"] is True
    assert [c["text"] for c in weidong["contacts"]] == ["李娜说明早补交"]
    assert weidong["contacts"][0]["promised_by"] == "2024-05-15T10:00:00+08:00"
    assert not any(u["promise_overdue"] for u in data["units"] if u["id"] != "weidong")

    # Day 2: 卫东区's 稿件 came at 12:40 — late by 40 minutes, listed after the missing.
    data = json.loads(
        call(
            week_ws,
            capsys,
            "report",
            "calls",
            "--as-of",
            AS_OF,
            "--cell",
            "2024-05-13",
            "--format",
            "json",
        )
    )
    got = [(u["id"], u["state"], u["late_minutes"]) for u in data["units"]]
    assert got == [
        ("jxxx", "missing", None),
        ("wugang", "missing", None),
        ("pzy", "missing", None),
        ("weidong", "late", 40),
    ]
    text = call(week_ws, capsys, "report", "calls", "--as-of", AS_OF)
    title, header, first = text.splitlines()[:3]
    assert title.startswith("2024年平顶山市职业教育活动周 · 催报名单 · 截至 2024-05-15 13:00")
    assert title.endswith("按当时的决定")  # --actions until, the call list's default
    assert header.startswith("单位") and first.startswith("平顶山技师学院")
    assert "13700000000" in text


EXPECTED = {  # by hand: days on time, late, missing, excused; reports, photos, videos, cases
    "xinhua": ((2, 1, 1, 0), {"report": 2, "photo": 1}, "on_time"),
    "weidong": ((1, 1, 2, 0), {"case": 1, "report": 1}, "on_time"),
    "pzy": ((1, 0, 3, 0), {"video": 1}, "on_time"),
    "wugang": ((1, 0, 3, 0), {"report": 1}, "missing"),
    "jxxx": ((0, 0, 4, 0), {}, "missing"),
}


def test_stats_per_unit_totals_and_per_day_share(week_ws, capsys):
    data = json.loads(
        call(week_ws, capsys, "report", "stats", "--as-of", AS_OF, "--format", "json")
    )
    for u in data["units"]:
        days, kinds, plan = EXPECTED[u["id"]]
        assert tuple(u["days"][s] for s in ("on_time", "late", "missing", "excused")) == days
        assert {k: n for k, n in u["kinds"].items() if n} == kinds
        assert (u["plan"], u["summary"]) == (plan, "future")
    tot = data["totals"]
    assert tot["days"] == {"on_time": 5, "late": 2, "missing": 13, "excused": 0}
    assert tot["kinds"] == {"case": 1, "story": 0, "report": 4, "photo": 1, "video": 1}
    assert tot["plan"] == {"on_time": 3, "missing": 2}
    shares = [(d["day"], d["on_time"], d["owing"], d["share"]) for d in data["per_day"]]
    assert shares[:4] == [
        (DAYS[0], 2, 5, 0.4),
        (DAYS[1], 1, 5, 0.2),
        (DAYS[2], 1, 5, 0.2),
        (DAYS[3], 1, 5, 0.2),
    ]
    assert all(d["share"] is None for d in data["per_day"][4:])  # not due yet

    text = call(week_ws, capsys, "report", "stats", "--as-of", AS_OF)
    assert "合计" in text and "40% (2/5)" in text and "█" * 8 + " " in text
    # The totals' plan and summary in words: 3 plans on time, 2 missing; 5 summaries not yet.
    total = next(line for line in text.splitlines() if line.startswith("合计"))
    assert total.split()[-2:] == ["按时3、未交2", "未开始5"]
    text = call(week_ws, capsys, "report", "stats", "--as-of", AS_OF, "--lang", "en")
    total = next(line for line in text.splitlines() if line.startswith("Total"))
    assert total.endswith("3 on time, 2 missing  5 not yet")


def test_stats_in_a_terminal_draw_a_rich_table_and_bar_chart(week_ws, capsys, monkeypatch):
    # As an operator runs it at an 80-column terminal: stdout is a tty.
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    text = call(week_ws, capsys, "report", "stats", "--as-of", AS_OF)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b[" in text  # drawn by Rich, in colour
    lines = plain.splitlines()
    assert all(cell_len(line) <= 80 for line in lines) and "…" not in plain
    # The bars: 30 cells at 100%, so 40% is 12 full blocks; the days not yet due say so.
    bars = {line[:5]: line for line in lines if line[:2] == "05" and line[2] == "-"}
    assert bars["05-12"].count("█") == 12 and "40% (2/5)" in bars["05-12"]
    assert bars["05-13"].count("█") == 6 and "20% (1/5)" in bars["05-13"]
    assert "未截止" in bars["05-16"] and "█" not in bars["05-16"]
    assert "每日按时报送率" in plain and "按时3、" in plain
    assert any(line.split()[:2] == ["合计", "5"] for line in lines)


def test_stats_agree_with_status_json(week_ws, capsys):
    for moment in ("2024-05-13T11:00", AS_OF, "2024-05-20T09:00"):
        st = json.loads(call(week_ws, capsys, "status", "--json", "--as-of", moment))
        rep = json.loads(
            call(week_ws, capsys, "report", "stats", "--as-of", moment, "--format", "json")
        )
        days = [c for c in st["columns"] if c not in ("plan", "summary")]
        for su, ru in zip(st["units"], rep["units"], strict=True):
            assert su["id"] == ru["id"]
            states = Counter(su["cells"][d]["state"] for d in days)
            assert {s: states[s] for s in ru["days"]} == ru["days"]
            assert ru["plan"] == su["cells"]["plan"]["state"]
            assert ru["summary"] == su["cells"]["summary"]["state"]


def test_csv_has_a_bom_and_reads_back(week_ws, capsys, tmp_path):
    out = tmp_path / "stats.csv"
    call(
        week_ws,
        capsys,
        "report",
        "stats",
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "--output",
        str(out),
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["单位", "按时", "迟交", "未交", "已免"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["新华区教育体育局"][1:5] == ["2", "1", "1", "0"]
    assert by_name["合计"][1:5] == ["5", "2", "13", "0"]
    en = call(
        week_ws, capsys, "report", "calls", "--as-of", AS_OF, "--format", "csv", "--lang", "en"
    )
    assert en.startswith("\ufeffUnit,State")


def test_day_digest_pastes_as_plain_text(week_ws, capsys):
    text = call(week_ws, capsys, "report", "day", "2024-05-14")
    assert not any("\u2500" <= ch <= "\u257f" for ch in text)  # no box drawing
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "按时报送率 20%（1/5）" in text  # 舞钢 on time; 新华区 at 13:00, late
    assert "· 新华区教育体育局：迟60分钟" in text
    assert "不知道是谁的照片.jpg" in text  # in quarantine
    missing = text.split("未报送（3）")[1]
    for name in ("卫东区教育体育局", "平顶山职业技术学院", "平顶山技师学院"):
        assert name in missing
    data = json.loads(call(week_ws, capsys, "report", "day", "2024-05-14", "--format", "json"))
    by = {u["id"]: u for u in data["units"]}
    assert (by["xinhua"]["state"], by["xinhua"]["late_minutes"]) == ("late", 60)
    assert by["wugang"]["arrivals"] == {"report": 1}


def test_actions_report_lists_every_action(week_ws, capsys):
    call(week_ws, capsys, "excuse", "jxxx", "2024-05-12", "--reason", "停电")
    call(week_ws, capsys, "undo")
    rows = json.loads(call(week_ws, capsys, "report", "actions", "--format", "json"))
    assert [(r["action"], r["operator"], r["in_force"]) for r in rows] == [
        ("excuse", "小王", False),
        ("undo", "小王", True),
    ]
    assert rows[0]["unit"] == "jxxx" and rows[0]["reason"] == "停电"
    text = call(week_ws, capsys, "report", "actions")
    assert "停电 (已撤销)" in text


def test_xlsx_has_title_frozen_header_and_real_numbers(week_ws, capsys):
    from openpyxl import load_workbook

    out = call(week_ws, capsys, "report", "stats", "--as-of", AS_OF, "--format", "xlsx")
    path = out.strip()
    assert path.endswith("stats-20240515-1300.xlsx") and "/reports/" in path
    ws = load_workbook(path).active
    assert "2024年平顶山市职业教育活动周" in ws["A1"].value and "2024-05-15 13:00" in ws["A1"].value
    assert ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]][:5] == ["单位", "按时", "迟交", "未交", "已免"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3)}
    assert [c.value for c in rows["新华区教育体育局"][1:5]] == [2, 1, 1, 0]
    total = rows["合计"]
    assert [c.value for c in total[1:5]] == [5, 2, 13, 0]
    assert all(isinstance(c.value, int) and c.data_type == "n" for c in total[1:10])
    assert ws.column_dimensions["A"].width >= 18  # 平顶山职业技术学院: nine wide characters
