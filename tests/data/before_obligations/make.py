"""How this workspace was made: by weekwatch as it was before [columns.*] and [groups]
(commit 6387da9), with `status.json` what its `status --json` said at eight moments.

    python make.py OUT   # with that weekwatch importable
"""

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from weekwatch.store.config import init_workspace
from weekwatch.store.model import Unit
from weekwatch.store.reports import status_json
from weekwatch.store.week import Week

TZ = ZoneInfo("Asia/Shanghai")


def at(d, h, m=0):
    return dt.datetime(2024, 5, d, h, m, tzinfo=TZ)


out = Path(sys.argv[1])
shutil.rmtree(out, ignore_errors=True)
out.mkdir(parents=True)
ws = init_workspace(
    out / "workspace",
    title="2024年平顶山市职业教育活动周",
    start=dt.date(2024, 5, 12),
    theme="一技在手，一生无忧",
)
now = [at(11, 8)]
week = Week(ws, clock=lambda: now[0])
week.store.put_units(
    [
        Unit(
            "wugang",
            "舞钢市教育体育局",
            ("舞钢市", "舞钢"),
            "县市区教体局",
            "舞钢市",
            "王敏",
            "13837510218",
            "wg@example.com",
        ),
        Unit("baofeng", "宝丰县教育体育局", ("宝丰县",), "县市区教体局", "宝丰县"),
        Unit("pzy", "平顶山职业技术学院", ("平职院",), "高职院校", "新华区"),
        Unit("jiuzhong", "平顶山市第九中学", ("九中",), "初中", "新华区"),
    ]
)
files = [
    ("舞钢市/舞钢市职业教育活动周实施方案.docx", b"plan-wg", at(11, 9)),
    ("宝丰县活动方案.docx", b"plan-bf", at(12, 12, 30)),
    ("平职院_5月12日_照片.jpg", b"photo-12", at(12, 10)),
    ("舞钢市/2024-05-13/典型案例.docx", b"case", at(13, 10)),
    ("平职院_5月13日_照片.jpg", b"photo", at(13, 14)),
    ("平职院_5月13日_照片 (1).jpg", b"photo", at(13, 14, 5)),
    ("宝丰县5月14日新闻稿.docx", b"news", at(14, 11)),
    ("九中5.14活动照片.jpg", b"jz", at(14, 9)),
    ("舞钢市职业教育活动周情况统计表.xlsx", b"stats", at(19, 9)),
    ("平职院活动周总结.docx", b"sum", at(25, 20)),
    ("不知道是谁.pdf", b"??", at(15, 9)),
]
for rel, data, when in files:
    p = ws.inbox / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    os.utime(p, (when.timestamp(), when.timestamp()))
now[0] = at(26, 8)
week.ingestor().scan()
now[0] = at(14, 12, 30)
week.excuse("wugang", "2024-05-14", "停电", operator="小王")
now[0] = at(13, 12, 30)
week.extend("pzy", "2024-05-13", at(13, 15), operator="小王")
now[0] = at(15, 10)
week.assign("不知道是谁.pdf", "baofeng", "2024-05-15", operator="小李")
now[0] = at(15, 11)
a = week.excuse("jiuzhong", "plan", "初中不交方案", operator="小王")
now[0] = at(15, 11, 5)
week.undo(a.id, operator="小王")
now[0] = at(16, 9)
week.note("jiuzhong", "电话已通知", "2024-05-16", operator="小李")
moments = [
    at(11, 9),
    at(12, 11, 59),
    at(12, 12, 1),
    at(13, 16),
    at(14, 13),
    at(15, 12),
    at(18, 23),
    at(26, 9),
]
expected = {m.isoformat(): status_json(week.board(m)) for m in moments}
(out / "status.json").write_text(
    json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
)
