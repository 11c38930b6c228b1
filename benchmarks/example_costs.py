"""Where the suite's own work goes, example by example (``overhead.py --examples``).

``ExampleCosts`` counts every Hypothesis example the suite runs, by phase (generating or shrinking)
and by how it ended (valid, failing, overrun: a shrink candidate that wanted more choices than it
was given), with its requests and the time it spent outside them. ``engine_floor`` is the baseline:
what Hypothesis' stateful engine alone costs per example on this machine, timed on a machine whose
rules do nothing. Both hook Hypothesis internals (present in 6.155 to 6.170; the shrink entry point
was renamed in between); where those differ, ``ExampleCosts.available`` is False and nothing is counted.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Dict, List, Tuple

try:
    from hypothesis.core import StateForActualGivenExecution
    from hypothesis.internal.conjecture.engine import ConjectureRunner

    # The engine's shrink phase: renamed from ``shrink_interesting_examples`` by 6.170.
    _SHRINK_PHASE = next((name for name in ("shrink_interesting_test_cases", "shrink_interesting_examples")
                          if hasattr(ConjectureRunner, name)), None)
    _HOOKABLE = hasattr(StateForActualGivenExecution, "_execute_once_for_engine") and _SHRINK_PHASE is not None
except ImportError:  # pragma: no cover - another Hypothesis layout
    _HOOKABLE, _SHRINK_PHASE = False, None


class ExampleCosts:
    """Context manager: while active, every example's phase, status, requests and own time are added up.

    ``capture`` is the benchmark's ``CallCapture`` (its ``calls`` and ``in_requests`` grow as requests
    are made, its ``current_test`` names the running test); the examples of ``fuzz_test`` (Schemathesis
    cases, one request each) are counted apart from the state machines'. Single-threaded runs only
    (a driven clock): concurrent shards would mix their examples.
    """

    available = _HOOKABLE

    def __init__(self, capture, fuzz_test: str) -> None:
        self.capture = capture
        self.fuzz_test = fuzz_test
        self.rows: Dict[Tuple[str, str, str], List[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
        self._shrinking = False

    def __enter__(self) -> "ExampleCosts":
        if not self.available:
            return self
        costs = self
        self._execute = execute = StateForActualGivenExecution._execute_once_for_engine
        self._shrink = shrink = getattr(ConjectureRunner, _SHRINK_PHASE)

        def counted_execute(state, data):
            started, requests, in_requests = time.perf_counter(), len(costs.capture.calls), costs.capture.in_requests
            try:
                return execute(state, data)
            finally:
                group = "fuzz" if costs.capture.current_test == costs.fuzz_test else "machines"
                row = costs.rows[(group, "shrink" if costs._shrinking else "generate", data.status.name.lower())]
                row[0] += 1
                row[1] += len(costs.capture.calls) - requests
                row[2] += time.perf_counter() - started
                row[3] += costs.capture.in_requests - in_requests

        def counted_shrink(runner):
            costs._shrinking = True
            try:
                return shrink(runner)
            finally:
                costs._shrinking = False

        StateForActualGivenExecution._execute_once_for_engine = counted_execute
        setattr(ConjectureRunner, _SHRINK_PHASE, counted_shrink)
        return self

    def __exit__(self, *exc) -> None:
        if self.available:
            StateForActualGivenExecution._execute_once_for_engine = self._execute
            setattr(ConjectureRunner, _SHRINK_PHASE, self._shrink)

    @property
    def examples(self) -> int:
        return int(sum(row[0] for row in self.rows.values()))

    def own_per_example(self, group: str, phase: str, status: str) -> float:
        count, _requests, seconds, in_requests = self.rows.get((group, phase, status), (0, 0, 0.0, 0.0))
        return (seconds - in_requests) / count if count else 0.0

    def own_work_in_examples(self) -> float:
        return sum(row[2] - row[3] for row in self.rows.values())

    def lines(self) -> List[str]:
        """One line per (group, phase, status): examples, requests, own time in total and per example."""
        out = []
        for (group, phase, status), (count, requests, seconds, in_requests) in sorted(self.rows.items()):
            own = seconds - in_requests
            out.append(f"{group:<9} {phase:<9} {status:<12} {int(count):>5} examples {int(requests):>6} requests   "
                       f"own work {own:6.2f} s = {1000 * own / count:5.1f} ms per example")
        return out


def engine_floor(step_count: int = 7) -> float:
    """``_engine_floor`` in a fresh process (this one's heap, grown by a suite run, slows it down)."""
    import subprocess
    import sys

    child = subprocess.run([sys.executable, __file__, "--engine-floor", str(step_count)],
                           capture_output=True, text=True, check=True)
    return float(child.stdout.split()[-1])


def _engine_floor(step_count: int = 7, examples: int = 300, seed: int = 1) -> float:
    """Seconds per example of Hypothesis' stateful engine alone: five rules drawing ``st.data()``
    (as the suite's do) that send nothing, ``step_count`` steps, an invariant, generation only;
    under the suite's garbage-collector settings."""
    import gc

    from hypothesis import HealthCheck, Phase, seed as hypothesis_seed, settings, strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, get_state_machine_test, invariant, rule

    from conformance.suite.conftest import YOUNG_COLLECTION_THRESHOLD

    class NoOpMachine(RuleBasedStateMachine):
        @rule(data=st.data())
        def first(self, data):
            pass

        @rule(data=st.data(), count=st.integers(1, 6))
        def second(self, data, count):
            pass

        @rule(data=st.data())
        def third(self, data):
            pass

        @rule(data=st.data(), weight=st.sampled_from([0.5, 1.0, 3.0]))
        def fourth(self, data, weight):
            pass

        @rule(data=st.data())
        def fifth(self, data):
            pass

        @invariant()
        def holds(self):
            pass

    test = get_state_machine_test(NoOpMachine, settings=settings(
        max_examples=examples, stateful_step_count=step_count, deadline=None, database=None,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    test._hypothesis_internal_database_key = None  # as the suite's runs (conformance.hypothesis_runs)
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    started = time.perf_counter()
    hypothesis_seed(seed)(test)()
    return (time.perf_counter() - started) / examples


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--engine-floor"]:
        print(_engine_floor(int(sys.argv[2])))
