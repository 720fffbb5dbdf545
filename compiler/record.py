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

Cheap because nothing is compiled at import: `__init__`, `__eq__`, `__hash__` and the
comparisons are each written for the class and compiled (one `exec`) the first time they are
called, so a class costs what a plain class statement costs, and a method never called in a run
(most records are never compared) is never compiled. The code is a dataclass's, but `__init__`
stores each argument with its slot's own setter, faster than `object.__setattr__`. Not
supported, as nothing here needs them: pickling, `copy.copy`, weak references, `init=False`.
"""

from __future__ import annotations

import operator
import types

MISSING = object()  # no default


class FrozenError(AttributeError):
    """An assignment to (or deletion of) an attribute of a frozen record."""


class Field:
    """One field of a record: its name, annotation (as written), default or default factory
    (MISSING if none) and metadata."""

    __slots__ = ("name", "type", "default", "default_factory", "metadata")

    def __init__(self, default=MISSING, default_factory=MISSING, metadata=None) -> None:
        self.name, self.type = "", ""
        self.default, self.default_factory = default, default_factory
        self.metadata = types.MappingProxyType(metadata or {})

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
    cls = obj.__class__
    return cls(**dict(zip(cls.__match_args__, cls.__record_values__(obj), strict=True), **changes))


def _make(cls, frozen: bool, order: bool):
    found = {f.name: f for b in cls.__mro__[-1:0:-1] for f in getattr(b, "__record_fields__", ())}
    namespace = dict(cls.__dict__)
    for name, annotation in namespace.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.split(".")[-1].startswith("ClassVar"):
            continue
        value = namespace.pop(name, MISSING)  # a class attribute would hide the slot
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
    namespace["__record_values__"] = staticmethod(_values(names))
    lazy = ["__init__", "__eq__", *(["__hash__"] if frozen else []), *(_ORDER if order else [])]
    shared = {"__repr__": _repr, "__hash__": None} | {n: _first_call(n) for n in lazy}
    if frozen:
        shared |= {"__setattr__": _frozen, "__delattr__": _frozen}
    for name, function in shared.items():
        namespace.setdefault(name, function)
    return type(cls)(cls.__name__, cls.__bases__, namespace)


def _values(names: tuple[str, ...]):
    """A function of an instance that returns its field values as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    one = operator.attrgetter(*names) if names else None
    return lambda self: (one(self),) if one else ()


def _first_call(name: str):
    """A method that writes and compiles the class's own `name`, puts it in its place (for
    every later call) and calls it."""

    def first(self, *args, **kwargs):
        cls = next(c for c in type(self).__mro__ if c.__dict__.get(name) is first)
        source, scope = _SOURCES[name](cls)
        exec(compile(source, f"<record {cls.__qualname__}.{name}>", "exec"), scope)
        method = scope[name]
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
        return method(self, *args, **kwargs)

    return first


def _init(cls) -> tuple[str, dict]:
    params, lines, scope = [], [], {"_MISSING": MISSING}
    for i, f in enumerate(cls.__record_fields__):
        scope[f"_set_{i}"] = getattr(cls, f.name).__set__  # the slot's own setter
        value = f.name
        if f.default_factory is not MISSING:
            scope[f"_factory_{i}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory_{i}() if {f.name} is _MISSING else {f.name}"
        elif f.default is not MISSING:
            scope[f"_default_{i}"] = f.default
            params.append(f"{f.name}=_default_{i}")
        else:
            params.append(f.name)
        lines.append(f"  _set_{i}(self, {value})")
    if hasattr(cls, "__post_init__"):
        lines.append("  self.__post_init__()")
    return f"def __init__(self, {', '.join(params)}):\n" + "\n".join(lines or ["  pass"]), scope


def _tuples(cls) -> tuple[str, str]:
    """`(self.a,self.b,)` and `(other.a,other.b,)`: a dataclass's comparison operands."""
    mine = "".join(f"self.{n}," for n in cls.__match_args__)
    return f"({mine})", f"({mine.replace('self.', 'other.')})"


def _comparison(name: str, op: str):
    def source(cls) -> tuple[str, dict]:
        mine, theirs = _tuples(cls)
        return (
            f"def {name}(self, other):\n  if other.__class__ is self.__class__:\n"
            f"    return {mine} {op} {theirs}\n  return NotImplemented"
        ), {}

    return source


_ORDER = {"__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="}
_SOURCES = {"__init__": _init, "__eq__": _comparison("__eq__", "==")}
_SOURCES |= {name: _comparison(name, op) for name, op in _ORDER.items()}
_SOURCES["__hash__"] = lambda cls: (f"def __hash__(self):\n  return hash({_tuples(cls)[0]})", {})


def _repr(self) -> str:
    pairs = zip(self.__match_args__, self.__record_values__(self), strict=True)
    return f"{self.__class__.__qualname__}({', '.join(f'{n}={v!r}' for n, v in pairs)})"


def _frozen(self, name, value=None):
    raise FrozenError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")
