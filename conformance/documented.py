"""Documented cross-field rules: what the botocore documentation states beyond the JSON schema.

Each rule is a pure check over a request payload returning ``Violation``s whose
``constraint`` is a stable documented-rule id and whose ``message`` reads like
the ValidationException AWS would send. ``DOCUMENTED_RULES`` maps every id to
``(operation, member, statement)``: the input member whose documentation (in the
installed botocore) states the rule. ``citation_text(rule_id)`` returns that text.

Schema constraints (types, bounds, enums, patterns, list sizes) belong to
``conformance.shapes``; nothing here repeats them, and a rule stays silent about members
the schema already rejects (so a payload breaking one schema constraint breaks nothing here).

Choices where the docs are silent are written down next to the rule, never hidden.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from fractions import Fraction
from typing import Any, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from conformance import model
from conformance.violation import Path, Violation


class DocumentedRule(NamedTuple):
    operation: str
    member: str
    statement: str


_BG = "DeploymentConfig.BlueGreenUpdatePolicy"
_TRC = _BG + ".TrafficRoutingConfiguration"
_ROLL = "DeploymentConfig.RollingUpdatePolicy"
_FILTER = "SearchExpression.Filters"

DOCUMENTED_RULES: Dict[str, DocumentedRule] = {
    # --- deployments (CreateEndpoint and UpdateEndpoint share DeploymentConfig) ---
    "deployment.single-update-policy": DocumentedRule(
        "UpdateEndpoint", _BG,
        "A DeploymentConfig uses at most one update policy: BlueGreenUpdatePolicy or RollingUpdatePolicy."),
    "deployment.canary-size-required": DocumentedRule(
        "UpdateEndpoint", _TRC + ".Type",
        "CANARY traffic routing needs a CanarySize (the size of its first step)."),
    "deployment.linear-step-size-required": DocumentedRule(
        "UpdateEndpoint", _TRC + ".Type",
        "LINEAR traffic routing needs a LinearStepSize (the size of each of its steps)."),
    "deployment.canary-size-at-most-half": DocumentedRule(
        "UpdateEndpoint", _TRC + ".CanarySize",
        "CanarySize is at most 50% of the variant's total instance count."),
    "deployment.linear-step-size-10-to-50-percent": DocumentedRule(
        "UpdateEndpoint", _TRC + ".LinearStepSize",
        "LinearStepSize is 10-50% of the variant's total instance count."),
    "deployment.timeout-exceeds-waits": DocumentedRule(
        "UpdateEndpoint", _BG + ".MaximumExecutionTimeoutInSeconds",
        "BlueGreen MaximumExecutionTimeoutInSeconds is larger than TerminationWaitInSeconds + WaitIntervalInSeconds."),
    "deployment.rolling-batch-size-5-to-50-percent": DocumentedRule(
        "UpdateEndpoint", _ROLL + ".MaximumBatchSize",
        "RollingUpdatePolicy MaximumBatchSize is between 5% and 50% of the variant's total instance count."),
    "deployment.alarms-exist": DocumentedRule(
        "UpdateEndpoint", "DeploymentConfig.AutoRollbackConfiguration.Alarms",
        "AutoRollbackConfiguration names CloudWatch alarms that exist in the caller's account."),
    # --- UpdateEndpoint retention options ---
    "update.exclude-requires-retain-all": DocumentedRule(
        "UpdateEndpoint", "ExcludeRetainedVariantProperties",
        "ExcludeRetainedVariantProperties applies only when RetainAllVariantProperties is true."),
    "update.data-capture-config-not-supported": DocumentedRule(
        "UpdateEndpoint", "ExcludeRetainedVariantProperties.VariantPropertyType",
        "VariantPropertyType DataCaptureConfig is not currently supported."),
    "update.retain-deployment-config-conflicts-with-new": DocumentedRule(
        "UpdateEndpoint", "RetainDeploymentConfig",
        "RetainDeploymentConfig=true reuses the last deployment configuration, so a new DeploymentConfig conflicts."),
    # --- search ---
    "search.expression-not-empty": DocumentedRule(
        "Search", "SearchExpression",
        "Every SearchExpression has at least one subexpression, filter, or nested filter."),
    "search.at-most-50-elements": DocumentedRule(
        "Search", "SearchExpression",
        "A SearchExpression holds at most 50 SubExpressions, NestedFilters and Filters, counted recursively."),
    "search.contains-at-most-once": DocumentedRule(
        "Search", _FILTER + ".Operator",
        "A SearchExpression uses the Contains operator at most once, except on the documented multi-Contains names."),
    "search.operator-not-for-text": DocumentedRule(
        "Search", _FILTER + ".Operator",
        "GreaterThan, GreaterThanOrEqualTo, LessThan and LessThanOrEqualTo are not supported for text properties."),
    "search.operator-only-for-text": DocumentedRule(
        "Search", _FILTER + ".Operator",
        "In and Contains are only supported for text properties."),
    "search.numeric-value": DocumentedRule(
        "Search", _FILTER + ".Value",
        "For numerical properties, Value is an integer or floating-point decimal."),
    "search.timestamp-value": DocumentedRule(
        "Search", _FILTER + ".Value",
        "For timestamp properties, Value is an ISO 8601 date-time YYYY-mm-dd'T'HH:MM:SS."),
    "search.valid-property-name": DocumentedRule(
        "Search", _FILTER + ".Name",
        "Filter names, NestedPropertyName and SortBy name valid properties of the searched resource (SearchRecord)."),
    "search.visibility-key-is-a-tag": DocumentedRule(
        "Search", "VisibilityConditions.Key",
        "A VisibilityConditions Key has the format Tags.<key>."),
    # --- tags ---
    "tags.unique-keys": DocumentedRule(
        "AddTags", "Tags.Key",
        "Tag keys are unique per resource: one request never repeats a key."),
    "tags.at-most-50-per-resource": DocumentedRule(
        "AddTags", "Tags",
        "A resource holds at most 50 tags, counting the keys it already has."),
    "tags.reserved-aws-prefix": DocumentedRule(
        "AddTags", "Tags",
        "Tag keys starting with the reserved prefix aws: cannot be added (Tagging Amazon Web Services Resources)."),
}

# The phrase (or model bound) in the cited documentation that states each rule; tests check it is there.
EVIDENCE: Dict[str, str] = {
    "deployment.single-update-policy": "Only one update policy should be used",
    "deployment.canary-size-required": "The first step is the canary",
    "deployment.linear-step-size-required": "n steps of a configurable size",
    "deployment.canary-size-at-most-half": "less than or equal to 50% of the variant's total instance count",
    "deployment.linear-step-size-10-to-50-percent": "must be 10-50% of the variant's total instance count",
    "deployment.timeout-exceeds-waits": "should be larger than the total waiting time",
    "deployment.rolling-batch-size-5-to-50-percent": "between 5% to 50% of the variant's total instance count",
    "deployment.alarms-exist": "CloudWatch alarms in your account",
    "update.exclude-requires-retain-all": "whose value is set to true",
    "update.data-capture-config-not-supported": "DataCaptureConfig : (Not currently supported.)",
    "update.retain-deployment-config-conflicts-with-new": "reuse the last deployment configuration",
    "search.expression-not-empty": "You must provide at least one subexpression, filter, or nested filter",
    "search.at-most-50-elements": "that can be included in a SearchExpression object is 50",
    "search.contains-at-most-once": "can include only one Contains operator",
    "search.operator-not-for-text": "Not supported for text properties",
    "search.operator-only-for-text": "Only supported for text properties",
    "search.numeric-value": "Value must be an integer or floating-point decimal",
    "search.timestamp-value": "YYYY-mm-dd'T'HH:MM:SS",
    "search.valid-property-name": "You must specify a valid property for the resource",
    "search.visibility-key-is-a-tag": "It must be in the following format: Tags.<key>",
    "tags.unique-keys": "Tag keys must be unique per resource",
    "tags.at-most-50-per-resource": "max=50",
    "tags.reserved-aws-prefix": "Tagging Amazon Web Services Resources",
}


def citation_text(rule_id: str) -> str:
    """The documentation that states ``rule_id``: the cited member's, then its shape's own, then model bounds."""
    rule = DOCUMENTED_RULES[rule_id]
    shape = model.member_shape(rule.operation, rule.member)
    parts = [model.documentation(rule.operation, rule.member)]
    target = shape
    while target.type_name == "list":
        target = target.member
    own = model.plain_text(model.service_model().shape_for(target.name).documentation)
    if own and own not in parts:
        parts.append(own)
    bounds = " ".join(f"{k}={v}" for k, v in sorted(shape.metadata.items()) if k in ("min", "max"))
    if bounds:
        parts.append(f"[{shape.name}: {bounds}]")
    return " ".join(parts)


def _v(path: Path, rule_id: str, message: str) -> Violation:
    return Violation(tuple(path), rule_id, message)


# ---------------------------------------------------------------- deployments

@functools.lru_cache(maxsize=None)
def _schema_bounds(member: str) -> Tuple[float, float]:
    metadata = model.member_shape("UpdateEndpoint", member).metadata
    return metadata.get("min", float("-inf")), metadata.get("max", float("inf"))


def _schema_int(value: Any, member: str) -> bool:
    """An integer the schema accepts at ``member``; other values are the schema's to report, not ours."""
    low, high = _schema_bounds(member)
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _percent_of(size: Mapping, instance_count: int) -> Optional[Fraction]:
    """A CapacitySize as an exact percentage of ``instance_count`` (None when unreadable or out of schema bounds)."""
    kind, value = size.get("Type"), size.get("Value")
    if not _schema_int(value, _TRC + ".CanarySize.Value"):
        return None
    if kind == "CAPACITY_PERCENT":
        return Fraction(value)
    if kind == "INSTANCE_COUNT" and instance_count > 0:
        return Fraction(100 * value, instance_count)
    return None


