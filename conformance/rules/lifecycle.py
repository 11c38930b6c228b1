"""Lifecycle rules: the status transitions CreateEndpoint, UpdateEndpoint, DeleteEndpoint and friends document."""

from conformance.rules.catalogue import Rule, declare

AREA = "lifecycle"

RULES = declare(
    AREA,
    [
        Rule(
            "endpoint.create.status-creating",
            AREA,
            "CreateEndpoint MUST put a new endpoint in the Creating status.",
            "CreateEndpoint",
        ),
        Rule(
            "endpoint.create.reaches-in-service",
            AREA,
            "An endpoint whose models deploy MUST move from Creating to InService.",
            "CreateEndpoint",
        ),
        Rule(
            "endpoint.create.failure-reported",
            AREA,
            "An endpoint whose models cannot be deployed MUST end in Failed with a FailureReason.",
            "DescribeEndpoint",
            "FailureReason",
        ),
        Rule(
            "endpoint.describe.echoes-create",
            AREA,
            "DescribeEndpoint MUST report the EndpointName, EndpointArn and EndpointConfigName the endpoint was "
            "created with.",
            "CreateEndpoint",
            "EndpointConfigName",
        ),
        Rule(
            "endpoint.status.documented-value",
            AREA,
            "Every EndpointStatus DescribeEndpoint reports MUST be one of the documented EndpointStatus values.",
            "DescribeEndpoint",
            "EndpointStatus",
        ),
        Rule(
            "endpoint.variant-status.documented-value",
            AREA,
            "Every production variant status DescribeEndpoint reports MUST be one of the documented VariantStatus "
            "values.",
            "DescribeEndpoint",
            "ProductionVariants.VariantStatus.Status",
        ),
        Rule(
            "endpoint.create.name-unique",
            AREA,
            "CreateEndpoint MUST reject a name already used by an endpoint in the region with a 4xx error.",
            "CreateEndpoint",
            "EndpointName",
        ),
        Rule(
            "endpoint.create.name-case-insensitive",
            AREA,
            "CreateEndpoint MUST treat names case-insensitively, rejecting a name that differs from an existing "
            "endpoint's only in case.",
            "CreateEndpoint",
            "EndpointName",
        ),
        Rule(
            "endpoint.update.status-updating",
            AREA,
            "UpdateEndpoint MUST put the endpoint in the Updating status.",
            "UpdateEndpoint",
        ),
        Rule(
            "endpoint.update.reaches-in-service",
            AREA,
            "An updated endpoint MUST return to InService serving the EndpointConfig given to UpdateEndpoint.",
            "UpdateEndpoint",
            "EndpointConfigName",
        ),
        Rule(
            "endpoint.update.rejected-unless-in-service",
            AREA,
            "UpdateEndpoint MUST be rejected with a 4xx error while the endpoint is not InService.",
            "DescribeEndpoint",
            "EndpointStatus",
        ),
        Rule(
            "endpoint.failed.only-delete-allowed",
            AREA,
            "A Failed endpoint MUST reject UpdateEndpoint and accept DeleteEndpoint.",
            "DescribeEndpoint",
            "EndpointStatus",
        ),
        Rule(
            "endpoint.update-weights.updating-then-in-service",
            AREA,
            "UpdateEndpointWeightsAndCapacities MUST put the endpoint in Updating and then back in InService with the "
            "requested weights.",
            "UpdateEndpointWeightsAndCapacities",
            "DesiredWeightsAndCapacities",
        ),
        Rule(
            "endpoint.update-weights.rejected-unless-in-service",
            AREA,
            "UpdateEndpointWeightsAndCapacities MUST be rejected with a 4xx error while the endpoint is not InService.",
            "UpdateEndpointWeightsAndCapacities",
        ),
        Rule(
            "endpoint.delete.deleting-then-gone",
            AREA,
            "DeleteEndpoint MUST make the endpoint Deleting and then unknown to DescribeEndpoint.",
            "DeleteEndpoint",
        ),
        Rule(
            "endpoint.missing.validation-exception",
            AREA,
            "Describing, updating or deleting an endpoint that does not exist MUST fail with a 4xx "
            "ValidationException, never a 5xx.",
            "DescribeEndpoint",
            "EndpointName",
        ),
        Rule(
            "endpoint-config.delete.gone",
            AREA,
            "After DeleteEndpointConfig, DescribeEndpointConfig MUST answer the configuration's name with a 4xx error.",
            "DeleteEndpointConfig",
        ),
        Rule(
            "endpoint-config.delete.keeps-endpoints",
            AREA,
            "DeleteEndpointConfig MUST NOT delete the endpoints created using the configuration.",
            "DeleteEndpointConfig",
        ),
    ],
)
