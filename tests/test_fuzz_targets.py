"""Fuzzing against real targets: the reference target passes; faults are found with a reproduction;
moto's unsupported operations are not_implemented, not failures."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config

from conformance.emulator import Emulator, inprocess
from conformance.fuzz.engine import fuzz_operation
from conformance.fuzz.runner import api_operation, fuzz_operations, load_api
from conformance.fuzz.transport import AwsJsonTransport
from conformance.recording import Recorder
from conformance.results import RunResult, Status

# Small but real: enough examples to reach both positive and negative inputs of each operation.
EXAMPLES = 20
SEED = 20260101
RAW = Config(parameter_validation=False, retries={"total_max_attempts": 1})
# Operations the reference target implements, across its resource families (kept to the quick ones:
# generation from long Unicode patterns is what costs time).
REFERENCE_OPERATIONS = [
    "DescribeModel", "ListModels", "DeleteModel", "DescribeEndpointConfig", "ListEndpointConfigs", "DescribeEndpoint",
    "ListEndpoints", "UpdateEndpoint", "DeleteEndpoint", "UpdateEndpointWeightsAndCapacities", "ListTags",
]

def _client(app):
    return inprocess.client(app, config=RAW)


def _setup_lines():
    """Reproductions run in the test against the same in-process app (bound to APP in the namespace)."""
    return [
        "from botocore.config import Config",
        "from conformance.emulator import inprocess",
        "client = inprocess.client(APP, config=Config(parameter_validation=False, retries={'total_max_attempts': 1}))",
    ]


def _fuzz(app, operation, examples=EXAMPLES):
    return fuzz_operation(api_operation(load_api(), operation), AwsJsonTransport(_client(app)),
                          max_examples=examples, seed=SEED, setup=_setup_lines())


def _replay(reproduction: str, app):
    """Run a reproduction; return the HTTP status the target answered its last call with."""
    from botocore.exceptions import ClientError

    namespace = {"APP": app}
    try:
        exec(compile(reproduction, "<reproduction>", "exec"), namespace)  # noqa: S102 - it must be runnable
    except ClientError as err:
        return err.response["ResponseMetadata"]["HTTPStatusCode"]
    return 200


def test_reference_target_passes_every_check():
    outcomes = fuzz_operations(_client(Emulator().wsgi_app), REFERENCE_OPERATIONS, max_examples=EXAMPLES, seed=SEED)
    by_status = {outcome.operation: outcome for outcome in outcomes}
    failures = {name: o.failure.message for name, o in by_status.items() if o.status is Status.FAILED}
    assert failures == {}
    assert all(o.status is Status.PASSED for o in outcomes), {o.operation: o.status for o in outcomes}
    assert all(1 < o.requests <= EXAMPLES for o in outcomes)
    # Both kinds of input were sent: some accepted, some rejected.
    codes = {code for o in outcomes for code in o.status_codes}
    assert {200, 400} <= codes


def test_server_error_on_some_input_is_reported_with_a_reproduction():
    app = Emulator(fault="missing-endpoint-500").wsgi_app
    outcome = _fuzz(app, "DescribeEndpoint")
    assert outcome.status is Status.FAILED
    assert "Server error" in outcome.failure.message and "HTTP 500" in outcome.failure.message
    assert outcome.failure.seed == SEED
    assert "client.describe_endpoint(" in outcome.failure.reproduction
    assert _replay(outcome.failure.reproduction, Emulator(fault="missing-endpoint-500").wsgi_app) == 500
    assert _replay(outcome.failure.reproduction, Emulator().wsgi_app) == 400  # the fault, not the input, is at fault


def _rewriting(app, operation, rewrite):
    """``app``, except that answers to ``operation`` pass through ``rewrite(status, data) -> (status, data)``."""

    def wrapped(environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(app(environ, capture))
        status = captured["status"]
        if environ.get("HTTP_X_AMZ_TARGET") == f"SageMaker.{operation}":
            code, data = rewrite(int(status.split()[0]), json.loads(body))
            status, body = f"{code} {'OK' if code == 200 else 'Bad Request'}", json.dumps(data).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]

    return wrapped


def test_wrong_response_shape_is_reported():
    emulator = Emulator()

    def endpoints_as_text(status, data):
        return status, ({**data, "Endpoints": "none"} if status == 200 else data)

    outcome = _fuzz(_rewriting(emulator.wsgi_app, "ListEndpoints", endpoints_as_text), "ListEndpoints")
    assert outcome.status is Status.FAILED
    assert "Response violates schema" in outcome.failure.message
    assert "client.list_endpoints(" in outcome.failure.reproduction
    assert _fuzz(emulator.wsgi_app, "ListEndpoints").status is Status.PASSED


def test_invalid_input_accepted_is_reported():
    def validation_skipped(status, data):
        """A target that answers every ListEndpoints, however invalid, with an empty list."""
        return 200, {"Endpoints": []}

    outcome = _fuzz(_rewriting(Emulator().wsgi_app, "ListEndpoints", validation_skipped), "ListEndpoints")
    assert outcome.status is Status.FAILED
    assert "invalid input" in outcome.failure.message and "HTTP 200" in outcome.failure.message
    assert "body = b" in outcome.failure.reproduction  # invalid input is replayed byte for byte


def test_moto_unsupported_operations_are_not_implemented():
    from conformance.targets import make_target

    with make_target("moto") as target:
        outcomes = fuzz_operations(target.raw_client(), ["ListAlgorithms", "UpdateEndpoint", "ListEndpoints"],
                                   max_examples=5, seed=SEED)
    by_name = {outcome.operation: outcome for outcome in outcomes}
    for unsupported in ("ListAlgorithms", "UpdateEndpoint"):
        assert by_name[unsupported].status is Status.NOT_IMPLEMENTED
        assert by_name[unsupported].requests == 1  # recognised at the first answer; no more requests spent
        assert by_name[unsupported].failure is None
    assert by_name["ListEndpoints"].status is not Status.NOT_IMPLEMENTED


def test_outcomes_reach_the_run_result_operations_section():
    recorder = Recorder()
    app = Emulator(fault="missing-endpoint-500").wsgi_app
    for outcome in fuzz_operations(_client(app), ["DescribeEndpoint", "ListAlgorithms"], max_examples=10, seed=SEED,
                                   on_request=recorder.request):
        failure = outcome.failure
        recorder.operation(outcome.operation, outcome.status, message=failure.message if failure else outcome.reason,
                           reproduction=failure.reproduction if failure else "", seed=SEED)
    run = RunResult(tool={}, target={}, botocore_version="", seed=SEED, started="", duration_s=0.0,
                    operations=recorder.operation_results())
    operations = {o["name"]: o for o in RunResult.from_json(run.to_json()).to_json()["operations"]}
    assert operations["DescribeEndpoint"]["status"] == "failed"
    assert operations["DescribeEndpoint"]["failures"][0]["reproduction"]
    assert operations["DescribeEndpoint"]["status_codes"].get("500", 0) >= 1
    assert operations["ListAlgorithms"] == {**operations["ListAlgorithms"], "status": "not_implemented", "requests": 1}
