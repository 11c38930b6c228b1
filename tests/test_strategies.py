"""Property tests of the generic strategies, over every operation of the installed model.

The oracle is the committed JSON Schema (``conformance.shapes.violations``), never
the generator's own view of the shapes.
"""

from __future__ import annotations

import json
import re

import pytest
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import conformance.strategies as strategies
from conformance import model
from conformance.errors import UsageError
from conformance.patterns import translate
from conformance.shapes import violations
from conformance.strategies import invalid, text
from conformance.strategies.invalid import NoConstraintSite, constraint_sites, operations_without_sites
from conformance.strategies.shapes import shape_strategy, size_bounds, string_bounds, string_regex
from conformance.violation import Constraint, InvalidPayload

OPERATIONS = model.operation_names()
# 396 operations × 2 properties: a few examples each keeps the sweep well under a minute of CPU.
SWEEP = settings(max_examples=5, deadline=None, database=None)
_SERIALIZER = create_serializer("json", include_validation=False)


def _wire_body(operation: str, payload: dict) -> dict:
    """What a botocore client with parameter_validation=False would send."""
    request = _SERIALIZER.serialize_to_request(payload, model.operation_model(operation))
    return json.loads(request["body"])


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_input_satisfies_committed_schema(operation):
    @SWEEP
    @given(strategies.valid_input(operation))
    def check(payload):
        assert violations(operation, payload) == []
        assert _wire_body(operation, payload) == payload  # botocore sends it unchanged

    check()


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if constraint_sites(op)])
def test_invalid_input_breaks_exactly_the_labelled_constraint(operation):
    @SWEEP
    @given(strategies.invalid_input(operation))
    def check(invalid_payload):
        found = [(tuple(v.path), str(v.constraint)) for v in violations(operation, invalid_payload.payload)]
        assert found == [(invalid_payload.path, invalid_payload.constraint)]
        assert _wire_body(operation, invalid_payload.payload) == invalid_payload.payload

    check()


SITE_SAMPLE_OPERATIONS = ["UpdateEndpoint", "CreateEndpoint", "Search", "AddTags"]
SITES_PER_EXAMPLE = 8  # more payloads in one example overrun Hypothesis' size limit


def assert_each_site_breaks_alone(operation, sites, max_examples):
    """Each site's invalid payload has exactly its labelled violation, a few sites per example."""
    for start in range(0, len(sites), SITES_PER_EXAMPLE):
        chunk = sites[start:start + SITES_PER_EXAMPLE]

        @settings(max_examples=max_examples, deadline=None, database=None)
        @given(st.data())
        def check(data):
            for site in chunk:
                invalid_payload = data.draw(invalid.site_strategy(site), label=site.describe())
                found = [(tuple(v.path), str(v.constraint)) for v in violations(operation, invalid_payload.payload)]
                assert found == [(invalid_payload.path, invalid_payload.constraint)], site.describe()

        check()


@pytest.mark.parametrize("operation", SITE_SAMPLE_OPERATIONS)
def test_every_site_of_an_operation_yields_its_violation(operation):
    # The sweep above samples sites; here every site of a few rich operations is drawn.
    assert_each_site_breaks_alone(operation, constraint_sites(operation), max_examples=2)


def _one_site_per_shape_and_constraint():
    """For each (shape, constraint) of the whole model, the site with the shortest path, grouped by operation."""
    best = {}
    for operation in OPERATIONS:
        for site in constraint_sites(operation):
            in_key = bool(site.steps) and site.steps[-1][0] == "key"
            key = (site.shape.name, site.constraint, site.member, in_key)
            if key not in best or len(site.steps) < len(best[key][1].steps):
                best[key] = (operation, site)
    by_operation = {}
    for operation, site in best.values():
        by_operation.setdefault(operation, []).append(site)
    return [pytest.param(operation, sites, id=operation) for operation, sites in sorted(by_operation.items())]


@pytest.mark.parametrize("operation, sites", _one_site_per_shape_and_constraint())
def test_every_constraint_of_the_model_breaks_alone(operation, sites):
    # Every distinct constraint, not a sample: long strings, hundreds of map keys, rare patterns.
    assert_each_site_breaks_alone(operation, sites, max_examples=1)


def test_every_constraint_kind_has_sites():
    kinds = {site.constraint for op in OPERATIONS for site in constraint_sites(op)}
    assert kinds == {c for c in Constraint if c is not Constraint.UNKNOWN_MEMBER}


