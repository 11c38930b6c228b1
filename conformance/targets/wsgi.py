"""Send a botocore client's requests into a WSGI app in-process: no socket, no port.

Installed as the client's first ``before-send`` handler, it turns the prepared
request into a WSGI environ, calls the app and hands botocore an ``AWSResponse``;
everything else (signing, parsing, events) runs exactly as over HTTP.
"""

from __future__ import annotations

import io
import sys
from typing import Callable, List, Tuple
from urllib.parse import unquote, urlsplit

from botocore.awsrequest import AWSResponse, HeadersDict


class _RawBody(io.BytesIO):
    """What ``AWSResponse`` expects as ``raw``: something with ``stream()``."""

    def stream(self, **_kwargs):
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


class WsgiTransport:
    def __init__(self, app: Callable) -> None:
        self.app = app

    def install(self, client) -> None:
        client.meta.events.register_first("before-send", self.send, unique_id=f"sc-wsgi-{id(self)}")

    def send(self, request, **_kwargs) -> AWSResponse:
        parts = urlsplit(request.url)
        body = _body_bytes(request.body)
        environ = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(parts.path) or "/",
            "QUERY_STRING": parts.query,
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": parts.scheme or "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in request.headers.items():
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value
        answer: List[Tuple[str, list]] = []

        def start_response(status, headers, exc_info=None):
            answer[:] = [(status, headers)]
            return lambda _data: None

        result = self.app(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = answer[0]
        return AWSResponse(request.url, int(status.split()[0]), HeadersDict(headers), _RawBody(content))


def _body_bytes(body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    return body.read()  # file-like (streaming bodies); none of SageMaker's operations send one
