"""One exception hierarchy. Each carries a one-line, user-facing message.

All exceptions are picklable (they cross pytest-xdist workers): every argument
is kept in ``args``.
"""

from __future__ import annotations


class ConformanceError(Exception):
    """Base of every error the suite reports to a user as one line (exit 2)."""

    exit_code = 2

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class UsageError(ConformanceError):
    """Bad option, bad value, unknown target scheme."""


class ShapesError(ConformanceError):
    """The committed shapes/ are missing, corrupted or unreadable."""


class TargetError(ConformanceError):
    """The target could not be used: unreachable, timed out, answered garbage.

    A target error is never a nonconformance.
    """


class TargetUnreachable(TargetError):
    """Connection refused, DNS failure, timeout."""


class NotImplementedByTarget(ConformanceError):
    """The target says it does not support an operation (e.g. moto's 500 NotImplemented)."""

    def __init__(self, operation: str, detail: str = "") -> None:
        super().__init__(operation, detail)
        self.operation = operation
        self.detail = detail

    def __str__(self) -> str:
        suffix = f": {self.detail}" if self.detail else ""
        return f"{self.operation} is not implemented by the target{suffix}"


class RuleFailure(AssertionError):
    """A documented rule was broken by the target. Raised inside machines so Hypothesis shrinks it."""

    def __init__(self, rule_id: str, message: str) -> None:
        super().__init__(rule_id, message)
        self.rule_id = rule_id
        self.message = message

    def __str__(self) -> str:
        return f"[{self.rule_id}] {self.message}"
