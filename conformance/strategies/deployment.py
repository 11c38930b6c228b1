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
    low, high = _bounds("DeploymentConfig.AutoRollbackConfiguration.Alarms")
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
    # Percentages make every routing feasible for any count; kept general should the rules change.
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


# ------------------------------------------------------------ invalid variants
# Each builder draws (DeploymentConfig, path, label) breaking exactly that label; paths start at the request root.
_BG_PATH = ("DeploymentConfig", "BlueGreenUpdatePolicy")
_TRC_PATH = _BG_PATH + ("TrafficRoutingConfiguration",)


def _wait(draw, high: Optional[int] = None) -> int:
    return draw(_integers(_TRC + ".WaitIntervalInSeconds", high=high))


def _bg(traffic: dict, **policy) -> dict:
    return {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": traffic, **policy}}


@st.composite
def _size_missing(draw, counts: Counts, routing: str):
    member, label = {"CANARY": ("CanarySize", "deployment.canary-size-required"),
                     "LINEAR": ("LinearStepSize", "deployment.linear-step-size-required")}[routing]
    return _bg({"Type": routing, "WaitIntervalInSeconds": _wait(draw)}), _TRC_PATH + (member,), label


@st.composite
def _size_outside(draw, counts: Counts, routing: str):
    member, low, high, label = {
        "CANARY": ("CanarySize", 0, 50, "deployment.canary-size-at-most-half"),
        "LINEAR": ("LinearStepSize", 10, 50, "deployment.linear-step-size-10-to-50-percent")}[routing]
    traffic = {"Type": routing, "WaitIntervalInSeconds": _wait(draw), member: draw(_outside_sizes(low, high, counts))}
    return _bg(traffic), _TRC_PATH + (member, "Value"), label


@st.composite
def _rolling_outside(draw, counts: Counts):
    policy = {"MaximumBatchSize": draw(_outside_sizes(5, 50, counts)),
              "WaitIntervalInSeconds": draw(_integers(_ROLL + ".WaitIntervalInSeconds"))}
    return ({"RollingUpdatePolicy": policy}, ("DeploymentConfig", "RollingUpdatePolicy", "MaximumBatchSize", "Value"),
            "deployment.rolling-batch-size-5-to-50-percent")


@st.composite
def _timeout_within_waits(draw, counts: Counts):
    timeout_low = _bounds(_BG + ".MaximumExecutionTimeoutInSeconds")[0]
    wait = _wait(draw)
    termination = draw(_integers(_BG + ".TerminationWaitInSeconds", low=max(0, timeout_low - wait)))
    timeout = draw(_integers(_BG + ".MaximumExecutionTimeoutInSeconds", high=wait + termination))
    config = _bg({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": wait},
                 TerminationWaitInSeconds=termination, MaximumExecutionTimeoutInSeconds=timeout)
    return config, _BG_PATH + ("MaximumExecutionTimeoutInSeconds",), "deployment.timeout-exceeds-waits"


@st.composite
def _both_policies(draw, counts: Counts):
    chosen = draw(st.sampled_from(routing_types()))
    config = {"BlueGreenUpdatePolicy": draw(_blue_green(chosen, counts)), "RollingUpdatePolicy": draw(_rolling(counts))}
    return config, ("DeploymentConfig", "RollingUpdatePolicy"), "deployment.single-update-policy"


@st.composite
def _unknown_alarm(draw, counts: Counts, alarm_names: Sequence[str]):
    known = set(alarm_names)
    unknown = draw(st.text("abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=20).filter(
        lambda name: name not in known))
    alarms = [{"AlarmName": name} for name in draw(_alarm_names_strategy(alarm_names))][:9]
    index = draw(st.integers(0, len(alarms)))
    alarms.insert(index, {"AlarmName": unknown})
    return ({"AutoRollbackConfiguration": {"Alarms": alarms}},
            ("DeploymentConfig", "AutoRollbackConfiguration", "Alarms", index, "AlarmName"), "deployment.alarms-exist")


@st.composite
def _wait_above_max(draw, counts: Counts):  # no timeout given, so the waits rule cannot fire as well
    wait = _bounds(_TRC + ".WaitIntervalInSeconds")[1] + draw(st.integers(1, 100))
    return _bg({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": wait}), _TRC_PATH + ("WaitIntervalInSeconds",), \
        Constraint.MAX.value


@st.composite
def _timeout_below_min(draw, counts: Counts):  # waits kept below the timeout
    timeout = _bounds(_BG + ".MaximumExecutionTimeoutInSeconds")[0] - draw(st.integers(1, 100))
    config = _bg({"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": _wait(draw, high=max(0, timeout - 1))},
                 MaximumExecutionTimeoutInSeconds=timeout)
    return config, _BG_PATH + ("MaximumExecutionTimeoutInSeconds",), Constraint.MIN.value


@st.composite
def _routing_type_unknown(draw, counts: Counts):
    bogus = draw(st.sampled_from(["BLUE_GREEN", "all_at_once", "Canary", "ROLLING", "STEP"]))
    return _bg({"Type": bogus, "WaitIntervalInSeconds": _wait(draw)}), _TRC_PATH + ("Type",), Constraint.ENUM.value


def _routing_wait_missing(counts: Counts):
    return st.just((_bg({"Type": "ALL_AT_ONCE"}), _TRC_PATH + ("WaitIntervalInSeconds",), Constraint.REQUIRED.value))


def _variants(counts: Counts, routing: Optional[str], alarm_names: Optional[Sequence[str]]) -> list:
    """(routing the variant is about, strategy) pairs."""
    variants = [
        ("CANARY", _size_missing(counts, "CANARY")), ("CANARY", _size_outside(counts, "CANARY")),
        ("LINEAR", _size_missing(counts, "LINEAR")), ("LINEAR", _size_outside(counts, "LINEAR")),
        (ROLLING, _rolling_outside(counts)), (ROLLING, _both_policies(counts)),
        ("ALL_AT_ONCE", _timeout_within_waits(counts)), ("ALL_AT_ONCE", _wait_above_max(counts)),
        ("ALL_AT_ONCE", _timeout_below_min(counts)), (None, _routing_type_unknown(counts)),
        (None, _routing_wait_missing(counts)),
    ]
    if alarm_names:
        variants.append((None, _unknown_alarm(counts, alarm_names)))
    if routing is not None:  # keep to the caller's routing where variants exist for it
        variants = [v for v in variants if v[0] == routing] or variants
    return [strategy for _, strategy in variants]


def _invalid_config(counts: Counts, routing: Optional[str], alarm_names: Optional[Sequence[str]]):
    return st.one_of(_variants(counts, routing, alarm_names)).map(
        lambda built: InvalidPayload({"DeploymentConfig": built[0]}, built[1], built[2]))


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
