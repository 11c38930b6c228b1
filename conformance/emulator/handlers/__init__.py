"""One module per resource family; each exposes ``OPERATIONS: {operation: handler}``.

A handler is ``handler(ctx, payload) -> dict`` (the output, rendered later through the
output shape); it runs under the store lock after validation and after due transitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.emulator.state import Store


@dataclass
class Context:
    store: Store
    now: float


def operations() -> dict:
    from conformance.emulator.handlers import endpoint_configs, endpoints, models, search, tags

    table = {}
    for module in (models, endpoint_configs, endpoints, tags, search):
        table.update(module.OPERATIONS)
    return table
