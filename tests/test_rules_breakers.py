"""Every rule is shown to be decided: the suite fails it against a target that breaks exactly it.

A target that breaks a rule is the reference target with one fault of its
catalogue (``reference:FAULT``) or, for rules no fault covers, the clean
reference target behind a small wrapper: botocore event hooks on the target's
client that rewrite one operation's request or answer. Each test runs only the
machine deciding the rule, with only that rule enforced, so the verdict is about
that rule alone; ``test_every_rule_passes_on_the_reference_target`` (in
``test_mutation_score``) shows the same rules pass without the breakage.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable, Dict, Optional

import pytest

from conformance import documented
from conformance.machines import MACHINES, OUTPUT_RULES, run_area
from conformance.model import operation_model
from conformance.recording import Recorder
from conformance.results import Status
from conformance.rules import all_rules
from conformance.rules.validation import INVALID_INPUT_OPERATIONS, OUTPUT_OPERATIONS, invalid_input_rule_id, output_rule_id
from conformance.targets import make_target


# ------------------------------------------------------------------ wrappers
def _request(context) -> dict:
    return context.get("sc-request") or {}


def _hook(target, operation: str, after: Optional[Callable] = None, before: Optional[Callable] = None) -> None:
    """Install hooks on the target's SageMaker client for ``operation``.

    ``before(request) -> request | None`` may rewrite the JSON body; ``after(http, parsed, request)`` may rewrite
    the answer in place (see ``succeed`` / ``fail``)."""
    events = target.client("sagemaker").meta.events

    def remember(params, context, **_kwargs):
        body = params.get("body") or b"{}"
        request = json.loads(body.decode() if isinstance(body, bytes) else body)
        if before is not None:
            changed = before(request)
            if changed is not None:
                request = changed
                params["body"] = json.dumps(request).encode()
        context["sc-request"] = request

    def answered(http_response, parsed, context, **_kwargs):
        if after is not None:
            after(http_response, parsed, _request(context))

    events.register(f"before-call.sagemaker.{operation}", remember)
    events.register(f"after-call.sagemaker.{operation}", answered)


def succeed(http, parsed, **output) -> None:
    """Turn the answer into a success carrying ``output``."""
    http.status_code = 200
    parsed.setdefault("ResponseMetadata", {})["HTTPStatusCode"] = 200
    parsed.pop("Error", None)
    parsed.update(output)


def fail(http, parsed, message="refused by the test wrapper") -> None:
    http.status_code = 400
    parsed.setdefault("ResponseMetadata", {})["HTTPStatusCode"] = 400
    parsed["Error"] = {"Code": "ValidationException", "Message": message}


def accept_rejections(operation: str, when: Callable[[dict], bool] = lambda request: True, **output):
    """The operation accepts requests it should refuse (those ``when`` selects)."""
    def install(target):
        def after(http, parsed, request):
            if http.status_code >= 400 and when(request):
                succeed(http, parsed, **output)
        _hook(target, operation, after=after)
    return install


def rewrite_answer(operation: str, change: Callable[[dict, dict], None]):
    """Successful answers of ``operation`` are changed by ``change(parsed, request)``."""
    def install(target):
        def after(http, parsed, request):
            if http.status_code < 300:
                change(parsed, request)
        _hook(target, operation, after=after)
    return install


def rewrite_request(operation: str, change: Callable[[dict], Optional[dict]]):
    def install(target):
        _hook(target, operation, before=change)
    return install


def _set_status(mapping: Dict[str, str]):
    def change(parsed, _request):
        if parsed.get("EndpointStatus") in mapping:
            parsed["EndpointStatus"] = mapping[parsed["EndpointStatus"]]
    return change


def _rename_variant_statuses(parsed, _request):
    for variant in parsed.get("ProductionVariants") or []:
        for status in variant.get("VariantStatus") or []:
            status["Status"] = "Provisioning"


def _drop_current_weight(parsed, _request):
    for variant in parsed.get("ProductionVariants") or []:
        variant.pop("CurrentWeight", None)


def _no_variants_while_updating(parsed, _request):
    if parsed.get("EndpointStatus") == "Updating":
        parsed.pop("ProductionVariants", None)


def _config_frozen_at_creation():
    """DescribeEndpoint keeps reporting the EndpointConfig the endpoint was created with."""
    first: Dict[str, str] = {}

    def change(parsed, request):
        name = parsed.get("EndpointName")
        first.setdefault(name, parsed.get("EndpointConfigName"))
        parsed["EndpointConfigName"] = first[name]
    return rewrite_answer("DescribeEndpoint", change)


def _endpoints_vanish_with_their_config(target):
    """After DeleteEndpointConfig, endpoints created from that config describe as missing."""
    created, deleted = {}, set()

    def remember_create(http, parsed, request):
        if http.status_code < 300:
            created[request.get("EndpointName")] = request.get("EndpointConfigName")

    def remember_delete(http, parsed, request):
        if http.status_code < 300:
            deleted.add(request.get("EndpointConfigName"))

    def describe(http, parsed, request):
        if http.status_code < 300 and created.get(request.get("EndpointName")) in deleted:
            fail(http, parsed, "Could not find endpoint.")

    _hook(target, "CreateEndpoint", after=remember_create)
    _hook(target, "DeleteEndpointConfig", after=remember_delete)
    _hook(target, "DescribeEndpoint", after=describe)


def _documented(rule_id: str) -> Callable[[dict], bool]:
    def breaks(request) -> bool:
        found = documented.update_endpoint_violations(request)
        found += documented.deployment_config_violations(request.get("DeploymentConfig") or {}, None)
        return any(v.constraint == rule_id for v in found)
    return breaks


def _rolling_batch_out_of_range(request) -> bool:
    size = ((request.get("DeploymentConfig") or {}).get("RollingUpdatePolicy") or {}).get("MaximumBatchSize") or {}
    return size.get("Type") == "CAPACITY_PERCENT" and not 5 <= size.get("Value", 5) <= 50


def _strip_excluded(request):
    request.pop("ExcludeRetainedVariantProperties", None)
    return request


def _refuse_deployment_configs(target):
    def after(http, parsed, request):
        if http.status_code < 300 and "DeploymentConfig" in request:
            fail(http, parsed)
    _hook(target, "UpdateEndpoint", after=after)


def _leak_tag_on_refusal(target):
    """A refused AddTags still adds a tag to the resource."""
    raw = target.new_client("sagemaker")

    def after(http, parsed, request):
        if http.status_code >= 400 and request.get("ResourceArn"):
            raw.add_tags(ResourceArn=request["ResourceArn"], Tags=[{"Key": "sc-leaked", "Value": "x"}])
    _hook(target, "AddTags", after=after)


def _key_bad(request) -> bool:
    return any(len(t.get("Key", "")) > 128 or re.search(r"[!#$%&*()\[\]{}<>?,;|^~]", t.get("Key", ""))
               for t in request.get("Tags") or [])


def _value_bad(request) -> bool:
    return any(len(t.get("Value", "")) > 256 or re.search(r"[!#$%&*()\[\]{}<>?,;|^~]", t.get("Value", ""))
               for t in request.get("Tags") or [])


def _repeats_key(request) -> bool:
    keys = [t.get("Key") for t in request.get("Tags") or []]
    return len(keys) != len(set(keys))


def _lists(expression) -> list:
    found = []
    for key in ("Filters", "NestedFilters", "SubExpressions"):
        found.append(expression.get(key) or [])
    for sub in expression.get("SubExpressions") or []:
        found += _lists(sub)
    return found


def _filters(expression) -> list:
    found = list(expression.get("Filters") or [])
    for sub in expression.get("SubExpressions") or []:
        found += _filters(sub)
    return found


def _break_output(operation: str):
    """A required member of the operation's answer gets a value of the wrong type."""
    shape = operation_model(operation).output_shape
    strings = [m for m in shape.required_members if shape.members[m].type_name == "string"]
    member = (strings or shape.required_members or list(shape.members))[0]

    def change(parsed, _request):
        parsed[member] = 12345 if shape.members[member].type_name != "integer" else "not a number"
    return rewrite_answer(operation, change)