def test_map_keys_break_in_place_of_an_entry():
    site = next(s for s in constraint_sites("CreateModel") if s.describe() == "$.PrimaryContainer.Environment{key}: pattern")
    low, high = size_bounds(site.shapes[-2])

    @settings(max_examples=20, deadline=None, database=None)
    @given(invalid.site_strategy(site))
    def check(invalid_payload):
        environment = invalid_payload.payload["PrimaryContainer"]["Environment"]
        key = invalid_payload.path[-1]
        assert invalid_payload.path == ("PrimaryContainer", "Environment", key)
        assert key in environment and not re.search(string_regex(site.shape), key)
        assert low <= len(environment) <= high

    check()


def test_required_idempotency_tokens_are_never_removed():
    # A botocore client would send a fresh token, so the payload would not break anything on the wire.
    sites = constraint_sites("StartPipelineExecution")
    assert "PipelineName" in {site.member for site in sites if site.constraint is Constraint.REQUIRED}
    assert "ClientRequestToken" not in {site.member for site in sites}


def test_invalid_input_can_be_restricted_to_constraint_kinds():
    @settings(max_examples=20, deadline=None, database=None)
    @given(strategies.invalid_input("UpdateEndpoint", constraints=["max_length", "pattern"]))
    def check(invalid_payload):
        assert invalid_payload.constraint in ("max_length", "pattern")

    check()


def test_operations_without_sites_are_exactly_the_memberless_inputs_and_raise():
    memberless = [op for op in OPERATIONS if not model.operation_model(op).input_shape.members]
    assert operations_without_sites() == memberless
    for operation in memberless:
        with pytest.raises(NoConstraintSite, match=operation):
            strategies.invalid_input(operation)
    with pytest.raises(NoConstraintSite, match="enum"):
        strategies.invalid_input("DeleteEndpoint", constraints=["enum"])


def test_unknown_operation_is_a_usage_error():
    with pytest.raises(UsageError, match="NoSuchOperation"):
        strategies.valid_input("NoSuchOperation")
    with pytest.raises(UsageError, match="NoSuchOperation"):
        strategies.invalid_input("NoSuchOperation")


def _search_depth(expression: dict) -> int:
    return 1 + max((_search_depth(sub) for sub in expression.get("SubExpressions", [])), default=0)


def _complete_filters(expression: dict) -> list:
    """Filters (anywhere in the expression) that name a property, an operator and a value."""
    found = [f for f in expression.get("Filters", []) if {"Name", "Operator", "Value"} <= set(f)]
    for nested in expression.get("NestedFilters", []):
        found += [f for f in nested.get("Filters", []) if {"Name", "Operator", "Value"} <= set(f)]
    for sub in expression.get("SubExpressions", []):
        found += _complete_filters(sub)
    return found


def test_search_expressions_nest_at_least_three_deep_with_filters():
    deep = []

    @seed(3)
    @settings(max_examples=100, deadline=None, database=None, phases=[Phase.generate])
    @given(strategies.valid_input("Search"))
    def collect(payload):
        expression = payload.get("SearchExpression")
        if expression and _search_depth(expression) >= 3 and _complete_filters(expression):
            deep.append(payload)

    collect()
    assert deep, "no Search expression nested three levels deep with a complete filter"
    assert all(violations("Search", payload) == [] for payload in deep)
    operators = {f["Operator"] for payload in deep for f in _complete_filters(payload["SearchExpression"])}
    assert len(operators) > 1


def _examples(strategy, count=15):
    out = []

    @seed(20261125)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate])
    @given(strategy)
    def collect(value):
        out.append(value)

    collect()
    return out


@pytest.mark.parametrize("operation", ["UpdateEndpoint", "Search"])
def test_same_seed_same_examples(operation):
    assert _examples(strategies.valid_input(operation)) == _examples(strategies.valid_input(operation))
    assert _examples(strategies.invalid_input(operation)) == _examples(strategies.invalid_input(operation))


def test_all_lists_the_public_names():
    public = {name for name, value in vars(strategies).items()
              if not name.startswith("_") and not isinstance(value, type(strategies))}
    assert sorted(strategies.__all__) == sorted(public)
    assert strategies.InvalidPayload is InvalidPayload
    for name in ("deployment_configs", "search_requests", "tags"):
        assert callable(getattr(strategies, name))


