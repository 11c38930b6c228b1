"""Every duration the emulator uses, in one place, and the plans built from them.

Simulated seconds (the emulator's clock decides how fast they pass):

- ``CREATE_SECONDS`` (120): CreateEndpoint stays Creating, variants Creating.
- ``DELETE_SECONDS`` (30): DeleteEndpoint stays Deleting, then the endpoint is gone.
- ``WEIGHTS_SECONDS`` (30): UpdateEndpointWeightsAndCapacities stays Updating.
- ``PROVISION_SECONDS`` (60): an UpdateEndpoint launches the new (green) fleet: Creating.
- ``SHIFT_SECONDS`` (10): each traffic step: ActivatingTraffic.
- ``TERMINATE_SECONDS`` (30): the old (blue) fleet is terminated at the end: Deleting.
- ``ROLLBACK_SECONDS`` (60): RollingBack, then InService on the previous EndpointConfig.

A blue/green UpdateEndpoint (``BlueGreenUpdatePolicy``; ALL_AT_ONCE with no waits when no
DeploymentConfig is given) runs: Creating (green fleet) → per traffic step
[ActivatingTraffic, then Baking for ``WaitIntervalInSeconds`` when > 0] → Baking for
``TerminationWaitInSeconds`` when > 0 → Deleting (blue fleet) → InService.
Traffic steps: ALL_AT_ONCE one step of 100 %; CANARY the canary then the rest;
LINEAR ceil(100 % / step) equal steps. A ``RollingUpdatePolicy`` runs, per batch of
``MaximumBatchSize``: Creating, ActivatingTraffic, Baking (``WaitIntervalInSeconds``).
``MaximumExecutionTimeoutInSeconds`` is validated (it must exceed the documented waits) but
never cuts a deployment short: the docs promise only that a timeout larger than
``TerminationWaitInSeconds`` + ``WaitIntervalInSeconds`` is valid, and a valid deployment must
complete, whatever this emulator's fixed overheads add. An alarm of ``AutoRollbackConfiguration`` in ALARM at any time
during the deployment starts the rollback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Optional

CREATE_SECONDS = 120.0
DELETE_SECONDS = 30.0
WEIGHTS_SECONDS = 30.0
PROVISION_SECONDS = 60.0
SHIFT_SECONDS = 10.0
TERMINATE_SECONDS = 30.0
ROLLBACK_SECONDS = 60.0

NEW_FLEET = "new"  # the VariantStatus goes on PendingDeploymentSummary's variants
OLD_FLEET = "old"  # the VariantStatus goes on ProductionVariants


@dataclass(frozen=True)
class Phase:
    start: float
    end: float
    endpoint_status: str
    fleet: str
    variant_status: Optional[str]
    message: str


class _PlanBuilder:
    def __init__(self, start: float, endpoint_status: str) -> None:
        self.at = start
        self.endpoint_status = endpoint_status
        self.phases: List[Phase] = []

    def add(self, seconds: float, fleet: str, variant_status: Optional[str], message: str) -> None:
        if seconds <= 0:
            return
        self.phases.append(Phase(self.at, self.at + seconds, self.endpoint_status, fleet, variant_status, message))
        self.at += seconds


def create_plan(start: float) -> List[Phase]:
    plan = _PlanBuilder(start, "Creating")
    plan.add(CREATE_SECONDS, NEW_FLEET, "Creating", "Creating inference resources for the production variant.")
    return plan.phases


def delete_plan(start: float) -> List[Phase]:
    plan = _PlanBuilder(start, "Deleting")
    plan.add(DELETE_SECONDS, OLD_FLEET, "Deleting", "Terminating inference resources for the production variant.")
    return plan.phases


def weights_plan(start: float) -> List[Phase]:
    plan = _PlanBuilder(start, "Updating")
    plan.add(WEIGHTS_SECONDS, OLD_FLEET, "Updating", "Updating capacity for the production variant.")
    return plan.phases


def rollback_plan(start: float) -> List[Phase]:
    plan = _PlanBuilder(start, "RollingBack")
    plan.add(ROLLBACK_SECONDS, OLD_FLEET, None, "Rolling back to the previous endpoint configuration.")
    return plan.phases


def _steps(size: Optional[dict], instance_count: int) -> float:
    """The fraction of capacity one step moves, from a CapacitySize."""
    if not size:
        return 1.0
    value = float(size.get("Value", 100))
    if size.get("Type") == "INSTANCE_COUNT":
        return min(1.0, max(value, 1.0) / max(instance_count, 1))
    return min(1.0, max(value, 1.0) / 100.0)


def traffic_steps(routing: Optional[dict], instance_count: int) -> List[float]:
    """Cumulative traffic fractions on the new fleet after each step."""
    kind = (routing or {}).get("Type", "ALL_AT_ONCE")
    if kind == "CANARY":
        canary = _steps(routing.get("CanarySize"), instance_count)
        return [canary, 1.0] if canary < 1.0 else [1.0]
    if kind == "LINEAR":
        step = _steps(routing.get("LinearStepSize"), instance_count)
        count = math.ceil(1.0 / step - 1e-9)
        return [min(1.0, step * (i + 1)) for i in range(count)]
    return [1.0]


def update_plan(start: float, deployment_config: Optional[dict], instance_count: int, skip_baking: bool = False) -> List[Phase]:
    plan = _PlanBuilder(start, "Updating")
    config = deployment_config or {}
    rolling = config.get("RollingUpdatePolicy")
    if rolling:
        wait = float(rolling.get("WaitIntervalInSeconds", 0))
        fractions = traffic_steps({"Type": "LINEAR", "LinearStepSize": rolling.get("MaximumBatchSize")}, instance_count)
        for index, fraction in enumerate(fractions, 1):
            plan.add(PROVISION_SECONDS, NEW_FLEET, "Creating", f"Launching batch {index} of {len(fractions)} of the new fleet.")
            plan.add(SHIFT_SECONDS, NEW_FLEET, "ActivatingTraffic", f"Shifting {round(fraction * 100)}% of traffic to the new fleet.")
            if not skip_baking:
                plan.add(wait, NEW_FLEET, "Baking", f"Baking period of {int(wait)} seconds: monitoring alarms.")
        plan.add(TERMINATE_SECONDS, OLD_FLEET, "Deleting", "Terminating the old fleet.")
        return plan.phases
    policy = config.get("BlueGreenUpdatePolicy") or {}
    routing = policy.get("TrafficRoutingConfiguration") or {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0}
    wait = float(routing.get("WaitIntervalInSeconds", 0))
    plan.add(PROVISION_SECONDS, NEW_FLEET, "Creating", "Launching the new fleet.")
    for fraction in traffic_steps(routing, instance_count):
        plan.add(SHIFT_SECONDS, NEW_FLEET, "ActivatingTraffic", f"Shifting {round(fraction * 100)}% of traffic to the new fleet.")
        if not skip_baking:
            plan.add(wait, NEW_FLEET, "Baking", f"Baking period of {int(wait)} seconds: monitoring alarms.")
    termination_wait = float(policy.get("TerminationWaitInSeconds", 0))
    plan.add(termination_wait, NEW_FLEET, "Baking", f"Waiting {int(termination_wait)} seconds before terminating the old fleet.")
    plan.add(TERMINATE_SECONDS, OLD_FLEET, "Deleting", "Terminating the old fleet.")
    return plan.phases


def phase_at(phases: List[Phase], at: float) -> Optional[Phase]:
    for phase in phases:
        if phase.start <= at < phase.end:
            return phase
    return None
