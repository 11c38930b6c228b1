"""Scrub credentials out of everything a report holds, at write time.

Reproductions, messages and target descriptions are built from real requests,
so a key or a signed header could leak into them. Every string of a report
passes through ``redact`` before any file is written; the patterns are broad on
purpose (a false positive costs a ``[REDACTED]``, a miss costs a key).
"""

from __future__ import annotations

import re
from typing import Any

MASK = "[REDACTED]"

# (pattern, replacement): each keeps the name of what it hides so the text stays readable.
_PATTERNS = [
    # Whole header lines / values: Authorization, session tokens, security tokens, signatures.
    (re.compile(r"(?i)\b(authorization)(\s*[:=]\s*|['\"]\s*:\s*['\"])[^\r\n'\"]*"), r"\1\2" + MASK),
    (re.compile(r"(?i)\b(x-amz-security-token|x-amz-signature|x-amz-credential)(\s*[:=]\s*|['\"]\s*:\s*['\"])[^\s&'\",;]*"),
     r"\1\2" + MASK),
    (re.compile(r"(?i)\b(signature|credential)=[^\s&'\",;]+"), r"\1=" + MASK),
    # boto3 keyword arguments, config files and environment variables (obvious dummies are kept, see below).
    (re.compile(r"(?i)\b(aws_secret_access_key|aws_session_token|aws_security_token|secret_?access_?key|session_?token"
                r"|token|password|secret)(['\"]?\s*[:=]\s*['\"]?)([^\s'\",)}]+)"), None),
    # Access key ids: AKIA (long-term), ASIA (temporary) and the other documented unique-id prefixes.
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b"), MASK),
]


# Placeholder credentials the suite itself sends to non-AWS targets: showing them hides nothing and keeps
# reproductions runnable as printed.
DUMMY_VALUES = {"testing", "test", "dummy", "fake", "mock", "none"}


def _keep_dummy(match: "re.Match") -> str:
    name, separator, secret = match.groups()
    return match.group(0) if secret.lower() in DUMMY_VALUES else f"{name}{separator}{MASK}"


def redact(value: Any) -> Any:
    """Return ``value`` with credentials masked: strings, and lists/dicts of them, recursively."""
    if isinstance(value, str):
        for pattern, replacement in _PATTERNS:
            value = pattern.sub(replacement or _keep_dummy, value)
        return value
    if isinstance(value, dict):
        return {redact(key) if isinstance(key, str) else key: redact(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(item) for item in value)
    return value


def scrubbed(run):
    """A copy of a RunResult with every string redacted (what every report is rendered from)."""
    from conformance.results import RunResult

    data = redact(run.to_json())
    return RunResult.from_json(data)
