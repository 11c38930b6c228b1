"""What a run found, independent of how it was run: the input of every report.

Statuses per the product: passed, failed (nonconformant), not_implemented,
target_error, skipped. A target error is never counted as a nonconformance.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Dict, Iterable, List, Optional


class Status(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_IMPLEMENTED = "not_implemented"
    TARGET_ERROR = "target_error"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


# When one rule is decided by several checks, the strongest status wins.
_PRECEDENCE = [Status.FAILED, Status.NOT_IMPLEMENTED, Status.TARGET_ERROR, Status.PASSED, Status.SKIPPED]


def combine(statuses) -> Status:
    present = set(statuses)
    for status in _PRECEDENCE:
        if status in present:
            return status
    return Status.SKIPPED


class Verdict(str, enum.Enum):
    CONFORMANT = "conformant"
    NONCONFORMANT = "nonconformant"
    INCOMPLETE = "incomplete"

    def __str__(self) -> str:
        return self.value


@dataclass
class Failure:
    message: str
    reproduction: str = ""  # runnable boto3 calls
    seed: Optional[int] = None


@dataclass
class RuleResult:
    id: str
    area: str
    statement: str
    citation: Dict[str, str]  # {"operation": ..., "member": ...}
    status: Status = Status.SKIPPED
    checks: int = 0
    failures: List[Failure] = field(default_factory=list)
    reason: str = ""  # why skipped / not implemented / target error


def _by_status(statuses: Iterable) -> Dict[str, int]:
    """How many of ``statuses`` there are of each Status, every Status listed (in declaration order)."""
    counts = {status.value: 0 for status in Status}
    for status in statuses:
        counts[Status(status).value] += 1
    return counts


def counts_text(counts: Dict[str, int]) -> str:
    """``{"passed": 3, "failed": 0, "skipped": 1}`` as ``3 passed, 1 skipped``."""
    return ", ".join(f"{value} {key}" for key, value in counts.items() if value)


@dataclass
class OperationResult:
    name: str
    requests: int = 0
    status_codes: Dict[str, int] = field(default_factory=dict)
    status: Optional[Status] = None  # set by the wide fuzzing run
    failures: List[Failure] = field(default_factory=list)


@dataclass
class RunResult:
    tool: Dict[str, str]
    target: Dict[str, str]
    botocore_version: str
    seed: Optional[int]
    started: str
    duration_s: float
    rules: List[RuleResult] = field(default_factory=list)
    operations: List[OperationResult] = field(default_factory=list)
    transitions: Dict[str, int] = field(default_factory=dict)  # "Creating->InService": count
    notes: List[str] = field(default_factory=list)
    interrupted: bool = False  # the run stopped before every selected test ran
    max_examples: Optional[int] = None  # with the seed, what a rerun needs to replay the same examples

    @property
    def summary(self) -> Dict[str, int]:
        return _by_status(rule.status for rule in self.rules)

    @property
    def operation_summary(self) -> Dict[str, int]:
        """The fuzzed operations by outcome (an operation the run did not fuzz has no status)."""
        return _by_status(operation.status for operation in self.operations if operation.status is not None)

    @property
    def verdict(self) -> Verdict:
        summary = self.summary
        if summary["failed"] or summary["not_implemented"]:
            return Verdict.NONCONFORMANT
        if self.interrupted or summary["target_error"] or not summary["passed"]:
            return Verdict.INCOMPLETE
        return Verdict.CONFORMANT

    def to_json(self) -> dict:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        data["summary"] = self.summary
        for rule in data["rules"]:
            rule["status"] = Status(rule["status"]).value
        for operation in data["operations"]:
            if operation["status"] is not None:
                operation["status"] = Status(operation["status"]).value
        return data

    @classmethod
    def from_json(cls, data: dict) -> "RunResult":
        rules = [
            RuleResult(**{**r, "status": Status(r["status"]), "failures": [Failure(**f) for f in r.get("failures", [])]})
            for r in data.get("rules", [])
        ]
        operations = [
            OperationResult(
                **{
                    **o,
                    "status": Status(o["status"]) if o.get("status") else None,
                    "failures": [Failure(**f) for f in o.get("failures", [])],
                }
            )
            for o in data.get("operations", [])
        ]
        fields = {k: data[k] for k in ("tool", "target", "botocore_version", "seed", "started", "duration_s")}
        return cls(
            **fields,
            rules=rules,
            operations=operations,
            transitions=data.get("transitions", {}),
            notes=data.get("notes", []),
            interrupted=bool(data.get("interrupted", False)),
            max_examples=data.get("max_examples"),
        )
