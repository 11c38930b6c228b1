"""Fuzz one operation: Schemathesis generates, the awsJson transport sends, Schemathesis' checks judge.

Per operation the outcome is one of the suite's statuses:
- not_implemented: the target says it does not support the operation (the probe ``{}`` decides);
- failed: a check failed (5xx, invalid input accepted, response not matching the output schema);
  the first failing example is kept with a reproduction;
- passed: every example passed every check.
Failures are not shrunk: the first failing example is reported as sent, which keeps the
request count (and so the run time) bounded by ``max_examples``.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from conformance.fuzz.openapi import MEDIA_TYPE
from conformance.fuzz.transport import AMZ_JSON, TARGET_PREFIX, AwsJsonTransport, Exchange
from conformance.hypothesis_runs import run_hypothesis_test
from conformance.results import Failure, OperationResult, Status

# Schemathesis' checks that decide an operation, by their registered names.
CHECK_NAMES = ("not_a_server_error", "negative_data_rejection", "response_schema_conformance")
# awsJson error codes (or in-process exception names) by which a target says "unsupported".
_NOT_IMPLEMENTED_MARKERS = ("NotImplemented", "not been implemented", "not yet implemented", "UnknownOperation")


@dataclass
class FuzzOutcome:
    """What fuzzing one operation found; ``to_result()`` gives the report's OperationResult."""

    operation: str
    status: Status = Status.PASSED
    requests: int = 0
    status_codes: Counter = field(default_factory=Counter)
    failure: Optional[Failure] = None
    reason: str = ""  # why not_implemented (or, for a partly supported operation, what was not)
    unsupported_inputs: int = 0  # answers "not implemented" to some inputs only; those are not judged

    def to_result(self) -> OperationResult:
        return OperationResult(
            name=self.operation,
            requests=self.requests,
            status_codes={str(k): v for k, v in sorted(self.status_codes.items())},
            status=self.status,
            failures=[self.failure] if self.failure else [],
        )


def not_implemented_detail(exchange: Exchange) -> str:
    """Why the target's answer means 'operation unsupported', or '' when it does not.

    Signals: moto in-process raises NotImplementedError; the reference emulator answers
    400 with a NotImplemented* error type; HTTP 501; any error whose type or message says so.
    """
    if isinstance(exchange.raised, NotImplementedError):
        return str(exchange.raised) or "NotImplementedError"
    if exchange.status_code == 501:
        return exchange.text(200)
    if exchange.status_code >= 400:
        text = exchange.error_type() + " " + exchange.text(500)
        if any(marker.lower() in text.lower() for marker in _NOT_IMPLEMENTED_MARKERS):
            return text.strip()[:200]
    return ""


def operation_seed(seed: int, operation: str) -> int:
    """Each operation gets its own stream, stable whatever else is selected."""
    return (int(seed) * 1_000_003 + zlib.crc32(operation.encode())) % (2**32)


class _Stop(Exception):
    """Ends the Hypothesis loop early: the outcome is already decided."""


