"""Valid values of a shape from one drawn seed, for the parts of a payload a test does not look at.

Hypothesis makes every member, item and string of a value its own draw, so the valid
surroundings of one broken constraint (a whole ``CreateEndpointConfig`` around a bad
``VariantName``) cost 1–5 ms and hundreds of choices, which the shrinker then walks. Here
they cost one choice, a seed: a ``random.Random`` builds the value by the rules of
``shapes.ShapeStrategies`` (every required member and up to ``MAX_OPTIONAL`` optional ones,
lists and maps up to ``EXTRA_ITEMS`` beyond their minimum, strings from ``text``'s
generator, recursion at most ``MAX_NESTING`` deep). Seed 0, where Hypothesis shrinks to, is
the smallest value: required members only, minimum sizes, the simplest strings.
"""

from __future__ import annotations

import functools
import random
from typing import Any, Dict, Optional

from botocore.model import Shape
from hypothesis import strategies as st

from conformance.strategies import text
from conformance.strategies.shapes import (
    BLOB_SIZE,
    EPOCH_RANGE,
    EXTRA_ITEMS,
    MAX_NESTING,
    MAX_OPTIONAL,
    UnsupportedShape,
    by_shape_name,
    capped,
    enum_values,
    is_union,
    number_bounds,
    reaches,
    recursive_members,
    size_bounds,
    string_bounds,
    string_regex,
)

SEEDS = text.SEEDS
FLOAT_SPAN = 1e6  # an unbounded float side stays within this of zero
DISTINCT_KEY_TRIES = 8  # draws per wanted map key before settling for fewer (never below the minimum)


@by_shape_name
def seeded(shape: Shape) -> st.SearchStrategy:
    """Valid values of ``shape``, one Hypothesis choice each (seed 0: the smallest)."""
    return SEEDS.map(functools.partial(value, shape))


def value(shape: Shape, seed: int) -> Any:
    return Builder.from_seed(seed).build(shape)


def rng_for(seed: int) -> Optional[random.Random]:
    """The generator a drawn seed stands for; None for seed 0, which means "the simplest choice everywhere"."""
    return random.Random(seed) if seed else None


class Builder:
    """Values from one seed; ``rng=None`` (seed 0) takes the smallest choice everywhere."""

    def __init__(self, rng: Optional[random.Random]) -> None:
        self.rng = rng
        self.open: Dict[str, int] = {}  # structures being built, by name: how deep each is nested

    @classmethod
    def from_seed(cls, seed: int) -> "Builder":
        return cls(rng_for(seed))

    def index(self, size: int) -> int:
        """A position in a sequence of ``size`` (> 0) items; the first for seed 0."""
        return 0 if self.rng is None else self.rng.randrange(size)

    def build(self, shape: Shape) -> Any:
        builder = getattr(self, f"_{shape.type_name}", None)
        if builder is None:
            raise UnsupportedShape(f"{shape.name}: no value for shape type {shape.type_name!r}")
        return builder(shape)

    def _between(self, low: int, high: int) -> int:
        return low if self.rng is None or low >= high else self.rng.randint(low, high)

    # --- containers -------------------------------------------------------------------------

    def _structure(self, shape: Shape) -> dict:
        members = shape.members
        if is_union(shape):
            names = sorted(members)
            chosen = names[0] if self.rng is None else self.rng.choice(names)
            return {chosen: self.build(members[chosen])}
        depth = self.open.get(shape.name, 0)
        self.open[shape.name] = depth + 1
        try:
            required = [name for name in shape.required_members if name in members]
            optional = [name for name in members if name not in required]
            if depth + 1 >= MAX_NESTING:  # the deepest level leaves out what would nest again
                optional = [name for name in optional if name not in recursive_members(shape)]
            chosen = []
            if self.rng is not None and optional:
                chosen = self.rng.sample(optional, self.rng.randint(0, min(MAX_OPTIONAL, len(optional))))
            return {name: self.build(members[name]) for name in required + chosen}
        finally:
            self.open[shape.name] = depth

    def _list(self, shape: Shape) -> list:
        low, high = size_bounds(shape)
        extra = 1 if any(reaches(shape.member, name) for name in self.open) else EXTRA_ITEMS
        return [self.build(shape.member) for _ in range(self._between(low, capped(low, high, extra)))]

    def _map(self, shape: Shape) -> dict:
        low, high = size_bounds(shape)
        wanted = self._between(low, capped(low, high))
        out: dict = {}
        for attempt in range(DISTINCT_KEY_TRIES * max(wanted, 1)):
            if len(out) >= wanted:
                break
            # Keys must differ: past the first, the smallest value's keys come from fixed seeds.
            source = self if self.rng is not None or not out else Builder(random.Random(attempt))
            key = source.build(shape.key)
            if key not in out:
                out[key] = self.build(shape.value)
        if len(out) < low:
            raise UnsupportedShape(f"{shape.name}: could not find {low} distinct keys")
        return out

    # --- scalars ----------------------------------------------------------------------------

    def _string(self, shape: Shape) -> str:
        if shape.enum:
            values = enum_values(shape)
            return values[0] if self.rng is None else self.rng.choice(values)
        low, high = string_bounds(shape)
        return text.random_string(string_regex(shape), low, high, self.rng)

    def _integer(self, shape: Shape) -> int:
        low, high = number_bounds(shape)
        if self.rng is None:
            return min(max(0, low), high)
        return self.rng.randint(low, high)

    _long = _integer

    def _float(self, shape: Shape) -> float:
        low, high = number_bounds(shape)
        low = -FLOAT_SPAN if low is None else float(low)
        high = max(low, FLOAT_SPAN) if high is None else float(high)
        if self.rng is None:
            return min(max(0.0, low), high)
        return self.rng.uniform(low, high)

    _double = _float

    def _boolean(self, shape: Shape) -> bool:
        return False if self.rng is None else self.rng.random() < 0.5

    def _timestamp(self, shape: Shape) -> int:
        return EPOCH_RANGE[0] if self.rng is None else self.rng.randint(*EPOCH_RANGE)

    def _blob(self, shape: Shape) -> bytes:
        low, high = string_bounds(shape)
        size = self._between(low, capped(low, high, BLOB_SIZE))
        return bytes(self.rng.getrandbits(8) for _ in range(size)) if self.rng is not None else bytes(size)
