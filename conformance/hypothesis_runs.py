"""How the suite runs a Hypothesis test: reproducible from its seed alone, without work it does not use.

- No example database: the test's key is not computed (hashing the test's source, ~2 ms a run),
  as ``hypothesis.find`` does.
- No constants from "local" modules. Now and then Hypothesis draws a literal it found in the source
  of the not-installed modules imported so far. Which modules count depends on how the suite is
  installed (an editable install is local), on the user's own files and on what happened to be
  imported before: the same ``--seed`` drew other values after a mere change of import order.
  The suite's runs draw only Hypothesis' built-in constants. With a Hypothesis whose internals
  differ, runs go on as Hypothesis does them.
- Called with frame-stack headroom (``conformance.headroom``).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from conformance.headroom import call_with_headroom

try:
    from hypothesis.internal.conjecture import providers as _providers

    _NO_CONSTANTS = _providers.Constants()
    _usable = callable(getattr(_providers, "_get_local_constants", None)) and hasattr(_providers, "CONSTANTS_CACHE")
except (ImportError, AttributeError, TypeError):  # pragma: no cover - another Hypothesis layout
    _providers, _usable = None, False

_lock = threading.Lock()
_active = 0  # runs under way (machine shards run in threads)
_original = None


def run_hypothesis_test(test) -> None:
    """Run ``test`` (a ``@given`` or state machine test) as described above; its exceptions propagate."""
    test._hypothesis_internal_database_key = None
    with _without_local_constants():
        call_with_headroom(test)


def _no_local_constants():
    return _NO_CONSTANTS


@contextlib.contextmanager
def _without_local_constants() -> Iterator[None]:
    global _active, _original
    if not _usable:  # pragma: no cover
        yield
        return
    with _lock:
        _active += 1
        if _active == 1:
            _original = _providers._get_local_constants
            _providers._get_local_constants = _no_local_constants
            _providers.CONSTANTS_CACHE.cache.clear()  # allowed constants computed with local ones
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _providers._get_local_constants = _original
                _providers.CONSTANTS_CACHE.cache.clear()
