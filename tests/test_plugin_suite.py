"""The pytest plugin, driven through real pytest runs (pytester) of small suites written here."""

from __future__ import annotations

import json

import pytest

from conformance.rules import all_rules
from conformance.targets import make_target

pytest_plugins = ["pytester"]

RULES = [rule.id for rule in all_rules()[:4]]

SUITE = f'''
import pathlib

import pytest
from conformance.errors import RuleFailure, TargetError
from conformance.results import Status

RULES = {RULES!r}
ROLE = "arn:aws:iam::123456789012:role/x"

@pytest.mark.parametrize("rule_id", RULES)
def test_model_created(rule_id, conformance_target, conformance_recorder, conformance_settings):
    client = conformance_target.client()
    name = conformance_target.resource_name("model")
    client.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={{"Image": "img"}},
                        Tags=conformance_target.run_tags())
    listed = [m["ModelName"] for m in client.list_models(NameContains=name)["Models"]]
    conformance_recorder.record(rule_id, Status.PASSED if name in listed else Status.FAILED)
    out = pathlib.Path.cwd() / f"seen-{{name}}.json"  # workers run in the invocation directory too
    out.write_text('{{"seed": %d, "run_id": "%s"}}' % (conformance_settings.seed, conformance_target.run_id))
'''


def run_suite(pytester, *args, subprocess=False, source=SUITE):
    pytester.makepyfile(test_suite=source)
    run = pytester.runpytest_subprocess if subprocess else pytester.runpytest
    return run("-p", "no:cacheprovider", *args)


def report(pytester, directory="rep"):
    return json.loads((pytester.path / directory / "report.json").read_text())


