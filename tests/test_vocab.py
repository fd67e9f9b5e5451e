"""The typed vocabularies: states, action types and kinds are StrEnums that store as before."""

from __future__ import annotations

import json

from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.model import (
    ACTION_TYPES,
    KINDS,
    STATES,
    ActionType,
    Kind,
    State,
)
from weekwatch.store.week import Week
from weekwatch.widgets.look import SYMBOL


def test_the_vocabularies_are_the_strings_they_always_were():
    assert [str(s) for s in STATES] == [
        "future",
        "due",
        "on_time",
        "late",
        "missing",
        "excused",
        "not_required",
    ]
    assert "photo" in KINDS and Kind("photo") is Kind.PHOTO
    assert ActionType("excuse") == "excuse" and json.dumps(ActionType.EXCUSE) == '"excuse"'
    assert set(SYMBOL) == set(State)  # every state has its symbol


def test_states_and_action_types_are_typed_but_stored_as_plain_strings(ws):
    drop(ws, "舞钢市/2024-05-13/典型案例.docx", at(13, 10), b"case")
    week = Week(ws, clock=lambda: at(14, 9))
    week.ingestor().scan()
    week.excuse("baofeng", "2024-05-13", "停电", operator="王")
    board = week.board(at(14, 9))
    assert board.cell("wugang", "2024-05-13").state is State.ON_TIME
    assert board.cell("baofeng", "2024-05-13").state is State.EXCUSED
    (action,) = Week(ws).ledger().actions
    assert action.type is ActionType.EXCUSE
    raw = json.loads((ws.dbdir / "actions.json").read_text(encoding="utf-8"))
    (stored,) = raw["actions"].values()
    assert type(stored["type"]) is str and stored["type"] == "excuse"
    assert set(ACTION_TYPES) >= {ActionType.EXCUSE, ActionType.UNDO}


def test_every_kind_has_its_label_in_both_languages():
    """materials, the pack and the reports name a kind by its label: none may be missing."""
    from weekwatch.tui.i18n import keys

    assert {f"kind.{k.value}" for k in KINDS} <= keys()
