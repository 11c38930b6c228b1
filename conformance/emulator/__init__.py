"""The reference target: a SageMaker endpoint emulator composed with moto for other services.

``Emulator(clock=None, fault=None, region="us-east-1", account_id="123456789012")`` has
``.wsgi_app`` (one WSGI app: SageMaker in awsJson1.1, CloudWatch and the rest via moto) and
``.clock`` (a ``ManualClock`` unless given). Module map:

- ``protocol``    awsJson1.1 parsing, output rendering, the error table (incl. not-implemented)
- ``app``         the Emulator and its routing
- ``state``       resources, tags, the lock
- ``timing``      every duration, deployment plans
- ``deployments`` endpoint timelines: create, update (blue/green, rolling), rollback, delete
- ``handlers/``   one module per resource family
- ``validation``  the single validation call site (schema + documented rules)
- ``cloudwatch``  CBOR bridge to moto's CloudWatch; alarm states
- ``faults``      the fault catalogue;  ``serve``: the ``serve`` command;
- ``inprocess``   a botocore adapter that sends requests into the WSGI app without a socket

A model whose container ``Image`` contains ``UNDEPLOYABLE_IMAGE_MARKER`` makes a
CreateEndpoint that deploys it end Failed (with a FailureReason) and an UpdateEndpoint
to it roll back to the previous EndpointConfig.
"""

from __future__ import annotations

UNDEPLOYABLE_IMAGE_MARKER = "undeployable"

__all__ = ["Emulator", "UNDEPLOYABLE_IMAGE_MARKER"]


def __getattr__(name: str):
    # Lazy: ``sagemaker-conformance serve --help`` should not import botocore, werkzeug and moto.
    if name == "Emulator":
        from conformance.emulator.app import Emulator

        return Emulator
    raise AttributeError(name)
