"""Which operations a fuzzing run covers: patterns, safety against real AWS, a deterministic sample."""

from __future__ import annotations

import fnmatch
import random
from typing import Iterable, List, Optional, Sequence

from conformance.errors import UsageError

# Read-only by their documented naming: safe to fuzz against a real account.
READ_ONLY_PREFIXES = ("Describe", "List", "Search", "Get", "BatchDescribe", "BatchGet")
# Target kinds that may hold real, billable resources; see conformance.targets.
COSTLY_KINDS = ("aws",)


def operation_names() -> List[str]:
    """Operations both the committed shapes and the installed botocore know: a newer or older
    botocore than the shapes' must not make the fuzzer ask for a schema or a method that is not there."""
    from conformance import model, shapes

    return sorted(set(shapes.operations()) & set(model.operation_names()))


def is_read_only(operation: str) -> bool:
    return operation.startswith(READ_ONLY_PREFIXES)


def parse_patterns(value: Optional[str]) -> List[str]:
    """``"Describe*,CreateEndpoint"`` → ``["Describe*", "CreateEndpoint"]`` (shell-style globs)."""
    if not value:
        return []
    patterns = [part.strip() for part in value.split(",") if part.strip()]
    if not patterns:
        raise UsageError(f"--operations {value!r}: give one or more names or globs, e.g. 'Describe*,CreateEndpoint'")
    return patterns


def matching(operations: Iterable[str], patterns: Sequence[str]) -> List[str]:
    """Operations matching any pattern (case-insensitive); a pattern that matches nothing is a usage error."""
    operations = list(operations)
    if not patterns:
        return operations
    chosen = set()
    for pattern in patterns:
        hits = [name for name in operations if fnmatch.fnmatchcase(name.lower(), pattern.lower())]
        if not hits:
            raise UsageError(f"--operations: {pattern!r} matches no SageMaker operation")
        chosen.update(hits)
    return [name for name in operations if name in chosen]


def check_patterns(value: str) -> None:
    """``--operations`` as the user gave it: a UsageError names what matches no operation."""
    matching(operation_names(), parse_patterns(value))


def select_operations(
    operations: Iterable[str],
    *,
    patterns: Sequence[str] = (),
    read_only: bool = False,
    sample: Optional[int] = None,
    seed: int = 0,
) -> List[str]:
    """Filter by pattern, then by safety, then take a seeded sample (sorted, so the order is stable)."""
    chosen = matching(sorted(operations), patterns)
    if read_only:
        chosen = [name for name in chosen if is_read_only(name)]
    if sample is not None and sample < len(chosen):
        chosen = sorted(random.Random(seed).sample(chosen, sample))
    return chosen


def read_only_required(target_kind: str, allow_mutating: bool) -> bool:
    """Against real AWS only read-only operations run, unless the user opted in."""
    return target_kind in COSTLY_KINDS and not allow_mutating
