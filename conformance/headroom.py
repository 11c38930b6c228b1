"""Run a deep call tree in a frame-stack chunk with room to spare.

CPython (3.11 and later) keeps each thread's Python frames in 16 KiB chunks. A call that does not
fit in the current chunk maps a new one (``mmap``), and returning from it unmaps that chunk again.
A conformance run makes its requests some 150 frames deep (pytest, Hypothesis, the machine,
botocore, the target). When that depth hovers around a chunk boundary, every crossing costs two
system calls and fresh page faults. Measured against moto: ~50 crossings per request, about a
third of the run's time; against the reference target ~7 per request.

``call_with_headroom`` calls through a frame bigger than a whole chunk. Such a frame always opens a
chunk of its own, which CPython sizes with as much room again for what it calls, so the call tree
below stays inside one chunk. The frame's extra slots are never written, so they cost no page
faults. On an interpreter without frame chunks this is an ordinary call.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

HEADROOM_BYTES = 128 * 1024
_SLOT_BYTES = 8

T = TypeVar("T")


def _call(fn, args, kwargs):
    return fn(*args, **kwargs)


try:
    # An oversized value stack is always safe: CPython only reserves it.
    _call.__code__ = _call.__code__.replace(co_stacksize=HEADROOM_BYTES // _SLOT_BYTES)
except (AttributeError, TypeError, ValueError):  # an interpreter whose code objects cannot say so
    pass


def call_with_headroom(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, with its whole call tree in one fresh frame-stack chunk."""
    return _call(fn, args, kwargs)
