"""Table tests of how a roster is read: header labels, cells as people fill them, rows that are
no unit, and what a name tells (pinyin id, type, aliases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from weekwatch.store.model import Unit, WeekwatchError
from weekwatch.store.roster import read_sheet
from weekwatch.store.roster_cells import emails, phone, phones
from weekwatch.store.roster_header import label_field, parse_map, read_header
from weekwatch.store.roster_merge import plan_import
from weekwatch.store.unit_names import alias_candidates, infer_type, initials


@pytest.mark.parametrize(
    ("label", "field"),
    [
        # name
        ("单位名称", "name"),
        ("单位", "name"),
        ("学校名称", "name"),
        ("学校", "name"),
        ("院校名称", "name"),
        ("参与单位", "name"),
        ("名称", "name"),
        (" 单 位 名 称 ", "name"),
        ("单位名称（盖章）", "name"),
        ("*单位名称", "name"),
        ("学校（单位）名称", "name"),
        ("NAME", "name"),
        # aliases
        ("简称", "aliases"),
        ("别名", "aliases"),
        ("单位简称", "aliases"),
        # type
        ("类型", "type"),
        ("单位类型", "type"),
        ("类别", "type"),
        ("性质", "type"),
        # region
        ("区域", "region"),
        ("县市区", "region"),
        ("所在地", "region"),
        ("地区", "region"),
        ("属地", "region"),
        # liaison
        ("联系人", "liaison_name"),
        ("联络员", "liaison_name"),
        ("活动联络员", "liaison_name"),
        ("负责人", "liaison_name"),
        ("姓名", "liaison_name"),
        ("联络员姓名", "liaison_name"),
        # phone
        ("联系电话", "liaison_phone"),
        ("电话", "liaison_phone"),
        ("手机", "liaison_phone"),
        ("手机号", "liaison_phone"),
        ("手机号码", "liaison_phone"),
        ("办公电话", "liaison_phone"),
        ("固定电话", "liaison_phone"),
        ("手机（必填）", "liaison_phone"),
        ("手机(必填)", "liaison_phone"),
        ("手机【必填】", "liaison_phone"),
        # e-mail
        ("邮箱", "liaison_email"),
        ("电子邮箱", "liaison_email"),
        ("电子信箱", "liaison_email"),
        ("E-mail", "liaison_email"),
        ("Email", "liaison_email"),
        ("ＥＭＡＩＬ", "liaison_email"),
        ("e-mail", "liaison_email"),
        ("电子邮箱（多个用；隔开）", "liaison_email"),
        # id
        ("编号", "id"),
        ("代码", "id"),
        ("单位代码", "id"),
        ("ID", "id"),
        # a college's roster of its own schools and departments
        ("二级学院", "name"),
        ("二级部门", "name"),
        ("院系", "name"),
        # kept out without complaint
        ("序号", None),
        ("部门", None),
        ("职务", None),
        ("备注", None),
        ("学校全称", None),
        ("", None),
    ],
)
def test_header_labels(label: str, field: str | None) -> None:
    assert label_field(label) == field


LIAISON_HEADER = ["序号", "单位名称", "联络员", "职务", "办公电话", "手机", "电子邮箱"]


def test_liaison_sheet_header_keeps_both_phones_mobile_first() -> None:
    header = read_header(3, LIAISON_HEADER)
    assert header is not None
    assert [c.label for c in header.of("liaison_phone")] == ["手机", "办公电话"]
    assert {c.label: c.field for c in header.columns} == {
        "序号": None,
        "单位名称": "name",
        "联络员": "liaison_name",
        "职务": None,
        "办公电话": "liaison_phone",
        "手机": "liaison_phone",
        "电子邮箱": "liaison_email",
    }


def test_the_better_label_wins_and_the_other_is_kept_out() -> None:
    header = read_header(1, ["单位名称", "负责人", "联络员"])
    assert header is not None
    assert [c.label for c in header.of("liaison_name")] == ["联络员"]
    kept_out = next(c for c in header.columns if c.label == "负责人")
    assert kept_out.field is None and "联络员" in kept_out.why


def test_map_names_columns_the_labels_do_not() -> None:
    assert read_header(1, ["学校全称", "联络人"]) is None
    header = read_header(1, ["学校全称", "联络人", "联系电话"], parse_map(["学校全称=name"]))
    assert header is not None and header.of("name")[0].label == "学校全称"
    header = read_header(1, ["单位名称", "电话"], parse_map(["电话=-"]))
    assert header is not None and not header.of("liaison_phone")


@pytest.mark.parametrize(
    ("item", "needle"),
    [
        ("学校全称", "expected 列名=field"),
        ("学校全称=nom", "unknown field 'nom'"),
        ("=name", "expected 列名=field"),
    ],
)
def test_bad_map(item: str, needle: str) -> None:
    with pytest.raises(WeekwatchError, match=needle):
        parse_map([item])


@pytest.mark.parametrize(
    ("cell", "good", "bad"),
    [
        ("a@x.cn", ["a@x.cn"], []),
        ("a@x.cn；b@y.cn", ["a@x.cn", "b@y.cn"], []),
        ("a@x.cn;b@y.cn", ["a@x.cn", "b@y.cn"], []),
        ("a@x.cn、b@y.cn，c@z.cn", ["a@x.cn", "b@y.cn", "c@z.cn"], []),
        ("a@x.cn / b@y.cn", ["a@x.cn", "b@y.cn"], []),
        ("a@x.cn\nb@y.cn", ["a@x.cn", "b@y.cn"], []),
        ("a@x.cn b@y.cn", ["a@x.cn", "b@y.cn"], []),
        ("ａ＠ｘ．ｃｎ", ["a@x.cn"], []),  # full-width
        ("<a@x.cn>", ["a@x.cn"], []),
        ("mailto:a@x.cn", ["a@x.cn"], []),
        ("a@x.cn；A@X.CN", ["a@x.cn"], []),  # the same address twice
        ("无", [], []),
        ("wfzy@163", [], ["wfzy@163"]),
        ("张老师", [], ["张老师"]),
        ("a@x.cn；同上", ["a@x.cn"], ["同上"]),
    ],
)
def test_emails_in_one_cell(cell: str, good: list[str], bad: list[str]) -> None:
    assert emails(cell) == (good, bad)


@pytest.mark.parametrize(
    ("cell", "good", "bad"),
    [
        ("13812345678", ["13812345678"], []),
        ("１３８１２３４５６７８", ["13812345678"], []),  # full-width digits
        ("138 1234 5678", ["13812345678"], []),
        ("138-1234-5678", ["13812345678"], []),
        ("+86 138 1234 5678", ["13812345678"], []),
        ("0536-8888888", ["0536-8888888"], []),
        ("0536 8888888", ["0536-8888888"], []),
        ("(0536)8888888", ["0536-8888888"], []),
        ("（０５３６）８８８８８８８", ["0536-8888888"], []),
        ("05368888888", ["0536-8888888"], []),
        ("010-12345678", ["010-12345678"], []),
        ("8888888", ["8888888"], []),
        ("0536-8888888转123", ["0536-8888888转123"], []),
        ("0536-8888888 13812345678", ["0536-8888888", "13812345678"], []),
        ("13812345678；13912345678", ["13812345678", "13912345678"], []),
        ("13812345678/13912345678", ["13812345678", "13912345678"], []),
        ("13812345678、0536-8888888", ["13812345678", "0536-8888888"], []),
        ("13812345678\n13912345678", ["13812345678", "13912345678"], []),
        ("无", [], []),
        ("—", [], []),
        ("打办公室", [], ["打办公室"]),
        ("13812", [], ["13812"]),
    ],
)
def test_phones_in_one_cell(cell: str, good: list[str], bad: list[str]) -> None:
    assert phones(cell) == (good, bad)


def test_phone_single() -> None:
    assert phone("13812345678") == "13812345678"
    assert phone("12345") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("潍坊职业学院", "wfzyxy"),
        ("奎文区教育和体育局", "kwqjyhtyj"),
        ("潍坊市寒亭区教育和体育局", "wfshtqjyhtyj"),
        ("ABC学校", "abcxx"),
        ("第2中学", "d2zx"),
        ("[b]红[/b]\x1b[31m", "bhb31m"),
        ("😀", "unit"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("奎文区教育和体育局", "county-bureau"),
        ("诸城市教体局", "county-bureau"),
        ("潍坊市教育局", "county-bureau"),
        ("舞钢市教育体育局", "county-bureau"),
        ("高新区社会事业局", "dev-zone-bureau"),
        ("潍坊滨海经济技术开发区社会事业局（文教局）", "dev-zone-bureau"),
        ("高新区农社局", "dev-zone-bureau"),
        ("潍坊职业学院", "higher-vocational"),
        ("山东科技职业学院", "higher-vocational"),
        ("潍坊工程职业技术学院", "higher-vocational"),
        ("潍坊医学高等专科学校", "higher-vocational"),
        ("潍坊市技师学院", "technician-college"),
        ("山东省潍坊市技工学校", "technician-college"),
        ("潍坊商业中等专业学校", "secondary-vocational"),
        ("青州市职业中专", "secondary-vocational"),
        ("寿光市职教中心", "secondary-vocational"),
        ("寿光市职业教育中心学校", "secondary-vocational"),
        ("安丘市职业高中", "secondary-vocational"),
        ("潍坊市经济职业学校", "secondary-vocational"),
        ("叶县第九初级中学", "junior-school"),
        ("平顶山市第十九中学初中部", ""),
        # Seed 004's units: provinces' departments, the municipalities' commissions, the
        # 兵团's bureau (not a county's), the 行指委 — none inferred before.
        ("河北省教育厅", "province"),
        ("新疆维吾尔自治区教育厅", "province"),
        ("广西壮族自治区教育厅", "province"),
        ("北京市教育委员会", "province"),
        ("重庆市教委", "province"),
        ("上海市教育委员会", "province"),
        ("北京市海淀区教育委员会", ""),  # a district's commission: not a province
        ("河北省人力资源和社会保障厅", ""),
        ("新疆生产建设兵团教育局", "corps"),
        ("兵团教育局", "corps"),
        ("全国交通运输职业教育教学指导委员会", "steering-committee"),
        ("全国石油和化工行业职业教育教学指导委员会", "steering-committee"),
        ("机械行指委", "steering-committee"),
        ("大连市教育局", "county-bureau"),
        ("市教育局高新分局", "dev-zone-bureau"),  # seed 003: 市教育局高新分局、峡山分局
        ("公安分局", ""),
        ("汝州市职业技术教育中心", "secondary-vocational"),
        ("潍坊学院", ""),
        ("潍坊科技学院", ""),
    ],
)
def test_type_from_the_name(name: str, kind: str) -> None:
    assert infer_type(name) == kind


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("奎文区教育和体育局", ("奎文区", "奎文")),
        ("诸城市教体局", ("诸城市", "诸城")),
        ("临朐县教育局", ("临朐县", "临朐")),
        ("高新区社会事业局", ("高新区", "高新")),
        ("高新区农社局", ("高新区", "高新")),  # seed 001's 高新区农社局
        ("潍坊综合保税区文教局", ("潍坊综合保税区",)),
        ("市教育局高新分局", ("高新分局",)),
        ("潍坊市教育局峡山分局", ("峡山分局",)),
        ("潍坊职业学院", ()),  # 潍坊职院 is how people say it, but not guessed
        ("某县教育局", ("某县",)),  # one character is no alias
        ("教育局", ()),
        ("潍坊高新技术产业开发区社会事业局", ("潍坊高新技术产业开发区",)),
        # A province's department, a municipality's commission (seed 004's units).
        ("河北省教育厅", ("河北省", "河北")),
        ("浙江省教育厅", ("浙江省", "浙江")),
        ("黑龙江省教育厅", ("黑龙江省", "黑龙江")),
        ("北京市教育委员会", ("北京市", "北京")),
        ("天津市教委", ("天津市", "天津")),
        ("重庆市教育委员会", ("重庆市", "重庆")),
        ("内蒙古自治区教育厅", ("内蒙古自治区", "内蒙古")),
        ("广西壮族自治区教育厅", ("广西壮族自治区", "广西")),
        ("新疆维吾尔自治区教育厅", ("新疆维吾尔自治区", "新疆")),
        ("宁夏回族自治区教育厅", ("宁夏回族自治区", "宁夏")),
        ("西藏自治区教育厅", ("西藏自治区", "西藏")),
        ("（广西）壮族自治区教育厅", ("壮族自治区",)),  # no place left: nothing shorter
        ("新疆生产建设兵团教育局", ("新疆生产建设兵团", "新疆兵团", "兵团")),
        ("大连市教育局", ("大连市", "大连")),
        ("教育厅", ()),
        ("河北省人力资源和社会保障厅", ()),  # not an education office: not this rule's
        # A 行指委: the form the ministry's notice abbreviates it to, nothing shorter.
        ("全国交通运输职业教育教学指导委员会", ("交通运输行指委", "交通运输教指委")),
        ("全国石油和化工行业职业教育教学指导委员会", ("石油和化工行指委", "石油和化工教指委")),
        ("交通运输职业教育教学指导委员会", ()),
    ],
)
def test_alias_candidates(name: str, aliases: tuple[str, ...]) -> None:
    assert alias_candidates(name) == aliases


def roster_of(tmp_path: Path, text: str):
    path = tmp_path / "r.csv"
    path.write_text(text, "utf-8")
    return read_sheet(path)


def test_derived_aliases_only_where_they_name_one_unit(tmp_path: Path) -> None:
    r = roster_of(
        tmp_path,
        "单位名称\n奎文区教育和体育局\n潍坊市教育局\n潍坊职业学院\n诸城市教体局\n诸城市职业中专\n",
    )
    units = {u.name: u for u in plan_import((), r).units}
    assert units["奎文区教育和体育局"].aliases == ("奎文区", "奎文")
    assert units["奎文区教育和体育局"].inferred_aliases == ("奎文区", "奎文")
    # 潍坊 begins 潍坊职业学院, 诸城市 and 诸城 begin 诸城市职业中专: inside those names they are
    # not the bureau, so the bureau keeps them (the reading rules read on after them where a
    # file's name may be the school's: tests/test_reading_shared.py). Before, the bureau lost
    # them, and 诸城市教体局's own files waited as "no unit named".
    assert units["潍坊市教育局"].aliases == ("潍坊市", "潍坊")
    assert units["诸城市教体局"].aliases == ("诸城市", "诸城")
    assert units["潍坊职业学院"].aliases == ()


NATIONAL = """序号,单位名称,简称,联络员
1,北京市教育委员会,,王明
2,河北省教育厅,,张伟
3,浙江省教育厅,,陈静
4,内蒙古自治区教育厅,,赵敏
5,广西壮族自治区教育厅,,梁燕
6,吉林省教育厅,,周杰
7,新疆维吾尔自治区教育厅,,艾力
8,新疆生产建设兵团教育局,,王强
9,全国交通运输职业教育教学指导委员会,,高远
10,山东省教育厅,鲁,马超
"""


def test_a_ministry_roster_without_short_names_gets_them(tmp_path: Path) -> None:
    units = {u.name: u.aliases for u in plan_import((), roster_of(tmp_path, NATIONAL)).units}
    assert units["河北省教育厅"] == ("河北省", "河北")
    assert units["浙江省教育厅"] == ("浙江省", "浙江")
    assert units["北京市教育委员会"] == ("北京市", "北京")
    assert units["内蒙古自治区教育厅"] == ("内蒙古自治区", "内蒙古")
    assert units["广西壮族自治区教育厅"] == ("广西壮族自治区", "广西")
    assert units["吉林省教育厅"] == ("吉林省", "吉林")
    # 新疆 runs on into another office in 新疆生产建设兵团教育局 (its 兵团): the reading
    # rules never read that office as the region, so the region keeps the name all call it.
    assert units["新疆维吾尔自治区教育厅"] == ("新疆维吾尔自治区", "新疆")
    assert units["新疆生产建设兵团教育局"] == ("新疆生产建设兵团", "新疆兵团", "兵团")
    assert units["全国交通运输职业教育教学指导委员会"] == ("交通运输行指委", "交通运输教指委")
    assert units["山东省教育厅"] == ("鲁",)  # written: nothing guessed beside it


def test_a_place_inside_another_unit_of_it_keeps_its_name(tmp_path: Path) -> None:
    text = "单位名称\n河北省教育厅\n河北省总工会\n舞钢市教育体育局\n舞钢市职业教育中心\n"
    text += "市教育局高新分局\n高新区农社局\n"
    units = {u.name: u.aliases for u in plan_import((), roster_of(tmp_path, text)).units}
    assert units["河北省教育厅"] == ("河北省", "河北")  # 总工会: another office of 河北省
    assert units["舞钢市教育体育局"] == ("舞钢市", "舞钢")  # the school's name goes on
    assert units["舞钢市职业教育中心"] == ()
    assert units["市教育局高新分局"] == ("高新分局",)
    assert units["高新区农社局"] == ("高新区", "高新")


def test_a_province_and_its_city_of_one_name_lose_the_name(tmp_path: Path) -> None:
    text = "单位名称\n吉林省教育厅\n吉林市教育局\n吉林职业技术学院\n河北省教育厅\n"
    units = {u.name: u.aliases for u in plan_import((), roster_of(tmp_path, text)).units}
    # Both would be 吉林 (and 吉林 is inside the college's name): neither is.
    assert units["吉林省教育厅"] == ("吉林省",)
    assert units["吉林市教育局"] == ("吉林市",)
    assert units["河北省教育厅"] == ("河北省", "河北")


def test_written_aliases_are_not_added_to(tmp_path: Path) -> None:
    r = roster_of(tmp_path, "单位名称,简称\n奎文区教育和体育局,奎文区教体局\n")
    (u,) = plan_import((), r).units
    assert u.aliases == ("奎文区教体局",) and u.inferred_aliases == ()


def test_generated_ids_unique_with_a_suffix(tmp_path: Path) -> None:
    r = roster_of(tmp_path, "单位名称\n潍坊职业学院\n潍坊中医学院\n维方职业学院\n")
    ids = [u.id for u in plan_import((), r).units]
    assert ids == ["wfzyxy", "wfzyxy2", "wfzyxy3"]
    existing = [Unit("wfzyxy", "别的学院")]
    r = roster_of(tmp_path, "单位名称\n潍坊职业学院\n")
    assert [c.unit.id for c in plan_import(existing, r).changes] == ["wfzyxy2"]


ROW_KINDS = [
    # (row as CSV, what it is: "unit" or a skip reason; blank rows are counted apart)
    ("1,奎文区教育和体育局,张三", "unit"),
    ("合计,,", "total"),
    ("合 计,12个单位,", "total"),
    (",总计,", "total"),
    ("小计：3,,", "total"),
    ("序号,单位名称,联络员", "header"),
    ("注：请于11月7日前报送,,", "note"),
    ("注1：邮箱请写全,,", "note"),
    ("填表人：王五,,", "note"),
    ("填表人：王五    联系电话：13812345678,,", "note"),
    ("联系电话：0536-8888888,,", "note"),
    ("审核人：李四,,", "note"),
    ("以上信息务必准确,,", "note"),
    ("7,,", "no_name"),
    ("8,,赵六", "no_name"),
]


@pytest.mark.parametrize(("row", "kind"), ROW_KINDS, ids=[r for r, _ in ROW_KINDS])
def test_row_kinds(tmp_path: Path, row: str, kind: str) -> None:
    r = roster_of(tmp_path, f"序号,单位名称,联络员\n{row}\n")
    if kind == "unit":
        assert [e.name for e in r.entries] == ["奎文区教育和体育局"] and not r.skipped
    else:
        assert not r.entries
        assert [(s.row, s.reason) for s in r.skipped] == [(2, kind)]


def test_blank_rows_are_counted(tmp_path: Path) -> None:
    r = roster_of(tmp_path, "单位名称,联络员\n\n,\n潍坊职业学院,王五\n , \n")
    assert [e.name for e in r.entries] == ["潍坊职业学院"] and r.blank_rows == 3


def test_a_liaison_sheet_kept_in_english(tmp_path: Path) -> None:
    """Seed 000's week in English: its sheet's header was refused ('no column holds the unit's
    name … e.g. --map No.=name')."""
    text = "No.,Unit,Short name,Contact,Mobile,Tel,E-mail,Remarks\n"
    text += "1,奎文区教育和体育局,奎文,Wang Min,13805361001,0536-8221234,kw@wf.example.cn,\n"
    (u,) = plan_import((), roster_of(tmp_path, text)).units
    assert (u.name, u.aliases, u.liaison_name) == ("奎文区教育和体育局", ("奎文",), "Wang Min")
    assert u.liaison_phone == "13805361001; 0536-8221234"  # the mobile first
    assert u.liaison_email == "kw@wf.example.cn"