@dataclass(frozen=True)
class Breaker:
    machine: str
    fault: str = ""
    wrap: Optional[Callable] = None
    examples: int = 4

    def target(self):
        target = make_target(f"reference:{self.fault}" if self.fault else "reference")
        if self.wrap is not None:
            self.wrap(target)
        return target


E, T, S, V = "endpoints", "tags", "search", "validation"
BREAKERS: Dict[str, Breaker] = {
    # lifecycle
    "endpoint.create.status-creating": Breaker(E, "skip-creating-state"),
    "endpoint.create.reaches-in-service": Breaker(E, wrap=rewrite_answer("DescribeEndpoint", _set_status({"InService": "OutOfService"}))),
    "endpoint.create.failure-reported": Breaker(E, "failed-without-reason"),
    "endpoint.describe.echoes-create": Breaker(E, wrap=rewrite_answer("DescribeEndpoint", lambda p, r: p.update(EndpointArn=p.get("EndpointArn", "") + "-other"))),
    "endpoint.status.documented-value": Breaker(E, "status-outside-enum"),
    "endpoint.variant-status.documented-value": Breaker(E, wrap=rewrite_answer("DescribeEndpoint", _rename_variant_statuses)),
    "endpoint.create.name-unique": Breaker(E, wrap=accept_rejections(
        "CreateEndpoint", lambda r: r.get("EndpointName", "") == r.get("EndpointName", "").lower(), EndpointArn="arn:aws:sagemaker:us-east-1:123456789012:endpoint/x")),
    "endpoint.create.name-case-insensitive": Breaker(E, "names-case-sensitive"),
    "endpoint.update.status-updating": Breaker(E, wrap=rewrite_answer("DescribeEndpoint", _set_status({"Updating": "SystemUpdating"}))),
    "endpoint.update.reaches-in-service": Breaker(E, wrap=_config_frozen_at_creation()),
    "endpoint.update.rejected-unless-in-service": Breaker(E, "update-allowed-while-updating"),
    "endpoint.failed.only-delete-allowed": Breaker(E, "update-allowed-when-failed"),
    "endpoint.update-weights.updating-then-in-service": Breaker(E, wrap=rewrite_answer("DescribeEndpoint", _drop_current_weight)),
    "endpoint.update-weights.rejected-unless-in-service": Breaker(E, "weights-allowed-while-updating"),
    "endpoint.delete.deleting-then-gone": Breaker(E, "skip-deleting-state"),
    "endpoint.missing.validation-exception": Breaker(E, "missing-endpoint-500"),
    "endpoint-config.delete.gone": Breaker(E, wrap=accept_rejections("DescribeEndpointConfig")),
    "endpoint-config.delete.keeps-endpoints": Breaker(E, wrap=_endpoints_vanish_with_their_config, examples=8),
    # deployments
    "endpoint.update.deployment-config-accepted": Breaker(E, wrap=_refuse_deployment_configs),
    "endpoint.update.last-deployment-config-reported": Breaker(E, "last-deployment-config-dropped"),
    "endpoint.update.retain-deployment-config": Breaker(E, "retain-deployment-config-ignored", examples=8),
    "endpoint.pending-deployment-summary.only-while-deploying": Breaker(E, "pending-summary-kept-after-update"),
    "endpoint.update.traffic-shift-observable": Breaker(E, "no-baking-state", examples=8),
    "endpoint.update.no-availability-loss": Breaker(E, wrap=rewrite_answer("DescribeEndpoint", _no_variants_while_updating)),
    "endpoint.update.auto-rollback-on-alarm": Breaker(E, "no-rollback-on-alarm", examples=8),
    "endpoint.update.retain-variant-properties": Breaker(E, "retain-variant-properties-ignored", examples=8),
    "endpoint.update.exclude-retained-properties": Breaker(E, wrap=rewrite_request("UpdateEndpoint", _strip_excluded), examples=8),
    "deployment.canary-size-at-most-half": Breaker(E, "canary-size-unchecked"),
    "deployment.linear-step-size-10-to-50-percent": Breaker(E, "linear-step-unchecked"),
    "deployment.timeout-exceeds-waits": Breaker(E, "timeout-unchecked"),
    **{rule_id: Breaker(E, wrap=accept_rejections("UpdateEndpoint", _documented(rule_id)))
       for rule_id in ("deployment.canary-size-required", "deployment.linear-step-size-required",
                       "deployment.single-update-policy", "update.exclude-requires-retain-all",
                       "update.retain-deployment-config-conflicts-with-new")},
    "deployment.rolling-batch-size-5-to-50-percent": Breaker(E, wrap=accept_rejections("UpdateEndpoint", _rolling_batch_out_of_range)),
    # validation
    **{invalid_input_rule_id(op): Breaker(V, wrap=accept_rejections(op)) for op in INVALID_INPUT_OPERATIONS},
    "request.create-endpoint-config.invalid-input-rejected": Breaker(V, "schema-validation-skipped"),
    "request.rejected.changes-no-state": Breaker(V, wrap=_leak_tag_on_refusal),
    **{output_rule_id(op): Breaker({"AddTags": T, "ListTags": T, "Search": S}.get(op, E), wrap=_break_output(op))
       for op in OUTPUT_OPERATIONS},
    # tags
    "tags.add.overwrites-existing-key": Breaker(T, "tags-duplicate-on-overwrite"),
    "tags.list.reflects-changes": Breaker(T, wrap=rewrite_request("DeleteTags", lambda r: dict(r, TagKeys=["sc-not-there"]))),
    "tags.at-most-50-per-resource": Breaker(T, "tags-limit-unchecked"),
    "tags.add.key-constraints": Breaker(T, wrap=accept_rejections("AddTags", _key_bad)),
    "tags.add.value-constraints": Breaker(T, wrap=accept_rejections("AddTags", _value_bad)),
    "tags.reserved-aws-prefix": Breaker(T, "tags-aws-prefix-allowed"),
    "tags.unique-keys": Breaker(T, wrap=accept_rejections("AddTags", _repeats_key)),
    "tags.delete.absent-key-harmless": Breaker(T, "delete-absent-tag-error"),
    "tags.create.listed": Breaker(T, "creation-tags-dropped"),
    "tags.unknown-resource.rejected": Breaker(T, wrap=accept_rejections("ListTags", Tags=[])),
    "tags.list.pagination-complete": Breaker(T, wrap=rewrite_answer("ListTags", lambda p, r: (p.get("Tags") or [None]).pop())),
    # search
    "search.results.match-expression": Breaker(S, "search-ignores-nested-filters", examples=8),
    "search.filter.default-operator-equals": Breaker(S, "search-default-operator-contains"),
    "search.contains-at-most-once": Breaker(S, "contains-limit-unchecked"),
    "search.at-most-50-elements": Breaker(S, wrap=accept_rejections(
        "Search", lambda r: documented.search_element_count(r.get("SearchExpression") or {}) > 50, Results=[])),
    "search.expression.at-most-20-per-list": Breaker(S, wrap=accept_rejections(
        "Search", lambda r: any(len(items) > 20 for items in _lists(r.get("SearchExpression") or {})), Results=[])),
    "search.operator-not-for-text": Breaker(S, wrap=accept_rejections(
        "Search", lambda r: any(f.get("Operator", "").startswith(("Greater", "Less")) for f in _filters(r.get("SearchExpression") or {})), Results=[])),
    "search.operator-only-for-text": Breaker(S, wrap=accept_rejections(
        "Search", lambda r: any(f.get("Name") == "Model.CreationTime" for f in _filters(r.get("SearchExpression") or {})), Results=[])),
    "search.sort.by-property-and-order": Breaker(S, "sort-order-ignored"),
    "search.sort.defaults": Breaker(S, wrap=rewrite_request("Search", lambda r: r if r.get("SortBy") or r.get("SortOrder") else dict(r, SortOrder="Ascending"))),
    "search.pagination.complete": Breaker(S, "search-pagination-repeats"),
}


