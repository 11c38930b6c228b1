"""The installed botocore's SageMaker model: the single source of every constraint.

Thin cached views; never a copied model file.
"""

from __future__ import annotations

import functools
import html
import re
from typing import List, Optional

import botocore
import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

SERVICE_NAME = "sagemaker"


@functools.lru_cache(maxsize=None)
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def data_loader():
    """The process's botocore data loader: it parses each model file once, for the model and every client."""
    return _session().get_component("data_loader")


@functools.lru_cache(maxsize=None)
def service_model(service: str = SERVICE_NAME) -> ServiceModel:
    return _session().get_service_model(service)


def operation_model(operation: str) -> OperationModel:
    return service_model().operation_model(operation)


def operation_names() -> List[str]:
    return sorted(service_model().operation_names)


def botocore_version() -> str:
    return botocore.__version__


def api_version() -> str:
    return service_model().api_version


@functools.lru_cache(maxsize=None)
def waiter_config(name: str):
    """botocore's waiter definition (``.delay``, ``.max_attempts``, ``.acceptors``), e.g. ``EndpointInService``."""
    return _session().get_waiter_model(SERVICE_NAME).get_waiter(name)


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(documentation: str) -> str:
    """botocore documentation is HTML; reports and schemas want plain text."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", documentation or ""))).strip()


def member_shape(operation: str, member: Optional[str] = None) -> Shape:
    """Resolve ``member`` as a dotted path under the operation's input shape.

    ``member_shape("UpdateEndpoint", "DeploymentConfig.BlueGreenUpdatePolicy")``.
    List members are traversed transparently. A path that is not under the input
    is resolved under the output shape, so that rules can cite what a response
    documents (``member_shape("DescribeEndpoint", "EndpointStatus")``).
    """
    op = operation_model(operation)
    try:
        return _resolve(op.input_shape, operation, member)
    except KeyError:
        if op.output_shape is None or not member:
            raise
        try:
            return _resolve(op.output_shape, operation, member)
        except KeyError:
            pass
        raise


def _resolve(shape: Optional[Shape], operation: str, member: Optional[str]) -> Shape:
    if shape is None:
        raise KeyError(f"{operation}: no member {member!r} (the operation has no such shape)")
    for name in (member.split(".") if member else []):
        while shape.type_name in ("list", "map"):
            shape = shape.member if shape.type_name == "list" else shape.value
        if name not in shape.members:
            raise KeyError(f"{operation}: no member {member!r} ({name!r} not in {shape.name})")
        shape = shape.members[name]
    return shape


def documentation(operation: str, member: Optional[str] = None) -> str:
    """Plain-text documentation of an operation or of a member under its input."""
    if member is None:
        return plain_text(operation_model(operation).documentation)
    return plain_text(member_shape(operation, member).documentation)
