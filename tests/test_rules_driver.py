"""The driver's promises: one broken rule does not hide another, target trouble is never a nonconformance,
failures carry a runnable boto3 reproduction and the seed."""

from __future__ import annotations

import pytest

from conformance.errors import TargetError
from conformance.machines import MACHINES, decided_rules, raise_grouped, run_area
from conformance.recording import Recorder
from conformance.results import Status
from conformance.targets import make_target

from test_rules_breakers import BREAKERS


def _run(target, machine, **kwargs):
    recorder = Recorder()
    target.recorder = recorder
    try:
        result = run_area(machine, target, recorder, raise_failures=False, **kwargs)
    finally:
        target.close()
    return result, recorder


def test_two_broken_rules_are_both_reported_and_the_others_still_pass():
    target = make_target("reference")
    BREAKERS["tags.unique-keys"].wrap(target)
    BREAKERS["tags.add.value-constraints"].wrap(target)
    result, recorder = _run(target, "tags", seed=0, max_examples=4, shrink=False)
    assert set(result.failed_rules) == {"tags.unique-keys", "tags.add.value-constraints"}
    assert result.rounds == 3  # one round per broken rule, then a clean one
    others = [r for r in decided_rules(MACHINES["tags"].load()) if r not in result.failed_rules]
    assert {r: recorder.status_of(r).value for r in others if recorder.status_of(r) is Status.FAILED} == {}
    assert recorder.status_of("tags.add.key-constraints") is Status.PASSED


def test_a_failure_is_shrunk_and_carries_a_runnable_reproduction_with_its_seed():
    result, recorder = _run(make_target("reference:tags-aws-prefix-allowed"), "tags", seed=7, max_examples=4)
    assert result.failed_rules == ["tags.reserved-aws-prefix"]
    failure = result.failures[0]
    assert failure.seed == 7
    script = failure.reproduction
    compile(script, "<reproduction>", "exec")  # runnable Python
    assert "seed 7" in script and "import boto3" in script
    assert "aws:" in script.splitlines()[-1] or any("Key': 'aws:" in line for line in script.splitlines())
    recorded = recorder.rule_results([type("R", (), {"id": "tags.reserved-aws-prefix", "area": "tags",
                                                     "statement": "", "operation": "AddTags", "member": ""})])[0]
    assert recorded.status is Status.FAILED and recorded.failures[0].reproduction == script


def test_target_errors_are_recorded_as_target_error_never_as_failures():
    target = make_target("reference")

    def crash(**_kwargs):
        raise TargetError("ListTags: the target crashed (simulated)")

    target.client("sagemaker").meta.events.register("before-call.sagemaker.ListTags", crash)
    result, recorder = _run(target, "tags", seed=0, max_examples=2, shrink=False)
    assert result.failures == []
    assert recorder.status_of("tags.create.listed") is Status.TARGET_ERROR
    assert recorder.status_of("tags.list.reflects-changes") is Status.TARGET_ERROR


def test_grouped_failures_keep_every_rule_failure_for_the_plugin():
    from conformance.errors import RuleFailure

    first, second = RuleFailure("a.b", "one"), RuleFailure("c.d", "two")
    with pytest.raises(BaseExceptionGroup) as caught:
        raise_grouped("M", [first, second])
    assert list(caught.value.exceptions) == [first, second]
    assert "[a.b] one" in str(caught.value) and "[c.d] two" in str(caught.value)


def _failure_raised_deep_in_the_suite(rule_id: str) -> "RuleFailure":
    """A RuleFailure as a machine's check raises it: from inside helpers, while handling another
    exception, with Hypothesis' note and the example's reproduction."""
    from conformance.errors import RuleFailure

    def check_deep_inside_the_machine():
        try:
            raise KeyError("the teardown's own trouble")
        except KeyError:
            failure = RuleFailure(rule_id, "broken")
            failure.reproduction = f"# reproduces [{rule_id}]\nsagemaker.list_tags(ResourceArn='arn')"
            raise failure

    try:
        check_deep_inside_the_machine()
    except RuleFailure as err:
        err.add_note("Falsifying example:\nstate = TagsMachine()")
        return err


@pytest.mark.parametrize("count", [1, 2])
def test_raised_failures_show_rule_message_and_reproduction_once_without_the_suites_frames(count):
    import traceback

    failures = [_failure_raised_deep_in_the_suite(f"rule.{n}") for n in range(count)]
    with pytest.raises(BaseException) as caught:
        raise_grouped("M", failures)
    shown = "".join(traceback.format_exception(caught.value))
    for failure in failures:  # a group indents its leaves: each reproduction's lines are found one by one
        assert shown.count(f"# reproduces [{failure.rule_id}]") == 1, shown
        assert f"[{failure.rule_id}] broken" in shown
    assert shown.count("sagemaker.list_tags(ResourceArn='arn')") == count
    assert "check_deep_inside_the_machine" not in shown and "Falsifying example" not in shown
    assert "the teardown's own trouble" not in shown


def test_polling_folds_into_a_loop_that_still_runs():
    from conformance.machines.session import compact_polling

    poll = ["sagemaker.describe_endpoint(EndpointName='e')  # -> 200", "time.sleep(5 * TIME_SCALE)"]
    script = "\n".join(["import time", "TIME_SCALE = 0", "calls = []", "class S:",
                        "    def describe_endpoint(self, **kw): calls.append(kw)", "sagemaker = S()"]
                       + poll * 4 + ["sagemaker.describe_endpoint(EndpointName='e')"])
    folded = compact_polling(script)
    assert "for _ in range(4):  # polling" in folded
    assert len(folded.splitlines()) < len(script.splitlines())
    namespace = {}
    exec(compile(folded, "<reproduction>", "exec"), namespace)
    assert len(namespace["calls"]) == 5  # the same calls as before folding


def _shrink(replays):
    from conformance.machines.driver import run_machine

    target = make_target("reference:tags-aws-prefix-allowed")
    recorder = Recorder()
    target.recorder = recorder
    replays_seen = []
    machine_class = MACHINES["tags"].load()

    class Counting(machine_class):
        def __init__(self, run):
            super().__init__(run)  # refused here once the budget is spent
            replays_seen.append(run.failing)

    try:
        result = run_machine(Counting, target, recorder, rule_ids=decided_rules(machine_class), seed=7,
                             max_examples=4, shrink_replays=replays)
    finally:
        target.close()
    return result, sum(replays_seen)  # examples run after the first failure: the shrink's replays


def test_shrinking_stops_at_its_budget_and_reports_the_smallest_failure_found():
    bounded, replays = _shrink(3)
    assert replays == 3  # the fourth replay is refused before it sends anything
    failure = bounded.failures[0]
    assert failure.rule_id == "tags.reserved-aws-prefix"
    assert failure.message.endswith("(shrinking stopped after 3 replays)")
    compile(failure.reproduction, "<reproduction>", "exec")
    full, unbounded_replays = _shrink(None)
    assert unbounded_replays > 3  # without a budget Hypothesis replays more: the budget did bind
    assert full.failed_rules == ["tags.reserved-aws-prefix"] and "shrinking stopped" not in full.failures[0].message
    # The stop keeps the latest (smallest so far) failure: never longer than the first one found.
    assert failure.reproduction.count("\n") >= full.failures[0].reproduction.count("\n")


def test_a_failure_whose_replays_draw_differently_is_still_reported_not_crashed():
    """A real-time target can answer a replay differently, so the machine draws differently on it
    (Hypothesis: FlakyStrategyDefinition); the failure the example showed is reported as found."""
    from hypothesis import strategies as st
    from hypothesis.errors import FlakyStrategyDefinition
    from hypothesis.stateful import RuleBasedStateMachine, rule

    from conformance.machines.driver import run_machine
    from conformance.machines.session import Session

    class Drifting(RuleBasedStateMachine):
        examples = 0

        def __init__(self, run):
            super().__init__()
            self.s = Session(run)
            type(self).examples += 1

        @rule(data=st.data())
        def step(self, data):
            if type(self).examples > 1:  # the target moved on: Hypothesis finds the replay drawing otherwise
                raise FlakyStrategyDefinition("Inconsistent data generation!")
            self.s.check("demo.first-example-fails", type(self).examples > 1, "only the first example fails")

    target = make_target("reference")
    recorder = Recorder()
    try:
        result = run_machine(Drifting, target, recorder, rule_ids=["demo.first-example-fails"], seed=1,
                             max_examples=3, step_count=2)
    finally:
        target.close()
    assert result.failed_rules == ["demo.first-example-fails"]
    assert "not deterministic" in result.failures[0].message
    assert recorder.status_of("demo.first-example-fails") is Status.FAILED


