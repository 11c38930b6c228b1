"""DeploymentConfig payloads that know the documented cross-field rules.

``deployment_configs(instance_count, valid=True)`` draws a ``DeploymentConfig`` dict that
satisfies the schema and every rule of ``conformance.documented`` for a variant of
``instance_count`` instances. ``valid=False`` draws an ``InvalidPayload`` whose payload is the
request fragment ``{"DeploymentConfig": ...}`` breaking exactly one rule (a documented-rule id
or a schema ``Constraint``), at a path starting with ``"DeploymentConfig"``.

Every bound and enum comes from the botocore model.
"""

from __future__ import annotations

import functools
from typing import Optional, Sequence, Tuple, Union

from hypothesis import strategies as st

from conformance import model
from conformance.violation import Constraint, InvalidPayload

_OP = "UpdateEndpoint"
_BG = "DeploymentConfig.BlueGreenUpdatePolicy"
_TRC = _BG + ".TrafficRoutingConfiguration"
_ROLL = "DeploymentConfig.RollingUpdatePolicy"
ROLLING = "ROLLING"  # routing= value selecting a RollingUpdatePolicy instead of blue/green
Counts = Tuple[int, ...]


@functools.lru_cache(maxsize=None)
def _bounds(member: str) -> Tuple[int, int]:
    metadata = model.member_shape(_OP, member).metadata
    return metadata.get("min", 0), metadata.get("max", 2**31 - 1)


@functools.lru_cache(maxsize=None)
def routing_types() -> Tuple[str, ...]:
    return tuple(model.member_shape(_OP, _TRC + ".Type").enum)


@functools.lru_cache(maxsize=None)
def capacity_types() -> Tuple[str, ...]:
    return tuple(model.member_shape(_OP, _TRC + ".CanarySize.Type").enum)


def _integers(member: str, low: Optional[int] = None, high: Optional[int] = None) -> st.SearchStrategy[int]:
    schema_low, schema_high = _bounds(member)
    return st.integers(max(schema_low, low if low is not None else schema_low),
                       min(schema_high, high if high is not None else schema_high))


