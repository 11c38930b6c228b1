"""The compiled schema check (conformance.schema_check) gives jsonschema's verdict, and violations() its output.

``shapes.violations`` answers a valid payload from the compiled check alone, so the check must
never call valid what jsonschema (Draft 2020-12 + our linear-time ``pattern``) calls invalid,
nor the reverse. The oracle here is jsonschema itself: ``_validator_class()(schema).is_valid``.
"""

from __future__ import annotations

import copy
import decimal
import enum
import fractions
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import conformance.strategies as strategies
from conformance import model, schema_check, shapes
from conformance.errors import ShapesError
from conformance.strategies import text
from conformance.strategies.invalid import constraint_sites
from conformance.strategies.shapes import shape_strategy

OPERATIONS = shapes.operations()
INPUT_OPERATIONS = [op for op in OPERATIONS if model.operation_model(op).input_shape is not None]
OUTPUT_OPERATIONS = [op for op in OPERATIONS if model.operation_model(op).output_shape is not None]
SUITE_OPERATIONS = ["Search", "CreateEndpoint", "CreateEndpointConfig", "UpdateEndpoint", "AddTags", "CreateModel",
                    "DescribeEndpoint", "ListEndpoints"]
# Finding an operation's constraint sites takes ~0.1 s: the labelled-invalid property samples operations.
INVALID_SAMPLE = sorted(set(INPUT_OPERATIONS[::8] + SUITE_OPERATIONS))
DIRECTIONS = ("input", "output")
PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ASTRAL_LETTER = "\U0001d4b3"  # MATHEMATICAL SCRIPT CAPITAL X: one code point, two UTF-16 units
ODD_VALUES = (None, True, False, 0, 1, -1, 1.0, 0.5, -0.0, 2**31, 2**63, float("nan"), float("inf"),
              float("-inf"), "", "x", "1", "true", ASTRAL_LETTER, "\u2028", [], {}, [None], {"": None}, ["x"])


def jsonschema_says_valid(operation: str, direction: str, payload) -> bool:
    schema = shapes._schema(operation, direction)
    return shapes._validator_class()(schema).is_valid(payload)


def assert_agree(operation: str, direction: str, payload) -> bool:
    """The compiled check and jsonschema agree on ``payload``; so do violations() and the jsonschema path."""
    expected = jsonschema_says_valid(operation, direction, payload)
    assert shapes.fast_check(operation, direction)(payload) is expected, (operation, direction, payload)
    assert shapes.violations(operation, payload, direction) == shapes.jsonschema_violations(operation, payload, direction)
    assert shapes.is_valid(operation, payload, direction) is expected
    return expected


# --- near-valid payloads drawn from the schema itself ------------------------------------------------

def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"][len("#/$defs/"):]]
    return schema


def _sizes(low, high, cap: int = 3):
    """Sizes around the bounds: one under, at, one over (kept small for unbounded collections)."""
    low = low or 0
    candidates = {low, low + 1, max(low - 1, 0), low + cap}
    if high is not None:
        candidates |= {high, high + 1, max(high - 1, 0)}
    return sorted(n for n in candidates if n <= max(low, 0) + 50)


@st.composite
def near_valid(draw, schema: dict, root: dict, depth: int = 0):
    """Mostly valid, now and then just outside the schema: a wrong JSON type, a bound ±1, a missing
    required member, an unknown member, a near-miss enum value, a string with astral characters or
    a line separator, a float for an integer, a bool for a number, a null member."""
    schema = _resolve(schema, root)
    if draw(st.integers(0, 24)) == 0 or depth > 8:
        return draw(st.sampled_from(ODD_VALUES))
    kind = schema.get("type")
    if "enum" in schema:
        value = draw(st.sampled_from(schema["enum"]))
        return draw(st.sampled_from([value, value, value, value.lower(), value + " ", value[:-1], [value]]))
    if kind == "string" or (kind is None and ("pattern" in schema or "minLength" in schema)):
        return draw(_near_string(schema))
    if kind in ("integer", "number"):
        return draw(_near_number(schema, kind))
    if kind == "boolean":
        return draw(st.sampled_from([True, False, True, False, 0, 1, None, "true"]))
    if kind == "array":
        size = draw(st.sampled_from(_sizes(schema.get("minItems"), schema.get("maxItems"), cap=2)))
        return [draw(near_valid(schema.get("items", {}), root, depth + 1)) for _ in range(min(size, 4 + size % 2))]
    if kind == "object":
        return draw(_near_object(schema, root, depth))
    return draw(st.sampled_from(ODD_VALUES))


