"""CreateEndpoint, DescribeEndpoint, DeleteEndpoint, ListEndpoints, UpdateEndpoint,
UpdateEndpointWeightsAndCapacities. Timelines live in ``conformance.emulator.deployments``."""

from __future__ import annotations

from conformance.emulator import deployments, listing, protocol
from conformance.emulator.handlers import Context
from conformance.emulator.state import ENDPOINT, ENDPOINT_CONFIG, Endpoint


def create_endpoint(ctx: Context, payload: dict) -> dict:
    store = ctx.store
    name = payload["EndpointName"]
    config = store.get(ENDPOINT_CONFIG, payload["EndpointConfigName"])
    endpoint = Endpoint(ENDPOINT, name, store.arn(ENDPOINT, name), ctx.now, {}, status="Creating",
                        modified=ctx.now, config_name=config.name, last_tick=ctx.now)
    store.add(endpoint, None if store.faults.active("creation-tags-dropped") else payload.get("Tags"))
    deployments.start_create(store, endpoint, config.spec, payload.get("DeploymentConfig"), ctx.now)
    return {"EndpointArn": endpoint.arn}


def _endpoint(ctx: Context, name: str) -> Endpoint:
    endpoint = ctx.store.find(ENDPOINT, name)
    if endpoint is None and ctx.store.faults.active("missing-endpoint-500"):
        raise protocol.ApiError(protocol.INTERNAL_FAILURE, "An internal error occurred.", status=500)
    return ctx.store.get(ENDPOINT, name)


def describe_endpoint(ctx: Context, payload: dict) -> dict:
    return deployments.describe(ctx.store, _endpoint(ctx, payload["EndpointName"]), ctx.now)


def delete_endpoint(ctx: Context, payload: dict) -> dict:
    endpoint = _endpoint(ctx, payload["EndpointName"])
    if endpoint.deployment is None or endpoint.deployment.kind != "delete":  # deleting twice is harmless
        deployments.start_delete(ctx.store, endpoint, ctx.now)
    return {}


def list_endpoints(ctx: Context, payload: dict) -> dict:
    summaries = []
    for endpoint in ctx.store.all(ENDPOINT):
        view = deployments.describe(ctx.store, endpoint, ctx.now)
        summaries.append({key: view[key] for key in
                          ("EndpointName", "EndpointArn", "CreationTime", "LastModifiedTime", "EndpointStatus")})
    ordered = listing.filter_and_sort(summaries, payload, "EndpointName", status_key="EndpointStatus")
    chunk, token = listing.page(ordered, payload, "ListEndpoints")
    return {"Endpoints": chunk, "NextToken": token}


def _require_in_service(ctx: Context, endpoint: Endpoint, operation: str, fault: str) -> None:
    status = deployments.status_now(ctx.store, endpoint, ctx.now)
    if status == "Failed" and not ctx.store.faults.active("update-allowed-when-failed"):
        raise protocol.validation_error(
            f'Cannot update endpoint "{endpoint.arn}" with status Failed: a failed endpoint can only be deleted.')
    # The faults accept the call only while Creating/Updating, so that a deletion is never cancelled.
    faulty = ctx.store.faults.active(fault) and status in ("Creating", "Updating")
    if status not in ("InService", "Failed") and not faulty:
        raise protocol.validation_error(f'Cannot update in-progress endpoint "{endpoint.arn}".')


def update_endpoint(ctx: Context, payload: dict) -> dict:
    store = ctx.store
    endpoint = _endpoint(ctx, payload["EndpointName"])
    _require_in_service(ctx, endpoint, "UpdateEndpoint", "update-allowed-while-updating")
    config = store.get(ENDPOINT_CONFIG, payload["EndpointConfigName"])
    deployment_config = payload.get("DeploymentConfig")
    if deployment_config is None and payload.get("RetainDeploymentConfig"):
        if not store.faults.active("retain-deployment-config-ignored"):
            deployment_config = endpoint.last_deployment_config
    excluded = {item.get("VariantPropertyType") for item in payload.get("ExcludeRetainedVariantProperties") or []}
    deployments.start_update(store, endpoint, config.name, config.spec, deployment_config,
                             bool(payload.get("RetainAllVariantProperties")), excluded, ctx.now)
    return {"EndpointArn": endpoint.arn}


def update_endpoint_weights_and_capacities(ctx: Context, payload: dict) -> dict:
    endpoint = _endpoint(ctx, payload["EndpointName"])
    _require_in_service(ctx, endpoint, "UpdateEndpointWeightsAndCapacities", "weights-allowed-while-updating")
    known = {variant["VariantName"] for variant in endpoint.variants}
    for change in payload["DesiredWeightsAndCapacities"]:
        if change["VariantName"] not in known:
            raise protocol.validation_error(
                f'The variant name(s) [{change["VariantName"]}] is/are not present in endpoint "{endpoint.arn}".')
    if endpoint.deployment is not None:  # only under the weights-allowed-while-updating fault
        return {"EndpointArn": endpoint.arn}  # accepted, and otherwise ignored: the running change goes on
    deployments.start_weights(endpoint, payload["DesiredWeightsAndCapacities"], ctx.now)
    return {"EndpointArn": endpoint.arn}


OPERATIONS = {
    "CreateEndpoint": create_endpoint,
    "DescribeEndpoint": describe_endpoint,
    "DeleteEndpoint": delete_endpoint,
    "ListEndpoints": list_endpoints,
    "UpdateEndpoint": update_endpoint,
    "UpdateEndpointWeightsAndCapacities": update_endpoint_weights_and_capacities,
}
