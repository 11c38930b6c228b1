"""Endpoint lifecycles as timelines: creation, blue/green and rolling updates, weight changes,
deletion, automatic rollback. Nothing runs in the background: ``advance`` applies every
transition due up to a given time, at the start of each request (same requests at the same
simulated times → same observable sequence).
"""

from __future__ import annotations

import copy
import hashlib
from typing import List, Optional

from conformance.emulator import UNDEPLOYABLE_IMAGE_MARKER, timing
from conformance.emulator.state import ENDPOINT, MODEL, Deployment, Endpoint, Store


def _containers(model_spec: dict) -> List[dict]:
    primary = model_spec.get("PrimaryContainer")
    return ([primary] if primary else []) + list(model_spec.get("Containers") or [])


def _resolved(image: str) -> str:
    """``registry/repository[:tag]`` → ``registry/repository@sha256:<digest>`` (a stable fake digest)."""
    repository = image.split("@", 1)[0]
    tag = repository.rfind(":")
    if tag > repository.rfind("/"):  # a ':' after the last '/' starts a tag, not a registry port
        repository = repository[:tag]
    return f"{repository}@sha256:{hashlib.sha256(image.encode()).hexdigest()}"


def variants_for(store: Store, config_spec: dict, now: float) -> List[dict]:
    """The variant records an endpoint gets from an EndpointConfig."""
    variants = []
    for variant in config_spec.get("ProductionVariants") or []:
        model = store.find(MODEL, variant.get("ModelName"))
        images = [c["Image"] for c in _containers(model.spec if model else {}) if c.get("Image")]
        weight = float(variant.get("InitialVariantWeight", 1.0))
        serverless = variant.get("ServerlessConfig")
        count = int(variant.get("InitialInstanceCount", 0 if serverless else 1))
        variants.append({
            "VariantName": variant["VariantName"],
            "ModelName": variant.get("ModelName"),
            "InstanceType": variant.get("InstanceType"),
            "AcceleratorType": variant.get("AcceleratorType"),
            "DeployedImages": [
                {"SpecifiedImage": image, "ResolvedImage": _resolved(image), "ResolutionTime": now} for image in images
            ],
            "CurrentWeight": weight,
            "DesiredWeight": weight,
            "CurrentInstanceCount": count,
            "DesiredInstanceCount": count,
            "CurrentServerlessConfig": serverless,
            "DesiredServerlessConfig": serverless,
        })
    return variants


def undeployable_reason(store: Store, config_spec: dict) -> Optional[str]:
    """Why the config cannot be deployed: a missing model, or an image marked undeployable."""
    for variant in config_spec.get("ProductionVariants") or []:
        model = store.find(MODEL, variant.get("ModelName"))
        if model is None:
            return f"Could not find model \"{store.arn(MODEL, variant.get('ModelName') or '')}\"."
        for container in _containers(model.spec):
            if UNDEPLOYABLE_IMAGE_MARKER in (container.get("Image") or ""):
                return (f"The primary container for production variant {variant['VariantName']} did not pass "
                        f"the ping health check: image {container['Image']} cannot be deployed.")
    return None


def data_capture_summary(config_spec: dict) -> Optional[dict]:
    capture = config_spec.get("DataCaptureConfig")
    if not capture:
        return None
    enabled = bool(capture.get("EnableCapture", True))
    return {
        "EnableCapture": enabled,
        "CaptureStatus": "Started" if enabled else "Stopped",
        "CurrentSamplingPercentage": capture.get("InitialSamplingPercentage", 0),
        "DestinationS3Uri": capture.get("DestinationS3Uri", ""),
        "KmsKeyId": capture.get("KmsKeyId", ""),
    }


def instance_count(variants: List[dict]) -> int:
    return max(1, sum(int(v.get("DesiredInstanceCount") or 0) for v in variants))


def start_create(store: Store, endpoint: Endpoint, config_spec: dict, deployment_config: Optional[dict], now: float) -> None:
    variants = variants_for(store, config_spec, now)
    endpoint.deployment = Deployment(
        kind="create", phases=timing.create_plan(now), started=now, new_config_name=endpoint.config_name,
        new_variants=variants, new_data_capture=data_capture_summary(config_spec),
        deployment_config=deployment_config, failure_reason=undeployable_reason(store, config_spec))
    if store.faults.active("skip-creating-state"):
        _complete(store, endpoint, endpoint.deployment, at=now)


