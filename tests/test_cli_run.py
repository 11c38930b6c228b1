"""``sagemaker-conformance run`` and ``sweep`` as a user runs them: subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from conformance import runner
from conformance.targets import make_target

ROLE = "arn:aws:iam::123456789012:role/x"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"


def cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "conformance", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_run_help_documents_every_option_with_examples():
    result = cli("run", "--help")
    assert result.returncode == 0
    for option in ("--target", "--report-dir", "--seed", "--max-examples", "-n", "-m", "-k", "--known-failures",
                   "--time-scale", "--shrink-replays", "--concurrency", "--operations", "--fuzz-mutating",
                   "--allow-aws-costs", "--target-credentials", "--pytest-args"):
        assert f" {option} " in result.stdout or f" {option}," in result.stdout, option
    assert "examples:" in result.stdout and "sagemaker-conformance run --target moto" in result.stdout
    assert "exit status: 0 conformant, 1 a rule failed, 2 usage or target error" in result.stdout


def test_the_program_freezes_what_the_run_left_then_exits_with_mains_status(monkeypatch):
    """Frozen objects are skipped by the interpreter's final garbage collection (0.42 -> 0.03 s at exit)."""
    import gc

    from conformance import cli

    events = []
    monkeypatch.setattr(cli, "main", lambda: events.append("main") or 3)
    monkeypatch.setattr(gc, "freeze", lambda: events.append("freeze"))
    with pytest.raises(SystemExit) as stopped:
        cli.console_main()
    assert stopped.value.code == 3 and events == ["main", "freeze"]


def test_run_translates_its_options_to_the_plugins(tmp_path):
    known = tmp_path / "known.txt"
    known.write_text("a.b.c\n")
    parser = argparse.ArgumentParser()
    runner.add_arguments(parser)
    args = parser.parse_args(["--target", "moto", "--seed", "5", "--max-examples", "3", "-n", "2", "-m", "tags",
                              "-k", "endpoint.create", "--known-failures", str(known), "--time-scale", "0.01",
                              "--shrink-replays", "0", "--concurrency", "4", "--operations", "Describe*,AddTags",
                              "--fuzz-mutating",
                              "--report-dir", str(tmp_path / "out"), "--pytest-args=-x --tb=short"])
    argv = runner.pytest_args(args)
    assert argv[:2] == ["--pyargs", "conformance.suite"]
    for expected in ("--target=moto", "--seed=5", "--max-examples=3", "--time-scale=0.01", "--shrink-replays=0",
                     "--concurrency=4", "--operations=Describe*,AddTags", "--fuzz-mutating", f"--known-failures={known}",
                     f"--report-dir={tmp_path / 'out'}", "-x", "--tb=short"):
        assert expected in argv
    assert argv[argv.index("-n") + 1] == "2" and argv[argv.index("-m") + 1] == "tags"
    assert argv[argv.index("-k") + 1] == "endpoint.create"
    # pytest's unraisable-exception clean-up (five full garbage collections per exiting process) stays off
    assert argv[argv.index("no:unraisableexception") - 1] == "-p"


