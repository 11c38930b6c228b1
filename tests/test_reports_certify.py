"""Certification statement: what it names, when a target is certified, and the files it writes."""

from __future__ import annotations

import hashlib
import json

import test_reports_samples as samples
from conformance.reports.certify import CERTIFIED, NOT_CERTIFIED, rule_set, statement, write_certificate
from conformance.results import Status


def test_all_pass_is_certified_and_names_versions_rule_set_seed_examples():
    run = samples.all_pass()
    data = statement(run, max_examples=25, report_sha256="sha256:x", issued="2026-11-25T18:00:00+00:00")
    assert data["result"] == CERTIFIED and data["reasons"] == []
    assert data["tool"] == run.tool and data["botocore_version"] == run.botocore_version
    assert data["seed"] == 1234 and data["max_examples"] == 25
    assert data["rule_set"]["ids"] == sorted(rule.id for rule in run.rules)
    assert data["rule_set"]["count"] == len(run.rules) and data["rule_set"]["digest"].startswith("sha256:")
    assert data["failed"] == data["not_implemented"] == data["target_error"] == []


def test_a_failed_rule_prevents_certification_and_is_named():
    data = statement(samples.with_failures(), max_examples=25)
    assert data["result"] == NOT_CERTIFIED
    assert data["failed"] == ["endpoint.update.canary-size-at-most-half", "tags.add.overwrites"]
    assert data["reasons"] == ["2 rule(s) failed"]


def test_not_implemented_counts_against_and_is_listed_by_name():
    run = samples.all_pass()
    run.rules[4].status = Status.NOT_IMPLEMENTED
    data = statement(run, max_examples=25)
    assert data["result"] == NOT_CERTIFIED
    assert data["not_implemented"] == [run.rules[4].id] and data["reasons"] == ["1 rule(s) not implemented"]


def test_moto_like_run_lists_everything_held_against_it():
    data = statement(samples.moto_like(), max_examples=25)
    assert data["result"] == NOT_CERTIFIED
    assert data["failed"] == ["endpoint.create.name-unique"]
    assert data["not_implemented"] == ["endpoint.update.canary-size-at-most-half", "endpoint.update.last-deployment-config"]
    assert data["target_error"] == ["endpoint.update.rejected-unless-inservice"]
    assert data["skipped"] == {"search.contains-once": "not exercised in this run"}


def test_skipped_rules_do_not_block_but_target_errors_do():
    run = samples.all_pass()
    run.rules[0].status, run.rules[0].reason = Status.SKIPPED, "failure injection needs the reference target"
    assert statement(run, max_examples=1)["result"] == CERTIFIED
    run.rules[1].status = Status.TARGET_ERROR
    assert statement(run, max_examples=1)["result"] == NOT_CERTIFIED


def test_nothing_passed_is_not_certified():
    run = samples.all_pass()
    for rule in run.rules:
        rule.status = Status.SKIPPED
    assert statement(run, max_examples=1)["reasons"] == ["no rule passed"]


def test_rule_set_digest_follows_ids_statements_and_citations_not_order():
    rules = samples.all_pass().rules
    digest = rule_set(rules)["digest"]
    assert rule_set(list(reversed(rules)))["digest"] == digest
    reworded = samples.all_pass().rules
    reworded[0].statement += " (reworded)"
    assert rule_set(reworded)["digest"] != digest
    recited = samples.all_pass().rules
    recited[0].citation = {"operation": "DescribeEndpoint", "member": ""}
    assert rule_set(recited)["digest"] != digest
    assert rule_set(rules[1:])["digest"] != digest


def test_write_certificate_writes_reports_and_statement(tmp_path):
    run = samples.moto_like()
    paths = write_certificate(run, tmp_path, max_examples=25)
    assert {"json", "html", "junit", "badge", "certificate", "certificate_text"} <= set(paths)
    data = json.loads(paths["certificate"].read_text())
    assert data["report"]["sha256"] == "sha256:" + hashlib.sha256(paths["json"].read_bytes()).hexdigest()
    text = paths["certificate_text"].read_text()
    assert text.startswith("SageMaker API conformance certificate — NOT CERTIFIED")
    for rule_id in data["not_implemented"] + data["failed"]:
        assert f"  - {rule_id}" in text
    assert f"Seed / examples: 1234 / 25" in text and run.botocore_version in text
    assert data["rule_set"]["digest"] in text


class _FakeState:
    def __init__(self, run, directory):
        self.run = run
        self.paths = {"json": directory / "report.json"}


def _certify(monkeypatch, tmp_path, run, *extra):
    from conformance.cli import main
    from conformance.reports import certify

    seen = {}

    def fake_run_catalogue(args):
        seen["args"] = args
        return _FakeState(run, tmp_path / "default")

    monkeypatch.setattr(certify, "run_catalogue", fake_run_catalogue)
    return main(["certify", "--target", "moto", *extra]), seen


def test_certify_command_exit_0_when_certified(monkeypatch, tmp_path, capsys):
    code, seen = _certify(monkeypatch, tmp_path, samples.all_pass(), "--report-dir", str(tmp_path / "cert"))
    assert code == 0 and seen["args"].target == "moto"
    out = capsys.readouterr().out
    assert "is CERTIFIED" in out and str(tmp_path / "cert" / "certificate.txt") in out
    data = json.loads((tmp_path / "cert" / "certificate.json").read_text())
    assert data["result"] == CERTIFIED and data["seed"] == 1234 and data["max_examples"] == 20


def test_certify_command_exit_1_lists_rules_held_against(monkeypatch, tmp_path, capsys):
    code, _ = _certify(monkeypatch, tmp_path, samples.moto_like())
    assert code == 1
    out = capsys.readouterr().out
    assert "NOT CERTIFIED" in out
    assert "  not implemented: endpoint.update.canary-size-at-most-half" in out
    assert "  failed: endpoint.create.name-unique" in out
    assert (tmp_path / "default" / "certificate.txt").is_file()  # the plugin's report dir by default


def test_certify_pins_seed_and_examples_in_the_pytest_run():
    import argparse

    from conformance import runner
    from conformance.reports.certify import CERTIFY_MAX_EXAMPLES, CERTIFY_SEED

    pinned = argparse.Namespace(target="moto", report_dir=None, seed=CERTIFY_SEED, max_examples=CERTIFY_MAX_EXAMPLES,
                                time_scale=None, known_failures=None, target_credentials=None, allow_aws_costs=False,
                                workers=None, markexpr=None, keyword=None, quiet=True, pytest_args="")
    argv = runner.pytest_args(pinned)
    assert f"--seed={CERTIFY_SEED}" in argv and f"--max-examples={CERTIFY_MAX_EXAMPLES}" in argv
    assert "-m" not in argv and "-k" not in argv  # the whole catalogue


def test_certify_bad_target_is_one_line_exit_2():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "conformance", "certify", "--target", "gopher://x"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
