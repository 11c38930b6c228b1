"""The command that reruns what found a failure, printed next to it.

The suite runs one state machine per area, seeded with the run's seed, so the
rerun selects the rule's area (``-m``) and pins the target, the seed and the
example count: with those the machine replays the same examples and fails the
same way (Hypothesis then shrinks to the same reproduction). A fuzzed
operation is selected by name.
"""

from __future__ import annotations

import shlex
from typing import Dict, Optional

from conformance.results import RunResult

SUITE = "conformance.suite"


def target_spec(run: RunResult) -> str:
    """The --target value that reaches the same target again."""
    target = run.target
    # "name" distinguishes reference:FAULT from plain reference; "kind" alone does not.
    return target.get("url") or target.get("name") or target.get("spec") or target.get("kind") or "reference"


def _pinned(run: RunResult, seed: Optional[int], joiner: str) -> str:
    seed = run.seed if seed is None else seed
    parts = [f"--target{joiner}{shlex.quote(target_spec(run))}"]
    if seed is not None:
        parts.append(f"--seed{joiner}{seed}")
    if run.max_examples:
        parts.append(f"--max-examples{joiner}{run.max_examples}")
    return " ".join(parts)


def commands(run: RunResult, rule_id: str, seed: Optional[int], area: str = "") -> Dict[str, str]:
    """CLI and pytest commands rerunning the machine that checks ``rule_id`` (its ``area`` marker)."""
    if not area:
        area = next((rule.area for rule in run.rules if rule.id == rule_id), "")
    select = f" -m {shlex.quote(area)}" if area else f" -k {shlex.quote(rule_id)}"
    return {
        "cli": f"sagemaker-conformance run {_pinned(run, seed, ' ')}{select}",
        "pytest": f"pytest --pyargs {SUITE} {_pinned(run, seed, '=')}{select}",
    }


def operation_commands(run: RunResult, operation: str, seed: Optional[int]) -> Dict[str, str]:
    """Rerun the wide fuzzing of one operation (the shipped suite's ``fuzz`` marker)."""
    return {
        "pytest": f"pytest --pyargs {SUITE} {_pinned(run, seed, '=')} -m fuzz --operations={shlex.quote(operation)}",
    }
