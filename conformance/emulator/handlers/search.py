"""Search over the Endpoint and Model resource types, evaluated by ``conformance.search_eval``
(the same evaluator the machines use as their oracle). Other resource types answer
NotImplementedException (see ``protocol``).
"""

from __future__ import annotations

import copy

from conformance import search_eval
from conformance.emulator import deployments, listing, protocol
from conformance.emulator.handlers import Context
from conformance.emulator.handlers.models import model_view
from conformance.emulator.state import ENDPOINT, MODEL

SEARCHABLE = ("Endpoint", "Model")


def endpoint_documents(ctx: Context) -> list:
    documents = []
    for endpoint in ctx.store.all(ENDPOINT):
        view = deployments.describe(ctx.store, endpoint, ctx.now)
        view.pop("PendingDeploymentSummary", None)
        view["Tags"] = ctx.store.tag_list(endpoint.arn)
        documents.append(view)
    return documents


def model_documents(ctx: Context) -> list:
    endpoints = [deployments.describe(ctx.store, e, ctx.now) for e in ctx.store.all(ENDPOINT)]
    documents = []
    for model in ctx.store.all(MODEL):
        using = [e for e in endpoints
                 if any(v.get("ModelName") == model.name for v in e.get("ProductionVariants") or [])]
        documents.append({
            "Model": {**model_view(model), "Tags": ctx.store.tag_list(model.arn)},
            "Endpoints": [{key: e[key] for key in ("EndpointName", "EndpointArn", "CreationTime",
                                                   "LastModifiedTime", "EndpointStatus")} for e in using],
        })
    return documents


def _strip_nested_filters(expression: dict) -> dict:
    expression.pop("NestedFilters", None)
    for sub in expression.get("SubExpressions") or []:
        _strip_nested_filters(sub)
    return expression


def _default_to_contains(expression: dict) -> dict:
    for flt in expression.get("Filters") or []:
        flt.setdefault("Operator", "Contains")
    for sub in expression.get("SubExpressions") or []:
        _default_to_contains(sub)
    return expression


def _faulty_request(ctx: Context, payload: dict) -> dict:
    request = copy.deepcopy(payload)
    faults = ctx.store.faults
    if faults.active("search-ignores-nested-filters") and request.get("SearchExpression"):
        _strip_nested_filters(request["SearchExpression"])
    if faults.active("search-default-operator-contains") and request.get("SearchExpression"):
        _default_to_contains(request["SearchExpression"])
    if faults.active("sort-order-ignored"):
        request["SortOrder"] = "Descending"
    return request


def search(ctx: Context, payload: dict) -> dict:
    resource = payload["Resource"]
    if resource not in SEARCHABLE:
        raise protocol.ApiError(protocol.NOT_IMPLEMENTED,
                                f"{protocol.not_implemented_message('Search')} for Resource {resource} "
                                f"(supported: {', '.join(SEARCHABLE)})")
    documents = endpoint_documents(ctx) if resource == "Endpoint" else model_documents(ctx)
    found = search_eval.search(documents, _faulty_request(ctx, payload))
    overlap = 1 if ctx.store.faults.active("search-pagination-repeats") else 0
    chunk, token = listing.page(found, payload, "Search", search_eval.DEFAULT_MAX_RESULTS, overlap=overlap)
    return {"Results": [{resource: document} for document in chunk], "NextToken": token}


OPERATIONS = {"Search": search}
