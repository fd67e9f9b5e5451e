"""Quarantine reasons: every code says itself in zh and en; old databases' prose becomes codes."""

from __future__ import annotations

import json
import re
import shutil
import string
from pathlib import Path

import pytest

from weekwatch.store.db import MATERIAL_FILES, SCHEMA_VERSION, Store, materials_stamp
from weekwatch.store.reasons import Code, Quarantine, Reason, from_legacy_text, reason
from weekwatch.tui.cli import run
from weekwatch.tui.i18n import I18n

#: A database exactly as weekwatch wrote it at schema 1 (reasons as English prose), made by
#: ingesting eight files with that version: see the materials it holds in test_v1_* below.
SCHEMA1 = Path(__file__).parent / "data" / "schema1"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def sample_args(code: Code) -> dict[str, object]:
    # Every field gets a value that shows up in the text, so a dropped field is seen.
    return {
        name: (f"<{name}1>", f"<{name}2>") if name in ("units", "words") else f"<{name}>"
        for name in fields(code.en)
    }


@pytest.mark.parametrize("code", list(Code))
def test_every_code_speaks_both_languages(code: Code) -> None:
    assert code.zh and code.en, code
    assert fields(code.zh) == fields(code.en), "both texts take the same arguments"
    q = Quarantine.of(code, **sample_args(code))
    zh, en = q.text("zh"), q.text("en")
    for name in fields(code.en):
        assert f"<{name}" in zh and f"<{name}" in en, name
    if code is not Code.LEGACY:  # legacy text is the stored prose, whatever its language
        assert _CJK.search(zh), "the Chinese text is Chinese"
        assert not _CJK.search(en), "the English text is English"
        assert zh != en
    assert I18n("zh").reason(q) == zh and I18n("en").reason(q) == en
    assert str(q) == en


def test_codes_are_unique_and_stable_words() -> None:
    values = [c.value for c in Code]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z_]+", v) for v in values)
    assert len({c.zh for c in Code}) == len({c.en for c in Code}) == len(values)


@pytest.mark.parametrize("code", list(Code))
def test_a_reason_survives_the_database_shape(code: Code) -> None:
    q = Quarantine.of(code, **sample_args(code)) + Quarantine.of(Code.NO_UNIT)
    stored = json.loads(json.dumps(q.to_json(), ensure_ascii=False))
    assert Quarantine.from_json(stored) == q
    assert q.code is code and q.codes == (code, Code.NO_UNIT)


def test_lists_join_as_each_language_joins_them() -> None:
    q = Quarantine.of(Code.TWO_UNITS, units=["叶县教育体育局 (叶县)", "平顶山市第九中学 (九中)"])
    assert q.text("en") == "names two units: 叶县教育体育局 (叶县), 平顶山市第九中学 (九中)"
    assert q.text("zh") == "同时指向两个单位：叶县教育体育局 (叶县)、平顶山市第九中学 (九中)"
    two = q + Quarantine.of(Code.DATE_OUTSIDE, date="2024-11-15")
    assert two.text("en").endswith("; names 2024-11-15, outside the week")
    assert two.text("zh").endswith("；日期 2024-11-15 不在活动周内")


def test_a_code_from_a_newer_weekwatch_is_shown_not_fatal() -> None:
    q = Quarantine.from_json([{"code": "symlink_loop", "args": {}}])
    assert q is not None and q.code is Code.LEGACY and "symlink_loop" in q.text("zh")


# Every reason weekwatch wrote as prose at schema 1, and what it means now.
LEGACY_ROWS = [
    ("no unit named", [reason(Code.NO_UNIT)], "未识别出单位"),
    (
        "names two units: baofeng, wugang",
        [reason(Code.TWO_UNITS, units=["baofeng", "wugang"])],
        "同时指向两个单位：baofeng、wugang",
    ),
    (
        "names 3 units: a, b, c",
        [reason(Code.MANY_UNITS, n=3, units=["a", "b", "c"])],
        "同时指向 3 个单位：a、b、c",
    ),
    (
        "no unit named; date 2024-06-01 is outside the week",
        [reason(Code.NO_UNIT), reason(Code.DATE_OUTSIDE, date="2024-06-01")],
        "未识别出单位；日期 2024-06-01 不在活动周内",
    ),
    ("day 9 is outside the week", [reason(Code.DAY_OUTSIDE, n=9)], "第 9 天不在活动周内"),
    (
        "arrived 2024-05-20, outside the week, and names no date",
        [reason(Code.ARRIVED_OUTSIDE, date="2024-05-20")],
        "2024-05-20 到达，不在活动周内，且文件名无日期",
    ),
    ("empty file (0 bytes)", [reason(Code.EMPTY)], "空文件（0 字节）"),
    ("something new", [reason(Code.LEGACY, text="something new")], "something new"),
]


