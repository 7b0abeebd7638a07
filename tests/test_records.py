"""The canonical records keep dataclass semantics with their faster constructors (parsers.records)."""

from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal
from typing import Any

import pytest

from parsers.numbers import Quantity
from parsers.prose_label import Label
from parsers.records import Figure, Finding, RawCell, Section
from pipeline.checks_relations import Relation

QUICK = [Section, RawCell, Figure, Finding, Quantity, Label, Relation]


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: c.__name__)
def test_constructor_has_the_fields_as_parameters(cls: type) -> None:
    params = [(p.name, p.default) for p in inspect.signature(cls).parameters.values()]
    expect = [(f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
              for f in dataclasses.fields(cls)]
    assert params == expect


@pytest.mark.parametrize(("make", "changed"), [
    (lambda: Figure("m", Decimal(5), "件", "count", "s", "5", 1, 2, "r"), {"metric": "n"}),
    (lambda: Figure("m", Decimal(5), "件", "count", "s", "5", 1, 2, "r", dims=(("a", "b"),), cell=(1, 2)),
     {"cell": (2, 2)}),
    (lambda: Finding("code", "error", "message", figures=(1, 2)), {"stated": Decimal(3)}),
    (lambda: RawCell(0, 1, "x", 3, 4, colspan=2), {"header": True}),
    (lambda: Section("proactive", "二、主动公开", 0, 10, 6), {"known": False}),
])
def test_records_are_frozen_equal_and_hashable(make: Any, changed: dict[str, Any]) -> None:
    a, b = make(), make()
    assert a == b and hash(a) == hash(b)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, next(iter(changed)), None)
    c = dataclasses.replace(a, **changed)
    assert c != a and all(getattr(c, k) == v for k, v in changed.items())


def test_missing_and_unknown_arguments_are_errors() -> None:
    with pytest.raises(TypeError, match="missing"):
        Figure("m")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected"):
        Section("a", "h", 0, 1, 1, colour="red")  # type: ignore[call-arg]


def test_positional_copies_match_replace() -> None:
    from parsers.prose import _with_share

    f = Figure("m", Decimal(5), "件", "count", "s", "5件", 1, 3, "r", unit_raw="件", approx=True, is_cumulative=True,
               value_semantic="zero", dims=(("a", "b"),), source="table", table="T3", row="r", col="c", cell=(1, 2))
    assert _with_share(f, Decimal("12.5")) == dataclasses.replace(f, share_pct=Decimal("12.5"))


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: c.__name__)
def test_records_are_instances_of_their_class_and_round_trip(cls: type) -> None:
    import copy
    import pickle

    values = {f.name: (f"v{i}" if f.default is dataclasses.MISSING else f.default)
              for i, f in enumerate(dataclasses.fields(cls))}
    rec = cls(**values)
    assert type(rec) is cls and not hasattr(rec, "__dict__")
    assert [getattr(rec, k) for k in values] == list(values.values())
    for twin in (pickle.loads(pickle.dumps(rec)), copy.copy(rec), copy.deepcopy(rec)):
        assert type(twin) is cls and twin == rec and hash(twin) == hash(rec)


def test_quick_init_falls_back_where_the_layouts_differ() -> None:
    """A record whose layout the twin class cannot share (here: a weak-reference slot) gets the setter
    ``__init__``, with the same behaviour."""
    from parsers.records import quick_init

    @quick_init
    @dataclasses.dataclass(frozen=True, slots=True, weakref_slot=True)
    class Weak:
        a: int
        b: str = "x"

    assert "__new__" not in Weak.__dict__  # the fallback took over
    w = Weak(1)
    assert (w.a, w.b) == (1, "x") and w == Weak(a=1, b="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.a = 2  # type: ignore[misc]
