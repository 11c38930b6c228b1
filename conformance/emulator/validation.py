"""The one place every SageMaker request is validated, before any handler runs.

1. Schema: ``conformance.shapes.violations(op, payload)`` (the committed ``shapes/``, which ship
   in the package: one source of truth with the suite).
2. Documented cross-field rules: ``conformance.documented.request_violations(op, payload, context)``,
   with the context the rules need read from the emulator's state (instance counts, tag
   keys, existing alarms).

Either failing answers a ValidationException listing the violations, AWS style.
"""

from __future__ import annotations

from typing import Iterable, List, Optional

from conformance import documented, shapes
from conformance.emulator import protocol
from conformance.emulator.state import ENDPOINT, ENDPOINT_CONFIG, Store
from conformance.violation import Constraint, Violation

# Faults that switch off exactly one documented rule (by its documented-rule id).
FAULT_DISABLES_RULE = {
    "canary-size-unchecked": "deployment.canary-size-at-most-half",
    "linear-step-unchecked": "deployment.linear-step-size-10-to-50-percent",
    "timeout-unchecked": "deployment.timeout-exceeds-waits",
    "tags-limit-unchecked": "tags.at-most-50-per-resource",
    "tags-aws-prefix-allowed": "tags.reserved-aws-prefix",
    "contains-limit-unchecked": "search.contains-at-most-once",
}


def _schema_violations(operation: str, payload: dict) -> List[Violation]:
    return list(shapes.violations(operation, payload))


def _schema_message(violation: Violation) -> str:
    return f"Value at '{violation.json_path}' failed to satisfy constraint {violation.constraint}: {violation.message}"


def _message(violations: Iterable[Violation], schema: bool = False) -> str:
    items = list(violations)
    details = "; ".join(_schema_message(v) if schema else (v.message or str(v)) for v in items)
    noun = "error" if len(items) == 1 else "errors"
    return f"{len(items)} validation {noun} detected: {details}"


def _variant_counts(config_spec: dict) -> List[Optional[int]]:
    return [variant.get("InitialInstanceCount") for variant in config_spec.get("ProductionVariants") or []]


def documented_context(operation: str, payload: dict, store: Store) -> dict:
    """What the documented rules need to know about the state (see ``documented.request_violations``)."""
    context: dict = {}
    if operation in ("CreateEndpoint", "UpdateEndpoint") and isinstance(payload.get("DeploymentConfig"), dict):
        config = store.find(ENDPOINT_CONFIG, payload.get("EndpointConfigName"))
        new_counts = _variant_counts(config.spec) if config else [None]
        if operation == "UpdateEndpoint":
            endpoint = store.find(ENDPOINT, payload.get("EndpointName"))
            current = {v["VariantName"]: v.get("CurrentInstanceCount") for v in (endpoint.variants if endpoint else [])}
            names = [v.get("VariantName") for v in (config.spec.get("ProductionVariants") or [])] if config else []
            new_counts = documented.effective_instance_counts(
                payload, new_counts, [current.get(name, count) for name, count in zip(names, new_counts)] or [None])
        context["instance_counts"] = new_counts
        context["alarm_names"] = store.existing_alarms()
    if operation == "AddTags":
        existing = store.tags.get(payload.get("ResourceArn"), [])
        context["existing_tag_keys"] = [tag["Key"] for tag in existing]
    return context


def check(operation: str, payload: dict, store: Store) -> None:
    """Raise a ValidationException (``protocol.ApiError``) unless ``payload`` is valid in the current state."""
    skip_schema = operation == "CreateEndpointConfig" and store.faults.active("schema-validation-skipped")
    violations = [] if skip_schema else _schema_violations(operation, payload)
    if store.faults.active("enum-values-unchecked"):
        violations = [v for v in violations if str(v.constraint) != Constraint.ENUM.value]
    if violations:
        raise protocol.validation_error(_message(violations, schema=True))
    disabled = {rule for fault, rule in FAULT_DISABLES_RULE.items() if store.faults.active(fault)}
    context = documented_context(operation, payload, store)
    found = [v for v in documented.request_violations(operation, payload, context) if v.constraint not in disabled]
    if found:
        raise protocol.validation_error(_message(found))
