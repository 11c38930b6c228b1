"""Search semantics: which resources a SearchExpression matches, in which order, page by page.

One evaluator shared by the emulator (it answers ``Search`` with it) and by the
machines (their oracle), so both read the documentation the same way.

Resource documents
------------------
A resource is the dict botocore's ``SearchRecord`` carries for its type:

* ``Endpoint`` -> the ``SearchRecord.Endpoint`` shape: ``{"EndpointName", "EndpointArn",
  "EndpointConfigName", "EndpointStatus", "CreationTime", "LastModifiedTime",
  "ProductionVariants": [{"VariantName", "CurrentInstanceCount", ...}], "Tags": [{"Key", "Value"}], ...}``.
* ``Model`` -> ``SearchRecord.Model`` (``ModelDashboardModel``): ``{"Model": {"ModelName", "ModelArn",
  "CreationTime", "ExecutionRoleArn", "PrimaryContainer", "Tags": [...]}, "Endpoints": [...]}``;
  its property names therefore read ``Model.ModelName``, ``Model.Tags.<key>``.

Timestamps may be ``datetime`` (as botocore parses them) or epoch seconds (as awsJson1.1 sends them).

Property names are dotted paths into the document. Lists are traversed transparently
(a filter holds when any element satisfies it). ``Tags.<key>`` (anywhere a tag list sits)
addresses the value of the tag with that key; the whole remainder is the key, so keys
may contain dots.

Choices where the documentation is silent (kept consistent between emulator and oracle):
* text comparisons are case-sensitive; ``In`` splits Value on commas and strips spaces;
* ``NotEquals`` holds when the property exists and no value equals Value;
* a comparison without Value, or with a Value of the wrong kind, matches nothing;
* timestamps compare to the second, the precision of the documented Value format;
* VisibilityConditions must all hold (Key ``Tags.<key>`` equals Value on the resource's own tags);
  CrossAccountFilterOption CrossAccount finds nothing (no other account shares resources here);
* ordering: resources lacking the SortBy property come last; ties break by ARN then content,
  ascending, so results never depend on insertion order.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
from datetime import datetime, timezone
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from conformance import model

DEFAULT_SORT_BY = "LastModifiedTime"  # SearchRequest.SortBy documentation
DEFAULT_SORT_ORDER = "Descending"  # SearchRequest.SortOrder documentation
DEFAULT_OPERATOR = "Equals"  # Filter documentation: Value without Operator uses equals
DEFAULT_BOOLEAN_OPERATOR = "And"  # SearchExpression.Operator documentation
DEFAULT_MAX_RESULTS = 10  # undocumented; the machines always pass MaxResults

TEXT, NUMERIC, BOOLEAN, TIMESTAMP, STRUCTURE = "text", "numeric", "boolean", "timestamp", "structure"
ORDERING_OPERATORS = frozenset({"GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo"})
TEXT_ONLY_OPERATORS = frozenset({"Contains", "In"})
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"  # Filter.Value documentation: YYYY-mm-dd'T'HH:MM:SS

_SHAPE_KINDS = {"string": TEXT, "integer": NUMERIC, "long": NUMERIC, "float": NUMERIC, "double": NUMERIC,
                "boolean": BOOLEAN, "timestamp": TIMESTAMP, "structure": STRUCTURE, "blob": TEXT}
# Search's Resource enum names three record members differently.
_RECORD_MEMBER = {"ExperimentTrial": "Trial", "ExperimentTrialComponent": "TrialComponent"}


class InvalidNextToken(ValueError):
    """A NextToken this evaluator did not issue."""


@functools.lru_cache(maxsize=None)
def operators() -> Tuple[str, ...]:
    return tuple(model.member_shape("Search", "SearchExpression.Filters.Operator").enum)


def record_shape(resource_type: Optional[str]):
    """The botocore shape of a resource document (``SearchRecord.<member>``), or None."""
    if not resource_type:
        return None
    members = model.service_model().shape_for("SearchRecord").members
    return members.get(_RECORD_MEMBER.get(resource_type, resource_type))


def _is_tag_list(shape) -> bool:
    return shape.type_name == "list" and shape.member.name == "Tag"


@functools.lru_cache(maxsize=4096)
def property_type(resource_type: Optional[str], name: str) -> Optional[str]:
    """Kind of property ``name`` of ``resource_type``: text/numeric/boolean/timestamp/structure.

    None when the name is not a property of that resource (or the type has no record shape).
    """
    shape = record_shape(resource_type)
    if shape is None or not name:
        return None
    segments = name.split(".")
    index = 0
    while index < len(segments):
        while shape.type_name == "list":
            if _is_tag_list(shape):
                return TEXT  # Tags.<key>: the rest of the name is a tag key
            shape = shape.member
        if shape.type_name == "map":
            return _leaf_kind(shape.value)  # the rest of the name is the map key
        if shape.type_name != "structure" or segments[index] not in shape.members:
            return None
        shape = shape.members[segments[index]]
        index += 1
    return _leaf_kind(shape)


def _leaf_kind(shape) -> str:
    while shape.type_name == "list":
        shape = shape.member
    if shape.type_name == "map":
        return STRUCTURE
    return _SHAPE_KINDS.get(shape.type_name, TEXT)


def _looks_like_tag_list(node: Any) -> bool:
    return isinstance(node, list) and bool(node) and all(isinstance(t, Mapping) and "Key" in t for t in node)


def resolve(node: Any, name: str) -> List[Any]:
    """Every value at dotted property ``name`` (lists flattened, tags by key, missing -> [])."""
    return [value for value in _resolve(node, name.split(".") if name else []) if value is not None]


def _resolve(node: Any, segments: Sequence[str]) -> List[Any]:
    if not segments:
        return list(node) if isinstance(node, list) else [node]
    if isinstance(node, list):
        if _looks_like_tag_list(node):
            key = ".".join(segments)
            return [tag.get("Value", "") for tag in node if tag.get("Key") == key]
        return [value for element in node for value in _resolve(element, segments)]
    if isinstance(node, Mapping):
        # Map keys may contain dots: try the shortest key first, then longer joins.
        for width in range(1, len(segments) + 1):
            key = ".".join(segments[:width])
            if key in node:
                return _resolve(node[key], segments[width:])
    return []


# ------------------------------------------------------------- value coercion

def parse_timestamp(value: Any) -> Optional[float]:
    """Epoch seconds from a datetime, an epoch number or an ISO 8601 string; None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return stamp.timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            return parse_timestamp(datetime.fromisoformat(text))
        except ValueError:
            return None
    return None


