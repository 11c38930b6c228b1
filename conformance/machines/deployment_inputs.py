"""DeploymentConfigs for the endpoint machine: valid ones, and invalid ones breaking one documented rule.

Valid configs keep waits short (the machine watches every traffic step on the
target's clock) and satisfy every cross-field rule for *every* instance count
they may be applied to; each invalid config breaks exactly one rule of
``conformance.documented`` and is labelled with that rule's id. Bounds come from
the installed model.
"""

from __future__ import annotations

import functools
import math
from typing import Optional, Tuple

from hypothesis import strategies as st

from conformance.model import member_shape

_BG = "DeploymentConfig.BlueGreenUpdatePolicy"
_ROUTING = _BG + ".TrafficRoutingConfiguration"
_ROLLING = "DeploymentConfig.RollingUpdatePolicy"

WAITS = (0, 10, 30)  # seconds; kept short so watching a deployment stays cheap
TERMINATION_WAITS = (0, 20)

# The documented-rule ids an invalid UpdateEndpoint is labelled with.
INVALID_KINDS = (
    "deployment.canary-size-at-most-half",
    "deployment.linear-step-size-10-to-50-percent",
    "deployment.timeout-exceeds-waits",
    "deployment.canary-size-required",
    "deployment.linear-step-size-required",
    "deployment.single-update-policy",
    "deployment.rolling-batch-size-5-to-50-percent",
    "update.exclude-requires-retain-all",
    "update.retain-deployment-config-conflicts-with-new",
)


# Module-level strategies: Hypothesis checks every new strategy object on its first draw (sampled_from
# is not cached by its arguments).
_WAITS = st.sampled_from(WAITS)
_TERMINATION_WAITS = st.sampled_from(TERMINATION_WAITS)
_ROUTING_TYPES = st.sampled_from(("ALL_AT_ONCE", "CANARY", "LINEAR"))
# Percentages just outside the documented ranges (10-50 for a linear step, 5-50 for a rolling batch).
_LINEAR_PERCENTS_OUTSIDE = st.one_of(st.integers(1, 9), st.integers(51, 100))
_ROLLING_PERCENTS_OUTSIDE = st.one_of(st.integers(1, 4), st.integers(51, 100))


def _bounds(member: str):
    metadata = member_shape("UpdateEndpoint", member).metadata
    return metadata.get("min", 0), metadata.get("max")


def _timeout_min() -> int:
    return _bounds(_BG + ".MaximumExecutionTimeoutInSeconds")[0]


def _size(draw, low_percent: int, high_percent: int, counts: tuple) -> dict:
    """A CapacitySize within [low, high] % of every instance count in ``counts``."""
    low_count = max(math.ceil(low_percent * c / 100) for c in counts)
    high_count = min(math.floor(high_percent * c / 100) for c in counts)
    low_count = max(low_count, 1)
    # Drawn down from the largest step, so that a failure shrinks towards the fewest traffic steps.
    if low_count <= high_count and draw(st.booleans()):
        return {"Type": "INSTANCE_COUNT", "Value": high_count - draw(st.integers(0, high_count - low_count))}
    low_percent = max(low_percent, 1)
    return {"Type": "CAPACITY_PERCENT", "Value": high_percent - draw(st.integers(0, high_percent - low_percent))}


@functools.lru_cache(maxsize=None)
def valid_deployment_configs(counts: tuple) -> st.SearchStrategy:
    """Valid DeploymentConfigs for variants of any of the instance ``counts``: one strategy object per
    ``counts``, since Hypothesis checks every new strategy object on its first draw."""
    return _valid_deployment_configs(counts)


@st.composite
def _valid_deployment_configs(draw, counts: tuple) -> dict:
    if draw(st.integers(0, 3)) == 0:
        policy = {"MaximumBatchSize": _size(draw, 5, 50, counts), "WaitIntervalInSeconds": draw(_WAITS)}
        if draw(st.booleans()):
            policy["MaximumExecutionTimeoutInSeconds"] = draw(st.integers(_timeout_min() * 4, _timeout_min() * 8))
        return {"RollingUpdatePolicy": policy}
    kind = draw(_ROUTING_TYPES)
    wait = draw(_WAITS)
    routing = {"Type": kind, "WaitIntervalInSeconds": wait}
    if kind == "CANARY":
        routing["CanarySize"] = _size(draw, 1, 50, counts)
    elif kind == "LINEAR":
        routing["LinearStepSize"] = _size(draw, 10, 50, counts)
    policy = {"TrafficRoutingConfiguration": routing}
    termination = draw(_TERMINATION_WAITS)
    if termination:
        policy["TerminationWaitInSeconds"] = termination
    if draw(st.booleans()):
        # Larger than every wait and than the whole plan, so the deployment never times out.
        policy["MaximumExecutionTimeoutInSeconds"] = draw(st.integers(_timeout_min() * 4, _timeout_min() * 8))
    return {"BlueGreenUpdatePolicy": policy}


