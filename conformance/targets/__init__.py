"""Targets: what the suite runs against, behind one interface.

``make_target(spec)`` turns a ``--target`` value into a ``Target``:

=================  =====================================================================
``reference``      the embedded reference target (the emulator) in-process, driven clock
``reference:F``    the same with fault F from the emulator's catalogue (self-test)
``moto``           moto in-process (``mock_aws``)
``moto-server``    moto's server, started on a free 127.0.0.1 port and stopped after
``http(s)://…``    any SageMaker-compatible endpoint; dummy credentials unless a profile is named
``aws[:REGION]``   real AWS, only with ``allow_aws_costs=True``
=================  =====================================================================

A ``Target`` offers: ``name``, ``kind``, ``description`` (never credentials),
``client(service)`` (botocore; errors classified into ``NotImplementedByTarget`` /
``TargetUnreachable`` / ``TargetError`` / ``ClientError``) and ``raw_client(service)``
(botocore's own exceptions), ``sleep(s)`` and ``wait_for(describe, until, timeout_s)`` on
the target's clock, ``resource_name(kind)`` / ``run_tags()`` / ``name_prefix`` / ``run_id``
for everything it creates, ``call_log`` (``mark()``, ``to_boto3(since)``) and
``reproduction(since)``, ``check_reachable()``, ``close()`` (cleans up, also on Ctrl-C via
the plugin), ``supports_failure_injection`` and ``is_embedded``. ``consistency`` holds the
bounded retries for the documented eventual-consistency cases; ``sweep`` the command.
"""

from __future__ import annotations

from typing import Optional

from conformance.errors import UsageError
from conformance.targets.base import NAME_PREFIX, RUN_TAG_KEY, Target, WaitTimeout, new_run_id
from conformance.targets.calllog import Call, RequestLog
from conformance.targets.classify import classify_error
from conformance.targets.spec import TargetSpec, parse_spec

__all__ = [
    "NAME_PREFIX",
    "RUN_TAG_KEY",
    "Call",
    "RequestLog",
    "Target",
    "TargetSpec",
    "WaitTimeout",
    "classify_error",
    "make_target",
    "new_run_id",
    "parse_spec",
    "prepare",
]


def prepare(
    spec,
    *,
    time_scale: Optional[float] = None,
    credentials_profile: Optional[str] = None,
    allow_aws_costs: bool = False,
) -> TargetSpec:
    """Check everything about a target that needs no connection (and starts nothing)."""
    parsed = spec if isinstance(spec, TargetSpec) else parse_spec(spec)
    if time_scale is not None and not time_scale > 0:
        raise UsageError(f"--time-scale must be a positive number, not {time_scale!r}")
    if parsed.kind == "aws" and not allow_aws_costs:
        from conformance.targets.aws import REFUSAL

        raise UsageError(REFUSAL.format(name=parsed.name))
    if credentials_profile and parsed.kind not in ("url", "aws"):
        raise UsageError(f"--target-credentials applies to URL and AWS targets, not to {parsed.name}")
    return parsed


def make_target(
    spec,
    *,
    time_scale: Optional[float] = None,
    credentials_profile: Optional[str] = None,
    allow_aws_costs: bool = False,
    run_id: Optional[str] = None,
    worker: str = "",
) -> Target:
    """Build (and for moto-server: start) the target ``spec`` names. Raises UsageError for a bad spec."""
    parsed = prepare(
        spec, time_scale=time_scale, credentials_profile=credentials_profile, allow_aws_costs=allow_aws_costs
    )
    common = {"run_id": run_id, "worker": worker}
    if parsed.kind == "reference":
        from conformance.targets.reference import ReferenceTarget

        return ReferenceTarget(parsed, **common)
    if parsed.kind == "moto":
        from conformance.targets.moto import MotoTarget

        return MotoTarget(parsed, **common)
    if parsed.kind == "moto-server":
        from conformance.targets.moto import MotoServerTarget

        return MotoServerTarget(parsed, **common)
    if parsed.kind == "url":
        from conformance.targets.url import UrlTarget

        return UrlTarget(parsed, time_scale=time_scale, credentials_profile=credentials_profile, **common)
    from conformance.targets.aws import AwsTarget

    return AwsTarget(
        parsed,
        allow_aws_costs=allow_aws_costs,
        credentials_profile=credentials_profile,
        time_scale=time_scale,
        **common,
    )
