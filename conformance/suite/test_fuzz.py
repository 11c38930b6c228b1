"""Wide, schema-level fuzzing: every selected SageMaker operation, Schemathesis-generated input.

Selection (see conformance.fuzz.suite_support): ``--operations 'Describe*,CreateEndpoint'`` picks
operations; ``-m fuzz`` fuzzes all of them with ``--max-examples`` each; otherwise a seeded sample
(some of all operations, some of those the rule catalogue cites) runs with the default suite, with
fewer examples each.
Against real AWS only read-only operations run unless ``--fuzz-mutating`` is given.
Each operation ends passed, failed (first failing example + reproduction), or not_implemented.
"""

from __future__ import annotations

import pytest

from conformance.fuzz.engine import client_setup, fuzz_operation
from conformance.fuzz.runner import api_operation, load_api
from conformance.fuzz.suite_support import examples_per_operation, is_wide, operations_for_run
from conformance.fuzz.transport import AwsJsonTransport
from conformance.results import Status

pytestmark = pytest.mark.fuzz
SELECTED = pytest.StashKey[tuple]()  # the operations this run fuzzes


def _option(config, name, default=None):
    value = config.getoption(name, default=None)
    return default if value is None else value


def _cited_operations():
    from conformance.rules import all_rules

    return sorted({rule.operation for rule in all_rules() if rule.operation})


def pytest_generate_tests(metafunc):
    if "fuzzed_operation" not in metafunc.fixturenames:
        return
    from conformance.errors import ConformanceError
    from conformance.fuzz.selection import operation_names
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
            cited=_cited_operations(),
        )
    except ConformanceError as err:
        pytest.exit(f"sagemaker-conformance: {err}", returncode=2)
    config.stash[SELECTED] = tuple(sorted(operations))
    metafunc.parametrize("fuzzed_operation", operations)


@pytest.fixture(scope="session")
def fuzz_api(pytestconfig):
    """The synthetic OpenAPI of the operations this run fuzzes, loaded once per process (only when fuzzing
    runs): the default run's sample needs a few of them, and every xdist worker loads its own."""
    from conformance.errors import ConformanceError

    try:
        return load_api(pytestconfig.stash.get(SELECTED, None))
    except ConformanceError as err:  # e.g. ShapesError: say it once, not once per operation
        pytest.exit(f"sagemaker-conformance: {err}", returncode=2)


def test_operation_fuzzed(
    request, fuzzed_operation, fuzz_api, conformance_target, conformance_recorder, conformance_settings
):
    from conformance.errors import TargetError

    # The raw client: botocore's own exceptions, no classification; the target's hooks count each request.
    client = conformance_target.raw_client()
    seed = int(conformance_settings.seed or 0)
    wide = is_wide(_option(request.config, "operations"), _option(request.config, "markexpr"))
    setup = client_setup(conformance_target.kind, conformance_target.reproduction_url() or client.meta.endpoint_url)
    try:
        outcome = fuzz_operation(
            api_operation(fuzz_api, fuzzed_operation),
            AwsJsonTransport(client),
            max_examples=examples_per_operation(conformance_settings.max_examples, wide=wide),
            seed=seed,
            setup=setup,
        )
    except TargetError as err:  # unreachable, timed out: never a nonconformance (the plugin skips it)
        conformance_recorder.operation(fuzzed_operation, Status.TARGET_ERROR, message=str(err), seed=seed)
        raise
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
