"""How every example begins (``session.begin_example``): drawn in the machine's ``__init__`` from the
example's data, shrunk like any draw, torn down when it fails; ``pick`` draws one of a list."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from conformance.machines.driver import run_machine
from conformance.machines.session import begin_example
from conformance.recording import Recorder
from conformance.strategies.unwrapped import draw_from, example_data, pick
from conformance.targets import make_target

SIZES = st.integers(0, 1000)


class _Starting(RuleBasedStateMachine):
    """Starts by 'creating' a resource of a drawn size; fails when the size reaches ``fail_from``."""

    fail_from = None
    log: dict = {}

    def __init__(self, run=None) -> None:
        super().__init__()
        begin_example(self, self.start)

    def start(self) -> None:
        size = draw_from(example_data(), SIZES)
        self.log["started"].append(size)
        if self.fail_from is not None and size >= self.fail_from:
            raise AssertionError(f"size {size}")

    @rule(data=st.data())
    def step(self, data):
        self.log["picked"].append(pick(data, ["first", "second", "third"]))

    def teardown(self):
        self.log["torn down"] += 1


def _run(fail_from, seed=3, max_examples=30):
    _Starting.fail_from = fail_from
    _Starting.log = {"started": [], "picked": [], "torn down": 0}
    run_machine(_Starting, make_target("reference"), Recorder(), rule_ids=["x"], seed=seed,
                max_examples=max_examples, step_count=3)
    return _Starting.log


def test_the_start_draws_from_the_example_and_every_machine_is_torn_down():
    log = _run(fail_from=None)
    assert log["started"][0] == 0  # Hypothesis' simplest example first
    assert len(set(log["started"])) > 5  # the draw is the example's: it varies from example to example
    assert log["torn down"] == len(log["started"])
    assert set(log["picked"]) == {"first", "second", "third"}


def test_a_failing_start_is_torn_down_and_shrunk_like_any_draw():
    with pytest.raises(AssertionError, match="size 100"):
        _run(fail_from=100)
    log = _Starting.log
    # Every machine whose start ran was torn down, the failing ones too (Hypothesis never got them back).
    assert log["torn down"] == len(log["started"])
    assert any(size >= 100 for size in log["started"][:-1])
    assert log["started"][-1] == 100  # shrunk to the smallest failing size, replayed last


def test_pick_shrinks_towards_the_first_item():
    class _Picking(_Starting):
        @rule(data=st.data())
        def step(self, data):
            choice = pick(data, ["first", "second", "third"])
            self.log["picked"].append(choice)
            assert choice == "first"

    _Starting.fail_from = None
    _Starting.log = {"started": [], "picked": [], "torn down": 0}
    with pytest.raises(AssertionError):
        run_machine(_Picking, make_target("reference"), Recorder(), rule_ids=["x"], seed=3, max_examples=30,
                    step_count=3)
    assert _Starting.log["picked"][-1] == "second"  # the smallest failing choice


def test_every_endpoint_example_hypothesis_starts_is_kept():
    """No step has a precondition: Hypothesis never finds every applicable step switched off and drops an
    example it already ran (on real time that lifecycle would run again, after the others)."""
    from conformance.machines import decided_rules
    from conformance.machines.endpoints import EndpointMachine

    started = []

    class Counting(EndpointMachine):
        def __init__(self, run) -> None:
            super().__init__(run)
            started.append(1)

    result = run_machine(Counting, make_target("reference"), Recorder(), rule_ids=decided_rules(EndpointMachine),
                         seed=1, max_examples=20, step_count=7)
    assert result.failures == []
    assert len(started) == 20  # one start per example Hypothesis counts: none thrown away