def test_plugin_is_inert_for_runs_that_do_not_use_the_suite(pytester):
    pytester.makepyfile(test_plain="def test_plain():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "= sagemaker-conformance =" not in result.stdout.str() and "seed" not in result.stdout.str()
    assert not (pytester.path / "reports").exists()


@pytest.mark.parametrize("worker, suite_ran", [(True, True), (True, False), (False, True)])
def test_only_an_xdist_worker_that_ran_the_suite_freezes_its_objects_when_its_session_ends(
        monkeypatch, worker, suite_ran):
    """A worker's process exits next; a process the plugin does not own (a user's pytest), or a worker
    of another test suite, must not change how it ends."""
    import gc
    import types

    from conformance import plugin

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    state = types.SimpleNamespace(target=None, is_worker=worker, active=suite_ran)
    plugin._RunHooks(state).pytest_unconfigure(config=None)
    assert frozen == ([True] if worker and suite_ran else [])


def test_suite_against_moto_writes_the_reports_and_passes(pytester):
    result = run_suite(pytester, "--target", "moto", "--report-dir", "rep", "--seed", "7")
    result.assert_outcomes(passed=len(RULES))
    assert result.ret == 0
    data = report(pytester)
    assert data["target"]["kind"] == "moto" and data["seed"] == 7
    statuses = {rule["id"]: rule["status"] for rule in data["rules"]}
    assert all(statuses[rule_id] == "passed" for rule_id in RULES)
    operations = {op["name"]: op for op in data["operations"]}
    assert operations["CreateModel"]["requests"] == len(RULES)
    result.stdout.fnmatch_lines(["*target moto: *", "*seed 7 (rerun with --seed=7)*", "* json: *report.json"])


def test_default_target_is_the_in_process_reference(pytester):
    result = run_suite(pytester, "--report-dir", "rep")
    result.assert_outcomes(passed=len(RULES))
    assert report(pytester)["target"]["kind"] == "reference"


@pytest.mark.parametrize("kind", ["moto-server", "url"])
def test_suite_against_servers_on_loopback(pytester, served_reference, kind):
    target = served_reference if kind == "url" else kind
    result = run_suite(pytester, "--target", target, "--time-scale", "0.001", "--report-dir", "rep")
    result.assert_outcomes(passed=len(RULES))
    assert result.ret == 0
    data = report(pytester)
    assert data["target"]["kind"] == kind
    if kind == "url":
        assert data["target"]["url"] == served_reference
        with make_target(served_reference) as observer:  # the run cleaned up after itself
            leftovers = observer.client().list_models(NameContains=f"sc-{data['target']['run_id']}-")["Models"]
        assert leftovers == []


def test_xdist_workers_share_seed_and_run_id_and_their_records_are_merged(pytester):
    result = run_suite(pytester, "-n", "2", "--target", "moto", "--report-dir", "rep", subprocess=True)
    result.assert_outcomes(passed=len(RULES))
    seen = [json.loads(p.read_text()) for p in pytester.path.glob("seen-*.json")]
    assert len(seen) == len(RULES)
    assert len({(s["seed"], s["run_id"]) for s in seen}) == 1
    data = report(pytester)
    assert data["seed"] == seen[0]["seed"]
    assert {op["name"]: op["requests"] for op in data["operations"]}["CreateModel"] == len(RULES)
    assert all(rule["status"] == "passed" for rule in data["rules"] if rule["id"] in RULES)


FAILING = '''
from conformance.errors import RuleFailure

def test_breaks_a_rule(conformance_target):
    raise RuleFailure("endpoint.fake.rule", "the target did something else")
'''


def test_a_failure_prints_its_seed_and_fails_the_run(pytester):
    result = run_suite(pytester, "--seed", "4242", source=FAILING)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*seed 4242; rerun: pytest --pyargs conformance.suite*--seed=4242*"])


def test_known_failures_xfail_so_only_regressions_fail(pytester):
    known = pytester.makefile(".txt", known="# gaps of this target\nendpoint.fake.rule  # tracked upstream\n\n")
    result = run_suite(pytester, "--known-failures", str(known), source=FAILING)
    result.assert_outcomes(xfailed=1)
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*--known-failures lists ids that are not rules (typo?): endpoint.fake.rule*"])


def test_known_failures_file_is_checked_when_parsed(pytester):
    bad = pytester.makefile(".txt", bad="two ids on.one line\n")
    result = run_suite(pytester, "--known-failures", str(bad), source=FAILING)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--known-failures*:1: one rule id per line*"])


TARGET_TROUBLE = '''
import pytest
from conformance.errors import TargetError

def test_target_dies(conformance_target):
    raise TargetError("DescribeEndpoint: the target did not answer in time")

def test_unsupported(conformance_target):
    conformance_target.client().update_endpoint(EndpointName="e", EndpointConfigName="c")
'''


def test_target_errors_and_unsupported_operations_are_not_nonconformances(pytester):
    result = run_suite(pytester, "--target", "moto", "-rs", source=TARGET_TROUBLE)
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*1 test(s) could not run because of target errors*"])
    result.stdout.fnmatch_lines(["*target_error: DescribeEndpoint: the target did not answer in time*",
                                 "*not_implemented: UpdateEndpoint is not implemented by the target*"])
    assert result.ret == 2


SEEDED = '''
from hypothesis import given, strategies as st

@given(value=st.integers())
def test_draws(value, conformance_recorder):
    with open("draws.txt", "a") as out:
        out.write(f"{value}\\n")
'''


def test_hypothesis_tests_of_the_suite_follow_the_seed(pytester):
    draws = []
    for _ in range(2):
        run_suite(pytester, "--seed", "99", "-p", "no:randomly", source=SEEDED).assert_outcomes(passed=1)
        draws.append((pytester.path / "draws.txt").read_text())
        (pytester.path / "draws.txt").unlink()
    assert draws[0] == draws[1] and len(draws[0].splitlines()) > 1


@pytest.mark.parametrize(
    "target, words",
    [
        ("ftp://127.0.0.1:21", "unknown target scheme 'ftp'"),
        ("aws", "add --allow-aws-costs to confirm"),
        ("closed-port", "is unreachable"),
        ("garbage", "does not answer like SageMaker"),
    ],
)
def test_bad_targets_stop_the_run_with_one_line_and_status_2(pytester, garbage_url, closed_port_url, target, words):
    target = {"closed-port": closed_port_url, "garbage": garbage_url}.get(target, target)
    result = run_suite(pytester, "--target", target)
    assert result.ret == 2
    output = result.stdout.str() + result.stderr.str()
    assert len([line for line in output.splitlines() if words in line]) == 1, output
    assert "Traceback" not in output and "passed" not in output


INTERRUPTED = '''
ROLE = "arn:aws:iam::123456789012:role/x"

def test_interrupted_after_creating(conformance_target):
    client = conformance_target.client()
    client.create_model(ModelName=conformance_target.resource_name("model"), ExecutionRoleArn=ROLE,
                        PrimaryContainer={"Image": "img"}, Tags=conformance_target.run_tags())
    with open("run-id.txt", "w") as out:
        out.write(conformance_target.run_id)
    raise KeyboardInterrupt
'''


def test_ctrl_c_still_cleans_up_what_the_run_created(pytester, served_reference):
    result = run_suite(pytester, "--target", served_reference, source=INTERRUPTED, subprocess=True)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    run_id = (pytester.path / "run-id.txt").read_text()
    with make_target(served_reference) as observer:
        assert observer.client().list_models(NameContains=f"sc-{run_id}-")["Models"] == []


SLOW = """
import time

def test_slow_machine(conformance_target, conformance_recorder):
    client = conformance_target.client()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        client.list_models()
        time.sleep(0.05)
"""


def test_long_runs_show_progress(pytester, monkeypatch):
    import conformance.plugin

    monkeypatch.setattr(conformance.plugin, "PROGRESS_INTERVAL_S", 0.3)
    result = run_suite(pytester, "--target", "moto", source=SLOW)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["sagemaker-conformance: * s, 0 checks decided, * requests; running test_suite.py::test_slow_machine"])


def test_a_corrupt_shapes_file_stops_the_run_with_one_line_and_status_2(pytester, monkeypatch, tmp_path):
    import shutil

    from conformance import shapes

    copy = tmp_path / "shapes"
    shutil.copytree(shapes.SHAPES_DIR, copy)
    (copy / "sagemaker" / "CreateModel.json").write_text("{broken\n")
    monkeypatch.setattr(shapes, "SHAPES_DIR", copy)
    result = run_suite(pytester)
    assert result.ret == 2
    output = result.stdout.str() + result.stderr.str()
    assert len([line for line in output.splitlines() if "CreateModel.json is corrupt" in line]) == 1, output
    assert "Traceback" not in output and "passed" not in output