def _blue_green(routing: dict, **policy) -> dict:
    return {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": routing, **policy}}


@functools.lru_cache(maxsize=None)
def invalid_updates(kinds: Tuple[str, ...], count: int) -> st.SearchStrategy:
    """One ``invalid_update`` per kind, in one draw: one strategy object per (kinds, count), since
    Hypothesis checks every new strategy object on its first draw."""
    return st.tuples(*(invalid_update(kind, count) for kind in kinds))


@st.composite
def invalid_update(draw, kind: str, count: int) -> dict:
    """UpdateEndpoint parameters (without names) breaking exactly the documented rule ``kind``."""
    if kind == "deployment.canary-size-at-most-half":
        if draw(st.booleans()):
            size = {"Type": "INSTANCE_COUNT", "Value": draw(st.integers(count // 2 + 1, count + 2))}
        else:
            size = {"Type": "CAPACITY_PERCENT", "Value": draw(st.integers(51, 100))}
        return {"DeploymentConfig": _blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 0, "CanarySize": size})}
    if kind == "deployment.linear-step-size-10-to-50-percent":
        percent = draw(_LINEAR_PERCENTS_OUTSIDE)
        size = {"Type": "CAPACITY_PERCENT", "Value": percent}
        return {"DeploymentConfig": _blue_green({"Type": "LINEAR", "WaitIntervalInSeconds": 0, "LinearStepSize": size})}
    if kind == "deployment.timeout-exceeds-waits":
        wait_max = _bounds(_ROUTING + ".WaitIntervalInSeconds")[1]
        termination_max = _bounds(_BG + ".TerminationWaitInSeconds")[1]
        timeout = draw(st.integers(_timeout_min(), min(wait_max + termination_max, _timeout_min() * 4)))
        wait = draw(st.integers(max(0, timeout - termination_max), wait_max))
        termination = max(0, timeout - wait)
        return {
            "DeploymentConfig": _blue_green(
                {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": wait},
                TerminationWaitInSeconds=termination,
                MaximumExecutionTimeoutInSeconds=timeout,
            )
        }
    if kind == "deployment.canary-size-required":
        return {"DeploymentConfig": _blue_green({"Type": "CANARY", "WaitIntervalInSeconds": 0})}
    if kind == "deployment.linear-step-size-required":
        return {"DeploymentConfig": _blue_green({"Type": "LINEAR", "WaitIntervalInSeconds": 0})}
    if kind == "deployment.single-update-policy":
        config = _blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0})
        config["RollingUpdatePolicy"] = {"MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
                                         "WaitIntervalInSeconds": 0}
        return {"DeploymentConfig": config}
    if kind == "deployment.rolling-batch-size-5-to-50-percent":
        percent = draw(_ROLLING_PERCENTS_OUTSIDE)
        return {"DeploymentConfig": {"RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": percent}, "WaitIntervalInSeconds": 0}}}
    if kind == "update.exclude-requires-retain-all":
        params = {"ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredInstanceCount"}]}
        if draw(st.booleans()):
            params["RetainAllVariantProperties"] = False
        return params
    if kind == "update.retain-deployment-config-conflicts-with-new":
        return {"RetainDeploymentConfig": True,
                "DeploymentConfig": _blue_green({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0})}
    raise ValueError(f"unknown invalid update kind {kind!r}")


def traffic_wait(deployment_config: Optional[dict]) -> int:
    """The per-step bake time a deployment documents (0 when none)."""
    config = deployment_config or {}
    if "RollingUpdatePolicy" in config:
        return int(config["RollingUpdatePolicy"].get("WaitIntervalInSeconds", 0))
    routing = (config.get("BlueGreenUpdatePolicy") or {}).get("TrafficRoutingConfiguration") or {}
    return int(routing.get("WaitIntervalInSeconds", 0))
