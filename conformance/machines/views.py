"""Reading DescribeEndpoint answers: variant statuses, the variant, comparisons and short messages."""

from __future__ import annotations

from typing import List

from conformance.machines import resources


def variant_statuses(description: dict) -> List[str]:
    found = []
    for key in ("ProductionVariants",):
        for variant in description.get(key) or []:
            found += [s.get("Status") for s in variant.get("VariantStatus") or []]
    for variant in (description.get("PendingDeploymentSummary") or {}).get("ProductionVariants") or []:
        found += [s.get("Status") for s in variant.get("VariantStatus") or []]
    return found


def variant(description: dict) -> dict:
    variants = [v for v in description.get("ProductionVariants") or [] if v.get("VariantName") == resources.VARIANT]
    return variants[0] if variants else {}


def contains(actual, expected) -> bool:
    """``expected`` is reproduced in ``actual`` (a target may add documented defaults)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(contains(actual.get(k), v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            contains(a, e) for a, e in zip(actual, expected))
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(actual) == float(expected)
    return actual == expected


def brief(items: List[str], keep: int = 8) -> str:
    shown = ", ".join(items[:keep])
    return f"[{shown}, … {len(items) - keep} more]" if len(items) > keep else f"[{shown}]"


def distinct(statuses: List[str]) -> List[str]:
    return [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