def _near_string(schema: dict) -> st.SearchStrategy:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    pattern = schema.get("pattern")
    fitting = text.matching(pattern, low, high)
    sized = st.sampled_from(_sizes(low, high if high is not None and high <= 2048 else None)).flatmap(
        lambda n: st.sampled_from([ASTRAL_LETTER * n, "a" * n, "é" * n, "1" * n]))
    return st.one_of(
        fitting,
        fitting,
        sized,
        st.tuples(fitting, st.sampled_from(["\n", "\u2028", ASTRAL_LETTER, " ", "é", "\x00", "-"]),
                  st.booleans()).map(lambda t: t[0] + t[1] if t[2] else t[1] + t[0]),
        fitting.map(lambda s: s[:-1]),
    )


def _near_number(schema: dict, kind: str) -> st.SearchStrategy:
    low, high = schema.get("minimum"), schema.get("maximum")
    points = [0, 1, -1, 2**31 - 1, 2**31, 2**53]
    for bound in (low, high):
        if bound is not None:
            points += [bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5, float(bound)]
    floats = [float(p) for p in points] + [0.25, float("nan"), float("inf"), -float("inf")]
    return st.one_of(st.sampled_from(points), st.sampled_from(floats), st.sampled_from([True, False, "1", None]),
                     st.integers(low if low is not None else -(2**40), high if high is not None else 2**40)
                     if kind == "integer" else st.floats(low, high, allow_nan=False))


@st.composite
def _near_object(draw, schema: dict, root: dict, depth: int):
    properties = schema.get("properties", {})
    out = {}
    if properties:
        required = schema.get("required", [])
        optional = [name for name in properties if name not in required]
        chosen = [name for name in required if draw(st.integers(0, 15))]
        chosen += draw(st.lists(st.sampled_from(optional), unique=True, max_size=min(4, len(optional)))) if optional else []
        for name in chosen:
            out[name] = draw(near_valid(properties[name], root, depth + 1))
    additional = schema.get("additionalProperties", True)
    if isinstance(additional, dict):  # a map: keys near the key shape
        key_schema = {"type": "string", **schema.get("propertyNames", {})}
        size = draw(st.sampled_from(_sizes(schema.get("minProperties"), schema.get("maxProperties"), cap=2)))
        for _ in range(min(size, 5)):
            out[draw(_near_string(key_schema))] = draw(near_valid(additional, root, depth + 1))
    elif draw(st.integers(0, 15)) == 0:
        out[draw(st.sampled_from(["Bogus", "", ASTRAL_LETTER, next(iter(properties), "x").lower()]))] = 1
    return out


def near_valid_payload(operation: str, direction: str) -> st.SearchStrategy:
    schema = shapes._schema(operation, direction)
    return near_valid(schema, schema)


def _with_replaced_leaf(payload, data):
    """``payload`` with one nested value (chosen by ``data``) replaced by an odd value, or a member dropped."""
    payload = copy.deepcopy(payload)
    node = payload
    while True:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        if not children:
            return payload
        key, child = data.draw(st.sampled_from(children))
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        if isinstance(node, dict) and data.draw(st.integers(0, 4)) == 0:
            del node[key]
        else:
            node[key] = data.draw(st.sampled_from(ODD_VALUES))
        return payload


