"""The committed JSON Schemas: in sync with botocore, faithful to its constraints, and read safely."""

from __future__ import annotations

import json
import pathlib
import time

import pytest
from jsonschema import Draft202012Validator

from conformance import cli, model, schemas, shapes
from conformance.errors import ShapesError
from conformance.violation import Constraint

ENDPOINT = {"EndpointName": "ep-1", "EndpointConfigName": "cfg-1"}


def kinds(found):
    return [(v.path, v.constraint) for v in found]


# --- in sync, complete, well-formed ---------------------------------------------------------------

def test_shapes_committed_match_installed_botocore():
    assert shapes.check() == []
    assert shapes.drift() == []


def test_shapes_index_names_botocore_and_every_operation():
    index = json.loads((shapes.SHAPES_DIR / "sagemaker" / "index.json").read_text(encoding="utf-8"))
    assert index["botocore_version"] == model.botocore_version()
    assert index["api_version"] == model.api_version()
    assert index["operations"] == model.operation_names()
    assert len(index["operations"]) == len(list((shapes.SHAPES_DIR / "sagemaker").glob("*.json"))) - 1


def test_shapes_are_valid_draft_2020_12_schemas():
    # The metaschema check is slow in jsonschema; run it on operations that use every construct.
    for operation in ("Search", "UpdateEndpoint", "AddTags", "CreateModel", "DescribeEndpoint"):
        Draft202012Validator.check_schema(shapes.input_schema(operation))
        Draft202012Validator.check_schema(shapes.output_schema(operation))


_KEYWORDS = {
    "$schema", "$ref", "$defs", "type", "properties", "required", "additionalProperties", "items",
    "propertyNames", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems",
    "maxItems", "minProperties", "maxProperties", "description", "deprecated", "contentEncoding",
    "x-model-pattern",
}


def _walk(schema, seen):
    assert set(schema) <= _KEYWORDS, set(schema) - _KEYWORDS
    if "$ref" in schema:
        seen.add(schema["$ref"])
    for child in list(schema.get("properties", {}).values()) + list(schema.get("$defs", {}).values()):
        _walk(child, seen)
    for key in ("items", "additionalProperties", "propertyNames"):
        if isinstance(schema.get(key), dict):
            _walk(schema[key], seen)


def test_every_schema_uses_known_keywords_and_resolvable_refs():
    for operation in model.operation_names():
        for schema in (shapes.input_schema(operation), shapes.output_schema(operation)):
            refs = set()
            _walk(schema, refs)
            assert {ref.rsplit("/", 1)[1] for ref in refs} <= set(schema.get("$defs", {})), operation


def test_shapes_carry_every_model_constraint_of_the_input_members():
    """Spot-check against botocore's own view (not the raw JSON the converter read)."""
    checked = 0
    for operation in model.operation_names():
        shape = model.operation_model(operation).input_shape
        schema = shapes.input_schema(operation)
        assert schema.get("required", []) == list(shape.required_members)
        for name, member in shape.members.items():
            prop = schema["properties"][name]
            if "$ref" in prop:
                prop = schema["$defs"][prop["$ref"].rsplit("/", 1)[1]]
            meta = member.metadata
            if member.type_name == "string":
                assert prop.get("minLength") == meta.get("min") and prop.get("maxLength") == meta.get("max")
                assert prop.get("enum") == (member.enum or None)
                assert prop.get("x-model-pattern") == meta.get("pattern")
            elif member.type_name in ("integer", "long"):
                assert prop["type"] == "integer"
                assert prop.get("minimum") == meta.get("min") and prop.get("maximum") == meta.get("max")
            elif member.type_name == "list":
                assert prop.get("minItems") == meta.get("min") and prop.get("maxItems") == meta.get("max")
            elif member.type_name == "timestamp":
                assert prop["type"] == "number"
            checked += 1
    assert checked > 1000


def test_operation_without_output_has_an_empty_object_schema():
    operation = next(op for op in model.operation_names() if model.operation_model(op).output_shape is None)
    schema = shapes.output_schema(operation)
    assert shapes.violations(operation, {}, direction="output") == []
    assert kinds(shapes.violations(operation, {"X": 1}, direction="output")) == [(("X",), "unknown_member")]
    assert schema["additionalProperties"] is False


def test_shapes_directory_prefers_the_wheel_copy(tmp_path):
    package = tmp_path / "conformance"
    (package / "_shapes").mkdir(parents=True)
    assert shapes._default_dir(package) == package / "_shapes"
    assert shapes._default_dir(tmp_path / "other" / "conformance") == tmp_path / "other" / "shapes"
    assert (shapes.SHAPES_DIR / "sagemaker" / "index.json").is_file()


# --- violations at exact paths --------------------------------------------------------------------

def test_create_endpoint_missing_endpoint_name_is_required_at_its_path():
    found = shapes.violations("CreateEndpoint", {"EndpointConfigName": "cfg"})
    assert kinds(found) == [(("EndpointName",), "required")]
    assert shapes.violations("CreateEndpoint", dict(ENDPOINT)) == []


