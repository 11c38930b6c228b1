"""The shipped suite's conftest: area markers from module names, so ``-m search`` selects whole modules.

Options, fixtures and reporting live in the ``conformance.plugin`` pytest11 plugin,
which is loaded wherever the package is installed.
"""

from __future__ import annotations

import pytest

from conformance.plugin import AREAS


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        module = getattr(item, "module", None)
        stem = module.__name__.rsplit(".", 1)[-1] if module is not None else ""
        area = stem[len("test_"):] if stem.startswith("test_") else ""
        if area in AREAS and item.get_closest_marker(area) is None:
            item.add_marker(getattr(pytest.mark, area))