# --- properties -------------------------------------------------------------------------------

@PROPERTY
@given(st.data())
def test_valid_inputs_of_any_operation_pass_both_checks(data):
    operation = data.draw(st.sampled_from(INPUT_OPERATIONS), label="operation")
    payload = data.draw(strategies.valid_input(operation), label="payload")
    assert assert_agree(operation, "input", payload)


@PROPERTY
@given(st.data())
def test_outputs_of_any_operation_get_the_same_verdict(data):
    operation = data.draw(st.sampled_from(OUTPUT_OPERATIONS), label="operation")
    payload = data.draw(shape_strategy(model.operation_model(operation).output_shape), label="payload")
    assert_agree(operation, "output", payload)


@PROPERTY
@given(st.data())
def test_labelled_invalid_inputs_fail_both_checks(data):
    operation = data.draw(st.sampled_from(INVALID_SAMPLE), label="operation")
    assume(constraint_sites(operation))
    invalid = data.draw(strategies.invalid_input(operation), label="payload")
    assert not assert_agree(operation, "input", invalid.payload)


@PROPERTY
@given(st.data())
def test_valid_inputs_with_one_odd_value_at_any_depth_get_the_same_verdict(data):
    operation = data.draw(st.sampled_from(INPUT_OPERATIONS), label="operation")
    payload = _with_replaced_leaf(data.draw(strategies.valid_input(operation)), data)
    assert_agree(operation, "input", payload)


@settings(PROPERTY, max_examples=600)
@given(st.data())
def test_near_valid_payloads_of_any_operation_and_direction_get_the_same_verdict(data):
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    direction = data.draw(st.sampled_from(DIRECTIONS), label="direction")
    assert_agree(operation, direction, data.draw(near_valid_payload(operation, direction), label="payload"))


@pytest.mark.parametrize("operation", SUITE_OPERATIONS)
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_near_valid_payloads_of_the_suites_operations_get_the_same_verdict(operation, direction):
    @settings(PROPERTY, max_examples=150)
    @given(near_valid_payload(operation, direction))
    def check(payload):
        assert_agree(operation, direction, payload)

    check()


# --- hand-picked edges --------------------------------------------------------------------------

ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep"
DESCRIBED = {"EndpointName": "ep", "EndpointArn": ARN, "EndpointStatus": "InService",
             "CreationTime": 1.7e9, "LastModifiedTime": 1700000001}


def _variant(**fields):
    return {**DESCRIBED, "ProductionVariants": [{"VariantName": "AllTraffic", **fields}]}


def _search(leaf: dict, depth: int = 1) -> dict:
    expression = {"Filters": [leaf]}
    for _ in range(depth - 1):
        expression = {"SubExpressions": [expression], "Operator": "Or"}
    return {"Resource": "Endpoint", "SearchExpression": expression}


def _tags(key="k", value="v") -> dict:
    return {"ResourceArn": ARN, "Tags": [{"Key": key, "Value": value}]}


def _environment(environment) -> dict:
    return {"ModelName": "m", "PrimaryContainer": {"Image": "img", "Environment": environment}}


