"""Tag lists: valid ones, and ones that break exactly one documented or schema constraint.

``tags(valid=True)`` draws a ``TagList`` (list of ``{"Key", "Value"}``) ready for ``AddTags``
or a ``Create*`` call. ``tags(valid=False)`` draws an ``InvalidPayload`` whose payload is the
request fragment ``{"Tags": [...]}`` and whose path starts at that root.

Key/value lengths and the character class come from the model's ``TagKey``/``TagValue``.
"""

from __future__ import annotations

import functools
import random
from typing import Iterable, List, Optional, Tuple

from hypothesis import strategies as st

from conformance import model
from conformance.documented import RESERVED_TAG_PREFIX, max_tags_per_resource
from conformance.patterns import translate
from conformance.strategies import text
from conformance.strategies.seeded import SEEDS, rng_for
from conformance.violation import Constraint, InvalidPayload


@functools.lru_cache(maxsize=None)
def _tag_bounds(member: str) -> Tuple[int, int, str]:
    metadata = model.member_shape("AddTags", f"Tags.{member}").metadata
    return metadata.get("min", 0), metadata["max"], metadata["pattern"]


def tag_keys(existing: Iterable[str] = ()) -> st.SearchStrategy[str]:
    """Valid keys (model length and pattern, no reserved prefix) not among ``existing``."""
    taken = frozenset(existing)
    return _any_tag_keys().map(lambda key: _unused(key, taken)) if taken else _any_tag_keys()


@functools.lru_cache(maxsize=None)
def _any_tag_keys() -> st.SearchStrategy[str]:
    """One choice (a seed) per key: drawn character by character, tags cost more choices than the
    requests they go in. Seed 0, where shrinking goes, is the simplest key."""
    return SEEDS.map(_tag_key)


def _tag_key(seed: int) -> str:
    return _not_reserved(_seeded("Key", seed))


def _not_reserved(key: str) -> str:
    """``key``, its first character replaced when it starts with the reserved ``aws:`` prefix."""
    return "k" + key[1:] if key.lower().startswith(RESERVED_TAG_PREFIX) else key


def _unused(key: str, taken) -> str:
    """``key``, or if it is taken the first of ``key-2``, ``key-3``… that is not (cut to fit the length limit).

    Renaming rather than filtering: a rejected draw costs a whole new one, and fails health checks
    when most short keys are taken.
    """
    high = _tag_bounds("Key")[1]
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = key[: high - len(f"-{number}")] + f"-{number}"
    return candidate


@functools.lru_cache(maxsize=None)
def tag_values() -> st.SearchStrategy[str]:
    return SEEDS.map(functools.partial(_seeded, "Value"))


def _seeded(member: str, seed: int) -> str:
    """A valid ``Key`` or ``Value`` built afresh from ``seed`` (seed 0: the simplest)."""
    low, high, pattern = _tag_bounds(member)
    return text.seeded_string(translate(pattern), low, high, seed)


def _pooled(member: str, rng: Optional[random.Random]) -> str:
    """A valid ``Key`` or ``Value`` from ``text``'s fixed pool for the model's pattern (rng=None: the simplest)."""
    low, high, pattern = _tag_bounds(member)
    return text.random_string(translate(pattern), low, high, rng)


def seeded_tag(seed: int, existing: Iterable[str] = ()) -> Tuple[str, str]:
    """A valid (key, value) from one seed, for tags whose text is not what a check is about: the key is
    not among ``existing`` and has no reserved prefix. Seed 0 gives the simplest pair."""
    rng = rng_for(seed)
    return _unused(_not_reserved(_pooled("Key", rng)), frozenset(existing)), _pooled("Value", rng)


def _tag_list(keys: List[str], draw, shuffled: bool = False) -> List[dict]:
    """Tags with these keys; their values, which no check looks into, come from one drawn seed, which
    also orders the keys if ``shuffled`` (seed 0: the keys as given, the simplest values)."""
    rng = rng_for(draw(SEEDS))
    if shuffled and rng is not None:
        keys = list(keys)
        rng.shuffle(keys)
    return [{"Key": key, "Value": _pooled("Value", rng)} for key in keys]


def _shuffled(items: list, seed: int) -> list:
    """``items`` in an order fixed by ``seed``; seed 0 (where shrinking goes) keeps them as they are."""
    rng = rng_for(seed)
    if rng is not None:
        rng.shuffle(items)
    return items


@st.composite
def _valid_tags(draw, min_size: int, max_size: Optional[int], existing_keys: Tuple[str, ...]) -> List[dict]:
    return valid_tags(draw, min_size, max_size, existing_keys)


def valid_tags(draw, min_size: int, max_size: Optional[int], existing_keys: Tuple[str, ...] = ()) -> List[dict]:
    """What ``tags(min_size, max_size, existing_keys=...)`` draws, with a rule's ``draw`` (see
    ``unwrapped.drawer``): a machine passing the resource's current keys builds no new strategy per step."""
    limit = max_tags_per_resource()
    room = limit - len(set(existing_keys))
    upper = min(max_size if max_size is not None else limit, limit)
    # AddTags may overwrite keys the resource has; those do not take room.
    overwrite: List[str] = []
    if existing_keys:
        overwrite = some_of(draw, list(existing_keys), upper)
    fresh_max = max(0, min(room, upper - len(overwrite)))
    fresh_min = min(fresh_max, max(0, min_size - len(overwrite)))
    taken = set(existing_keys)
    fresh = []
    for _ in range(draw(st.integers(fresh_min, fresh_max))):
        key = _unused(_tag_key(draw(SEEDS)), taken)  # as _any_tag_keys() draws it, without a map's cost per draw
        taken.add(key)
        fresh.append(key)
    return _tag_list(overwrite + fresh, draw, shuffled=True)


