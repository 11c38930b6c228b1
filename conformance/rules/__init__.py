"""The conformance rules catalogue: one module per area, one registry.

``all_rules()`` lists every rule, ``get(rule_id)`` finds one, ``in_area(area)``
selects an area. Importing this package declares and checks every rule, so a
malformed rule (duplicate id, citation that the installed botocore does not
resolve, unknown area) stops the import with a ``CatalogueError``.
"""

from __future__ import annotations

from typing import List

from conformance.rules import deployments, lifecycle, search, tags, validation
from conformance.rules.catalogue import AREAS, Catalogue, CatalogueError, Rule

__all__ = ["AREAS", "Catalogue", "CatalogueError", "Rule", "CATALOGUE", "all_rules", "get", "in_area"]

CATALOGUE = Catalogue([*lifecycle.RULES, *deployments.RULES, *validation.RULES, *tags.RULES, *search.RULES])


def all_rules() -> List[Rule]:
    return CATALOGUE.all()


def get(rule_id: str) -> Rule:
    return CATALOGUE.get(rule_id)


def in_area(area: str) -> List[Rule]:
    return CATALOGUE.in_area(area)
