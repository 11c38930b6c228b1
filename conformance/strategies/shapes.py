"""botocore shape → Hypothesis strategy of values that satisfy every constraint of the shape.

Built straight from the installed botocore model, dispatching on ``shape.type_name``
the way ``botocore.validate.ParamValidator`` does (``_structure``, ``_list``, …).
A value is what a botocore client (``parameter_validation=False``) takes as a
parameter AND what the committed JSON Schema accepts: timestamps are epoch
seconds (the awsJson1.1 wire form; botocore passes numbers through), floats
are finite, a union sets exactly one member, and unbounded integers stay in the
wire type's range. Strings with a pattern come from ``text.matching`` over
``conformance.patterns.translate`` (the committed schemas' own regexes).
Strategies are cached per shape name; a recursive shape (``SearchExpression``)
refers to itself through ``st.deferred`` and nests at most ``MAX_NESTING`` deep.

Examples stay small on purpose: lists and maps get at most ``EXTRA_ITEMS``
items beyond their minimum, and a structure at most ``MAX_OPTIONAL`` of its
optional members (any of them, chosen per example).
"""

from __future__ import annotations

import functools
import threading
from typing import Dict, Optional

from botocore.model import OperationNotFoundError, Shape
from hypothesis import strategies as st

from conformance import model
from conformance.errors import UsageError
from conformance.patterns import translate
from conformance.strategies import text

EXTRA_ITEMS = 3
MAX_OPTIONAL = 5
INT32 = (-(2**31), 2**31 - 1)
INT53 = (-(2**53), 2**53)  # "long" without bounds: stay exact in every JSON reader
EPOCH_RANGE = (946684800, 4102444800)  # 2000-01-01 .. 2100-01-01, epoch seconds
BLOB_SIZE = 64
MAX_NESTING = 4  # levels of a recursive structure (SearchExpression) in one value


class UnsupportedShape(ValueError):
    """A shape type this module cannot generate (none occurs in the SageMaker input model)."""


def by_shape_name(function):
    """Cache ``function(shape)`` per shape name: botocore builds a new Shape object per parent."""
    cache: dict = {}

    @functools.wraps(function)
    def cached(shape: Shape):
        try:
            return cache[shape.name]
        except KeyError:
            result = cache[shape.name] = function(shape)
            return result

    return cached


def string_bounds(shape: Shape):
    return shape.metadata.get("min", 0), shape.metadata.get("max")


def string_regex(shape: Shape) -> Optional[str]:
    pattern = shape.metadata.get("pattern")
    return translate(pattern) if pattern is not None else None


def is_union(shape: Shape) -> bool:
    return bool(shape.metadata.get("union"))


def number_bounds(shape: Shape):
    """The model's bounds, else the range the wire type can carry."""
    if shape.type_name in ("integer", "long"):
        default = INT32 if shape.type_name == "integer" else INT53
    else:
        default = (None, None)
    return shape.metadata.get("min", default[0]), shape.metadata.get("max", default[1])


class ShapeStrategies:
    """One strategy per shape name, built on first use (like botocore's ``ParamValidator``)."""

    def __init__(self) -> None:
        self._built: Dict[str, st.SearchStrategy] = {}
        self._building: set = set()
        self._recursive: set = set()

    def valid(self, shape: Shape) -> st.SearchStrategy:
        name = shape.name
        strategy = self._built.get(name)
        if strategy is not None:
            return strategy
        if name in self._building:  # recursion (SearchExpression): resolve lazily
            self._recursive.add(name)
            return st.deferred(lambda: self._built[name])
        self._building.add(name)
        try:
            builder = getattr(self, f"_{shape.type_name}", None)
            if builder is None:
                raise UnsupportedShape(f"{name}: no strategy for shape type {shape.type_name!r}")
            strategy = builder(shape)
        finally:
            self._building.discard(name)
        if name in self._recursive:
            strategy = self._bounded(shape, strategy)
        self._built[name] = strategy
        return strategy

    def _bounded(self, shape: Shape, nested: st.SearchStrategy) -> st.SearchStrategy:
        """A recursive structure nests at most ``MAX_NESTING`` deep; the deepest level omits its recursive members.

        Without a bound, a list of sub-expressions that is present half the time
        and holds one to four of them makes the expected size grow without limit.
        """
        recursive = recursive_members(shape)
        if recursive & set(shape.required_members) or shape.type_name != "structure":
            raise UnsupportedShape(f"{shape.name}: recursion through a required member cannot end")
        members = shape.members
        leaf = structures(
            tuple((name, self.valid(members[name])) for name in shape.required_members),
            tuple((name, self.valid(members[name])) for name in members if name not in shape.required_members and name not in recursive),
        )
        nesting = threading.local()  # draws are nested calls on one thread: a counter per thread

        @st.composite
        def bounded(draw):
            depth = getattr(nesting, "depth", 0)
            if depth >= MAX_NESTING:
                return draw(leaf)
            nesting.depth = depth + 1
            try:
                return draw(nested)
            finally:
                nesting.depth = depth

        return bounded()

    # --- containers -------------------------------------------------------------------------

    def _structure(self, shape: Shape) -> st.SearchStrategy:
        members = shape.members
        if is_union(shape):  # exactly one member set
            return st.one_of([st.fixed_dictionaries({name: self.valid(member)}) for name, member in members.items()])
        required = [name for name in shape.required_members if name in members]
        optional = [name for name in members if name not in required]
        return structures(
            tuple((name, self.valid(members[name])) for name in required),
            tuple((name, self.valid(members[name])) for name in optional),
        )

    def _list(self, shape: Shape) -> st.SearchStrategy:
        low, high = size_bounds(shape)
        # A list of enclosing structures (SubExpressions) stays short, so nesting rarely branches.
        extra = 1 if any(reaches(shape.member, name) for name in self._building) else EXTRA_ITEMS
        return st.lists(self.valid(shape.member), min_size=low, max_size=capped(low, high, extra))

    def _map(self, shape: Shape) -> st.SearchStrategy:
        low, high = size_bounds(shape)
        return st.dictionaries(self.valid(shape.key), self.valid(shape.value), min_size=low, max_size=capped(low, high))

    # --- scalars ----------------------------------------------------------------------------

    def _string(self, shape: Shape) -> st.SearchStrategy:
        if shape.enum:
            return st.sampled_from(enum_values(shape))
        low, high = string_bounds(shape)
        return text.matching(string_regex(shape), low, high)

    def _integer(self, shape: Shape) -> st.SearchStrategy:
        low, high = number_bounds(shape)
        return st.integers(low, high)

    _long = _integer

    def _float(self, shape: Shape) -> st.SearchStrategy:
        low, high = number_bounds(shape)
        width = 32 if shape.type_name == "float" else 64
        return st.floats(low, high, allow_nan=False, allow_infinity=False, width=width)

    _double = _float

    def _boolean(self, shape: Shape) -> st.SearchStrategy:
        return st.booleans()

    def _timestamp(self, shape: Shape) -> st.SearchStrategy:
        return st.integers(*EPOCH_RANGE)

    def _blob(self, shape: Shape) -> st.SearchStrategy:
        # bytes: botocore base64-encodes them on the wire (no SageMaker input has a blob)
        low, high = string_bounds(shape)
        return st.binary(min_size=low, max_size=capped(low, high, BLOB_SIZE))


