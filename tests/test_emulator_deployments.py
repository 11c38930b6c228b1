"""Blue/green and rolling deployments on the reference target: traffic steps, pending summary,
retained properties and configs, automatic rollback on a CloudWatch alarm, failed updates."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conformance.emulator import UNDEPLOYABLE_IMAGE_MARKER, timing
from test_emulator_support import (  # noqa: F401 - fixtures
    cw, describe, emulator, error_code, make_endpoint, observe, second_config, sm,
)


def routing(kind: str, wait: int = 60, **sizes) -> dict:
    config = {"Type": kind, "WaitIntervalInSeconds": wait}
    config.update(sizes)
    return config


def blue_green(route: dict, termination_wait: int = 0, timeout: int = 3600, alarms=()) -> dict:
    config = {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": route,
                                       "TerminationWaitInSeconds": termination_wait,
                                       "MaximumExecutionTimeoutInSeconds": timeout}}
    if alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in alarms]}
    return config


def statuses(observations) -> list:
    """The pending fleet's variant statuses in the order observed, consecutive repeats merged."""
    out = []
    for _, _, _, variant_statuses in observations:
        for fleet, status in variant_statuses:
            if fleet == "pending" and (not out or out[-1] != status):
                out.append(status)
    return out


@pytest.mark.parametrize("route, expected", [
    (routing("ALL_AT_ONCE"), ["Creating", "ActivatingTraffic", "Baking"]),
    (routing("CANARY", CanarySize={"Type": "INSTANCE_COUNT", "Value": 1}),
     ["Creating", "ActivatingTraffic", "Baking", "ActivatingTraffic", "Baking"]),
    (routing("LINEAR", LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 50}),
     ["Creating", "ActivatingTraffic", "Baking", "ActivatingTraffic", "Baking"]),
])
def test_update_traffic_steps_observable(sm, emulator, route, expected):
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    config = blue_green(route)
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=config)
    seen = observe(sm, emulator, "ep")
    assert statuses(seen) == expected
    updating = [row for row in seen if row[0] == "Updating"]
    assert updating and all(row[1] == "ep-c" and row[2] for row in updating)  # old config serves; pending shown
    assert seen[-1][:3] == ("InService", new, False)
    done = describe(sm, "ep")
    assert done["LastDeploymentConfig"] == config
    assert "PendingDeploymentSummary" not in done


def test_update_baking_lasts_wait_interval_with_start_time(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new,
                       DeploymentConfig=blue_green(routing("ALL_AT_ONCE", wait=300)))
    emulator.clock.advance(timing.PROVISION_SECONDS + timing.SHIFT_SECONDS + 1)
    pending = describe(sm, "ep")["PendingDeploymentSummary"]["ProductionVariants"][0]["VariantStatus"][0]
    assert pending["Status"] == "Baking" and pending["StatusMessage"]
    assert pending["StartTime"].timestamp() == pytest.approx(emulator.clock.now() - 1)
    emulator.clock.advance(298)
    assert describe(sm, "ep")["EndpointStatus"] == "Updating"


def test_update_without_deployment_config_keeps_no_last_config(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new)
    seen = observe(sm, emulator, "ep")
    assert seen[0][0] == "Updating" and seen[-1][:2] == ("InService", new)
    assert "LastDeploymentConfig" not in describe(sm, "ep")


def test_update_rolling_policy_batches(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    config = {"RollingUpdatePolicy": {"MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 2},
                                      "WaitIntervalInSeconds": 30, "MaximumExecutionTimeoutInSeconds": 3600}}
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=config)
    seen = observe(sm, emulator, "ep")
    assert statuses(seen) == ["Creating", "ActivatingTraffic", "Baking"] * 2
    assert describe(sm, "ep")["LastDeploymentConfig"] == config


def test_update_retain_deployment_config_reuses_last(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    config = blue_green(routing("CANARY", wait=30, CanarySize={"Type": "CAPACITY_PERCENT", "Value": 25}))
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=config)
    observe(sm, emulator, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="ep-c", RetainDeploymentConfig=True)
    seen = observe(sm, emulator, "ep")
    assert statuses(seen).count("Baking") == 2  # the canary's two baked steps again
    assert describe(sm, "ep")["LastDeploymentConfig"] == config
    with pytest.raises(ClientError) as err:  # documented conflict: retain + a new config
        sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, RetainDeploymentConfig=True,
                           DeploymentConfig=config)
    assert error_code(err) == "ValidationException"


def test_update_retain_all_variant_properties(sm, emulator):
    make_endpoint(sm, emulator, "ep", count=4)
    sm.update_endpoint_weights_and_capacities(
        EndpointName="ep",
        DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredWeight": 5.0, "DesiredInstanceCount": 6}])
    emulator.clock.advance(timing.WEIGHTS_SECONDS)
    new = second_config(sm, "ep", count=2, weight=1.0)
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, RetainAllVariantProperties=True)
    observe(sm, emulator, "ep")
    variant = describe(sm, "ep")["ProductionVariants"][0]
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (5.0, 6)
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="ep-c", RetainAllVariantProperties=True,
                       ExcludeRetainedVariantProperties=[{"VariantPropertyType": "DesiredInstanceCount"}])
    observe(sm, emulator, "ep")
    variant = describe(sm, "ep")["ProductionVariants"][0]
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (5.0, 4)  # count from ep-c
    with pytest.raises(ClientError) as err:
        sm.update_endpoint(EndpointName="ep", EndpointConfigName=new,
                           ExcludeRetainedVariantProperties=[{"VariantPropertyType": "DesiredWeight"}])
    assert error_code(err) == "ValidationException"


