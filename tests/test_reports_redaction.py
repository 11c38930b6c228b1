"""Credentials, signatures and Authorization headers never reach any report file."""

from __future__ import annotations

import re

import pytest

import test_reports_samples as samples
from conformance.reports import write_reports
from conformance.reports.redact import MASK, redact
from conformance.results import Failure, Status

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
TEMP_KEY = "ASIAY34FZKBOKMUTVV7A"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEJr//////////wEaDAbCdEfGhIjKlMnOpQ"
SIGNATURE = "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"
SECRETS = [ACCESS_KEY, TEMP_KEY, SECRET, TOKEN, SIGNATURE]

LEAKY = [
    f"Authorization: AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20261125/us-east-1/sagemaker/aws4_request, "
    f"SignedHeaders=host;x-amz-date, Signature={SIGNATURE}",
    f"X-Amz-Security-Token: {TOKEN}",
    f"{{'Authorization': 'AWS4-HMAC-SHA256 Credential={TEMP_KEY}/x, Signature={SIGNATURE}', 'X-Amz-Security-Token': '{TOKEN}'}}",
    f'boto3.client("sagemaker", aws_access_key_id="{ACCESS_KEY}", aws_secret_access_key="{SECRET}", aws_session_token="{TOKEN}")',
    f"https://runtime.example/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={TEMP_KEY}%2F20261125&X-Amz-Signature={SIGNATURE}",
    f"AWS_SECRET_ACCESS_KEY={SECRET} AWS_SESSION_TOKEN={TOKEN} AWS_ACCESS_KEY_ID={ACCESS_KEY}",
]


@pytest.mark.parametrize("text", LEAKY)
def test_redact_masks_every_secret_form(text):
    cleaned = redact(text)
    assert MASK in cleaned
    for secret in SECRETS:
        assert secret not in cleaned


@pytest.mark.parametrize("text", [
    "UpdateEndpoint accepted CanarySize 2 of 2 instances",
    'client.add_tags(ResourceArn="arn:aws:sagemaker:us-east-1:123456789012:endpoint/sc-ep", Tags=[{"Key": "k", "Value": "v"}])',
    "Signature verification is not part of SageMaker's API",
])
def test_redact_leaves_ordinary_text_alone(text):
    assert redact(text) == text


def test_redact_walks_nested_structures():
    data = {"a": [f"token={TOKEN}", {"b": ACCESS_KEY}], "n": 3, "none": None}
    cleaned = redact(data)
    assert cleaned["n"] == 3 and cleaned["none"] is None
    assert TOKEN not in repr(cleaned) and ACCESS_KEY not in repr(cleaned)


def test_no_report_file_contains_credentials(tmp_path):
    run = samples.with_failures()
    run.target["description"] = f"proxy signing with {ACCESS_KEY}"
    run.rules[3].failures[0].message = LEAKY[0]
    run.rules[3].failures[0].reproduction += "\n# " + LEAKY[3]
    run.rules[6].failures.append(Failure(LEAKY[2], LEAKY[4], 3))
    run.rules[5].status, run.rules[5].reason = Status.TARGET_ERROR, LEAKY[1]
    run.rules[0].status, run.rules[0].reason = Status.NOT_IMPLEMENTED, LEAKY[5]
    run.operations[0].status = Status.FAILED
    run.operations[0].failures = [Failure(LEAKY[5], LEAKY[3], 1)]
    run.notes.append(LEAKY[4])
    paths = write_reports(run, tmp_path, baseline=samples.moto_like())
    for kind, path in paths.items():
        content = path.read_text(encoding="utf-8")
        for secret in SECRETS:
            assert secret not in content, f"{secret[:8]}… leaked into {kind}"
        assert not re.search(r"(?i)authorization\W+AWS4", content), kind
    # The surrounding evidence survives: the reader still sees what happened.
    html = paths["html"].read_text()
    assert "Authorization: [REDACTED]" in html and "aws_secret_access_key=&#34;[REDACTED]" in html


def test_redact_keeps_the_suites_dummy_credentials_so_reproductions_run():
    line = "sagemaker = boto3.client('sagemaker', region_name='us-east-1', endpoint_url='http://127.0.0.1:5000', " \
           "aws_access_key_id='testing', aws_secret_access_key='testing')"
    assert redact(line) == line
    assert redact("aws_secret_access_key='s3cr3tvalue'") == f"aws_secret_access_key='{MASK}'"