def _size_range(kind: str, low_percent: int, high_percent: int, counts: Counts) -> Optional[Tuple[int, int]]:
    """Values of a CapacitySize of ``kind`` within [low%, high%] of every count in ``counts``; None if empty."""
    value_min = _bounds(_TRC + ".CanarySize.Value")[0]
    if kind == "CAPACITY_PERCENT":
        low, high = low_percent, high_percent
    else:  # integer arithmetic: the boundaries are exact
        low = max(-(-low_percent * count // 100) for count in counts)
        high = min(high_percent * count // 100 for count in counts)
    low = max(low, value_min)
    return (low, high) if low <= high else None


def _sizes(low_percent: int, high_percent: int, counts: Counts) -> st.SearchStrategy[dict]:
    options = []
    for kind in capacity_types():
        span = _size_range(kind, low_percent, high_percent, counts)
        if span:
            options.append(st.integers(*span).map(lambda value, kind=kind: {"Type": kind, "Value": value}))
    if not options:
        raise ValueError(f"no capacity size within {low_percent}-{high_percent}% of {counts} instances")
    return st.one_of(options)


def _outside_sizes(low_percent: int, high_percent: int, counts: Counts) -> st.SearchStrategy[dict]:
    """CapacitySizes (schema-valid) below low% or above high% of at least one count in ``counts``."""
    value_min = _bounds(_TRC + ".CanarySize.Value")[0]
    options = []
    for kind in capacity_types():
        scales = (100,) if kind == "CAPACITY_PERCENT" else counts
        below_max = max(-(-low_percent * scale // 100) for scale in scales) - 1  # strictly below low% somewhere
        above_min = min(high_percent * scale // 100 for scale in scales) + 1  # strictly above high% somewhere
        if below_max >= value_min:
            options.append(st.integers(value_min, below_max).map(lambda v, kind=kind: {"Type": kind, "Value": v}))
        top = max(above_min, 2 * max(scales))
        options.append(st.integers(above_min, top).map(lambda v, kind=kind: {"Type": kind, "Value": v}))
    return st.one_of(options)


def _canary_feasible(counts: Counts) -> bool:
    return any(_size_range(kind, 0, 50, counts) for kind in capacity_types())


@st.composite
def _traffic_routing(draw, routing: str, counts: Counts, wait: Optional[int] = None) -> dict:
    config = {"Type": routing,
              "WaitIntervalInSeconds": wait if wait is not None else draw(_integers(_TRC + ".WaitIntervalInSeconds"))}
    if routing == "CANARY":
        config["CanarySize"] = draw(_sizes(0, 50, counts))
    elif routing == "LINEAR":
        config["LinearStepSize"] = draw(_sizes(10, 50, counts))
    return config


@st.composite
def _blue_green(draw, routing: str, counts: Counts) -> dict:
    traffic = draw(_traffic_routing(routing, counts))
    policy = {"TrafficRoutingConfiguration": traffic}
    termination = draw(st.none() | _integers(_BG + ".TerminationWaitInSeconds"))
    if termination is not None:
        policy["TerminationWaitInSeconds"] = termination
    if draw(st.booleans()):  # documented: larger than TerminationWait + WaitInterval
        waits = (termination or 0) + traffic["WaitIntervalInSeconds"]
        policy["MaximumExecutionTimeoutInSeconds"] = draw(_integers(_BG + ".MaximumExecutionTimeoutInSeconds",
                                                                    low=waits + 1))
    return policy


@st.composite
def _rolling(draw, counts: Counts) -> dict:
    policy = {"MaximumBatchSize": draw(_sizes(5, 50, counts)),
              "WaitIntervalInSeconds": draw(_integers(_ROLL + ".WaitIntervalInSeconds"))}
    if draw(st.booleans()):
        policy["MaximumExecutionTimeoutInSeconds"] = draw(_integers(_ROLL + ".MaximumExecutionTimeoutInSeconds"))
    if draw(st.booleans()):  # undocumented bounds beyond "default 100% of total capacity": stay within it
        policy["RollbackMaximumBatchSize"] = draw(_sizes(1, 100, counts))
    return policy


def _alarm_names_strategy(alarm_names: Optional[Sequence[str]]) -> Optional[st.SearchStrategy]:
    low, high = model.member_shape(_OP, "DeploymentConfig.AutoRollbackConfiguration.Alarms").metadata["min"], \
        model.member_shape(_OP, "DeploymentConfig.AutoRollbackConfiguration.Alarms").metadata["max"]
    if alarm_names is not None:
        names = list(dict.fromkeys(alarm_names))
        if not names:
            return None
        return st.lists(st.sampled_from(names), min_size=low, max_size=min(high, len(names)), unique=True)
    name_low, name_high = _bounds("DeploymentConfig.AutoRollbackConfiguration.Alarms.AlarmName")
    # AlarmName pattern (?!\s*$).+ : not blank, no line terminators.
    alphabet = st.characters(categories=("L", "N", "P", "S", "Zs"))
    name = st.text(alphabet, min_size=max(1, name_low), max_size=min(name_high, 40)).filter(lambda s: s.strip())
    return st.lists(name, min_size=low, max_size=min(high, 3), unique=True)


def _routings(routing: Optional[str], counts: Counts) -> Tuple[str, ...]:
    feasible = [r for r in routing_types() if r == "ALL_AT_ONCE" or _canary_feasible(counts)]
    feasible += [ROLLING] if _size_range("CAPACITY_PERCENT", 5, 50, counts) else []
    if routing is None:
        return tuple(feasible)
    if routing not in feasible:
        raise ValueError(f"routing {routing!r} is not one of {feasible} for {counts} instance(s)")
    return (routing,)


@st.composite
def _valid_config(draw, counts: Counts, routing: Optional[str], alarm_names: Optional[Sequence[str]]) -> dict:
    choices = _routings(routing, counts)
    chosen = draw(st.sampled_from(choices + ((None,) if routing is None else ())))
    config: dict = {}
    if chosen == ROLLING:
        config["RollingUpdatePolicy"] = draw(_rolling(counts))
    elif chosen is not None:
        config["BlueGreenUpdatePolicy"] = draw(_blue_green(chosen, counts))
    alarms = _alarm_names_strategy(alarm_names)
    if alarms is not None and (draw(st.booleans()) or chosen is None):
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": n} for n in draw(alarms)]}
    return config


@st.composite
def _invalid_config(draw, counts: Counts, routing: Optional[str], alarm_names: Optional[Sequence[str]]):
    kinds = ["canary-missing", "linear-missing", "timeout", "single-policy", "canary-big", "linear-out",
             "rolling-out", "wait-max", "timeout-min", "routing-enum", "routing-wait-missing"]
    if alarm_names:
        kinds.append("alarm-unknown")
    if routing is not None:  # keep to the caller's routing where a variant allows it
        related = {"CANARY": {"canary-missing", "canary-big"}, "LINEAR": {"linear-missing", "linear-out"},
                   ROLLING: {"rolling-out", "single-policy"}, "ALL_AT_ONCE": {"timeout", "wait-max", "timeout-min"}}
        kinds = [k for k in kinds if k in related.get(routing, set())] or kinds
    kind = draw(st.sampled_from(kinds))
    bg = ("DeploymentConfig", "BlueGreenUpdatePolicy")
    trc = bg + ("TrafficRoutingConfiguration",)
    all_at_once = {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE",
                                                   "WaitIntervalInSeconds": draw(_integers(_TRC + ".WaitIntervalInSeconds"))}}

    def wrap(config: dict, path: tuple, constraint: str) -> InvalidPayload:
        return InvalidPayload({"DeploymentConfig": config}, path, constraint)

    if kind == "canary-missing":
        return wrap({"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": draw(_traffic_routing("ALL_AT_ONCE", counts)) | {"Type": "CANARY"}}},
                    trc + ("CanarySize",), "deployment.canary-size-required")
    if kind == "linear-missing":
        return wrap({"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": draw(_traffic_routing("ALL_AT_ONCE", counts)) | {"Type": "LINEAR"}}},
                    trc + ("LinearStepSize",), "deployment.linear-step-size-required")
    if kind == "canary-big":
        traffic = {"Type": "CANARY", "WaitIntervalInSeconds": draw(_integers(_TRC + ".WaitIntervalInSeconds")),
                   "CanarySize": draw(_outside_sizes(0, 50, counts))}
        return wrap({"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": traffic}},
                    trc + ("CanarySize", "Value"), "deployment.canary-size-at-most-half")
    if kind == "linear-out":
        traffic = {"Type": "LINEAR", "WaitIntervalInSeconds": draw(_integers(_TRC + ".WaitIntervalInSeconds")),
                   "LinearStepSize": draw(_outside_sizes(10, 50, counts))}
        return wrap({"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": traffic}},
                    trc + ("LinearStepSize", "Value"), "deployment.linear-step-size-10-to-50-percent")
    if kind == "rolling-out":
        policy = {"MaximumBatchSize": draw(_outside_sizes(5, 50, counts)),
                  "WaitIntervalInSeconds": draw(_integers(_ROLL + ".WaitIntervalInSeconds"))}
        return wrap({"RollingUpdatePolicy": policy}, ("DeploymentConfig", "RollingUpdatePolicy", "MaximumBatchSize",
                                                      "Value"), "deployment.rolling-batch-size-5-to-50-percent")
    if kind == "timeout":
        timeout_low = _bounds(_BG + ".MaximumExecutionTimeoutInSeconds")[0]
        wait = draw(_integers(_TRC + ".WaitIntervalInSeconds"))
        termination = draw(_integers(_BG + ".TerminationWaitInSeconds", low=max(0, timeout_low - wait)))
        timeout = draw(_integers(_BG + ".MaximumExecutionTimeoutInSeconds", high=wait + termination))
        policy = {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": wait},
                  "TerminationWaitInSeconds": termination, "MaximumExecutionTimeoutInSeconds": timeout}
        return wrap({"BlueGreenUpdatePolicy": policy}, bg + ("MaximumExecutionTimeoutInSeconds",),
                    "deployment.timeout-exceeds-waits")
    if kind == "single-policy":
        chosen = draw(st.sampled_from([r for r in _routings(None, counts) if r != ROLLING]))
        rolling_ok = _size_range("CAPACITY_PERCENT", 5, 50, counts) is not None
        config = {"BlueGreenUpdatePolicy": draw(_blue_green(chosen, counts)),
                  "RollingUpdatePolicy": draw(_rolling(counts)) if rolling_ok else {}}
        return wrap(config, ("DeploymentConfig", "RollingUpdatePolicy"), "deployment.single-update-policy")
    if kind == "alarm-unknown":
        known = set(alarm_names or ())
        unknown = draw(st.text("abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=20).filter(
            lambda n: n not in known))
        alarms = [{"AlarmName": n} for n in draw(_alarm_names_strategy(alarm_names))][:9]
        index = draw(st.integers(0, len(alarms)))
        alarms.insert(index, {"AlarmName": unknown})
        return wrap({"AutoRollbackConfiguration": {"Alarms": alarms}},
                    ("DeploymentConfig", "AutoRollbackConfiguration", "Alarms", index, "AlarmName"),
                    "deployment.alarms-exist")
    if kind == "wait-max":  # no timeout given, so the waits rule cannot fire
        policy = {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE",
                                                  "WaitIntervalInSeconds": _bounds(_TRC + ".WaitIntervalInSeconds")[1]
                                                  + draw(st.integers(1, 100))}}
        return wrap({"BlueGreenUpdatePolicy": policy}, trc + ("WaitIntervalInSeconds",), Constraint.MAX.value)
    if kind == "timeout-min":
        timeout = _bounds(_BG + ".MaximumExecutionTimeoutInSeconds")[0] - draw(st.integers(1, 100))
        wait = draw(_integers(_TRC + ".WaitIntervalInSeconds", high=max(0, timeout - 1)))
        policy = {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": wait},
                  "MaximumExecutionTimeoutInSeconds": timeout}
        return wrap({"BlueGreenUpdatePolicy": policy}, bg + ("MaximumExecutionTimeoutInSeconds",),
                    Constraint.MIN.value)
    if kind == "routing-enum":
        bogus = draw(st.sampled_from(["BLUE_GREEN", "all_at_once", "Canary", "ROLLING", "STEP"]))
        policy = {"TrafficRoutingConfiguration": dict(all_at_once["TrafficRoutingConfiguration"], Type=bogus)}
        return wrap({"BlueGreenUpdatePolicy": policy}, trc + ("Type",), Constraint.ENUM.value)
    # routing-wait-missing: WaitIntervalInSeconds is required in TrafficRoutingConfiguration
    return wrap({"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE"}}},
                trc + ("WaitIntervalInSeconds",), Constraint.REQUIRED.value)


