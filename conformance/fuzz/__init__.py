"""Wide, schema-level fuzzing of every SageMaker operation with Schemathesis.

model → shapes (committed JSON Schemas) → ``openapi`` (synthetic OpenAPI 3.1) →
Schemathesis generation → ``transport`` (awsJson1.1 over the target's botocore client) →
Schemathesis checks → ``engine`` (one status per operation) → results.OperationResult.

Run it through the shipped suite (``conformance/suite/test_fuzz.py``)::

    pytest --pyargs conformance.suite -m fuzz --target moto -n 2          # every operation
    pytest --pyargs conformance.suite --operations 'Describe*,CreateModel'  # some of them
    pytest --pyargs conformance.suite --target reference                    # a seeded sample

Checks: no 5xx on any input, invalid input rejected with a 4xx, responses valid against the
output schema; an operation the target does not support is not_implemented, not a failure.
"""

from conformance.fuzz.engine import CHECK_NAMES, FuzzOutcome, fuzz_operation, not_implemented_detail
from conformance.fuzz.openapi import openapi_document
from conformance.fuzz.runner import fuzz_operations, load_api
from conformance.fuzz.selection import is_read_only, parse_patterns, read_only_required, select_operations
from conformance.fuzz.transport import AwsJsonTransport, Exchange

__all__ = [
    "CHECK_NAMES",
    "AwsJsonTransport",
    "Exchange",
    "FuzzOutcome",
    "fuzz_operation",
    "fuzz_operations",
    "is_read_only",
    "load_api",
    "not_implemented_detail",
    "openapi_document",
    "parse_patterns",
    "read_only_required",
    "select_operations",
]
