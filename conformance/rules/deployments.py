"""Deployment rules: what UpdateEndpoint's DeploymentConfig and its cross-field constraints document.

The ids of the cross-field constraints are the ones ``conformance.documented`` labels its
violations with, so one name follows a rule from the docs to the strategies to the report.
"""

from conformance.rules.catalogue import Rule, declare

AREA = "deployments"
_ROUTING = "DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration"
_BLUE_GREEN = "DeploymentConfig.BlueGreenUpdatePolicy"

RULES = declare(
    AREA,
    [
        Rule(
            "endpoint.update.deployment-config-accepted",
            AREA,
            "UpdateEndpoint MUST accept every DeploymentConfig that satisfies the documented constraints.",
            "UpdateEndpoint",
            "DeploymentConfig",
        ),
        Rule(
            "endpoint.update.last-deployment-config-reported",
            AREA,
            "After an update completes, DescribeEndpoint MUST report the DeploymentConfig it used as "
            "LastDeploymentConfig.",
            "DescribeEndpoint",
            "LastDeploymentConfig",
        ),
        Rule(
            "endpoint.update.retain-deployment-config",
            AREA,
            "UpdateEndpoint with RetainDeploymentConfig MUST reuse the previous deployment configuration.",
            "UpdateEndpoint",
            "RetainDeploymentConfig",
        ),
        Rule(
            "endpoint.pending-deployment-summary.only-while-deploying",
            AREA,
            "DescribeEndpoint MUST return PendingDeploymentSummary only while the endpoint is creating or updating "
            "with a new endpoint configuration, naming that configuration.",
            "DescribeEndpoint",
            "PendingDeploymentSummary",
        ),
        Rule(
            "endpoint.update.traffic-shift-observable",
            AREA,
            "A blue/green update MUST report its traffic shifting through the variant statuses, ActivatingTraffic "
            "before Baking.",
            "UpdateEndpoint",
            _ROUTING + ".Type",
        ),
        Rule(
            "endpoint.update.no-availability-loss",
            AREA,
            "While UpdateEndpoint runs the endpoint MUST stay describable and keep serving an EndpointConfig with "
            "its production variants.",
            "UpdateEndpoint",
        ),
        Rule(
            "endpoint.update.auto-rollback-on-alarm",
            AREA,
            "An alarm of AutoRollbackConfiguration in ALARM during an update MUST roll the endpoint back "
            "(RollingBack) to InService on the previous EndpointConfig.",
            "UpdateEndpoint",
            "DeploymentConfig.AutoRollbackConfiguration",
        ),
        Rule(
            "endpoint.update.retain-variant-properties",
            AREA,
            "UpdateEndpoint with RetainAllVariantProperties MUST keep the variants' instance count and weight.",
            "UpdateEndpoint",
            "RetainAllVariantProperties",
        ),
        Rule(
            "endpoint.update.exclude-retained-properties",
            AREA,
            "ExcludeRetainedVariantProperties MUST override the listed retained properties with the new "
            "EndpointConfig's values.",
            "UpdateEndpoint",
            "ExcludeRetainedVariantProperties",
        ),
        Rule(
            "deployment.canary-size-at-most-half",
            AREA,
            "UpdateEndpoint MUST reject a CanarySize larger than half the variant's instance count with a "
            "ValidationException.",
            "UpdateEndpoint",
            _ROUTING + ".CanarySize",
        ),
        Rule(
            "deployment.linear-step-size-10-to-50-percent",
            AREA,
            "UpdateEndpoint MUST reject a LinearStepSize outside 10-50% of the variant's instance count with a "
            "ValidationException.",
            "UpdateEndpoint",
            _ROUTING + ".LinearStepSize",
        ),
        Rule(
            "deployment.timeout-exceeds-waits",
            AREA,
            "UpdateEndpoint MUST reject a MaximumExecutionTimeoutInSeconds not larger than the total waiting time "
            "with a ValidationException.",
            "UpdateEndpoint",
            _BLUE_GREEN + ".MaximumExecutionTimeoutInSeconds",
        ),
        Rule(
            "deployment.canary-size-required",
            AREA,
            "UpdateEndpoint MUST reject a CANARY traffic routing without CanarySize with a ValidationException.",
            "UpdateEndpoint",
            _ROUTING + ".Type",
        ),
        Rule(
            "deployment.linear-step-size-required",
            AREA,
            "UpdateEndpoint MUST reject a LINEAR traffic routing without LinearStepSize with a ValidationException.",
            "UpdateEndpoint",
            _ROUTING + ".Type",
        ),
        Rule(
            "deployment.single-update-policy",
            AREA,
            "UpdateEndpoint MUST reject a DeploymentConfig with both a BlueGreenUpdatePolicy and a "
            "RollingUpdatePolicy with a ValidationException.",
            "UpdateEndpoint",
            _BLUE_GREEN,
        ),
        Rule(
            "update.exclude-requires-retain-all",
            AREA,
            "UpdateEndpoint MUST reject ExcludeRetainedVariantProperties without RetainAllVariantProperties set to "
            "true with a ValidationException.",
            "UpdateEndpoint",
            "ExcludeRetainedVariantProperties",
        ),
        Rule(
            "update.retain-deployment-config-conflicts-with-new",
            AREA,
            "UpdateEndpoint MUST reject RetainDeploymentConfig set to true together with a new DeploymentConfig with "
            "a ValidationException.",
            "UpdateEndpoint",
            "RetainDeploymentConfig",
        ),
        Rule(
            "deployment.rolling-batch-size-5-to-50-percent",
            AREA,
            "UpdateEndpoint MUST reject a rolling MaximumBatchSize outside 5-50% of the variant's instance count "
            "with a ValidationException.",
            "UpdateEndpoint",
            "DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize",
        ),
    ],
)
