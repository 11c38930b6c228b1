"""Pattern formats: Schemathesis draws pattern strings from conformance.strategies.text.matching
(registered under a ``format`` per pattern and length range) instead of ``st.from_regex``, while the
patterns still decide what is valid, what is negated, and what the checks accept."""

from __future__ import annotations

import io
import json

import jsonschema_rs
import pytest
from botocore.config import Config
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from conformance import patterns, shapes
from conformance.emulator import Emulator, inprocess
from conformance.fuzz.engine import fuzz_operation, negative_cases
from conformance.fuzz.openapi import PATTERN_FORMAT_PREFIX, openapi_document, pattern_format_name, with_pattern_formats
from conformance.fuzz.runner import api_operation, load_api, register_pattern_formats
from conformance.fuzz.transport import AwsJsonTransport
from conformance.results import Status

SAMPLED = ["CreateEndpoint", "AddTags", "Search"]
SEED = 20260101
RAW = Config(parameter_validation=False, retries={"total_max_attempts": 1})


def _generated(strategy, count: int, seed: int = SEED) -> list:
    drawn = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(seed)
    @given(strategy)
    def collect(value) -> None:
        drawn.append(value)

    collect()
    return drawn


def _pattern_nodes(node):
    """Every schema in ``node`` with a pattern (a JSON document has no cycles)."""
    if isinstance(node, list):
        for item in node:
            yield from _pattern_nodes(item)
    elif isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node
        for value in node.values():
            yield from _pattern_nodes(value)


def _without_formats(node):
    if isinstance(node, list):
        return [_without_formats(item) for item in node]
    if isinstance(node, dict):
        return {key: _without_formats(value) for key, value in node.items() if key != "format"}
    return node


def _fits(key):
    pattern, low, high = key
    schema = {"type": "string", "pattern": pattern, "minLength": low}
    if high is not None:
        schema["maxLength"] = high
    return jsonschema_rs.validator_for(schema).is_valid  # the engine Schemathesis validates with


def test_every_pattern_string_gets_a_format_naming_its_pattern_and_lengths():
    plain = openapi_document(SAMPLED)
    document, formats = with_pattern_formats(plain)
    nodes = list(_pattern_nodes(document))
    assert len(nodes) > 20  # tags, names, ARNs, search filters ...
    for node in nodes:
        key = (node["pattern"], node.get("minLength", 0), node.get("maxLength"))
        assert node["format"] == pattern_format_name(key) and node["format"].startswith(PATTERN_FORMAT_PREFIX)
        assert formats[node["format"]] == key
    # Nothing else changes: the patterns and lengths stay for validation and negation.
    assert not any("format" in node for node in _pattern_nodes(plain))
    unchanged = _without_formats(document) == plain  # a bool: pytest's diff of two documents takes minutes
    assert unchanged


def test_format_names_depend_on_the_pattern_and_lengths_only():
    _, alone = with_pattern_formats(openapi_document(["AddTags"]))
    _, together = with_pattern_formats(openapi_document(SAMPLED))
    assert alone.items() <= together.items()
    pattern = next(iter(alone.values()))[0]
    assert pattern_format_name((pattern, 0, 10)) != pattern_format_name((pattern, 1, 10))


def test_registered_formats_generate_strings_that_match_their_pattern_and_lengths():
    import schemathesis.specs.openapi.formats as schemathesis_formats

    _, formats = with_pattern_formats(openapi_document(SAMPLED))
    register_pattern_formats(formats)
    names = sorted(formats)

    @settings(max_examples=5, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(SEED)
    @given(st.data())
    def every_format_fits(data) -> None:
        for name in names:
            value = data.draw(schemathesis_formats.STRING_FORMATS[name], label=name)
            assert _fits(formats[name])(value), (formats[name], value)

    every_format_fits()


def test_valid_input_is_drawn_without_from_regex(monkeypatch):
    import hypothesis.strategies

    api = load_api()

    def from_regex(*args, **kwargs):
        raise AssertionError(f"st.from_regex{args!r}: a pattern string without its format")

    monkeypatch.setattr(hypothesis.strategies, "from_regex", from_regex)
    from schemathesis import GenerationMode

    for operation in SAMPLED:
        cases = _generated(api_operation(api, operation).as_strategy(generation_mode=GenerationMode.POSITIVE), 10)
        assert len(cases) == 10
        assert [shapes.violations(operation, case.body) for case in cases] == [[]] * 10


@pytest.mark.parametrize("operation", ["AddTags", "DescribeEndpoint"])
def test_negative_input_still_breaks_patterns(operation):
    cases = _generated(negative_cases(api_operation(load_api(), operation), operation), 60)
    found = [shapes.violations(operation, case.body) if isinstance(case.body, dict) else None for case in cases]
    assert all(violations != [] for violations in found)  # every negative case is invalid
    assert any(violation.constraint == "pattern" for violations in found if violations for violation in violations)


def _one_free_text_member():
    """An operation whose only member is free text (``.*``): its pattern admits nearly every string."""
    text = {"type": "string", "pattern": patterns.translate(".*"), "minLength": 0, "maxLength": 256}
    schema = {"type": "object", "required": ["Note"], "additionalProperties": False, "properties": {"Note": text}}
    document, formats = with_pattern_formats(
        openapi_document(["Note"], input_schema=lambda _: schema, output_schema=lambda _: {"type": "object"}))
    register_pattern_formats(formats)
    import schemathesis

    return schemathesis.openapi.from_dict(document, config=schemathesis.Config())["/Note"]["POST"], schema


def test_a_negative_case_that_only_drops_the_format_is_not_sent_as_invalid(monkeypatch):
    """Schemathesis fails an unknown format on principle, so negating only the format (which drops
    the pattern with it) can draw a string that still fits; such a case must not be sent as invalid."""
    from schemathesis import GenerationMode

    operation, schema = _one_free_text_member()
    is_valid = jsonschema_rs.validator_for(schema).is_valid
    monkeypatch.setattr(shapes, "is_valid", lambda _operation, body: is_valid(body))

    raw = _generated(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE), 300)
    assert any(isinstance(case.body, dict) and is_valid(case.body) for case in raw)  # the hazard is real
    kept = _generated(negative_cases(operation, "Note"), 300)
    assert kept and not any(isinstance(case.body, dict) and is_valid(case.body) for case in kept)


def _accepting_pattern_violations(app, operation):
    """``app``, except that it answers ``operation`` with 200 ``{}`` when the input's only faults are patterns."""

    def wrapped(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        if environ.get("HTTP_X_AMZ_TARGET") == f"SageMaker.{operation}":
            try:
                violations = shapes.violations(operation, json.loads(body))
            except ValueError:
                violations = []
            if violations and all(violation.constraint == "pattern" for violation in violations):
                start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", "2")])
                return [b"{}"]
        return app(environ, start_response)

    return wrapped


def test_a_target_that_ignores_patterns_is_caught():
    app = _accepting_pattern_violations(Emulator().wsgi_app, "DeleteModel")
    outcome = fuzz_operation(api_operation(load_api(), "DeleteModel"), AwsJsonTransport(inprocess.client(app, config=RAW)),
                             max_examples=30, seed=SEED)
    assert outcome.status is Status.FAILED, outcome
    assert "invalid input" in outcome.failure.message and "HTTP 200" in outcome.failure.message
    assert fuzz_operation(api_operation(load_api(), "DeleteModel"),
                          AwsJsonTransport(inprocess.client(Emulator().wsgi_app, config=RAW)),
                          max_examples=30, seed=SEED).status is Status.PASSED
