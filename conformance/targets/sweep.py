"""``sagemaker-conformance sweep``: delete what earlier runs left behind on a target.

Only resources whose name starts with the suite's prefix (``sc-`` or
``sc-<runid>-``) AND that carry the suite's run-id tag are deleted; errors are
reported and the sweep goes on.
"""

from __future__ import annotations

import argparse
import re

from conformance.errors import UsageError

EXAMPLES = """examples:
  sagemaker-conformance sweep --target http://127.0.0.1:5000
  sagemaker-conformance sweep --target aws:eu-west-1 --allow-aws-costs --older-than 6h
  sagemaker-conformance sweep --target aws --allow-aws-costs --run-id k3x9q2ab --dry-run
"""
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(text: str) -> float:
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration (e.g. 90s, 30m, 6h, 2d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.add_argument("--target", required=True, help="the target to sweep (same forms as 'run --target')")
    parser.add_argument("--older-than", type=duration, default=None, metavar="AGE",
                        help="only resources created more than AGE ago (90s, 30m, 6h, 2d); default: all")
    parser.add_argument("--run-id", default=None, help="only the leftovers of this run (its id from the report)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    parser.add_argument("--target-credentials", metavar="PROFILE", default=None,
                        help="AWS profile whose credentials are sent to the target (default: dummy credentials)")
    parser.add_argument("--allow-aws-costs", action="store_true", help="required for --target aws[:REGION]")


def command(args: argparse.Namespace) -> int:
    from conformance.targets import NAME_PREFIX, make_target
    from conformance.targets.cleanup import delete_leftovers

    if args.run_id is not None and not re.fullmatch(r"[a-z0-9]{1,32}", args.run_id):
        raise UsageError(f"--run-id {args.run_id!r}: expected the lowercase letters and digits of a run id")
    prefix = f"{NAME_PREFIX}{args.run_id}-" if args.run_id else NAME_PREFIX
    target = make_target(
        args.target, credentials_profile=args.target_credentials, allow_aws_costs=args.allow_aws_costs
    )
    try:
        target.check_reachable()
        if args.dry_run:
            target = _DryRun(target)
        result = delete_leftovers(target, prefix, require_tag=True, older_than_s=args.older_than, report=print)
    finally:
        (getattr(target, "inner", target)).close()
    verb = "would delete" if args.dry_run else "deleted"
    print(f"sweep {target.name}: {verb} {len(result.deleted)} resource(s), {len(result.errors)} error(s)")
    return 1 if result.errors else 0


class _DryRun:
    """A target whose clients list and tag-check for real but do not delete."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name

    def client(self, service: str = "sagemaker"):
        return _NoDelete(self.inner.client(service))


class _NoDelete:
    def __init__(self, client) -> None:
        self._client = client

    def __getattr__(self, name: str):
        if name.startswith("delete_"):
            return lambda **_params: {}
        return getattr(self._client, name)