def parse_number(value: Any) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _infer_kind(value: Any) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, datetime):
        return TIMESTAMP
    if isinstance(value, (int, float)):
        return NUMERIC
    if isinstance(value, (Mapping, list)):
        return STRUCTURE
    return TEXT


def _coerce(value: Any, kind: str) -> Any:
    """A comparable form of ``value`` for ``kind``; None when it has no such form."""
    if kind == TIMESTAMP:
        return parse_timestamp(value)
    if kind == NUMERIC:
        return parse_number(value)
    if kind == BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return None
    if kind == TEXT:
        return value if isinstance(value, str) else None
    return None


# ---------------------------------------------------------------- evaluation

def filter_matches(flt: Mapping, node: Any, resource_type: Optional[str] = None, name: Optional[str] = None) -> bool:
    """One Filter against ``node``; ``name`` overrides the path resolved (nested filters strip their prefix)."""
    full_name = flt.get("Name", "")
    values = resolve(node, full_name if name is None else name)
    operator = flt.get("Operator") or DEFAULT_OPERATOR
    if operator == "Exists":
        return bool(values)
    if operator == "NotExists":
        return not values
    if not values or "Value" not in flt or not isinstance(flt["Value"], str):
        return False
    declared = property_type(resource_type, full_name)
    if operator == "NotEquals":
        return not _any_holds("Equals", values, flt["Value"], declared)
    return _any_holds(operator, values, flt["Value"], declared)


