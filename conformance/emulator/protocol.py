"""awsJson1.1 as SageMaker speaks it: request parsing, output rendering, error bodies.

Requests: ``POST /``, ``X-Amz-Target: SageMaker.<Operation>``,
``Content-Type: application/x-amz-json-1.1``, a JSON object body (at most
``MAX_BODY_BYTES``).

Errors: a JSON body ``{"__type": <code>, "message": <text>}`` with these codes:

=========================  ======  ==========================================================
``__type``                 status  when
=========================  ======  ==========================================================
ValidationException        400     invalid input, missing resource, wrong state (as AWS)
ResourceLimitExceeded      400     a documented per-account/per-resource limit
UnknownOperationException  400     missing/unknown ``X-Amz-Target``, or not ``POST /``
SerializationException     400     the body is not a JSON object
RequestEntityTooLarge      413     the body exceeds ``MAX_BODY_BYTES``
NotImplementedException    400     a real SageMaker operation this emulator does not implement;
                                   message: ``SageMaker.<Op> is not implemented by the
                                   sagemaker-conformance reference target``
=========================  ======  ==========================================================

Responses are built from the operation's output shape (only modelled members are
emitted); timestamps are epoch seconds as JSON numbers, as AWS sends them.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Tuple

from botocore.model import Shape

from conformance import model

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "SageMaker."
MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: far above any real SageMaker request of the supported operations

VALIDATION = "ValidationException"
RESOURCE_LIMIT = "ResourceLimitExceeded"
UNKNOWN_OPERATION = "UnknownOperationException"
SERIALIZATION = "SerializationException"
TOO_LARGE = "RequestEntityTooLarge"
NOT_IMPLEMENTED = "NotImplementedException"
INTERNAL_FAILURE = "InternalFailure"


def not_implemented_message(operation: str) -> str:
    return f"SageMaker.{operation} is not implemented by the sagemaker-conformance reference target"


class ApiError(Exception):
    """An error answered to the client as ``{"__type", "message"}``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(code, message, status)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> bytes:
        return json.dumps({"__type": self.code, "message": self.message}).encode()


def validation_error(message: str) -> ApiError:
    return ApiError(VALIDATION, message)


def parse_request(method: str, path: str, target: Optional[str], body: bytes, operations) -> Tuple[str, dict]:
    """Return ``(operation, payload)`` or raise ``ApiError`` (4xx) for a malformed request.

    ``operations`` is the set of operations the emulator implements.
    """
    if method != "POST" or path not in ("", "/"):
        raise ApiError(UNKNOWN_OPERATION, f"SageMaker accepts only POST /, not {method} {path}")
    if not target:
        raise ApiError(UNKNOWN_OPERATION, "Missing X-Amz-Target header")
    if not target.startswith(TARGET_PREFIX):
        raise ApiError(UNKNOWN_OPERATION, f"Unknown operation target {target!r}")
    operation = target[len(TARGET_PREFIX):]
    if operation not in model.service_model().operation_names:
        raise ApiError(UNKNOWN_OPERATION, f"Unknown operation {operation!r}")
    if operation not in operations:
        raise ApiError(NOT_IMPLEMENTED, not_implemented_message(operation))
    try:
        payload = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, ValueError) as err:
        raise ApiError(SERIALIZATION, f"Request body is not valid JSON: {err}") from err
    if not isinstance(payload, dict):
        raise ApiError(SERIALIZATION, "Request body must be a JSON object")
    return operation, drop_nulls(payload)


def drop_nulls(value: Any) -> Any:
    """awsJson reads a member set to null as an absent member."""
    if isinstance(value, dict):
        return {key: drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


def render(shape: Optional[Shape], value: Any) -> Any:
    """Project ``value`` onto ``shape``: unmodelled keys and ``None`` members are dropped."""
    if shape is None or value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        out = {}
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                out[name] = render(member, value[name])
        return out
    if kind == "list":
        return [render(shape.member, item) for item in value]
    if kind == "map":
        return {key: render(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return round(float(value), 3)
    if kind in ("float", "double"):
        return float(value)
    if kind in ("integer", "long"):
        return int(value)
    if kind == "boolean":
        return bool(value)
    return value


def render_output(operation: str, result: Optional[dict]) -> bytes:
    output_shape = model.operation_model(operation).output_shape
    return json.dumps(render(output_shape, result or {}) if output_shape is not None else {}).encode()