@pytest.mark.parametrize("config", [
    blue_green(routing("CANARY", CanarySize={"Type": "INSTANCE_COUNT", "Value": 3})),
    blue_green(routing("CANARY", CanarySize={"Type": "CAPACITY_PERCENT", "Value": 60})),
    blue_green(routing("LINEAR", LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 5})),
    blue_green(routing("LINEAR", LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 60})),
    blue_green(routing("CANARY")),
    blue_green(routing("ALL_AT_ONCE", wait=600), termination_wait=100, timeout=650),
], ids=["canary-count", "canary-percent", "linear-small", "linear-large", "canary-no-size", "timeout"])
def test_update_documented_deployment_rules_rejected(sm, emulator, config):
    make_endpoint(sm, emulator, "ep", count=4)
    new = second_config(sm, "ep")
    with pytest.raises(ClientError) as err:
        sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=config)
    assert error_code(err) == "ValidationException"
    assert describe(sm, "ep")["EndpointStatus"] == "InService"  # no state change


def _alarm(cw, name: str) -> None:
    cw.put_metric_alarm(AlarmName=name, MetricName="Invocation5XXErrors", Namespace="AWS/SageMaker",
                        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1.0,
                        ComparisonOperator="GreaterThanThreshold")


def test_update_alarm_in_alarm_rolls_back(sm, cw, emulator):
    _alarm(cw, "ep-5xx")
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    config = blue_green(routing("ALL_AT_ONCE", wait=600), alarms=["ep-5xx"])
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=config)
    emulator.clock.advance(timing.PROVISION_SECONDS + timing.SHIFT_SECONDS + 10)  # baking
    cw.set_alarm_state(AlarmName="ep-5xx", StateValue="ALARM", StateReason="test")
    assert cw.describe_alarms(AlarmNames=["ep-5xx"])["MetricAlarms"][0]["StateValue"] == "ALARM"
    emulator.clock.advance(1)
    rolling = describe(sm, "ep")
    assert rolling["EndpointStatus"] == "RollingBack"
    assert "PendingDeploymentSummary" not in rolling
    assert rolling["EndpointConfigName"] == "ep-c"
    emulator.clock.advance(timing.ROLLBACK_SECONDS)
    back = describe(sm, "ep")
    assert (back["EndpointStatus"], back["EndpointConfigName"]) == ("InService", "ep-c")
    assert "ep-5xx" in back["FailureReason"]


def test_update_alarm_in_ok_does_not_roll_back(sm, cw, emulator):
    _alarm(cw, "quiet")
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=new,
                       DeploymentConfig=blue_green(routing("ALL_AT_ONCE", wait=60), alarms=["quiet"]))
    seen = observe(sm, emulator, "ep")
    assert "RollingBack" not in [row[0] for row in seen]
    assert seen[-1][:2] == ("InService", new)


def test_update_unknown_alarm_rejected(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    new = second_config(sm, "ep")
    with pytest.raises(ClientError) as err:
        sm.update_endpoint(EndpointName="ep", EndpointConfigName=new,
                           DeploymentConfig=blue_green(routing("ALL_AT_ONCE"), alarms=["no-such-alarm"]))
    assert error_code(err) == "ValidationException"


def test_update_to_undeployable_rolls_back(sm, emulator):
    make_endpoint(sm, emulator, "ep")
    bad = second_config(sm, "ep", image=f"repo/{UNDEPLOYABLE_IMAGE_MARKER}:2")
    sm.update_endpoint(EndpointName="ep", EndpointConfigName=bad)
    seen = observe(sm, emulator, "ep")
    assert [row[0] for row in seen] == ["Updating", "RollingBack", "InService"]
    done = describe(sm, "ep")
    assert done["EndpointConfigName"] == "ep-c"
    assert UNDEPLOYABLE_IMAGE_MARKER in done["FailureReason"]


def test_deployment_sequence_is_deterministic():
    from conformance.emulator import Emulator, inprocess

    def run():
        target = Emulator(account_id="210987654321")  # same account: ARNs are part of the sequence
        client = inprocess.client(target.wsgi_app)
        make_endpoint(client, target, "ep")
        new = second_config(client, "ep")
        client.update_endpoint(EndpointName="ep", EndpointConfigName=new, DeploymentConfig=blue_green(
            routing("LINEAR", wait=20, LinearStepSize={"Type": "INSTANCE_COUNT", "Value": 1})))
        out = []
        for _ in range(40):
            description = describe(client, "ep")
            description.pop("ResponseMetadata")
            out.append(description)
            target.clock.advance(7)
        return out

    assert run() == run()
