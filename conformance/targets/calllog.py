"""Every call a target's clients make, kept so that a failure can be replayed as boto3 code.

Machines take ``mark = target.call_log.mark()`` when an example starts and, on a
failure, ``target.call_log.to_boto3(since=mark, thread=...)``: a runnable script of exactly
the calls (and waits) of that example, even while other examples run in other threads. Only operation parameters are kept;
headers, signatures and credentials never enter the log.
"""

from __future__ import annotations

import copy
import datetime
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import botocore

# Parameters whose value must never be printed (none of the suite's operations take them;
# the guard is for arbitrary payloads such as the fuzzer's).
_SECRET_KEY = re.compile(r"(?i)(secret|password|passphrase|sessiontoken|accesskey|authorization|credential)")
REDACTED = "<redacted>"
MAX_ENTRIES = 20_000


@dataclass
class Call:
    service: str
    operation: str  # PascalCase, as in the model
    params: Dict[str, Any] = field(default_factory=dict)
    status_code: Optional[int] = None  # None: no HTTP answer (connection error, in-process crash)
    error_code: str = ""
    wait_s: float = 0.0  # set for a simulated/real wait between calls instead of a call
    # The thread that made it: machine runs on real-time targets share one log from several threads.
    thread: int = field(default_factory=threading.get_ident)

    @property
    def method(self) -> str:
        return botocore.xform_name(self.operation)

    @property
    def outcome(self) -> str:
        if self.status_code is None:
            return self.error_code or "no answer"
        return f"{self.status_code} {self.error_code}".strip()


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if _SECRET_KEY.search(str(k)) else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


class RequestLog:
    """Thread-safe, bounded, append-only log with absolute positions (marks)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: List[Call] = []
        self._dropped = 0
        self._max = max_entries

    def start(self, service: str, operation: str, params: dict) -> Call:
        try:
            kept = copy.deepcopy(params)
        except Exception:  # noqa: BLE001 - an undeepcopyable payload is still worth logging shallowly
            kept = dict(params)
        call = Call(service=service, operation=operation, params=redact(kept))
        self._append(call)
        return call

    def wait(self, seconds: float) -> None:
        self._append(Call(service="", operation="", wait_s=float(seconds)))

    def _append(self, call: Call) -> None:
        with self._lock:
            self._entries.append(call)
            if len(self._entries) > self._max:
                surplus = len(self._entries) - self._max
                del self._entries[:surplus]
                self._dropped += surplus

    def mark(self) -> int:
        with self._lock:
            return self._dropped + len(self._entries)

    def since(self, mark: int = 0, *, thread: Optional[int] = None) -> List[Call]:
        """Entries from ``mark`` on; with ``thread``, only that thread's (one example's among concurrent ones)."""
        with self._lock:
            entries = list(self._entries[max(0, mark - self._dropped):])
        return entries if thread is None else [entry for entry in entries if entry.thread == thread]

    def calls(self, since: int = 0) -> List[Call]:
        return [c for c in self.since(since) if c.operation]

    def clear(self) -> None:
        with self._lock:
            self._dropped += len(self._entries)
            self._entries.clear()

    def to_boto3(self, since: int = 0, *, endpoint_url: Optional[str] = None, region: str = "us-east-1",
                 header: str = "", thread: Optional[int] = None) -> str:
        return render_boto3(self.since(since, thread=thread), endpoint_url=endpoint_url, region=region, header=header)


def render_boto3(entries: List[Call], *, endpoint_url: Optional[str] = None, region: str = "us-east-1",
                 header: str = "") -> str:
    """A runnable script; calls that failed are wrapped so the script goes on and prints the error."""
    services = sorted({c.service for c in entries if c.operation})
    lines = []
    if header:
        lines.extend(f"# {line}" for line in header.splitlines())
    lines += ["import datetime  # noqa: F401 - timestamps in parameters", "import time", "",
              "import boto3", "from botocore.exceptions import ClientError", ""]
    lines.append("TIME_SCALE = 1.0  # waits are in the target's seconds; scale them for a --time-scale server")
    endpoint = f", endpoint_url={endpoint_url!r}" if endpoint_url else ""
    dummy = ", aws_access_key_id='testing', aws_secret_access_key='testing'" if endpoint_url else ""
    for service in services:
        lines.append(f"{_variable(service)} = boto3.client({service!r}, region_name={region!r}{endpoint}{dummy})")
    lines.append("")
    for call in entries:
        if not call.operation:
            lines.append(f"time.sleep({call.wait_s:g} * TIME_SCALE)")
            continue
        invocation = f"{_variable(call.service)}.{call.method}({_arguments(call.params)})"
        if call.status_code is not None and call.status_code < 300:
            lines.append(f"{invocation}  # -> {call.outcome}")
        else:
            lines.append(f"try: {invocation}  # -> {call.outcome}")
            lines.append("except ClientError as err: print(err)")
    return "\n".join(lines) + "\n"


def _variable(service: str) -> str:
    return re.sub(r"\W", "_", service) or "client"


def _arguments(params: Dict[str, Any]) -> str:
    return ", ".join(f"{name}={_literal(value)}" for name, value in params.items())


def _literal(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return f"datetime.datetime.fromisoformat({value.isoformat()!r})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)
