"""Sort what a target did into the suite's outcomes before any rule judges it.

- the target says it does not support the operation → ``NotImplementedByTarget``
  (moto's ``NotImplementedError`` / HTTP 501, the reference target's
  ``NotImplementedException``, AWS-style ``UnknownOperationException``);
- no answer (refused, DNS, connect timeout) → ``TargetUnreachable``; no answer in
  time, or an answer that is not the protocol at all (HTML, garbage) → ``TargetError``;
- any other ``ClientError`` stays a ``ClientError``: the rules judge it.
"""

from __future__ import annotations

import json
from typing import Optional

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    ReadTimeoutError,

)
from botocore.parsers import ResponseParserError

from conformance.errors import (
    ConformanceError,
    NotImplementedByTarget,
    RuleFailure,
    TargetError,
    TargetUnreachable,
)

# Error codes by which a target declares an operation unsupported.
NOT_IMPLEMENTED_CODES = frozenset(
    {
        "NotImplemented",  # moto
        "NotImplementedException",  # the reference target (conformance.emulator.protocol.NOT_IMPLEMENTED)
        "NotImplementedError",
        "UnknownOperationException",  # AWS: an operation the service does not know
        "UnsupportedOperation",
        "UnsupportedOperationException",
    }
)
_SNIPPET = 80


def error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", "")).rsplit("#", 1)[-1]


def status_code(err: ClientError) -> Optional[int]:
    return err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


def is_not_implemented(code: str, status: Optional[int], message: str = "") -> bool:
    if code in NOT_IMPLEMENTED_CODES:
        return True
    return status == 501 or (status == 500 and "not been implemented" in message)


def classify_error(exc: BaseException, operation: str = "") -> BaseException:
    """Return the exception the suite should act on (possibly ``exc`` itself). Never raises."""
    op = operation or "the call"
    if isinstance(exc, (ConformanceError, RuleFailure)):
        return exc
    if isinstance(exc, NotImplementedError):  # moto in-process
        return NotImplementedByTarget(operation, str(exc))
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError)):
        return TargetUnreachable(f"{op}: the target is unreachable ({_one_line(exc)})")
    if isinstance(exc, ReadTimeoutError):
        return TargetError(f"{op}: the target did not answer in time ({_one_line(exc)})")
    if isinstance(exc, HTTPClientError):
        return TargetUnreachable(f"{op}: the connection to the target failed ({_one_line(exc)})")
    if isinstance(exc, ResponseParserError):
        return TargetError(f"{op}: the target's answer could not be parsed ({_one_line(exc)})")
    if isinstance(exc, ClientError):
        code, status = error_code(exc), status_code(exc)
        message = str(exc.response.get("Error", {}).get("Message", ""))
        if is_not_implemented(code, status, message):
            return NotImplementedByTarget(operation, _one_line(message) or code)
        if not code or code.isdigit():
            # botocore found no error code: the body was not an AWS error (an HTML page, a proxy's text).
            return TargetError(f"{op}: the target answered HTTP {status} without an AWS error: {_snippet(message)}")
        return exc
    if isinstance(exc, BotoCoreError):
        return TargetError(f"{op}: {_one_line(exc)}")
    return exc


def garbage_problem(body: bytes, content_type: str) -> str:
    """For a JSON-protocol answer: '' when ``body`` is a JSON object (or empty), else why it is not."""
    if not body or not body.strip():
        return ""
    try:
        data = json.loads(body)
    except ValueError:
        return f"not JSON ({content_type or 'no content type'}): {_snippet(body)}"
    if not isinstance(data, dict):
        return f"JSON but not an object: {_snippet(body)}"
    return ""


def _snippet(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = " ".join(str(value).split())
    return repr(text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else ""))


def _one_line(exc) -> str:
    return " ".join(str(exc).split())