def _size_text(size: Mapping) -> str:
    return f"{size.get('Value')} ({size.get('Type')})"


def deployment_config_violations(deployment_config: Mapping, instance_count: Optional[int]) -> List[Violation]:
    """Documented cross-field rules of one ``DeploymentConfig``.

    ``instance_count`` is the total instance count of the variant the deployment runs on
    (None: unknown, e.g. serverless; size-percentage rules are then skipped). Paths start
    with ``"DeploymentConfig"``. Rules whose members are missing are left to the schema.
    """
    out: List[Violation] = []
    if not isinstance(deployment_config, Mapping):
        return out
    root = ("DeploymentConfig",)
    blue_green = deployment_config.get("BlueGreenUpdatePolicy")
    rolling = deployment_config.get("RollingUpdatePolicy")
    if blue_green is not None and rolling is not None:
        out.append(_v(root + ("RollingUpdatePolicy",), "deployment.single-update-policy",
                      "Only one of BlueGreenUpdatePolicy and RollingUpdatePolicy can be specified in DeploymentConfig."))
    if isinstance(blue_green, Mapping):
        out.extend(_blue_green_violations(blue_green, instance_count, root + ("BlueGreenUpdatePolicy",)))
    if isinstance(rolling, Mapping):
        out.extend(_rolling_violations(rolling, instance_count, root + ("RollingUpdatePolicy",)))
    return out