@pytest.mark.parametrize(
    "args, words",
    [
        (["--target", "gopher://127.0.0.1:70"], "unknown target scheme 'gopher'"),
        (["--target", "aws:eu-west-1"], "add --allow-aws-costs to confirm"),
        (["--target", "closed-port"], "is unreachable"),
        (["--target", "garbage"], "does not answer like SageMaker"),
        (["--seed", "minus-one"], "argument --seed"),
        (["--known-failures", "/nonexistent/known.txt"], "no such file"),
        (["--time-scale", "0"], "argument --time-scale"),
        (["--operations", "NoSuchOperation*"], "'NoSuchOperation*' matches no SageMaker operation"),
        (["--target", "moto", "-k", "no_test_has_this_name_xyz"], "no test selected"),
    ],
)
def test_run_refuses_bad_input_in_one_line_with_status_2(garbage_url, closed_port_url, args, words):
    args = [{"closed-port": closed_port_url, "garbage": garbage_url}.get(arg, arg) for arg in args]
    result = cli("run", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert len([line for line in output.splitlines() if words in line]) == 1, output
    if "-k" not in args:  # refused before pytest started: the error is all there is
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1


def test_sweep_deletes_leftovers_of_an_earlier_run_and_dry_run_deletes_nothing(served_reference):
    earlier = make_target(served_reference, time_scale=0.001)
    left = [earlier.resource_name("model") for _ in range(2)]
    for name in left:
        earlier.client().create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE},
                                      Tags=earlier.run_tags())
    mine = "sc-not-the-suites-model"  # the prefix alone is not enough: no run-id tag, so it stays
    earlier.client().create_model(ModelName=mine, ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
    earlier.closed = True  # as if the run had been killed: no cleanup happened

    dry = cli("sweep", "--target", served_reference, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would delete 2 resource(s)" in dry.stdout

    swept = cli("sweep", "--target", served_reference, "--run-id", earlier.run_id)
    assert swept.returncode == 0, swept.stderr
    assert all(f"deleted {name}" in swept.stdout for name in left)
    assert "deleted 2 resource(s), 0 error(s)" in swept.stdout
    with make_target(served_reference) as observer:
        names = [m["ModelName"] for m in observer.client().list_models(NameContains="sc-")["Models"]]
    assert names == [mine]


def test_sweep_refuses_aws_without_opt_in_and_unknown_durations():
    refused = cli("sweep", "--target", "aws")
    assert refused.returncode == 2 and "--allow-aws-costs" in refused.stderr
    bad = cli("sweep", "--target", "moto", "--older-than", "yesterday")
    assert bad.returncode == 2 and "not a duration" in bad.stderr


def _tags_rules(report_dir):
    import json

    data = json.loads((report_dir / "report.json").read_text())
    return data, {rule["id"]: rule for rule in data["rules"] if rule["area"] == "tags"}


@pytest.mark.slow
@pytest.mark.parametrize("where", ["in-process", "over-http"])
def test_run_end_to_end_on_the_reference_target_is_conformant(tmp_path, served_reference, where):
    target = "reference" if where == "in-process" else served_reference
    result = cli("run", "--target", target, "--time-scale", "0.001" if where == "over-http" else "1",
                 "-m", "tags", "--max-examples", "3", "--seed", "5", "--report-dir", str(tmp_path), timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    data, tags = _tags_rules(tmp_path)
    assert data["seed"] == 5 and data["verdict"] == "conformant"
    assert tags and all(rule["status"] in ("passed", "skipped") for rule in tags.values())
    assert sum(rule["status"] == "passed" for rule in tags.values()) >= 5
    assert f"report: {tmp_path / 'report.html'}" in result.stdout


def test_a_fuzz_only_run_counts_its_operations_in_the_last_line(tmp_path):
    """No rule runs, so the verdict is incomplete; the line also says how the fuzzed operations went."""
    result = cli("run", "--target", "reference", "-m", "fuzz", "--seed", "7", "--max-examples", "3",
                 "--operations", "DescribeEndpoint,ListAlgorithms", "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    assert "reference is incomplete" in last and "operations fuzzed: 1 passed, 1 not_implemented; seed 7" in last


@pytest.mark.slow
def test_run_end_to_end_on_a_faulted_reference_target_fails_the_broken_rule(tmp_path):
    result = cli("run", "--target", "reference:tags-aws-prefix-allowed", "-m", "tags", "--max-examples", "3",
                 "--seed", "5", "--report-dir", str(tmp_path), timeout=600)
    assert result.returncode == 1
    data, tags = _tags_rules(tmp_path)
    assert data["verdict"] == "nonconformant"
    assert tags["tags.reserved-aws-prefix"]["status"] == "failed"
    failure = tags["tags.reserved-aws-prefix"]["failures"][0]
    assert failure["seed"] == 5 and "sagemaker.add_tags(" in failure["reproduction"]
    assert "seed 5; rerun: pytest --pyargs conformance.suite --target=reference:tags-aws-prefix-allowed" in result.stdout
    # declaring the gap makes the same run pass: only regressions fail CI
    known = tmp_path / "known.txt"
    known.write_text("tags.reserved-aws-prefix  # our emulator allows aws: keys\n")
    again = cli("run", "--target", "reference:tags-aws-prefix-allowed", "-m", "tags", "--max-examples", "3",
                "--seed", "5", "--report-dir", str(tmp_path / "again"), "--known-failures", str(known), timeout=600)
    assert again.returncode == 0, again.stdout[-3000:]


@pytest.mark.slow
def test_run_with_xdist_workers_gives_the_same_results(tmp_path):
    import json

    reports = {}
    for workers in ("0", "2"):
        result = cli("run", "-n", workers, "-m", "tags or search", "--max-examples", "3", "--seed", "8",
                     "--report-dir", str(tmp_path / workers), "-q", timeout=600)
        assert result.returncode == 0, result.stdout[-3000:]
        data = json.loads((tmp_path / workers / "report.json").read_text())
        reports[workers] = (
            {rule["id"]: (rule["status"], rule["checks"]) for rule in data["rules"]},
            {operation["name"]: operation["requests"] for operation in data["operations"]},
        )
    assert reports["0"] == reports["2"]
    assert sum(status == "passed" for status, _checks in reports["2"][0].values()) >= 10
