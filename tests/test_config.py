"""weekwatch.toml (load, init, moments) and finding the workspace; real files in tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from weekwatch.store.config import (
    init_workspace,
    load_config,
    parse_hhmm,
    parse_moment,
    toml_string,
)
from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.workspace import CONFIG_NAME, NOT_FOUND, Workspace, find_workspace

SH = ZoneInfo("Asia/Shanghai")
HEAD = '[event]\ntitle = "2024年职业教育活动周"\nstart = 2024-05-12\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- good configs

GOOD = [
    pytest.param(
        HEAD,
        {
            "days": 7,
            "timezone": "Asia/Shanghai",
            "daily_deadline": dt.time(12, 0),
            "plan_deadline": dt.datetime(2024, 5, 12, 12, 0, tzinfo=SH),
            # 18:00 on the 7th day after the last day (18 May)
            "summary_deadline": dt.datetime(2024, 5, 25, 18, 0, tzinfo=SH),
            "theme": "",
            "day_themes": (),
            "lang": "",
        },
        id="defaults",
    ),
    pytest.param(
        HEAD + 'daily_deadline = "9:30"\nplan_deadline = "2024-05-12 09:30"\n'
        'summary_deadline = "2024-05-18T00:00"\nday_themes = ["学校日", " 学生日 "]\n'
        'lang = "ZH"\ntheme = "一技在手，一生无忧"\n',
        {
            "daily_deadline": dt.time(9, 30),
            "plan_deadline": dt.datetime(2024, 5, 12, 9, 30, tzinfo=SH),
            # the last day's first minute is the earliest a summary can be due
            "summary_deadline": dt.datetime(2024, 5, 18, 0, 0, tzinfo=SH),
            "day_themes": ("学校日", "学生日"),
            "lang": "zh",
            "theme": "一技在手，一生无忧",
        },
        id="strings-at-the-limits",
    ),
    pytest.param(
        HEAD + "daily_deadline = 11:45:00\nplan_deadline = 2024-05-12T08:00:00\n"
        "summary_deadline = 2024-05-19T10:00:00Z\n",
        {
            "daily_deadline": dt.time(11, 45),
            # a TOML local date-time is the event's wall clock, never UTC
            "plan_deadline": dt.datetime(2024, 5, 12, 8, 0, tzinfo=SH),
            # an explicit offset keeps its instant: 10:00Z is 18:00 in Shanghai
            "summary_deadline": dt.datetime(2024, 5, 19, 18, 0, tzinfo=SH),
        },
        id="toml-native-times",
    ),
    pytest.param(
        HEAD + 'plan_deadline = "2024-05-12T12:00+00:00"\n',
        {"plan_deadline": dt.datetime(2024, 5, 12, 20, 0, tzinfo=SH)},
        id="string-with-offset",
    ),
    pytest.param(
        HEAD + 'timezone = "Europe/London"\n',
        {
            "timezone": "Europe/London",
            "plan_deadline": dt.datetime(2024, 5, 12, 12, 0, tzinfo=ZoneInfo("Europe/London")),
        },
        id="other-zone",
    ),
    pytest.param(
        '[event]\ntitle = "周"\nstart = "2024-11-08"\ndays = 31\n',
        {"start": dt.date(2024, 11, 8), "days": 31},
        id="start-as-string-and-max-days",
    ),
    pytest.param(
        HEAD + "\n[other_module]\nanything = 1\n",
        {"title": "2024年职业教育活动周"},
        id="unknown-top-level-tables-are-left-to-others",
    ),
]


@pytest.mark.parametrize(("text", "expected"), GOOD)
def test_good_config(tmp_path: Path, text: str, expected: dict[str, object]) -> None:
    config = load_config(write(tmp_path, text))
    assert config.path == tmp_path / CONFIG_NAME
    assert config.units == ()
    for key, value in expected.items():
        assert getattr(config.event, key) == value, key
    # Deadlines are always filled in and aware, whatever the file said.
    assert config.event.plan_deadline is not None
    assert config.event.plan_deadline.tzinfo is not None
    assert config.event.summary_deadline is not None
    assert config.event.summary_deadline.tzinfo is not None


def test_units_in_config(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[units]]\nid = "pzy"\nname = "平顶山职业技术学院"\naliases = ["平职院", "平职"]\n'
        + "liaison_phone = 13812345678\n"
        + '[[units]]\nid = 7\nname = "舞钢市教育体育局"\naliases = "舞钢；舞钢市、 舞钢 "\n'
    )
    config = load_config(write(tmp_path, text))
    assert config.units == (
        Unit(
            id="pzy",
            name="平顶山职业技术学院",
            aliases=("平职院", "平职"),
            liaison_phone="13812345678",
        ),
        Unit(id="7", name="舞钢市教育体育局", aliases=("舞钢", "舞钢市")),
    )


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert load_config(path).event.title == "2024年职业教育活动周"


# ---------------------------------------------------------------------------- bad configs

UNIT_A = '[[units]]\nid = "a"\nname = "甲学院"\naliases = ["甲"]\n'
BAD = [
    pytest.param('[event]\ntitle = "x\n', ["not valid TOML", "line 2"], id="malformed"),
    pytest.param('title = "x"\nstart = 2024-05-12\n', ["no [event] table"], id="no-event"),
    pytest.param('event = "x"\n', ["[event]", "must be a table"], id="event-not-table"),
    pytest.param("[event]\nstart = 2024-05-12\n", ["no 'title'"], id="no-title"),
    pytest.param('[event]\ntitle = "x"\n', ["no 'start'"], id="no-start"),
    pytest.param(
        "[event]\ntitle = 3\nstart = 2024-05-12\n",
        ["line 2", "title", "must be a string"],
        id="title-type",
    ),
    pytest.param(
        '[event]\ntitle = "  "\nstart = 2024-05-12\n', ["title", "empty"], id="title-blank"
    ),
    pytest.param(
        '[event]\ntitle = "x"\nstart = "2024-13-01"\n',
        ["line 3", "start", "2024-13-01"],
        id="start-bad-string",
    ),
    pytest.param(
        '[event]\ntitle = "x"\nstart = 2024-05-12T08:00:00\n',
        ["start", "without a time"],
        id="start-datetime",
    ),
    pytest.param(HEAD + "days = 0\n", ["line 4", "days", "between 1 and 31"], id="days-0"),
    pytest.param(HEAD + "days = 32\n", ["days", "between 1 and 31", "32"], id="days-32"),
    pytest.param(HEAD + 'days = "7"\n', ["days", "whole number"], id="days-string"),
    pytest.param(HEAD + "days = true\n", ["days", "whole number"], id="days-bool"),
    pytest.param(
        HEAD + 'timezone = "Mars/Olympus"\n',
        ["line 4", "timezone", "unknown time zone 'Mars/Olympus'"],
        id="zone-unknown",
    ),
    pytest.param(
        HEAD + 'timezone = "../../etc/passwd"\n',
        ["timezone", "not a time zone name"],
        id="zone-path",
    ),
    pytest.param(
        HEAD + 'timezone = "/usr/share/zoneinfo/UTC"\n',
        ["timezone", "not a time zone name"],
        id="zone-absolute",
    ),
    pytest.param(
        HEAD + 'daily_deadline = "25:00"\n', ["daily_deadline", "'25:00'", "HH:MM"], id="hhmm"
    ),
    pytest.param(HEAD + 'daily_deadline = "noon"\n', ["daily_deadline", "'noon'"], id="hhmm-word"),
    pytest.param(HEAD + "daily_deadline = 12\n", ["daily_deadline", "a number"], id="hhmm-int"),
    pytest.param(
        HEAD + 'summary_deadline = "2024-05-17T23:59"\n',
        ["summary_deadline", "before the last day"],
        id="summary-before-last-day",
    ),
    pytest.param(
        HEAD + 'summary_deadline = "next week"\n',
        ["summary_deadline", "'next week'"],
        id="summary-garbage",
    ),
    pytest.param(HEAD + 'lang = "fr"\n', ["lang", "unknown language 'fr'"], id="lang"),
    pytest.param(
        HEAD + "days = 2\nday_themes = ['a', 'b', 'c']\n",
        ["day_themes", "3 entries", "2 days"],
        id="day-themes-too-many",
    ),
    pytest.param(HEAD + "day_themes = [1]\n", ["day_themes", "list of strings"], id="themes-type"),
    pytest.param(
        HEAD + 'titel = "x"\n', ["line 4", "titel", "did you mean 'title'"], id="unknown-key"
    ),
    pytest.param(
        HEAD + UNIT_A + '[[units]]\nid = "a"\nname = "乙学院"\n',
        ["duplicate unit id 'a'", "line 4", "line 8"],
        id="units-duplicate-id",
    ),
    pytest.param(
        HEAD + UNIT_A + '[[units]]\nid = "b"\nname = "乙学院"\naliases = "甲"\n',
        ["'甲' names two units", "'a'", "'b'"],
        id="units-shared-alias",
    ),
    pytest.param(
        HEAD + UNIT_A + '[[units]]\nid = "b"\naliases = "乙"\n',
        ["line 8", "unit 'b' has no name"],
        id="units-no-name",
    ),
    pytest.param(
        HEAD + '[[units]]\nid = "a b"\nname = "甲"\n', ["'a b'", "no spaces"], id="units-bad-id"
    ),
    pytest.param(
        HEAD + '[[units]]\nid = "a"\nname = "甲"\nphone = "1"\n',
        ["line 7", "[[units]] #1 phone", "unknown key"],
        id="units-unknown-key",
    ),
    pytest.param(
        HEAD + '[[units]]\nid = "a"\nname = ["甲"]\n',
        ["line 6", "name", "must be a string"],
        id="units-name-type",
    ),
    pytest.param("units = [1, 2]\n" + HEAD, ["line 1", "[[units]]"], id="units-not-tables"),
    pytest.param(
        HEAD + "units = 1\n", ["line 4", "[event] units: unknown key"], id="units-in-event"
    ),
]


@pytest.mark.parametrize(("text", "needles"), BAD)
def test_bad_config(tmp_path: Path, text: str, needles: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(WeekwatchError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message
    assert "\n" not in message  # one line an operator can read


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_bytes('[event]\ntitle = "职业教育活动周"\n'.encode("gb18030"))
    with pytest.raises(WeekwatchError, match="line 2: not UTF-8") as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WeekwatchError, match="no such file"):
        load_config(tmp_path / CONFIG_NAME)


# ---------------------------------------------------------------------------- init


def test_init_round_trips(tmp_path: Path) -> None:
    root = tmp_path / "week"
    ws = init_workspace(root, title="2024年职业教育活动周", start=dt.date(2024, 5, 12))
    assert ws == Workspace(root)
    assert ws.inbox.is_dir()
    event = load_config(ws.config).event
    assert (event.title, event.start, event.days) == (
        "2024年职业教育活动周",
        dt.date(2024, 5, 12),
        7,
    )
    assert event.plan_deadline == dt.datetime(2024, 5, 12, 12, 0, tzinfo=SH)
    assert event.summary_deadline == dt.datetime(2024, 5, 25, 18, 0, tzinfo=SH)


def test_init_writes_every_argument(tmp_path: Path) -> None:
    title = 'a "quoted" \\ back\tslash\nnew\x01line\x7f 活动周'
    ws = init_workspace(
        tmp_path,
        title=title,
        start=dt.date(2024, 5, 12),
        days=3,
        timezone="Europe/London",
        daily_deadline="10:00",
        plan_deadline="2024-05-12 09:00",
        summary_deadline="2024-05-20T18:00+08:00",
        theme="一技在手，一生无忧",
        lang="en",
    )
    event = load_config(ws.config).event
    london = ZoneInfo("Europe/London")
    assert event.title == title.strip()
    assert event.days == 3
    assert event.daily_deadline == dt.time(10, 0)
    assert event.plan_deadline == dt.datetime(2024, 5, 12, 9, 0, tzinfo=london)
    assert event.summary_deadline == dt.datetime(2024, 5, 20, 11, 0, tzinfo=london)
    assert (event.theme, event.lang, event.timezone) == (
        "一技在手，一生无忧",
        "en",
        "Europe/London",
    )


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    write(tmp_path, "# mine\n")
    with pytest.raises(WeekwatchError, match="already exists"):
        init_workspace(tmp_path, title="x", start=dt.date(2024, 5, 12))
    assert (tmp_path / CONFIG_NAME).read_text() == "# mine\n"
    assert not (tmp_path / "inbox").exists()


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"days": 0}, "between 1 and 31"),
        ({"daily_deadline": "1200"}, "'1200'"),
        ({"summary_deadline": "2024-05-01 12:00"}, "before the last day of the week begins"),
        ({"summary_deadline": "soon"}, "'soon'"),
        ({"lang": "fr"}, "unknown language"),
        ({"title": " "}, "must not be empty"),
    ],
)
def test_init_bad_arguments_leave_nothing(
    tmp_path: Path, kwargs: dict[str, object], needle: str
) -> None:
    root = tmp_path / "week"
    args: dict[str, object] = {"title": "x", "start": dt.date(2024, 5, 12), **kwargs}
    with pytest.raises(WeekwatchError, match=needle):
        init_workspace(root, **args)  # type: ignore[arg-type]
    assert not root.exists()


@pytest.mark.parametrize(
    "text", ["plain", 'q"uote', "back\\slash", "tab\there", "nl\nx", "\x00\x1f\x7f", "汉字 ✓"]
)
def test_toml_string_round_trips(text: str) -> None:
    import tomllib

    assert tomllib.loads(f"k = {toml_string(text)}")["k"] == text


# ---------------------------------------------------------------------------- moments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-13 12:00", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
        ("2024-05-13T12:00", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
        ("2024-05-13T12:00:30", dt.datetime(2024, 5, 13, 12, 0, 30, tzinfo=SH)),
        ("2024-5-3 9:05", dt.datetime(2024, 5, 3, 9, 5, tzinfo=SH)),
        ("2024/05/13 12:00", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
        ("２０２４-０５-１３　１２：００", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
        ("2024-05-13T04:00Z", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
        ("2024-05-13T12:00+08:00", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
        ("2024-05-13T00:00-0400", dt.datetime(2024, 5, 13, 12, 0, tzinfo=SH)),
    ],
)
def test_parse_moment(text: str, expected: dt.datetime) -> None:
    moment = parse_moment(text, SH)
    assert moment == expected
    assert moment.utcoffset() == dt.timedelta(hours=8)  # shown in the event's zone


@pytest.mark.parametrize(
    "text", ["12:00", "tomorrow", "2024-02-30 12:00", "2024-05-13 24:01", "2024-05-13 25:00", ""]
)
def test_parse_moment_rejects(text: str) -> None:
    with pytest.raises(WeekwatchError) as err:
        parse_moment(text, SH)
    assert f"'{text}'" in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12:00", dt.time(12)),
        ("9:30", dt.time(9, 30)),
        ("１２：００", dt.time(12)),
        (" 0:00 ", dt.time(0)),
    ],
)
def test_parse_hhmm(text: str, expected: dt.time) -> None:
    assert parse_hhmm(text) == expected


# ---------------------------------------------------------------------------- finding the workspace


def make_ws(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    write(path, HEAD)
    return path


def test_find_precedence(tmp_path: Path) -> None:
    by_arg = make_ws(tmp_path / "arg")
    by_env = make_ws(tmp_path / "env")
    by_cwd = make_ws(tmp_path / "cwd")
    deep = by_cwd / "inbox" / "舞钢市" / "2024-05-13"
    deep.mkdir(parents=True)
    env = {"WEEKWATCH_WORKSPACE": str(by_env)}
    assert find_workspace(str(by_arg), env, deep).root == by_arg
    assert find_workspace(None, env, deep).root == by_env
    assert find_workspace(None, {}, deep).root == by_cwd
    assert find_workspace(None, {"WEEKWATCH_WORKSPACE": ""}, deep).root == by_cwd
    assert find_workspace("", {}, by_cwd).root == by_cwd


def test_find_relative_and_toml_arg(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "week")
    assert find_workspace("week", {}, tmp_path).root == ws
    assert find_workspace(str(ws / CONFIG_NAME), {}, tmp_path).root == ws
    assert find_workspace(None, {"WEEKWATCH_WORKSPACE": "week"}, tmp_path).root == ws


def test_find_nothing(tmp_path: Path) -> None:
    with pytest.raises(WeekwatchError) as err:
        find_workspace(None, {}, tmp_path)
    assert str(err.value) == NOT_FOUND
    assert "weekwatch init DIR" in NOT_FOUND


@pytest.mark.parametrize("via", ["arg", "env"])
def test_find_named_folder_without_toml(tmp_path: Path, via: str) -> None:
    make_ws(tmp_path)  # a workspace above must not be picked up instead
    empty = tmp_path / "empty"
    empty.mkdir()
    arg, env = (str(empty), {}) if via == "arg" else (None, {"WEEKWATCH_WORKSPACE": str(empty)})
    with pytest.raises(WeekwatchError) as err:
        find_workspace(arg, env, tmp_path)
    assert str(empty) in str(err.value)
    assert CONFIG_NAME in str(err.value)


def test_find_named_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(WeekwatchError, match="no such folder"):
        find_workspace(str(tmp_path / "nope"), {}, tmp_path)


def test_workspace_paths(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert (ws.config, ws.inbox, ws.dbdir) == (
        tmp_path / "weekwatch.toml",
        tmp_path / "inbox",
        tmp_path / ".weekwatch",
    )
