"""The shipped suite's conftest: area markers from module names, so ``-m search`` selects whole modules,
and each machine's test split into parts (``machine_part``) that pytest-xdist can spread.

Options, fixtures and reporting live in the ``conformance.plugin`` pytest11 plugin,
which is loaded wherever the package is installed.
"""

from __future__ import annotations

import gc

import pytest

from conformance.plugin import AREAS

# Hypothesis makes short-lived objects by the million: the default threshold (700) ran ~1,500 young
# collections per default run, each also scanning the long-lived model, strategies and shapes.
YOUNG_COLLECTION_THRESHOLD = 20_000


def pytest_generate_tests(metafunc):
    """A machine test runs once per part: ``test_tags_follow_the_docs[part2of2]``."""
    if "machine_part" not in metafunc.fixturenames:
        return
    from conformance.errors import UsageError
    from conformance.machines import parts_for
    from conformance.plugin import state_of
    from conformance.targets.spec import parse_spec

    settings = state_of(metafunc.config).settings
    try:
        spec = parse_spec(settings.target)
    except UsageError:  # a bad --target is reported once, by the plugin, not by collection
        spec = parse_spec("reference")
    parts = parts_for(metafunc.module.MACHINE, spec, settings.max_examples)
    if parts > 1:  # unsplit, the test keeps its plain name
        metafunc.parametrize("machine_part", [(k, parts) for k in range(parts)], indirect=True,
                             ids=[f"part{k + 1}of{parts}" for k in range(parts)])


@pytest.fixture(scope="session", autouse=True)
def fewer_garbage_collections():
    """While the suite runs: what exists before it (model, schemas, plugins) is frozen out of the
    collector's scans, and young objects are collected less often. Restored afterwards."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *before[1:])
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


@pytest.fixture
def machine_part(request):
    """(part, parts) of the machine this test runs; (0, 1) when it is not split."""
    return getattr(request, "param", (0, 1))


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        module = getattr(item, "module", None)
        stem = module.__name__.rsplit(".", 1)[-1] if module is not None else ""
        area = stem[len("test_"):] if stem.startswith("test_") else ""
        if area in AREAS and item.get_closest_marker(area) is None:
            item.add_marker(getattr(pytest.mark, area))
