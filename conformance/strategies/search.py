"""Search requests (placeholder signature; the full strategy lands in the next commit)."""

from __future__ import annotations

from hypothesis import strategies as st


def search_requests(resource: str = "Endpoint", *, valid: bool = True, resources=None, max_depth: int = 3):
    return st.just({"Resource": resource, "SearchExpression": {"Filters": [{"Name": "EndpointName", "Operator": "Exists"}]}})


__all__ = ["search_requests"]