def _any_holds(operator: str, values: List[Any], raw: str, declared: Optional[str]) -> bool:
    for value in values:
        kind = declared if declared not in (None, STRUCTURE) else _infer_kind(value)
        if kind == NUMERIC and declared is None and parse_number(raw) is None and parse_timestamp(raw) is not None:
            kind = TIMESTAMP  # an undeclared epoch number compared with an ISO date-time
        if _holds(operator, _coerce(value, kind), raw, kind):
            return True
    return False


def _holds(operator: str, left: Any, raw: str, kind: str) -> bool:
    if left is None:
        return False
    if operator in TEXT_ONLY_OPERATORS:
        if kind != TEXT:
            return False
        if operator == "Contains":
            return raw in left
        return left in {part.strip() for part in raw.split(",")}
    right = _coerce(raw, kind)
    if right is None:
        return False
    if kind == TIMESTAMP:  # Values are written to the second (YYYY-mm-dd'T'HH:MM:SS): compare at that precision
        left, right = math.floor(left), math.floor(right)
    if operator == "Equals":
        return left == right
    if operator in ORDERING_OPERATORS:
        if kind not in (NUMERIC, TIMESTAMP):
            return False  # documented: not supported for text properties
        return {"GreaterThan": left > right, "GreaterThanOrEqualTo": left >= right,
                "LessThan": left < right, "LessThanOrEqualTo": left <= right}[operator]
    return False


def nested_filter_matches(nested: Mapping, resource: Any, resource_type: Optional[str] = None) -> bool:
    """Documented: satisfied if a single object in the list satisfies all the nested filters."""
    prefix = nested.get("NestedPropertyName", "")
    filters = nested.get("Filters") or []
    for element in resolve(resource, prefix):
        if all(filter_matches(flt, element, resource_type, _strip(flt.get("Name", ""), prefix)) for flt in filters):
            return True
    return False


def _strip(name: str, prefix: str) -> str:
    return name[len(prefix) + 1:] if prefix and name.startswith(prefix + ".") else name


def matches(expression: Optional[Mapping], resource: Mapping, resource_type: Optional[str] = None) -> bool:
    """Whether ``resource`` satisfies the SearchExpression (None or {} matches everything).

    ``resource_type`` (Search's ``Resource``) lets property kinds come from the SearchRecord shape;
    without it they are inferred from the values.
    """
    if not expression:
        return True
    outcomes = []
    for flt in expression.get("Filters") or []:
        outcomes.append(filter_matches(flt, resource, resource_type))
    for nested in expression.get("NestedFilters") or []:
        outcomes.append(nested_filter_matches(nested, resource, resource_type))
    for sub in expression.get("SubExpressions") or []:
        outcomes.append(matches(sub, resource, resource_type))
    if (expression.get("Operator") or DEFAULT_BOOLEAN_OPERATOR) == "Or":
        return any(outcomes)
    return all(outcomes)


# ------------------------------------------------------------------- sorting

_KIND_RANK = {BOOLEAN: 0, NUMERIC: 1, TIMESTAMP: 1, TEXT: 2}


def sort_key(resource: Mapping, sort_by: str, resource_type: Optional[str] = None) -> Optional[Tuple[int, Any]]:
    """The comparable value ``resource`` sorts by (its first value at ``sort_by``), None when absent."""
    declared = property_type(resource_type, sort_by)
    for value in resolve(resource, sort_by):
        kind = declared if declared not in (None, STRUCTURE) else _infer_kind(value)
        coerced = _coerce(value, kind)
        if coerced is not None:
            return (_KIND_RANK[kind], float(coerced) if kind == BOOLEAN else coerced)
    return None


def identity(resource: Mapping) -> Tuple[str, str]:
    """A total, content-derived tie-break: the resource's ARN (top level or one level down), then its JSON."""
    arn = ""
    for node in [resource] + [v for v in resource.values() if isinstance(v, Mapping)]:
        arns = [v for k, v in sorted(node.items()) if k.endswith("Arn") and isinstance(v, str)]
        if arns:
            arn = arns[0]
            break
    return arn, json.dumps(resource, sort_keys=True, default=str)


