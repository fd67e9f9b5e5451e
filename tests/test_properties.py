"""Properties over any input (hypothesis): the reading rules always answer, cells never go back."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weekwatch.fixtures.testweek import TZ, UNITS, empty_workspace
from weekwatch.store.config import load_config
from weekwatch.store.ledger import Ledger
from weekwatch.store.model import Material, Reading, State
from weekwatch.store.reading import Reader
from weekwatch.store.rules import board

# The test week exactly as `weekwatch init` writes it (its deadlines filled in by the config).
EVENT = load_config(
    empty_workspace(Path(tempfile.mkdtemp(prefix="weekwatch-props-")) / "week").config
).event
READER = Reader(EVENT, UNITS)
WEEK_START = dt.datetime(2024, 5, 12, tzinfo=TZ)

#: A path component as a disk may hold it: any bytes but "/" and NUL, decoded as Python
#: decodes file names (undecodable bytes kept as surrogates).
segment = st.binary(min_size=1, max_size=40).map(
    lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\0", b"_"))
)
#: Or one a person would type: Chinese names, dates, keywords, digits, separators.
words = st.text(
    alphabet=st.sampled_from(
        list("舞钢市宝丰县平职院第天日月号年_-. 0123456789案例照片简报总结方案（）")
    ),
    min_size=1,
    max_size=30,
)
paths = st.lists(st.one_of(segment, words), min_size=1, max_size=4).map("/".join)
moments = st.integers(-20 * 24 * 60, 30 * 24 * 60).map(
    lambda m: WEEK_START + dt.timedelta(minutes=m)
)


@settings(max_examples=1000, deadline=None)
@given(path=paths, arrived=moments)
def test_reading_rules_never_raise_and_always_place_or_give_a_reason(path, arrived):
    r = READER.read(path, arrived)
    assert isinstance(r, Reading)
    if r.quarantine is None:
        assert r.unit in {u.id for u in UNITS} and r.cell in EVENT.columns, r
    else:
        assert r.quarantine.text("zh") and r.quarantine.text("en")


drops = st.lists(
    st.tuples(
        st.sampled_from([u.id for u in UNITS]),
        st.sampled_from(EVENT.columns),
        st.sampled_from(["report", "photo", "case", "plan", "summary"]),
        moments,
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drops=drops, times=st.lists(moments, min_size=2, max_size=6))
def test_with_no_action_a_sent_cell_never_goes_back_to_due_or_missing(drops, times):
    mats = [
        Material(
            key=f"{unit}/{cell}/{i}.doc",
            path=f"{unit}/{cell}/{i}.doc",
            sha256=f"{i:064x}",
            size=1,
            mtime_ns=0,
            received_at=at,
            unit=unit,
            kind=kind,
            cell=cell,
        )
        for i, (unit, cell, kind, at) in enumerate(drops)
    ]
    sent = {State.ON_TIME, State.LATE}
    seen: dict[tuple[str, str], State] = {}
    for now in sorted(times):
        b = board(EVENT, UNITS, mats, Ledger(), now)
        for u in UNITS:
            for c in EVENT.columns:
                state = b.cell(u.id, c).state
                before = seen.get((u.id, c))
                if before in sent:
                    assert state == before, (u.id, c, before, state, now)
                seen[(u.id, c)] = state