def _blue_green_violations(policy: Mapping, instance_count: Optional[int], path: Path) -> List[Violation]:
    out: List[Violation] = []
    routing = policy.get("TrafficRoutingConfiguration")
    if isinstance(routing, Mapping):
        rpath = path + ("TrafficRoutingConfiguration",)
        kind = routing.get("Type")
        # Sizes a routing type does not use are undocumented: neither flagged nor generated.
        if kind == "CANARY":
            size = routing.get("CanarySize")
            if size is None:
                out.append(_v(rpath + ("CanarySize",), "deployment.canary-size-required",
                              "CanarySize must be specified when TrafficRoutingConfiguration Type is CANARY."))
            elif isinstance(size, Mapping) and instance_count is not None:
                percent = _percent_of(size, instance_count)
                if percent is not None and percent > 50:
                    out.append(_v(rpath + ("CanarySize", "Value"), "deployment.canary-size-at-most-half",
                                  f"CanarySize {_size_text(size)} must be less than or equal to 50% of the "
                                  f"variant's total instance count ({instance_count})."))
        if kind == "LINEAR":
            size = routing.get("LinearStepSize")
            if size is None:
                out.append(_v(rpath + ("LinearStepSize",), "deployment.linear-step-size-required",
                              "LinearStepSize must be specified when TrafficRoutingConfiguration Type is LINEAR."))
            elif isinstance(size, Mapping) and instance_count is not None:
                percent = _percent_of(size, instance_count)
                if percent is not None and not 10 <= percent <= 50:
                    out.append(_v(rpath + ("LinearStepSize", "Value"), "deployment.linear-step-size-10-to-50-percent",
                                  f"LinearStepSize {_size_text(size)} must be 10-50% of the variant's total "
                                  f"instance count ({instance_count})."))
    timeout = policy.get("MaximumExecutionTimeoutInSeconds")
    termination = policy.get("TerminationWaitInSeconds", 0)  # documented default 0
    interval = routing.get("WaitIntervalInSeconds", 0) if isinstance(routing, Mapping) else 0
    if (_schema_int(timeout, _BG + ".MaximumExecutionTimeoutInSeconds")
            and _schema_int(termination, _BG + ".TerminationWaitInSeconds")
            and _schema_int(interval, _TRC + ".WaitIntervalInSeconds")):
        if timeout <= termination + interval:
            out.append(_v(path + ("MaximumExecutionTimeoutInSeconds",), "deployment.timeout-exceeds-waits",
                          f"MaximumExecutionTimeoutInSeconds ({timeout}) must be larger than the total waiting time "
                          f"TerminationWaitInSeconds + WaitIntervalInSeconds ({termination} + {interval})."))
    return out