EDGES = [
    # integers: a bool is not one; a float with an integral value is (Draft 2020-12 in jsonschema)
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=2), True),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=2.0), True),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=2.5), False),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=True), False),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=-1), False),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=float("nan")), False),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount=2**70), True),
    ("DescribeEndpoint", "output", _variant(CurrentInstanceCount="2"), False),
    ("ListEndpoints", "input", {"MaxResults": 100.0}, True),
    ("ListEndpoints", "input", {"MaxResults": 101}, False),
    ("ListEndpoints", "input", {"MaxResults": 0.0}, False),
    ("ListEndpoints", "input", {"MaxResults": False}, False),
    # numbers: a bool is not one; NaN passes minimum (jsonschema compares with <)
    ("DescribeEndpoint", "output", _variant(CurrentWeight=0), True),
    ("DescribeEndpoint", "output", _variant(CurrentWeight=0.5), True),
    ("DescribeEndpoint", "output", _variant(CurrentWeight=-0.0), True),
    ("DescribeEndpoint", "output", _variant(CurrentWeight=-1e-9), False),
    ("DescribeEndpoint", "output", _variant(CurrentWeight=False), False),
    ("DescribeEndpoint", "output", _variant(CurrentWeight=float("nan")), True),
    ("DescribeEndpoint", "output", _variant(CurrentWeight=float("inf")), True),
    ("DescribeEndpoint", "output", {**DESCRIBED, "CreationTime": True}, False),
    # null members, missing required, unknown members, wrong root
    ("DescribeEndpoint", "output", {**DESCRIBED, "FailureReason": None}, False),
    ("DescribeEndpoint", "output", {**DESCRIBED, "EndpointName": None}, False),
    ("DescribeEndpoint", "output", {k: v for k, v in DESCRIBED.items() if k != "EndpointArn"}, False),
    ("DescribeEndpoint", "output", {**DESCRIBED, "Bogus": 1}, False),
    ("DescribeEndpoint", "output", None, False),
    ("DescribeEndpoint", "output", [DESCRIBED], False),
    ("CreateEndpoint", "input", {"EndpointName": "ep", "EndpointConfigName": "cfg", "Tags": None}, False),
    ("ListEndpoints", "input", {}, True),
    ("ListEndpoints", "input", {"SortBy": None}, False),
    # wrong types at depth; enum values compare as strings only
    ("CreateEndpoint", "input", {"EndpointName": "ep", "EndpointConfigName": "cfg", "Tags": [{"Key": 1}]}, False),
    ("CreateEndpoint", "input", {"EndpointName": "ep", "EndpointConfigName": "cfg", "Tags": {"Key": "k"}}, False),
    ("ListEndpoints", "input", {"SortBy": "Name"}, True),
    ("ListEndpoints", "input", {"SortBy": "name"}, False),
    ("ListEndpoints", "input", {"SortBy": ["Name"]}, False),
    ("ListEndpoints", "input", {"SortBy": 1}, False),
    # recursive Search expressions
    ("Search", "input", _search({"Name": "EndpointName", "Operator": "Equals", "Value": "ep"}, depth=6), True),
    ("Search", "input", _search({"Name": "EndpointName", "Operator": "Like", "Value": "ep"}, depth=4), False),
    ("Search", "input", _search({"Name": "EndpointName", "Operator": "Equals", "Value": 7}, depth=3), False),
    ("Search", "input", _search({"Name": "EndpointName", "Value": "ep"}, depth=5), True),
    ("Search", "input", _search({"Operator": "Equals"}, depth=2), False),
    ("Search", "input", {"Resource": "Endpoint", "SearchExpression": {"SubExpressions": {"Filters": []}}}, False),
    ("Search", "input", {"Resource": "Endpoint", "SearchExpression": {"SubExpressions": [None]}}, False),
    ("Search", "input", {"Resource": "Endpoint", "SearchExpression": {}}, True),
    # map keys against propertyNames (pattern [a-zA-Z_][a-zA-Z0-9_]*, 0..1024)
    ("CreateModel", "input", _environment({"GOOD_key1": "v"}), True),
    ("CreateModel", "input", _environment({"1BAD": "v"}), False),
    ("CreateModel", "input", _environment({"": "v"}), False),
    ("CreateModel", "input", _environment({"é": "v"}), False),
    ("CreateModel", "input", _environment({"K\n": "v"}), False),
    ("CreateModel", "input", _environment({"K": 1}), False),
    ("CreateModel", "input", _environment({"K": None}), False),
    ("CreateModel", "input", _environment({"K" * 1024: "v"}), True),
    ("CreateModel", "input", _environment({"K" * 1025: "v"}), False),
    ("CreateModel", "input", _environment({f"K{i}": "v" for i in range(100)}), True),
    ("CreateModel", "input", _environment({f"K{i}": "v" for i in range(101)}), False),
    # patterns with Unicode, whole-value: a trailing newline or line separator is not "the end"
    ("DescribeEndpoint", "input", {"EndpointName": "ep"}, True),
    ("DescribeEndpoint", "input", {"EndpointName": "ep\n"}, False),
    ("DescribeEndpoint", "input", {"EndpointName": "ep\u2028"}, False),
    ("DescribeEndpoint", "input", {"EndpointName": "épée"}, False),
    ("DescribeEndpoint", "input", {"EndpointName": "e" * 63}, True),
    ("DescribeEndpoint", "input", {"EndpointName": "e" * 64}, False),
    ("DescribeEndpoint", "input", {"EndpointName": ""}, False),
    ("AddTags", "input", _tags(key="épée ünïcode"), True),
    ("AddTags", "input", _tags(key="k\u2028"), True),  # \p{Z} includes the line separator
    ("AddTags", "input", _tags(key="k\x00"), False),
    # lengths count code points: 256 astral letters are 512 UTF-16 units, still within maxLength 256
    ("AddTags", "input", _tags(value=ASTRAL_LETTER * 256), True),
    ("AddTags", "input", _tags(value=ASTRAL_LETTER * 257), False),
    ("AddTags", "input", _tags(key=ASTRAL_LETTER * 128), True),
    ("AddTags", "input", _tags(key=ASTRAL_LETTER * 129), False),
    ("AddTags", "input", _tags(key=""), False),
    ("AddTags", "input", {"ResourceArn": ARN, "Tags": []}, True),
    ("AddTags", "input", {"ResourceArn": ARN, "Tags": [{"Key": "k"}] * 51}, False),
    # operations without a payload: only {} is valid
    ("DeleteEndpoint", "output", {}, True),
    ("DeleteEndpoint", "output", {"X": None}, False),
]


