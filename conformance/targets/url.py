"""Any SageMaker-compatible endpoint at a URL: an emulator, a proxy, a mock server."""

from __future__ import annotations

from typing import Optional, Tuple
from urllib.parse import urlsplit

import botocore.session
from botocore.exceptions import ClientError, ProfileNotFound

from conformance.clock import Clock, ScaledClock, SystemClock
from conformance.errors import TargetError, UsageError
from conformance.targets import cleanup
from conformance.targets.base import Target
from conformance.targets.spec import TargetSpec

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _profile_session(profile: str) -> botocore.session.Session:
    """A session for an explicitly named profile: botocore ignores environment keys then."""
    session = botocore.session.Session(profile=profile)
    try:
        credentials = session.get_credentials()
    except ProfileNotFound as err:
        raise UsageError(f"--target-credentials: AWS profile {profile!r} not found") from err
    if credentials is None:
        raise UsageError(f"--target-credentials: AWS profile {profile!r} has no credentials")
    return session


class UrlTarget(Target):
    kind = "url"
    connect_timeout_s = 3.0
    read_timeout_s = 30.0
    max_attempts = 3
    consistency_attempts = 5

    def __init__(
        self,
        spec: TargetSpec,
        *,
        time_scale: Optional[float] = None,
        credentials_profile: Optional[str] = None,
        clock: Optional[Clock] = None,
        run_id: Optional[str] = None,
        worker: str = "",
    ) -> None:
        self.time_scale = time_scale
        self.credentials_profile = credentials_profile
        if clock is None:
            clock = ScaledClock(time_scale) if time_scale else SystemClock()
        self._session = _profile_session(credentials_profile) if credentials_profile else None
        super().__init__(spec, clock=clock, run_id=run_id, worker=worker)
        self.consistency_delay_s = 2.0 * (time_scale or 1.0)

    @property
    def description(self) -> str:
        scale = f", time scale {self.time_scale:g}" if self.time_scale else ""
        auth = f", credentials of profile {self.credentials_profile!r}" if self.credentials_profile else ""
        return f"SageMaker-compatible endpoint at {self.spec.url}{scale}{auth}"

    @property
    def endpoint_url(self) -> str:
        return self.spec.url

    def _botocore_session(self) -> botocore.session.Session:
        return self._session or super()._botocore_session()

    def _credentials(self, session) -> Tuple[str, str, Optional[str]]:
        if self._session is None:
            return super()._credentials(session)
        frozen = self._session.get_credentials().get_frozen_credentials()
        return frozen.access_key, frozen.secret_key, frozen.token

    def _proxies(self) -> Optional[dict]:
        # An environment HTTP(S)_PROXY must not see (or break) loopback traffic.
        return {} if urlsplit(self.spec.url).hostname in _LOOPBACK else None

    def _judge_probe_error(self, err: ClientError) -> None:
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if status >= 500:
            raise TargetError(f"target {self.name} answers HTTP {status} to ListEndpoints: {err}")

    def cleanup(self) -> None:
        if self.created_anything():
            cleanup.delete_leftovers(self, self.name_prefix, require_tag=False)