def _rolling_violations(policy: Mapping, instance_count: Optional[int], path: Path) -> List[Violation]:
    out: List[Violation] = []
    size = policy.get("MaximumBatchSize")
    if isinstance(size, Mapping) and instance_count is not None:
        percent = _percent_of(size, instance_count)
        if percent is not None and not 5 <= percent <= 50:
            out.append(_v(path + ("MaximumBatchSize", "Value"), "deployment.rolling-batch-size-5-to-50-percent",
                          f"MaximumBatchSize {_size_text(size)} must be between 5% and 50% of the variant's "
                          f"total instance count ({instance_count})."))
    return out


def alarm_violations(deployment_config: Mapping, alarm_names: Iterable[str]) -> List[Violation]:
    """Alarms named in AutoRollbackConfiguration that are not among ``alarm_names``."""
    known = set(alarm_names)
    rollback = deployment_config.get("AutoRollbackConfiguration") if isinstance(deployment_config, Mapping) else None
    alarms = rollback.get("Alarms") if isinstance(rollback, Mapping) else None
    out = []
    for index, alarm in enumerate(alarms if isinstance(alarms, list) else []):
        name = alarm.get("AlarmName") if isinstance(alarm, Mapping) else None
        if isinstance(name, str) and name not in known:
            out.append(_v(("DeploymentConfig", "AutoRollbackConfiguration", "Alarms", index, "AlarmName"),
                          "deployment.alarms-exist", f"CloudWatch alarm {name!r} does not exist."))
    return out


def update_endpoint_violations(payload: Mapping) -> List[Violation]:
    """UpdateEndpoint's retention options (RetainAllVariantProperties, ExcludeRetained…, RetainDeploymentConfig)."""
    out: List[Violation] = []
    excluded = payload.get("ExcludeRetainedVariantProperties")
    if excluded and payload.get("RetainAllVariantProperties") is not True:
        out.append(_v(("ExcludeRetainedVariantProperties",), "update.exclude-requires-retain-all",
                      "ExcludeRetainedVariantProperties can only be specified when RetainAllVariantProperties "
                      "is set to true."))
    for index, item in enumerate(excluded if isinstance(excluded, list) else []):
        if isinstance(item, Mapping) and item.get("VariantPropertyType") == "DataCaptureConfig":
            out.append(_v(("ExcludeRetainedVariantProperties", index, "VariantPropertyType"),
                          "update.data-capture-config-not-supported",
                          "VariantPropertyType DataCaptureConfig is not currently supported."))
    if payload.get("RetainDeploymentConfig") is True and payload.get("DeploymentConfig") is not None:
        out.append(_v(("RetainDeploymentConfig",), "update.retain-deployment-config-conflicts-with-new",
                      "DeploymentConfig cannot be specified when RetainDeploymentConfig is set to true."))
    return out


