"""Benchmark the first two stages: botocore → JSON Schema conversion, and example generation.

    python benchmarks/generation.py [--examples 200] [--seed 0]

Prints, from one run:
* seconds to convert every operation (cold: Unicode tables, pattern translation and
  summaries included; warm: best of 5 with those caches filled); target ≤ 0.1 s;
* examples/s of ``valid_input("UpdateEndpoint")`` and ``search_requests()`` beside
  Schemathesis' own generation (positive mode) from the same committed JSON Schemas,
  wrapped in the suite's synthetic OpenAPI document, and the ratio; target ≥ 2×;
* the share of each side's examples that the committed schema accepts.

Times are CPU seconds of this process (``time.process_time``), which a busy shared
machine distorts less than wall time; wall seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable, List, Tuple


def _timed(function: Callable[[], object]) -> Tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def conversion_seconds() -> None:
    from conformance import patterns, schemas

    load_cpu, load_wall, data = _timed(schemas.service_data)
    cold_cpu, cold_wall, converted = _timed(lambda: schemas.convert_all(data))
    warm = min(_timed(lambda: schemas.convert_all(data))[:2] for _ in range(5))
    print(f"model load (botocore JSON, not part of conversion): {load_cpu:.3f} s cpu ({load_wall:.3f} s wall)")
    print(f"convert {len(converted)} operations, cold: {cold_cpu:.3f} s cpu ({cold_wall:.3f} s wall)"
          f"  [Unicode {patterns.UNICODE_VERSION} tables and {patterns.translate.cache_info().currsize}"
          " pattern translations included]")
    print(f"convert {len(converted)} operations, warm: {warm[0]:.3f} s cpu ({warm[1]:.3f} s wall)"
          f"  target <= 0.1 s: {'met' if cold_cpu <= 0.1 else 'cold missed'}")


def generate(strategy, count: int, seed: int) -> Tuple[float, float, List]:
    """Draw ``count`` examples through Hypothesis' normal engine (generate phase only)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fix_seed

    drawn: List = []

    @fix_seed(seed)
    @settings(max_examples=count, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(example) -> None:
        drawn.append(example)

    cpu, wall, _ = _timed(collect)
    return cpu, wall, drawn


def valid_share(operation: str, payloads: List) -> float:
    from conformance.shapes import violations

    return sum(not violations(operation, p) for p in payloads) / max(1, len(payloads))


def compare(label: str, operation: str, ours, theirs, count: int, seed: int) -> None:
    generate(ours, 10, seed)  # warm both engines (strategy construction, caches) before timing
    generate(theirs, 10, seed)
    our_cpu, our_wall, our_examples = generate(ours, count, seed)
    their_cpu, their_wall, cases = generate(theirs, count, seed)
    their_examples = [case.body for case in cases]
    our_rate, their_rate = len(our_examples) / our_cpu, len(their_examples) / their_cpu
    print(f"{label}: ours {our_rate:,.0f} examples/s ({len(our_examples)} in {our_cpu:.2f} s cpu, "
          f"{our_wall:.2f} s wall; {valid_share(operation, our_examples):.0%} schema-valid)")
    print(f"{' ' * len(label)}  schemathesis {their_rate:,.0f} examples/s ({len(their_examples)} in "
          f"{their_cpu:.2f} s cpu, {their_wall:.2f} s wall; {valid_share(operation, their_examples):.0%} schema-valid)")
    ratio = our_rate / their_rate
    print(f"{' ' * len(label)}  ratio {ratio:.1f}x  target >= 2x: {'met' if ratio >= 2 else 'missed'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per strategy (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    conversion_seconds()  # first, so no other import has warmed the pattern caches

    import schemathesis
    from schemathesis import GenerationMode

    from conformance.fuzz.openapi import openapi_document, path_of
    from conformance.strategies import search_requests, valid_input

    api = schemathesis.openapi.from_dict(openapi_document(["UpdateEndpoint", "Search"]), config=schemathesis.Config())

    def baseline(operation: str):
        return api[path_of(operation)]["POST"].as_strategy(generation_mode=GenerationMode.POSITIVE)

    compare("valid_input('UpdateEndpoint')", "UpdateEndpoint", valid_input("UpdateEndpoint"),
            baseline("UpdateEndpoint"), args.examples, args.seed)
    compare("search_requests()", "Search", search_requests(), baseline("Search"), args.examples, args.seed)


if __name__ == "__main__":
    main()