def test_update_endpoint_canary_size_value_type_and_minimum():
    def payload(value):
        canary = {"Type": "INSTANCE_COUNT", "Value": value}
        routing = {"Type": "CANARY", "WaitIntervalInSeconds": 60, "CanarySize": canary}
        return {**ENDPOINT, "DeploymentConfig": {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": routing}}}

    path = ("DeploymentConfig", "BlueGreenUpdatePolicy", "TrafficRoutingConfiguration", "CanarySize", "Value")
    assert shapes.violations("UpdateEndpoint", payload(1)) == []
    assert kinds(shapes.violations("UpdateEndpoint", payload("1"))) == [(path, "type")]
    assert kinds(shapes.violations("UpdateEndpoint", payload(True))) == [(path, "type")]
    assert kinds(shapes.violations("UpdateEndpoint", payload(0))) == [(path, "min")]


def test_tag_key_too_long_value_bad_pattern_and_too_many_tags():
    arn = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep-1"
    long_key = [{"Key": "k" * 129, "Value": "v"}]
    assert kinds(shapes.violations("AddTags", {"ResourceArn": arn, "Tags": long_key})) == [
        (("Tags", 0, "Key"), "max_length")]
    bad_value = [{"Key": "k", "Value": "café ok"}, {"Key": "k2", "Value": "tab\tno"}]
    found = shapes.violations("AddTags", {"ResourceArn": arn, "Tags": bad_value})
    assert kinds(found) == [(("Tags", 1, "Value"), "pattern")]
    assert "model pattern" in found[0].message
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert kinds(shapes.violations("AddTags", {"ResourceArn": arn, "Tags": many})) == [(("Tags",), "max_length")]


def test_unknown_members_enums_and_map_keys_are_reported_where_they_are():
    assert kinds(shapes.violations("CreateEndpoint", {**ENDPOINT, "Bogus": 1})) == [(("Bogus",), "unknown_member")]
    found = shapes.violations("ListEndpoints", {"SortBy": "Size", "MaxResults": 0})
    assert kinds(found) == [(("MaxResults",), "min"), (("SortBy",), "enum")]
    container = {"Image": "img", "Environment": {"GOOD_KEY": "v", "1bad": "v"}}
    found = shapes.violations("CreateModel", {"ModelName": "m", "PrimaryContainer": container})
    assert kinds(found) == [(("PrimaryContainer", "Environment", "1bad"), "pattern")]


def test_hostile_value_for_an_ambiguous_pattern_is_judged_quickly():
    payload = {"PipelineName": "p", "ClientRequestToken": "t" * 32, "RoleArn": "arn:aws:iam::123456789012:role/r",
               "PipelineDefinition": " " * 300 + "\x85"}  # re.search would backtrack for ages here
    started = time.process_time()
    assert kinds(shapes.violations("CreatePipeline", payload)) == [(("PipelineDefinition",), "pattern")]
    assert time.process_time() - started < 2.0


def test_wrong_payload_type_is_a_type_violation_at_the_root():
    assert kinds(shapes.violations("CreateEndpoint", ["not", "an", "object"])) == [((), "type")]


def test_timestamps_are_epoch_second_numbers():
    assert shapes.violations("ListEndpoints", {"CreationTimeBefore": 1700000000}) == []
    assert shapes.violations("ListEndpoints", {"CreationTimeAfter": 1700000000.25}) == []
    assert kinds(shapes.violations("ListEndpoints", {"CreationTimeAfter": "2023-11-14T22:13:20Z"})) == [
        (("CreationTimeAfter",), "type")]
    out = {"EndpointName": "e", "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/e",
           "EndpointStatus": "InService", "CreationTime": 1.7e9, "LastModifiedTime": 1700000001}
    assert shapes.violations("DescribeEndpoint", out, direction="output") == []


def _search(depth: int, leaf_operator: str = "Equals") -> dict:
    expression = {"Filters": [{"Name": "EndpointName", "Operator": leaf_operator, "Value": "ep"}]}
    for _ in range(depth - 1):
        expression = {"SubExpressions": [expression], "Operator": "Or"}
    return {"Resource": "Endpoint", "SearchExpression": expression}


def test_search_expressions_recurse_to_depth_three_and_beyond():
    for depth in (1, 3, 5):
        assert shapes.violations("Search", _search(depth)) == []
    found = shapes.violations("Search", _search(3, leaf_operator="Like"))
    path = ("SearchExpression", "SubExpressions", 0, "SubExpressions", 0, "Filters", 0, "Operator")
    assert kinds(found) == [(path, "enum")]
    assert "$defs" in shapes.input_schema("Search") and "SearchExpression" in shapes.input_schema("Search")["$defs"]


def test_union_structures_need_exactly_one_member():
    data = schemas.service_data()["shapes"]
    union = next(name for name, shape in data.items() if shape.get("union"))
    converted = schemas.Converter(schemas.service_data()).definition(union)
    assert converted["minProperties"] == converted["maxProperties"] == 1


# --- errors reading the files ---------------------------------------------------------------------

def test_corrupted_shapes_file_is_one_line_error_naming_it(shapes_copy):
    path = shapes_copy / "sagemaker" / "CreateEndpoint.json"
    path.write_text('{"input": {', encoding="utf-8")
    with pytest.raises(ShapesError) as excinfo:
        shapes.input_schema("CreateEndpoint")
    message = str(excinfo.value)
    assert "\n" not in message and str(path) in message and "corrupt" in message


def test_missing_and_unknown_operations_are_one_line_errors(shapes_copy):
    (shapes_copy / "sagemaker" / "DescribeEndpoint.json").unlink()
    with pytest.raises(ShapesError, match="DescribeEndpoint.json is missing"):
        shapes.output_schema("DescribeEndpoint")
    with pytest.raises(ShapesError, match="unknown operation 'NoSuchOperation'"):
        shapes.violations("NoSuchOperation", {})
    (shapes_copy / "sagemaker" / "CreateModel.json").write_text('{"input": {}}', encoding="utf-8")
    with pytest.raises(ShapesError, match="no 'output' schema"):
        shapes.output_schema("CreateModel")


def test_cli_check_exit_codes_name_the_differing_operations(shapes_copy, capsys):
    directory = str(shapes_copy)
    assert cli.main(["shapes", "--check", "--dir", directory]) == 0
    assert "OK" in capsys.readouterr().out

    tampered = shapes_copy / "sagemaker" / "UpdateEndpoint.json"
    document = json.loads(tampered.read_text(encoding="utf-8"))
    document["input"]["required"] = []
    tampered.write_text(json.dumps(document), encoding="utf-8")
    (shapes_copy / "sagemaker" / "AddTags.json").unlink()
    (shapes_copy / "sagemaker" / "RetiredOperation.json").write_text("{}", encoding="utf-8")
    assert cli.main(["shapes", "--check", "--dir", directory]) == 1
    out = capsys.readouterr().out.strip()
    assert "\n" not in out and "3 differ" in out
    for name in ("UpdateEndpoint", "AddTags", "RetiredOperation"):
        assert name in out
    assert set(shapes.drift()) == {"UpdateEndpoint", "AddTags", "RetiredOperation"}

    assert cli.main(["shapes", "--dir", directory]) == 0
    assert "3 files changed" in capsys.readouterr().out
    assert cli.main(["shapes", "--check", "--dir", directory]) == 0
    assert not (shapes_copy / "sagemaker" / "RetiredOperation.json").exists()
    assert shapes.violations("UpdateEndpoint", {})  # caches were refreshed with the regenerated files


def test_cli_check_of_a_missing_directory_is_a_one_line_usage_error(tmp_path, capsys):
    assert cli.main(["shapes", "--check", "--dir", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "nowhere" in err


def test_cli_regenerate_into_an_unwritable_place_is_a_one_line_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert cli.main(["shapes", "--dir", str(blocker)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "cannot write shapes" in err


def test_long_enum_messages_stay_short():
    found = shapes.violations("CreateEndpointConfig", {
        "EndpointConfigName": "c",
        "ProductionVariants": [{"VariantName": "v", "InstanceType": "ml.none", "InitialInstanceCount": 1}],
    })
    assert kinds(found) == [(("ProductionVariants", 0, "InstanceType"), "enum")]
    assert len(found[0].message) < 200


def test_check_ignores_unicode_class_patterns_made_with_another_unicode_version(shapes_copy, capsys):
    index_path = shapes_copy / "sagemaker" / "index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["unicode_version"] = "13.0.0"
    index_path.write_text(json.dumps(index), encoding="utf-8")
    tags_path = shapes_copy / "sagemaker" / "AddTags.json"
    tags = json.loads(tags_path.read_text(encoding="utf-8"))
    key = tags["input"]["$defs"]["Tag"]["properties"]["Key"]
    assert "\\p{L}" in key[shapes.MODEL_PATTERN]
    key["pattern"] = "^(?:[a-z]*)(?![\\s\\S])"  # as if fewer letters were assigned
    tags_path.write_text(json.dumps(tags), encoding="utf-8")
    assert shapes.check(shapes_copy) == []
    assert cli.main(["shapes", "--check", "--dir", str(shapes_copy)]) == 0
    assert "Unicode 13.0.0" in capsys.readouterr().out

    key["maxLength"] = 5  # anything else still counts
    tags_path.write_text(json.dumps(tags), encoding="utf-8")
    assert shapes.check(shapes_copy) == ["AddTags"]
    index["unicode_version"] = shapes.unicode_versions()[1]
    index_path.write_text(json.dumps(index), encoding="utf-8")
    key["maxLength"] = 128
    tags_path.write_text(json.dumps(tags), encoding="utf-8")
    assert shapes.check(shapes_copy) == ["AddTags"]  # same Unicode version: the pattern counts again


def test_regeneration_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert shapes.generate(first) == shapes.generate(second)
    for path in (first / "sagemaker").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert text == (second / "sagemaker" / path.name).read_text(encoding="utf-8")
        assert text.endswith("}\n")
    committed = shapes.SHAPES_DIR / "sagemaker" / "Search.json"
    assert committed.read_text(encoding="utf-8") == (first / "sagemaker" / "Search.json").read_text(encoding="utf-8")