def effective_instance_counts(update_payload: Mapping, new_counts: Sequence[Optional[int]],
                              current_counts: Sequence[Optional[int]]) -> List[Optional[int]]:
    """Instance counts an UpdateEndpoint deploys with: the endpoint's current ones when it retains them
    (RetainAllVariantProperties true without DesiredInstanceCount excluded), else the new config's."""
    excluded = {item.get("VariantPropertyType") for item in update_payload.get("ExcludeRetainedVariantProperties") or []
                if isinstance(item, Mapping)}
    if update_payload.get("RetainAllVariantProperties") is True and "DesiredInstanceCount" not in excluded:
        return list(current_counts)
    return list(new_counts)


# --------------------------------------------------------------------- search

@functools.lru_cache(maxsize=None)
def _contains_doc() -> Tuple[Tuple[str, ...], str]:
    """(names that may use Contains repeatedly, the exact error message), read from the Operator documentation."""
    text = model.documentation("Search", _FILTER + ".Operator")
    listed = re.search(r"one of the following:(.*?)A SearchExpression can include only one", text)
    message = re.search(r'error message:\s*"\s*(.+?)\s*"', text)
    if not listed or not message:
        raise RuntimeError("Search Operator documentation no longer states the CONTAINS rule as expected")
    return tuple(listed.group(1).split()), message.group(1)


def contains_exempt_names() -> Tuple[str, ...]:
    return _contains_doc()[0]


def contains_limit_message() -> str:
    """The documented message: 'CONTAINS' operator usage limit of 1 exceeded."""
    return _contains_doc()[1]


def contains_exempt(name: str) -> bool:
    """Documented multi-Contains names; ``X.Tags.<key>``/``X.InputArtifacts.<k>`` count as their listed name."""
    return any(name == exempt or name.startswith(exempt + ".") for exempt in contains_exempt_names())


# Resource types whose property names are checked against their SearchRecord shape. Others (e.g.
# TrainingJob's Metrics.<name> aliases) use names the shape does not spell out.
NAME_CHECKED_RESOURCES = ("Endpoint", "Model")
_TIMESTAMP_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def search_element_count(expression: Mapping) -> int:
    """Filters, NestedFilters (and their Filters) and SubExpressions, counted recursively."""
    count = 0
    for nested in _list(expression.get("NestedFilters")):
        count += 1 + (len(_list(nested.get("Filters"))) if isinstance(nested, Mapping) else 0)
    count += len(_list(expression.get("Filters")))
    for sub in _list(expression.get("SubExpressions")):
        count += 1 + (search_element_count(sub) if isinstance(sub, Mapping) else 0)
    return count


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def iter_filters(expression: Mapping, path: Path = ("SearchExpression",)) -> Iterator[Tuple[Path, Mapping, Optional[str]]]:
    """Every Filter in an expression, depth first, as (path, filter, NestedPropertyName or None)."""
    for index, flt in enumerate(_list(expression.get("Filters"))):
        if isinstance(flt, Mapping):
            yield path + ("Filters", index), flt, None
    for index, nested in enumerate(_list(expression.get("NestedFilters"))):
        if isinstance(nested, Mapping):
            for inner, flt in enumerate(_list(nested.get("Filters"))):
                if isinstance(flt, Mapping):
                    yield path + ("NestedFilters", index, "Filters", inner), flt, nested.get("NestedPropertyName")
    for index, sub in enumerate(_list(expression.get("SubExpressions"))):
        if isinstance(sub, Mapping):
            yield from iter_filters(sub, path + ("SubExpressions", index))


def _iter_expressions(expression: Mapping, path: Path) -> Iterator[Tuple[Path, Mapping]]:
    yield path, expression
    for index, sub in enumerate(_list(expression.get("SubExpressions"))):
        if isinstance(sub, Mapping):
            yield from _iter_expressions(sub, path + ("SubExpressions", index))


def search_violations(request: Mapping) -> List[Violation]:
    """Documented rules of a Search request (limits, CONTAINS-once, operator/value kinds, property names)."""
    out: List[Violation] = []
    if not isinstance(request, Mapping):
        return out
    resource = request.get("Resource")
    expression = request.get("SearchExpression")
    if isinstance(expression, Mapping):
        out.extend(_expression_violations(expression, resource))
    sort_by = request.get("SortBy")
    if resource in NAME_CHECKED_RESOURCES and isinstance(sort_by, str) and _property_kind(resource, sort_by) is None:
        out.append(_v(("SortBy",), "search.valid-property-name",
                      f"'{sort_by}' is not a valid property name for resource type {resource}."))
    for index, condition in enumerate(_list(request.get("VisibilityConditions"))):
        key = condition.get("Key") if isinstance(condition, Mapping) else None
        if isinstance(key, str) and not (key.startswith(VISIBILITY_KEY_PREFIX) and len(key) > len(VISIBILITY_KEY_PREFIX)):
            out.append(_v(("VisibilityConditions", index, "Key"), "search.visibility-key-is-a-tag",
                          f"VisibilityConditions Key '{key}' must be in the format {VISIBILITY_KEY_PREFIX}<key>."))
    return out


