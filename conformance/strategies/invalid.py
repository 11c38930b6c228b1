"""Payloads that break exactly one schema constraint, labelled with where and which.

Every operation's input shape tree is scanned once for *constraint sites*: a
path template (members, list items, map values) and a constraint the shape at
its end states (``Constraint.REQUIRED`` … ``Constraint.ENUM``). A site is kept
only if it can be broken alone, and in a form a botocore client
(``parameter_validation=False``) sends unchanged:

* ``type`` — strings get a number, integers a numeric string, floats a boolean
  (botocore's float serializer chokes on strings), booleans a string; never on
  enum strings (the value would miss the enum too) nor on timestamps (botocore
  converts whatever it is given);
* ``min``/``max`` — a number 1..1000 beyond the bound;
* ``min_length``/``max_length`` — strings of that length that still match the
  pattern (skipped if none can, and on enum strings); lists and maps one size
  outside (a too-large map needs that many distinct valid keys);
* ``pattern`` — a valid string with one character no part of the pattern can
  produce swapped in or inserted (length kept in bounds), else a short string
  of the pattern's own characters in the wrong order; skipped when every string
  of the right length matches (``[\\S\\s]*``);
* ``enum`` — a string of valid length and pattern outside the enum;
* ``required`` — the member removed (the path names the missing member); not
  for idempotency tokens, which a botocore client fills in when absent.

Map keys break like strings (never by type: JSON keys are strings); the path
ends in the broken key. Not generated: a union's exactly-one rule, unknown members
(botocore's serializer refuses them), documented cross-field rules (the domain
strategies in ``deployment``, ``search`` and ``tags`` do those).

Drawing picks a kind of constraint, then a site of that kind (rare kinds are
broken as often as common ones), builds a valid payload in which the site's path exists
(list index and map key drawn, unions holding just that member) and replaces
the value there with a breaking one. The valid surroundings come from one drawn
seed (``seeded``: seed 0, where shrinking goes, is the smallest payload); the
breaking value is drawn choice by choice. Operations whose input has no site (no
members) cannot yield an invalid payload: ``invalid_input`` raises
``NoConstraintSite`` for them (see ``operations_without_sites``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from botocore.model import Shape
from hypothesis import strategies as st

from conformance import model
from conformance.strategies import text
from conformance.strategies.seeded import SEEDS, Builder, rng_for, seeded, value
from conformance.strategies.shapes import (
    by_shape_name,
    input_shape,
    is_union,
    number_bounds,
    shape_strategy,
    size_bounds,
    string_bounds,
    string_regex,
)
from conformance.strategies.unwrapped import unwrapped
from conformance.violation import Constraint, InvalidPayload

Step = Tuple[str, str]  # ("member", name) | ("item", "") | ("value", "") | ("key", ""): the key itself
OUT_OF_RANGE = 1000  # numbers outside a bound by 1 .. this much
REPEATED_ITEMS = 3  # a too-long list repeats up to this many drawn items


class NoConstraintSite(ValueError):
    """The operation's input states no constraint that a payload could break alone."""


@dataclass(frozen=True)
class Site:
    steps: Tuple[Step, ...]  # from the input shape to ``shape``
    shapes: Tuple[Shape, ...]  # the shape at each step's start, then the site's own shape
    constraint: Constraint
    member: Optional[str] = None  # the removed member, for REQUIRED

    @property
    def shape(self) -> Shape:
        return self.shapes[-1]

    def describe(self) -> str:
        path = "".join(f".{name}" if kind == "member" else "{key}" if kind == "key" else "[*]" for kind, name in self.steps)
        suffix = f".{self.member}" if self.member else ""
        return f"${path}{suffix}: {self.constraint.value}"


# --- which constraints each shape offers -------------------------------------------------------

@by_shape_name
def _string_constraints(shape: Shape) -> List[Constraint]:
    if shape.enum:
        return [Constraint.ENUM] if _wrong_enum_strings(shape) else []
    regex = string_regex(shape)
    low, high = string_bounds(shape)
    out = [Constraint.TYPE]
    if low > 0 and text.samples(regex, 0, low - 1, tries=8):
        out.append(Constraint.MIN_LENGTH)
    if high is not None and text.samples(regex, high + 1, None, tries=8):
        out.append(Constraint.MAX_LENGTH)
    if regex is not None and _pattern_breaker(shape) is not None:
        out.append(Constraint.PATTERN)
    return out