def unused_tag_key(draw, existing: Iterable[str]) -> str:
    """What ``tag_keys(existing)`` draws, with a rule's ``draw`` (no new mapped strategy per call)."""
    return _unused(_tag_key(draw(SEEDS)), frozenset(existing))


def some_of(draw, items: List[str], max_count: int) -> List[str]:
    """Up to ``max_count`` distinct ``items``: a drawn count, in an order fixed by one drawn seed (the
    simplest: none)."""
    count = draw(st.integers(0, min(max_count, len(items))))
    return _shuffled(list(items), draw(SEEDS))[:count]


def _fresh_names(count: int, existing_keys: Tuple[str, ...]) -> List[str]:
    taken = set(existing_keys)
    names = (f"conformance-{i}" for i in range(count + len(taken) + 1))
    return [name for name in names if name not in taken][:count]


@st.composite
def _invalid_tags(draw, existing_keys: Tuple[str, ...]) -> InvalidPayload:
    limit = max_tags_per_resource()
    room = limit - len(set(existing_keys))
    # The base never reaches the per-resource limit, even with the one key a variant adds.
    keys = draw(st.lists(tag_keys(existing_keys), max_size=max(0, min(10, room - 1)), unique=True))
    if not keys:
        keys = [existing_keys[0]] if existing_keys else ["conformance"]
    base = _tag_list(keys, draw)
    kinds = ["duplicate", "reserved", "too_many", "key_too_long", "key_empty", "key_pattern", "value_too_long"]
    if existing_keys:
        kinds.append("over_resource_limit")
    kind = draw(st.sampled_from(kinds))
    index = draw(st.integers(0, len(base)))
    if kind == "duplicate":
        copy = dict(draw(st.sampled_from(base)))
        base.insert(index, copy)
        second = [i for i, t in enumerate(base) if t["Key"] == copy["Key"]][1]
        return InvalidPayload({"Tags": base}, ("Tags", second, "Key"), "tags.unique-keys")
    if kind == "reserved":
        prefix = draw(st.sampled_from(["aws:", "AWS:", "Aws:", "aWs:"]))
        key = prefix + draw(tag_keys(existing_keys))[: _tag_bounds("Key")[1] - len(prefix)]
        if any(t["Key"] == key for t in base):
            key = prefix + "x" * 30
        base.insert(index, {"Key": key, "Value": draw(tag_values())})
        return InvalidPayload({"Tags": base}, ("Tags", index, "Key"), "tags.reserved-aws-prefix")
    if kind == "over_resource_limit":
        count = min(limit, max(1, room + draw(st.integers(1, 3))))
        return InvalidPayload({"Tags": _tag_list(_fresh_names(count, existing_keys), draw)}, ("Tags",),
                              "tags.at-most-50-per-resource")
    if kind == "too_many":
        keys = _fresh_names(limit + 1 + draw(st.integers(0, 3)), existing_keys)
        return InvalidPayload({"Tags": _tag_list(keys, draw)}, ("Tags",), Constraint.MAX_LENGTH.value)  # list size
    low, high, pattern = _tag_bounds("Key")
    if kind == "key_too_long":
        key = "k" * (high + 1 + draw(st.integers(0, 8)))
        base.insert(index, {"Key": key, "Value": ""})
        return InvalidPayload({"Tags": base}, ("Tags", index, "Key"), Constraint.MAX_LENGTH.value)
    if kind == "key_empty" and low > 0:
        base.insert(index, {"Key": "", "Value": ""})
        return InvalidPayload({"Tags": base}, ("Tags", index, "Key"), Constraint.MIN_LENGTH.value)
    if kind == "key_pattern":
        bad = draw(st.sampled_from("!#$%&*()[]{}<>?,;'\"|\\^`~"))
        key = draw(tag_keys(existing_keys))[:10] + bad
        base.insert(index, {"Key": key, "Value": ""})
        return InvalidPayload({"Tags": base}, ("Tags", index, "Key"), Constraint.PATTERN.value)
    value_high = _tag_bounds("Value")[1]
    target = draw(st.integers(0, len(base) - 1))
    base[target] = {"Key": base[target]["Key"], "Value": "v" * (value_high + 1)}
    return InvalidPayload({"Tags": base}, ("Tags", target, "Value"), Constraint.MAX_LENGTH.value)


def tags(min_size: int = 0, max_size: Optional[int] = None, *, valid: bool = True,
         existing_keys: Iterable[str] = ()) -> st.SearchStrategy:
    """Tag lists for a resource that already has ``existing_keys``.

    valid=True: unique keys, no reserved prefix, at most 50 tags on the resource afterwards
    (keys of ``existing_keys`` may reappear: AddTags overwrites them).
    valid=False: ``InvalidPayload`` breaking exactly one of: unique keys, reserved ``aws:`` prefix,
    50 per resource (only when ``existing_keys`` make it reachable), list max, key/value length, key pattern.
    """
    existing = tuple(dict.fromkeys(existing_keys))
    if valid:
        return _valid_tags(min_size, max_size, existing)
    return _invalid_tags(existing)


__all__ = ["tags", "tag_keys", "tag_values", "valid_tags", "unused_tag_key", "some_of"]
