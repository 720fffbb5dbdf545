"""Frozen, typed value classes that are cheap to create: the compiler's dataclasses.

`@dataclasses.dataclass(frozen=True)` costs about a millisecond per class at import
(several `exec` calls and much processing), and the compiler has about a hundred of them.
`@record` keeps what the code uses of dataclasses, at a small part of that cost:

- fields from the class's annotations (left as written), defaults, `field(default_factory=…,
  metadata=…)`, `__post_init__`, inheritance between records, `ClassVar` skipped;
- frozen instances (`FrozenError`, an AttributeError, on assignment or deletion; `frozen=False`
  for a mutable one), `__slots__` (no `__dict__`: no stray attributes, less memory);
- `==` only between instances of the same class, `hash` consistent with it, `order=True` for
  `<` …, a dataclass's repr (`Text(value='x', span=…)`), `__match_args__`;
- `fields(...)`, `replace(obj, **changes)` and `is_record(...)` as in `dataclasses`.

Cheap because nothing is compiled at import. `__init__`, `__eq__`, `__hash__` and the
comparisons are made the first time they are called (most records are never compared) from
code compiled once per shape (`__init__` of 3 fields, `__eq__` of 2, …) and renamed for the
class, so a class costs little more than a plain class statement and a run compiles about ten
small functions in all. The code is a dataclass's, but `__init__` stores each argument with
its slot's own setter, faster than `object.__setattr__`. Not supported, as nothing here needs
them: pickling, `copy.copy`, weak references, `init=False`.
"""

from __future__ import annotations

import types

MISSING = object()  # no default
_NO_METADATA = types.MappingProxyType({})


class FrozenError(AttributeError):
    """An assignment to (or deletion of) an attribute of a frozen record."""


class Field:
    """One field of a record: its name, annotation (as written), default or default factory
    (MISSING if none) and metadata."""

    __slots__ = ("name", "type", "default", "default_factory", "metadata")

    def __init__(self, default=MISSING, default_factory=MISSING, metadata=None) -> None:
        self.name, self.type = "", ""
        self.default, self.default_factory = default, default_factory
        self.metadata = types.MappingProxyType(metadata) if metadata else _NO_METADATA

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r})"


def field(*, default=MISSING, default_factory=MISSING, metadata=None):
    """A field with a default factory or metadata (`dataclasses.field`'s arguments)."""
    return Field(default, default_factory, metadata)


def record(cls=None, /, *, frozen: bool = True, order: bool = False):
    """Make a class a record: `@record`, `@record(order=True)`, `@record(frozen=False)`."""
    if cls is None:
        return lambda cls: _make(cls, frozen, order)
    return _make(cls, frozen, order)


def fields(obj_or_class) -> tuple[Field, ...]:
    """The fields of a record or record class, in order."""
    try:
        return obj_or_class.__record_fields__
    except AttributeError:
        raise TypeError(f"not a record: {obj_or_class!r}") from None


def is_record(obj) -> bool:
    """Whether `obj` is a record or a record class."""
    return hasattr(obj, "__record_fields__")


def replace(obj, /, **changes):
    """A copy of a record with some fields changed (its `__post_init__` runs again)."""
    for name in obj.__match_args__:
        if name not in changes:
            changes[name] = getattr(obj, name)
    return obj.__class__(**changes)


