"""Search semantics: Boolean algebra, operator complements, sorting, pagination, value kinds."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from conformance import model, search_eval
from conformance.search_eval import matches, paginate, search
from conformance.strategies.search import search_requests

SETTINGS = settings(max_examples=50, deadline=None)
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
STATUSES = model.service_model().shape_for("EndpointStatus").enum


@st.composite
def endpoints(draw, index: int = 0) -> dict:
    """An Endpoint search document; timestamps as datetimes or epoch seconds (both are accepted)."""
    name = f"ep-{draw(st.sampled_from(['alpha', 'beta', 'gamma']))}-{index}"
    created = EPOCH + timedelta(seconds=draw(st.integers(0, 10**6)))
    modified = created + timedelta(seconds=draw(st.integers(0, 1000)))
    as_epoch = draw(st.booleans())
    stamp = (lambda d: d.timestamp()) if as_epoch else (lambda d: d)
    doc = {
        "EndpointName": name,
        "EndpointArn": f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{name}",
        "EndpointConfigName": f"config-{draw(st.integers(0, 3))}",
        "EndpointStatus": draw(st.sampled_from(STATUSES)),
        "CreationTime": stamp(created),
        "LastModifiedTime": stamp(modified),
        "ProductionVariants": [{"VariantName": f"v{i}", "CurrentInstanceCount": draw(st.integers(1, 5)),
                                "CurrentWeight": draw(st.sampled_from([0.0, 0.5, 1.0]))}
                               for i in range(draw(st.integers(1, 2)))],
        "Tags": [{"Key": k, "Value": draw(st.sampled_from(["red", "blue", ""]))}
                 for k in draw(st.lists(st.sampled_from(["team", "env", "a.b"]), unique=True))],
    }
    if draw(st.booleans()):
        doc["FailureReason"] = "boom"
    return doc


resource_lists = st.integers(0, 8).flatmap(lambda n: st.tuples(*[endpoints(i) for i in range(n)]).map(list))

FILTERS = st.sampled_from([
    {"Name": "EndpointName", "Operator": "Contains", "Value": "alpha"},
    {"Name": "EndpointStatus", "Operator": "Equals", "Value": "InService"},
    {"Name": "EndpointStatus", "Operator": "In", "Value": "Creating, Failed"},
    {"Name": "Tags.team", "Operator": "Equals", "Value": "red"},
    {"Name": "Tags.a.b", "Operator": "Exists"},
    {"Name": "FailureReason", "Operator": "NotExists"},
    {"Name": "ProductionVariants.CurrentInstanceCount", "Operator": "GreaterThanOrEqualTo", "Value": "3"},
    {"Name": "ProductionVariants.CurrentWeight", "Operator": "LessThan", "Value": "0.75"},
    {"Name": "CreationTime", "Operator": "GreaterThan", "Value": "2024-01-06T00:00:00"},
    {"Name": "EndpointConfigName", "Value": "config-1"},
])


def leaf(flt):
    return {"Filters": [flt]}


@SETTINGS
@given(resource_lists, FILTERS, FILTERS)
def test_and_or_follow_boolean_algebra(resources, f1, f2):
    for doc in resources:
        a, b = matches(leaf(f1), doc, "Endpoint"), matches(leaf(f2), doc, "Endpoint")
        assert matches({"SubExpressions": [leaf(f1), leaf(f2)], "Operator": "And"}, doc, "Endpoint") == (a and b)
        assert matches({"SubExpressions": [leaf(f1), leaf(f2)]}, doc, "Endpoint") == (a and b)  # default And
        assert matches({"Filters": [f1, f2], "Operator": "Or"}, doc, "Endpoint") == (a or b)
        assert matches({"Filters": [f1], "SubExpressions": [leaf(f2)], "Operator": "Or"}, doc, "Endpoint") == (a or b)


@SETTINGS
@given(resource_lists, st.sampled_from(["EndpointName", "EndpointStatus", "FailureReason", "Tags.team",
                                        "CreationTime", "LastModifiedTime"]))
def test_exists_and_not_exists_are_complements(resources, name):
    for doc in resources:
        exists = matches(leaf({"Name": name, "Operator": "Exists"}), doc, "Endpoint")
        assert exists != matches(leaf({"Name": name, "Operator": "NotExists"}), doc, "Endpoint")
        assert exists == bool(search_eval.resolve(doc, name))


@SETTINGS
@given(resource_lists, st.sampled_from(["EndpointStatus", "Tags.team", "EndpointConfigName", "CreationTime"]),
       st.data())
def test_not_equals_is_not_equals_where_the_property_exists(resources, name, data):
    for doc in resources:
        values = search_eval.resolve(doc, name)
        if not values:
            continue
        value = data.draw(st.sampled_from(["InService", "red", "config-1", "2024-01-06T00:00:00"]))
        if name == "CreationTime" and data.draw(st.booleans()):
            stamp = search_eval.parse_timestamp(values[0])
            value = datetime.fromtimestamp(stamp, tz=timezone.utc).strftime(search_eval.TIMESTAMP_FORMAT)
        equals = matches(leaf({"Name": name, "Operator": "Equals", "Value": value}), doc, "Endpoint")
        assert matches(leaf({"Name": name, "Operator": "NotEquals", "Value": value}), doc, "Endpoint") != equals
        assert matches(leaf({"Name": name, "Value": value}), doc, "Endpoint") == equals  # default Equals


@SETTINGS
@given(resource_lists)
def test_ordering_operators_partition_a_numeric_value(resources):
    for doc in resources:
        counts = [v["CurrentInstanceCount"] for v in doc["ProductionVariants"]]
        if len(counts) != 1:
            continue

        def holds(op, value="3"):
            return matches(leaf({"Name": "ProductionVariants.CurrentInstanceCount", "Operator": op, "Value": value}),
                           doc, "Endpoint")

        assert holds("LessThan") + holds("Equals") + holds("GreaterThan") == 1
        assert holds("LessThanOrEqualTo") == (holds("LessThan") or holds("Equals"))
        assert holds("GreaterThanOrEqualTo") == (holds("GreaterThan") or holds("Equals"))
        assert holds("Equals") == (counts[0] == 3) == holds("Equals", "3.0")


@SETTINGS
@given(resource_lists, st.sampled_from(["Ascending", "Descending", None]),
       st.sampled_from([None, "CreationTime", "EndpointName", "ProductionVariants.CurrentInstanceCount", "Tags.team"]),
       st.randoms(use_true_random=False))
def test_search_filters_then_sorts_and_ignores_insertion_order(resources, order, sort_by, rnd):
    request = {"Resource": "Endpoint", "SearchExpression": {"Filters": [{"Name": "EndpointName", "Operator": "Exists"}]}}
    if order:
        request["SortOrder"] = order
    if sort_by:
        request["SortBy"] = sort_by
    found = search(resources, request)
    shuffled = list(resources)
    rnd.shuffle(shuffled)
    assert search(shuffled, request) == found
    assert sorted(map(id, found)) == sorted(id(r) for r in resources if matches(request["SearchExpression"], r))
    keys = [search_eval.sort_key(r, sort_by or "LastModifiedTime", "Endpoint") for r in found]
    present = [k for k in keys if k is not None]
    assert keys[:len(present)] == present  # missing sort values come last
    descending = (order or "Descending") == "Descending"
    assert present == sorted(present, reverse=descending)


def test_default_sort_is_last_modified_time_descending():
    docs = [{"EndpointArn": f"arn:{i}", "LastModifiedTime": EPOCH + timedelta(minutes=m)}
            for i, m in enumerate([5, 1, 9])]
    assert [d["EndpointArn"] for d in search(docs, {"Resource": "Endpoint"})] == ["arn:2", "arn:0", "arn:1"]


@SETTINGS
@given(st.lists(st.integers(), max_size=40), st.integers(1, 12))
def test_pagination_returns_every_result_exactly_once(results, page_size):
    seen, token, pages = [], None, 0
    while True:
        page, token = paginate(results, page_size, token)
        assert len(page) <= page_size
        seen.extend(page)
        pages += 1
        if token is None:
            break
    assert seen == results
    assert pages == max(1, -(-len(results) // page_size))


@pytest.mark.parametrize("token", ["garbage", "c2VhcmNoLW9mZnNldDp4", "!!"])
def test_foreign_next_token_is_rejected(token):
    with pytest.raises(search_eval.InvalidNextToken):
        paginate([1, 2, 3], 1, token)


def test_tags_by_key_including_dotted_keys_and_empty_values():
    doc = {"Tags": [{"Key": "a.b", "Value": ""}, {"Key": "team", "Value": "red"}]}
    assert matches(leaf({"Name": "Tags.a.b", "Operator": "Exists"}), doc)
    assert matches(leaf({"Name": "Tags.team", "Value": "red"}), doc)
    assert not matches(leaf({"Name": "Tags.a", "Operator": "Exists"}), doc)
    assert matches(leaf({"Name": "Model.Tags.team", "Value": "red"}), {"Model": doc}, "Model")


def test_nested_filter_needs_one_element_satisfying_all():
    doc = {"ProductionVariants": [{"VariantName": "a", "CurrentInstanceCount": 1},
                                  {"VariantName": "b", "CurrentInstanceCount": 3}]}

    def nested(name, count):
        return {"NestedFilters": [{"NestedPropertyName": "ProductionVariants", "Filters": [
            {"Name": "ProductionVariants.VariantName", "Value": name},
            {"Name": "ProductionVariants.CurrentInstanceCount", "Operator": "GreaterThan", "Value": count}]}]}

    assert matches(nested("b", "2"), doc, "Endpoint")
    assert not matches(nested("a", "2"), doc, "Endpoint")
    # Without nesting, each filter may be satisfied by a different element.
    flat = {"Filters": nested("a", "2")["NestedFilters"][0]["Filters"]}
    assert matches(flat, doc, "Endpoint")


def test_text_operators_and_kinds():
    doc = {"EndpointName": "My-Endpoint", "CreationTime": EPOCH, "EndpointStatus": "InService"}
    assert matches(leaf({"Name": "EndpointName", "Operator": "Contains", "Value": "-End"}), doc, "Endpoint")
    assert not matches(leaf({"Name": "EndpointName", "Operator": "Contains", "Value": "end"}), doc, "Endpoint")
    assert matches(leaf({"Name": "EndpointStatus", "Operator": "In", "Value": "Failed,InService"}), doc, "Endpoint")
    assert not matches(leaf({"Name": "EndpointName", "Operator": "GreaterThan", "Value": "A"}), doc, "Endpoint")
    assert matches(leaf({"Name": "CreationTime", "Value": "2024-01-01T00:00:00"}), doc, "Endpoint")
    as_epoch = dict(doc, CreationTime=EPOCH.timestamp())
    assert matches(leaf({"Name": "CreationTime", "Value": "2024-01-01T00:00:00"}), as_epoch, "Endpoint")
    assert matches(leaf({"Name": "CreationTime", "Value": "2024-01-01T00:00:00"}), as_epoch)  # kind inferred
    assert not matches(leaf({"Name": "EndpointName", "Operator": "Equals"}), doc, "Endpoint")  # no Value


def test_every_model_operator_has_semantics():
    doc = {"EndpointName": "x", "ProductionVariants": [{"CurrentInstanceCount": 2}]}
    for operator in search_eval.operators():
        name = "EndpointName" if operator in search_eval.TEXT_ONLY_OPERATORS or "Equals" in operator \
            else "ProductionVariants.CurrentInstanceCount"
        value = "x" if name == "EndpointName" else "2"
        outcome = matches(leaf({"Name": name, "Operator": operator, "Value": value}), doc, "Endpoint")
        expected = operator not in ("NotEquals", "NotExists", "GreaterThan", "LessThan")
        assert outcome == expected, operator


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_generated_requests_against_their_resources(data):
    resources = data.draw(resource_lists.filter(bool))
    request = data.draw(search_requests("Endpoint", resources=resources))
    found = search(resources, request)

    def selected(r):
        return matches(request.get("SearchExpression"), r, "Endpoint") and search_eval.visible(
            r, request.get("VisibilityConditions") or [])

    assert all(selected(r) for r in found)
    assert len(found) == sum(selected(r) for r in resources)


def test_generated_requests_often_match_something():
    rnd = random.Random(7)
    hits = 0
    resources = [{"EndpointName": f"ep-{i}", "EndpointArn": f"arn:{i}", "EndpointStatus": rnd.choice(STATUSES),
                  "LastModifiedTime": EPOCH + timedelta(seconds=i), "Tags": [{"Key": "team", "Value": str(i % 2)}],
                  "ProductionVariants": [{"VariantName": "v", "CurrentInstanceCount": i}]} for i in range(6)]

    # A share of generated requests, not a property of each: pinned, as free draws fell below it ~1 run in 15.
    @seed(7)
    @settings(max_examples=60, deadline=None, database=None)
    @given(search_requests("Endpoint", resources=resources))
    def count(request):
        nonlocal hits
        hits += bool(search(resources, request))

    count()
    assert hits >= 10, hits


def test_timestamps_compare_to_the_second():
    doc = {"CreationTime": EPOCH.timestamp() + 0.75}
    assert matches(leaf({"Name": "CreationTime", "Value": "2024-01-01T00:00:00"}), doc, "Endpoint")
    assert not matches(leaf({"Name": "CreationTime", "Operator": "GreaterThan", "Value": "2024-01-01T00:00:00"}),
                       doc, "Endpoint")
    later = {"CreationTime": EPOCH + timedelta(seconds=1, microseconds=5)}
    assert matches(leaf({"Name": "CreationTime", "Operator": "GreaterThan", "Value": "2024-01-01T00:00:00"}),
                   later, "Endpoint")


def test_visibility_conditions_and_cross_account():
    docs = [{"EndpointArn": "arn:1", "Tags": [{"Key": "team", "Value": "red"}]},
            {"EndpointArn": "arn:2", "Tags": [{"Key": "team", "Value": "blue"}]},
            {"Model": {"ModelArn": "arn:3", "Tags": [{"Key": "team", "Value": "red"}]}}]
    request = {"Resource": "Endpoint", "VisibilityConditions": [{"Key": "Tags.team", "Value": "red"}]}
    assert [d.get("EndpointArn") or d["Model"]["ModelArn"] for d in search(docs, request)] == ["arn:1", "arn:3"]
    assert search(docs, {"Resource": "Endpoint", "CrossAccountFilterOption": "CrossAccount"}) == []
    assert len(search(docs, {"Resource": "Endpoint", "CrossAccountFilterOption": "SameAccount"})) == 3
