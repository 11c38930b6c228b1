"""junit.xml (one test case per rule, statuses mapped) and badge.svg (verdict and pass rate)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import test_reports_samples as samples
from conformance.reports import badge, junit, write_reports
from conformance.reports.figures import pass_rate, percent


def _suite(run):
    root = ET.fromstring(junit.render(run))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    return suite


def test_junit_has_one_testcase_per_rule():
    run = samples.moto_like()
    suite = _suite(run)
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [rule.id for rule in run.rules]
    assert {case.get("classname") for case in cases} == {f"conformance.{rule.area}" for rule in run.rules}
    assert suite.get("tests") == str(len(run.rules))


def test_junit_maps_statuses():
    run = samples.moto_like()
    suite = _suite(run)
    by_name = {case.get("name"): case for case in suite.findall("testcase")}
    outcome = {name: [child.tag for child in case if child.tag != "system-out"] for name, case in by_name.items()}
    assert outcome["endpoint.create.name-unique"] == ["failure"]
    assert by_name["endpoint.update.canary-size-at-most-half"].find("failure").get("type") == "not_implemented"
    assert outcome["endpoint.update.rejected-unless-inservice"] == ["error"]
    assert outcome["search.contains-once"] == ["skipped"]
    assert outcome["tags.add.overwrites"] == []
    # failures = failed + not implemented (both count against the target).
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("3", "1", "1")


def test_junit_failure_carries_reproduction_and_seed():
    run = samples.with_failures()
    case = next(c for c in _suite(run).findall("testcase") if c.get("name") == "endpoint.update.canary-size-at-most-half")
    failure = case.find("failure")
    assert failure.get("message").startswith("UpdateEndpoint accepted CanarySize")
    assert "seed 1234" in failure.text and "client.update_endpoint(" in failure.text
    assert "sagemaker-conformance run --target http://127.0.0.1:5000 --seed 1234" in failure.text


def test_junit_properties_name_target_and_seed():
    suite = _suite(samples.with_failures())
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert properties["target"] == "http://127.0.0.1:5000" and properties["seed"] == "1234"
    assert properties["verdict"] == "nonconformant"


@pytest.mark.parametrize("factory, verdict, rate, colour", [
    (samples.all_pass, "conformant", "100%", "#2e7d32"),
    (samples.with_failures, "nonconformant", "80%", "#c62828"),
    (samples.moto_like, "nonconformant", "56%", "#c62828"),
])
def test_badge_shows_verdict_and_pass_rate(factory, verdict, rate, colour):
    run = factory()
    svg = ET.fromstring(badge.render(run))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert f"{verdict} {rate}" in texts and "SageMaker conformance" in texts
    fills = {r.get("fill") for r in svg.iter("{http://www.w3.org/2000/svg}rect")}
    assert colour in fills
    assert percent(pass_rate(run)) == rate


def test_pass_rate_leaves_out_skipped_and_never_rounds_to_full():
    run = samples.all_pass()
    for rule in run.rules[:9]:
        rule.status = "skipped"
    assert pass_rate(run) == 1.0
    run = samples.all_pass()
    run.rules = run.rules * 100
    run.rules[0] = samples._rule(samples.RULES[0], "failed")
    assert percent(pass_rate(run)) == "99.9%"
    run.rules = []
    assert pass_rate(run) is None and percent(None) == "n/a"


def test_incomplete_badge_when_nothing_ran(tmp_path):
    run = samples.all_pass()
    for rule in run.rules:
        rule.status = "skipped"
    content = write_reports(run, tmp_path)["badge"].read_text()
    assert "incomplete n/a" in content
