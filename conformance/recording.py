"""Collects what the machines observed, per process, thread-safely.

Machines call ``Recorder.record(rule_id, status, ...)`` for every decided check,
``Recorder.request(...)`` for every call they make and ``Recorder.transition(...)``
for every status change they see. Under pytest-xdist each worker ships
``snapshot()`` to the controller, which ``merge()``s them; the controller then
builds a ``results.RunResult`` with ``rule_results(catalogue)``.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Optional, Set

from conformance.results import Failure, OperationResult, RuleResult, Status, combine

# Keep reports small: the first few failures of a rule carry the information.
MAX_FAILURES_PER_RULE = 5


def _keep(statuses, failures, key: str, status: Status, message: str, reproduction: str, seed) -> bool:
    """Note ``status`` under ``key``; keep a failure's details, up to MAX_FAILURES_PER_RULE (True if kept)."""
    statuses[key].add(status.value)
    if status is Status.FAILED and len(failures[key]) < MAX_FAILURES_PER_RULE:
        failures[key].append({"message": message, "reproduction": reproduction, "seed": seed})
        return True
    return False


class Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # The distinct statuses each rule's checks had (what ``combine`` needs; ``_checks`` counts them).
        self._statuses: Dict[str, Set[str]] = defaultdict(set)
        self._checks: Counter = Counter()
        self._failures: Dict[str, List[dict]] = defaultdict(list)
        self._reasons: Dict[str, str] = {}
        self._requests: Counter = Counter()
        self._status_codes: Dict[str, Counter] = defaultdict(Counter)
        self._transitions: Counter = Counter()
        # Per-operation verdicts of the wide fuzzing run (conformance.fuzz).
        self._operation_statuses: Dict[str, Set[str]] = defaultdict(set)
        self._operation_failures: Dict[str, List[dict]] = defaultdict(list)

    def record(
        self,
        rule_id: str,
        status: Status,
        *,
        message: str = "",
        reproduction: str = "",
        seed: Optional[int] = None,
    ) -> None:
        status = Status(status)
        with self._lock:
            kept = _keep(self._statuses, self._failures, rule_id, status, message, reproduction, seed)
            self._checks[rule_id] += 1
            if not kept and message and status is not Status.PASSED:
                self._reasons.setdefault(rule_id, message)

    def request(self, operation: str, status_code: int) -> None:
        with self._lock:
            self._requests[operation] += 1
            self._status_codes[operation][str(status_code)] += 1

    def operation(
        self,
        operation: str,
        status: Status,
        *,
        message: str = "",
        reproduction: str = "",
        seed: Optional[int] = None,
    ) -> None:
        """The fuzzing verdict for one operation; requests are counted separately by ``request()``."""
        status = Status(status)
        with self._lock:
            _keep(self._operation_statuses, self._operation_failures, operation, status, message, reproduction, seed)

    def transition(self, before: str, after: str) -> None:
        if before != after:
            with self._lock:
                self._transitions[f"{before}->{after}"] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "statuses": {k: sorted(v) for k, v in self._statuses.items()},
                "checks": dict(self._checks),
                "failures": {k: list(v) for k, v in self._failures.items()},
                "reasons": dict(self._reasons),
                "requests": dict(self._requests),
                "status_codes": {k: dict(v) for k, v in self._status_codes.items()},
                "transitions": dict(self._transitions),
                "operation_statuses": {k: sorted(v) for k, v in self._operation_statuses.items()},
                "operation_failures": {k: list(v) for k, v in self._operation_failures.items()},
            }

    def merge(self, snapshot: dict) -> None:
        with self._lock:
            for rule_id, statuses in snapshot.get("statuses", {}).items():
                self._statuses[rule_id].update(statuses)
            self._checks.update(snapshot.get("checks", {}))
            for rule_id, failures in snapshot.get("failures", {}).items():
                room = MAX_FAILURES_PER_RULE - len(self._failures[rule_id])
                self._failures[rule_id].extend(failures[: max(0, room)])
            for rule_id, reason in snapshot.get("reasons", {}).items():
                self._reasons.setdefault(rule_id, reason)
            self._requests.update(snapshot.get("requests", {}))
            for operation, codes in snapshot.get("status_codes", {}).items():
                self._status_codes[operation].update(codes)
            self._transitions.update(snapshot.get("transitions", {}))
            for operation, statuses in snapshot.get("operation_statuses", {}).items():
                self._operation_statuses[operation].update(statuses)
            for operation, failures in snapshot.get("operation_failures", {}).items():
                room = MAX_FAILURES_PER_RULE - len(self._operation_failures[operation])
                self._operation_failures[operation].extend(failures[: max(0, room)])

    def status_of(self, rule_id: str) -> Status:
        with self._lock:
            return combine(Status(s) for s in self._statuses.get(rule_id, []))

    def rule_results(self, catalogue: Iterable) -> List[RuleResult]:
        """One RuleResult per catalogue rule (objects with id, area, statement, operation, member)."""
        results = []
        with self._lock:
            for rule in catalogue:
                statuses = [Status(s) for s in self._statuses.get(rule.id, [])]
                status = combine(statuses)
                results.append(
                    RuleResult(
                        id=rule.id,
                        area=rule.area,
                        statement=rule.statement,
                        citation={"operation": rule.operation, "member": rule.member or ""},
                        status=status,
                        checks=self._checks.get(rule.id, 0),
                        failures=[Failure(**f) for f in self._failures.get(rule.id, [])],
                        reason=self._reasons.get(rule.id, "" if statuses else "not exercised in this run"),
                    )
                )
        return results

    def operation_results(self) -> List[OperationResult]:
        """Every operation that was called or fuzzed; ``status`` is set only for fuzzed ones."""
        with self._lock:
            names = sorted(set(self._requests) | set(self._operation_statuses))
            return [
                OperationResult(
                    name=name,
                    requests=self._requests.get(name, 0),
                    status_codes=dict(self._status_codes.get(name, {})),
                    status=(
                        combine(Status(s) for s in self._operation_statuses[name])
                        if name in self._operation_statuses
                        else None
                    ),
                    failures=[Failure(**f) for f in self._operation_failures.get(name, [])],
                )
                for name in names
            ]

    def transitions(self) -> Dict[str, int]:
        with self._lock:
            return dict(self._transitions)