def deployment_configs(instance_count: Union[int, Sequence[int]] = 2, *, valid: bool = True,
                       routing: Optional[str] = None, alarm_names: Optional[Sequence[str]] = None) -> st.SearchStrategy:
    """DeploymentConfig for variants of ``instance_count`` instances.

    instance_count: one count, or the counts of every variant the deployment runs on (valid
    configs then satisfy each size rule for all of them; invalid ones break it for at least one).
    routing: None (any, including no update policy), "ALL_AT_ONCE" / "CANARY" / "LINEAR"
    (BlueGreenUpdatePolicy with that traffic routing) or "ROLLING" (RollingUpdatePolicy).
    alarm_names: names of CloudWatch alarms AutoRollbackConfiguration may use (e.g. alarms a machine
    created); None draws arbitrary names, [] never adds alarms. With valid=False and alarm names
    given, one variant names an alarm outside them (rule ``deployment.alarms-exist``).
    """
    counts = (instance_count,) if isinstance(instance_count, int) else tuple(instance_count)
    if not counts or any(not isinstance(c, int) or c < 1 for c in counts):
        raise ValueError(f"instance counts must be integers >= 1, got {instance_count!r}")
    if valid:
        _routings(routing, counts)  # fail at definition time, with the reason
        return _valid_config(counts, routing, alarm_names)
    return _invalid_config(counts, routing, alarm_names)


__all__ = ["deployment_configs", "routing_types", "capacity_types", "ROLLING"]
