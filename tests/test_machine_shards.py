"""Machine shards: split examples, derived seeds, the simplest example run once, concurrency on real time."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from conformance.machines import MACHINES, parts_for, run_area
from conformance.machines import shards as sharding
from conformance.machines.driver import run_machine
from conformance.recording import Recorder
from conformance.results import Status
from conformance.targets import make_target
from conformance.targets.calllog import RequestLog
from conformance.targets.spec import parse_spec


@pytest.mark.parametrize("examples,count", [(10, 4), (3, 8), (1, 1), (7, 7), (20, 3)])
def test_a_plan_splits_every_example_once_and_keeps_the_run_seed_for_shard_zero(examples, count):
    planned = sharding.plan(123, "tags", examples, count)
    assert sum(shard.max_examples for shard in planned) == examples
    assert len(planned) == min(examples, count)
    assert all(shard.max_examples >= 1 for shard in planned)
    assert planned[0].seed == 123
    assert len({shard.seed for shard in planned}) == len(planned)
    assert planned == sharding.plan(123, "tags", examples, count)  # a seed reproduces the plan
    assert [s.seed for s in sharding.plan(124, "tags", examples, count)][1:] != [s.seed for s in planned][1:] or count == 1


@pytest.mark.parametrize("shards,parts", [(4, 4), (10, 3), (5, 1), (2, 2)])
def test_parts_cover_the_shards_exactly_once_in_order(shards, parts):
    planned = sharding.plan(1, "endpoints", 20, shards)
    covered = [shard for part in range(parts) for shard in sharding.part_of(planned, part, parts)]
    assert covered == planned


def test_driven_clock_targets_are_split_into_parts_and_real_time_targets_are_not():
    for name, spec in MACHINES.items():
        assert parts_for(name, parse_spec("reference"), 20) == min(spec.parts, round(20 * spec.examples_share))
        assert parts_for(name, parse_spec("http://127.0.0.1:5000"), 20) == 1
    assert parts_for("endpoints", parse_spec("moto"), 2) == 1  # never more parts than examples


class _Draws(RuleBasedStateMachine):
    """Records the values its single rule draws."""

    seen: list = []
    RULES = ()

    def __init__(self, run=None) -> None:
        super().__init__()

    @rule(value=st.integers(0, 1000))
    def draw(self, value):
        type(self).seen.append(value)


def _examples_drawn(skip_simplest: bool, seed: int) -> list:
    _Draws.seen = []
    run_machine(_Draws, make_target("reference"), Recorder(), rule_ids=["x"], seed=seed, max_examples=1,
                step_count=3, skip_simplest=skip_simplest)
    return list(_Draws.seen)


def test_only_the_first_shard_runs_the_simplest_example():
    assert _examples_drawn(skip_simplest=False, seed=5) == [0, 0, 0]  # Hypothesis tries the simplest first
    for seed in (5, 6, 7):
        drawn = _examples_drawn(skip_simplest=True, seed=seed)
        assert drawn != [0, 0, 0]
        assert len(drawn) == 3  # the shard's first draw does not take a step from the machine


def test_shards_run_at_once_when_concurrency_allows_it():
    barrier = threading.Barrier(3, timeout=10)  # broken unless all three calls are in flight together
    work = [lambda stop: barrier.wait() >= 0 for _ in range(3)]
    assert sharding.run_all(work, concurrency=3) == [True, True, True]
    with pytest.raises(threading.BrokenBarrierError):
        sharding.run_all([lambda stop: threading.Barrier(2, timeout=0.2).wait()], concurrency=1)


def boom_now():
    raise RuntimeError("shard broke")


def test_an_error_in_one_shard_stops_the_others_and_is_raised_after_they_ended():
    finished = []

    waiting = threading.Event()

    def boom(stop):
        waiting.wait(timeout=60)
        raise RuntimeError("shard broke")

    def patient(stop):  # a shard in a long wait ends as soon as it is told to
        waiting.set()
        finished.append(stop.wait(timeout=60))

    with pytest.raises(RuntimeError, match="shard broke"):
        sharding.run_all([boom, patient], concurrency=2)
    assert finished == [True]  # it was told, and finished before the error was raised
    never_started = []
    with pytest.raises(RuntimeError, match="shard broke"):  # shards still queued are not started
        sharding.run_all([lambda stop: boom_now(), lambda stop: never_started.append(1)], concurrency=1)
    assert never_started == []


def test_concurrency_is_one_on_a_driven_clock_and_on_aws_unless_asked():
    reference = make_target("reference")
    assert reference.driven_clock
    assert sharding.concurrency_for(reference, 8, 10) == 1

    class RealTime:
        driven_clock = False
        spec = parse_spec("http://127.0.0.1:5000")

    class Aws(RealTime):
        spec = parse_spec("aws:us-east-1")

    assert sharding.concurrency_for(RealTime(), None, 10) == 10
    assert sharding.concurrency_for(RealTime(), None, 40) == sharding.MAX_DEFAULT_CONCURRENCY
    assert sharding.concurrency_for(RealTime(), 3, 10) == 3
    assert sharding.concurrency_for(Aws(), None, 10) == 1
    assert sharding.concurrency_for(Aws(), 4, 10) == 4


def test_a_reproduction_holds_only_the_calls_of_its_own_thread():
    log = RequestLog()
    mark = log.mark()
    log.start("sagemaker", "ListEndpoints", {})
    other = threading.Thread(target=lambda: log.start("sagemaker", "DeleteEndpoint", {"EndpointName": "theirs"}))
    other.start()
    other.join()
    mine = log.to_boto3(mark, thread=threading.get_ident())
    assert "list_endpoints()" in mine and "theirs" not in mine
    assert "theirs" in log.to_boto3(mark)


def test_a_real_time_target_runs_every_example_as_a_concurrent_shard(served_reference):
    target = make_target(served_reference, time_scale=0.001)
    assert not target.driven_clock
    recorder = Recorder()
    target.recorder = recorder
    try:
        result = run_area("tags", target, recorder, seed=3, max_examples=3, raise_failures=False)
    finally:
        target.close()
    assert result.failures == []
    assert recorder.status_of("tags.add.key-constraints") is Status.PASSED
    shard_threads = {call.thread for call in target.call_log.calls()} - {threading.get_ident()}
    assert len(shard_threads) == 3  # one per example


def test_a_rule_one_shard_failed_is_not_enforced_again_by_the_next(tmp_path):
    target = make_target("reference:tags-aws-prefix-allowed")
    recorder = Recorder()
    target.recorder = recorder
    try:
        first = run_area("tags", target, recorder, seed=7, max_examples=4, part=0, parts=2, raise_failures=False)
        second = run_area("tags", target, recorder, seed=7, max_examples=4, part=1, parts=2, raise_failures=False)
    finally:
        target.close()
    assert first.failed_rules == ["tags.reserved-aws-prefix"]
    assert second.failed_rules == []  # already failed: not shrunk a second time
    assert recorder.status_of("tags.reserved-aws-prefix") is Status.FAILED


def _collected(target: str) -> list:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--pyargs", "conformance.suite", f"--target={target}", "--collect-only",
         "-q", "-p", "no:cacheprovider", "-m", "not fuzz"],
        capture_output=True, text=True, timeout=120,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_the_suite_splits_machines_into_parts_on_a_driven_clock_only(served_reference):
    parted = _collected("reference")
    assert sum("test_endpoint_lifecycle_and_deployments_follow_the_docs[part" in line for line in parted) == \
        MACHINES["endpoints"].parts
    whole = _collected(served_reference)
    assert len(whole) == len(MACHINES) and not any("[part" in line for line in whole)


def test_a_failure_found_by_a_later_shard_prints_the_run_seed():
    target = make_target("reference:tags-aws-prefix-allowed")
    recorder = Recorder()
    target.recorder = recorder
    try:
        later = run_area("tags", target, recorder, seed=11, max_examples=6, part=2, parts=3, raise_failures=False)
    finally:
        target.close()
    failure = later.failures[0]
    assert failure.rule_id == "tags.reserved-aws-prefix"
    assert failure.seed == 11 and "# seed 11\n" in failure.reproduction  # --seed=11 replays it, shards included
    assert recorder.rule_results([type("R", (), {"id": failure.rule_id, "area": "tags", "statement": "",
                                                 "operation": "AddTags", "member": ""})])[0].failures[0].seed == 11


def test_the_error_that_ended_the_run_is_raised_not_a_shard_it_stopped():
    started = threading.Barrier(2, timeout=30)

    def stopped(stop):  # listed first, ends with ShardStopped once told
        started.wait()
        stop.wait(timeout=60)
        raise sharding.ShardStopped("another shard ended the run")

    def cause(stop):
        started.wait()
        raise RuntimeError("the target went away")

    with pytest.raises(RuntimeError, match="went away"):
        sharding.run_all([stopped, cause], concurrency=2)


def test_a_stopped_shard_sends_nothing_more(served_reference):
    from conformance.machines.session import RunContext, Session

    target = make_target(served_reference, time_scale=0.001)
    stop = threading.Event()
    run = RunContext(target=target, recorder=Recorder(), seed=1, active=set(), stop=stop)
    session = Session(run)
    assert session.call("ListEndpoints").ok
    stop.set()
    with pytest.raises(sharding.ShardStopped):
        session.call("ListEndpoints")
    assert len(target.call_log.calls()) == 1
    target.close()
