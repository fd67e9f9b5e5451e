"""A scan from scratch as a pipeline: files hashed and read by the workers while the walk still
lists the rest give the very records the serial path gives, from scratch and on a rescan where
the early guess is wrong for some files (those are read again, as of their first arrival)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from weekwatch.fixtures.testweek import at, drop, empty_workspace
from weekwatch.store import folder_index
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace

# A thread-free process of its own: the only kind that forks hashing workers. Small numbers,
# so a few dozen files go through the workers in slices of three.
SCAN = """
import json, sys
from pathlib import Path
from weekwatch.store import hashing
from weekwatch.store.week import Week
from weekwatch.store.workspace import Workspace
hashing.PARALLEL_MIN, hashing.SLICE = 5, 3
pools, here = [], []
real_pool = hashing.ProcessPoolExecutor
hashing.ProcessPoolExecutor = lambda *a, **k: pools.append(1) or real_pool(*a, **k)
real = hashing._hash_and_read
def counted(items, work=None):
    if work is not None:  # called in this process, not in a worker
        here.extend(rel for rel, _, _ in items)
    return real(items, work)
hashing._hash_and_read = counted
b = Week(Workspace(Path(sys.argv[1]))).ingestor().scan()
print(json.dumps({"added": len(b.added), "gone": len(b.gone), "pools": len(pools), "here": here}))
"""


def scan_in_pipeline(ws: Workspace) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", SCAN, str(ws.root)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def records(ws: Workspace) -> list[tuple[object, ...]]:
    return sorted(
        (
            m.key,
            m.path,
            m.unit,
            m.cell,
            m.kind,
            m.sha256,
            m.size,
            m.mtime_ns,
            m.received_at,
            m.quarantine,
            m.superseded,
            m.gone,
            m.within,
        )
        for m in Week(ws).store.materials()
    )


def fill(ws: Workspace) -> None:
    """A county's week as its units send it: day folders, loose files, a bundle, oddities."""
    for d in range(12, 19):
        for i in range(3):
            drop(ws, f"舞钢市/2024-05-{d}/典型案例{i}.docx", at(d, 9 + i))
            drop(ws, f"宝丰县教体局/5月{d}日新闻稿{i}.docx", at(d, 15, i))
    for d in range(1, 8):
        drop(ws, f"平职院_第{d}天_照片.jpg", at(11 + d, 20))
    drop(ws, "谁也不是.pdf", at(13))
    drop(ws, "舞钢市/空的.docx", at(13), b"")
    drop(ws, "~$宝丰县简报.docx", at(13))
    bundle = ws.inbox / "宝丰县打包.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("宝丰县/5月14日活动照片.jpg", b"photo")
        z.writestr("宝丰县/活动总结.docx", b"summary")
    link = ws.inbox / "舞钢市/捷径.docx"
    link.symlink_to("典型案例0.docx")
    for path in (bundle, link):  # both workspaces alike, to the nanosecond
        ns = int(at(14, 18).timestamp()) * 10**9
        os.utime(path, ns=(ns, ns), follow_symlinks=False)


def change(ws: Workspace) -> None:
    """A day later: new files, files rewritten in place, one touched, one removed."""
    for i in range(6):
        drop(ws, f"舞钢市/2024-05-16/补发{i}.docx", at(16, 14, i))
    for d in (13, 14):
        # The corrected copy of a day's report: read as of its first version's arrival.
        drop(ws, f"舞钢市/2024-05-{d}/典型案例1.docx", at(16, 8), f"corrected {d}".encode())
    drop(ws, "谁也不是.pdf", at(16, 9))  # same bytes, a new mtime: the stamp follows
    (ws.inbox / "平职院_第3天_照片.jpg").unlink()


def test_a_scan_from_scratch_in_the_pipeline_records_what_the_serial_one_does(
    tmp_path: Path,
) -> None:
    serial, piped = empty_workspace(tmp_path / "serial"), empty_workspace(tmp_path / "piped")
    fill(serial)
    fill(piped)
    Week(serial).ingestor().scan()  # under pytest: too few files to fork for, read here
    out = scan_in_pipeline(piped)
    assert out["pools"] == 1 and out["here"] == []  # every file read by a worker, ahead
    assert out["added"] == len(records(serial)) > 50
    assert records(piped) == records(serial)


def test_a_rescan_reads_again_what_the_early_guess_got_wrong(tmp_path: Path) -> None:
    serial, piped = empty_workspace(tmp_path / "serial"), empty_workspace(tmp_path / "piped")
    for ws in (serial, piped):
        fill(ws)
        Week(ws).ingestor().scan()
        change(ws)
    before = records(piped)
    want = Week(serial).ingestor().scan()
    out = scan_in_pipeline(piped)
    assert records(piped) == records(serial) != before
    assert (out["added"], out["gone"]) == (len(want.added), len(want.gone)) == (8, 1)
    # Paths recorded before, rewritten or touched: offered as of their new mtime, asked as of
    # their first arrival, so read again here; the new files come from the workers.
    assert sorted(out["here"]) == [  # type: ignore[call-overload]
        "舞钢市/2024-05-13/典型案例1.docx",
        "舞钢市/2024-05-14/典型案例1.docx",
        "谁也不是.pdf",
    ]
    versions = [m for m in Week(piped).store.materials() if m.path.endswith("13/典型案例1.docx")]
    assert sorted(m.superseded for m in versions) == [False, True]
    assert {m.cell for m in versions} == {"2024-05-13"}  # the corrected copy stays in its day


def test_the_collector_is_back_on_after_a_scan_even_one_that_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = empty_workspace(tmp_path / "week")
    fill(ws)
    assert gc.isenabled()
    assert len(Week(ws).ingestor().scan().added) > 50
    assert gc.isenabled()

    def broken(*args: object, **kwargs: object) -> object:
        assert not gc.isenabled()  # off while the scan makes its records
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(folder_index, "scan", broken)
    with pytest.raises(OSError):
        Week(ws).ingestor().scan()
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        with pytest.raises(OSError):
            Week(ws).ingestor().scan()
        assert not gc.isenabled()
    finally:
        gc.enable()