@pytest.mark.parametrize("operation, direction, payload, valid", EDGES,
                         ids=[f"{op}-{d}-{i}" for i, (op, d, _, _) in enumerate(EDGES)])
def test_hand_picked_edges_get_the_expected_verdict_from_both(operation, direction, payload, valid):
    assert assert_agree(operation, direction, payload) is valid


class Size(enum.IntEnum):
    TWO = 2


class Name(str):
    pass


TYPE_PROBES = [0, 1, -1, 2**80, 1.0, 1.5, -0.0, float("nan"), float("inf"), True, False, None, "", "s", Name("n"),
               [], {}, (), b"x", bytearray(b"x"), decimal.Decimal("1"), decimal.Decimal("1.5"),
               fractions.Fraction(1, 2), complex(1, 0), Size.TWO, object()]


@pytest.mark.parametrize("type_name", sorted(schema_check.TYPE_CHECKS))
def test_type_checks_are_jsonschemas(type_name):
    checker = shapes._validator_class().TYPE_CHECKER
    for probe in TYPE_PROBES:
        assert schema_check.TYPE_CHECKS[type_name](probe) is checker.is_type(probe, type_name), (type_name, probe)


def test_non_json_values_still_get_jsonschemas_violations():
    """Outside JSON (Decimal, tuples, IntEnum, str subclasses, complex), violations() is still jsonschema's."""
    for weight in (decimal.Decimal("0.5"), decimal.Decimal("-1"), fractions.Fraction(1, 3), Size.TWO):
        assert_agree("DescribeEndpoint", "output", _variant(CurrentWeight=weight))
    assert_agree("DescribeEndpoint", "output", _variant(CurrentInstanceCount=Size.TWO))
    assert_agree("DescribeEndpoint", "output", {**DESCRIBED, "EndpointName": Name("ep")})
    assert_agree("DescribeEndpoint", "output", {**DESCRIBED, "ProductionVariants": ({"VariantName": "v"},)})
    with pytest.raises(TypeError):  # jsonschema cannot order a complex number; violations() does not hide that
        shapes.violations("DescribeEndpoint", _variant(CurrentWeight=complex(1, 0)), "output")


