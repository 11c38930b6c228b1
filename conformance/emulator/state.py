"""The emulator's state: resources, tags and one lock.

Names are unique per account and region, case-insensitively (the ARN lowercases the name,
as AWS does); lookups by name must match the case the resource was created with
("the case is preserved and must be matched", CreateEndpoint docs).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Protocol

from conformance.emulator import protocol
from conformance.emulator.faults import Faults

MODEL = "model"
ENDPOINT_CONFIG = "endpoint-config"
ENDPOINT = "endpoint"

# How missing resources are named in AWS's "Could not find ..." messages.
KIND_WORDS = {MODEL: "model", ENDPOINT_CONFIG: "endpoint configuration", ENDPOINT: "endpoint"}


@dataclass
class Resource:
    kind: str
    name: str
    arn: str
    created: float
    spec: dict  # the create request, as validated


@dataclass
class Deployment:
    """An in-progress change of an endpoint, as a timeline of phases (see ``timing``)."""

    kind: str  # create | update | weights | delete | rollback
    phases: list
    started: float
    new_config_name: Optional[str] = None
    new_variants: List[dict] = field(default_factory=list)
    new_data_capture: Optional[dict] = None
    deployment_config: Optional[dict] = None
    failure_reason: Optional[str] = None  # set when the new fleet cannot be deployed
    rollback_reason: Optional[str] = None

    @property
    def ends(self) -> float:
        return self.phases[-1].end if self.phases else self.started

    @property
    def alarms(self) -> List[str]:
        config = (self.deployment_config or {}).get("AutoRollbackConfiguration") or {}
        return [alarm["AlarmName"] for alarm in config.get("Alarms", []) if "AlarmName" in alarm]


@dataclass
class Endpoint(Resource):
    status: str = "Creating"
    modified: float = 0.0
    config_name: str = ""
    variants: List[dict] = field(default_factory=list)
    data_capture: Optional[dict] = None
    failure_reason: Optional[str] = None
    last_deployment_config: Optional[dict] = None
    deployment: Optional[Deployment] = None
    stale_pending: Optional[dict] = None  # only under the pending-summary-kept-after-update fault
    last_tick: float = 0.0


class AlarmSource(Protocol):
    """CloudWatch alarms as the emulator sees them (moto's CloudWatch, same account and region)."""

    def existing(self) -> List[str]: ...

    def in_alarm(self, names: Iterable[str]) -> set: ...


class Store:
    def __init__(self, region: str, account_id: str, faults: Faults, alarms: "AlarmSource") -> None:
        self.region = region
        self.account_id = account_id
        self.faults = faults
        self.alarms = alarms
        self.lock = threading.RLock()
        self.resources: Dict[str, Dict[str, Resource]] = {MODEL: {}, ENDPOINT_CONFIG: {}, ENDPOINT: {}}
        self.tags: Dict[str, List[dict]] = {}  # arn -> [{"Key", "Value"}] in insertion order

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account_id}:{kind}/{name.lower()}"

    def _key(self, name: str) -> str:
        return name if self.faults.active("names-case-sensitive") else name.lower()

    def find(self, kind: str, name: Optional[str]) -> Optional[Resource]:
        resource = self.resources[kind].get(self._key(name or ""))
        return resource if resource is not None and resource.name == name else None

    def get(self, kind: str, name: Optional[str]) -> Resource:
        resource = self.find(kind, name)
        if resource is None:
            raise protocol.validation_error(f'Could not find {KIND_WORDS[kind]} "{self.arn(kind, name or "")}".')
        return resource

    def add(self, resource: Resource, tags: Optional[list]) -> None:
        key = self._key(resource.name)
        if key in self.resources[resource.kind]:
            raise protocol.validation_error(
                f'Cannot create already existing {KIND_WORDS[resource.kind]} "{resource.arn}".')
        self.resources[resource.kind][key] = resource
        self.tags[resource.arn] = [{"Key": tag["Key"], "Value": tag.get("Value", "")} for tag in tags or []]

    def remove(self, resource: Resource) -> None:
        self.resources[resource.kind].pop(self._key(resource.name), None)
        if not any(r.arn == resource.arn for r in self.resources[resource.kind].values()):
            self.tags.pop(resource.arn, None)

    def all(self, kind: str) -> List[Resource]:
        return list(self.resources[kind].values())

    def by_arn(self, arn: str) -> Optional[Resource]:
        for kind in self.resources:
            for resource in self.resources[kind].values():
                if resource.arn == arn:
                    return resource
        return None

    def existing_alarms(self) -> List[str]:
        return self.alarms.existing()

    def alarms_in_alarm(self, names: Iterable[str]) -> set:
        return self.alarms.in_alarm(names)

    def tag_list(self, arn: str) -> List[dict]:
        return [dict(tag) for tag in self.tags.get(arn, [])]
