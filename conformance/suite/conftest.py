"""The shipped suite's conftest: area markers from module names, so ``-m search`` selects whole modules,
and each machine's test split into parts (``machine_part``) that pytest-xdist can spread.

Options, fixtures and reporting live in the ``conformance.plugin`` pytest11 plugin,
which is loaded wherever the package is installed.
"""

from __future__ import annotations

import pytest

from conformance.plugin import AREAS


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
