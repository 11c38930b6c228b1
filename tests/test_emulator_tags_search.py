"""Tags and Search on the reference target."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conformance.emulator import timing
from test_emulator_support import (  # noqa: F401 - fixtures
    emulator, error_code, make_config, make_model, sm, status_code,
)


def all_tags(sm, arn: str, page_size: int = 50) -> list:
    tags, kwargs = [], {"ResourceArn": arn, "MaxResults": page_size}
    while True:
        page = sm.list_tags(**kwargs)
        tags += page["Tags"]
        if "NextToken" not in page:
            return tags
        kwargs["NextToken"] = page["NextToken"]


def test_tags_given_at_creation_are_listed(sm, emulator):
    arn = make_model(sm, "m", Tags=[{"Key": "team", "Value": "a"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    config_arn = make_config(sm, "c", "m", Tags=[{"Key": "k", "Value": "v"}])
    assert sm.list_tags(ResourceArn=config_arn)["Tags"] == [{"Key": "k", "Value": "v"}]
    endpoint_arn = sm.create_endpoint(EndpointName="e", EndpointConfigName="c",
                                      Tags=[{"Key": "x", "Value": "y"}])["EndpointArn"]
    assert sm.list_tags(ResourceArn=endpoint_arn)["Tags"] == [{"Key": "x", "Value": "y"}]


def test_tags_add_overwrites_existing_key(sm):
    arn = make_model(sm, "m", Tags=[{"Key": "team", "Value": "a"}])
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}])
    assert sorted((t["Key"], t["Value"]) for t in all_tags(sm, arn)) == [("env", "dev"), ("team", "b")]


def test_tags_delete_absent_key_harmless(sm):
    arn = make_model(sm, "m", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    sm.delete_tags(ResourceArn=arn, TagKeys=["b", "never-there"])
    assert all_tags(sm, arn) == [{"Key": "a", "Value": "1"}]


def test_tags_limit_50_per_resource(sm):
    arn = make_model(sm, "m", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(45)])
    with pytest.raises(ClientError) as err:
        sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"n{i}", "Value": "v"} for i in range(6)])
    assert error_code(err) == "ValidationException"
    assert len(all_tags(sm, arn)) == 45  # unchanged
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "w"} for i in range(40)]  # overwrites count once
                + [{"Key": f"n{i}", "Value": "v"} for i in range(5)])
    assert len(all_tags(sm, arn)) == 50


@pytest.mark.parametrize("tags", [
    [{"Key": "aws:reserved", "Value": "v"}],
    [{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}],
    [{"Key": "", "Value": "v"}],
    [{"Key": "k" * 129, "Value": "v"}],
], ids=["aws-prefix", "duplicate", "empty-key", "long-key"])
def test_tags_add_invalid_rejected(sm, tags):
    arn = make_model(sm, "m")
    with pytest.raises(ClientError) as err:
        sm.add_tags(ResourceArn=arn, Tags=tags)
    assert error_code(err) == "ValidationException"
    assert sm.list_tags(ResourceArn=arn)["Tags"] == []


@pytest.mark.parametrize("call", ["add", "delete", "list"])
def test_tags_unknown_resource_rejected(sm, call):
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model/nothing-here"
    calls = {"add": lambda: sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]),
             "delete": lambda: sm.delete_tags(ResourceArn=arn, TagKeys=["k"]),
             "list": lambda: sm.list_tags(ResourceArn=arn)}
    with pytest.raises(ClientError) as err:
        calls[call]()
    assert 400 <= status_code(err) < 500


def test_tags_pagination_complete(sm):
    arn = make_model(sm, "m", Tags=[{"Key": f"k{i:02d}", "Value": str(i)} for i in range(50)])
    first = sm.list_tags(ResourceArn=arn)
    assert len(first["Tags"]) == 50 and "NextToken" not in first
    sm.delete_tags(ResourceArn=arn, TagKeys=[f"k{i:02d}" for i in range(0, 50, 2)])
    listed = all_tags(sm, arn)
    assert [t["Key"] for t in listed] == [f"k{i:02d}" for i in range(1, 50, 2)]


def test_tags_removed_with_resource(sm):
    arn = make_model(sm, "m", Tags=[{"Key": "a", "Value": "1"}])
    sm.delete_model(ModelName="m")
    make_model(sm, "m")
    assert sm.list_tags(ResourceArn=arn)["Tags"] == []


# ---------------------------------------------------------------------- search

def _search_names(sm, **request) -> list:
    names, kwargs = [], dict(request)
    while True:
        page = sm.search(**kwargs)
        for record in page["Results"]:
            if "Endpoint" in record:
                names.append(record["Endpoint"]["EndpointName"])
            else:
                names.append(record["Model"]["Model"]["ModelName"])
        if "NextToken" not in page:
            return names
        kwargs["NextToken"] = page["NextToken"]


@pytest.fixture
def three_endpoints(sm, emulator):
    make_model(sm, "m")
    make_config(sm, "c", "m")
    for index, team in enumerate(["red", "blue", "red"]):
        sm.create_endpoint(EndpointName=f"ep-{index}", EndpointConfigName="c", Tags=[{"Key": "team", "Value": team}])
        emulator.clock.advance(10)
    emulator.clock.advance(timing.CREATE_SECONDS)
    return ["ep-0", "ep-1", "ep-2"]


def test_search_filters_default_sort_and_pagination(sm, three_endpoints):
    everything = _search_names(sm, Resource="Endpoint", MaxResults=1)
    assert sorted(everything) == three_endpoints and len(everything) == 3
    red = _search_names(sm, Resource="Endpoint",
                        SearchExpression={"Filters": [{"Name": "Tags.team", "Value": "red"}]})  # default Equals
    assert sorted(red) == ["ep-0", "ep-2"]
    ascending = _search_names(sm, Resource="Endpoint", SortBy="EndpointName", SortOrder="Ascending")
    assert ascending == three_endpoints
    descending = _search_names(sm, Resource="Endpoint", SortBy="EndpointName", SortOrder="Descending")
    assert descending == list(reversed(three_endpoints))


def test_search_sub_expressions_and_contains(sm, three_endpoints):
    either = _search_names(sm, Resource="Endpoint", SearchExpression={
        "Operator": "Or",
        "SubExpressions": [{"Filters": [{"Name": "EndpointName", "Operator": "Equals", "Value": "ep-0"}]},
                           {"Filters": [{"Name": "EndpointName", "Operator": "Equals", "Value": "ep-1"}]}]})
    assert sorted(either) == ["ep-0", "ep-1"]
    contains = _search_names(sm, Resource="Endpoint", SearchExpression={
        "Filters": [{"Name": "EndpointName", "Operator": "Contains", "Value": "-2"}]})
    assert contains == ["ep-2"]
    with pytest.raises(ClientError) as err:
        sm.search(Resource="Endpoint", SearchExpression={"Filters": [
            {"Name": "EndpointName", "Operator": "Contains", "Value": "ep"},
            {"Name": "EndpointConfigName", "Operator": "Contains", "Value": "c"}]})
    assert error_code(err) == "ValidationException"


def test_search_models_by_tag(sm):
    make_model(sm, "alpha", Tags=[{"Key": "stage", "Value": "prod"}])
    make_model(sm, "beta", Tags=[{"Key": "stage", "Value": "dev"}])
    found = _search_names(sm, Resource="Model", SearchExpression={
        "Filters": [{"Name": "Model.Tags.stage", "Operator": "Equals", "Value": "prod"}]})
    assert found == ["alpha"]


def test_search_unsupported_resource_not_implemented(sm):
    with pytest.raises(ClientError) as err:
        sm.search(Resource="TrainingJob")
    assert error_code(err) == "NotImplementedException"
    assert status_code(err) == 400
