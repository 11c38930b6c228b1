"""Per-call cost of ``conformance.shapes.violations`` on valid payloads: jsonschema alone vs the fast check.

Both paths run in the same process on the same payloads, so the ratio does not depend on the
machine's load. Payloads are typical of a suite run: a DescribeEndpoint response of the reference
emulator (in wire form, as ``check_output`` sees it), the CreateEndpoint request that made it, a
nested Search request, and a ListEndpoints response.

    python benchmarks/validation.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from typing import Callable, List, Tuple

ARN = "arn:aws:sagemaker:us-east-1:123456789012"


def _emulator_payloads() -> List[Tuple[str, str, dict]]:
    """(operation, direction, payload) from a real exchange with the reference emulator."""
    from conformance.emulator import Emulator
    from conformance.emulator.inprocess import client
    from conformance.machines.session import wire_form

    emulator = Emulator()
    sagemaker = client(emulator.wsgi_app)
    client(emulator.wsgi_app, "cloudwatch").put_metric_alarm(
        AlarmName="latency-high", MetricName="ModelLatency", Namespace="AWS/SageMaker", Statistic="Average",
        Period=60, EvaluationPeriods=1, Threshold=1e6, ComparisonOperator="GreaterThanThreshold")
    sagemaker.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                           PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1"})
    sagemaker.create_endpoint_config(EndpointConfigName="cfg", ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": "m", "InitialInstanceCount": 2,
         "InstanceType": "ml.m5.large", "InitialVariantWeight": 1.0}])
    create = {"EndpointName": "ep", "EndpointConfigName": "cfg",
              "Tags": [{"Key": "team", "Value": "ml"}, {"Key": "stage", "Value": "test"}],
              "DeploymentConfig": {"BlueGreenUpdatePolicy": {
                  "TrafficRoutingConfiguration": {"Type": "CANARY", "WaitIntervalInSeconds": 60,
                                                  "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 1}},
                  "TerminationWaitInSeconds": 120, "MaximumExecutionTimeoutInSeconds": 1800},
                  "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "latency-high"}]}}}
    sagemaker.create_endpoint(**create)
    emulator.clock.advance(3600)
    described = sagemaker.describe_endpoint(EndpointName="ep")
    listed = sagemaker.list_endpoints()
    for response in (described, listed):
        response.pop("ResponseMetadata", None)
    return [("DescribeEndpoint", "output", wire_form(described)),
            ("CreateEndpoint", "input", create),
            ("ListEndpoints", "output", wire_form(listed))]


def _search_request() -> dict:
    leaf = {"Filters": [{"Name": "EndpointName", "Operator": "Contains", "Value": "ep"},
                        {"Name": "Tags.team", "Operator": "Equals", "Value": "ml"}]}
    return {"Resource": "Endpoint", "MaxResults": 50, "SortBy": "CreationTime", "SortOrder": "Descending",
            "SearchExpression": {"Operator": "Or", "SubExpressions": [leaf, {"Operator": "And", **leaf}]}}


def per_call(function: Callable[[], object], repeat: int) -> float:
    """Best-of-5 seconds per call."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300, help="calls per timing round (default 300)")
    args = parser.parse_args(argv)
    from conformance import shapes

    payloads = _emulator_payloads() + [("Search", "input", _search_request())]
    print(f"{'operation':<18} {'direction':<9} {'jsonschema µs':>14} {'fast µs':>9} {'speed-up':>9}")
    for operation, direction, payload in payloads:
        assert shapes.jsonschema_violations(operation, payload, direction) == [], (operation, direction)
        assert shapes.violations(operation, payload, direction) == []
        slow = per_call(lambda: shapes.jsonschema_violations(operation, payload, direction), args.repeat)
        fast = per_call(lambda: shapes.violations(operation, payload, direction), args.repeat * 20)
        print(f"{operation:<18} {direction:<9} {slow * 1e6:>14.1f} {fast * 1e6:>9.2f} {slow / fast:>8.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
