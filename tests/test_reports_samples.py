"""Synthetic RunResults shaped like real runs (shared by the report tests; holds no tests itself)."""

from __future__ import annotations

from conformance import __version__
from conformance.model import botocore_version
from conformance.results import Failure, OperationResult, RuleResult, RunResult, Status

# (id, area, statement, operation, member): citations that exist in the installed model.
RULES = [
    ("endpoint.create.creating-then-inservice", "lifecycle",
     "CreateEndpoint MUST leave the endpoint Creating, then InService or Failed with a FailureReason.",
     "CreateEndpoint", ""),
    ("endpoint.describe.status-in-enum", "lifecycle",
     "Every EndpointStatus returned by DescribeEndpoint MUST be a documented value.", "DescribeEndpoint", ""),
    ("endpoint.create.name-unique", "lifecycle",
     "CreateEndpoint MUST reject a name already used in the region.", "CreateEndpoint", "EndpointName"),
    ("endpoint.update.canary-size-at-most-half", "deployments",
     "UpdateEndpoint MUST reject a canary larger than half the fleet.", "UpdateEndpoint",
     "DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.CanarySize"),
    ("endpoint.update.last-deployment-config", "deployments",
     "DescribeEndpoint MUST return the DeploymentConfig of the last update as LastDeploymentConfig.",
     "UpdateEndpoint", "DeploymentConfig"),
    ("endpoint.update.rejected-unless-inservice", "deployments",
     "UpdateEndpoint MUST be rejected while the endpoint is not InService.", "UpdateEndpoint", ""),
    ("tags.add.overwrites", "tags", "AddTags MUST overwrite the value of an existing key.", "AddTags", "Tags"),
    ("tags.limit-50", "tags", "A resource MUST NOT hold more than 50 tags.", "AddTags", "Tags"),
    ("search.contains-once", "search", "Search MUST reject more than one Contains operator.", "Search", "SearchExpression"),
    ("validation.create-endpoint.invalid-rejected", "validation",
     "CreateEndpoint MUST reject every invalid payload with a 4xx and change no state.", "CreateEndpoint", ""),
]

REPRODUCTION = """import boto3
client = boto3.client("sagemaker", endpoint_url="http://127.0.0.1:5000", region_name="us-east-1")
client.create_endpoint_config(EndpointConfigName="sc-1-cfg", ProductionVariants=[{"VariantName": "v0", "ModelName": "sc-1-model", "InitialInstanceCount": 2, "InstanceType": "ml.m5.large"}])
client.create_endpoint(EndpointName="sc-1-ep", EndpointConfigName="sc-1-cfg")
client.update_endpoint(EndpointName="sc-1-ep", EndpointConfigName="sc-1-cfg", DeploymentConfig={"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "CANARY", "WaitIntervalInSeconds": 60, "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 2}}}})
# expected: ValidationException; got: HTTP 200"""

TRANSITIONS = {
    "Creating->InService": 14, "InService->Updating": 6, "Updating->InService": 5, "InService->Deleting": 12,
    "Creating->Failed": 2, "Failed->Deleting": 2, "Updating->RollingBack": 1, "RollingBack->InService": 1,
}

OPERATIONS = [
    OperationResult("CreateEndpoint", 18, {"200": 16, "400": 2}),
    OperationResult("DescribeEndpoint", 95, {"200": 90, "400": 5}),
    OperationResult("UpdateEndpoint", 9, {"200": 6, "400": 3}),
    OperationResult("DeleteEndpoint", 14, {"200": 14}),
    OperationResult("AddTags", 40, {"200": 38, "400": 2}),
    OperationResult("Search", 22, {"200": 21, "400": 1}),
]


def _rule(entry, status=Status.PASSED, checks=12, failures=(), reason=""):
    rule_id, area, statement, operation, member = entry
    return RuleResult(id=rule_id, area=area, statement=statement, citation={"operation": operation, "member": member},
                      status=status, checks=checks, failures=list(failures), reason=reason)


def _run(rules, target=None, transitions=None, notes=()):
    return RunResult(
        tool={"name": "sagemaker-conformance", "version": __version__},
        target=target or {"kind": "reference", "description": "embedded reference target (in-process)"},
        botocore_version=botocore_version(),
        seed=1234,
        started="2026-11-25T17:00:00+00:00",
        duration_s=41.5,
        rules=rules,
        operations=[OperationResult(o.name, o.requests, dict(o.status_codes)) for o in OPERATIONS],
        transitions=dict(TRANSITIONS if transitions is None else transitions),
        notes=list(notes),
    )


def all_pass() -> RunResult:
    return _run([_rule(entry) for entry in RULES])


def with_failures() -> RunResult:
    """A faulted reference target: two rules fail with reproductions."""
    rules = [_rule(entry) for entry in RULES]
    rules[3] = _rule(RULES[3], Status.FAILED, 7, [
        Failure("UpdateEndpoint accepted CanarySize 2 of 2 instances (more than half): expected ValidationException, got HTTP 200",
                REPRODUCTION, 1234),
    ])
    rules[6] = _rule(RULES[6], Status.FAILED, 30, [
        Failure("ListTags returned key 'team' twice after AddTags overwrote it", "client.add_tags(...)", 99),
        Failure("ListTags returned key 'a' twice after AddTags overwrote it", "client.add_tags(...)", 100),
    ])
    return _run(rules, target={"url": "http://127.0.0.1:5000", "description": "reference target with fault canary-unchecked"})


def moto_like() -> RunResult:
    """moto: UpdateEndpoint unsupported, a duplicate name accepted, a target error, a skipped rule."""
    rules = [_rule(entry) for entry in RULES]
    rules[2] = _rule(RULES[2], Status.FAILED, 3, [
        Failure("CreateEndpoint accepted a second endpoint named 'sc-2-ep'", "client.create_endpoint(...)\nclient.create_endpoint(...)", 7)])
    rules[3] = _rule(RULES[3], Status.NOT_IMPLEMENTED, 1, reason="UpdateEndpoint is not implemented by the target")
    rules[4] = _rule(RULES[4], Status.NOT_IMPLEMENTED, 1, reason="UpdateEndpoint is not implemented by the target")
    rules[5] = _rule(RULES[5], Status.TARGET_ERROR, 1, reason="DescribeEndpoint timed out after 30 s")
    rules[8] = _rule(RULES[8], Status.SKIPPED, 0, reason="not exercised in this run")
    return _run(rules, target={"kind": "moto", "description": "moto 5.2.1 in-process (mock_aws)"},
                transitions={"Creating->InService": 9, "InService->Deleting": 9},
                notes=["moto answers every unsupported SageMaker operation with HTTP 500 NotImplemented."])
