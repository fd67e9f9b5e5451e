"""The reading index kept beside the roster (store/reading_index.py): a process that finds it
current reads every name exactly as one that folds the whole roster afresh; torn, tampered,
of another version, or made for another roster, weekwatch.toml or code, it is made again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, empty_workspace
from weekwatch.store import reading, reading_index
from weekwatch.store.reading import Reader
from weekwatch.store.reread import read_with
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

# Rosters as the notices' bureaus keep them: seed 001 (Pingdingshan, simplified characters,
# short names inside longer ones) and seed 002 (a Wuxi college, traditional characters).
ROSTER_001 = """编号,单位名称,简称,类型,联系人,联系电话,邮箱
1,新华区教育体育局,新华区;新华区教体局,县市区教体局,王敏,13837510218,xh@example.com
2,卫东区教育体育局,卫东区;卫东区教体局,县市区教体局,李娜,13837520436,wd@example.com
3,湛河区教育体育局,湛河;湛河区;湛河区教体局,县市区教体局,张伟,13837530651,zh@example.com
4,叶县教育体育局,叶县;叶县教体局,县市区教体局,黄丽,13837580746,yx@example.com
6,高新区农社局,高新区,开发区农社局,徐刚,13837512409,gx@example.com
7,平顶山职业技术学院,平职院,高职院校,马超,13837534841,pzy@example.org
8,平顶山市卫生学校,卫校;市卫校,中职学校,韩梅,13837556383,pws@example.org
10,平顶山市第一中学,一中,初中学校,吴婷,13837501188,yz@example.org
11,平顶山市第九中学,九中,初中学校,刘洋,13837540872,jz@example.org
"""
ROSTER_002 = """编号,单位名称,简称,类型,联系人,联系电话,邮箱
ysxy,藝術設計學院,藝設學院,二級學院,吳蘇玲,13900000001,ys@example.edu
jdxy,機電工程學院,機電學院,二級學院,王強,13900000002,jd@example.edu
xxxy,信息工程學院,信息學院,二級學院,李華,13900000003,xx@example.edu
jgxy,經濟管理學院,經管學院,二級學院,趙敏,13900000004,jg@example.edu
qcxy,汽车工程学院,汽车学院,二级学院,孙磊,13900000005,qc@example.edu
"""
#: Names as people write them, one row each: (roster, path).
NAMES = [
    ("001", "平职院/启动仪式/照片1.jpg"),
    ("001", "洛阳市第一中学5月13日研学活动.jpg"),
    ("001", "平顶山市卫校5月13日照片.jpg"),
    ("001", "湛河北路小学5月14日职业体验.jpg"),
    ("001", "湛河区5月14日职业体验.jpg"),
    ("001", "护卫校园活动照片.jpg"),
    ("001", "一中5月14日研学照片.jpg"),
    ("001", "叶县教体局5月15日职业启蒙进九中.docx"),
    ("001", "平顶山市第十九中学5月15日职业体验.jpg"),
    ("001", "高新区农社局5.16典型案例.docx"),
    ("001", "卫东区第6天简报.docx"),
    ("001", "新华区、卫东区联合活动照片.jpg"),
    ("001", "2024-05-13/xh/典型案例.docx"),
    ("001", "11/5月13日照片.jpg"),
    ("002", "艺術設計學院活動週方案.docx"),
    ("002", "藝術設計學院信息採集表.xlsx"),
    ("002", "機電工程學院5月13日典型職教故事.docx"),
    ("002", "經管學院/5月14日/校企集中簽約視頻.mp4"),
    ("002", "汽車工程學院5月14日活動報道.docx"),
    ("002", "艺术设计学院5.15典型案例.docx"),
    ("002", "機電學院星期四照片.jpg"),
    ("002", "信息工程學院5月17日活動總結.docx"),
    ("002", "經濟管理學院與機電工程學院聯合招聘會照片.jpg"),
    ("002", "藝術設計學院職業教育活動周總結.docx"),
    ("002", "jdxy_5月16日照片.jpg"),
]
ROSTERS = {"001": ROSTER_001, "002": ROSTER_002}


def _workspace(root: Path, roster: str) -> Workspace:
    ws = empty_workspace(root, units=())
    sheet = root / "联络员信息表.csv"
    sheet.write_text(roster, encoding="utf-8")
    Week(ws).import_units(sheet)
    return ws


def _index(ws: Workspace) -> Path:
    return ws.dbdir / reading_index.NAME


@pytest.fixture
def folds(monkeypatch) -> list[int]:
    """How many times a process folded a roster into an index (each `UnitIndex` made)."""
    made: list[int] = []
    real = reading.UnitIndex.__init__

    def counted(self, units):
        made.append(1)
        real(self, units)

    monkeypatch.setattr(reading.UnitIndex, "__init__", counted)
    return made


@pytest.mark.parametrize("seed, path", NAMES)
def test_a_kept_index_reads_every_name_as_a_fresh_one(tmp_path, folds, seed, path):
    ws = _workspace(tmp_path / seed, ROSTERS[seed])
    Week(ws).reader()  # the first process makes it and keeps it
    assert _index(ws).exists() and len(folds) == 1
    week = Week(ws)
    kept = week.reader()
    assert len(folds) == 1  # read, not made again
    fresh = Reader(week.event, week.units())
    for arrived in (at(13, 9, 0), at(20, 9, 0)):  # in the week, and after it
        assert kept.read(path, arrived) == fresh.read(path, arrived)
    for uid in (u.id for u in week.units()):
        assert kept.unit_name(uid) == fresh.unit_name(uid)


def test_the_kept_fingerprint_is_the_rosters_and_the_weeks(tmp_path, folds):
    ws = _workspace(tmp_path / "w", ROSTER_002)
    Week(ws).reader()
    week = Week(ws)
    assert week.read_with() == read_with(week.event, week.units())
    assert len(folds) == 1


def _damaged(ws: Workspace, how: str) -> None:
    path = _index(ws)
    raw = path.read_bytes()
    if how == "torn":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "tampered":  # one byte of the body changed: its checksum no longer holds
        i = len(raw) // 2
        path.write_bytes(raw[:i] + bytes([raw[i] ^ 0x20]) + raw[i + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "not ours":  # a checksum that holds over what is no index
        import zlib

        body = b"\x00not marshal"
        path.write_bytes(raw[:4] + zlib.crc32(body).to_bytes(4, "little") + body)
    elif how == "another format":
        path.write_bytes(raw[:3] + bytes([raw[3] + 1]) + raw[4:])
    elif how == "another version":
        old = reading_index.VERSION
        try:
            reading_index.VERSION = old + 1
            os.unlink(path)
            Week(ws).reader()
        finally:
            reading_index.VERSION = old
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how", ["torn", "tampered", "empty", "not ours", "another format", "another version"]
)
def test_a_damaged_index_is_made_again_and_reads_as_a_fresh_one(tmp_path, folds, how):
    ws = _workspace(tmp_path / "w", ROSTER_001)
    Week(ws).reader()
    _damaged(ws, how)
    before = len(folds)
    week = Week(ws)
    kept = week.reader()
    assert len(folds) == before + 1  # not trusted: made again
    fresh = Reader(week.event, week.units())
    for _, path in NAMES:
        assert kept.read(path, at(13)) == fresh.read(path, at(13))
    assert len(folds) == before + 2  # (the fresh one)
    Week(ws).reader()
    assert len(folds) == before + 2  # and kept again, whole


def test_a_roster_written_since_makes_it_stale(tmp_path, folds):
    ws = _workspace(tmp_path / "w", ROSTER_001)
    old = Week(ws)
    assert old.reader().read("平卫5月13日照片.jpg", at(13)).unit is None
    sheet = tmp_path / "more.csv"
    sheet.write_text("编号,单位名称,简称\n8,平顶山市卫生学校,卫校;市卫校;平卫\n", "utf-8")
    Week(ws).import_units(sheet)  # another process adds an alias
    assert Week(ws).reader().read("平卫5月13日照片.jpg", at(13)).unit == "8"
    assert old.reader().read("平卫5月13日照片.jpg", at(13)).unit == "8"  # this one too


def test_weekwatch_toml_changed_since_makes_it_stale(tmp_path, folds):
    ws = _workspace(tmp_path / "w", ROSTER_001)
    week = Week(ws)
    week.reader()
    assert week.reader().read("实验中学5月13日照片.jpg", at(13)).unit is None
    text = ws.config.read_text(encoding="utf-8")
    text += '\n[[units]]\nid = "sz"\nname = "平顶山市实验中学"\naliases = ["实验中学"]\n'
    ws.config.write_text(text, encoding="utf-8")
    fresh = Week(ws)
    assert fresh.reader().read("实验中学5月13日照片.jpg", at(13)).unit == "sz"
    assert fresh.read_with() == read_with(fresh.event, fresh.units())


def test_other_code_makes_it_stale(tmp_path, folds, monkeypatch):
    ws = _workspace(tmp_path / "w", ROSTER_001)
    Week(ws).reader()
    real = reading_index.code_stamp
    monkeypatch.setattr(reading_index, "code_stamp", lambda: (*real(), ("reading.py", 1, 1)))
    Week(ws).reader()
    assert len(folds) == 2


def test_a_read_only_week_or_an_unwritable_folder_only_costs_a_fold(tmp_path, folds):
    ws = _workspace(tmp_path / "w", ROSTER_001)
    Week(ws, read_only=True).reader()
    assert not _index(ws).exists()  # a read-only opening writes nothing
    os.chmod(ws.dbdir, 0o555)
    try:
        reader = Week(ws).reader()
    finally:
        os.chmod(ws.dbdir, 0o775)
    assert reader.read("平职院/照片1.jpg", at(13)).unit == "7"
    assert [p.name for p in ws.dbdir.iterdir() if ".tmp" in p.name] == []


def test_deleting_it_loses_nothing(tmp_path, folds):
    ws = _workspace(tmp_path / "w", ROSTER_001)
    Week(ws).reader()
    _index(ws).unlink()
    assert Week(ws).reader().read("平职院/照片1.jpg", at(13)).unit == "7"
    assert _index(ws).exists() and len(folds) == 2


def test_an_ingest_of_one_path_builds_no_unit(tmp_path, monkeypatch):
    from weekwatch.store.model import Unit
    from weekwatch.tui.cli import run

    ws = _workspace(tmp_path / "w", ROSTER_001)
    Week(ws).reader()
    (ws.inbox / "平职院").mkdir()
    f = ws.inbox / "平职院" / "5月13日照片.jpg"
    f.write_bytes(b"jpg")
    built: list[str] = []
    real = Unit.from_dict.__func__

    def counted(cls, d):
        built.append(d["id"])
        return real(cls, d)

    monkeypatch.setattr(Unit, "from_dict", classmethod(counted))
    assert run(["-w", str(ws.root), "ingest", str(f)]) == 0
    assert built == []
    [m] = Week(ws).store.materials()
    assert (m.unit, m.cell) == ("7", "2024-05-13")


def test_an_index_written_by_another_python_is_made_again(tmp_path, folds, monkeypatch):
    from weekwatch.store import derived

    ws = _workspace(tmp_path / "w", ROSTER_002)
    Week(ws).reader()
    monkeypatch.setattr(derived, "INTERPRETER", (0x030C00F0, 4))  # marshal's format may differ
    assert Week(ws).reader().read("機電學院星期四照片.jpg", at(16)).unit == "jdxy"
    assert len(folds) == 2