def retained_variants(current: List[dict], new: List[dict], excluded: set) -> List[dict]:
    """RetainAllVariantProperties: keep the current count and weight of variants that stay."""
    by_name = {variant["VariantName"]: variant for variant in current}
    for variant in new:
        old = by_name.get(variant["VariantName"])
        if old is None:
            continue
        if "DesiredInstanceCount" not in excluded:
            variant["DesiredInstanceCount"] = variant["CurrentInstanceCount"] = old["CurrentInstanceCount"]
        if "DesiredWeight" not in excluded:
            variant["DesiredWeight"] = variant["CurrentWeight"] = old["CurrentWeight"]
    return new


def start_update(store: Store, endpoint: Endpoint, config_name: str, config_spec: dict,
                 deployment_config: Optional[dict], retain: bool, excluded: set, now: float) -> None:
    variants = variants_for(store, config_spec, now)
    data_capture = data_capture_summary(config_spec)
    if retain and not store.faults.active("retain-variant-properties-ignored"):
        variants = retained_variants(endpoint.variants, variants, excluded)
        if "DataCaptureConfig" not in excluded:
            data_capture = endpoint.data_capture
    phases = timing.update_plan(now, deployment_config, instance_count(variants),
                                skip_baking=store.faults.active("no-baking-state"))
    endpoint.deployment = Deployment(
        kind="update", phases=phases, started=now, new_config_name=config_name, new_variants=variants,
        new_data_capture=data_capture, deployment_config=deployment_config,
        failure_reason=undeployable_reason(store, config_spec))
    endpoint.modified = now
    endpoint.stale_pending = None


def start_weights(endpoint: Endpoint, desired: List[dict], now: float) -> None:
    variants = copy.deepcopy(endpoint.variants)
    by_name = {variant["VariantName"]: variant for variant in variants}
    for change in desired:
        variant = by_name[change["VariantName"]]
        if "DesiredWeight" in change:
            variant["DesiredWeight"] = float(change["DesiredWeight"])
        if "DesiredInstanceCount" in change:
            variant["DesiredInstanceCount"] = int(change["DesiredInstanceCount"])
    endpoint.variants = variants  # Desired* visible at once, Current* once the update completes
    endpoint.deployment = Deployment(kind="weights", phases=timing.weights_plan(now), started=now)
    endpoint.modified = now


def start_delete(store: Store, endpoint: Endpoint, now: float) -> None:
    endpoint.deployment = Deployment(kind="delete", phases=timing.delete_plan(now), started=now)
    endpoint.modified = now
    if store.faults.active("skip-deleting-state"):
        store.remove(endpoint)


def _start_rollback(endpoint: Endpoint, failed: Deployment, at: float, reason: str) -> None:
    endpoint.deployment = Deployment(
        kind="rollback", phases=timing.rollback_plan(at), started=at, new_config_name=failed.new_config_name,
        new_variants=failed.new_variants, new_data_capture=failed.new_data_capture,
        deployment_config=failed.deployment_config, rollback_reason=reason)
    endpoint.modified = at


def _complete(store: Store, endpoint: Endpoint, done: Deployment, at: float) -> None:
    endpoint.deployment = None
    endpoint.modified = at
    if done.kind == "delete":
        store.remove(endpoint)
        return
    if done.kind == "weights":
        for variant in endpoint.variants:
            variant["CurrentWeight"] = variant["DesiredWeight"]
            variant["CurrentInstanceCount"] = variant["DesiredInstanceCount"]
        endpoint.status = "InService"
        return
    if done.kind == "create" and done.failure_reason is not None:
        endpoint.status = "Failed"
        endpoint.variants = done.new_variants
        for variant in endpoint.variants:
            variant["CurrentInstanceCount"] = 0
        endpoint.failure_reason = None if store.faults.active("failed-without-reason") else done.failure_reason
        return
    if done.kind in ("create", "update") or store.faults.active("rollback-keeps-new-config"):
        if done.kind == "update" and store.faults.active("pending-summary-kept-after-update"):
            endpoint.stale_pending = _pending_summary(done, None)
        endpoint.config_name = done.new_config_name
        endpoint.variants = done.new_variants
        endpoint.data_capture = done.new_data_capture
    endpoint.status = "InService"
    endpoint.failure_reason = done.rollback_reason
    if done.deployment_config is not None and not store.faults.active("last-deployment-config-dropped"):
        endpoint.last_deployment_config = done.deployment_config


