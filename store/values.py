"""Value classes built as `dataclasses` builds them, without loading `dataclasses`.

`dataclasses` imports `inspect` (with `ast`, `dis`, `tokenize`) and compiles each method of
each class apart: ~10 ms of an operator's one action (`weekwatch note`), whose whole process
is meant to stay under 0.1 s. `value` makes the same methods from one compiled text per class:
`__init__` (defaults and `field(default_factory=…)`), `__repr__`, `__eq__`, `__hash__` (frozen
with eq, over the compared fields), `__setattr__`/`__delattr__` refusing a frozen instance's
change, `__slots__` with pickling, `__match_args__`. `dataclasses.replace`, `fields`, `asdict`
and `is_dataclass` still work on them: `__dataclass_fields__` is made by `dataclasses` itself
from the class's annotations the first time anything asks for it (`tests/test_values.py`
compares each value class with the dataclass of the same fields).

Annotations are read as written (`from __future__ import annotations`): a `ClassVar` is left
out, as dataclasses does; nothing else looks at the types.
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING"})()


class FrozenInstanceError(AttributeError):
    """A field of a frozen value assigned or deleted (as `dataclasses.FrozenInstanceError`)."""


class _Field:
    __slots__ = ("default", "default_factory", "compare")

    def __init__(self, default: Any, default_factory: Any, compare: bool) -> None:
        self.default, self.default_factory, self.compare = default, default_factory, compare


def field(*, default: Any = _MISSING, default_factory: Any = _MISSING, compare: bool = True) -> Any:
    """A field's default made afresh for each instance, or one left out of `==` and `hash`."""
    return _Field(default, default_factory, compare)


class _LazyFields:
    """`__dataclass_fields__`, made by `dataclasses` from the same annotations and defaults on
    first use (`dataclasses.replace` on a value), then kept on the class."""

    def __get__(self, obj: object, cls: type) -> dict[str, Any]:
        import dataclasses

        ns: dict[str, Any] = {"__annotations__": dict(cls.__value_annotations__)}  # type: ignore[attr-defined]
        for name, spec in cls.__value_defaults__.items():  # type: ignore[attr-defined]
            if isinstance(spec, _Field):
                ns[name] = dataclasses.field(
                    default=dataclasses.MISSING if spec.default is _MISSING else spec.default,
                    default_factory=(
                        dataclasses.MISSING
                        if spec.default_factory is _MISSING
                        else spec.default_factory
                    ),
                    compare=spec.compare,
                )
            else:
                ns[name] = spec
        frozen: bool = cls.__value_frozen__  # type: ignore[attr-defined]
        shadow: Any = dataclasses.dataclass(frozen=frozen)(type(cls.__name__, (), ns))
        fields: dict[str, Any] = shadow.__dataclass_fields__
        type.__setattr__(cls, "__dataclass_fields__", fields)
        return fields


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: object) -> list[object]:
    return [getattr(self, name) for name in self.__match_args__]  # type: ignore[attr-defined]


def _setstate(self: object, state: list[object]) -> None:
    for name, v in zip(self.__match_args__, state, strict=True):  # type: ignore[attr-defined]
        object.__setattr__(self, name, v)


def _build(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    own = cls.__dict__.get("__annotations__", {})
    names = [n for n, a in own.items() if not str(a).startswith(("ClassVar", "typing.ClassVar"))]
    defaults: dict[str, Any] = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
    glb: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": _MISSING}
    params, body = [], []
    for n in names:
        spec = defaults.get(n, _MISSING)
        if isinstance(spec, _Field) and spec.default_factory is not _MISSING:
            glb[f"_f_{n}"] = spec.default_factory
            params.append(f"{n}=_MISSING")
            value = f"_f_{n}() if {n} is _MISSING else {n}"
        else:
            if isinstance(spec, _Field):
                spec = spec.default
            if spec is not _MISSING:
                glb[f"_d_{n}"] = spec
                params.append(f"{n}=_d_{n}")
            elif params and "=" in params[-1]:
                raise TypeError(f"{cls.__name__}: non-default field {n!r} follows a default")
            else:
                params.append(n)
            value = n
        body.append(f"  _set(self, {n!r}, {value})" if frozen else f"  self.{n} = {value}")
    compared = [
        n for n in names if not (isinstance(defaults.get(n), _Field) and not defaults[n].compare)
    ]
    mine = "(" + "".join(f"self.{n}," for n in compared) + ")"
    theirs = "(" + "".join(f"other.{n}," for n in compared) + ")"
    shown = ", ".join(f"{n}={{self.{n}!r}}" for n in names)
    src = [
        f"def __init__(self, {', '.join(params)}) -> None:",
        *(body or ["  pass"]),
        "def __repr__(self):",
        f"  return f'{{self.__class__.__qualname__}}({shown})'",
        "def __eq__(self, other):",
        f"  if other.__class__ is self.__class__: return {mine} == {theirs}",
        "  return NotImplemented",
        "def __hash__(self):",
        f"  return hash({mine})",
    ]
    made: dict[str, Any] = {}
    exec("\n".join(src), glb, made)  # one text per class, compiled once
    methods = {name: made[name] for name in ("__init__", "__repr__", "__eq__")}
    for name, fn in methods.items():
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
    # As dataclasses: frozen with eq hashes its compared fields; mutable with eq is unhashable.
    methods["__hash__"] = made["__hash__"] if frozen else None
    if frozen:
        methods["__setattr__"], methods["__delattr__"] = _frozen_setattr, _frozen_delattr
    methods["__match_args__"] = tuple(names)
    methods["__value_annotations__"] = {n: own[n] for n in names}
    methods["__value_defaults__"] = defaults
    methods["__value_frozen__"] = frozen
    methods["__dataclass_fields__"] = _LazyFields()
    if not slots:
        for n, spec in defaults.items():  # a class attribute reads as the default, not a _Field
            if isinstance(spec, _Field):
                if spec.default is _MISSING:
                    delattr(cls, n)
                else:
                    setattr(cls, n, spec.default)
        for name, attr in methods.items():
            setattr(cls, name, attr)
        return cls
    # Slots need a class made anew (as dataclasses does): the defaults live in __init__.
    attrs = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    for n in names:
        attrs.pop(n, None)
    attrs.update(methods, __slots__=tuple(names), __getstate__=_getstate, __setstate__=_setstate)
    made_anew: type[T] = type(cls.__name__, cls.__bases__, attrs)
    made_anew.__qualname__ = cls.__qualname__
    return made_anew


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: type[T] | None = None, /, *, frozen: bool = True, slots: bool = False) -> Any:
    """`@dataclass(frozen=True)` (or `frozen=False`, `slots=True`) for a value class."""
    if cls is not None:
        return _build(cls, frozen, slots)
    return lambda c: _build(c, frozen, slots)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of a value with some fields changed (`dataclasses.replace`, for these classes)."""
    now = {n: getattr(obj, n) for n in obj.__match_args__}  # type: ignore[attr-defined]
    return type(obj)(**(now | changes))
