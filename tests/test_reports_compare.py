"""compare: rules whose status changed, regressions first; exit 1 on a regression only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import test_reports_samples as samples
from conformance.cli import main
from conformance.reports import write_reports
from conformance.reports.compare import ChangeKind, classify, diff
from conformance.results import Status


@pytest.mark.parametrize("before, after, kind", [
    (Status.PASSED, Status.FAILED, ChangeKind.REGRESSION),
    (Status.PASSED, Status.NOT_IMPLEMENTED, ChangeKind.REGRESSION),
    (Status.SKIPPED, Status.FAILED, ChangeKind.REGRESSION),
    (Status.TARGET_ERROR, Status.FAILED, ChangeKind.REGRESSION),
    (Status.FAILED, Status.PASSED, ChangeKind.IMPROVEMENT),
    (Status.TARGET_ERROR, Status.PASSED, ChangeKind.IMPROVEMENT),
    (Status.FAILED, Status.NOT_IMPLEMENTED, ChangeKind.CHANGED),
    (Status.PASSED, Status.TARGET_ERROR, ChangeKind.CHANGED),
    (Status.PASSED, Status.SKIPPED, ChangeKind.CHANGED),
    (None, Status.FAILED, ChangeKind.ADDED),
    (Status.PASSED, None, ChangeKind.REMOVED),
    (Status.PASSED, Status.PASSED, None),
])
def test_classify(before, after, kind):
    assert classify(before, after) is kind


def test_diff_orders_regressions_first_then_by_id():
    old, new = samples.moto_like(), samples.with_failures()
    changes = diff(old, new)
    kinds = [change.kind for change in changes]
    assert kinds == sorted(kinds, key=[ChangeKind.REGRESSION, ChangeKind.IMPROVEMENT, ChangeKind.CHANGED,
                                       ChangeKind.ADDED, ChangeKind.REMOVED].index)
    by_id = {change.rule_id: change for change in changes}
    assert by_id["tags.add.overwrites"].kind is ChangeKind.REGRESSION  # passed -> failed
    assert by_id["endpoint.create.name-unique"].kind is ChangeKind.IMPROVEMENT
    assert by_id["endpoint.update.canary-size-at-most-half"].kind is ChangeKind.CHANGED  # not impl. -> failed
    assert "endpoint.create.creating-then-inservice" not in by_id  # unchanged


def test_diff_reports_added_and_removed_rules():
    old, new = samples.all_pass(), samples.all_pass()
    removed = old.rules.pop(0)
    new.rules.pop(1)
    changes = {c.rule_id: c.kind for c in diff(old, new)}
    assert changes == {removed.id: ChangeKind.ADDED, samples.RULES[1][0]: ChangeKind.REMOVED}


@pytest.fixture
def reports(tmp_path):
    paths = {}
    for name in ("all_pass", "with_failures", "moto_like"):
        paths[name] = write_reports(getattr(samples, name)(), tmp_path / name)["json"]
    return paths


def test_compare_exits_1_on_regression_and_prints_it_first(reports, capsys):
    assert main(["compare", str(reports["all_pass"]), str(reports["with_failures"])]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("REGRESSION") and lines[1].startswith("REGRESSION")
    assert {lines[0].split()[1], lines[1].split()[1]} == {"endpoint.update.canary-size-at-most-half", "tags.add.overwrites"}
    assert "passed -> failed" in lines[0]
    assert lines[-1].startswith("2 rule(s) changed status: 2 regressions")
    assert "conformant -> nonconformant" in lines[-1]


def test_compare_exits_0_on_improvement_only(reports, capsys):
    assert main(["compare", str(reports["with_failures"]), str(reports["all_pass"])]) == 0
    out = capsys.readouterr().out
    assert "REGRESSION" not in out and out.count("IMPROVEMENT") == 2


def test_compare_identical_reports(reports, capsys):
    assert main(["compare", str(reports["moto_like"]), str(reports["moto_like"].parent)]) == 0
    assert capsys.readouterr().out.startswith("no rule changed status (10 rules)")


def test_compare_json_format(reports, capsys):
    assert main(["compare", "--format", "json", str(reports["moto_like"]), str(reports["with_failures"])]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["changes"][0]["kind"] == "regression"
    assert data["new"]["verdict"] == "nonconformant"


def test_compare_writes_html_with_comparison(reports, tmp_path, capsys):
    out = tmp_path / "cmp.html"
    assert main(["compare", str(reports["all_pass"]), str(reports["with_failures"]), "--html", str(out)]) == 1
    text = out.read_text()
    assert 'id="comparison"' in text and text.count('<tr class="regression">') == 2


def test_compare_bad_input_is_one_line_exit_2(reports, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"rules": "nope"}')
    for args in ([str(reports["all_pass"]), str(tmp_path / "missing.json")], [str(broken), str(reports["all_pass"])]):
        result = subprocess.run([sys.executable, "-m", "conformance", "compare", *args], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith("sagemaker-conformance compare: error:")