def _rollback_trigger(store: Store, endpoint: Endpoint, deployment: Deployment):
    """The earliest reason this update must roll back, as ``(time, reason)``, or None."""
    triggers = []
    if deployment.failure_reason is not None:
        triggers.append((deployment.phases[0].end, deployment.failure_reason))
    if deployment.alarms and not store.faults.active("no-rollback-on-alarm"):
        tripped = sorted(store.alarms_in_alarm(deployment.alarms))
        at = max(endpoint.last_tick, deployment.started)
        if tripped and at < deployment.ends:
            triggers.append((at, f"The deployment was rolled back: CloudWatch alarm {tripped[0]} is in ALARM."))
    return min(triggers, key=lambda trigger: trigger[0]) if triggers else None


def advance(store: Store, endpoint: Endpoint, now: float) -> None:
    """Apply every transition of ``endpoint`` due at or before ``now``."""
    while endpoint.deployment is not None:
        deployment = endpoint.deployment
        if deployment.kind == "update":
            trigger = _rollback_trigger(store, endpoint, deployment)
            if trigger is not None and trigger[0] <= now:
                _start_rollback(endpoint, deployment, *trigger)
                continue
        if deployment.ends > now:
            break
        _complete(store, endpoint, deployment, deployment.ends)
    endpoint.last_tick = now


def advance_all(store: Store, now: float) -> None:
    for endpoint in store.all(ENDPOINT):
        advance(store, endpoint, now)


def _variant_view(variant: dict, statuses: list, pending: bool, provisioned: bool = True) -> dict:
    view = dict(variant)
    view["VariantStatus"] = statuses
    if pending and not provisioned:
        view["CurrentInstanceCount"] = 0
    return view


def _statuses(phase, fleet: str) -> list:
    if phase is None or phase.fleet != fleet or phase.variant_status is None:
        return []
    return [{"Status": phase.variant_status, "StatusMessage": phase.message, "StartTime": phase.start}]


def _pending_summary(deployment: Deployment, phase) -> dict:
    provisioned = phase is None or not (phase.variant_status == "Creating" and phase.fleet == timing.NEW_FLEET)
    return {
        "EndpointConfigName": deployment.new_config_name,
        "StartTime": deployment.started,
        "ProductionVariants": [
            _variant_view(v, _statuses(phase, timing.NEW_FLEET), True, provisioned) for v in deployment.new_variants
        ],
    }


def describe(store: Store, endpoint: Endpoint, now: float) -> dict:
    """DescribeEndpoint's answer at ``now`` (after ``advance``)."""
    deployment = endpoint.deployment
    phase = timing.phase_at(deployment.phases, now) if deployment else None
    status = phase.endpoint_status if phase else endpoint.status
    if status == "Creating" and store.faults.active("status-outside-enum"):
        status = "Pending"
    out = {
        "EndpointName": endpoint.name,
        "EndpointArn": endpoint.arn,
        "EndpointConfigName": endpoint.config_name,
        "EndpointStatus": status,
        "CreationTime": endpoint.created,
        "LastModifiedTime": endpoint.modified,
        "FailureReason": endpoint.failure_reason,
        "LastDeploymentConfig": endpoint.last_deployment_config,
        "DataCaptureConfig": endpoint.data_capture,
        "PendingDeploymentSummary": endpoint.stale_pending,
    }
    if deployment is not None and deployment.kind == "create":
        out["DataCaptureConfig"] = deployment.new_data_capture
        summary = _pending_summary(deployment, phase)
        out["ProductionVariants"] = summary["ProductionVariants"]
        out["PendingDeploymentSummary"] = summary
    else:
        out["ProductionVariants"] = [_variant_view(v, _statuses(phase, timing.OLD_FLEET), False) for v in endpoint.variants]
        if deployment is not None and deployment.kind == "update":
            out["PendingDeploymentSummary"] = _pending_summary(deployment, phase)
    if not out["ProductionVariants"]:
        del out["ProductionVariants"]  # the output shape requires at least one
    return out


def status_now(store: Store, endpoint: Endpoint, now: float) -> str:
    return describe(store, endpoint, now)["EndpointStatus"]

