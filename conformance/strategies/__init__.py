"""Hypothesis strategies for SageMaker payloads.

``valid_input(op)``: payloads satisfying every schema constraint of the operation's input.
"""

from conformance.strategies.shapes import valid_input
from conformance.violation import InvalidPayload

__all__ = ["InvalidPayload", "valid_input"]
