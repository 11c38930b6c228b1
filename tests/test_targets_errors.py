"""Targets that cannot be tested: unreachable, answering garbage; and credentials that must not leak."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conformance.errors import TargetError, TargetUnreachable, UsageError
from conformance.targets import make_target

ENV_KEY = "AKIAENVIRONMENTKEY01"
ENV_SECRET = "environment/secret/never/sent"
ENV_TOKEN = "environment-session-token"
PROFILE_KEY = "AKIAPROFILEKEY000001"


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with the server's canned (status, content type, body); records headers."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append(dict(self.headers))
        status, content_type, body = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def canned_server():
    """``start(status, content_type, body) -> (url, seen_headers)``."""
    servers = []

    def start(status=200, content_type="application/x-amz-json-1.1", body=b'{"Endpoints": []}'):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
        server.answer, server.seen = (status, content_type, body), []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}", server.seen

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_target_fails_fast_in_one_line():
    url = f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    with make_target(url) as target:
        with pytest.raises(TargetUnreachable) as caught:
            target.check_reachable()
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(f"target {url} is unreachable")
    assert "\n" not in message


@pytest.mark.parametrize(
    "status, content_type, body",
    [
        (200, "text/html", b"<html><body>It works!</body></html>"),
        (500, "text/html", b"<h1>Internal Server Error</h1>"),
        (200, "application/json", b"[1, 2, 3]"),
        (404, "text/plain", b"not found"),
    ],
)
def test_target_answering_garbage_is_a_target_error_not_a_nonconformance(canned_server, status, content_type, body):
    url, _seen = canned_server(status, content_type, body)
    with make_target(url) as target:
        with pytest.raises(TargetError) as caught:
            target.check_reachable()
        assert "does not answer like SageMaker" in str(caught.value)
        assert "\n" not in str(caught.value)
        with pytest.raises(TargetError):  # the same classification for the suite's own calls
            target.client().describe_endpoint(EndpointName="x")


def test_well_formed_aws_errors_prove_reachability(canned_server):
    body = json.dumps({"__type": "ValidationException", "message": "nope"}).encode()
    url, _seen = canned_server(400, "application/x-amz-json-1.1", body)
    with make_target(url) as target:
        target.check_reachable()


@pytest.fixture
def environment_credentials(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ENV_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", ENV_TOKEN)
    credentials = tmp_path / "credentials"
    credentials.write_text(f"[conformance-test]\naws_access_key_id = {PROFILE_KEY}\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))


def test_environment_credentials_never_reach_a_url_target(environment_credentials, canned_server):
    url, seen = canned_server()
    with make_target(url) as target:
        target.check_reachable()
        target.client().list_endpoints()
        target.client("cloudwatch")  # building other clients must not pick the environment up either
        texts = [target.description, target.name, target.reproduction()]
    assert len(seen) == 2
    for headers in seen:
        authorization = headers["Authorization"]
        assert "Credential=testing/" in authorization
        assert ENV_KEY not in authorization
        assert "X-Amz-Security-Token" not in headers
        assert ENV_TOKEN not in json.dumps(headers)
    assert not any(ENV_KEY in text or ENV_SECRET in text for text in texts)


def test_a_named_profile_is_the_only_way_to_send_real_credentials(environment_credentials, canned_server):
    url, seen = canned_server()
    with make_target(url, credentials_profile="conformance-test") as target:
        target.client().list_endpoints()
        assert "conformance-test" in target.description and PROFILE_KEY not in target.description
    authorization = seen[0]["Authorization"]
    assert f"Credential={PROFILE_KEY}/" in authorization
    assert ENV_KEY not in authorization
    assert "X-Amz-Security-Token" not in seen[0]


def test_an_unknown_profile_is_a_usage_error(environment_credentials):
    with pytest.raises(UsageError, match="profile 'absent' not found"):
        make_target("http://127.0.0.1:1", credentials_profile="absent")


def test_moto_target_never_sends_requests_to_the_network(environment_credentials):
    with make_target("moto") as target:
        assert target.client().list_endpoints()["Endpoints"] == []
        assert ENV_KEY not in target.description
