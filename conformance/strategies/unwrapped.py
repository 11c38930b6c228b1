"""Strategies drawn thousands of times a run, stripped of Hypothesis' lazy wrapper once.

Every public strategy function returns a lazy wrapper, and ``ConjectureData.draw`` unwraps it
again on each draw (~6 µs: a cache it clears afterwards, and three caught exceptions) before
drawing from the strategy inside. For the few strategies every payload draws (seeds, positions)
the suite keeps that inner strategy: the draws, labels and shrinking are the same. With a
Hypothesis that no longer has the helper, the strategy is used as it is.
"""

from __future__ import annotations

from typing import Any, Callable

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


def draw_from(data, strategy: SearchStrategy, label: str = ""):
    """``data.draw(strategy, label)`` for a rule's ``st.data()``, without its per-draw bookkeeping.

    ``DataObject.draw`` numbers each draw, checks for global-random use around it and decides whether
    to pretty-print it for Hypothesis' report (~10 µs): the suite reports its own reproduction, so
    rules draw from the ``ConjectureData`` underneath (same choices, same shrinking). ``label``
    names the draw where that object is missing (another Hypothesis).
    """
    underneath = getattr(data, "conjecture_data", None)
    if underneath is None:  # pragma: no cover - another Hypothesis layout
        return data.draw(strategy, label=label or None)
    return underneath.draw(strategy)


def drawer(data) -> Callable[[SearchStrategy], Any]:
    """A draw function for helpers that take one (as composites do), drawing as ``draw_from`` does."""
    underneath = getattr(data, "conjecture_data", None)
    return underneath.draw if underneath is not None else data.draw