# --- the length-aware regex strings -------------------------------------------------------------

def _string_constraints_of_every_input():
    """Each distinct (shape pattern, min, max) of a string anywhere in any operation's input."""
    found, seen = {}, set()

    def walk(shape):
        if shape.name in seen:
            return
        seen.add(shape.name)
        if shape.type_name == "string" and not shape.enum:
            found.setdefault((shape.metadata.get("pattern"),) + string_bounds(shape), shape)
        for child in (shape.members.values() if shape.type_name == "structure" else
                      [shape.member] if shape.type_name == "list" else
                      [shape.key, shape.value] if shape.type_name == "map" else []):
            walk(child)

    for operation in OPERATIONS:
        walk(model.operation_model(operation).input_shape)
    return sorted(found.values(), key=lambda shape: shape.name)


@pytest.mark.parametrize("shape", _string_constraints_of_every_input(), ids=lambda shape: shape.name)
def test_every_string_constraint_of_the_model_is_generated(shape):
    # Hard patterns (lookarounds, long minimums, nested repetitions) must neither stall nor slip.
    fits = text.checker(string_regex(shape), *string_bounds(shape))

    @settings(max_examples=10, deadline=None, database=None)
    @given(shape_strategy(shape))
    def check(value):
        assert fits(value)

    check()


@pytest.mark.parametrize(
    "regex, low, high",
    [
        (r"^(?:(?=.{1,32}$)[a-z](-*[a-z])*)(?![\s\S])", 1, 32),  # a lookahead is a constraint, not text
        (r"^(?:[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})(?![\s\S])", 60, 63),  # near the top of the range
        (r"^(?:[a-z]+)(?![\s\S])", 10, 10),
        (r"^(?:.*)(?![\s\S])", 5000, 6000),  # longer than one Hypothesis draw: tiled
        (r"^(?:ab|cd(?:ef)?)(?![\s\S])", 4, 4),
    ],
)
def test_matching_strings_match_and_fit(regex, low, high):
    compiled = re.compile(regex)

    @settings(max_examples=30, deadline=None, database=None)
    @given(text.matching(regex, low, high))
    def check(value):
        assert compiled.search(value) and low <= len(value) <= high

    check()


def test_character_classes_mean_what_python_means():
    node = text.parse(r"[^a-z\d]")
    assert node.chars and all(re.fullmatch(r"[^a-z\d]", c) for c in node.chars)
    assert set(text.UNIVERSE) - node.chars == {c for c in text.UNIVERSE if not re.fullmatch(r"[^a-z\d]", c)}


def test_unreachable_length_has_no_samples():
    assert text.samples(r"^(?:p[1-9])(?![\s\S])", 0, 1) == []
    assert text.samples(r"^(?:p[1-9])(?![\s\S])", 2, 2)


@pytest.mark.parametrize("pattern, low, high", [
    ("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)", 1, 128),  # the tag key pattern
    ("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", 1, 63),  # endpoint names
])
def test_seeded_strings_match_vary_and_reach_the_maximum(pattern, low, high):
    regex = translate(pattern)
    fits = text.checker(regex, low, high)
    built = [text.seeded_string(regex, low, high, seed) for seed in range(1, 401)]
    assert all(fits(s) for s in built)
    assert len(set(built)) > 300
    assert 20 <= sum(len(s) == high for s in built) <= 100  # about one in eight at the boundary
    assert text.seeded_string(regex, low, high, 0) == text.random_string(regex, low, high, None)  # the simplest
    assert built == [text.seeded_string(regex, low, high, seed) for seed in range(1, 401)]  # replayable


def test_valid_strings_keep_within_length_and_vary():
    lengths = set()

    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text.matching(r"^(?:[a-z]*)(?![\s\S])", 0, 200))
    def check(value):
        lengths.add(len(value))

    check()
    assert max(lengths) <= 200 and len(lengths) > 5


@given(st.data())
@settings(max_examples=10, deadline=None, database=None)
def test_pattern_breakers_never_match(data):
    site = next(s for s in constraint_sites("DeleteEndpoint") if s.constraint is Constraint.PATTERN)
    regex, (low, high) = string_regex(site.shape), string_bounds(site.shape)
    value = data.draw(invalid.site_strategy(site)).payload["EndpointName"]
    assert not re.search(regex, value) and low <= len(value) <= high
