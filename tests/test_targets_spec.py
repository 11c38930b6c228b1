"""--target parsing, the checks that need no connection, names, tags and the call log."""

from __future__ import annotations

import pytest

from conformance.errors import UsageError
from conformance.targets import make_target, parse_spec, prepare
from conformance.targets.calllog import REDACTED, RequestLog, render_boto3


@pytest.mark.parametrize(
    "text, kind, name",
    [
        ("reference", "reference", "reference"),
        ("Reference", "reference", "reference"),
        ("reference:tags-duplicate-keys", "reference", "reference:tags-duplicate-keys"),
        ("moto", "moto", "moto"),
        ("moto-server", "moto-server", "moto-server"),
        ("http://127.0.0.1:5000", "url", "http://127.0.0.1:5000"),
        ("http://127.0.0.1:5000/", "url", "http://127.0.0.1:5000"),
        ("HTTPS://Example.COM", "url", "https://example.com"),
        ("http://[::1]:8080", "url", "http://[::1]:8080"),
        ("aws", "aws", "aws:us-east-1"),
        ("aws:eu-west-1", "aws", "aws:eu-west-1"),
    ],
)
def test_parse_spec_accepts_every_documented_form(text, kind, name):
    spec = parse_spec(text)
    assert (spec.kind, spec.name) == (kind, name)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "empty"),
        ("ftp://host:21", "unknown target scheme 'ftp'"),
        ("localstack", "unknown --target 'localstack'"),
        ("http://", "has no host"),
        ("http://host:notaport", "bad port"),
        ("http://host:70000", "bad port"),
        ("http://user:secret@host:5000", "must not contain credentials"),
        ("http://host:5000/sagemaker", "give only scheme://HOST:PORT"),
        ("aws:mars-1", "not an AWS region"),
        ("reference:bad fault", "not a fault name"),
    ],
)
def test_parse_spec_rejects_bad_values_in_one_line(text, words):
    with pytest.raises(UsageError) as caught:
        parse_spec(text)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message
    assert "secret" not in message


def test_aws_target_is_refused_without_the_cost_opt_in():
    with pytest.raises(UsageError, match="--allow-aws-costs"):
        make_target("aws:eu-west-1")
    with pytest.raises(UsageError, match="--allow-aws-costs"):
        prepare("aws")


def test_time_scale_must_be_positive():
    with pytest.raises(UsageError, match="--time-scale"):
        prepare("http://127.0.0.1:1", time_scale=0)


def test_credentials_profile_only_applies_to_networked_targets():
    with pytest.raises(UsageError, match="--target-credentials"):
        prepare("moto", credentials_profile="dev")


def test_call_log_marks_select_one_example_and_redact_secrets():
    log = RequestLog(max_entries=3)
    log.start("sagemaker", "CreateModel", {"ModelName": "a"}).status_code = 200
    mark = log.mark()
    call = log.start("sagemaker", "DeleteModel", {"ModelName": "b", "Password": "hunter2"})
    call.status_code, call.error_code = 400, "ValidationException"
    log.wait(30)
    log.start("sagemaker", "ListModels", {}).status_code = 200  # pushes the first entry out (bounded)
    assert [c.operation for c in log.calls(since=mark)] == ["DeleteModel", "ListModels"]
    assert log.since(0)[0].operation == "DeleteModel"
    assert log.calls(since=mark)[0].params["Password"] == REDACTED
    script = log.to_boto3(since=mark, endpoint_url="http://127.0.0.1:5000")
    assert "hunter2" not in script
    assert "try: sagemaker.delete_model(ModelName='b', Password='<redacted>')  # -> 400 ValidationException" in script
    assert "time.sleep(30 * TIME_SCALE)" in script
    assert "sagemaker.list_models()  # -> 200" in script
    compile(script, "<reproduction>", "exec")


def test_render_boto3_keeps_timestamps_and_nesting_runnable():
    import datetime

    log = RequestLog()
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    log.start("sagemaker", "Search", {"Resource": "Endpoint", "SearchExpression": {
        "Filters": [{"Name": "CreationTime", "Operator": "GreaterThan", "Value": when}]}}).status_code = 200
    script = render_boto3(log.since(0))
    namespace: dict = {}
    exec(script.split("import boto3")[0], namespace)  # the imports and the literal helpers only
    literal = script.split("sagemaker.search(")[1].split(")  # -> 200")[0]
    assert "datetime.datetime.fromisoformat('2026-01-02T03:04:05+00:00')" in literal
    assert eval(f"dict({literal})", namespace)["SearchExpression"]["Filters"][0]["Value"] == when
