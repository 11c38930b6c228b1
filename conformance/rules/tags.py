"""Tag rules: what AddTags, DeleteTags and ListTags document for SageMaker resources."""

from conformance.rules.catalogue import Rule, declare

AREA = "tags"

RULES = declare(
    AREA,
    [
        Rule(
            "tags.add.overwrites-existing-key",
            AREA,
            "AddTags with an existing key MUST overwrite its value rather than add a second tag with that key.",
            "AddTags",
            "Tags.Key",
        ),
        Rule(
            "tags.list.reflects-changes",
            AREA,
            "ListTags MUST list exactly the tags left by the resource's creation and every AddTags and DeleteTags "
            "since.",
            "ListTags",
        ),
        Rule(
            "tags.at-most-50-per-resource",
            AREA,
            "AddTags MUST reject tags that would give a resource more than 50 tags, leaving its tags unchanged.",
            "AddTags",
            "Tags",
        ),
        Rule(
            "tags.add.key-constraints",
            AREA,
            "AddTags MUST reject a tag key outside the documented length and pattern with a 4xx error.",
            "AddTags",
            "Tags.Key",
        ),
        Rule(
            "tags.add.value-constraints",
            AREA,
            "AddTags MUST reject a tag value outside the documented length and pattern with a 4xx error.",
            "AddTags",
            "Tags.Value",
        ),
        Rule(
            "tags.reserved-aws-prefix",
            AREA,
            "AddTags MUST reject a tag key starting with the reserved prefix aws: with a 4xx error.",
            "AddTags",
            "Tags.Key",
        ),
        Rule(
            "tags.unique-keys",
            AREA,
            "AddTags MUST reject a request that repeats a tag key with a 4xx error.",
            "AddTags",
            "Tags.Key",
        ),
        Rule(
            "tags.delete.absent-key-harmless",
            AREA,
            "DeleteTags with a key the resource does not have MUST succeed and leave the other tags unchanged.",
            "DeleteTags",
            "TagKeys",
        ),
        Rule(
            "tags.create.listed",
            AREA,
            "Tags given when a resource is created MUST be listed by ListTags.",
            "CreateEndpoint",
            "Tags",
        ),
        Rule(
            "tags.unknown-resource.rejected",
            AREA,
            "AddTags, DeleteTags and ListTags on an ARN naming no resource MUST fail with a 4xx error.",
            "AddTags",
            "ResourceArn",
        ),
        Rule(
            "tags.list.pagination-complete",
            AREA,
            "Following ListTags NextToken MUST return every tag exactly once.",
            "ListTags",
            "NextToken",
        ),
    ],
)
