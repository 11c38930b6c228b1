"""call_with_headroom keeps a call tree that hovers on a frame-stack chunk boundary from mapping chunks.

Where the boundaries lie depends on the caller's depth, so the probe descends to every depth across
more than one chunk; at one of them each leaf call crosses a boundary. A crossing maps a fresh chunk,
whose first write is a page fault: counted with getrusage.
"""

import sys

import pytest

from conformance.headroom import call_with_headroom

resource = pytest.importorskip("resource")  # page-fault counts: POSIX only

pytestmark = pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info < (3, 11),
    reason="frame-stack chunks are CPython 3.11+",
)

LEAF_CALLS = 3000
DEPTHS = range(0, 240)  # a level is ~100 bytes of frame stack: more than one 16 KiB chunk


def _leaf():
    return None


# Wider than a level of _descend, so that at some depth per boundary the room left is too small for it.
_leaf.__code__ = _leaf.__code__.replace(co_stacksize=32)


def _descend(depth: int) -> None:
    if depth:
        return _descend(depth - 1)
    for _ in range(LEAF_CALLS):
        _leaf()


def _worst_faults(call) -> int:
    """The most page faults any one depth caused."""
    worst = 0
    for depth in DEPTHS:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        call(_descend, depth)
        worst = max(worst, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return worst


def _plain(fn, *args):
    return fn(*args)


def test_without_headroom_some_depth_maps_a_chunk_per_leaf_call():
    """The probe itself: without the helper, one depth makes every leaf call cross a boundary."""
    assert _worst_faults(_plain) >= LEAF_CALLS


def test_with_headroom_no_depth_maps_a_chunk_per_call():
    assert _worst_faults(call_with_headroom) < 50


def test_call_with_headroom_passes_arguments_and_results_through():
    assert call_with_headroom(lambda a, *, b: (a, b), 1, b=2) == (1, 2)
    with pytest.raises(KeyError):
        call_with_headroom({}.__getitem__, "missing")