def fuzz_operation(
    api_operation,
    transport: AwsJsonTransport,
    *,
    max_examples: int,
    seed: int,
    on_request: Optional[Callable[[str, int], None]] = None,
    setup: Optional[List[str]] = None,
) -> FuzzOutcome:
    """Send up to ``max_examples`` requests for one operation: a probe, then generated ones.

    The probe is the empty request ``{}``: it tells an unsupported operation for the price of one
    request, before any (costly) generation; its answer is judged like any other. A "not
    implemented" answer to a later input (an operation supported in part) leaves that input unjudged.
    ``setup``: the lines that build ``client`` in a reproduction (see ``client_setup``).
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.errors import FailureGroup

    name = api_operation.definition.raw.get("operationId") or api_operation.path.lstrip("/")
    outcome = FuzzOutcome(operation=name)
    checks = _checks()
    negative_check = checks[CHECK_NAMES.index("negative_data_rejection")]

    def decided(case) -> bool:
        """Send ``case``, judge the answer; True once the operation's outcome is known."""
        exchange = transport.send(name, case.body)
        outcome.requests += 1
        outcome.status_codes[exchange.status_code] += 1
        if on_request is not None:
            on_request(name, exchange.status_code)
        detail = not_implemented_detail(exchange)
        if detail:
            outcome.reason = outcome.reason or detail
            if outcome.requests == 1:  # the probe: the operation as such is unsupported
                outcome.status = Status.NOT_IMPLEMENTED
                return True
            outcome.unsupported_inputs += 1  # supported in part (e.g. Search of some resources): not judged
            return False
        judged = checks
        if not _is_positive(case) and valid_when_nulls_absent(name, case.body):
            judged = [check for check in checks if check is not negative_check]  # not invalid on the wire
        try:
            case.validate_response(to_schemathesis_response(exchange), checks=judged)
        except FailureGroup as group:
            failure = Failure(
                message=_failure_message(group, exchange, case),
                reproduction=reproduction(exchange, case_is_positive=_is_positive(case), setup=setup),
                seed=seed,
            )
            # Decided only once the failure is fully described, so an error here is not mistaken for one.
            outcome.status, outcome.failure = Status.FAILED, failure
            return True
        return False

    if decided(api_operation.Case(body={}, media_type=MEDIA_TYPE)) or max_examples <= 1:
        return outcome

    strategy = st.one_of(
        api_operation.as_strategy(generation_mode=GenerationMode.POSITIVE), negative_cases(api_operation, name)
    )

    @settings(
        max_examples=int(max_examples) - 1,  # the probe was the first
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )
    @hypothesis_seed(operation_seed(seed, name))
    @given(case=strategy)
    def run(case) -> None:
        # Hypothesis replays the deciding example once more: answer it without another request.
        if outcome.status is not Status.PASSED or decided(case):
            raise _Stop()

    try:
        run_hypothesis_test(run)
    except _Stop:
        pass
    return outcome


def negative_cases(api_operation, operation: str):
    """Schemathesis' negative cases for ``operation``, kept only when their body really is invalid."""
    from schemathesis import GenerationMode

    negative = api_operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    return negative.filter(lambda case: invalid_as_sent(operation, case.body))


def invalid_as_sent(operation: str, body) -> bool:
    """Whether a "negative" body really breaks the input schema.

    Schemathesis judges a mutated value against a format it cannot check (such as the pattern
    formats of ``conformance.fuzz.openapi.with_pattern_formats``) as always failing, while a mutation
    that negates only the format drops the pattern and lengths with it: the string it then draws
    (free text under ``.*``, say) can still fit, and that input is valid.
    """
    if not isinstance(body, dict):  # another JSON type, or bytes that are not JSON: never the input object
        return True
    from conformance import shapes

    return not shapes.is_valid(operation, body)


