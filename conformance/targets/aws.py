"""Real AWS SageMaker. Billable: only with an explicit opt-in, never in the suite's own tests."""

from __future__ import annotations

from typing import Optional, Tuple

import botocore.session
from botocore.exceptions import ClientError

from conformance.clock import ScaledClock, SystemClock
from conformance.errors import TargetError, UsageError
from conformance.targets import cleanup
from conformance.targets.base import Target
from conformance.targets.spec import TargetSpec
from conformance.targets.url import _profile_session

REFUSAL = (
    "--target {name} runs the suite against real AWS and creates billable SageMaker resources "
    "(endpoints on ml.* instances); add --allow-aws-costs to confirm"
)
_AUTH_CODES = frozenset(
    {"UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "ExpiredTokenException",
     "InvalidClientTokenId", "AuthFailure"}
)


class AwsTarget(Target):
    kind = "aws"
    connect_timeout_s = 5.0
    read_timeout_s = 60.0
    max_attempts = 5
    backoff_s = 1.0
    consistency_attempts = 6
    consistency_delay_s = 5.0

    def __init__(
        self,
        spec: TargetSpec,
        *,
        allow_aws_costs: bool = False,
        credentials_profile: Optional[str] = None,
        time_scale: Optional[float] = None,
        run_id: Optional[str] = None,
        worker: str = "",
    ) -> None:
        if not allow_aws_costs:
            raise UsageError(REFUSAL.format(name=spec.name))
        self.credentials_profile = credentials_profile
        self._session = _profile_session(credentials_profile) if credentials_profile else botocore.session.Session()
        clock = ScaledClock(time_scale) if time_scale else SystemClock()
        super().__init__(spec, clock=clock, run_id=run_id, worker=worker)

    @property
    def description(self) -> str:
        who = f"profile {self.credentials_profile!r}" if self.credentials_profile else "the default credential chain"
        return f"Amazon SageMaker in {self.region} (real AWS, {who})"

    def _botocore_session(self) -> botocore.session.Session:
        return self._session

    def _credentials(self, session) -> Tuple[Optional[str], Optional[str], Optional[str]]:
        return None, None, None  # botocore's chain (or the named profile) decides

    def _judge_probe_error(self, err: ClientError) -> None:
        code = err.response.get("Error", {}).get("Code", "")
        if code in _AUTH_CODES:
            raise TargetError(f"AWS rejected the credentials for {self.name}: {code}")

    def cleanup(self) -> None:
        if self.created_anything():
            cleanup.delete_leftovers(self, self.name_prefix, require_tag=False)