def _number_constraints(shape: Shape) -> List[Constraint]:
    out = [Constraint.TYPE]
    if "min" in shape.metadata:
        out.append(Constraint.MIN)
    if "max" in shape.metadata:
        out.append(Constraint.MAX)
    return out


def _constraints(shape: Shape) -> List[Constraint]:
    kind = shape.type_name
    if kind == "string":
        return _string_constraints(shape)
    if kind in ("integer", "long", "float", "double"):
        return _number_constraints(shape)
    if kind == "boolean":
        return [Constraint.TYPE]
    if kind in ("list", "map"):
        low, high = size_bounds(shape)
        too_many = high is not None and (kind == "list" or len(_distinct_keys(shape.key, high + 1, 0)) > high)
        return ([Constraint.MIN_LENGTH] if low > 0 else []) + ([Constraint.MAX_LENGTH] if too_many else [])
    return []  # structure (REQUIRED handled per member), timestamp, blob


def _walk(shape: Shape, steps: Tuple[Step, ...], shapes: Tuple[Shape, ...], out: List[Site]) -> None:
    here = shapes + (shape,)
    if any(s.name == shape.name for s in shapes):  # recursive shape: its sites were listed one level up
        return
    if shape.type_name == "structure":
        if not is_union(shape):
            for name in shape.required_members:
                if not shape.members[name].metadata.get("idempotencyToken"):  # botocore fills those in
                    out.append(Site(steps, here, Constraint.REQUIRED, member=name))
        for name, member in shape.members.items():
            _walk(member, steps + (("member", name),), here, out)
        return
    out.extend(Site(steps, here, constraint) for constraint in _constraints(shape))
    if shape.type_name == "list":
        _walk(shape.member, steps + (("item", ""),), here, out)
    elif shape.type_name == "map":
        key_steps = steps + (("key", ""),)
        out.extend(Site(key_steps, here + (shape.key,), c) for c in _string_constraints(shape.key) if c is not Constraint.TYPE)
        _walk(shape.value, steps + (("value", ""),), here, out)


@functools.lru_cache(maxsize=None)
def constraint_sites(operation: str) -> Tuple[Site, ...]:
    """Every constraint of the operation's input that a payload can break alone."""
    shape = input_shape(operation)
    out: List[Site] = []
    if shape is not None:
        _walk(shape, (), (), out)
    return tuple(out)


def operations_without_sites() -> List[str]:
    return [op for op in model.operation_names() if not constraint_sites(op)]


# --- breaking values ---------------------------------------------------------------------------

@by_shape_name
def _wrong_enum_strings(shape: Shape) -> Tuple[str, ...]:
    low, high = string_bounds(shape)
    allowed = set(shape.enum)
    return tuple(s for s in text.samples(string_regex(shape), low, high, tries=40, seed=1) if s not in allowed)


@by_shape_name
def _pattern_breaker(shape: Shape) -> Optional[st.SearchStrategy]:
    """Strings within the length bounds that do not match the pattern, or None if there are none to find."""
    regex = string_regex(shape)
    low, high = string_bounds(shape)
    fits_length = text.checker(None, low, high)
    matches = text.checker(regex, 0, None)
    possible = text.alphabet(regex)
    outside = "".join(c for c in text.UNIVERSE if c not in possible)
    if outside and (high is None or high >= 1):
        # A character no part of the pattern can produce: inserted or swapped into a valid string.
        bad = st.sampled_from(sorted(outside, key=lambda c: (c not in text.PROBES, c)))
        return _spoiled(shape, high, bad)
    # Every character can occur somewhere: break the structure instead (e.g. a leading "-").
    candidates = [s for s in _structural_candidates(regex, low, high) if fits_length(s) and not matches(s)]
    if not candidates:
        return None
    return st.sampled_from(candidates)


# Module-level composites: applying @st.composite reads the function's source, ~0.1-1 ms each time.
@st.composite
def _spoiled(draw, shape: Shape, high: Optional[int], bad: st.SearchStrategy) -> str:
    """A valid string (from a seed) with one character ``bad`` inserted, or swapped in at the length limit."""
    base = value(shape, draw(SEEDS))  # what is drawn with care is the break
    at_max = high is not None and len(base) >= high
    if base and (at_max or draw(st.booleans())):  # swap one character: the length stays
        at = draw(st.integers(0, len(base) - 1))
        return base[:at] + draw(bad) + base[at + 1:]
    at = draw(st.integers(0, len(base)))
    return base[:at] + draw(bad) + base[at:]


