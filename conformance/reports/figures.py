"""Figures every report shows the same way: pass rate, status order, verdict wording."""

from __future__ import annotations

from typing import Optional

from conformance.results import RunResult, Status, Verdict

# Display order: what needs attention first.
STATUS_ORDER = [Status.FAILED, Status.NOT_IMPLEMENTED, Status.TARGET_ERROR, Status.PASSED, Status.SKIPPED]

VERDICT_TEXT = {
    Verdict.CONFORMANT: "Conformant",
    Verdict.NONCONFORMANT: "Nonconformant",
    Verdict.INCOMPLETE: "Incomplete",
}

VERDICT_EXPLANATION = {
    Verdict.CONFORMANT: "every rule exercised passed",
    Verdict.NONCONFORMANT: "the target broke or does not implement documented rules",
    Verdict.INCOMPLETE: "target errors or no rule decided: no judgement on the untested rules",
}


def decided(run: RunResult) -> int:
    """Rules that were exercised: everything but skipped."""
    return sum(1 for rule in run.rules if Status(rule.status) is not Status.SKIPPED)


def pass_rate(run: RunResult) -> Optional[float]:
    """Passed rules over exercised rules (skipped ones are left out), 0..1; None when nothing was exercised."""
    total = decided(run)
    return run.summary["passed"] / total if total else None


def percent(rate: Optional[float]) -> str:
    if rate is None:
        return "n/a"
    value = rate * 100
    # Never round a partial result up to 100 % or down to 0 %.
    if 99 < value < 100:
        return f"{value:.1f}%"
    if 0 < value < 1:
        return f"{value:.1f}%"
    return f"{value:.0f}%"