def drop_nulls(value):
    """awsJson reads a member set to null as an absent member (Smithy: servers treat null as unset)."""
    if isinstance(value, dict):
        return {key: drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


def valid_when_nulls_absent(operation: str, body) -> bool:
    """A "negative" body whose only fault is null members is valid as the target reads it."""
    if not isinstance(body, dict) or not _has_null_member(body):
        return False
    from conformance import shapes

    return shapes.is_valid(operation, drop_nulls(body))


def _has_null_member(value) -> bool:
    if isinstance(value, dict):
        return any(item is None or _has_null_member(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_null_member(item) for item in value)
    return False


def _checks():
    from schemathesis.checks import load_all_checks
    from schemathesis.checks import CHECKS as registry  # noqa: N811 - Schemathesis' check registry

    load_all_checks()
    return [registry.get_one(check_name) for check_name in CHECK_NAMES]


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is None or not meta.generation.mode.is_negative


def _failure_message(group, exchange: Exchange, case) -> str:
    titles = "; ".join(dict.fromkeys(failure.title for failure in group.exceptions))
    if case.meta is None:
        kind = "the empty request {}"
    else:
        kind = "valid input" if _is_positive(case) else "invalid input"
    first_lines = [line for line in str(getattr(group.exceptions[0], "message", "")).splitlines() if line.strip()]
    details = first_lines[0] if first_lines else ""
    return (
        f"{exchange.operation}: {titles} (HTTP {exchange.status_code} to {kind}). "
        f"{details} Response: {exchange.text(200)}"
    ).strip()


def to_schemathesis_response(exchange: Exchange):
    """The target's answer as Schemathesis' Response; awsJson content types read as JSON."""
    import requests
    from schemathesis import Response

    headers: Dict[str, List[str]] = {key: [value] for key, value in exchange.headers.items()}
    content_type = exchange.headers.get("content-type", "")
    if content_type.startswith("application/x-amz-json") or not content_type:
        headers["content-type"] = ["application/json"]
    prepared = requests.Request("POST", exchange.url, headers=exchange.request_headers, data=exchange.body).prepare()
    return Response(
        status_code=exchange.status_code,
        headers=headers,
        content=exchange.content,
        request=prepared,
        elapsed=exchange.elapsed,
        verify=True,
    )


def client_setup(target_kind: str, endpoint_url: str) -> List[str]:
    """Lines of Python building a client that reaches the same kind of target, for reproductions."""
    config = "config=Config(parameter_validation=False, retries={'total_max_attempts': 1})"
    lines = ["import boto3", "from botocore.config import Config"]
    if target_kind == "moto":
        lines += ["from moto import mock_aws", "mock_aws().start()"]
        return lines + [f"client = boto3.client('sagemaker', region_name='us-east-1', {config})"]
    if target_kind == "aws":
        return lines + [f"client = boto3.client('sagemaker', {config})"]
    if target_kind == "reference":
        lines.append("# first: sagemaker-conformance serve --port 5000  (the reference target over HTTP)")
        endpoint_url = "http://127.0.0.1:5000"
    return lines + [
        f"client = boto3.client('sagemaker', region_name='us-east-1', endpoint_url={endpoint_url!r},",
        f"                      aws_access_key_id='testing', aws_secret_access_key='testing', {config})",
    ]


def reproduction(exchange: Exchange, *, case_is_positive: bool, setup: Optional[List[str]] = None) -> str:
    """Runnable boto3: a plain call for schema-valid input, the exact raw body otherwise."""
    from botocore import xform_name

    method = xform_name(exchange.operation)
    lines = list(setup if setup is not None else client_setup("url", exchange.url))
    payload = _json_or_none(exchange.body)
    if case_is_positive and _botocore_sends_as_is(exchange.operation, payload):
        lines.append(f"client.{method}(**{payload!r})")
    else:
        lines += [
            f"# the exact {AMZ_JSON} body (X-Amz-Target: {TARGET_PREFIX}.{exchange.operation}):",
            f"body = {exchange.body!r}",
            f"client.meta.events.register('before-call.sagemaker.{exchange.operation}',",
            "                            lambda params, **_: params.update(body=body))",
            f"client.{method}()",
        ]
    return "\n".join(lines)


def _botocore_sends_as_is(operation: str, payload) -> bool:
    """Whether ``client.<op>(**payload)`` puts exactly ``payload`` on the wire (blobs, for one, it re-encodes)."""
    if not isinstance(payload, dict):
        return False
    from botocore.serialize import create_serializer

    from conformance import model

    try:
        operation_model = model.operation_model(operation)
        request = create_serializer("json", include_validation=False).serialize_to_request(payload, operation_model)
        return json.loads(request["body"] or b"{}") == payload
    except Exception:  # noqa: BLE001 - whatever botocore cannot serialize is replayed raw instead
        return False


def _json_or_none(body: bytes):
    try:
        return json.loads(body)
    except ValueError:
        return None