VISIBILITY_KEY_PREFIX = "Tags."  # VisibilityConditions.Key documentation: Tags.<key>


def _property_kind(resource: Any, name: str) -> Optional[str]:
    from conformance import search_eval

    return search_eval.property_type(resource, name)


def _expression_violations(expression: Mapping, resource: Any) -> List[Violation]:
    from conformance import search_eval

    out: List[Violation] = []
    root: Path = ("SearchExpression",)
    for path, expr in _iter_expressions(expression, root):
        if not (_list(expr.get("Filters")) or _list(expr.get("NestedFilters")) or _list(expr.get("SubExpressions"))):
            out.append(_v(path, "search.expression-not-empty",
                          "A SearchExpression must contain at least one subexpression, filter, or nested filter."))
    count = search_element_count(expression)
    if count > 50:
        out.append(_v(root, "search.at-most-50-elements",
                      f"The maximum number of SubExpressions, NestedFilters, and Filters that can be included in a "
                      f"SearchExpression object is 50 (found {count})."))
    contains = [path for path, flt, _ in iter_filters(expression)
                if flt.get("Operator") == "Contains" and not contains_exempt(str(flt.get("Name", "")))]
    if len(contains) > 1:
        out.append(_v(contains[1] + ("Operator",), "search.contains-at-most-once", contains_limit_message()))
    if resource in NAME_CHECKED_RESOURCES:
        for path, sub in _iter_expressions(expression, root):
            for index, nested in enumerate(_list(sub.get("NestedFilters"))):
                out.extend(_nested_name_violations(resource, nested, path + ("NestedFilters", index)))
    for path, flt, _ in iter_filters(expression):
        out.extend(_filter_kind_violations(search_eval, resource, flt, path))
    return out


def _nested_name_violations(resource: str, nested: Any, path: Path) -> List[Violation]:
    from conformance import search_eval

    name = nested.get("NestedPropertyName") if isinstance(nested, Mapping) else None
    if isinstance(name, str) and search_eval.property_type(resource, name) is None:
        return [_v(path + ("NestedPropertyName",), "search.valid-property-name",
                   f"'{name}' is not a valid property name for resource type {resource}.")]
    return []


def _filter_kind_violations(search_eval: Any, resource: Any, flt: Mapping, path: Path) -> List[Violation]:
    name, operator, value = flt.get("Name"), flt.get("Operator") or search_eval.DEFAULT_OPERATOR, flt.get("Value")
    if not isinstance(name, str):
        return []
    kind = search_eval.property_type(resource, name)
    if kind is None:
        if resource in NAME_CHECKED_RESOURCES:
            return [_v(path + ("Name",), "search.valid-property-name",
                       f"'{name}' is not a valid property name for resource type {resource}.")]
        return []
    if operator in ("Exists", "NotExists"):
        return []
    if operator in search_eval.ORDERING_OPERATORS and kind == search_eval.TEXT:
        return [_v(path + ("Operator",), "search.operator-not-for-text",
                   f"The {operator} operator is not supported for text property '{name}'.")]
    if operator in search_eval.TEXT_ONLY_OPERATORS and kind in (search_eval.NUMERIC, search_eval.TIMESTAMP,
                                                                search_eval.BOOLEAN):
        return [_v(path + ("Operator",), "search.operator-only-for-text",
                   f"The {operator} operator is only supported for text properties; '{name}' is {kind}.")]
    if not isinstance(value, str):
        return []
    if kind == search_eval.NUMERIC and search_eval.parse_number(value) is None:
        return [_v(path + ("Value",), "search.numeric-value",
                   f"Value '{value}' for numerical property '{name}' must be an integer or floating-point decimal.")]
    if kind == search_eval.TIMESTAMP and not _is_documented_timestamp(value):
        return [_v(path + ("Value",), "search.timestamp-value",
                   f"Value '{value}' for timestamp property '{name}' must be an ISO 8601 date-time of the form "
                   f"YYYY-mm-dd'T'HH:MM:SS.")]
    return []


