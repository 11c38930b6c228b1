"""Each fault of the catalogue breaks a documented behaviour that a small scenario observes:
the scenario passes on the faithful emulator and fails with that fault."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conformance import model
from conformance.emulator import UNDEPLOYABLE_IMAGE_MARKER, Emulator, inprocess, timing
from conformance.emulator.faults import FAULTS
from test_emulator_support import (
    NO_CLIENT_VALIDATION, describe, error_code, fresh_account, make_config, make_endpoint, make_model, observe,
    second_config, status_code,
)

BAD_IMAGE = f"repo/{UNDEPLOYABLE_IMAGE_MARKER}:1"


class _Caught:
    def __init__(self, value):
        self.value = value


def rejected(call, code="ValidationException"):
    """The call must fail with a 400 ``code`` (an AssertionError otherwise, which the fault test expects)."""
    try:
        call()
    except ClientError as err:
        assert (error_code(_Caught(err)), status_code(_Caught(err))) == (code, 400)
        return
    raise AssertionError("the request was accepted")


def blue_green(route, termination_wait=0, timeout=3600, alarms=()):
    config = {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": route,
                                       "TerminationWaitInSeconds": termination_wait,
                                       "MaximumExecutionTimeoutInSeconds": timeout}}
    if alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in alarms]}
    return config


CANARY = blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 30, "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 1}})


def pending_statuses(seen):
    return [status for row in seen for fleet, status in row[3] if fleet == "pending"]


# ----------------------------------------------------------------- scenarios

def creating_observable(sm, cw, em):
    make_endpoint(sm, em, "ep", wait=False)
    assert describe(sm, "ep")["EndpointStatus"] == "Creating"


def deleting_observable(sm, cw, em):
    make_endpoint(sm, em, "ep")
    sm.delete_endpoint(EndpointName="ep")
    assert describe(sm, "ep")["EndpointStatus"] == "Deleting"


def status_in_enum(sm, cw, em):
    make_endpoint(sm, em, "ep", wait=False)
    assert describe(sm, "ep")["EndpointStatus"] in model.service_model().shape_for("EndpointStatus").enum


def failed_has_reason(sm, cw, em):
    make_endpoint(sm, em, "ep", image=BAD_IMAGE)
    failed = describe(sm, "ep")
    assert failed["EndpointStatus"] == "Failed" and failed.get("FailureReason")


def failed_rejects_update(sm, cw, em):
    make_endpoint(sm, em, "ep", image=BAD_IMAGE)
    new = second_config(sm, "ep")
    rejected(lambda: sm.update_endpoint(EndpointName="ep", EndpointConfigName=new))


def creating_rejects_update(sm, cw, em):
    make_endpoint(sm, em, "ep", wait=False)
    new = second_config(sm, "ep")
    rejected(lambda: sm.update_endpoint(EndpointName="ep", EndpointConfigName=new))


def updating_rejects_weights(sm, cw, em):
    make_endpoint(sm, em, "ep")
    weights = [{"VariantName": "AllTraffic", "DesiredWeight": 2.0}]
    sm.update_endpoint_weights_and_capacities(EndpointName="ep", DesiredWeightsAndCapacities=weights)
    rejected(lambda: sm.update_endpoint_weights_and_capacities(EndpointName="ep", DesiredWeightsAndCapacities=weights))


def names_case_insensitive(sm, cw, em):
    make_endpoint(sm, em, "Ep")
    rejected(lambda: sm.create_endpoint(EndpointName="ep", EndpointConfigName="Ep-c"))


def missing_endpoint_4xx(sm, cw, em):
    rejected(lambda: sm.describe_endpoint(EndpointName="none"))


def documented_rule(config):
    def scenario(sm, cw, em):
        make_endpoint(sm, em, "ep", count=4)
        new = second_config(sm, "ep")
        rejected(lambda: sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=config))
    return scenario


def baking_observable(sm, cw, em):
    make_endpoint(sm, em, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=second_config(sm, "ep"), DeploymentConfig=CANARY)
    assert "Baking" in pending_statuses(observe(sm, em, "ep"))


def pending_summary_gone(sm, cw, em):
    make_endpoint(sm, em, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=second_config(sm, "ep"))
    observe(sm, em, "ep")
    assert "PendingDeploymentSummary" not in describe(sm, "ep")


def last_deployment_config(sm, cw, em):
    make_endpoint(sm, em, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=second_config(sm, "ep"), DeploymentConfig=CANARY)
    observe(sm, em, "ep")
    assert describe(sm, "ep").get("LastDeploymentConfig") == CANARY


def retain_deployment_config(sm, cw, em):
    make_endpoint(sm, em, "ep")
    new = second_config(sm, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=CANARY)
    observe(sm, em, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="ep-c", RetainDeploymentConfig=True)
    assert "Baking" in pending_statuses(observe(sm, em, "ep"))


def retain_variant_properties(sm, cw, em):
    make_endpoint(sm, em, "ep", count=4)
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=second_config(sm, "ep", count=2),
                       RetainAllVariantProperties=True)
    observe(sm, em, "ep")
    assert describe(sm, "ep")["ProductionVariants"][0]["CurrentInstanceCount"] == 4


def _alarmed_update(sm, cw, em):
    cw.put_metric_alarm(AlarmName="alarm", MetricName="M", Namespace="N", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    make_endpoint(sm, em, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=second_config(sm, "ep"), DeploymentConfig=blue_green(
        {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}, alarms=["alarm"]))
    em.clock.advance(timing.PROVISION_SECONDS)
    cw.set_alarm_state(AlarmName="alarm", StateValue="ALARM", StateReason="test")
    return observe(sm, em, "ep")


def rollback_observed(sm, cw, em):
    assert "RollingBack" in [row[0] for row in _alarmed_update(sm, cw, em)]


def rollback_restores_config(sm, cw, em):
    _alarmed_update(sm, cw, em)
    assert describe(sm, "ep")["EndpointConfigName"] == "ep-c"


def invalid_config_rejected(sm, cw, em):
    make_model(sm, "m")
    rejected(lambda: sm.create_endpoint_config(EndpointConfigName="bad config!", ProductionVariants=[
        {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]))
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []


def enum_checked(sm, cw, em):
    make_model(sm, "m")
    rejected(lambda: sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[
        {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.nonexistent", "InitialInstanceCount": 1}]))


def invalid_model_not_created(sm, cw, em):
    rejected(lambda: sm.create_model(ModelName="m", PrimaryContainer={"Image": "img"}, ExecutionRoleArn="not-an-arn"))
    assert sm.list_models()["Models"] == []


def tags_overwrite(sm, cw, em):
    arn = make_model(sm, "m")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "1"}])
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "2"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "2"}]


def tags_limit(sm, cw, em):
    arn = make_model(sm, "m", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    rejected(lambda: sm.add_tags(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}]))


def tags_reserved_prefix(sm, cw, em):
    arn = make_model(sm, "m")
    rejected(lambda: sm.add_tags(ResourceArn=arn, Tags=[{"Key": "aws:x", "Value": "v"}]))


def tags_delete_absent(sm, cw, em):
    arn = make_model(sm, "m", Tags=[{"Key": "a", "Value": "1"}])
    sm.delete_tags(ResourceArn=arn, TagKeys=["absent"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "1"}]


def tags_at_creation(sm, cw, em):
    make_model(sm, "m")
    make_config(sm, "c", "m")
    arn = sm.create_endpoint(EndpointName="e", EndpointConfigName="c", Tags=[{"Key": "k", "Value": "v"}])["EndpointArn"]
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def _endpoints(sm, em, names=("ep-a", "ep-b", "ep-c")):
    make_model(sm, "m")
    make_config(sm, "c", "m")
    make_config(sm, "c-special", "m", variant="Special")
    for name in names:
        sm.create_endpoint(EndpointName=name, EndpointConfigName="c-special" if name == "ep-b" else "c")
        em.clock.advance(1)
    em.clock.advance(timing.CREATE_SECONDS)


def _names(sm, **request):
    names, request = [], dict(request)
    while True:
        page = sm.search(Resource="Endpoint", **request)
        names += [record["Endpoint"]["EndpointName"] for record in page["Results"]]
        if "NextToken" not in page:
            return names
        request["NextToken"] = page["NextToken"]


def search_nested(sm, cw, em):
    _endpoints(sm, em)
    assert _names(sm, SearchExpression={"NestedFilters": [{"NestedPropertyName": "ProductionVariants", "Filters": [
        {"Name": "ProductionVariants.VariantName", "Operator": "Equals", "Value": "Special"}]}]}) == ["ep-b"]


def search_contains_once(sm, cw, em):
    _endpoints(sm, em)
    rejected(lambda: sm.search(Resource="Endpoint", SearchExpression={"Filters": [
        {"Name": "EndpointName", "Operator": "Contains", "Value": "ep"},
        {"Name": "EndpointConfigName", "Operator": "Contains", "Value": "c"}]}))


def search_sort_order(sm, cw, em):
    _endpoints(sm, em)
    assert _names(sm, SortBy="EndpointName", SortOrder="Ascending") == ["ep-a", "ep-b", "ep-c"]


def search_default_equals(sm, cw, em):
    _endpoints(sm, em)
    assert _names(sm, SearchExpression={"Filters": [{"Name": "EndpointName", "Value": "ep"}]}) == []


def search_pages_once(sm, cw, em):
    _endpoints(sm, em)
    assert sorted(_names(sm, MaxResults=2)) == ["ep-a", "ep-b", "ep-c"]


SCENARIOS = {
    "skip-creating-state": creating_observable,
    "skip-deleting-state": deleting_observable,
    "status-outside-enum": status_in_enum,
    "failed-without-reason": failed_has_reason,
    "update-allowed-when-failed": failed_rejects_update,
    "update-allowed-while-updating": creating_rejects_update,
    "weights-allowed-while-updating": updating_rejects_weights,
    "names-case-sensitive": names_case_insensitive,
    "missing-endpoint-500": missing_endpoint_4xx,
    "canary-size-unchecked": documented_rule(blue_green(
        {"Type": "CANARY", "WaitIntervalInSeconds": 30, "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 3}})),
    "linear-step-unchecked": documented_rule(blue_green(
        {"Type": "LINEAR", "WaitIntervalInSeconds": 30, "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 75}})),
    "timeout-unchecked": documented_rule(blue_green(
        {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600}, termination_wait=100, timeout=650)),
    "no-baking-state": baking_observable,
    "pending-summary-kept-after-update": pending_summary_gone,
    "last-deployment-config-dropped": last_deployment_config,
    "retain-deployment-config-ignored": retain_deployment_config,
    "retain-variant-properties-ignored": retain_variant_properties,
    "no-rollback-on-alarm": rollback_observed,
    "rollback-keeps-new-config": rollback_restores_config,
    "schema-validation-skipped": invalid_config_rejected,
    "enum-values-unchecked": enum_checked,
    "invalid-create-model-persisted": invalid_model_not_created,
    "tags-duplicate-on-overwrite": tags_overwrite,
    "tags-limit-unchecked": tags_limit,
    "tags-aws-prefix-allowed": tags_reserved_prefix,
    "delete-absent-tag-error": tags_delete_absent,
    "creation-tags-dropped": tags_at_creation,
    "search-ignores-nested-filters": search_nested,
    "contains-limit-unchecked": search_contains_once,
    "sort-order-ignored": search_sort_order,
    "search-default-operator-contains": search_default_equals,
    "search-pagination-repeats": search_pages_once,
}


def run(scenario, fault):
    emulator = Emulator(fault=fault, account_id=fresh_account())
    sm = inprocess.client(emulator.wsgi_app, config=NO_CLIENT_VALIDATION)
    cw = inprocess.client(emulator.wsgi_app, "cloudwatch")
    scenario(sm, cw, emulator)


def test_every_fault_has_a_scenario():
    assert set(SCENARIOS) == set(FAULTS)
    assert len(FAULTS) >= 15


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_breaks_its_behaviour(fault):
    run(SCENARIOS[fault], None)  # the faithful emulator keeps the behaviour
    with pytest.raises((AssertionError, ClientError)):  # a wrong answer or an unexpected error
        run(SCENARIOS[fault], fault)
