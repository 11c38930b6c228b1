"""The documented cross-field rules: citations resolve, and each rule fires exactly when the docs say."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import documented, model
from conformance.documented import (
    DOCUMENTED_RULES,
    deployment_config_violations,
    request_violations,
    search_violations,
    tag_violations,
)

SETTINGS = settings(max_examples=60, deadline=None)


def ids(violations):
    return [(v.path, v.constraint) for v in violations]


# ---------------------------------------------------------------- catalogue

@pytest.mark.parametrize("rule_id", sorted(DOCUMENTED_RULES))
def test_rule_citation_resolves_and_states_the_rule(rule_id):
    rule = DOCUMENTED_RULES[rule_id]
    assert re.fullmatch(r"[a-z]+\.[a-z0-9-]+", rule_id)
    model.member_shape(rule.operation, rule.member)  # raises KeyError when the citation is stale
    assert documented.EVIDENCE[rule_id] in documented.citation_text(rule_id)
    assert rule.statement.endswith(".")


def test_every_rule_has_evidence_and_nothing_else():
    assert set(documented.EVIDENCE) == set(DOCUMENTED_RULES)


def test_contains_message_and_exceptions_come_from_the_operator_documentation():
    text = model.documentation("Search", "SearchExpression.Filters.Operator")
    assert f'"{documented.contains_limit_message()}' in text.replace('" ', '"')
    assert "CONTAINS" in documented.contains_limit_message()
    exempt = documented.contains_exempt_names()
    assert exempt and all(name in text for name in exempt)
    assert documented.contains_exempt("Experiment.Tags.team")
    assert not documented.contains_exempt("EndpointName")


# ---------------------------------------------------------------- deployments

def blue_green(routing: dict, **policy) -> dict:
    return {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": routing, **policy}}


@SETTINGS
@given(count=st.integers(1, 60), value=st.integers(1, 120), kind=st.sampled_from(["INSTANCE_COUNT", "CAPACITY_PERCENT"]))
def test_canary_size_at_most_half_of_instances(count, value, kind):
    config = blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 0, "CanarySize": {"Type": kind, "Value": value}})
    too_big = (2 * value > count) if kind == "INSTANCE_COUNT" else (value > 50)
    expected = [(("DeploymentConfig", "BlueGreenUpdatePolicy", "TrafficRoutingConfiguration", "CanarySize", "Value"),
                 "deployment.canary-size-at-most-half")] if too_big else []
    assert ids(deployment_config_violations(config, count)) == expected


@SETTINGS
@given(count=st.integers(1, 60), value=st.integers(1, 120), kind=st.sampled_from(["INSTANCE_COUNT", "CAPACITY_PERCENT"]))
def test_linear_step_size_between_10_and_50_percent(count, value, kind):
    config = blue_green({"Type": "LINEAR", "WaitIntervalInSeconds": 5, "LinearStepSize": {"Type": kind, "Value": value}})
    if kind == "INSTANCE_COUNT":
        inside = 10 * value >= count and 2 * value <= count
    else:
        inside = 10 <= value <= 50
    violations = ids(deployment_config_violations(config, count))
    assert (violations == []) == inside
    if not inside:
        assert violations[0][1] == "deployment.linear-step-size-10-to-50-percent"


@SETTINGS
@given(count=st.integers(1, 60), value=st.integers(1, 120), kind=st.sampled_from(["INSTANCE_COUNT", "CAPACITY_PERCENT"]))
def test_rolling_batch_size_between_5_and_50_percent(count, value, kind):
    config = {"RollingUpdatePolicy": {"MaximumBatchSize": {"Type": kind, "Value": value}, "WaitIntervalInSeconds": 0}}
    inside = (20 * value >= count and 2 * value <= count) if kind == "INSTANCE_COUNT" else 5 <= value <= 50
    assert (deployment_config_violations(config, count) == []) == inside


@SETTINGS
@given(wait=st.integers(0, 3600), termination=st.none() | st.integers(0, 3600), timeout=st.integers(600, 28800))
def test_timeout_larger_than_the_waits(wait, termination, timeout):
    extra = {} if termination is None else {"TerminationWaitInSeconds": termination}
    config = blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": wait},
                        MaximumExecutionTimeoutInSeconds=timeout, **extra)
    expected = [] if timeout > wait + (termination or 0) else [
        (("DeploymentConfig", "BlueGreenUpdatePolicy", "MaximumExecutionTimeoutInSeconds"),
         "deployment.timeout-exceeds-waits")]
    assert ids(deployment_config_violations(config, 4)) == expected


def test_routing_type_needs_its_size():
    canary = blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 1})
    linear = blue_green({"Type": "LINEAR", "WaitIntervalInSeconds": 1})
    all_at_once = blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 1})
    assert [v.constraint for v in deployment_config_violations(canary, 4)] == ["deployment.canary-size-required"]
    assert [v.constraint for v in deployment_config_violations(linear, 4)] == ["deployment.linear-step-size-required"]
    assert deployment_config_violations(all_at_once, 4) == []


def test_one_update_policy_only():
    config = {**blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 1}),
              "RollingUpdatePolicy": {"MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 20},
                                      "WaitIntervalInSeconds": 1}}
    assert ids(deployment_config_violations(config, 4)) == [
        (("DeploymentConfig", "RollingUpdatePolicy"), "deployment.single-update-policy")]


def test_unknown_instance_count_skips_only_the_size_rules():
    config = blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 10, "CanarySize": {"Type": "INSTANCE_COUNT",
                                                                                          "Value": 99}},
                        TerminationWaitInSeconds=600, MaximumExecutionTimeoutInSeconds=600)
    assert [v.constraint for v in deployment_config_violations(config, None)] == ["deployment.timeout-exceeds-waits"]


def test_every_variant_count_is_checked_once():
    config = blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 1, "CanarySize": {"Type": "INSTANCE_COUNT",
                                                                                         "Value": 2}})
    payload = {"EndpointName": "e", "EndpointConfigName": "c", "DeploymentConfig": config}
    assert request_violations("CreateEndpoint", payload, {"instance_counts": [4, 8]}) == []
    found = request_violations("CreateEndpoint", payload, {"instance_counts": [3, 2, 8]})
    assert [v.constraint for v in found] == ["deployment.canary-size-at-most-half"]


def test_alarms_must_exist_only_when_the_context_knows_them():
    config = {"AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "known"}, {"AlarmName": "ghost"}]}}
    payload = {"EndpointName": "e", "EndpointConfigName": "c", "DeploymentConfig": config}
    assert request_violations("UpdateEndpoint", payload) == []
    assert ids(request_violations("UpdateEndpoint", payload, {"alarm_names": ["known"]})) == [
        (("DeploymentConfig", "AutoRollbackConfiguration", "Alarms", 1, "AlarmName"), "deployment.alarms-exist")]


def test_update_endpoint_retention_options():
    base = {"EndpointName": "e", "EndpointConfigName": "c"}
    exclude = [{"VariantPropertyType": "DesiredWeight"}]
    assert request_violations("UpdateEndpoint", {**base, "RetainAllVariantProperties": True,
                                                 "ExcludeRetainedVariantProperties": exclude}) == []
    assert [v.constraint for v in request_violations("UpdateEndpoint", {**base, "ExcludeRetainedVariantProperties": exclude})] \
        == ["update.exclude-requires-retain-all"]
    data_capture = [{"VariantPropertyType": "DataCaptureConfig"}]
    assert ids(request_violations("UpdateEndpoint", {**base, "RetainAllVariantProperties": True,
                                                     "ExcludeRetainedVariantProperties": data_capture})) == [
        (("ExcludeRetainedVariantProperties", 0, "VariantPropertyType"), "update.data-capture-config-not-supported")]
    config = blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 1})
    assert [v.constraint for v in request_violations("UpdateEndpoint", {**base, "RetainDeploymentConfig": True,
                                                                        "DeploymentConfig": config})] \
        == ["update.retain-deployment-config-conflicts-with-new"]
    assert request_violations("UpdateEndpoint", {**base, "RetainDeploymentConfig": True}) == []


def test_effective_instance_counts_follow_the_retention_options():
    new, current = [4, 2], [6, 3]
    assert documented.effective_instance_counts({}, new, current) == new
    assert documented.effective_instance_counts({"RetainAllVariantProperties": True}, new, current) == current
    excluded = {"RetainAllVariantProperties": True,
                "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredInstanceCount"}]}
    assert documented.effective_instance_counts(excluded, new, current) == new


# ---------------------------------------------------------------- search

def search(expression, resource="Endpoint", **extra):
    return {"Resource": resource, "SearchExpression": expression, **extra}


def test_contains_once_reports_the_second_with_the_documented_message():
    expression = {"Filters": [{"Name": "EndpointName", "Operator": "Contains", "Value": "a"}],
                  "SubExpressions": [{"Filters": [{"Name": "EndpointArn", "Operator": "Contains", "Value": "b"}]}]}
    found = search_violations(search(expression))
    assert ids(found) == [(("SearchExpression", "SubExpressions", 0, "Filters", 0, "Operator"),
                           "search.contains-at-most-once")]
    assert found[0].message == documented.contains_limit_message()


def test_contains_inside_nested_filters_counts():
    expression = {"Filters": [{"Name": "EndpointName", "Operator": "Contains", "Value": "a"}],
                  "NestedFilters": [{"NestedPropertyName": "ProductionVariants", "Filters": [
                      {"Name": "ProductionVariants.VariantName", "Operator": "Contains", "Value": "v"}]}]}
    assert [v.constraint for v in search_violations(search(expression))] == ["search.contains-at-most-once"]


def test_documented_names_may_use_contains_repeatedly():
    names = [n for n in documented.contains_exempt_names() if n.startswith("Experiment.")]
    expression = {"Filters": [{"Name": n, "Operator": "Contains", "Value": "x"} for n in names]
                  + [{"Name": "Experiment.Tags.team", "Operator": "Contains", "Value": "y"}]}
    assert len(expression["Filters"]) > 2
    assert search_violations(search(expression, resource="Experiment")) == []


def test_fifty_elements_is_the_limit():
    def filters(n):
        return [{"Name": "EndpointName", "Operator": "Exists"} for _ in range(n)]

    fifty = {"Filters": filters(20), "SubExpressions": [{"Filters": filters(14)}, {"Filters": filters(14)}]}
    assert documented.search_element_count(fifty) == 50
    assert search_violations(search(fifty)) == []
    fifty_one = {"Filters": filters(20), "SubExpressions": [{"Filters": filters(15)}, {"Filters": filters(14)}]}
    assert ids(search_violations(search(fifty_one))) == [(("SearchExpression",), "search.at-most-50-elements")]


def test_empty_expression_anywhere_is_rejected():
    assert ids(search_violations(search({"Operator": "Or"}))) == [(("SearchExpression",), "search.expression-not-empty")]
    expression = {"Filters": [{"Name": "EndpointName", "Operator": "Exists"}], "SubExpressions": [{}]}
    assert ids(search_violations(search(expression))) == [
        (("SearchExpression", "SubExpressions", 0), "search.expression-not-empty")]
    assert search_violations({"Resource": "Endpoint"}) == []


@pytest.mark.parametrize("flt, rule", [
    ({"Name": "EndpointName", "Operator": "GreaterThan", "Value": "a"}, "search.operator-not-for-text"),
    ({"Name": "Tags.team", "Operator": "LessThanOrEqualTo", "Value": "a"}, "search.operator-not-for-text"),
    ({"Name": "CreationTime", "Operator": "Contains", "Value": "2021"}, "search.operator-only-for-text"),
    ({"Name": "ProductionVariants.CurrentInstanceCount", "Operator": "In", "Value": "1,2"},
     "search.operator-only-for-text"),
    ({"Name": "ProductionVariants.CurrentInstanceCount", "Operator": "GreaterThan", "Value": "two"},
     "search.numeric-value"),
    ({"Name": "LastModifiedTime", "Operator": "LessThan", "Value": "2021-11-08"}, "search.timestamp-value"),
    ({"Name": "LastModifiedTime", "Value": "2021-02-30T00:00:00"}, "search.timestamp-value"),
    ({"Name": "NoSuchProperty", "Operator": "Exists"}, "search.valid-property-name"),
])
def test_operator_and_value_kinds(flt, rule):
    found = search_violations(search({"Filters": [flt]}))
    assert [v.constraint for v in found] == [rule]


@pytest.mark.parametrize("flt", [
    {"Name": "EndpointName", "Operator": "In", "Value": "a,b"},
    {"Name": "ProductionVariants.CurrentWeight", "Operator": "GreaterThanOrEqualTo", "Value": "0.5"},
    {"Name": "LastModifiedTime", "Operator": "GreaterThan", "Value": "2021-11-08T00:00:00"},
    {"Name": "Tags.a.b", "Operator": "Equals", "Value": "x"},
    {"Name": "FailureReason", "Operator": "NotExists"},
    {"Name": "EndpointStatus", "Value": "InService"},
])
def test_operator_and_value_kinds_accepted(flt):
    assert search_violations(search({"Filters": [flt]})) == []


def test_model_property_names_follow_its_search_record():
    good = {"Filters": [{"Name": "Model.ModelName", "Operator": "Equals", "Value": "m"},
                        {"Name": "Model.Tags.team", "Operator": "Exists"}]}
    assert search_violations(search(good, resource="Model")) == []
    bad = {"Filters": [{"Name": "ModelName", "Operator": "Equals", "Value": "m"}]}
    assert [v.constraint for v in search_violations(search(bad, resource="Model"))] == ["search.valid-property-name"]


def test_names_of_unmodelled_resources_are_not_judged():
    expression = {"Filters": [{"Name": "Metrics.accuracy", "Operator": "GreaterThan", "Value": "0.9"}]}
    assert search_violations(search(expression, resource="TrainingJob")) == []


# ---------------------------------------------------------------- tags

def tag_list(*keys):
    return [{"Key": key, "Value": "v"} for key in keys]


def test_duplicate_keys_flag_the_repeat():
    assert ids(tag_violations(tag_list("a", "b", "a"))) == [(("Tags", 2, "Key"), "tags.unique-keys")]


@pytest.mark.parametrize("key", ["aws:x", "AWS:cost", "Aws:"])
def test_reserved_prefix_in_any_case(key):
    assert [v.constraint for v in tag_violations(tag_list("ok", key))] == ["tags.reserved-aws-prefix"]


def test_aws_inside_a_key_is_fine():
    assert tag_violations(tag_list("my-aws:key", "aws")) == []


@SETTINGS
@given(existing=st.integers(0, 55), new=st.integers(0, 50), overwrite=st.integers(0, 50))
def test_fifty_tags_per_resource_counting_existing(existing, new, overwrite):
    existing_keys = [f"old{i}" for i in range(existing)]
    overwrite = min(overwrite, existing, 50 - new)
    request = tag_list(*[f"new{i}" for i in range(new)], *existing_keys[:overwrite])
    over = existing + new > 50 and new > 0
    assert (tag_violations(request, existing_keys) != []) == over


def test_dispatcher_reads_tags_of_create_operations_and_addtags_context():
    create = {"EndpointName": "e", "EndpointConfigName": "c", "Tags": tag_list("a", "a")}
    assert [v.constraint for v in request_violations("CreateEndpoint", create)] == ["tags.unique-keys"]
    add = {"ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/e", "Tags": tag_list("x")}
    assert request_violations("AddTags", add, {"existing_tag_keys": [f"k{i}" for i in range(49)]}) == []
    assert [v.constraint for v in request_violations("AddTags", add, {"existing_tag_keys": [f"k{i}" for i in range(50)]})] \
        == ["tags.at-most-50-per-resource"]
    assert request_violations("DescribeEndpoint", {"EndpointName": "e"}) == []


@pytest.mark.parametrize("config", [
    blue_green({"Type": "LINEAR", "WaitIntervalInSeconds": 1, "LinearStepSize": {"Type": "INSTANCE_COUNT", "Value": 0}}),
    blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 3601}, MaximumExecutionTimeoutInSeconds=3000),
    blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 500}, MaximumExecutionTimeoutInSeconds=400),
    blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 1}, TerminationWaitInSeconds="600",
               MaximumExecutionTimeoutInSeconds=600),
])
def test_members_the_schema_rejects_are_left_to_the_schema(config):
    assert deployment_config_violations(config, 10) == []


def test_sort_by_and_visibility_keys():
    assert ids(search_violations({"Resource": "Endpoint", "SortBy": "NoSuch"})) == [
        (("SortBy",), "search.valid-property-name")]
    assert search_violations({"Resource": "Endpoint", "SortBy": "Tags.team"}) == []
    conditions = [{"Key": "Tags.team", "Value": "red"}, {"Key": "team", "Value": "red"}, {"Key": "Tags.", "Value": ""}]
    assert ids(search_violations({"Resource": "Model", "VisibilityConditions": conditions})) == [
        (("VisibilityConditions", 1, "Key"), "search.visibility-key-is-a-tag"),
        (("VisibilityConditions", 2, "Key"), "search.visibility-key-is-a-tag")]
