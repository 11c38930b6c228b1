"""The fuzz bridge's own parts: OpenAPI hoisting, selection, transport, not-implemented detection, reproduction."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from conformance.errors import UsageError
from conformance.fuzz.engine import client_setup, not_implemented_detail, operation_seed, reproduction
from conformance.fuzz.openapi import openapi_document
from conformance.fuzz.selection import is_read_only, parse_patterns, select_operations
from conformance.fuzz.suite_support import examples_per_operation, is_wide, operations_for_run, wide_run_requested
from conformance.fuzz.transport import AwsJsonTransport, Exchange

OPERATIONS = ["CreateEndpoint", "DeleteEndpoint", "DescribeEndpoint", "ListEndpoints", "Search", "UpdateEndpoint"]


def _schema(definitions: dict, root: str) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"#/$defs/{root}", "$defs": definitions}


def test_openapi_hoists_defs_and_rewrites_refs():
    tag = {"type": "object", "properties": {"Key": {"type": "string"}}}
    recursive = {"type": "object", "properties": {"Sub": {"$ref": "#/$defs/Expr"}, "Tag": {"$ref": "#/$defs/Tag"}}}
    schemas = {
        "A": _schema({"AInput": {"type": "object", "properties": {"T": {"$ref": "#/$defs/Tag"}}}, "Tag": tag}, "AInput"),
        "B": _schema({"Expr": recursive, "Tag": tag}, "Expr"),
    }
    document = openapi_document(["A", "B"], input_schema=schemas.__getitem__, output_schema=lambda op: {"type": "object"})
    components = document["components"]["schemas"]
    assert components["Tag"] == tag  # shared by name when identical
    assert components["Expr"]["properties"]["Sub"] == {"$ref": "#/components/schemas/Expr"}
    request = document["paths"]["/B"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert request == {"$ref": "#/components/schemas/Expr"}
    assert "$defs" not in json.dumps(document) and "$schema" not in json.dumps(document)


def test_openapi_keeps_conflicting_definitions_apart():
    first = _schema({"Thing": {"type": "string"}}, "Thing")
    second = _schema({"Thing": {"type": "integer"}}, "Thing")
    schemas = {"A": first, "B": second}
    document = openapi_document(["A", "B"], input_schema=schemas.__getitem__, output_schema=lambda op: {})
    components = document["components"]["schemas"]
    request_b = document["paths"]["/B"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert components["Thing"] == {"type": "string"}
    assert components[request_b["$ref"].rsplit("/", 1)[-1]] == {"type": "integer"}


def test_openapi_document_loads_in_schemathesis():
    import schemathesis

    schema = _schema({"In": {"type": "object", "properties": {"N": {"type": "integer", "minimum": 1}}}}, "In")
    document = openapi_document(["Op"], input_schema=lambda op: schema, output_schema=lambda op: {"type": "object"})
    api = schemathesis.openapi.from_dict(document, config=schemathesis.Config())
    assert api["/Op"]["POST"].definition.raw["x-amz-target"] == "SageMaker.Op"


@pytest.mark.parametrize(
    ("operation", "read_only"),
    [("DescribeEndpoint", True), ("ListTags", True), ("Search", True), ("GetScalingConfigurationRecommendation", True),
     ("BatchDescribeModelPackage", True), ("CreateEndpoint", False), ("SearchTrainingPlanOfferings", True),
     ("DeleteTags", False), ("StopTrainingJob", False)],
)
def test_read_only_by_documented_prefixes(operation, read_only):
    assert is_read_only(operation) is read_only


def test_selection_patterns_are_case_insensitive_globs():
    assert select_operations(OPERATIONS, patterns=parse_patterns("describe*, CreateEndpoint")) == [
        "CreateEndpoint", "DescribeEndpoint"]


def test_selection_pattern_matching_nothing_is_a_usage_error():
    with pytest.raises(UsageError, match="NoSuchOperation"):
        select_operations(OPERATIONS, patterns=["NoSuchOperation"])
    with pytest.raises(UsageError):
        parse_patterns(" , ")


def test_selection_sample_is_seeded_and_stable():
    first = select_operations(OPERATIONS, sample=3, seed=7)
    assert first == select_operations(OPERATIONS, sample=3, seed=7)
    assert len(first) == 3 and first == sorted(first)
    assert any(select_operations(OPERATIONS, sample=3, seed=s) != first for s in range(8, 20))


def test_real_aws_fuzzes_only_read_only_operations_unless_opted_in():
    safe = operations_for_run(OPERATIONS, patterns="*", markexpr=None, target_kind="aws", allow_mutating=False, seed=0)
    assert safe == ["DescribeEndpoint", "ListEndpoints", "Search"]
    everything = operations_for_run(OPERATIONS, patterns="*", markexpr=None, target_kind="aws", allow_mutating=True, seed=0)
    assert everything == OPERATIONS
    embedded = operations_for_run(OPERATIONS, patterns=None, markexpr="fuzz", target_kind="moto", allow_mutating=False, seed=0)
    assert embedded == OPERATIONS


def test_default_run_takes_a_sample_and_fuzz_marker_widens_it():
    sample = operations_for_run(OPERATIONS, patterns=None, markexpr="", target_kind="reference",
                                allow_mutating=False, seed=1, sample=2, cited=["Search", "UpdateEndpoint"], cited_sample=1)
    assert len(sample) == 3 and {"Search", "UpdateEndpoint"} & set(sample)
    assert sample == operations_for_run(OPERATIONS, patterns=None, markexpr="", target_kind="reference",
                                        allow_mutating=False, seed=1, sample=2, cited=["Search", "UpdateEndpoint"],
                                        cited_sample=1)
    assert wide_run_requested("fuzz") and wide_run_requested("search or fuzz")
    assert not wide_run_requested("not fuzz") and not wide_run_requested("fuzzy") and not wide_run_requested(None)


def test_operation_seed_depends_on_seed_and_operation_only():
    assert operation_seed(3, "CreateEndpoint") == operation_seed(3, "CreateEndpoint")
    assert operation_seed(3, "CreateEndpoint") != operation_seed(4, "CreateEndpoint")
    assert operation_seed(3, "CreateEndpoint") != operation_seed(3, "DeleteEndpoint")


def _exchange(status, body, raised=None):
    return Exchange(operation="UpdateEndpoint", url="http://x/", body=b"{}", status_code=status,
                    content=json.dumps(body).encode(), raised=raised)


def test_not_implemented_signals():
    assert not_implemented_detail(_exchange(500, {}, raised=NotImplementedError("The update_endpoint action")))
    emulator = {"__type": "NotImplementedException", "message": "SageMaker.UpdateEndpoint is not implemented"}
    assert not_implemented_detail(_exchange(400, emulator))
    assert not_implemented_detail(_exchange(501, {}))
    assert not not_implemented_detail(_exchange(400, {"__type": "ValidationException", "message": "Could not find"}))
    assert not not_implemented_detail(_exchange(500, {"__type": "InternalFailure", "message": "boom"}))
    assert not not_implemented_detail(_exchange(200, {"message": "NotImplemented"}))


@pytest.fixture
def moto_client():
    with mock_aws():
        yield boto3.client("sagemaker", region_name="us-east-1", config=Config(parameter_validation=False))


def test_transport_sends_raw_bodies_and_keeps_the_client_usable(moto_client):
    transport = AwsJsonTransport(moto_client)
    created = transport.send("CreateModel", {"ModelName": "m1", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r",
                                             "PrimaryContainer": {"Image": "i"}})
    assert created.status_code == 200 and b"ModelArn" in created.content
    missing = transport.send("DescribeEndpoint", {"EndpointName": "nope"})
    assert missing.status_code == 400 and missing.error_type() == "ValidationException"
    unsupported = transport.send("UpdateEndpoint", {"EndpointName": "e", "EndpointConfigName": "c"})
    assert isinstance(unsupported.raised, NotImplementedError) and not_implemented_detail(unsupported)
    # The hooks are inert for ordinary calls: the client still parses and validates as usual.
    assert moto_client.describe_model(ModelName="m1")["ModelName"] == "m1"
    assert AwsJsonTransport(moto_client)._hooks is transport._hooks


def test_reproduction_replays_the_exact_body(moto_client):
    transport = AwsJsonTransport(moto_client)
    exchange = transport.send("DeleteEndpoint", b"false")  # moto crashes on a non-object body
    assert exchange.status_code == 500
    script = reproduction(exchange, case_is_positive=False, setup=client_setup("moto", exchange.url))
    assert "mock_aws().start()" in script and "b'false'" in script
    runnable = script.replace("mock_aws().start()", "pass  # already mocked by the test")
    namespace: dict = {}
    with pytest.raises(AttributeError, match="'bool' object has no attribute 'get'"):
        exec(compile(runnable, "<reproduction>", "exec"), namespace)  # noqa: S102 - the point is that it runs


def test_default_sample_uses_fewer_examples_than_a_wide_run():
    assert is_wide("Describe*", None) and is_wide(None, "fuzz") and not is_wide(None, "deployments")
    assert examples_per_operation(100, wide=True) == 100
    assert examples_per_operation(100, wide=False) < 100
    assert examples_per_operation(2, wide=False) == 2


def test_null_members_read_as_absent_do_not_make_input_invalid():
    from conformance.fuzz.engine import drop_nulls, valid_when_nulls_absent

    assert drop_nulls({"A": None, "B": {"C": None, "D": 1}, "E": [None, {"F": None}]}) == {"B": {"D": 1}, "E": [None, {}]}
    assert valid_when_nulls_absent("ListEndpoints", {"NextToken": None})
    assert not valid_when_nulls_absent("ListEndpoints", {"NextToken": None, "MaxResults": 0})  # still out of bounds
    assert not valid_when_nulls_absent("ListEndpoints", {"MaxResults": 0})  # no null at all
    assert not valid_when_nulls_absent("DescribeEndpoint", {"EndpointName": None})  # a required member is missing


def test_fuzzed_operations_are_those_both_the_shapes_and_botocore_know(monkeypatch):
    """A botocore newer (or older) than the committed shapes must not make the fuzzer ask for a missing schema."""
    from conformance import model, shapes
    from conformance.fuzz import selection

    committed = shapes.operations()
    monkeypatch.setattr(shapes, "operations", lambda directory=None: committed[1:])
    monkeypatch.setattr(model, "operation_names", lambda: committed[:-1] + ["AddSomethingNew"])
    selected = selection.operation_names()
    assert selected == sorted(committed[1:-1])