def test_deep_search_recursion_is_followed():
    assert assert_agree("Search", "input", _search({"Name": "EndpointName", "Operator": "Equals", "Value": "ep"}, 40))
    bad = _search({"Name": "EndpointName", "Operator": "Equals", "Value": "ep"}, 40)
    node = bad["SearchExpression"]
    for _ in range(39):
        node = node["SubExpressions"][0]
    node["Filters"][0]["Operator"] = "Nope"
    assert not assert_agree("Search", "input", bad)


# --- the generic compiler on constructs the shapes do not (yet) use -------------------------------

GENERIC_SCHEMAS = [
    {"type": ["string", "integer"], "minLength": 2, "minimum": 3},
    {"minLength": 2, "maximum": 3, "minItems": 1, "required": ["a"]},
    {"enum": [1, True, "a", None, [1, False], {"a": 1}, 1.5]},
    {"type": "object", "properties": {"a": {"$ref": "#"}, "b": True, "c": False}, "additionalProperties": {"type": "null"}},
    {"type": "array", "items": False},
    {"type": "array", "items": {"$ref": "#/$defs/N"}, "$defs": {"N": {"type": "number", "maximum": 0}}},
    {"propertyNames": {"maxLength": 1, "enum": ["a", "b", 1]}},
    {"type": "object", "minProperties": 1, "maxProperties": 2},
    {"type": "integer", "enum": ["a", 1]},
    {"type": "string", "enum": ["a", "bb"], "maxLength": 1},
    {"type": "boolean", "enum": [True]},
    True,
    False,
    {},
]

JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-5, 5), st.sampled_from([1.0, 0.0, 3.0, 2.5]),
              st.text(max_size=3), st.sampled_from(["a", "b", "bb", ASTRAL_LETTER * 2])),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["a", "b", "c", "ab", ""]), children, max_size=3)),
    max_leaves=8,
)


@pytest.mark.parametrize("schema", GENERIC_SCHEMAS, ids=[json.dumps(s)[:40] for s in GENERIC_SCHEMAS])
def test_generic_constructs_match_jsonschema(schema):
    check = schema_check.compile_schema(schema)
    validator = shapes._validator_class()(schema)

    @settings(max_examples=200, deadline=None, database=None)
    @given(JSON_VALUES)
    def agree(value):
        assert check(value) is validator.is_valid(value), value

    agree()


@pytest.mark.parametrize("schema", [
    {"type": "string", "format": "date"},
    {"anyOf": [{"type": "string"}]},
    {"type": "object", "patternProperties": {"^a": {}}},
    {"type": "array", "items": [{"type": "string"}]},
    {"$ref": "https://example.com/schema"},
    {"$ref": "#/$defs/Missing"},
    {"type": "strin"},
    {"properties": {"a": {"const": 1}}},
    {"type": "object", "additionalProperties": {"$defs": {}, "dependentRequired": {}}},
])
def test_unknown_keywords_fail_loudly(schema):
    with pytest.raises(ShapesError):
        schema_check.compile_schema(schema)


def test_every_committed_schema_compiles():
    for operation in OPERATIONS:
        for direction in DIRECTIONS:
            assert callable(shapes.fast_check(operation, direction))


# --- wiring in shapes.violations ---------------------------------------------------------------------

def test_valid_payloads_never_reach_jsonschema(monkeypatch):
    def no_jsonschema(*args):
        raise AssertionError("jsonschema ran on a valid payload")

    shapes.violations("DescribeEndpoint", DESCRIBED, "output")
    monkeypatch.setattr(shapes, "_validator", no_jsonschema)
    assert shapes.violations("DescribeEndpoint", DESCRIBED, "output") == []
    with pytest.raises(AssertionError, match="jsonschema ran"):
        shapes.violations("DescribeEndpoint", {}, "output")


