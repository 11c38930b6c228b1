"""Domain strategies: valid examples break nothing; each invalid example breaks exactly its label."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conformance import documented, model, shapes
from conformance.strategies.deployment import ROLLING, deployment_configs, routing_types
from conformance.strategies.search import search_requests
from conformance.strategies.tags import some_of, tags, unused_tag_key
from conformance.violation import Constraint, InvalidPayload

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Rare labels come in clusters: over 40 seeds one took 471 examples to find (most take under 50).
SEARCH = settings(max_examples=2000, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))


class _Found(Exception):
    def __init__(self, value):
        super().__init__("found")
        self.value = value


def find(strategy, predicate):
    """The first generated example satisfying ``predicate`` — like hypothesis.find, without shrinking it."""
    @SEARCH
    @given(strategy)
    def probe(value):
        if predicate(value):
            raise _Found(value)

    try:
        probe()
    except _Found as found:
        return found.value
    raise AssertionError(f"no example satisfied the predicate in {SEARCH.max_examples} tries")


ENDPOINT_REQUEST = {"EndpointName": "endpoint", "EndpointConfigName": "config"}
ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/endpoint"


def schema_violations(op: str, payload: dict) -> list:
    """The committed schemas' verdict."""
    return list(shapes.violations(op, payload))


def labels(violations) -> list:
    return [(tuple(v.path), str(v.constraint)) for v in violations]


def assert_valid(op: str, payload: dict, context=None) -> None:
    assert labels(schema_violations(op, payload)) == []
    assert labels(documented.request_violations(op, payload, context)) == []


def assert_exactly(op: str, invalid: InvalidPayload, payload: dict, context=None) -> None:
    found = labels(schema_violations(op, payload)) + labels(documented.request_violations(op, payload, context))
    assert found == [(tuple(invalid.path), str(invalid.constraint))]


# ---------------------------------------------------------------- deployments

counts = st.lists(st.integers(1, 30), min_size=1, max_size=3).map(tuple)
alarm_name_lists = st.none() | st.lists(st.sampled_from(["cpu-high", "errors", "latency p99"]), unique=True)


