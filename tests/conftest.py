"""Fixtures shared by the suite's own tests."""

from __future__ import annotations

import os
import socket
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from hypothesis import settings

# CI (which sets CI, as .ci/run does) explores the same examples on every run: a failure there
# reproduces with the same command. Locally each run draws afresh, and Hypothesis prints how to replay.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


class _NotSageMaker(BaseHTTPRequestHandler):
    """Answers every request with an HTML page: a server that is up but does not speak SageMaker."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>welcome to nginx</html>")

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def garbage_url():
    server = HTTPServer(("127.0.0.1", 0), _NotSageMaker)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(scope="module")
def served_reference():
    """The reference target's WSGI app on a loopback port, on a fast scaled clock."""
    from werkzeug.serving import make_server

    from conformance.clock import ScaledClock
    from conformance.emulator import Emulator

    server = make_server("127.0.0.1", 0, Emulator(clock=ScaledClock(0.001)).wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def shapes_copy(tmp_path, monkeypatch):
    """A private copy of the committed shapes, installed as SHAPES_DIR for the test."""
    from conformance import shapes

    root = tmp_path / "shapes"
    shutil.copytree(shapes.SHAPES_DIR, root)
    monkeypatch.setattr(shapes, "SHAPES_DIR", root)
    shapes._operation_document.cache_clear()
    shapes._validator.cache_clear()
    yield root
    shapes._operation_document.cache_clear()
    shapes._validator.cache_clear()
