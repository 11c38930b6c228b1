"""Send a raw awsJson1.1 body to a target through its botocore client, and map the answer back.

Going through the target's own client keeps one path for every kind of target:
the client knows the endpoint, signs with SigV4 (dummy credentials off AWS), and
in-process moto intercepts it like any other call. Two event hooks turn it into a
raw transport: ``before-call`` swaps the serialized body for the fuzzer's bytes
(botocore would drop unknown members and choke on wrong types), and
``before-parse`` captures the HTTP answer and stops there, so nothing is parsed
and nothing is retried.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from conformance.errors import TargetError, TargetUnreachable

AMZ_JSON = "application/x-amz-json-1.1"
TARGET_PREFIX = "SageMaker"
# Status reported for an exception raised inside an in-process target (a crash the server would answer with 500).
IN_PROCESS_CRASH_STATUS = 500


@dataclass
class Exchange:
    """One request and what the target answered."""

    operation: str
    url: str
    body: bytes
    status_code: int
    headers: Dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    elapsed: float = 0.0
    # Set when an in-process target raised instead of answering (e.g. moto's NotImplementedError).
    raised: Optional[BaseException] = None

    @property
    def request_headers(self) -> Dict[str, str]:
        return {"X-Amz-Target": f"{TARGET_PREFIX}.{self.operation}", "Content-Type": AMZ_JSON}

    def error_type(self) -> str:
        """The awsJson error code (``__type`` without its namespace), or '' when there is none."""
        if self.raised is not None:
            return type(self.raised).__name__
        try:
            data = json.loads(self.content or b"null")
        except ValueError:
            return ""
        code = data.get("__type", "") if isinstance(data, dict) else ""
        return str(code).rsplit("#", 1)[-1]

    def text(self, limit: int = 300) -> str:
        if self.raised is not None:
            return f"{type(self.raised).__name__}: {self.raised}"[:limit]
        return self.content[:limit].decode("utf-8", errors="replace")


class _Captured(Exception):
    """Carries the raw answer out of botocore before it is parsed (and so before any retry)."""

    def __init__(self, response_dict: dict) -> None:
        super().__init__("captured")
        self.response_dict = response_dict


class _Hooks:
    """Per-client event handlers; inert unless this thread is sending a raw body."""

    def __init__(self, client) -> None:
        self.pending = threading.local()
        service_id = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-call.{service_id}", self._before_call, unique_id=f"h8-raw-{id(self)}")
        client.meta.events.register(f"before-parse.{service_id}", self._before_parse, unique_id=f"h8-cap-{id(self)}")

    def _before_call(self, params, **_kwargs):
        body = getattr(self.pending, "body", None)
        if body is not None:
            params["body"] = body
            params["headers"]["Content-Type"] = AMZ_JSON
        return None

    def _before_parse(self, response_dict, **_kwargs):
        if getattr(self.pending, "body", None) is not None:
            raise _Captured(response_dict)


_HOOKS: "weakref.WeakKeyDictionary[Any, _Hooks]" = weakref.WeakKeyDictionary()
_HOOKS_LOCK = threading.Lock()


def encode_body(body: Any) -> bytes:
    """The fuzzer's body as wire bytes: JSON for values, as-is for raw bytes (malformed-JSON cases)."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8", errors="surrogatepass")
    return json.dumps(body, ensure_ascii=False).encode("utf-8", errors="surrogatepass")


class AwsJsonTransport:
    """``send(operation, body)`` → :class:`Exchange`, over the given botocore client."""

    def __init__(self, client) -> None:
        self.client = client
        with _HOOKS_LOCK:
            hooks = _HOOKS.get(client)
            if hooks is None:
                hooks = _HOOKS[client] = _Hooks(client)
        self._hooks = hooks

    @property
    def url(self) -> str:
        return self.client.meta.endpoint_url.rstrip("/") + "/"

    def send(self, operation: str, body: Any) -> Exchange:
        wire = encode_body(body)
        exchange = Exchange(operation=operation, url=self.url, body=wire, status_code=0)
        self._hooks.pending.body = wire
        started = time.perf_counter()
        try:
            self.client._make_api_call(operation, {})
        except _Captured as captured:
            answer = captured.response_dict
            exchange.status_code = int(answer["status_code"])
            exchange.headers = {str(k).lower(): str(v) for k, v in dict(answer["headers"]).items()}
            exchange.content = answer["body"] if isinstance(answer["body"], bytes) else bytes(answer["body"] or b"")
        except _connection_errors() as err:
            raise TargetUnreachable(f"{operation}: the target did not answer ({err})") from err
        except Exception as err:  # noqa: BLE001 - an in-process target crashed; that is a finding, not our error
            exchange.status_code = IN_PROCESS_CRASH_STATUS
            exchange.raised = err
            exchange.content = json.dumps({"__type": type(err).__name__, "message": str(err)}).encode()
            exchange.headers = {"content-type": AMZ_JSON}
        else:
            # A handler answered for botocore (a stubber?): there is no HTTP answer to judge.
            raise TargetError(f"{operation}: the call was answered without an HTTP response to judge")
        finally:
            self._hooks.pending.body = None
            exchange.elapsed = time.perf_counter() - started
        return exchange


def _connection_errors():
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    return (BotoConnectionError, HTTPClientError)
