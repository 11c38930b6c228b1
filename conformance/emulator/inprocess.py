"""Send a botocore client's requests straight into a WSGI app (no socket, no thread).

``attach(client, app)`` registers a ``before-send`` handler: botocore signs and serializes
as usual, the prepared request runs through ``app`` via ``werkzeug.test.Client``, and the
answer comes back as a ``botocore.awsrequest.AWSResponse`` — parsers, waiters, paginators
and retries see a normal HTTP exchange. ``client(app, service)`` builds such a client with
dummy credentials.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Optional
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse

IN_PROCESS_URL = "http://sagemaker-conformance.invalid"  # never resolved: requests stay in-process
DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class _RawBody:
    """Just enough of urllib3's response for AWSResponse.content and streaming bodies."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._read = False

    def stream(self, *args: Any, **kwargs: Any):
        if self._body:
            yield self._body

    def read(self, amount: Optional[int] = None) -> bytes:
        if self._read:
            return b""
        self._read = True
        return self._body


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class WsgiTransport:
    """A ``before-send`` handler answering every request from ``app``."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse:
        from werkzeug.test import Client

        url = urlsplit(request.url)
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
        answer = Client(self.app).open(
            path=url.path or "/", query_string=url.query, method=request.method,
            base_url=f"{url.scheme}://{url.netloc}", data=body or b"",
            headers=[(_text(name), _text(value)) for name, value in request.headers.items()])
        return AWSResponse(request.url, answer.status_code, dict(answer.headers), _RawBody(answer.get_data()))


def attach(client, app):
    """Route ``client`` (a botocore/boto3 client) into ``app``; returns the client."""
    client.meta.events.register("before-send", WsgiTransport(app))
    return client


@functools.lru_cache(maxsize=None)
def _session():
    import botocore.session

    return botocore.session.get_session()  # one loader: service models are parsed once per process


_session_lock = threading.Lock()


def client(app, service: str = "sagemaker", region: str = "us-east-1", config=None):
    """A botocore client for ``service`` whose requests are answered by ``app``."""
    import botocore.config

    config = config or botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
    with _session_lock:  # botocore sessions are not documented as thread-safe
        made = _session().create_client(service, region_name=region, endpoint_url=IN_PROCESS_URL, config=config,
                                        **DUMMY_CREDENTIALS)
    return attach(made, app)