def _is_documented_timestamp(value: str) -> bool:
    if not _TIMESTAMP_VALUE.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------- tags

RESERVED_TAG_PREFIX = "aws:"


@functools.lru_cache(maxsize=None)
def max_tags_per_resource() -> int:
    return int(model.member_shape("AddTags", "Tags").metadata["max"])


def tag_violations(tags: Any, existing_keys: Iterable[str] = ()) -> List[Violation]:
    """Unique keys in one request, the reserved ``aws:`` prefix (any case), and the per-resource limit
    counting ``existing_keys``. Paths start with ``"Tags"``."""
    out: List[Violation] = []
    if not isinstance(tags, list):
        return out
    seen: set = set()
    for index, tag in enumerate(tags):
        key = tag.get("Key") if isinstance(tag, Mapping) else None
        if not isinstance(key, str):
            continue
        if key in seen:
            out.append(_v(("Tags", index, "Key"), "tags.unique-keys",
                          f"Duplicate tag key '{key}' in the request: tag keys must be unique per resource."))
        seen.add(key)
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            out.append(_v(("Tags", index, "Key"), "tags.reserved-aws-prefix",
                          f"Tag key '{key}' uses the reserved prefix '{RESERVED_TAG_PREFIX}', which is reserved "
                          f"for Amazon Web Services use."))
    limit = max_tags_per_resource()
    existing = set(existing_keys)
    total = len(seen | existing)
    # Only adding a new key can overflow; a longer list already breaks the schema's max.
    if total > limit and seen - existing and len(tags) <= limit:
        out.append(_v(("Tags",), "tags.at-most-50-per-resource",
                      f"Tag limit exceeded: the resource would have {total} tags; the maximum is {limit}."))
    return out


def request_violations(op: str, payload: Mapping, context: Optional[Mapping] = None) -> List[Violation]:
    """Every documented-rule violation of one request.

    ``context`` (all keys optional):
      ``instance_counts``: total instance counts of the variants a CreateEndpoint/UpdateEndpoint deploys
        (see ``effective_instance_counts``); each DeploymentConfig size rule must hold for every variant.
      ``existing_tag_keys``: keys the AddTags target already has.
      ``alarm_names``: CloudWatch alarms that exist (checked only when given).
    """
    context = context or {}
    out: List[Violation] = []
    if not isinstance(payload, Mapping):
        return out
    if op in ("CreateEndpoint", "UpdateEndpoint") and isinstance(payload.get("DeploymentConfig"), Mapping):
        config = payload["DeploymentConfig"]
        counts = list(context.get("instance_counts") or [None])
        for count in counts:
            out.extend(deployment_config_violations(config, count))
        if "alarm_names" in context:
            out.extend(alarm_violations(config, context["alarm_names"]))
    if op == "UpdateEndpoint":
        out.extend(update_endpoint_violations(payload))
    if op == "Search":
        out.extend(search_violations(payload))
    if isinstance(payload.get("Tags"), list) and _takes_tag_list(op):
        existing = context.get("existing_tag_keys", ()) if op == "AddTags" else ()
        out.extend(tag_violations(payload["Tags"], existing_keys=existing))
    return _unique(out)


@functools.lru_cache(maxsize=None)
def _takes_tag_list(op: str) -> bool:
    if op not in model.service_model().operation_names:
        return False
    members = model.operation_model(op).input_shape.members
    return "Tags" in members and members["Tags"].name == "TagList"


def _unique(violations: Iterable[Violation]) -> List[Violation]:
    seen, out = set(), []
    for violation in violations:
        key = (violation.path, violation.constraint)
        if key not in seen:
            seen.add(key)
            out.append(violation)
    return out


__all__ = [
    "DOCUMENTED_RULES", "DocumentedRule", "EVIDENCE", "citation_text", "deployment_config_violations",
    "alarm_violations", "update_endpoint_violations", "effective_instance_counts", "search_violations",
    "tag_violations", "request_violations",
]