def _requests_to_report(fault: str, shrink_replays):
    """Run the tags machine against a faulted reference target: its failures, and the requests sent."""
    from types import SimpleNamespace

    target = make_target(f"reference:{fault}")
    recorder = Recorder()
    target.recorder = recorder
    settings = SimpleNamespace(seed=3, max_examples=16, concurrency=None, shrink_replays=shrink_replays)
    try:
        result = run_area("tags", target, recorder, settings, raise_failures=False)
    finally:
        target.close()
    return result, sum(recorder.snapshot()["requests"].values())


def test_the_run_option_shrink_replays_bounds_shrinking_and_zero_reports_the_failure_as_found():
    as_found, unshrunk_requests = _requests_to_report("tags-aws-prefix-allowed", 0)
    shrunk, shrunk_requests = _requests_to_report("tags-aws-prefix-allowed", None)  # the default budget
    assert "tags.reserved-aws-prefix" in as_found.failed_rules and "tags.reserved-aws-prefix" in shrunk.failed_rules
    assert not any("shrinking stopped" in failure.message for failure in as_found.failures)
    assert unshrunk_requests < shrunk_requests  # the replays shrinking sends are the difference
    found = next(f for f in as_found.failures if f.rule_id == "tags.reserved-aws-prefix")
    smallest = next(f for f in shrunk.failures if f.rule_id == "tags.reserved-aws-prefix")
    assert smallest.reproduction.count("\n") <= found.reproduction.count("\n")


def test_an_output_rule_already_failed_costs_no_more_schema_checks(monkeypatch):
    """Once a target broke an operation's output rule, the rule is dropped: its answers are not validated again."""
    from conformance import shapes
    from conformance.errors import RuleFailure
    from conformance.machines.session import RunContext, Session
    from conformance.rules.validation import output_rule_id

    validated = []
    real = shapes.parsed_output_valid  # where every validation of an answer starts
    monkeypatch.setattr(shapes, "parsed_output_valid", lambda operation, *a: validated.append(operation) or real(operation, *a))
    wrong_type = {"EndpointName": 5, "EndpointArn": 5}
    rule_id = output_rule_id("DescribeEndpoint")
    target = make_target("reference")
    try:
        enforced = Session(RunContext(target=target, recorder=Recorder(), seed=0, active={rule_id}))
        with pytest.raises(RuleFailure):
            enforced.check_output("DescribeEndpoint", dict(wrong_type))
        dropped = Session(RunContext(target=target, recorder=Recorder(), seed=0, active=set()))
        dropped.check_output("DescribeEndpoint", dict(wrong_type))
    finally:
        target.close()
    assert validated == ["DescribeEndpoint"]


def test_a_repeated_answer_is_not_validated_again_but_still_counts_as_a_decided_check(monkeypatch):
    """Polling repeats answers: an answer equal to the operation's last valid one has the same verdict."""
    from conformance import shapes
    from conformance.machines.session import RunContext, Session
    from conformance.rules.validation import output_rule_id

    validated = []
    real = shapes.parsed_output_valid  # where every validation of an answer starts
    monkeypatch.setattr(shapes, "parsed_output_valid", lambda operation, *a: validated.append(operation) or real(operation, *a))
    rule_id = output_rule_id("ListTags")
    recorder = Recorder()
    target = make_target("reference")
    try:
        session = Session(RunContext(target=target, recorder=recorder, seed=0, active={rule_id}))
        session.check_output("ListTags", {"Tags": [{"Key": "k", "Value": "v"}]})
        session.check_output("ListTags", {"Tags": [{"Key": "k", "Value": "v"}]})  # equal: not validated again
        session.check_output("ListTags", {"Tags": [{"Key": "k", "Value": "w"}]})  # changed: validated
    finally:
        target.close()
    assert validated == ["ListTags", "ListTags"]
    assert recorder.snapshot()["checks"][rule_id] == 3
