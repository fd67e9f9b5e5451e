"""`init` takes a deadline as the notice writes it in words: 活动周前一天 (seed 003's plan, due
the day before its week), 活动周结束后一周内 (seed 004's summary), read by store/deadlines.py
into the very tables weekwatch.toml already writes; words it cannot read are one line naming
what it read, exit 2, nothing made."""

from __future__ import annotations

import datetime as dt

import pytest

from weekwatch.store.config import load_config
from weekwatch.store.deadlines import relative_words
from weekwatch.store.model import WeekwatchError
from weekwatch.tui.cli import main

#: (as a notice writes it, the table it means)
WORDS = [
    ("活动周前一天", {"days_before_start": 1}),
    ("活动周开始前10天 17:00", {"days_before_start": 10, "at": "17:00"}),
    ("活动周开始前一天中午12点前", {"days_before_start": 1, "at": "中午12点前"}),
    ("活动周前一天下班前", {"days_before_start": 1, "at": "下班前"}),
    ("活动周结束后一周内", {"days_after_end": 7}),
    ("活动周结束后3天内", {"days_after_end": 3}),
    ("活动周结束后３天内", {"days_after_end": 3}),  # full-width, as typed on a Chinese IME
    ("活动结束后两周内", {"days_after_end": 14}),
    ("活动周结束后十五天", {"days_after_end": 15}),
    ("活动周结束之后二十一天内", {"days_after_end": 21}),
    ("活动周结束后三个工作日内", {"workdays_after_end": 3}),
    ("活动周结束后3个工作日内下班前", {"workdays_after_end": 3, "at": "下班前"}),
    ("活动周前五个工作日", {"workdays_before_start": 5}),
    # Not words about the week: read as before (a date, a moment, none).
    ("2020-11-07", None),
    ("2024-05-19 下班前", None),
    ("none", None),
]


@pytest.mark.parametrize("text, table", WORDS, ids=[w for w, _ in WORDS])
def test_words_about_the_week_read_as_its_table(text, table):
    assert relative_words(text) == table


#: (words it cannot read, the English line, the Chinese line)
UNREADABLE = [
    (
        "活动周结束后尽快",
        "'活动周结束后尽快': read 活动周结束后 (after the week ends) but not '尽快'; write how "
        "many days, like 活动周前一天, 活动周结束后一周内, 活动周结束后3个工作日内",
        "“活动周结束后尽快”：读懂了“活动周结束后”（活动周结束之后），读不懂“尽快”；请写明几天，"
        "如 活动周前一天、活动周结束后一周内、活动周结束后3个工作日内",
    ),
    (
        "活动周前几天",
        "'活动周前几天': read 活动周前 (before the week begins) but not '几天'; write how "
        "many days, like 活动周前一天, 活动周结束后一周内, 活动周结束后3个工作日内",
        "“活动周前几天”：读懂了“活动周前”（活动周开始之前），读不懂“几天”；请写明几天，"
        "如 活动周前一天、活动周结束后一周内、活动周结束后3个工作日内",
    ),
    (
        "活动周结束后一周内傍晚",
        "'活动周结束后一周内傍晚': read 活动周结束后一周内 (days_after_end = 7) but not the time "
        "of day '傍晚'; write it like 17:00 or 下班前",
        "“活动周结束后一周内傍晚”：读懂了“活动周结束后一周内”（days_after_end = 7），"
        "读不懂钟点“傍晚”；请写如 17:00 或 下班前",
    ),
]


def _weekwatch(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.mark.parametrize("text, en, zh", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_words_it_cannot_read_say_what_was_read(tmp_path, capsys, text, en, zh):
    with pytest.raises(WeekwatchError) as e:
        relative_words(text)
    assert str(e.value) == en
    for lang, line in (("en", en), ("zh", zh)):
        d = tmp_path / lang
        argv = ["init", str(d), "--title", "2020年潍坊市职业教育活动周", "--start", "2020-11-08"]
        code, out, err = _weekwatch([*argv, "--summary-deadline", text, "--lang", lang], capsys)
        flag = "--summary-deadline: " if lang == "en" else "--summary-deadline："
        assert (code, out, err) == (2, "", f"weekwatch: {flag}{line}\n")
        assert not d.exists()  # nothing made


def test_seed_003s_week_set_up_in_its_own_words(tmp_path, capsys):
    # 活动方案…请于2020年11月7日之前报送 for a week of 8–14 November: the day before the week;
    # 总结报告…于2020年11月17日之前: three days after it.
    d = tmp_path / "潍坊2020"
    code, out, err = _weekwatch(
        [
            "init",
            str(d),
            "--title",
            "2020年潍坊市职业教育活动周",
            "--start",
            "2020-11-08",
            "--daily-deadline",
            "24:00",
            "--plan-deadline",
            "活动周前一天",
            "--summary-deadline",
            "活动周结束后3天内",
            "--lang",
            "zh",
        ],
        capsys,
    )
    assert (code, err) == (0, "")
    text = (d / "weekwatch.toml").read_text(encoding="utf-8")
    assert "plan_deadline = { days_before_start = 1 }\n" in text
    assert "summary_deadline = { days_after_end = 3 }\n" in text
    event = load_config(d / "weekwatch.toml").event
    tz = event.tz
    assert event.plan_deadline == dt.datetime(2020, 11, 7, 23, 59, 59, tzinfo=tz)
    assert event.summary_deadline == dt.datetime(2020, 11, 17, 23, 59, 59, tzinfo=tz)


def test_the_ministrys_summary_within_a_week_after_it(tmp_path, capsys):
    # Seed 004: 14–20 May 2023, the summary 活动周结束后一周内 — in weekwatch.toml too.
    d = tmp_path / "教育部2023"
    argv = ["init", str(d), "--title", "2023年职业教育活动周", "--start", "2023-05-14"]
    code, _, err = _weekwatch(
        [*argv, "--summary-deadline", "活动周结束后一周内 下班前", "--workday-end", "17:00"], capsys
    )
    assert (code, err) == (0, "")
    config = d / "weekwatch.toml"
    text = config.read_text(encoding="utf-8")
    assert 'summary_deadline = { days_after_end = 7, at = "下班前" }\n' in text
    event = load_config(config).event
    assert event.summary_deadline == dt.datetime(2023, 5, 27, 17, 0, tzinfo=event.tz)
    # Written as words in weekwatch.toml by hand, it means the same.
    config.write_text(
        text.replace(
            'summary_deadline = { days_after_end = 7, at = "下班前" }',
            'summary_deadline = "活动周结束后一周内 下班前"',
        ),
        encoding="utf-8",
    )
    assert load_config(config).event.summary_deadline == event.summary_deadline
