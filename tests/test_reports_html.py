"""report.html: parses, self-contained, shows every rule, its documentation, failures and coverage."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

import test_reports_samples as samples
from conformance.model import documentation
from conformance.reports import write_reports
from conformance.reports.html import render
from conformance.results import Failure, Status

SAMPLES = {"all_pass": samples.all_pass, "with_failures": samples.with_failures, "moto_like": samples.moto_like}
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "srcset", "data", "xlink:href", "background"}


class Page(HTMLParser):
    """Collects what the tests look at: ids, attributes that could fetch, text, and the element stack."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area", "base", "embed", "track",
            "path", "rect", "circle", "stop", "ellipse", "line", "polyline", "polygon"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids, self.fetching, self.tags, self.text, self.stack, self.errors = [], [], [], [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
            if name in URL_ATTRIBUTES and value and not value.startswith("#"):
                self.fetching.append((tag, name, value))
            if name == "style" and value and "url(" in value and "url(#" not in value:
                self.fetching.append((tag, name, value))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def rendered(request, tmp_path_factory):
    run = SAMPLES[request.param]()
    path = write_reports(run, tmp_path_factory.mktemp(request.param))["html"]
    text = path.read_text(encoding="utf-8")
    return run, text, Page(text)


def test_html_parses_with_balanced_elements(rendered):
    _, _, page = rendered
    assert page.errors == [] and page.stack == []
    assert page.tags[0] == "html"


def test_html_contains_every_rule_id(rendered):
    run, _, page = rendered
    for rule in run.rules:
        assert f"rule-{rule.id}" in page.ids
        assert rule.id in page.text


def test_html_makes_no_external_requests(rendered):
    _, text, page = rendered
    assert page.fetching == []
    assert not re.search(r"""(?i)(src|href)\s*=\s*["']?\s*(https?:)?//""", text)
    assert "@import" not in text and not re.search(r"url\((?!#)", text)
    assert {"link", "img", "iframe", "object", "embed"}.isdisjoint(page.tags)
    assert "default-src 'none'" in text  # the browser refuses any fetch, whatever a message contains


def test_html_states_verdict_and_score_first(rendered):
    run, _, page = rendered
    verdict_at = page.text.index(run.verdict.value.capitalize())
    rules_at = page.text.index("All rules")
    assert verdict_at < rules_at
    assert any(re.fullmatch(r"\d+(\.\d)?%", chunk) for chunk in page.text[: verdict_at + 10])


def test_html_shows_botocore_documentation_of_each_citation(rendered):
    run, text, _ = rendered
    unescaped = re.sub(r"\s+", " ", " ".join(Page(text).text))
    for rule in run.rules:
        operation, member = rule.citation["operation"], rule.citation["member"]
        doc = documentation(operation, member or None) or documentation(operation)
        assert doc[:60] in unescaped, f"documentation of {operation}.{member} missing"


def test_html_lists_each_failure_with_reproduction_seed_and_rerun_command():
    run = samples.with_failures()
    text = render(run)
    page_text = " ".join(Page(text).text)
    failure = run.rules[3].failures[0]
    assert failure.message in page_text
    assert 'client.update_endpoint(EndpointName="sc-1-ep"' in page_text
    assert f"sagemaker-conformance run --target http://127.0.0.1:5000 --seed {failure.seed} -m deployments" in page_text
    assert "pytest --pyargs conformance.suite --target=http://127.0.0.1:5000 --seed=99 -m tags" in page_text


def test_html_matrix_counts_rules_by_area_and_status():
    run = samples.moto_like()
    text = render(run)
    # deployments: 2 not implemented, 1 target error.
    assert re.search(r'data-area="deployments" data-status="not_implemented"[^>]*>2<', text)
    assert re.search(r'data-area="deployments" data-status="target_error"[^>]*>1<', text)
    assert re.search(r'data-area="lifecycle" data-status="failed"[^>]*>1<', text)
    assert not re.search(r'data-area="lifecycle" data-status="not_implemented"', text)


def test_html_draws_every_observed_transition_as_svg():
    run = samples.with_failures()
    text = render(run)
    drawn = set(re.findall(r'data-transition="([^"]+)"', text))
    assert {html.unescape(key) for key in drawn} == set(run.transitions)
    states = set(re.findall(r'data-state="([^"]+)"', text))
    assert states == {"Creating", "InService", "Updating", "Deleting", "Failed", "RollingBack"}
    assert "<svg" in text and "No status transition was observed" not in text


def test_html_without_transitions_says_so():
    run = samples.all_pass()
    run.transitions = {}
    assert "No status transition was observed" in render(run)


def test_html_coverage_lists_operations_with_status_codes():
    page_text = " ".join(Page(render(samples.all_pass())).text)
    assert "DescribeEndpoint" in page_text and "200 × 90" in page_text and "400 × 5" in page_text
    # Cited by a rule but never called: DescribeEndpoint is called, so only absent operations are listed.
    run = samples.all_pass()
    run.operations = [op for op in run.operations if op.name != "Search"]
    assert re.search(r"never called in this run: <code>Search</code>", render(run))


def test_html_lists_fuzzing_failures_apart_from_rules():
    run = samples.all_pass()
    run.operations[0].status = Status.FAILED
    run.operations[0].failures = [Failure("response lacks EndpointArn", "client.create_endpoint(...)", 5)]
    text = render(run)
    assert 'id="fuzz-CreateEndpoint"' in text and "response lacks EndpointArn" in text
    assert "-m fuzz --operations=CreateEndpoint" in text
    assert run.verdict.value == "conformant"  # fuzzing findings do not change the rules' verdict


def test_html_escapes_hostile_text():
    run = samples.with_failures()
    run.rules[3].failures[0].message = '<script>alert(1)</script><img src="https://evil.example/x.png">'
    text = render(run)
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
    assert Page(text).fetching == []


def test_html_comparison_section_orders_regressions_first(tmp_path):
    paths = write_reports(samples.with_failures(), tmp_path / "new", baseline=samples.moto_like())
    text = paths["html"].read_text()
    assert 'id="comparison"' in text
    kinds = re.findall(r'<tr class="(regression|improvement|changed|added|removed)">', text)
    assert kinds and kinds[0] == "regression" and kinds == sorted(kinds, key=["regression", "improvement", "changed", "added", "removed"].index)
    # A baseline given as a path is loaded.
    base = write_reports(samples.all_pass(), tmp_path / "base")["json"]
    text = write_reports(samples.with_failures(), tmp_path / "new2", baseline=base)["html"].read_text()
    assert text.count('<tr class="regression">') == 2


def test_html_without_baseline_has_no_comparison():
    assert 'id="comparison"' not in render(samples.all_pass())


def test_rerun_command_pins_target_seed_examples_and_area():
    from conformance.reports.rerun import commands

    run = samples.with_failures()
    run.target = {"kind": "reference", "name": "reference:canary-size-unchecked", "description": "faulted"}
    run.max_examples = 40
    rerun = commands(run, "endpoint.update.canary-size-at-most-half", 77)
    assert rerun["cli"] == ("sagemaker-conformance run --target reference:canary-size-unchecked --seed 77 "
                            "--max-examples 40 -m deployments")
    assert rerun["pytest"] == ("pytest --pyargs conformance.suite --target=reference:canary-size-unchecked "
                               "--seed=77 --max-examples=40 -m deployments")
    assert "--seed 1234" in commands(run, "tags.add.overwrites", None)["cli"]  # the run's seed by default


def test_html_lists_not_implemented_rules_by_name_apart_from_failures():
    run = samples.moto_like()
    text = render(run)
    for rule in run.rules:
        if rule.status == "not_implemented":
            assert f'id="not-implemented-{rule.id}"' in text and f'id="failure-{rule.id}"' not in text
    assert 'id="failure-endpoint.create.name-unique"' in text
    assert 'id="not-implemented"' not in render(samples.all_pass())
