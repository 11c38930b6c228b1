"""Resources every machine needs (models, endpoint configs) and the teardown that deletes them.

Values that must satisfy the model (instance type, role ARN, image) are taken
from or checked against the installed botocore model, never guessed.
"""

from __future__ import annotations

import functools
from typing import List, Optional, Tuple

from botocore.exceptions import BotoCoreError, ClientError

from conformance.errors import ConformanceError

VARIANT = "AllTraffic"
ROLE_ARN = "arn:aws:iam::123456789012:role/sagemaker-conformance"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-conformance:latest"
# Documented by the reference target: an image containing this marker never deploys.
UNDEPLOYABLE_MARKER = "undeployable"
# Endpoint statuses from which nothing moves without a request.
STABLE = frozenset({"InService", "Failed", "OutOfService", "UpdateRollbackFailed"})


@functools.lru_cache(maxsize=None)
def instance_type() -> str:
    from conformance.model import member_shape

    allowed = member_shape("CreateEndpointConfig", "ProductionVariants.InstanceType").enum
    return "ml.m5.large" if "ml.m5.large" in allowed else allowed[0]


def undeployable_image() -> str:
    return IMAGE.replace("sagemaker-conformance:", f"sagemaker-conformance-{UNDEPLOYABLE_MARKER}:")


def run_tags(target) -> List[dict]:
    """The run-id tag the target wants on everything created (sweep finds leftovers by it)."""
    tags = getattr(target, "run_tags", None)
    return list(tags()) if callable(tags) else []


def model_params(name: str, deployable: bool = True, tags: Optional[list] = None) -> dict:
    params = {
        "ModelName": name,
        "PrimaryContainer": {"Image": IMAGE if deployable else undeployable_image()},
        "ExecutionRoleArn": ROLE_ARN,
    }
    if tags:
        params["Tags"] = tags
    return params


def config_params(name: str, model_name: str, instance_count: int = 1, weight: float = 1.0,
                  tags: Optional[list] = None) -> dict:
    params = {
        "EndpointConfigName": name,
        "ProductionVariants": [
            {
                "VariantName": VARIANT,
                "ModelName": model_name,
                "InstanceType": instance_type(),
                "InitialInstanceCount": instance_count,
                "InitialVariantWeight": weight,
            }
        ],
    }
    if tags:
        params["Tags"] = tags
    return params


class Cleanup:
    """What an example created, deleted in reverse order at teardown; errors are logged, never raised.

    Endpoints in a transition are waited for (bounded, on the target's clock) before deletion.
    """

    def __init__(self, session) -> None:
        self.session = session
        self.created: List[Tuple[str, str, str]] = []  # (service, delete operation, name)

    def add(self, operation: str, name: str, service: str = "sagemaker") -> None:
        self.created.append((service, operation, name))

    def run(self, settle_s: float = 600.0) -> None:
        session = self.session
        for service, operation, name in reversed(self.created):
            try:
                if operation == "DeleteEndpoint":
                    session.watch(
                        "DescribeEndpoint",
                        lambda out: not out.ok or out.get("EndpointStatus") in STABLE | {"Deleting"},
                        settle_s,
                        interval_s=_waiter_delay(),
                        EndpointName=name,
                    )
                    session.call(operation, EndpointName=name)
                elif operation == "DeleteEndpointConfig":
                    session.call(operation, EndpointConfigName=name)
                elif operation == "DeleteModel":
                    session.call(operation, ModelName=name)
                elif operation == "DeleteAlarms":
                    session.call(operation, service=service, AlarmNames=[name])
            except (ConformanceError, ClientError, BotoCoreError):
                continue  # keep deleting the rest; the run's sweep catches leftovers
        self.created.clear()


def _waiter_delay() -> float:
    from conformance.model import waiter_config

    return float(waiter_config("EndpointInService").delay)
