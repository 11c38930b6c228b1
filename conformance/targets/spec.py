"""Parse a ``--target`` value into a ``TargetSpec``. Pure: no network, no imports of the targets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from conformance.errors import UsageError

DEFAULT_REGION = "us-east-1"

# kind -> what a user types; shown in every "unknown target" message.
FORMS = (
    "reference",
    "reference:FAULT",
    "moto",
    "moto-server",
    "http://HOST:PORT",
    "https://HOST[:PORT]",
    "aws[:REGION]",
)
EXPECTED = "expected one of " + ", ".join(FORMS)

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
_FAULT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class TargetSpec:
    """What ``--target`` asked for. ``kind`` is reference, moto, moto-server, url or aws."""

    kind: str
    raw: str
    url: str = ""  # url kind: scheme://host[:port], never with credentials
    region: str = DEFAULT_REGION
    fault: str = ""  # reference kind: a fault from the emulator's catalogue

    @property
    def driven_clock(self) -> bool:
        """The in-process kinds run on a clock the suite drives (``Target.driven_clock``)."""
        return self.kind in ("reference", "moto", "moto-server")

    @property
    def name(self) -> str:
        if self.kind == "url":
            return self.url
        if self.kind == "aws":
            return f"aws:{self.region}"
        if self.kind == "reference" and self.fault:
            return f"reference:{self.fault}"
        return self.kind


def parse_spec(text: str) -> TargetSpec:
    raw = (text or "").strip()
    if not raw:
        raise UsageError(f"--target is empty; {EXPECTED}")
    lowered = raw.lower()
    if lowered in ("reference", "moto", "moto-server"):
        return TargetSpec(kind=lowered, raw=raw)
    if lowered.startswith("reference:"):
        fault = raw.split(":", 1)[1]
        if not _FAULT.match(fault):
            raise UsageError(f"--target {raw!r}: {fault!r} is not a fault name (see 'sagemaker-conformance serve --list-faults')")
        return TargetSpec(kind="reference", raw=raw, fault=fault)
    if lowered == "aws" or lowered.startswith("aws:"):
        region = raw[4:] if lowered.startswith("aws:") else DEFAULT_REGION
        if not _REGION.match(region):
            raise UsageError(f"--target {raw!r}: {region!r} is not an AWS region name (e.g. aws:eu-west-1)")
        return TargetSpec(kind="aws", raw=raw, region=region)
    if "://" in raw:
        return _parse_url(raw)
    raise UsageError(f"unknown --target {raw!r}; {EXPECTED}")


def _parse_url(raw: str) -> TargetSpec:
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UsageError(f"unknown target scheme {parts.scheme!r} in {raw!r}; {EXPECTED}")
    if "@" in parts.netloc:
        # A URL with user:password would end up in logs and reports.
        raise UsageError("--target URL must not contain credentials; use --target-credentials PROFILE")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as err:
        raise UsageError(f"--target {raw!r}: bad port ({err})") from err
    if not host:
        raise UsageError(f"--target {raw!r} has no host; expected {scheme}://HOST:PORT")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UsageError(f"--target {raw!r}: give only scheme://HOST:PORT (SageMaker is served at /)")
    netloc = f"[{host}]" if ":" in host else host
    url = f"{scheme}://{netloc}" + (f":{port}" if port is not None else "")
    return TargetSpec(kind="url", raw=raw, url=url)