_REACHES: Dict[tuple, bool] = {}


def reaches(shape: Shape, name: str) -> bool:
    """Whether ``shape`` is, or contains somewhere, the shape called ``name`` (asked for every list a
    value builder makes: cached by shape name, as ``by_shape_name`` does)."""
    key = (shape.name, name)
    found = _REACHES.get(key)
    if found is None:
        found = _REACHES[key] = _reaches(shape, name, set())
    return found


def _reaches(shape: Shape, name: str, seen: set) -> bool:
    if shape.name == name:
        return True
    if shape.name in seen:
        return False
    seen.add(shape.name)
    if shape.type_name == "structure":
        return any(_reaches(member, name, seen) for member in shape.members.values())
    if shape.type_name == "list":
        return _reaches(shape.member, name, seen)
    if shape.type_name == "map":
        return _reaches(shape.key, name, seen) or _reaches(shape.value, name, seen)
    return False


@by_shape_name
def recursive_members(shape: Shape) -> frozenset:
    """The members of a structure through which it contains itself (``SubExpressions``)."""
    return frozenset(name for name, member in shape.members.items() if reaches(member, shape.name))


@by_shape_name
def enum_values(shape: Shape) -> tuple:
    """The enum values of a string shape that also fit its length and pattern."""
    fits = text.checker(string_regex(shape), *string_bounds(shape))
    values = tuple(v for v in shape.enum if fits(v))
    if not values:
        raise UnsupportedShape(f"{shape.name}: no enum value satisfies its length/pattern")
    return values


def size_bounds(shape: Shape):
    return shape.metadata.get("min", 0), shape.metadata.get("max")


def capped(low: int, high: Optional[int], extra: int = EXTRA_ITEMS) -> int:
    return low + extra if high is None else min(high, low + extra)


def structures(required, optional) -> st.SearchStrategy:
    """Dicts with every ``required`` member and up to ``MAX_OPTIONAL`` of the ``optional`` ones."""
    if not optional:
        return st.fixed_dictionaries(dict(required))
    chosen = st.lists(st.integers(0, len(optional) - 1), unique=True, max_size=min(MAX_OPTIONAL, len(optional)))

    @st.composite
    def structure(draw) -> dict:
        out = {name: draw(strategy) for name, strategy in required}
        for index in draw(chosen):
            name, strategy = optional[index]
            out[name] = draw(strategy)
        return out

    return structure()


_STRATEGIES = ShapeStrategies()


def shape_strategy(shape: Shape) -> st.SearchStrategy:
    """Valid values of any shape of the SageMaker model (shared cache)."""
    return _STRATEGIES.valid(shape)


@functools.lru_cache(maxsize=None)
def valid_input(operation: str) -> st.SearchStrategy:
    """Payloads (parameter dicts) for ``operation`` that satisfy every schema constraint of its input."""
    shape = input_shape(operation)
    if shape is None:
        return st.just({})
    return shape_strategy(shape)


def input_shape(operation: str) -> Optional[Shape]:
    try:
        return model.operation_model(operation).input_shape
    except OperationNotFoundError as err:
        raise UsageError(f"unknown SageMaker operation {operation!r}") from err