def test_is_valid_decides_without_jsonschema(monkeypatch):
    def no_jsonschema(*args):
        raise AssertionError("jsonschema ran")

    monkeypatch.setattr(shapes, "_validator", no_jsonschema)
    assert shapes.is_valid("DescribeEndpoint", DESCRIBED, "output") is True
    assert shapes.is_valid("DescribeEndpoint", {}, "output") is False  # violations() would list them with jsonschema


def test_reloaded_shapes_are_recompiled(shapes_copy):
    path = shapes_copy / "sagemaker" / "DescribeEndpoint.json"
    assert shapes.violations("DescribeEndpoint", {"EndpointName": "ep"}) == []
    document = json.loads(path.read_text(encoding="utf-8"))
    document["input"]["properties"]["EndpointName"]["format"] = "hostname"
    path.write_text(json.dumps(document), encoding="utf-8")
    shapes._operation_document.cache_clear()
    with pytest.raises(ShapesError, match="format"):
        shapes.violations("DescribeEndpoint", {"EndpointName": "ep"})


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        shapes.violations("DescribeEndpoint", {}, "sideways")


def test_pattern_matchers_are_built_on_first_use_only():
    # Search's output schema has hundreds of patterns, a matcher costs milliseconds: build only what is met.
    built = []

    def counting_matcher(regex):
        built.append(regex)
        return lambda value: True

    check = schema_check.compile_schema(shapes.output_schema("Search"), matcher=counting_matcher)
    assert built == []
    assert check({"NextToken": "t"}) and check({"NextToken": "u"})
    assert built == [shapes.output_schema("Search")["properties"]["NextToken"]["pattern"]]


# --- responses as botocore parses them (timestamps as datetimes) -------------------------------------

def _parsed(operation: str, payload):
    """``payload`` (wire form) as botocore's awsJson parser hands it to a client: timestamps become datetimes."""
    from botocore.parsers import create_parser

    body = json.dumps(payload).encode()
    shape = model.operation_model(operation).output_shape
    parsed = create_parser("json").parse({"body": body, "headers": {}, "status_code": 200}, shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


@PROPERTY
@given(st.data())
def test_parsed_outputs_get_the_verdict_of_their_wire_form(data):
    """parsed_output_valid says yes exactly when the wire form is valid, on answers botocore can parse,
    and never says yes to an invalid one when a value is odd (its "no" only means "check the wire form")."""
    from conformance.machines.session import wire_form

    operation = data.draw(st.sampled_from(OUTPUT_OPERATIONS), label="operation")
    wire = data.draw(shape_strategy(model.operation_model(operation).output_shape), label="payload")
    try:
        parsed = _parsed(operation, wire)
    except Exception:  # noqa: BLE001 - a value botocore itself cannot parse never reaches the check
        assume(False)
    valid = jsonschema_says_valid(operation, "output", wire_form(parsed))
    assert shapes.parsed_output_valid(operation, parsed) is valid
    odd = _with_replaced_leaf(parsed, data) if parsed else parsed
    if shapes.parsed_output_valid(operation, odd):
        assert jsonschema_says_valid(operation, "output", wire_form(odd)), odd


def test_a_parsed_timestamp_is_valid_where_the_schema_wants_a_number_and_nowhere_else():
    import datetime

    when = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
    answer = {"EndpointName": "e", "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/e",
              "EndpointStatus": "InService", "CreationTime": when, "LastModifiedTime": when}
    assert shapes.parsed_output_valid("DescribeEndpoint", answer)
    assert not shapes.fast_check("DescribeEndpoint", "output")(answer)  # the wire-form check wants numbers
    assert not shapes.parsed_output_valid("DescribeEndpoint", dict(answer, EndpointName=when))
    assert not shapes.parsed_output_valid("DescribeEndpoint", dict(answer, CreationTime="2026-01-02"))