def _structural_candidates(regex: str, low: int, high: Optional[int]) -> List[str]:
    pool = "".join(sorted(text.alphabet(regex), key=lambda c: (c not in text.PROBES, c)))[:12]
    top = low + 3 if high is None else min(high, low + 3)
    out = []
    for size in range(low, top + 1):
        for start in range(len(pool)):
            out.append("".join(pool[(start + i * 7) % len(pool)] for i in range(size)))
            out.append(pool[start] * size)
    return out


def _breaking_value(site: Site) -> st.SearchStrategy:
    shape, constraint = site.shape, site.constraint
    kind = shape.type_name
    if constraint is Constraint.TYPE:
        if kind == "string":
            return st.integers(0, 100)
        if kind in ("integer", "long"):
            return shape_strategy(shape).map(str)
        if kind in ("float", "double"):
            return st.booleans()
        return st.sampled_from(["true", "false"])  # boolean
    if kind in ("integer", "long", "float", "double"):
        low, high = number_bounds(shape)
        if kind in ("integer", "long"):
            return st.integers(low - OUT_OF_RANGE, low - 1) if constraint is Constraint.MIN else st.integers(high + 1, high + OUT_OF_RANGE)
        width = 32 if kind == "float" else 64
        if constraint is Constraint.MIN:
            return st.floats(low - OUT_OF_RANGE, low, exclude_max=True, width=width)
        return st.floats(high, high + OUT_OF_RANGE, exclude_min=True, width=width)
    if kind == "string":
        regex = string_regex(shape)
        low, high = string_bounds(shape)
        if constraint is Constraint.ENUM:
            return st.sampled_from(_wrong_enum_strings(shape))
        if constraint is Constraint.MIN_LENGTH:
            return text.matching(regex, 0, low - 1)
        if constraint is Constraint.MAX_LENGTH:
            # Only the length is judged: the text is a pooled one from a seed (the shortest at seed 0),
            # one draw where drawing it character by character took ~20.
            return SEEDS.map(lambda seed: text.random_string(regex, high + 1, None, rng_for(seed)))
        return _pattern_breaker(shape)
    if kind == "list":
        return _sized_list(shape, site.constraint)
    if kind == "map":
        return _sized_map(shape, site.constraint)
    raise AssertionError(f"no breaking value for {site.describe()}")


def _sized_list(shape: Shape, constraint: Constraint) -> st.SearchStrategy:
    low, high = size_bounds(shape)
    item = seeded(shape.member)
    if constraint is Constraint.MIN_LENGTH:
        return st.lists(item, max_size=low - 1)
    # max + 1 items: a few drawn ones repeated (the model never asks list items to be unique)
    return st.lists(item, min_size=1, max_size=REPEATED_ITEMS).map(lambda xs: [xs[i % len(xs)] for i in range(high + 1)])


def _sized_map(shape: Shape, constraint: Constraint) -> st.SearchStrategy:
    low, high = size_bounds(shape)
    keys, values = seeded(shape.key), seeded(shape.value)
    if constraint is Constraint.MIN_LENGTH:
        return st.dictionaries(keys, values, max_size=low - 1)
    # max + 1 distinct keys (hundreds, for some maps) from one drawn seed; a few drawn values repeated
    return st.tuples(st.integers(0, 2**32 - 1), st.lists(values, min_size=1, max_size=REPEATED_ITEMS)).map(
        lambda drawn: {key: drawn[1][i % len(drawn[1])] for i, key in enumerate(_distinct_keys(shape.key, high + 1, drawn[0]))}
    )


def _distinct_keys(key: Shape, count: int, seed: int) -> List[str]:
    """``count`` distinct valid map keys (fewer when the key space is smaller)."""
    if key.enum:
        fits = text.checker(string_regex(key), *string_bounds(key))
        return [value for value in key.enum if fits(value)][:count]
    low, high = string_bounds(key)
    found: dict = {}
    for attempt in range(4):  # each round samples afresh; duplicates and misfits are dropped
        for value in text.samples(string_regex(key), low, high, tries=2 * count, seed=seed + attempt):
            found.setdefault(value, None)
        if len(found) >= count:
            break
    return list(found)[:count]


# --- placing the value in an otherwise valid payload ------------------------------------------

