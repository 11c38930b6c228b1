"""Hypothesis strategies for SageMaker payloads.

Generic, straight from the botocore shapes (``conformance.strategies.shapes`` / ``.invalid``):

* ``valid_input(op)`` — payloads satisfying every schema constraint of the operation's input;
* ``invalid_input(op, constraints=None)`` — ``InvalidPayload(payload, path, constraint)``, each
  breaking exactly one schema constraint; ``NoConstraintSite`` for inputs without one.

Domain strategies that know the documentation beyond the schema (``.deployment``, ``.search``,
``.tags``): ``deployment_configs``, ``search_requests``, ``tags``.
"""

from conformance.strategies.deployment import deployment_configs
from conformance.strategies.invalid import NoConstraintSite, constraint_sites, invalid_input
from conformance.strategies.search import search_requests
from conformance.strategies.shapes import valid_input
from conformance.strategies.tags import tags
from conformance.violation import InvalidPayload

__all__ = [
    "InvalidPayload",
    "NoConstraintSite",
    "constraint_sites",
    "deployment_configs",
    "invalid_input",
    "search_requests",
    "tags",
    "valid_input",
]