def _make(cls, frozen: bool, order: bool):
    """The record made of `cls`: a class of the same name, bases and namespace, made anew
    because `__slots__` only take effect when a class is made."""
    found = {f.name: f for b in cls.__mro__[-1:0:-1] for f in getattr(b, "__record_fields__", ())}
    namespace = dict(cls.__dict__)
    for name, annotation in namespace.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.split(".")[-1].startswith("ClassVar"):
            continue
        value = namespace.pop(name, MISSING)  # a class attribute would hide the slot
        if hasattr(value, "default_factory") and not isinstance(value, Field):
            raise TypeError(f"{cls.__name__}.{name}: a record's field is record.field(…)")
        made = value if isinstance(value, Field) else Field(value)
        if isinstance(made.default, (list, dict, set)):
            raise ValueError(f"{cls.__name__}.{name}: a mutable default needs default_factory")
        made.name, made.type = name, annotation
        found[name] = made
    own, names = tuple(found.values()), tuple(found)
    defaulted = [f for f in own if f.default is not MISSING or f.default_factory is not MISSING]
    if defaulted and own[-len(defaulted) :] != tuple(defaulted):
        raise TypeError(f"{cls.__name__}: a field without a default follows one with a default")
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    slotted = {n for base in cls.__mro__[1:] for n in getattr(base, "__slots__", ())}
    namespace["__slots__"] = tuple(n for n in names if n not in slotted)
    namespace["__qualname__"] = cls.__qualname__
    namespace["__record_fields__"], namespace["__match_args__"] = own, names
    lazy = ["__init__", "__eq__", *(["__hash__"] if frozen else []), *(_ORDER if order else [])]
    shared = {"__repr__": _repr, "__hash__": None} | {n: _first_call(n) for n in lazy}
    if frozen:
        shared |= {"__setattr__": _frozen, "__delattr__": _frozen}
    for name, function in shared.items():
        namespace.setdefault(name, function)
    return type(cls)(cls.__name__, cls.__bases__, namespace)


def _first_call(name: str):
    """A method that makes the class's own `name`, puts it in its place (for every later
    call) and calls it."""

    def first(self, *args, **kwargs):
        cls = next(c for c in type(self).__mro__ if c.__dict__.get(name) is first)
        setattr(cls, name, _method(cls, name))
        return getattr(cls, name)(self, *args, **kwargs)

    return first


def _method(cls, name: str):
    """The class's own `name`: the code of its shape (the method, the number of fields,
    whether there is a `__post_init__`), compiled once per shape with the placeholders `_0`,
    `_1`, … for the fields, renamed to the class's field names."""
    own, scope, defaults = cls.__record_fields__, {}, []
    for i, f in enumerate(own if name == "__init__" else ()):
        scope[f"_set_{i}"] = store = getattr(cls, f.name).__set__  # the slot's own setter
        if f.default_factory is not MISSING:
            scope[f"_set_{i}"] = _with_factory(store, f.default_factory)
            defaults.append(MISSING)
        elif f.default is not MISSING:
            defaults.append(f.default)
    shape = (name, len(own), name == "__init__" and hasattr(cls, "__post_init__"))
    if shape not in _CODE:
        _CODE[shape] = compile(_source(*shape), "<record>", "exec").co_consts[0]
    code, names = _CODE[shape], {f"_{i}": f.name for i, f in enumerate(own)}
    code = code.replace(
        co_varnames=tuple(names.get(n, n) for n in code.co_varnames),
        co_names=tuple(names.get(n, n) for n in code.co_names),
    )
    method = types.FunctionType(code, scope, name, tuple(defaults) or None)
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    return method


def _with_factory(store, factory):
    """A field's setter that calls its default factory when the argument is the default."""
    return lambda self, value: store(self, factory() if value is MISSING else value)


def _source(name: str, count: int, post_init: bool) -> str:
    """A dataclass's code for a method, with the fields `_0`, `_1`, …"""
    if name == "__init__":
        lines = [f"  _set_{i}(self, _{i})" for i in range(count)]
        lines += ["  self.__post_init__()"] if post_init else []
        params = "".join(f", _{i}" for i in range(count))
        return f"def __init__(self{params}):\n" + "\n".join(lines or ["  pass"])
    mine = "".join(f"self._{i}," for i in range(count))  # a tuple's items
    if name == "__hash__":
        return f"def __hash__(self):\n  return hash(({mine}))"
    theirs = mine.replace("self.", "other.")
    return (
        f"def {name}(self, other):\n  if other.__class__ is self.__class__:\n"
        f"    return ({mine}) {_OPERATORS[name]} ({theirs})\n  return NotImplemented"
    )


_OPERATORS = {"__eq__": "==", "__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="}
_ORDER = ("__lt__", "__le__", "__gt__", "__ge__")
_CODE: dict[tuple, types.CodeType] = {}  # the code of each shape


def _repr(self) -> str:
    pairs = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
    return f"{self.__class__.__qualname__}({pairs})"


def _frozen(self, name, value=None):
    raise FrozenError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")
