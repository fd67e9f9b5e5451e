"""The value classes built by store/values.py behave as the dataclasses of the same fields.

Each class is compared with its twin: `dataclasses.dataclass` run over the same annotations and
defaults, instances made from the same arguments; equality, hashing, repr, pickling, frozenness
and `dataclasses.replace` must not tell them apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest

from weekwatch.store import values
from weekwatch.store.config import Config
from weekwatch.store.deadlines import Daily
from weekwatch.store.kept_board import Keys
from weekwatch.store.ledger import Ledger
from weekwatch.store.model import (
    Action,
    ActionType,
    Event,
    Material,
    Obligations,
    Reading,
    Unit,
)
from weekwatch.store.obligations import GroupLine
from weekwatch.store.operators import Operator
from weekwatch.store.reasons import Code, Quarantine, Reason
from weekwatch.store.workspace import Workspace

T0 = dt.datetime(2024, 5, 13, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
EVENT = Event("职业教育活动周", dt.date(2024, 5, 12))


def _twin(cls: type) -> Any:
    """The dataclass of `cls`'s fields, as `@dataclass(frozen=…, slots=…)` would make it."""
    fields = dataclasses.fields(cls)
    ns: dict[str, Any] = {"__annotations__": {f.name: f.type for f in fields}}
    for f in fields:
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
            ns[f.name] = dataclasses.field(
                default=f.default, default_factory=f.default_factory, compare=f.compare
            )
    slots = "__slots__" in cls.__dict__
    twin = type(cls.__name__, (), ns)
    twin.__qualname__ = cls.__qualname__
    return dataclasses.dataclass(frozen=cls.__value_frozen__, slots=slots)(twin)


#: One row per value class: positional arguments, then keywords, and a field to change.
ROWS: list[tuple[type, tuple[Any, ...], dict[str, Any], str, Any]] = [
    (Obligations, (), {"days": (dt.date(2024, 5, 13),)}, "plan_requires", ("plan",)),
    (Event, ("周", dt.date(2024, 5, 12)), {"theme": "一技在手"}, "days", 5),
    (Unit, ("pzy", "平顶山职业技术学院"), {"aliases": ("平职院",)}, "type", "高职"),
    (Reading, ("pzy", "photo", "2024-05-13"), {}, "kind", "video"),
    (
        Material,
        ("a.jpg", "a.jpg", "f" * 64, 3, 1, T0, "pzy", "photo", "2024-05-13"),
        {"origin": {"from": "x@163.com"}, "within": ("m.eml",)},
        "gone",
        True,
    ),
    (
        Action,
        ("id1", ActionType.NOTE, "李", T0),
        {"unit": "pzy", "data": {"text": "x"}},
        "cell",
        "plan",
    ),
    (Reason, (Code.NO_UNIT,), {}, "args", (("n", 2),)),
    (Quarantine, ((Reason(Code.NO_UNIT),),), {}, "reasons", ()),
    (Daily, (dt.time(12, 0),), {}, "after_days", 1),
    (Keys, ("c", "r", "b"), {}, "rows", "r2"),
    (GroupLine, ("高职", "weekwatch.toml, line 3"), {}, "where", "weekwatch.toml, line 4"),
    (Operator, ("李", "flag"), {}, "ask", True),
    (Workspace, (), {}, "root", None),
    (Config, (EVENT, (), None), {}, "units", (Unit("pzy", "平顶山职业技术学院"),)),
    (Ledger, (), {}, "extensions", {("pzy", "plan"): T0}),
]


def _args(cls: type, args: tuple[Any, ...], kw: dict[str, Any], tmp_path) -> tuple:
    if cls is Workspace:
        return (tmp_path,), kw
    if cls is Config:
        return (args[0], args[1], tmp_path / "weekwatch.toml"), kw
    return args, kw


def _hash(x: object) -> object:
    try:
        return hash(x)
    except TypeError:
        return TypeError


@pytest.mark.parametrize("cls, args, kw, name, new", ROWS, ids=lambda r: getattr(r, "__name__", ""))
def test_a_value_class_behaves_as_the_dataclass_of_its_fields(cls, args, kw, name, new, tmp_path):
    args, kw = _args(cls, args, kw, tmp_path)
    if name == "root":
        new = tmp_path / "other"
    twin = _twin(cls)
    a, b, t = cls(*args, **kw), cls(*args, **kw), twin(*args, **kw)
    assert repr(a) == repr(t)
    assert a == b and a is not b
    assert (a == t) is False  # another class, as between two dataclasses
    changed = dataclasses.replace(a, **{name: new})
    assert changed != a and getattr(changed, name) == new
    assert values.replace(a, **{name: new}) == changed
    assert repr(changed) == repr(dataclasses.replace(t, **{name: new}))
    assert pickle.loads(pickle.dumps(a)) == a
    assert cls.__match_args__ == twin.__match_args__
    assert [f.name for f in dataclasses.fields(cls)] == [f.name for f in dataclasses.fields(twin)]
    assert dataclasses.asdict(a) == dataclasses.asdict(t)
    if cls.__value_frozen__:
        assert _hash(a) == _hash(b)  # a dict among the compared fields: unhashable in both
        assert (_hash(a) is TypeError) == (_hash(t) is TypeError)
        if _hash(a) is not TypeError:
            assert hash(a) == hash(t)
        with pytest.raises(AttributeError):
            setattr(a, name, new)
        with pytest.raises(AttributeError):
            delattr(a, name)
    else:
        assert cls.__hash__ is None and twin.__hash__ is None
        setattr(a, name, new)
        assert a == changed
    assert hasattr(a, "__dict__") == hasattr(t, "__dict__")  # slotted where the twin is


def test_a_default_made_afresh_is_made_for_each_instance():
    one, two = Action("1", ActionType.NOTE, "李", T0), Action("2", ActionType.NOTE, "李", T0)
    assert one.data == {} and one.data is not two.data
    assert Ledger().excuses is not Ledger().excuses


def test_a_field_left_out_of_comparison_is_left_out_of_the_hash_too():
    args = ("a.jpg", "a.jpg", "f" * 64, 3, 1, T0, "pzy", "photo", "2024-05-13")
    one, two = Material(*args, origin={"from": "a"}), Material(*args, origin={"from": "b"})
    assert one == two and hash(one) == hash(two)
    assert Material(*args) != Material(*args, gone=True)


def test_a_missing_argument_and_an_unknown_one_are_refused_as_a_dataclass_refuses_them():
    with pytest.raises(TypeError):
        Unit("pzy")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Unit("pzy", "平顶山职业技术学院", colour="red")  # type: ignore[call-arg]


def test_a_field_without_a_default_after_one_with_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="follows a default"):

        @values.value
        class Bad:
            a: int = 0
            b: int
