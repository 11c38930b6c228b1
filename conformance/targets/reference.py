"""The embedded reference target: the emulator in-process on a driven clock. No port, no thread."""

from __future__ import annotations

from typing import Optional

from conformance.clock import ManualClock
from conformance.errors import UsageError
from conformance.targets.base import Target
from conformance.targets.spec import TargetSpec

# Requests never leave the process; this host only appears in signed requests.
IN_PROCESS_URL = "http://reference.sagemaker-conformance.invalid"
# Where a reproduction expects `sagemaker-conformance serve` (its default loopback address).
SERVE_HINT_URL = "http://127.0.0.1:5000"


class ReferenceTarget(Target):
    kind = "reference"
    is_embedded = True
    supports_failure_injection = True

    def __init__(self, spec: TargetSpec, *, run_id: Optional[str] = None, worker: str = "") -> None:
        from conformance.emulator import Emulator
        from conformance.emulator.inprocess import WsgiTransport

        clock = ManualClock()
        fault = spec.fault or None
        if fault is not None:
            _check_fault(fault)
        self.emulator = Emulator(clock=clock, fault=fault)
        self._transport = WsgiTransport(self.emulator.wsgi_app)
        super().__init__(spec, clock=clock, run_id=run_id, worker=worker)

    @property
    def description(self) -> str:
        fault = f" with fault {self.spec.fault!r}" if self.spec.fault else ""
        return f"sagemaker-conformance reference target (in-process, driven clock){fault}"

    @property
    def endpoint_url(self) -> str:
        return IN_PROCESS_URL

    def reproduction_url(self) -> str:
        return SERVE_HINT_URL

    def reproduction_header(self) -> str:
        fault = f" --fault {self.spec.fault}" if self.spec.fault else ""
        return (
            "Reproduction against the reference target. Serve it first:\n"
            f"  sagemaker-conformance serve --port 5000 --time-scale 0.001{fault}\n"
            "then set TIME_SCALE = 0.001 below."
        )

    def install_transport(self, client) -> None:
        # First, so that an active moto mock in the same process cannot answer instead.
        client.meta.events.register_first("before-send", self._transport, unique_id=f"sc-reference-{id(self)}")


def _check_fault(fault: str) -> None:
    try:
        from conformance.emulator.faults import FAULTS
    except ImportError:  # an emulator without a fault catalogue rejects unknown faults itself
        return
    if fault not in FAULTS:
        raise UsageError(f"unknown fault {fault!r} for the reference target; see 'sagemaker-conformance serve --list-faults'")
