"""The reference target as one WSGI application: SageMaker (ours) + CloudWatch and every other
service (moto), on one URL.

Routing: a request is SageMaker's unless its SigV4 credential scope names another service
(then moto's server app answers it) or it is a smithy-rpc-v2-cbor CloudWatch call (then the
CBOR bridge translates it for moto). Unsigned requests are SageMaker's.
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from typing import Optional

from werkzeug.wrappers import Request, Response

from conformance.clock import Clock, ManualClock
from conformance.emulator import deployments, protocol, validation
from conformance.emulator.cloudwatch import CloudWatchBridge
from conformance.emulator.faults import Faults
from conformance.emulator.handlers import Context, operations
from conformance.emulator.state import Store

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_REQUEST_IDS = uuid.UUID("6f1c2a4e-0000-4000-8000-000000000000")


class Emulator:
    """A faithful SageMaker endpoint emulator (see ``conformance.emulator``)."""

    def __init__(self, clock: Optional[Clock] = None, fault: Optional[str] = None,
                 region: str = "us-east-1", account_id: str = "123456789012") -> None:
        self.clock = clock if clock is not None else ManualClock()
        self.faults = Faults(fault)
        self.fault = fault
        self.region = region
        self.account_id = account_id
        self.cloudwatch = CloudWatchBridge(account_id, region)
        self.store = Store(region, account_id, self.faults, self.cloudwatch)
        self.operations = operations()
        self._moto = None
        self._moto_lock = threading.Lock()
        self._request_numbers = itertools.count(1)

    # ------------------------------------------------------------------ WSGI
    def wsgi_app(self, environ, start_response):
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except protocol.ApiError as err:
            response = self._json_error(err)
        except Exception as err:  # noqa: BLE001 - the last line of defence: a 500, never a traceback
            response = self._json_error(protocol.ApiError(
                protocol.INTERNAL_FAILURE, f"Internal error ({type(err).__name__}).", status=500))
        return response(environ, start_response)

    __call__ = wsgi_app

    def _dispatch(self, request: Request) -> Response:
        if self.cloudwatch.handles(request):
            return self._after_tick(lambda: self.cloudwatch.handle(request))
        scope = _SCOPE.search(request.headers.get("Authorization", ""))
        if scope and scope.group(2) != "sagemaker":
            return self._after_tick(lambda: self._moto_app(request))
        return self._sagemaker(request)

    def _after_tick(self, call):
        """Other services can change alarm states: apply transitions due before and after the call."""
        with self.store.lock:
            deployments.advance_all(self.store, self.clock.now())
            response = call()
            deployments.advance_all(self.store, self.clock.now())
        return response

    def _moto_app(self, request: Request) -> Response:
        with self._moto_lock:
            if self._moto is None:
                from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

                self._moto = DomainDispatcherApplication(create_backend_app)
        environ = dict(request.environ)
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self.account_id
        # moto reads a bucket name from any host that is not an IP or localhost (S3 virtual hosting);
        # the emulator is only ever addressed path-style.
        environ["HTTP_HOST"] = "127.0.0.1"
        return Response.from_app(self._moto, environ)

    # ------------------------------------------------------------- SageMaker
    def _read_body(self, request: Request) -> bytes:
        if (request.content_length or 0) > protocol.MAX_BODY_BYTES:
            raise protocol.ApiError(protocol.TOO_LARGE, f"Request body exceeds {protocol.MAX_BODY_BYTES} bytes.", 413)
        body = request.stream.read(protocol.MAX_BODY_BYTES + 1)
        if len(body) > protocol.MAX_BODY_BYTES:
            raise protocol.ApiError(protocol.TOO_LARGE, f"Request body exceeds {protocol.MAX_BODY_BYTES} bytes.", 413)
        return body

    def _sagemaker(self, request: Request) -> Response:
        body = self._read_body(request)
        operation, payload = protocol.parse_request(
            request.method, request.path, request.headers.get("X-Amz-Target"), body, self.operations)
        with self.store.lock:
            now = self.clock.now()
            deployments.advance_all(self.store, now)
            self._validate(operation, payload, now)
            result = self.operations[operation](Context(self.store, now), payload)
            body = protocol.render_output(operation, result)
        return Response(body, status=200, headers=self._headers())

    def _validate(self, operation: str, payload: dict, now: float) -> None:
        try:
            validation.check(operation, payload, self.store)
        except protocol.ApiError:
            if operation == "CreateModel" and self.faults.active("invalid-create-model-persisted"):
                try:
                    self.operations[operation](Context(self.store, now), payload)
                except (protocol.ApiError, KeyError, TypeError, AttributeError, ValueError):
                    pass  # the fault only persists what it can
            raise

    def _headers(self) -> dict:
        request_id = str(uuid.uuid5(_REQUEST_IDS, str(next(self._request_numbers))))
        return {"Content-Type": protocol.CONTENT_TYPE, "x-amzn-RequestId": request_id}

    def _json_error(self, err: protocol.ApiError) -> Response:
        return Response(err.body(), status=err.status, headers=self._headers())