@pytest.mark.parametrize(("prose", "reasons", "zh"), LEGACY_ROWS)
def test_schema1_prose_becomes_codes(prose: str, reasons: list[Reason], zh: str) -> None:
    q = from_legacy_text(prose)
    assert list(q.reasons) == reasons
    assert q.text("zh") == zh


def v1_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "week"
    shutil.copytree(SCHEMA1, root)
    (root / "inbox").mkdir()
    return root


def raw(root: Path, table: str) -> dict:
    if table == "materials" and not (root / ".weekwatch" / "materials.json").exists():
        return {k: v for s in MATERIAL_FILES[1:] for k, v in shard(root, s).items()}
    return json.loads((root / ".weekwatch" / f"{table}.json").read_text())[table]


def shard(root: Path, name: str) -> dict:
    path = root / ".weekwatch" / f"{name}.json"
    return json.loads(path.read_text())["materials"] if path.exists() else {}


def test_v1_database_is_migrated_on_open(tmp_path: Path) -> None:
    root = v1_workspace(tmp_path)
    assert raw(root, "meta")["schema_version"]["value"] == 1
    before = raw(root, "materials")
    assert before["不知道是谁.pdf"]["quarantine"] == "no unit named"

    store = Store(root / ".weekwatch")
    assert raw(root, "meta")["schema_version"]["value"] == SCHEMA_VERSION == 3
    assert not (root / ".weekwatch" / "materials.json").exists()  # moved into the shards
    after = raw(root, "materials")
    assert set(after) == set(before)
    assert after["不知道是谁.pdf"]["quarantine"] == [{"code": "no_unit", "args": {}}]
    assert after["舞钢市2024-06-01活动报道.docx"]["quarantine"] == [
        {"code": "date_outside", "args": {"date": "2024-06-01"}}
    ]
    for key, doc in before.items():  # nothing else in a record changes
        assert {k: v for k, v in after[key].items() if k != "quarantine"} == {
            k: v for k, v in doc.items() if k != "quarantine"
        }
    codes = {m.path: m.quarantine.codes if m.quarantine else () for m in store.materials()}
    assert codes == {
        "舞钢市/2024-05-13/典型案例.docx": (),
        "不知道是谁.pdf": (Code.NO_UNIT,),
        "舞钢市与汝州市联合活动报道.docx": (Code.TWO_UNITS,),
        "舞钢市2024-06-01活动报道.docx": (Code.DATE_OUTSIDE,),
        "舞钢市第九天照片.jpg": (Code.DAY_OUTSIDE,),
        "舞钢市活动照片.jpg": (Code.ARRIVED_OUTSIDE,),
        "2024-06-01照片.jpg": (Code.NO_UNIT, Code.DATE_OUTSIDE),
        "宝丰县活动方案.docx": (Code.EMPTY,),
    }
    # Opening again changes nothing (the step ran once).
    stamp = materials_stamp(root / ".weekwatch")
    Store(root / ".weekwatch")
    assert materials_stamp(root / ".weekwatch") == stamp


def test_v1_database_reads_with_codes_read_only_without_writing(tmp_path: Path) -> None:
    root = v1_workspace(tmp_path)
    text = (root / ".weekwatch" / "materials.json").read_text()
    store = Store(root / ".weekwatch", read_only=True)
    got = {m.path: m.quarantine for m in store.materials()}
    assert got["舞钢市第九天照片.jpg"] == Quarantine.of(Code.DAY_OUTSIDE, n=9)
    assert (root / ".weekwatch" / "materials.json").read_text() == text
    assert raw(root, "meta")["schema_version"]["value"] == 1


def test_materials_json_of_a_v1_workspace_has_text_and_code(tmp_path: Path, capsys) -> None:
    root = v1_workspace(tmp_path)
    capsys.readouterr()
    assert run(["-w", str(root), "materials", "--json"]) == 0
    rows = {r["path"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["舞钢市/2024-05-13/典型案例.docx"]["quarantine"] is None
    assert rows["舞钢市/2024-05-13/典型案例.docx"]["quarantine_code"] is None
    row = rows["2024-06-01照片.jpg"]
    assert row["quarantine"] == "no unit named; names 2024-06-01, outside the week"
    assert row["quarantine_code"] == "no_unit"
    assert rows["宝丰县活动方案.docx"]["quarantine_code"] == "empty"
