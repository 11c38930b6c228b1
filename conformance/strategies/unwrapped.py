"""Strategies drawn thousands of times a run, stripped of Hypothesis' lazy wrapper once.

Every public strategy function returns a lazy wrapper, and ``ConjectureData.draw`` unwraps it
again on each draw (~6 µs: a cache it clears afterwards, and three caught exceptions) before
drawing from the strategy inside. For the few strategies every payload draws (seeds, positions)
the suite keeps that inner strategy: the draws, labels and shrinking are the same. With a
Hypothesis that no longer has the helper, the strategy is used as it is.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

try:
    from hypothesis.strategies._internal.lazy import unwrap_strategies
except ImportError:  # pragma: no cover - another Hypothesis layout: draw through the wrapper
    def unwrap_strategies(strategy):
        return strategy


def unwrapped(strategy: SearchStrategy) -> SearchStrategy:
    """``strategy`` (validated, as its first draw would) without its lazy wrapper."""
    strategy.validate()
    return unwrap_strategies(strategy)


def drawer(data) -> Callable[[SearchStrategy], Any]:
    """The draw function under a rule's ``st.data()``, without ``DataObject.draw``'s per-draw bookkeeping.

    ``DataObject.draw`` numbers each draw, checks for global-random use around it and decides whether
    to pretty-print it for Hypothesis' report (~10 µs): the suite reports its own reproduction, so
    rules draw from the ``ConjectureData`` underneath (same choices, same shrinking).
    """
    underneath = getattr(data, "conjecture_data", None)
    return underneath.draw if underneath is not None else data.draw  # another Hypothesis: its own way


def example_data():
    """The running example's ``ConjectureData``: a machine's ``__init__`` draws its starting state from it
    (``draw_from(example_data(), ...)``).

    An ``@initialize`` rule would draw the same, but Hypothesis builds and checks a new strategy for the
    rule and its arguments in every example (~0.3 ms each, measured; thousands of examples a run).
    """
    from hypothesis.control import current_build_context

    return current_build_context().data


def draw_from(data, strategy: SearchStrategy):
    """One draw from ``strategy`` under a rule's ``st.data()`` or from ``example_data()`` (see ``drawer``)."""
    return drawer(data)(strategy)


@functools.lru_cache(maxsize=None)
def _positions(size: int) -> SearchStrategy:
    return unwrapped(st.integers(0, size - 1))


def pick(data, items: Sequence):
    """One of ``items`` (non-empty), drawn as its position: shrinks towards the first. Unlike
    ``st.sampled_from(items)`` no new strategy per draw (Hypothesis checks each new one)."""
    return items[draw_from(data, _positions(len(items)))]
