"""Search rules: what Search documents about expressions, limits, sorting and pagination."""

from conformance.rules.catalogue import Rule, declare

AREA = "search"

RULES = declare(
    AREA,
    [
        Rule(
            "search.results.match-expression",
            AREA,
            "Search MUST return exactly the resources satisfying the SearchExpression (filters, nested filters and "
            "sub-expressions with And/Or).",
            "Search",
            "SearchExpression",
        ),
        Rule(
            "search.filter.default-operator-equals",
            AREA,
            "A Filter with a Value and no Operator MUST match as the Equals operator.",
            "Search",
            "SearchExpression.Filters",
        ),
        Rule(
            "search.contains-at-most-once",
            AREA,
            "Search MUST reject a second Contains operator with a ValidationException carrying the documented "
            "message.",
            "Search",
            "SearchExpression.Filters.Operator",
        ),
        Rule(
            "search.at-most-50-elements",
            AREA,
            "Search MUST reject a SearchExpression with more than 50 filters, nested filters and sub-expressions in "
            "all with a 4xx error.",
            "Search",
            "SearchExpression",
        ),
        Rule(
            "search.expression.at-most-20-per-list",
            AREA,
            "Search MUST reject a Filters, NestedFilters or SubExpressions list of more than 20 elements with a 4xx "
            "error.",
            "Search",
            "SearchExpression.Filters",
        ),
        Rule(
            "search.operator-not-for-text",
            AREA,
            "Search MUST reject GreaterThan, GreaterThanOrEqualTo, LessThan and LessThanOrEqualTo on a text property "
            "with a ValidationException.",
            "Search",
            "SearchExpression.Filters.Operator",
        ),
        Rule(
            "search.operator-only-for-text",
            AREA,
            "Search MUST reject In and Contains on a property that is not text with a ValidationException.",
            "Search",
            "SearchExpression.Filters.Operator",
        ),
        Rule(
            "search.sort.by-property-and-order",
            AREA,
            "Search MUST order results by the SortBy property in the SortOrder given.",
            "Search",
            "SortBy",
        ),
        Rule(
            "search.sort.defaults",
            AREA,
            "Search without SortBy and SortOrder MUST order results by LastModifiedTime, Descending.",
            "Search",
            "SortOrder",
        ),
        Rule(
            "search.pagination.complete",
            AREA,
            "Following Search NextToken with MaxResults MUST return every matching resource exactly once.",
            "Search",
            "NextToken",
        ),
    ],
)