def sort_resources(resources: Sequence[Mapping], sort_by: Optional[str] = None, sort_order: Optional[str] = None,
                   resource_type: Optional[str] = None) -> List[Mapping]:
    sort_by = sort_by or DEFAULT_SORT_BY
    descending = (sort_order or DEFAULT_SORT_ORDER) == "Descending"
    keyed = sorted(((sort_key(r, sort_by, resource_type), identity(r), r) for r in resources), key=lambda t: t[1])
    present = [t for t in keyed if t[0] is not None]
    missing = [t for t in keyed if t[0] is None]
    present.sort(key=lambda t: t[0], reverse=descending)  # stable: ties keep identity order
    return [t[2] for t in present + missing]


def own_tags(resource: Mapping) -> list:
    """The resource's tag list: top level (Endpoint) or one level down (``Model.Tags``)."""
    for node in [resource] + [v for v in resource.values() if isinstance(v, Mapping)]:
        if isinstance(node.get("Tags"), list):
            return node["Tags"]
    return []


def visible(resource: Mapping, conditions: Sequence[Mapping]) -> bool:
    """Every VisibilityConditions entry (Key ``Tags.<key>``, Value) holds on the resource's own tags."""
    tags = own_tags(resource)
    for condition in conditions:
        key = str(condition.get("Key", ""))
        key = key[len("Tags."):] if key.startswith("Tags.") else key
        if not any(t.get("Key") == key and t.get("Value", "") == condition.get("Value", "") for t in tags
                   if isinstance(t, Mapping)):
            return False
    return True


def search(resources: Sequence[Mapping], request: Mapping) -> List[Mapping]:
    """All resources matching ``request["SearchExpression"]``, ordered by SortBy/SortOrder (no paging).

    ``resources`` are documents of the requested ``Resource`` type (the caller selects them).
    """
    resource_type = request.get("Resource")
    if request.get("CrossAccountFilterOption") == "CrossAccount":
        return []  # documented: only resources other accounts made discoverable; an emulated account has none
    expression = request.get("SearchExpression")
    visibility = [c for c in request.get("VisibilityConditions") or [] if isinstance(c, Mapping)]
    found = [r for r in resources if matches(expression, r, resource_type) and visible(r, visibility)]
    return sort_resources(found, request.get("SortBy"), request.get("SortOrder"), resource_type)


# ---------------------------------------------------------------- pagination

_TOKEN_PREFIX = "search-offset:"


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_TOKEN_PREFIX}{offset}".encode()).decode()


def _decode(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError) as err:
        raise InvalidNextToken(f"Invalid NextToken: {token!r}") from err
    if not text.startswith(_TOKEN_PREFIX) or not text[len(_TOKEN_PREFIX):].isdigit():
        raise InvalidNextToken(f"Invalid NextToken: {token!r}")
    return int(text[len(_TOKEN_PREFIX):])


def paginate(results: Sequence[Any], max_results: Optional[int] = None,
             next_token: Optional[str] = None) -> Tuple[List[Any], Optional[str]]:
    """One page of ``results`` and the token of the next page (None on the last page).

    Raises InvalidNextToken for a token this function did not issue.
    """
    size = max_results or DEFAULT_MAX_RESULTS
    start = _decode(next_token) if next_token else 0
    page = list(results[start:start + size])
    following = start + size
    return page, (_encode(following) if following < len(results) else None)


__all__ = [
    "matches", "search", "paginate", "visible", "own_tags", "sort_resources", "sort_key", "identity", "resolve",
    "property_type",
    "record_shape", "operators", "filter_matches", "nested_filter_matches", "parse_timestamp", "parse_number",
    "InvalidNextToken", "DEFAULT_SORT_BY", "DEFAULT_SORT_ORDER", "DEFAULT_OPERATOR", "DEFAULT_MAX_RESULTS",
    "TEXT", "NUMERIC", "BOOLEAN", "TIMESTAMP", "STRUCTURE", "ORDERING_OPERATORS", "TEXT_ONLY_OPERATORS",
    "TIMESTAMP_FORMAT",
]
