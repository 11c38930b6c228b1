"""The shipped fuzz test as users run it: selection options, one line for bad ones, results in report.json."""

from __future__ import annotations

import json

pytest_plugins = ["pytester"]


def _run(pytester, *args):
    return pytester.runpytest_subprocess(
        "--pyargs", "conformance.suite", "-p", "no:cacheprovider", "-q", "--seed=7", "-k", "fuzz",
        f"--report-dir={pytester.path / 'reports'}", *args,
    )


def test_operations_option_selects_and_reports_each_operation(pytester):
    result = _run(pytester, "--target=reference", "--operations=DescribeEndpoint,ListAlgorithms", "--max-examples=5")
    result.assert_outcomes(passed=1, skipped=1)
    report = json.loads((pytester.path / "reports" / "report.json").read_text())
    operations = {operation["name"]: operation for operation in report["operations"]}
    assert operations["DescribeEndpoint"]["status"] == "passed"
    assert 1 < operations["DescribeEndpoint"]["requests"] <= 5
    assert operations["ListAlgorithms"]["status"] == "not_implemented"
    assert operations["ListAlgorithms"]["requests"] == 1
    # The rules' verdict leaves fuzzed operations out: the summary counts them on a line of their own.
    result.stdout.fnmatch_lines(["*target reference: incomplete*", "operations fuzzed: 1 passed, 1 not_implemented"])


def test_fuzz_failure_fails_the_test_with_seed_and_reproduction(pytester):
    result = _run(pytester, "--target=reference:missing-endpoint-500", "--operations=DescribeEndpoint",
                  "--max-examples=5")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Server error (HTTP 500*", "*seed: 7*", "*client.describe_endpoint(*"])
    report = json.loads((pytester.path / "reports" / "report.json").read_text())
    (operation,) = report["operations"]
    assert operation["status"] == "failed" and operation["failures"][0]["reproduction"]
    result.stdout.fnmatch_lines(["operations fuzzed: 1 failed"])


def test_operations_pattern_matching_nothing_is_one_line_and_exit_2(pytester):
    result = _run(pytester, "--target=reference", "--operations=NoSuchOperation*")
    assert result.ret == 2
    output = result.stdout.str() + result.stderr.str()
    assert len([line for line in output.splitlines() if "NoSuchOperation*" in line]) == 1, output
    assert "Traceback" not in output and "Error" not in output and "test_fuzz.py" not in output
