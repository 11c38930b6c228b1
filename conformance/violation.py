"""A broken constraint in a payload: where (a path) and what (a constraint kind).

Shared by the JSON-Schema checks (``conformance.shapes.violations``), the
documented cross-field rules (``conformance.documented``) and the labelled
invalid strategies (``conformance.strategies.invalid_input``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Tuple, Union

PathElement = Union[str, int]
Path = Tuple[PathElement, ...]


class Constraint(str, enum.Enum):
    """Schema-level constraint kinds. Documented cross-field rules use their rule id instead."""

    REQUIRED = "required"
    TYPE = "type"
    MIN = "min"
    MAX = "max"
    MIN_LENGTH = "min_length"
    MAX_LENGTH = "max_length"
    PATTERN = "pattern"
    ENUM = "enum"
    UNKNOWN_MEMBER = "unknown_member"

    def __str__(self) -> str:
        return self.value


def json_path(path: Path) -> str:
    """Render ``("A", 0, "B")`` as ``$.A[0].B``."""
    out = "$"
    for element in path:
        out += f"[{element}]" if isinstance(element, int) else f".{element}"
    return out


@dataclass(frozen=True)
class Violation:
    path: Path
    constraint: str  # a Constraint value, or a documented-rule id such as "deployment.canary-size-at-most-half"
    message: str = ""

    @property
    def json_path(self) -> str:
        return json_path(self.path)

    def __str__(self) -> str:
        return f"{self.json_path}: {self.constraint}: {self.message}" if self.message else f"{self.json_path}: {self.constraint}"


@dataclass(frozen=True)
class InvalidPayload:
    """A payload that breaks exactly one named constraint at ``path`` and is otherwise valid."""

    payload: dict
    path: Path
    constraint: str  # a Constraint value or a documented-rule id

    @property
    def json_path(self) -> str:
        return json_path(self.path)
