"""Wide, schema-level fuzzing: every selected SageMaker operation, Schemathesis-generated input.

Selection (see conformance.fuzz.suite_support): ``--operations 'Describe*,CreateEndpoint'`` picks
operations; ``-m fuzz`` fuzzes all of them; otherwise a seeded sample runs with the default suite.
Against real AWS only read-only operations run unless ``--fuzz-mutating`` is given.
Each operation ends passed, failed (first failing example + reproduction), or not_implemented.
"""

from __future__ import annotations

import pytest

from conformance.fuzz.engine import client_setup, fuzz_operation
from conformance.fuzz.runner import api_operation, load_api
from conformance.fuzz.suite_support import operations_for_run
from conformance.fuzz.transport import AwsJsonTransport
from conformance.results import Status

pytestmark = pytest.mark.fuzz


def _option(config, name, default=None):
    value = config.getoption(name, default=None)
    return default if value is None else value


def pytest_generate_tests(metafunc):
    if "fuzzed_operation" not in metafunc.fixturenames:
        return
    from conformance.errors import ConformanceError
    from conformance.model import operation_names
    from conformance.plugin import state_of
    from conformance.targets.spec import parse_spec

    config = metafunc.config
    # The run's seed, shared by the xdist controller with every worker: all collect the same sample.
    seed = state_of(config).seed
    try:
        operations = operations_for_run(
            operation_names(),
            patterns=_option(config, "operations"),
            markexpr=_option(config, "markexpr"),
            target_kind=parse_spec(_option(config, "target", "reference")).kind,
            allow_mutating=bool(_option(config, "fuzz_mutating", False)),
            seed=seed,
        )
    except ConformanceError as err:
        pytest.exit(f"sagemaker-conformance: {err}", returncode=2)
    metafunc.parametrize("fuzzed_operation", operations)


def test_operation_fuzzed(fuzzed_operation, conformance_target, conformance_recorder, conformance_settings):
    # The raw client: botocore's own exceptions, no classification; the target's hooks count each request.
    client = conformance_target.raw_client()
    seed = int(conformance_settings.seed or 0)
    outcome = fuzz_operation(
        api_operation(load_api(), fuzzed_operation),
        AwsJsonTransport(client),
        max_examples=conformance_settings.max_examples,
        seed=seed,
        setup=client_setup(conformance_target.kind, conformance_target.reproduction_url() or client.meta.endpoint_url),
    )
    failure = outcome.failure
    conformance_recorder.operation(
        fuzzed_operation,
        outcome.status,
        message=failure.message if failure else outcome.reason,
        reproduction=failure.reproduction if failure else "",
        seed=seed,
    )
    if outcome.status is Status.NOT_IMPLEMENTED:
        pytest.skip(f"not implemented by the target: {outcome.reason}")
    if outcome.status is Status.FAILED:
        pytest.fail(f"{failure.message}\nseed: {seed}\nreproduce:\n{failure.reproduction}", pytrace=False)
