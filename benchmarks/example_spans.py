"""pytest plugin for ``slow_target.py``: the wall time of every endpoint-machine example.

An example is one dependent chain of requests: it starts in the machine's ``__init__`` and ends when
its teardown has deleted what it created. Its lifecycles depend on each other (an endpoint deleted,
then another created), so the rules' wall time is judged against the longest example, not only the
longest single endpoint. Loaded with ``-p example_spans`` (this folder on PYTHONPATH); writes
``[[start, end], ...]`` (``time.time()``) to the file named by ``EXAMPLE_SPANS_FILE``.
"""

from __future__ import annotations

import json
import os
import threading
import time

SPANS_FILE = "EXAMPLE_SPANS_FILE"
_spans: list = []
_lock = threading.Lock()


def pytest_configure(config) -> None:
    from conformance.machines.endpoints import EndpointMachine

    init, teardown = EndpointMachine.__init__, EndpointMachine.teardown

    def timed_init(self, *args, **kwargs):
        self._example_started = time.time()
        init(self, *args, **kwargs)

    def timed_teardown(self):
        try:
            teardown(self)
        finally:
            with _lock:
                _spans.append([self._example_started, time.time()])

    EndpointMachine.__init__, EndpointMachine.teardown = timed_init, timed_teardown


def pytest_unconfigure(config) -> None:
    path = os.environ.get(SPANS_FILE)
    if path:
        with open(path, "w") as out:
            json.dump(_spans, out)
