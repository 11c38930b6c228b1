"""CloudWatch for AutoRollbackConfiguration, served by moto and read by the emulator.

botocore 1.43 talks to CloudWatch in ``smithy-rpc-v2-cbor`` (its first choice among the
model's protocols), which moto 5.2 does not speak. ``CloudWatchBridge`` translates such a
request with botocore's own parsers and serializers: CBOR request → parameters → moto's
``query`` protocol → moto's XML answer → CBOR response. Requests in the query protocol go
to moto unchanged (see ``app``).

Isolation: moto keeps one CloudWatch state per process, keyed by account and region. The
emulator makes moto use its own ``account_id`` (``x-moto-account-id``), so alarms are shared
by every Emulator of the process with the same account id and region; give emulators
distinct account ids (or alarms distinct names) when they must not see each other's alarms.
"""

from __future__ import annotations

import functools
from typing import Iterable, List
from urllib.parse import urlencode

from botocore.parsers import QueryParser, ResponseParserError, RpcV2CBORParser
from botocore.serialize import QuerySerializer, RpcV2CBORSerializer
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from conformance import model

CBOR_CONTENT_TYPE = "application/cbor"
PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/"


@functools.lru_cache(maxsize=None)
def _moto_cloudwatch_app():
    from moto.moto_server.werkzeug_app import create_backend_app

    return create_backend_app("cloudwatch")


def _cbor_text(buffer: bytearray, text: str) -> None:
    RpcV2CBORSerializer()._serialize_type_string(buffer, text, None, None)


def cbor_error(code: str, message: str) -> bytes:
    """``{"__type": code, "message": message}`` in CBOR (a two-entry map of text strings)."""
    buffer = bytearray(b"\xa2")
    for text in ("__type", code, "message", message):
        _cbor_text(buffer, text)
    return bytes(buffer)


class CloudWatchBridge:
    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region

    @staticmethod
    def handles(request: Request) -> bool:
        return request.path.startswith(PATH_PREFIX)

    def _backend(self):
        from moto.cloudwatch.models import cloudwatch_backends

        return cloudwatch_backends[self.account_id][self.region]

    # The AlarmSource the emulator's deployments read (moto's public backend registry).
    def existing(self) -> List[str]:
        return sorted(alarm.name for alarm in self._backend().describe_alarms())

    def in_alarm(self, names: Iterable[str]) -> set:
        wanted = set(names)
        return {alarm.name for alarm in self._backend().describe_alarms()
                if alarm.name in wanted and alarm.state_value == "ALARM"}

    def handle(self, request: Request) -> Response:
        operation_name = request.path[len(PATH_PREFIX):].strip("/")
        service = model.service_model("cloudwatch")
        if operation_name not in service.operation_names:
            return self._error(404, "UnknownOperationException", f"Unknown CloudWatch operation {operation_name!r}")
        operation = service.operation_model(operation_name)
        try:
            params = {}
            if operation.input_shape is not None and request.get_data():
                params = RpcV2CBORParser().parse(
                    {"body": request.get_data(), "headers": {}, "status_code": 200}, operation.input_shape)
                params.pop("ResponseMetadata", None)
        except (ResponseParserError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
            return self._error(400, "SerializationException", f"Request body is not valid CBOR: {err}")
        query = QuerySerializer().serialize_to_request(params, operation)
        answer = Client(_moto_cloudwatch_app()).post(
            "/", data=urlencode(query["body"], doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "Host": request.host or "localhost",
                     "Authorization": request.headers.get("Authorization", ""),
                     "x-moto-account-id": self.account_id})
        parsed = QueryParser().parse(
            {"body": answer.get_data(), "headers": dict(answer.headers), "status_code": answer.status_code},
            operation.output_shape)
        if answer.status_code >= 300:
            error = parsed.get("Error", {})
            return self._error(answer.status_code, error.get("Code") or "InternalFailure", error.get("Message", ""))
        parsed.pop("ResponseMetadata", None)
        body = bytearray()
        if operation.output_shape is not None:
            RpcV2CBORSerializer()._serialize_data_item(body, parsed, operation.output_shape)
        return Response(bytes(body), status=200, headers=self._headers())

    @staticmethod
    def _headers(extra: dict = None) -> dict:
        return {"Content-Type": CBOR_CONTENT_TYPE, "smithy-protocol": "rpc-v2-cbor", **(extra or {})}

    def _error(self, status: int, code: str, message: str) -> Response:
        return Response(cbor_error(code, message), status=status,
                        headers=self._headers({"x-amzn-query-error": f"{code};Sender"}))
