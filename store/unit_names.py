"""What a unit's name tells without asking: an id from its pinyin initials, its type from how the
name ends, and short aliases where the ending is generic. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

#: Unit types weekwatch infers from a name; `[groups]` in weekwatch.toml can name them.
TYPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Most specific first: 技师学院 before 学院, 职业技术学院 before 技术学院, the 兵团's
    # 教育局 before a county's.
    ("steering-committee", ("职业教育教学指导委员会", "行指委", "教指委")),
    ("corps", ("兵团教育局",)),
    # A province's (an autonomous region's) department; a municipality's commission is
    # `_MUNICIPALITY`'s, below: 海淀区教育委员会 is a district's.
    ("province", ("教育厅",)),
    ("county-bureau", ("教育和体育局", "教育体育局", "教体局", "教育局")),
    ("dev-zone-bureau", ("社会事业局", "农社局", "文教局", "社会事业管理局")),
    ("technician-college", ("技师学院", "技工学校", "技工学院")),
    ("higher-vocational", ("职业技术学院", "职业学院", "高等专科学校", "职业技术大学", "职业大学")),
    (
        "secondary-vocational",
        (
            "中等专业学校",
            "中等职业学校",
            "职业中等专业学校",
            "中专",
            "职教中心",
            "职业教育中心",
            "职业教育中心学校",
            "职业技术教育中心",
            "职业高中",
            "职业高级中学",
            "职业学校",
        ),
    ),
    ("junior-school", ("初级中学", "初中")),
)
TYPES = tuple(t for t, _ in TYPE_RULES)
# The four municipalities stand level with the provinces; their 教育委员会 (教委) is theirs.
_MUNICIPALITY = re.compile(r"^(?:北京|天津|上海|重庆)市?(?:教育委员会|教委)$")

#: Endings that say only what kind of office a unit is: what is left names the place. A
#: county's or a city's bureau (局), a province's department (厅), a municipality's
#: commission (委员会, 教委).
GENERIC_ENDINGS = (
    "教育和体育局",
    "教育体育局",
    "教体局",
    "教育局",
    "社会事业局",
    "社会事业管理局",
    "农社局",
    "文教局",
    "教育厅",
    "教育委员会",
    "教委",
)
_PLACE_SUFFIXES = ("区", "县", "市", "省")
# The five autonomous regions are called by their place's name alone (广西壮族自治区 → 广西):
# the people's name between the place and 自治区 goes with it.
_REGION = re.compile(r"^(.{1,2}[^族])(?:壮族|回族|维吾尔)?自治区$")
# The 兵团 is 新疆生产建设兵团 in full; everyone writes 新疆兵团 or 兵团.
_CORPS = re.compile(r"^(.{2,3})生产建设兵团$")
# A 行指委 (教指委) is named 全国XX(行业)职业教育教学指导委员会; the ministry's notices call
# it XX行指委 (以下简称行指委(教指委)). Only that form: 交通 for 交通运输 would be a guess.
_STEERING = re.compile(r"^全国(.{2,12}?)(?:行业)?职业教育教学指导委员会$")
# A city bureau's branch for a zone (市教育局高新分局) is called by the branch's name alone.
_BRANCH = re.compile(r"^(?:.{0,6}?市)?(?:教育局|教育和体育局|教体局)(.{2,4}分局)$")
# A bracketed note after the name says which campus or what the unit used to be called.
_BRACKETED = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")


def bare(name: str) -> str:
    """The name without bracketed notes and spaces: what endings are looked for on."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"\s+", "", _BRACKETED.sub("", text))


def infer_type(name: str) -> str:
    """The unit type its name says (潍坊职业学院 → higher-vocational, 河北省教育厅 → province,
    新疆生产建设兵团教育局 → corps, 全国机械职业教育教学指导委员会 → steering-committee), or ""."""
    text = bare(name)
    if _MUNICIPALITY.match(text):
        return "province"
    if _BRANCH.match(text):
        return "dev-zone-bureau"  # 市教育局高新分局: the bureau of a zone
    for kind, endings in TYPE_RULES:
        if text.endswith(endings):
            return kind
    # 寿光市职业教育中心学校, 青州市职业中专学校: the telling word sits before a last 学校.
    for kind, endings in TYPE_RULES:
        if kind == "secondary-vocational" and any(e in text for e in endings):
            return kind
    return ""


def alias_candidates(name: str) -> tuple[str, ...]:
    """Short names that a generic ending leaves: 奎文区教育和体育局 → 奎文区, 奎文; 河北省教育厅
    → 河北省, 河北; 全国机械职业教育教学指导委员会 → 机械行指委, 机械教指委.

    Only generic endings are stripped: 潍坊职业学院 → 潍坊职院 is how people abbreviate, but
    guessing it would be a guess; a written 简称 column says it.
    """
    text = bare(name)
    branch = _BRANCH.match(text)
    if branch:
        return (branch.group(1),)  # 市教育局峡山分局 → 峡山分局
    steering = _STEERING.match(text)
    if steering:
        field = steering.group(1)
        return (f"{field}行指委", f"{field}教指委")
    for ending in GENERIC_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            place = text[: -len(ending)]
            break
    else:
        return ()
    # 潍坊市奎文区 → 奎文区 is not taken: the outer place may be needed to tell two apart.
    out = [place]
    region, corps = _REGION.match(place), _CORPS.match(place)
    if region:
        out.append(region.group(1))  # 内蒙古自治区 → 内蒙古, 新疆维吾尔自治区 → 新疆
    elif corps:
        out += [f"{corps.group(1)}兵团", "兵团"]
    # 奎文区 → 奎文, 临朐县 → 临朐, 河北省 → 河北, 北京市 → 北京: a county's, a city's or a
    # province's own name is two or three characters. A longer place (潍坊高新技术产业开发区)
    # ends in a kind of zone, not in a county's suffix.
    elif place.endswith(_PLACE_SUFFIXES) and 3 <= len(place) <= 4:
        out.append(place[:-1])
    return tuple(out)


def initials(name: str) -> str:
    """The name's pinyin initials as an id: 潍坊职业学院 → wfzyxy; Latin letters and digits kept."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries load in ~0.3 s: only when needed

    out: list[str] = []
    for chunk in lazy_pinyin(name, style=Style.FIRST_LETTER):
        text = unicodedata.normalize("NFKC", chunk).casefold()
        out.append(re.sub(r"[^a-z0-9]", "", text))
    return "".join(out)[:32] or "unit"


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or base2, base3, ... : the first not in `taken` (compared case-folded)."""
    folded = {t.casefold() for t in taken}
    if base.casefold() not in folded:
        return base
    n = 2
    while f"{base}{n}".casefold() in folded:
        n += 1
    return f"{base}{n}"