@SETTINGS
@given(counts, alarm_name_lists, st.sampled_from([None, ROLLING, *routing_types()]), st.data())
def test_valid_deployment_configs_break_nothing(instance_counts, alarms, routing, data):
    config = data.draw(deployment_configs(instance_counts, routing=routing, alarm_names=alarms))
    context = {"instance_counts": instance_counts, **({"alarm_names": alarms} if alarms is not None else {})}
    for op in ("CreateEndpoint", "UpdateEndpoint"):
        assert_valid(op, {**ENDPOINT_REQUEST, "DeploymentConfig": config}, context)
    if routing == ROLLING:
        assert "RollingUpdatePolicy" in config
    elif routing:
        assert config["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == routing
    names = [a["AlarmName"] for a in config.get("AutoRollbackConfiguration", {}).get("Alarms", [])]
    assert alarms is None or set(names) <= set(alarms)


@SETTINGS
@given(counts, alarm_name_lists, st.data())
def test_invalid_deployment_configs_break_exactly_their_label(instance_counts, alarms, data):
    invalid = data.draw(deployment_configs(instance_counts, valid=False, alarm_names=alarms))
    context = {"instance_counts": instance_counts, **({"alarm_names": alarms} if alarms is not None else {})}
    assert invalid.path[0] == "DeploymentConfig"
    assert_exactly("UpdateEndpoint", invalid, {**ENDPOINT_REQUEST, **invalid.payload}, context)


DEPLOYMENT_LABELS = sorted(
    [rule for rule in documented.DOCUMENTED_RULES if rule.startswith("deployment.")]
    + [Constraint.MAX.value, Constraint.MIN.value, Constraint.ENUM.value, Constraint.REQUIRED.value])


@pytest.mark.parametrize("label", DEPLOYMENT_LABELS)
def test_every_deployment_label_is_generated(label):
    found = find(deployment_configs((4, 10), valid=False, alarm_names=["a"]), lambda inv: inv.constraint == label)
    assert found.constraint == label


@pytest.mark.parametrize("routing", [ROLLING, *routing_types()])
@pytest.mark.parametrize("count", [1, 2, 7])
def test_every_routing_is_possible_for_any_instance_count(routing, count):
    config = find(deployment_configs(count, routing=routing), lambda c: True)
    assert documented.deployment_config_violations(config, count) == []


def test_bad_arguments_fail_when_defined():
    with pytest.raises(ValueError, match="instance counts"):
        deployment_configs(0)
    with pytest.raises(ValueError, match="routing"):
        deployment_configs(3, routing="BLUE")


# ---------------------------------------------------------------- tags

existing_key_lists = st.lists(st.sampled_from([f"k{i}" for i in range(60)]), max_size=55, unique=True)


@SETTINGS
@given(existing_key_lists, st.data())
def test_valid_tags_break_nothing(existing, data):
    tag_list = data.draw(tags(existing_keys=existing))
    assert_valid("AddTags", {"ResourceArn": ARN, "Tags": tag_list}, {"existing_tag_keys": existing})
    assert_valid("CreateEndpoint", {**ENDPOINT_REQUEST, "Tags": data.draw(tags(max_size=5))})


@SETTINGS
@given(existing_key_lists, st.data())
def test_invalid_tags_break_exactly_their_label(existing, data):
    invalid = data.draw(tags(valid=False, existing_keys=existing))
    assert invalid.path[0] == "Tags"
    assert_exactly("AddTags", invalid, {"ResourceArn": ARN, **invalid.payload}, {"existing_tag_keys": existing})


@pytest.mark.parametrize("label", ["tags.unique-keys", "tags.reserved-aws-prefix", "tags.at-most-50-per-resource",
                                   Constraint.MAX_LENGTH.value, Constraint.PATTERN.value, Constraint.MIN_LENGTH.value])
def test_every_tag_label_is_generated(label):
    found = find(tags(valid=False, existing_keys=[f"k{i}" for i in range(45)]), lambda inv: inv.constraint == label)
    assert found.constraint == label


def test_tag_sizes_are_respected():
    assert find(tags(min_size=3, max_size=3), lambda t: True).__len__() == 3
    full = [f"k{i}" for i in range(50)]
    assert {t["Key"] for t in find(tags(min_size=1, existing_keys=full), lambda t: True)} <= set(full)


@SETTINGS
@given(existing_key_lists, st.integers(0, 4), st.data())
def test_steps_draw_distinct_present_keys_and_unused_valid_ones(existing, at_most, data):
    draw = data.draw
    chosen = some_of(draw, existing, at_most)
    assert len(chosen) == len(set(chosen)) <= min(at_most, len(existing))
    assert set(chosen) <= set(existing)
    fresh = unused_tag_key(draw, existing)
    assert fresh not in existing
    assert_valid("AddTags", {"ResourceArn": ARN, "Tags": [{"Key": fresh, "Value": "v"}]})


def test_some_of_draws_every_size_and_order():
    drawn = st.composite(lambda draw: some_of(draw, ["a", "b", "c"], 3))()
    for wanted in (["c", "a"], ["b", "c", "a"], []):
        assert find(drawn, lambda got: got == wanted) == wanted


# ---------------------------------------------------------------- search

def depth(expression) -> int:
    return 1 + max((depth(sub) for sub in expression.get("SubExpressions") or []), default=0)


@SETTINGS
@given(st.sampled_from(["Endpoint", "Model", "ExperimentTrialComponent"]), st.data())
def test_valid_search_requests_break_nothing(resource, data):
    assert_valid("Search", data.draw(search_requests(resource)))


@SETTINGS
@given(st.sampled_from(["Endpoint", "Model", "Experiment"]), st.data())
def test_invalid_search_requests_break_exactly_their_label(resource, data):
    invalid = data.draw(search_requests(resource, valid=False))
    assert_exactly("Search", invalid, invalid.payload)


SEARCH_LABELS = sorted([rule for rule in documented.DOCUMENTED_RULES if rule.startswith("search.")]
                       + [Constraint.MAX.value, Constraint.MAX_LENGTH.value, Constraint.ENUM.value])


@pytest.mark.parametrize("label", SEARCH_LABELS)
def test_every_search_label_is_generated(label):
    found = find(search_requests("Endpoint", valid=False), lambda inv: inv.constraint == label)
    assert found.constraint == label


def test_search_expressions_reach_depth_three():
    request = find(search_requests("Endpoint"),
                   lambda r: depth(r.get("SearchExpression") or {}) >= 3)
    assert depth(request["SearchExpression"]) >= 3


@pytest.mark.parametrize("operator", model.member_shape("Search", "SearchExpression.Filters.Operator").enum)
def test_every_operator_is_generated(operator):
    def uses(request):
        expression = request.get("SearchExpression") or {}
        return any(f.get("Operator") == operator for _, f, _ in documented.iter_filters(expression))

    assert uses(find(search_requests("Endpoint"), uses))


def test_nested_filters_sort_and_paging_members_are_generated():
    for wanted in ("NestedFilters", "SortBy", "SortOrder", "MaxResults"):
        request = find(search_requests("Endpoint"),
                       lambda r: wanted in r or wanted in (r.get("SearchExpression") or {}))
        assert wanted in request or wanted in request["SearchExpression"]


def test_multiple_contains_on_documented_names():
    def many_contains(request):
        expression = request.get("SearchExpression") or {}
        return sum(f.get("Operator") == "Contains" for _, f, _ in documented.iter_filters(expression)) >= 2

    request = find(search_requests("Experiment"), many_contains)
    assert documented.search_violations(request) == []


def test_names_and_values_come_from_given_resources():
    resources = [{"EndpointName": "needle-endpoint", "EndpointArn": "arn:x", "Tags": [{"Key": "owner", "Value": "me"}]}]
    request = find(search_requests("Endpoint", resources=resources),
                   lambda r: any(f.get("Name") == "Tags.owner" and f.get("Value") == "me"
                                 for _, f, _ in documented.iter_filters(r.get("SearchExpression") or {})))
    assert request["Resource"] == "Endpoint"


def test_valid_requests_reach_the_fifty_element_boundary():
    request = find(search_requests("Endpoint"),
                   lambda r: documented.search_element_count(r.get("SearchExpression") or {}) == 50)
    assert documented.search_violations(request) == []


@pytest.mark.parametrize("routing, labels", [
    ("CANARY", {"deployment.canary-size-required", "deployment.canary-size-at-most-half"}),
    ("LINEAR", {"deployment.linear-step-size-required", "deployment.linear-step-size-10-to-50-percent"}),
    (ROLLING, {"deployment.rolling-batch-size-5-to-50-percent", "deployment.single-update-policy"}),
])
def test_invalid_configs_keep_to_the_requested_routing(routing, labels):
    seen = set()

    @settings(max_examples=30, deadline=None, database=None)
    @given(deployment_configs(6, valid=False, routing=routing))
    def collect(invalid):
        seen.add(invalid.constraint)

    collect()
    assert seen == labels


@SETTINGS
@given(search_requests("Endpoint", max_depth=1, next_token="abc"))
def test_search_depth_and_next_token_options(request):
    assert request["NextToken"] == "abc"
    assert depth(request.get("SearchExpression") or {}) == 1


def test_search_resource_must_be_a_model_resource_type():
    with pytest.raises(ValueError, match="unknown Search resource"):
        search_requests("Notebook")
