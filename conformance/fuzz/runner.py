"""Fuzz many operations against one target: load the synthetic OpenAPI once, then one operation at a time."""

from __future__ import annotations

import functools
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from conformance.fuzz.engine import FuzzOutcome, fuzz_operation
from conformance.fuzz.openapi import PatternKey, openapi_document, path_of, with_pattern_formats
from conformance.fuzz.selection import operation_names
from conformance.fuzz.transport import AwsJsonTransport


# Pattern formats this process has registered with Schemathesis (its registry is process-wide).
_registered_formats: Dict[str, PatternKey] = {}


def register_pattern_formats(formats: Dict[str, PatternKey]) -> None:
    """Have Schemathesis draw each pattern format from ``conformance.strategies.text.matching``.

    Each is deferred: only the patterns actually drawn from pay for parsing (building every
    pattern of the shapes up front takes over a second). Names already registered are skipped:
    every registration empties Schemathesis' strategy caches.
    """
    import schemathesis
    from hypothesis import strategies as st

    for name, key in formats.items():
        if name in _registered_formats:
            continue
        schemathesis.openapi.format(name, st.deferred(_matching(key)))
        _registered_formats[name] = key


def _matching(key: PatternKey):
    def build():  # st.deferred takes a plain function only
        from conformance.strategies import text

        return text.matching(*key)

    return build


@functools.lru_cache(maxsize=2)
def load_api(operations: Optional[Tuple[str, ...]] = None):
    """The Schemathesis schema for ``operations`` (default: all), cached per process."""
    import schemathesis

    names = operations if operations is not None else operation_names()
    document, formats = with_pattern_formats(openapi_document(names))
    # Before any strategy is built: a registration clears Schemathesis' strategy caches.
    register_pattern_formats(formats)
    # An explicit default config: a stray schemathesis.toml in the user's directory must not steer the suite.
    return schemathesis.openapi.from_dict(document, config=schemathesis.Config())


def api_operation(api, operation: str):
    return api[path_of(operation)]["POST"]


def fuzz_operations(
    client,
    operations: Iterable[str],
    *,
    max_examples: int,
    seed: int,
    on_request: Optional[Callable[[str, int], None]] = None,
    on_outcome: Optional[Callable[[FuzzOutcome], None]] = None,
    setup: Optional[List[str]] = None,
    api=None,
) -> List[FuzzOutcome]:
    """Fuzz each operation in turn over ``client`` (a botocore SageMaker client of the target)."""
    operations = tuple(operations)
    api = api if api is not None else load_api()
    transport = AwsJsonTransport(client)
    outcomes = []
    for operation in operations:
        outcome = fuzz_operation(
            api_operation(api, operation),
            transport,
            max_examples=max_examples,
            seed=seed,
            on_request=on_request,
            setup=setup,
        )
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes
