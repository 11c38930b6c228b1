"""A machine's examples split into shards: independent Hypothesis runs, each with its own seed.

One Hypothesis run executes its examples one after another. Shards let
- pytest-xdist spread one machine over its workers: against a driven clock each
  *part* (a slice of the shards) is its own pytest item;
- a real-time target (a URL, AWS) wait on several endpoint lifecycles at once: the
  shards of a machine run in threads (Hypothesis is thread-safe), so the wall
  time is about the longest lifecycle, not the sum of them.
Against a driven clock shards never run at once: several threads would drive one
clock and a seed would no longer reproduce the run.

Shard 0 runs at the run's seed, so an unsharded run is what it always was; shard
k derives its seed from (seed, machine, k). Hypothesis tries the simplest example
first in every run; only shard 0 runs it, the others reject it before any request
(``skipping_simplest``), so n shards are n different examples.
"""

from __future__ import annotations

import functools
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, List, Optional, TypeVar

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.stateful import initialize

# Shards run at once against a real-time URL target when --concurrency is not given: each holds
# a few endpoints, so this bounds what the suite asks of an emulator at one time.
MAX_DEFAULT_CONCURRENCY = 32

Result = TypeVar("Result")


@dataclass(frozen=True)
class Shard:
    index: int
    seed: Optional[int]
    max_examples: int


def shard_seed(seed: Optional[int], machine: str, index: int) -> Optional[int]:
    if index == 0 or seed is None:
        return seed
    return zlib.crc32(f"{seed}:{machine}:{index}".encode())


def plan(seed: Optional[int], machine: str, examples: int, count: int) -> List[Shard]:
    """``examples`` split over ``count`` shards (never more shards than examples)."""
    count = max(1, min(int(count), int(examples)))
    base, extra = divmod(int(examples), count)
    return [Shard(k, shard_seed(seed, machine, k), base + (1 if k < extra else 0)) for k in range(count)]


def part_of(shards: List[Shard], part: int, parts: int) -> List[Shard]:
    """The shards pytest item ``part`` of ``parts`` runs (near-equal slices, in order)."""
    parts = max(1, min(parts, len(shards)))
    size, extra = divmod(len(shards), parts)
    start = part * size + min(part, extra)
    return shards[start:start + size + (1 if part < extra else 0)]


def concurrency_for(target, requested: Optional[int], shards: int) -> int:
    """How many shards run at once: one on a driven clock; on real time --concurrency, else all of them
    for a URL target (bounded) and one for AWS, where each is billed."""
    if getattr(target, "driven_clock", True):
        return 1
    if requested is not None:
        return max(1, min(int(requested), shards))
    if getattr(getattr(target, "spec", None), "kind", "") == "aws":
        return 1
    return max(1, min(shards, MAX_DEFAULT_CONCURRENCY))


def run_all(work: List[Callable[[], Result]], concurrency: int) -> List[Result]:
    """Call each of ``work``, ``concurrency`` at a time; every call ends before the first error is raised."""
    if concurrency <= 1 or len(work) <= 1:
        return [call() for call in work]
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="conformance-shard") as pool:
        futures = [pool.submit(call) for call in work]
        errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error
    return [future.result() for future in futures]


@functools.lru_cache(maxsize=None)
def skipping_simplest(machine_class):
    """``machine_class`` whose simplest example is rejected before it sends anything.

    Its extra initialize rule sorts first (Hypothesis orders rules by name) and so is the one the
    simplest example runs first, with ``start`` 0; invariants wait for the initialize rules.
    """

    class ShardMachine(machine_class):
        @initialize(start=st.integers(0, 2**16))
        def _shard_start(self, start):
            assume(start != 0)  # shard 0 runs the simplest example; repeating it here would waste a shard

    ShardMachine.__name__ = ShardMachine.__qualname__ = machine_class.__name__
    return ShardMachine
