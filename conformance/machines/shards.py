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
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable, List, Optional, TypeVar

from hypothesis import assume
from hypothesis import strategies as st

from conformance.strategies.unwrapped import draw_from, example_data, unwrapped

# Shards run at once against a real-time URL target when --concurrency is not given: each holds
# a few endpoints, so this bounds what the suite asks of an emulator at one time.
MAX_DEFAULT_CONCURRENCY = 32

Result = TypeVar("Result")

_SHARD_STARTS = unwrapped(st.integers(0, 2**16))


@dataclass(frozen=True)
class Shard:
    index: int
    seed: Optional[int]
    max_examples: int


def shard_seed(seed: Optional[int], machine: str, index: int) -> Optional[int]:
    if index == 0 or seed is None:
        return seed
    return zlib.crc32(f"{seed}:{machine}:{index}".encode())


def _split(total: int, count: int) -> List[int]:
    """``total`` as ``count`` near-equal sizes (the larger first), never more sizes than ``total``."""
    count = max(1, min(int(count), int(total)))
    base, extra = divmod(int(total), count)
    return [base + (1 if k < extra else 0) for k in range(count)]


def plan(seed: Optional[int], machine: str, examples: int, count: int) -> List[Shard]:
    """``examples`` split over ``count`` shards (never more shards than examples)."""
    return [Shard(k, shard_seed(seed, machine, k), size) for k, size in enumerate(_split(examples, count))]


def part_of(shards: List[Shard], part: int, parts: int) -> List[Shard]:
    """The shards pytest item ``part`` of ``parts`` runs (near-equal slices, in order)."""
    sizes = _split(len(shards), parts)
    start = sum(sizes[:part])
    return shards[start:start + sizes[part]] if part < len(sizes) else []


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


class ShardStopped(KeyboardInterrupt):
    """Ends a shard at its next request once the run is ending (Hypothesis lets it through, as Ctrl-C)."""


def run_all(work: List[Callable[[threading.Event], Result]], concurrency: int) -> List[Result]:
    """Call each of ``work`` with a stop event, ``concurrency`` at a time.

    The first error (or Ctrl-C while waiting) sets the event, so that the other shards end at their
    next request instead of finishing their examples (minutes each against AWS); then it is raised.
    """
    stop = threading.Event()
    if concurrency <= 1 or len(work) <= 1:
        return [call(stop) for call in work]
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="conformance-shard")
    futures = [pool.submit(call, stop) for call in work]
    try:
        wait(futures, return_when=FIRST_EXCEPTION)
    except BaseException:
        stop.set()
        raise
    finally:
        if any(future.done() and future.exception() is not None for future in futures):
            stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
    errors = [future.exception() for future in futures if not future.cancelled() and future.exception() is not None]
    for error in sorted(errors, key=lambda error: isinstance(error, ShardStopped)):  # the cause first
        raise error
    return [future.result() for future in futures]


@functools.lru_cache(maxsize=None)
def skipping_simplest(machine_class):
    """``machine_class`` whose simplest example is rejected before it sends anything: the example's
    first draw, before the machine's own, is 0 only in the simplest example."""

    class ShardMachine(machine_class):
        def __init__(self, run) -> None:
            assume(draw_from(example_data(), _SHARD_STARTS) != 0)  # shard 0 runs the simplest example
            super().__init__(run)

    ShardMachine.__name__ = ShardMachine.__qualname__ = machine_class.__name__
    return ShardMachine
