"""``strategies.seeded``: valid values of any input shape from one seed; seed 0 is the smallest."""

from __future__ import annotations

import pytest
from hypothesis import find, settings

from conformance import model, shapes
from conformance.strategies.seeded import seeded, value
from conformance.strategies.shapes import MAX_NESTING, input_shape

OPERATIONS = [op for op in model.operation_names() if input_shape(op) is not None]
SEEDS = (0, 1, 2, 3, 7, 2**32 - 1)


def test_every_input_shape_gets_values_its_schema_accepts():
    invalid = []
    for operation in OPERATIONS:
        for seed in SEEDS:
            found = shapes.violations(operation, value(input_shape(operation), seed))
            if found:
                invalid.append((operation, seed, found[0].json_path, found[0].message[:80]))
    assert not invalid, invalid[:5]


def test_seed_zero_is_the_smallest_value():
    for operation in OPERATIONS:
        shape = input_shape(operation)
        smallest = value(shape, 0)
        assert set(smallest) <= set(shape.required_members), operation
        if not shape.metadata.get("union"):
            assert set(smallest) == {m for m in shape.required_members if m in shape.members}, operation


def test_a_seed_always_gives_the_same_value_and_seeds_differ():
    shape = input_shape("CreateEndpointConfig")
    assert value(shape, 12345) == value(shape, 12345)
    assert len({repr(value(shape, seed)) for seed in range(1, 30)}) > 20


def _nesting(expression: dict) -> int:
    subs = expression.get("SubExpressions") or []
    return 1 + max((_nesting(sub) for sub in subs), default=0)


def test_recursive_search_expressions_nest_at_most_max_nesting_deep():
    shape = model.member_shape("Search", "SearchExpression")
    depths = [_nesting(value(shape, seed)) for seed in range(1, 400)]
    assert max(depths) <= MAX_NESTING
    assert max(depths) >= 2  # the recursion is exercised, not always cut


@pytest.mark.parametrize("operation", ["CreateModel", "CreateEndpointConfig", "Search"])
def test_shrinking_a_seeded_value_ends_at_the_smallest(operation):
    shape = input_shape(operation)
    shrunk = find(seeded(shape), lambda v: True, settings=settings(database=None))
    assert shrunk == value(shape, 0)


def test_invalid_payloads_break_each_kind_of_constraint_about_equally_often():
    from collections import Counter

    from hypothesis import HealthCheck, given
    from hypothesis import seed as fix_seed

    from conformance.strategies import invalid_input

    kinds: Counter = Counter()

    def collect_at(run_seed: int) -> None:
        @fix_seed(run_seed)
        @settings(max_examples=300, database=None, suppress_health_check=list(HealthCheck))
        @given(invalid_input("CreateModel"))
        def collect(invalid):
            kinds[invalid.constraint] += 1

        collect()

    # Hypothesis clusters its examples, so one run's share swings widely (enums 14-46 of 300 over
    # seeds 0-9): three runs together. CreateModel states 15 enums among ~180 constraint sites:
    # drawn by site, enums were 11 of 300 payloads.
    for run_seed in range(3):
        collect_at(run_seed)
    assert kinds["enum"] >= 0.4 * sum(kinds.values()) / len(kinds), kinds


def test_the_smallest_map_still_has_its_minimum_of_distinct_keys():
    from botocore.model import ShapeResolver

    resolver = ShapeResolver({
        "Labels": {"type": "map", "key": {"shape": "Label"}, "value": {"shape": "Text"}, "min": 3, "max": 5},
        "Label": {"type": "string", "min": 1, "max": 8, "pattern": "^[a-z]+$"},
        "Text": {"type": "string"},
    })
    labels = resolver.get_shape_by_name("Labels")
    for seed in (0, 1, 2):
        built = value(labels, seed)
        assert 3 <= len(built) <= 5 and all(key.isalpha() and key.islower() for key in built)


def test_an_unwrapped_strategy_draws_what_its_lazy_wrapper_draws():
    from hypothesis import given
    from hypothesis import seed as fix_seed
    from hypothesis import strategies as st

    from conformance.strategies.unwrapped import unwrapped

    lazy = st.tuples(st.integers(0, 2**32 - 1), st.sampled_from("abc"))
    inner = unwrapped(lazy)
    drawn = {}
    for name, strategy in (("lazy", lazy), ("inner", inner)):
        values = []

        @fix_seed(3)
        @settings(max_examples=60, database=None)
        @given(strategy)
        def collect(value):
            values.append(value)

        collect()
        drawn[name] = values
    assert type(inner) is not type(lazy)  # the wrapper is gone: no unwrapping on each draw
    assert drawn["inner"] == drawn["lazy"] and len(set(drawn["lazy"])) > 30
