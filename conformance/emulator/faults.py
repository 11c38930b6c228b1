"""The fault catalogue: each fault makes the reference target break exactly one documented behaviour.

It is the suite's self-test (mutation score): run against ``Emulator(fault=NAME)`` (or
``sagemaker-conformance serve --fault NAME``), at least one rule must fail.
"""

from __future__ import annotations

from typing import Optional

from conformance.errors import UsageError

FAULTS = {
    # status transitions
    "skip-creating-state": "CreateEndpoint goes InService at once: Creating is never observable.",
    "skip-deleting-state": "DeleteEndpoint removes the endpoint at once: Deleting is never observable.",
    "status-outside-enum": "DescribeEndpoint reports EndpointStatus 'Pending' (not in the enum) while creating.",
    "failed-without-reason": "An endpoint that fails to deploy ends Failed without a FailureReason.",
    "update-allowed-when-failed": "UpdateEndpoint is accepted on a Failed endpoint (only DeleteEndpoint is allowed).",
    "update-allowed-while-updating": "UpdateEndpoint is accepted while the endpoint is Creating or Updating.",
    "weights-allowed-while-updating": "UpdateEndpointWeightsAndCapacities is accepted while the endpoint is not InService.",
    "names-case-sensitive": "Endpoint, config and model names are unique only case-sensitively.",
    "missing-endpoint-500": "DescribeEndpoint of a missing endpoint answers HTTP 500 instead of a ValidationException.",
    # deployments
    "canary-size-unchecked": "UpdateEndpoint accepts a CanarySize above 50% of the instance count.",
    "linear-step-unchecked": "UpdateEndpoint accepts a LinearStepSize outside 10-50% of the instance count.",
    "timeout-unchecked": "UpdateEndpoint accepts a MaximumExecutionTimeoutInSeconds not larger than the waits.",
    "no-baking-state": "Blue/green deployments never report the Baking variant status.",
    "pending-summary-kept-after-update": "PendingDeploymentSummary is still returned after the update completed.",
    "last-deployment-config-dropped": "LastDeploymentConfig is not returned after an update with a DeploymentConfig.",
    "retain-deployment-config-ignored": "RetainDeploymentConfig=true does not reuse the last DeploymentConfig.",
    "retain-variant-properties-ignored": "RetainAllVariantProperties=true does not keep the current weights and counts.",
    "no-rollback-on-alarm": "An alarm in ALARM during a deployment does not roll it back.",
    "rollback-keeps-new-config": "A rolled-back deployment ends InService on the new EndpointConfig.",
    # validation
    "schema-validation-skipped": "CreateEndpointConfig skips the schema validation of its input.",
    "enum-values-unchecked": "Values outside a member's documented enum are accepted (every operation).",
    "invalid-create-model-persisted": "An invalid CreateModel is rejected, but the model is created anyway.",
    # tags
    "tags-duplicate-on-overwrite": "AddTags with an existing key appends a duplicate instead of overwriting.",
    "tags-limit-unchecked": "AddTags does not enforce the 50-tags-per-resource limit.",
    "tags-aws-prefix-allowed": "AddTags accepts keys with the reserved 'aws:' prefix.",
    "delete-absent-tag-error": "DeleteTags of a key the resource does not have answers an error.",
    "creation-tags-dropped": "Tags given to CreateEndpoint are not stored (ListTags does not list them).",
    # search
    "search-ignores-nested-filters": "Search ignores NestedFilters (they match everything).",
    "contains-limit-unchecked": "Search accepts more than one Contains operator per request.",
    "sort-order-ignored": "Search ignores SortOrder (always Descending).",
    "search-default-operator-contains": "Search treats a Filter without Operator as Contains instead of Equals.",
    "search-pagination-repeats": "Search pagination repeats the last result of a page on the next page.",
}


class Faults:
    """The active fault of one emulator (or none)."""

    def __init__(self, name: Optional[str] = None) -> None:
        if name is not None and name not in FAULTS:
            raise UsageError(f"unknown fault {name!r}; run 'sagemaker-conformance serve --list-faults'")
        self.name = name

    def active(self, name: str) -> bool:
        assert name in FAULTS, name  # a typo here would silently disable a fault
        return self.name == name


def listing() -> str:
    width = max(len(name) for name in FAULTS)
    return "\n".join(f"{name.ljust(width)}  {description}" for name, description in FAULTS.items())
