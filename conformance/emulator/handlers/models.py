"""CreateModel, DescribeModel, DeleteModel, ListModels."""

from __future__ import annotations

from conformance.emulator import listing
from conformance.emulator.handlers import Context
from conformance.emulator.state import MODEL, Resource


def create_model(ctx: Context, payload: dict) -> dict:
    name = payload["ModelName"]
    model = Resource(MODEL, name, ctx.store.arn(MODEL, name), ctx.now, dict(payload))
    ctx.store.add(model, payload.get("Tags"))
    return {"ModelArn": model.arn}


def model_view(model: Resource) -> dict:
    return {**model.spec, "ModelArn": model.arn, "CreationTime": model.created}


def describe_model(ctx: Context, payload: dict) -> dict:
    return model_view(ctx.store.get(MODEL, payload["ModelName"]))


def delete_model(ctx: Context, payload: dict) -> dict:
    ctx.store.remove(ctx.store.get(MODEL, payload["ModelName"]))
    return {}


def list_models(ctx: Context, payload: dict) -> dict:
    summaries = [{"ModelName": m.name, "ModelArn": m.arn, "CreationTime": m.created} for m in ctx.store.all(MODEL)]
    ordered = listing.filter_and_sort(summaries, payload, "ModelName")
    chunk, token = listing.page(ordered, payload, "ListModels")
    return {"Models": chunk, "NextToken": token}


OPERATIONS = {
    "CreateModel": create_model,
    "DescribeModel": describe_model,
    "DeleteModel": delete_model,
    "ListModels": list_models,
}
