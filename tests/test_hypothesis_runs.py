"""run_hypothesis_test: the suite's draws do not depend on which local modules happen to be imported.

Hypothesis now and then draws a literal found in the source of imported "local" modules. A module
written under tmp_path (not installed, so local) holds a distinctive integer: a plain Hypothesis run
draws it, a run through run_hypothesis_test never does, and its draws are the same whether or not
that module was imported.
"""

import importlib
import sys

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from conformance.hypothesis_runs import run_hypothesis_test

MARKER = 987_654_321
EXAMPLES = 400
# Only the module's constant is a constant within this range: whenever Hypothesis picks a local
# constant for these draws, it is the marker, however many other local modules a run imported.
LOW, HIGH = MARKER - 1000, MARKER + 1000


def _drawing_test(drawn: list):
    @seed(5)
    @settings(max_examples=EXAMPLES, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.integers(LOW, HIGH))
    def test(number):
        drawn.append(number)

    return test


@pytest.fixture
def local_module(tmp_path, monkeypatch):
    (tmp_path / "sc_local_constants_probe.py").write_text(f"DISTINCTIVE = {MARKER}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("sc_local_constants_probe")
    yield module
    sys.modules.pop("sc_local_constants_probe", None)


def test_a_plain_hypothesis_run_draws_local_constants(local_module):
    drawn: list = []
    _drawing_test(drawn)()
    assert MARKER in drawn  # what the suite's runs must not do (a Hypothesis without the feature fails here)


def test_suite_runs_draw_no_local_constants(local_module):
    drawn: list = []
    run_hypothesis_test(_drawing_test(drawn))
    assert len(drawn) >= EXAMPLES and MARKER not in drawn


def test_suite_runs_draw_the_same_whatever_is_imported(tmp_path, monkeypatch):
    before: list = []
    run_hypothesis_test(_drawing_test(before))
    (tmp_path / "sc_local_constants_other.py").write_text(f"A, B = {MARKER + 7}, {MARKER - 500}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("sc_local_constants_other")
    try:
        after: list = []
        run_hypothesis_test(_drawing_test(after))
    finally:
        sys.modules.pop("sc_local_constants_other", None)
    assert after == before


def test_local_constants_are_restored_after_a_suite_run(local_module):
    run_hypothesis_test(_drawing_test([]))
    drawn: list = []
    _drawing_test(drawn)()
    assert MARKER in drawn