def _with_value(build: Builder, shapes: Sequence[Shape], steps: Sequence[Step], leaf: Tuple[object, tuple]) -> Tuple[object, tuple]:
    """A valid value of ``shapes[0]`` whose ``steps`` path exists and ends in ``leaf`` (value, path below it);
    and the concrete path. Everything around the path, list positions and map keys come from ``build``."""
    if not steps:
        return leaf
    shape, (kind, name) = shapes[0], steps[0]
    child, child_path = _with_value(build, shapes[1:], steps[1:], leaf)
    if kind == "member":
        value = {} if is_union(shape) else dict(build.build(shape))
        value[name] = child
        return value, (name,) + child_path
    if kind == "item":
        items = list(build.build(shape))
        if not items:
            return [child], (0,) + child_path
        at = build.index(len(items))
        items[at] = child
        return items, (at,) + child_path
    entries = dict(build.build(shape))
    keys = sorted(entries)
    if kind == "key":  # the broken key takes an existing entry's place, so the size stays valid
        value = entries.pop(keys[build.index(len(keys))]) if entries else build.build(shape.value)
        entries[child] = value
        return entries, (child,)
    key = keys[build.index(len(keys))] if entries else build.build(shape.key)
    entries[key] = child
    return entries, (key,) + child_path


@functools.lru_cache(maxsize=None)
def site_strategy(site: Site) -> st.SearchStrategy:
    """InvalidPayload strategy for one site (the payload root is the site's first shape): a seed for
    the valid surroundings, then the breaking value."""
    return _site_payload(site)


@st.composite
def _site_payload(draw, site: Site) -> InvalidPayload:
    return _payload_at(draw, site)


@functools.lru_cache(maxsize=None)
def _breaking(site: Site) -> Optional[st.SearchStrategy]:
    """One strategy object per site: Hypothesis checks each new strategy object on its first draw."""
    return None if site.constraint is Constraint.REQUIRED else unwrapped(_breaking_value(site))


def _payload_at(draw, site: Site) -> InvalidPayload:
    builder = Builder.from_seed(draw(SEEDS))
    breaking = _breaking(site)
    if breaking is None:
        missing = dict(builder.build(site.shape))
        missing.pop(site.member, None)
        leaf: Tuple[object, tuple] = (missing, (site.member,))
    else:
        leaf = (draw(breaking), ())
    payload, path = _with_value(builder, site.shapes, site.steps, leaf)
    return InvalidPayload(payload, path, site.constraint.value)


def invalid_input(operation: str, constraints: Optional[Sequence[str]] = None) -> st.SearchStrategy:
    """``InvalidPayload``s for ``operation``, each breaking exactly one schema constraint.

    ``constraints`` (Constraint values) restricts the kinds of site drawn from.
    Raises ``NoConstraintSite`` when no such site exists.
    """
    wanted = None if constraints is None else frozenset(Constraint(c) for c in constraints)
    return _invalid_input(operation, wanted)


@functools.lru_cache(maxsize=None)
def _invalid_input(operation: str, wanted: Optional[frozenset]) -> st.SearchStrategy:
    sites = constraint_sites(operation)
    if wanted is not None:
        sites = tuple(s for s in sites if s.constraint in wanted)
    if not sites:
        kinds = ", ".join(sorted(c.value for c in wanted)) if wanted else "any"
        raise NoConstraintSite(f"{operation}: the input has no constraint site ({kinds}) a payload can break alone")
    # The kind of constraint first, then a site of that kind: rare kinds (an operation's few enums
    # among hundreds of lengths and patterns) are broken as often as common ones.
    by_kind: dict = {}
    for site in sites:
        by_kind.setdefault(site.constraint, []).append(site)
    groups = [tuple(by_kind[kind]) for kind in Constraint if kind in by_kind]
    positions = [unwrapped(st.integers(0, len(group) - 1)) for group in groups]

    # Drawn in one composite, without nested ones: each nested draw costs Hypothesis a span.
    @st.composite
    def payloads(draw) -> InvalidPayload:
        # A kind from a hashed wide integer: Hypothesis favours small and boundary values, which would
        # favour the first kinds of a small range. It still shrinks to 0, the first kind.
        kind = (draw(SEEDS) * 2654435761 % 2**32) * len(groups) >> 32
        return _payload_at(draw, groups[kind][draw(positions[kind])])

    return payloads()