SEEDS = (0, 1, 2)


def run_broken(rule_id: str):
    """Run the machine deciding ``rule_id`` against its breaker with only that rule enforced.

    Random steps may not reach the broken behaviour with a small budget: the next seed tries again."""
    breaker = BREAKERS[rule_id]
    for seed in SEEDS:
        target = breaker.target()
        recorder = Recorder()
        target.recorder = recorder
        try:
            result = run_area(breaker.machine, target, recorder, seed=seed, max_examples=breaker.examples,
                              rule_ids=[rule_id], shrink=False, raise_failures=False)
        finally:
            target.close()
        if result.failures:
            break
    return result, recorder


def test_every_rule_has_a_breaker_run_by_a_machine_that_decides_it():
    assert set(BREAKERS) == {rule.id for rule in all_rules()}
    for rule_id, breaker in BREAKERS.items():
        machine = MACHINES[breaker.machine].load()
        assert rule_id in machine.RULES or rule_id in OUTPUT_RULES, (rule_id, breaker.machine)


@pytest.mark.parametrize("rule_id", sorted(BREAKERS))
def test_suite_fails_the_rule_its_target_breaks(rule_id):
    if rule_id in OUTPUT_RULES:
        pytest.importorskip("conformance.shapes")
    result, recorder = run_broken(rule_id)
    assert result.failed_rules == [rule_id], f"{rule_id} not failed: {recorder.status_of(rule_id)}"
    assert recorder.status_of(rule_id) is Status.FAILED
    failure = result.failures[0]
    assert failure.rule_id == rule_id and failure.message
