"""Clocks. The emulator's transitions and the suite's polling read time from one of these,
so nothing sleeps on the wall clock against an embedded target.

- ``ManualClock``: time moves only when driven (``advance``/``sleep``). In-process default.
- ``ScaledClock``: simulated time runs ``1/scale`` times faster than wall time
  (``scale=0.001``: 30 simulated seconds pass in 30 ms). ``sleep`` sleeps the scaled amount.
- ``SystemClock``: real time (real AWS, or an emulator running in real time).
"""

from __future__ import annotations

import threading
import time
from typing import Optional

# A fixed simulated epoch keeps same-seed runs byte-identical.
DEFAULT_EPOCH = 1_700_000_000.0


class Clock:
    def now(self) -> float:
        """Simulated epoch seconds."""
        raise NotImplementedError

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass."""
        raise NotImplementedError


class ManualClock(Clock):
    def __init__(self, start: float = DEFAULT_EPOCH) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._now += seconds
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))


class ScaledClock(Clock):
    def __init__(self, scale: float, start: Optional[float] = None) -> None:
        if scale <= 0:
            raise ValueError("time scale must be positive")
        self.scale = float(scale)
        self._start_simulated = DEFAULT_EPOCH if start is None else float(start)
        self._start_real = time.monotonic()

    def now(self) -> float:
        return self._start_simulated + (time.monotonic() - self._start_real) / self.scale

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) * self.scale)


class SystemClock(Clock):
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))
