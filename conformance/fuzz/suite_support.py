"""What the shipped fuzz test needs from the pytest run: which operations, and how to reproduce on this target.

Kept out of the test module so the selection logic is unit-tested without a pytest run.
"""

from __future__ import annotations

import re
from typing import List, Optional

from conformance.fuzz.selection import parse_patterns, read_only_required, select_operations

# The default run fuzzes a seeded sample this big; ``-m fuzz`` or ``--operations`` widen it.
DEFAULT_SAMPLE = 12
_FUZZ_MARK = re.compile(r"\bfuzz\b")


def wide_run_requested(markexpr: Optional[str]) -> bool:
    """``-m fuzz`` (or any expression selecting it positively) asks for every operation."""
    if not markexpr or not _FUZZ_MARK.search(markexpr):
        return False
    return not re.search(r"\bnot\s+fuzz\b", markexpr)


def operations_for_run(
    all_operations,
    *,
    patterns: Optional[str],
    markexpr: Optional[str],
    target_kind: str,
    allow_mutating: bool,
    seed: int,
    sample: int = DEFAULT_SAMPLE,
) -> List[str]:
    """``--operations`` wins; else ``-m fuzz`` means all; else a seeded sample. Real AWS: read-only only."""
    chosen_patterns = parse_patterns(patterns)
    wide = bool(chosen_patterns) or wide_run_requested(markexpr)
    return select_operations(
        all_operations,
        patterns=chosen_patterns,
        read_only=read_only_required(target_kind, allow_mutating),
        sample=None if wide else sample,
        seed=seed,
    )
