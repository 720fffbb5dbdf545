"""`record.py`: the compiler's frozen value classes keep what the code relied on from
dataclasses (frozen, equality within one class, hash, repr, defaults, factories, metadata,
`__post_init__`, inheritance, `replace`, `fields`), and every compiler class is one."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import ClassVar

import pytest
import shipc
from shipc import ir, model
from shipc.errors import Span
from shipc.record import MISSING, FrozenError, field, fields, is_record, record, replace


@record
class Point:
    """A point."""

    x: int
    y: int = 0
    kind: ClassVar[str] = "point"

    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


@record
class Other:
    x: int
    y: int = 0


@record
class Bag:
    name: str
    items: dict = field(default_factory=dict, metadata={"role": "bag"})
    made: ClassVar[list[str]] = []

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a bag needs a name")
        Bag.made.append(self.name)


@record
class Point3(Point):
    z: int = 0


@record(order=True)
class Version:
    major: int
    minor: int = 0


@record(frozen=False)
class Counter:
    count: int = 0


def test_fields_defaults_and_methods():
    p = Point(1)
    assert (p.x, p.y, p.norm(), Point.kind) == (1, 0, 1, "point")
    assert Point(x=2, y=-3) == Point(2, -3)
    assert Point.__doc__ == "A point."
    assert [f.name for f in fields(Point)] == ["x", "y"]  # the ClassVar is no field
    assert [f.type for f in fields(p)] == ["int", "int"]  # annotations stay as written
    assert fields(Point)[0].default is MISSING and fields(Point)[1].default == 0
    assert Point.__match_args__ == ("x", "y")
    assert is_record(Point) and is_record(p) and not is_record((1, 0))
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, 3)


def test_frozen():
    p = Point(1, 2)
    with pytest.raises(FrozenError):
        p.x = 5
    with pytest.raises(AttributeError):
        del p.y
    with pytest.raises(AttributeError):
        p.extra = 1  # slots: no stray attributes either
    assert p == Point(1, 2)


def test_equality_only_within_one_class_and_hash_agrees():
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != Other(1, 2)
    pair = (1, 2)
    assert Point(1, 2) != pair and pair != Point(1, 2)
    assert ir.Workdir("/a") != ir.User("/a")
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert len({Point(1, 2), Point(1, 2), Other(1, 2)}) == 2
    assert Point3(1, 2, 0) != Point(1, 2)  # a subclass is another class


def test_repr_is_a_dataclass_repr():
    def point(decorate):
        @decorate
        class Point:
            x: int
            y: str = "b"

        return Point(1)

    assert repr(point(record)) == repr(point(dataclasses.dataclass(frozen=True)))
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    assert repr(Bag("b")) == "Bag(name='b', items={})"
    assert repr(Span(1, 2, 1, 3)) == "Span(line=1, column=2, end_line=1, end_column=3, file='')"


def test_default_factory_and_metadata():
    a, b = Bag("a"), Bag("b")
    assert a.items == {} and a.items is not b.items
    assert Bag("c", {"k": 1}).items == {"k": 1}
    (_, items) = fields(Bag)
    assert items.default_factory is dict and items.metadata["role"] == "bag"
    with pytest.raises(TypeError):
        items.metadata["role"] = "changed"  # read-only, as a dataclass field's


def test_post_init_runs_on_every_instance_and_on_replace():
    Bag.made.clear()
    bag = replace(Bag("a"), name="b")
    assert Bag.made == ["a", "b"] and bag.name == "b"
    with pytest.raises(ValueError, match="needs a name"):
        replace(bag, name="")


def test_replace():
    p = Point(1, 2)
    assert replace(p, y=5) == Point(1, 5) and p == Point(1, 2)
    assert replace(p) == p
    with pytest.raises(TypeError):
        replace(p, z=1)
    one = record(type("One", (), {"__annotations__": {"a": "int"}}))
    assert replace(one(1), a=2).a == 2


def test_inheritance():
    p = Point3(1, z=3)
    assert (p.x, p.y, p.z, p.norm()) == (1, 0, 3, 1)
    assert [f.name for f in fields(Point3)] == ["x", "y", "z"]
    assert isinstance(p, Point) and repr(p) == "Point3(x=1, y=0, z=3)"
    with pytest.raises(FrozenError):
        p.z = 1


def test_order():
    assert Version(1, 2) < Version(1, 10) <= Version(2) and Version(3) > Version(2, 9)
    ordered = [Version(1), Version(1, 5), Version(2)]
    assert sorted(reversed(ordered)) == ordered
    assert Span(1, 5, 1, 6) < Span(2, 1, 2, 2)
    with pytest.raises(TypeError):
        _ = Point(1) < Point(2)  # not ordered


def test_mutable_records():
    c = Counter()
    c.count += 1
    assert c == Counter(1) and c.__hash__ is None


def test_shapes_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="without a default follows"):
        record(type("Bad", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))
    with pytest.raises(ValueError, match="default_factory"):
        record(type("Bad", (), {"__annotations__": {"a": "list"}, "a": []}))
    with pytest.raises(TypeError, match="record.field"):
        record(type("Bad", (), {"__annotations__": {"a": "int"}, "a": dataclasses.field()}))


def test_classes_of_one_shape_keep_their_own_names():
    """Classes with as many fields share their methods' code, renamed for each class."""

    @record
    class Swapped:
        _1: int
        _0: int = 2

    assert Point(1, 2) == Point(1, 2)  # Point's code for two fields is compiled first
    s = Swapped(_0=5, _1=7)
    assert (s._1, s._0) == (7, 5) and s == Swapped(7, 5) and s != Swapped(5, 7)
    assert hash(s) == hash(Swapped(7, 5)) and repr(s).endswith("Swapped(_1=7, _0=5)")
    assert Swapped(1) == Swapped(1, 2) and Other(y=4, x=3) == Other(3, 4)


def test_pattern_matching():
    match ir.Workdir("/a"):
        case ir.Workdir(path=path):
            assert path == "/a"
        case _:
            pytest.fail("no match")


def test_stage_fields_keep_their_metadata():
    (steps,) = [f for f in fields(model.Stage) if f.name == "steps"]
    assert steps.default == () and steps.metadata["inherit"] == "concat"


def test_the_compiler_uses_no_dataclass():
    """Every value class of the compiler is a record: a dataclass costs ~1 ms at import."""
    for info in pkgutil.walk_packages(shipc.__path__, "shipc."):
        if info.name in {"shipc.cli", "shipc.console", "shipc.generated_parser"}:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == info.name:
                assert not dataclasses.is_dataclass(value), value
