"""[columns.*] and [groups] in weekwatch.toml: read strictly, one message per problem."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.config import init_workspace, load_config
from weekwatch.store.model import Obligations, Unit, WeekwatchError
from weekwatch.store.workspace import CONFIG_NAME

SH = ZoneInfo("Asia/Shanghai")
HEAD = '[event]\ntitle = "2024年职业教育活动周"\nstart = 2024-05-12\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


SEED_002 = (
    HEAD
    + 'plan_deadline = "2024-05-12 12:00"\n'
    + "\n[columns.plan]\n"
    + 'requires = ["plan", "info_form"]    # 方案与信息采集表\n'
    + "\n[columns.days]\n"
    + 'requires = "any"\n'
    + 'days = "all"\n'
    + "\n[columns.summary]\n"
    + 'requires = ["summary", "statistics"]\n'
    + 'deadline = "2024-05-19 17:30"\n'
    + "\n[groups]\n"
    + '"junior-school" = ["summary"]\n'
    + '"dev-zone-bureau" = ["plan", "summary"]\n'
)


def test_seed_002_obligations_are_read(tmp_path):
    ev = load_config(write(tmp_path, SEED_002)).event
    assert ev.obligations == Obligations(
        plan_requires=("plan", "info_form"),
        days_requires=(),
        summary_requires=("summary", "statistics"),
        days=None,
        groups=(("dev-zone-bureau", ("plan", "summary")), ("junior-school", ("summary",))),
        others=None,
    )
    # [columns.summary] deadline is the summary deadline
    assert ev.summary_deadline == dt.datetime(2024, 5, 19, 17, 30, tzinfo=SH)


def test_without_the_new_keys_everything_is_owed_by_any_material(tmp_path):
    assert load_config(write(tmp_path, HEAD)).event.obligations == Obligations()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[columns.days]\ndays = "weekdays"\n', (13, 14, 15, 16, 17)),  # 12th is a Sunday
        ('[columns.days]\ndays = "all"\n', None),
        ('[columns.days]\ndays = ["2024-05-14", 2024-05-13, 2024-05-13]\n', (13, 14)),
        ("[columns.days]\ndays = []\n", ()),
    ],
)
def test_owed_days(tmp_path, text, expected):
    ev = load_config(write(tmp_path, HEAD + text)).event
    want = None if expected is None else tuple(dt.date(2024, 5, d) for d in expected)
    assert ev.obligations.days == want


def test_groups_star_dates_and_days_deadline(tmp_path):
    text = (
        HEAD
        + '[columns.days]\ndeadline = "17:00"\n'
        + '[groups]\n"*" = ["summary"]\n"County-Bureau" = ["PLAN", "days", 2024-05-13]\n'
    )
    ev = load_config(write(tmp_path, text)).event
    assert ev.obligations.others == ("summary",)
    assert ev.obligations.groups == (("county-bureau", ("plan", "days", "2024-05-13")),)
    assert ev.daily_deadline == dt.time(17, 0)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # an unknown kind in requires
        ('[columns.plan]\nrequires = ["plan", "infoform"]\n', 5, ["unknown kind 'infoform'",
                                                                 "did you mean 'info_form'"]),
        ('[columns.summary]\nrequires = ["photo"]\n', 5, ["never lands in the summary column"]),
        ("[columns.summary]\nrequires = []\n", 5, ['write "any"']),
        ("[columns.summary]\nrequires = 3\n", 5, ['must be "any" or a list']),
        # an unknown column in [groups]
        ('[groups]\n"junior-school" = ["sumary"]\n', 5, ["unknown column 'sumary'",
                                                         "did you mean 'summary'"]),
        ('[groups]\n"junior-school" = ["2024-05-20"]\n', 5, ["unknown column '2024-05-20'",
                                                             "2024-05-12 to 2024-05-18"]),
        ('[groups]\n"junior-school" = "summary"\n', 5, ["must be a list of columns"]),
        ('[groups]\n"a" = ["plan"]\n"A" = ["days"]\n', 6, ["listed twice"]),
        # an hour that does not exist
        ('[columns.days]\ndeadline = "25:00"\n', 5, ["'25:00' is not a time of day"]),
        ('[columns.summary]\ndeadline = "2024-05-19 25:00"\n', 5, ["not a real date and time"]),
        ('[columns.summary]\ndeadline = "2024-05-10 17:00"\n', 5, ["before the last day"]),
        ('[columns.summary]\ndeadline = { days_after_end = 1, at = "25:00" }\n', 5, ["25:00"]),
        # the table and its keys
        ('[columns.day]\nrequires = "any"\n', 4, ["[columns.day] is not a column",
                                                  "did you mean 'days'"]),
        ('[columns.plan]\nrequire = "any"\n', 5, ["unknown key", "did you mean 'requires'"]),
        ('[columns.plan]\ndays = "all"\n', 5, ["unknown key"]),
        ('[columns.days]\ndays = "weekends"\n', 5, ['"all", "weekdays" or a list of dates']),
        ('[columns.days]\ndays = ["2024-05-19"]\n', 5, ["not a day of the week"]),
        ('[columns.days]\ndays = ["5月13日"]\n', 5, ["is not a date"]),
        # one deadline written twice
        ('plan_deadline = "2024-05-12 12:00"\n[columns.plan]\ndeadline = "2024-05-12 09:00"\n',
         6, ["set twice", "[event] plan_deadline"]),
    ],
)  # fmt: skip
def test_bad_obligations_name_file_line_and_key(tmp_path, text, line, words):
    path = write(tmp_path, HEAD + text)
    with pytest.raises(WeekwatchError) as e:
        load_config(path)
    msg = str(e.value)
    assert msg.startswith(f"{path}, line {line}: ["), msg
    for w in words:
        assert w in msg, msg


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "WEEKWATCH_WORKSPACE": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "weekwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    "text",
    [
        '[columns.plan]\nrequires = ["plan", "infoform"]\n',
        '[groups]\n"junior-school" = ["sumary"]\n',
        '[columns.days]\ndeadline = "25:00"\n',
    ],
)
def test_bad_obligations_end_as_one_message_and_exit_2(tmp_path, text):
    (tmp_path / "inbox").mkdir()
    write(tmp_path, HEAD + text)
    r = run_cli(tmp_path, "status")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"weekwatch: {tmp_path / CONFIG_NAME}, line 5")
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_a_group_type_no_unit_has_is_a_warning_naming_its_line(tmp_path):
    from weekwatch.store.week import Week
    from weekwatch.store.workspace import Workspace

    (tmp_path / "inbox").mkdir()
    write(tmp_path, HEAD + '[groups]\n"junior-school" = ["summary"]\n"junoir-school" = []\n')
    r = run_cli(tmp_path, "status")  # an empty roster: nothing to compare with yet
    assert r.returncode == 0 and "warning" not in r.stderr
    school = Unit("jz", "平顶山市第九中学", type="junior-school")
    Week(Workspace(tmp_path)).store.put_units([school])
    r = run_cli(tmp_path, "status", "--json")
    assert r.returncode == 0 and r.stdout.startswith("{")
    warnings = r.stderr.strip().splitlines()
    assert warnings == [
        f"weekwatch: warning: {tmp_path / CONFIG_NAME}, line 6: [groups] 'junoir-school': "
        "no unit on the roster has this type (did you mean 'junior-school'?), so this line "
        "changes nothing; the roster's types: junior-school"
    ]


def test_init_writes_the_obligations_commented_and_they_read_as_seed_002(tmp_path):
    ws = init_workspace(tmp_path / "w", title="活动周", start=dt.date(2024, 5, 12))
    text = ws.config.read_text(encoding="utf-8")
    assert load_config(ws.config).event.obligations == Obligations()  # commented: no change
    assert "# [columns.plan]" in text and "# [groups]" in text
    # Uncommented as written, with the [event] summary_deadline left to the [columns] one:
    # the college's obligations (seed 002).
    block = text[text.index("# [columns.plan]") : text.index("# Units may")]
    live = "\n".join(  # the lines of TOML, not the prose around them
        line[2:] for line in block.splitlines() if re.match(r'# (\[|"|\w+ =)', line)
    )
    ev = load_config(write(tmp_path, HEAD + live)).event
    assert ev.obligations.plan_requires == ("plan", "info_form")
    assert ev.obligations.summary_requires == ("summary", "statistics")
    assert ev.obligations.days_requires == () and ev.obligations.days is None
    assert ev.summary_deadline == dt.datetime(2024, 5, 19, 17, 30, tzinfo=SH)
    assert dict(ev.obligations.groups) == {
        "junior-school": ("summary",),
        "dev-zone-bureau": ("plan", "summary"),
    }
    assert ev.obligations.others == ("plan", "days", "summary")


README = Path(__file__).parent.parent / "README.md"


def test_the_readme_configs_of_the_three_notices_load(tmp_path):
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    events = {}
    for text in blocks:
        ev = load_config(write(tmp_path, text)).event
        events[ev.start.year] = ev
    assert sorted(events) == [2020, 2021, 2024]
    assert events[2021].obligations.others == ("summary",)
    assert events[2024].obligations.plan_requires == ("plan", "info_form")
    assert events[2024].summary_deadline == dt.datetime(2024, 5, 19, 17, 30, tzinfo=SH)
    assert events[2020].obligations.summary_requires == ("summary", "statistics")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"2024-05-19 下班前"', dt.datetime(2024, 5, 19, 17, 30, tzinfo=SH)),
        ('{ days_after_end = 1, at = "下班前" }', dt.datetime(2024, 5, 19, 17, 30, tzinfo=SH)),
        ('{ days_after_end = 1, at = "18:00" }', dt.datetime(2024, 5, 19, 18, 0, tzinfo=SH)),
    ],
)
def test_a_columns_deadline_takes_the_notices_words(tmp_path, value, expected):
    text = HEAD + f'[columns.summary]\nrequires = ["summary", "statistics"]\ndeadline = {value}\n'
    assert load_config(write(tmp_path, text)).event.summary_deadline == expected
