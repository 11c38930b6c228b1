"""The command that reruns just one rule, printed next to each failure.

The CLI and pytest forms select the rule by id (``-k``), or a fuzzed operation
by name, and pin the seed the failure was found with and the target the run used.
"""

from __future__ import annotations

import shlex
from typing import Dict, Optional

from conformance.results import RunResult


def target_spec(run: RunResult) -> str:
    """The --target value that reaches the same target again."""
    target = run.target
    # "name" distinguishes reference:FAULT from plain reference; "kind" alone does not.
    return target.get("url") or target.get("name") or target.get("spec") or target.get("kind") or "reference"


def commands(run: RunResult, rule_id: str, seed: Optional[int]) -> Dict[str, str]:
    seed = run.seed if seed is None else seed
    target = shlex.quote(target_spec(run))
    seed_option = "" if seed is None else f" --seed {seed}"
    rule = shlex.quote(rule_id)
    return {
        "cli": f"sagemaker-conformance run --target {target}{seed_option} -k {rule}",
        "pytest": f"pytest --pyargs conformance --target={target}{seed_option.replace(' --seed ', ' --seed=')} -k {rule}",
    }


def operation_commands(run: RunResult, operation: str, seed: Optional[int]) -> Dict[str, str]:
    """Rerun the wide fuzzing of one operation (the shipped suite's ``fuzz`` marker)."""
    seed = run.seed if seed is None else seed
    target = shlex.quote(target_spec(run))
    seed_option = "" if seed is None else f" --seed={seed}"
    return {
        "pytest": f"pytest --pyargs conformance --target={target}{seed_option} -m fuzz --operations={shlex.quote(operation)}",
    }
