"""The rule record and the registry that checks it.

A rule is a small frozen record, declared as data in one module per area. It
is checked when it is *defined*: an unknown area, a malformed id or a citation
that does not resolve in the installed botocore model raises
``CatalogueError`` with a message saying how to fix it. The registry rejects a
duplicate id when it is built, i.e. when ``conformance.rules`` is imported.

Citations name an operation and a dotted member path (input members first,
then output members, as ``conformance.model.member_shape`` resolves them);
the documentation text itself is read from the installed botocore at report
time and never copied here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from conformance.errors import ConformanceError

# The pytest markers of the shipped suite, one per area.
AREAS: Tuple[str, ...] = ("lifecycle", "deployments", "validation", "tags", "search")

# resource[.action].condition, lower-case words joined by dashes: "endpoint.update.canary-size-at-most-half".
_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*){1,}$")


class CatalogueError(ConformanceError):
    """A rule declaration is malformed: raised at import time, never during a run."""


@dataclass(frozen=True)
class Rule:
    """One MUST of the documentation, with the citation that states it."""

    id: str
    area: str
    statement: str
    operation: str
    member: Optional[str] = None
    marker: str = ""  # pytest marker selecting the rule's tests; the area unless stated

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise CatalogueError(
                f"rule id {self.id!r} is malformed: use dotted lower-case words (resource.action.condition), e.g. "
                "'endpoint.update.canary-size-at-most-half'"
            )
        if self.area not in AREAS:
            raise CatalogueError(f"rule {self.id}: unknown area {self.area!r}; choose one of {', '.join(AREAS)}")
        if not self.marker:
            object.__setattr__(self, "marker", self.area)
        elif self.marker not in AREAS:
            raise CatalogueError(f"rule {self.id}: unknown marker {self.marker!r}; choose one of {', '.join(AREAS)}")
        statement = self.statement.strip()
        if "MUST" not in statement or not statement.endswith("."):
            raise CatalogueError(f"rule {self.id}: the statement must be one sentence stating a MUST, ending with '.'")
        _check_citation(self.id, self.operation, self.member)

    @property
    def citation(self) -> Dict[str, str]:
        return {"operation": self.operation, "member": self.member or ""}


def _check_citation(rule_id: str, operation: str, member: Optional[str]) -> None:
    # Imported here: botocore loading is only paid for when a rule is declared.
    from botocore.model import OperationNotFoundError

    from conformance.model import member_shape

    try:
        member_shape(operation, member)
    except OperationNotFoundError as err:
        raise CatalogueError(f"rule {rule_id}: cites unknown operation {operation!r} of the installed botocore") from err
    except KeyError as err:
        raise CatalogueError(
            f"rule {rule_id}: citation {operation}.{member} does not resolve in the installed botocore model "
            f"({err.args[0]}); cite an input or output member path such as 'DeploymentConfig.RollingUpdatePolicy'"
        ) from err


def declare(area: str, rules: Iterable[Rule]) -> Tuple[Rule, ...]:
    """An area module's rules, checked to belong to that area."""
    rules = tuple(rules)
    for rule in rules:
        if rule.area != area:
            raise CatalogueError(f"rule {rule.id} is declared in area {area!r} but says area {rule.area!r}")
    return rules


class Catalogue:
    """An ordered, immutable registry of rules keyed by id."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._rules: Dict[str, Rule] = {}
        for rule in rules:
            if not isinstance(rule, Rule):
                raise CatalogueError(f"catalogue entries must be Rule records, got {type(rule).__name__}")
            if rule.id in self._rules:
                raise CatalogueError(f"duplicate rule id {rule.id!r}: every rule needs its own stable id")
            self._rules[rule.id] = rule

    def __iter__(self):
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def all(self) -> List[Rule]:
        return list(self._rules.values())

    def get(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise KeyError(f"unknown rule id {rule_id!r} (see 'sagemaker-conformance rules')") from None

    def in_area(self, area: str) -> List[Rule]:
        if area not in AREAS:
            raise CatalogueError(f"unknown area {area!r}; choose one of {', '.join(AREAS)}")
        return [rule for rule in self._rules.values() if rule.area == area]
