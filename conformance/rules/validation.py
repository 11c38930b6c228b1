"""Validation rules: requests outside the documented shapes are refused, responses stay inside them.

Two families, one rule per operation so that a report says *which* operation
misbehaves: every invalid payload (one labelled violation, from the spine's
``invalid_input``) is rejected with a 4xx error, and every response matches the
operation's committed output schema. A rejected request changes no state.
"""

import functools
import re

from conformance.rules.catalogue import Rule, declare

AREA = "validation"

# Operations whose invalid inputs the validation machine sends.
INVALID_INPUT_OPERATIONS = (
    "CreateModel",
    "CreateEndpoint",
    "UpdateEndpoint",
    "UpdateEndpointWeightsAndCapacities",
    "DescribeEndpoint",
    "DeleteEndpoint",
    "CreateEndpointConfig",
    "DeleteEndpointConfig",
    "AddTags",
    "DeleteTags",
    "ListTags",
    "Search",
)

# Operations with an output the machines call; each response is checked against its schema.
OUTPUT_OPERATIONS = (
    "CreateModel",
    "CreateEndpointConfig",
    "DescribeEndpointConfig",
    "CreateEndpoint",
    "DescribeEndpoint",
    "UpdateEndpoint",
    "UpdateEndpointWeightsAndCapacities",
    "AddTags",
    "ListTags",
    "Search",
)


@functools.lru_cache(maxsize=None)  # asked for every response the suite checks
def kebab(operation: str) -> str:
    """botocore's operation name as an id word: UpdateEndpointWeightsAndCapacities -> update-endpoint-weights-and-capacities."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()


def invalid_input_rule_id(operation: str) -> str:
    return f"request.{kebab(operation)}.invalid-input-rejected"


def output_rule_id(operation: str) -> str:
    return f"response.{kebab(operation)}.matches-output-shape"


NO_STATE_CHANGE = "request.rejected.changes-no-state"

RULES = declare(
    AREA,
    [
        *(
            Rule(
                invalid_input_rule_id(operation),
                AREA,
                f"{operation} MUST reject a request violating its documented input constraints with a 4xx error.",
                operation,
            )
            for operation in INVALID_INPUT_OPERATIONS
        ),
        Rule(
            NO_STATE_CHANGE,
            AREA,
            "A request rejected for invalid input MUST NOT create, change or delete any resource.",
            "CreateEndpoint",
        ),
        *(
            Rule(
                output_rule_id(operation),
                AREA,
                f"Every {operation} response MUST match the operation's documented output shape (required members, "
                "types, enums and bounds).",
                operation,
            )
            for operation in OUTPUT_OPERATIONS
        ),
    ],
)
