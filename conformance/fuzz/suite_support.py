"""What the shipped fuzz test needs from the pytest run: which operations, and how many examples each.

Kept out of the test module so the selection logic is unit-tested without a pytest run.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from conformance.fuzz.selection import parse_patterns, read_only_required, select_operations

# The default run fuzzes a seeded sample: this many of all operations, plus this many of the
# operations the rule catalogue cites (the ones a target under test most likely implements).
# ``-m fuzz`` or ``--operations`` widen it to everything selected.
DEFAULT_SAMPLE = 8
DEFAULT_CITED_SAMPLE = 2
# Examples per sampled operation in the default run (at most --max-examples), so the default run
# stays quick: an operation's first example costs ~0.1-0.7 s (building its strategies), each further
# one ~0.01-0.07 s (pattern strings drawn through conformance.fuzz.openapi.with_pattern_formats).
DEFAULT_SAMPLE_EXAMPLES = 5
_FUZZ_MARK = re.compile(r"\bfuzz\b")


def wide_run_requested(markexpr: Optional[str]) -> bool:
    """``-m fuzz`` (or any expression selecting it positively) asks for every operation."""
    if not markexpr or not _FUZZ_MARK.search(markexpr):
        return False
    return not re.search(r"\bnot\s+fuzz\b", markexpr)


def is_wide(patterns: Optional[str], markexpr: Optional[str]) -> bool:
    """Whether the run asked for fuzzing by name (``--operations``) or by marker (``-m fuzz``)."""
    return bool(parse_patterns(patterns)) or wide_run_requested(markexpr)


def examples_per_operation(max_examples: int, *, wide: bool) -> int:
    return max_examples if wide else min(max_examples, DEFAULT_SAMPLE_EXAMPLES)


def operations_for_run(
    all_operations,
    *,
    patterns: Optional[str],
    markexpr: Optional[str],
    target_kind: str,
    allow_mutating: bool,
    seed: int,
    cited: Sequence[str] = (),
    sample: int = DEFAULT_SAMPLE,
    cited_sample: int = DEFAULT_CITED_SAMPLE,
) -> List[str]:
    """``--operations`` wins; else ``-m fuzz`` means all; else a seeded sample. Real AWS: read-only only."""
    chosen_patterns = parse_patterns(patterns)
    read_only = read_only_required(target_kind, allow_mutating)
    if chosen_patterns or wide_run_requested(markexpr):
        return select_operations(all_operations, patterns=chosen_patterns, read_only=read_only)
    everything = list(all_operations)
    picked = set(select_operations(everything, read_only=read_only, sample=sample, seed=seed))
    focus = [name for name in cited if name in set(everything) and name not in picked]
    picked.update(select_operations(focus, read_only=read_only, sample=cited_sample, seed=seed))
    return sorted(picked)
