"""CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig, ListEndpointConfigs."""

from __future__ import annotations

from conformance.emulator import listing
from conformance.emulator.handlers import Context
from conformance.emulator.state import ENDPOINT_CONFIG, MODEL, Resource


def create_endpoint_config(ctx: Context, payload: dict) -> dict:
    name = payload["EndpointConfigName"]
    for variant in list(payload.get("ProductionVariants") or []) + list(payload.get("ShadowProductionVariants") or []):
        ctx.store.get(MODEL, variant.get("ModelName"))  # AWS checks the models exist here
    config = Resource(ENDPOINT_CONFIG, name, ctx.store.arn(ENDPOINT_CONFIG, name), ctx.now, dict(payload))
    ctx.store.add(config, payload.get("Tags"))
    return {"EndpointConfigArn": config.arn}


def describe_endpoint_config(ctx: Context, payload: dict) -> dict:
    config = ctx.store.get(ENDPOINT_CONFIG, payload["EndpointConfigName"])
    return {**config.spec, "EndpointConfigArn": config.arn, "CreationTime": config.created}


def delete_endpoint_config(ctx: Context, payload: dict) -> dict:
    # AWS lets this through even while an endpoint uses the config ("you may lose visibility").
    ctx.store.remove(ctx.store.get(ENDPOINT_CONFIG, payload["EndpointConfigName"]))
    return {}


def list_endpoint_configs(ctx: Context, payload: dict) -> dict:
    summaries = [{"EndpointConfigName": c.name, "EndpointConfigArn": c.arn, "CreationTime": c.created}
                 for c in ctx.store.all(ENDPOINT_CONFIG)]
    ordered = listing.filter_and_sort(summaries, payload, "EndpointConfigName")
    chunk, token = listing.page(ordered, payload, "ListEndpointConfigs")
    return {"EndpointConfigs": chunk, "NextToken": token}


OPERATIONS = {
    "CreateEndpointConfig": create_endpoint_config,
    "DescribeEndpointConfig": describe_endpoint_config,
    "DeleteEndpointConfig": delete_endpoint_config,
    "ListEndpointConfigs": list_endpoint_configs,
}
