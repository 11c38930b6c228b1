"""moto as a target: in-process (``mock_aws``) or as a server on a free loopback port.

moto has no notion of time (endpoints are InService at once), so both kinds run
on a driven clock: waiting never costs wall time.
"""

from __future__ import annotations

import json
import threading
from typing import Optional

from conformance.clock import ManualClock
from conformance.targets.base import Target
from conformance.targets.spec import TargetSpec
from conformance.targets.url import UrlTarget


class MotoTarget(Target):
    kind = "moto"
    is_embedded = True

    def __init__(self, spec: TargetSpec, *, run_id: Optional[str] = None, worker: str = "") -> None:
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        super().__init__(spec, clock=ManualClock(), run_id=run_id, worker=worker)

    @property
    def description(self) -> str:
        return f"moto {_moto_version()} in-process (mock_aws)"

    def reproduction_header(self) -> str:
        return f"Reproduction against moto {_moto_version()}: run it inside `with moto.mock_aws():`"

    def stop(self) -> None:
        self._mock.stop()


class NotImplementedAsAwsError:
    """WSGI middleware: moto raises NotImplementedError, which its server turns into an HTML 500.

    Answer it as an AWS-style JSON error instead (HTTP 501, ``__type: NotImplemented``),
    so that the suite can tell "not implemented" from a crash.
    """

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except NotImplementedError as err:
            body = json.dumps({"__type": "NotImplemented", "message": str(err)}).encode()
            start_response(
                "501 Not Implemented",
                [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", "NotImplemented"),
                 ("Content-Length", str(len(body)))],
            )
            return [body]


class MotoServerTarget(UrlTarget):
    """moto's server (its DomainDispatcherApplication, as ThreadedMotoServer runs it) on 127.0.0.1:<free>."""

    kind = "moto-server"
    max_attempts = 2

    def __init__(self, spec: TargetSpec, *, run_id: Optional[str] = None, worker: str = "") -> None:
        from moto.server import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, *args, **kwargs) -> None:  # one line per request would drown the output
                pass

        app = NotImplementedAsAwsError(DomainDispatcherApplication(create_backend_app))
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto-server", daemon=True)
        self._thread.start()
        url_spec = TargetSpec(kind="moto-server", raw=spec.raw, url=f"http://127.0.0.1:{port}", region=spec.region)
        super().__init__(url_spec, clock=ManualClock(), run_id=run_id, worker=worker)

    @property
    def name(self) -> str:
        return "moto-server"

    @property
    def description(self) -> str:
        return f"moto {_moto_version()} server at {self.spec.url} (started by the suite)"

    def reproduction_header(self) -> str:
        return f"Reproduction against moto {_moto_version()} server: start it with `moto_server -p {self.spec.url.rsplit(':', 1)[1]}`"

    def cleanup(self) -> None:
        """The server and its state go away with the run."""

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def _moto_version() -> str:
    import moto

    return moto.__version__
