"""The search machine: Search over the models and endpoints the machine created.

Every example tags what it creates with its own marker. The oracle's documents
are the target's own Search records of those resources (fetched with a tag
filter, and checked to be exactly the created set); each generated request
(``conformance.strategies.search_requests``, drawing names and values from those
documents) is then answered by the target and by ``conformance.search_eval`` over
the documents, and the two must agree. Results of other runs sharing the account
are ignored: only the created resources are compared. Pagination always follows
NextToken with a small MaxResults; order is checked on the sort keys (ties may
break either way). The documented limits are checked with requests that break
exactly one of them.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from conformance import search_eval
from conformance.documented import contains_limit_message
from conformance.machines import resources
from conformance.machines.session import Outcome, Session, begin_example
from conformance.model import member_shape
from conformance.strategies.search import search_requests
from conformance.strategies.unwrapped import draw_from

MARKER_KEY = "sagemaker-conformance:search-example"
RESOURCE_TYPES = ("Model", "Endpoint")
NAME_PROPERTY = {"Model": "Model.ModelName", "Endpoint": "EndpointName"}
TAG_PROPERTY = {"Model": "Model.Tags.", "Endpoint": "Tags."}
# Properties each record type has, with distinct values across what an example creates.
SORTABLE = {"Model": ("Model.ModelName", "Model.CreationTime"),
            "Endpoint": ("EndpointName", "CreationTime", "LastModifiedTime")}
LIST_MAX = member_shape("Search", "SearchExpression.Filters").metadata["max"]
ELEMENTS_MAX = 50  # the SearchExpression documentation's recursive limit
MAX_PAGES = 200


def record_name(resource_type: str, document: dict) -> Optional[str]:
    if resource_type == "Model":
        return (document.get("Model") or {}).get("ModelName")
    return document.get("EndpointName")


# Drawn every example; module-level since Hypothesis checks every new strategy object on its first draw.
_ORDERING_OPERATORS = st.sampled_from(sorted(search_eval.ORDERING_OPERATORS))
_TEXT_ONLY_OPERATORS = st.sampled_from(sorted(search_eval.TEXT_ONLY_OPERATORS))


class SearchMachine(RuleBasedStateMachine):
    RULES = (
        "search.results.match-expression", "search.filter.default-operator-equals", "search.contains-at-most-once",
        "search.at-most-50-elements", "search.expression.at-most-20-per-list", "search.operator-not-for-text",
        "search.operator-only-for-text", "search.sort.by-property-and-order", "search.sort.defaults",
        "search.pagination.complete",
    )
    OPERATIONS = ("CreateModel", "CreateEndpointConfig", "CreateEndpoint", "Search")

    def __init__(self, run) -> None:
        super().__init__()
        self.s = Session(run)
        self.cleanup = resources.Cleanup(self.s)
        self.marker = ""
        self.names: Dict[str, List[str]] = {kind: [] for kind in RESOURCE_TYPES}
        self.documents: Dict[str, List[dict]] = {kind: [] for kind in RESOURCE_TYPES}
        self.stale = True
        begin_example(self, self.create_resources)

    # ------------------------------------------------------------ helpers
    def _tags(self) -> List[dict]:
        return resources.run_tags(self.s.target) + [{"Key": MARKER_KEY, "Value": self.marker}]

    def _create_model(self, name: str) -> None:
        out = self.s.call("CreateModel", **resources.model_params(name, True, self._tags()))
        if not out.ok:
            raise AssertionError(f"the suite could not create its model: {out.describe()}")
        self.cleanup.add("DeleteModel", name)
        self.names["Model"].append(name)
        self.stale = True
        self.s.sleep(1)  # distinct LastModifiedTime values make the default order observable

    def _search_all(self, request: dict, page_size: int) -> Tuple[Optional[Outcome], List[dict]]:
        """Every page of ``request``; (the failing answer or None, all records in order)."""
        records: List[dict] = []
        token = None
        for _ in range(MAX_PAGES):
            params = dict(request, MaxResults=page_size)
            if token:
                params["NextToken"] = token
            out = self.s.call("Search", **params)
            if not out.ok:
                return out, records
            records += [r.get(request["Resource"]) or {} for r in out.get("Results") or []]
            token = out.get("NextToken")
            if not token:
                break
        return None, records

    def _refresh(self, resource_type: str) -> List[dict]:
        """The target's records of what this example created: the oracle's documents."""
        if not self.stale and self.documents[resource_type]:
            return self.documents[resource_type]
        request = {"Resource": resource_type, "SearchExpression": {"Filters": [
            {"Name": TAG_PROPERTY[resource_type] + MARKER_KEY, "Operator": "Equals", "Value": self.marker}]}}
        failed, records = self._search_all(request, 2)  # small pages: pagination is exercised every time
        self.s.check("search.results.match-expression", failed is None,
                     f"Search for the resources tagged {MARKER_KEY}={self.marker}: {failed and failed.describe()}")
        names = [record_name(resource_type, r) or "" for r in records]
        self.s.check("search.pagination.complete", len(names) == len(set(names)),
                     f"paging by 2 returned some resources more than once: {names}")
        found = sorted(names)
        self.s.check("search.results.match-expression", found == sorted(self.names[resource_type]),
                     f"Search for the {resource_type} resources tagged {MARKER_KEY}={self.marker} found {found}, "
                     f"created {sorted(self.names[resource_type])}")
        self.documents[resource_type] = [r for r in records if record_name(resource_type, r) in self.names[resource_type]]
        self._check_order(request, self.documents[resource_type])  # no SortBy/SortOrder: the documented defaults
        self.stale = False
        return self.documents[resource_type]

    def _ours(self, resource_type: str, records: List[dict]) -> List[dict]:
        return [r for r in records if record_name(resource_type, r) in self.names[resource_type]]

    def _check_order(self, request: dict, records: List[dict]) -> None:
        sort_by = request.get("SortBy") or search_eval.DEFAULT_SORT_BY
        order = request.get("SortOrder") or search_eval.DEFAULT_SORT_ORDER
        resource_type = request["Resource"]
        keys = [search_eval.sort_key(r, sort_by, resource_type) for r in records]
        present = [k for k in keys if k is not None]
        pairs = list(zip(present, present[1:]))
        ordered = all(a >= b for a, b in pairs) if order == "Descending" else all(a <= b for a, b in pairs)
        rule_id = "search.sort.by-property-and-order" if request.get("SortBy") or request.get("SortOrder") \
            else "search.sort.defaults"
        self.s.check(rule_id, ordered,
                     f"results are not ordered by {sort_by} {order}: sort keys {[k[1] if k else None for k in keys]}")

    def _expect_rejected(self, rule_id: str, request: dict, why: str, message: str = "") -> None:
        with self.s.deciding(rule_id):
            out = self.s.call("Search", **request)
            self.s.check(rule_id, out.rejected and out.error_code == "ValidationException"
                         and (not message or message in out.message),
                         f"Search with {why}: {out.describe()}" + (f" (documented message: {message!r})" if message else ""))

    # -------------------------------------------------------------- steps
    def create_resources(self) -> None:
        """How every example begins: two models whose names make Equals and Contains differ, and an endpoint."""
        self.marker = self.s.run.unique_name("search")
        first = self.s.run.unique_name("smodel")
        self._create_model(first)
        self._create_model((first + "-b")[:63])
        config = self.s.run.unique_name("scfg")
        out = self.s.call("CreateEndpointConfig", **resources.config_params(config, first, 1, 1.0, self._tags()))
        if not out.ok:
            raise AssertionError(f"the suite could not create its endpoint config: {out.describe()}")
        self.cleanup.add("DeleteEndpointConfig", config)
        for _ in range(2):  # two, a second apart: the default order (LastModifiedTime) becomes observable
            endpoint = self.s.run.unique_name("sep")
            out = self.s.call("CreateEndpoint", EndpointName=endpoint, EndpointConfigName=config, Tags=self._tags())
            if out.ok:
                self.cleanup.add("DeleteEndpoint", endpoint)
                self.names["Endpoint"].append(endpoint)
                self.stale = True
            self.s.sleep(1)
        self._sorted("Model", SORTABLE["Model"][0], "Ascending")

    @precondition(lambda self: len(self.names["Model"]) < 6)
    @rule()
    def create_model(self):
        self._create_model(self.s.run.unique_name("smodel"))

    @rule(data=st.data(), resource_type=st.sampled_from(RESOURCE_TYPES), page_size=st.integers(1, 3))
    def search(self, data, resource_type, page_size):
        """A generated valid request: the target's matches among ours equal the oracle's, once each, in order."""
        rules = ("search.results.match-expression", "search.pagination.complete", "search.sort.by-property-and-order",
                 "search.sort.defaults")
        if self.s.skip_unsupported(["Search"], rules):
            return
        with self.s.deciding(*rules):
            documents = self._refresh(resource_type)
            request = draw_from(data, search_requests(resource_type, resources=documents))
            request.pop("MaxResults", None)
            request.pop("NextToken", None)
            failed, records = self._search_all(request, page_size)
            self.s.check("search.results.match-expression", failed is None,
                         f"a valid Search was refused: {failed and failed.describe()}")
            ours = [record_name(resource_type, r) for r in self._ours(resource_type, records)]
            self.s.check("search.pagination.complete", len(ours) == len(set(ours)),
                         f"paging by {page_size} returned some resources more than once: {ours}")
            expected = sorted(record_name(resource_type, r) for r in search_eval.search(documents, request))
            self.s.check("search.results.match-expression", sorted(set(ours)) == expected,
                         f"Search returned {sorted(set(ours))} of this example's resources; the expression matches "
                         f"{expected}")
            self._check_order(request, self._ours(resource_type, records))

    @rule(resource_type=st.sampled_from(RESOURCE_TYPES), choice=st.integers(0, 2),
          order=st.sampled_from(["Ascending", "Descending"]))
    def search_sorted(self, resource_type, choice, order):
        """Everything this example created, sorted by a property of each kind."""
        properties = SORTABLE[resource_type]
        self._sorted(resource_type, properties[choice % len(properties)], order)

    def _sorted(self, resource_type: str, sort_by: str, order: str) -> None:
        rule_id = "search.sort.by-property-and-order"
        if self.s.skip_unsupported(["Search"], [rule_id]):
            return
        with self.s.deciding(rule_id):
            request = {"Resource": resource_type, "SortBy": sort_by, "SortOrder": order, "SearchExpression": {
                "Filters": [{"Name": TAG_PROPERTY[resource_type] + MARKER_KEY, "Operator": "Equals",
                             "Value": self.marker}]}}
            failed, records = self._search_all(request, 10)
            self.s.check(rule_id, failed is None, f"a sorted Search was refused: {failed and failed.describe()}")
            self._check_order(request, self._ours(resource_type, records))

    @rule(match=st.booleans())
    def search_nested_filter(self, match):
        """A NestedFilter on the endpoints' variants: all of them match its variant name, none match another."""
        rule_id = "search.results.match-expression"
        if self.s.skip_unsupported(["Search"], [rule_id]) or not self.names["Endpoint"]:
            return
        variant = resources.VARIANT if match else resources.VARIANT + "-absent"
        with self.s.deciding(rule_id):
            request = {"Resource": "Endpoint", "SearchExpression": {
                "Filters": [{"Name": TAG_PROPERTY["Endpoint"] + MARKER_KEY, "Operator": "Equals", "Value": self.marker}],
                "NestedFilters": [{"NestedPropertyName": "ProductionVariants", "Filters": [
                    {"Name": "ProductionVariants.VariantName", "Operator": "Equals", "Value": variant}]}]}}
            failed, records = self._search_all(request, 10)
            ours = sorted(record_name("Endpoint", r) for r in self._ours("Endpoint", records))
            expected = sorted(self.names["Endpoint"]) if match else []
            self.s.check(rule_id, failed is None and ours == expected,
                         f"a NestedFilter on ProductionVariants.VariantName = {variant!r} matched {ours}, expected "
                         f"{expected} ({failed.describe() if failed else 'answered'})")

    @rule()
    def search_without_operator(self):
        """A Filter with a Value and no Operator is Equals: it must not match a name that merely contains it."""
        rule_id = "search.filter.default-operator-equals"
        if self.s.skip_unsupported(["Search"], [rule_id]):
            return
        first = self.names["Model"][0]
        with self.s.deciding(rule_id):
            request = {"Resource": "Model", "SearchExpression": {"Filters": [
                {"Name": NAME_PROPERTY["Model"], "Value": first}]}}
            failed, records = self._search_all(request, 10)
            ours = sorted(record_name("Model", r) for r in self._ours("Model", records))
            self.s.check(rule_id, failed is None and ours == [first],
                         f"a Filter on {NAME_PROPERTY['Model']} with Value {first!r} and no Operator matched {ours} "
                         f"({failed.describe() if failed else 'answered'})")

    @rule(data=st.data())
    def search_breaking_limits(self, data):
        """One request per documented limit, each breaking only that limit."""
        name = NAME_PROPERTY["Model"]
        base = {"Resource": "Model"}
        text_filter = {"Name": name, "Operator": "Equals", "Value": "x"}
        if self.s.skip_unsupported(["Search"], self.RULES[2:7]):
            return
        first, second = draw_from(data, st.lists(st.text("abcdefgh", min_size=1, max_size=4), min_size=2, max_size=2))
        self._expect_rejected(
            "search.contains-at-most-once",
            dict(base, SearchExpression={"Filters": [{"Name": name, "Operator": "Contains", "Value": first}],
                                         "SubExpressions": [{"Filters": [
                                             {"Name": name, "Operator": "Contains", "Value": second}]}]}),
            "two Contains operators", contains_limit_message())
        per_list = (ELEMENTS_MAX // 3) + 1  # three lists of this size pass 50 elements but not 20 per list
        self._expect_rejected(
            "search.at-most-50-elements",
            dict(base, SearchExpression={"SubExpressions": [{"Filters": [text_filter] * per_list}] * 3}),
            f"{3 + 3 * per_list} elements (at most {LIST_MAX} per list)")
        self._expect_rejected(
            "search.expression.at-most-20-per-list",
            dict(base, SearchExpression={"Filters": [text_filter] * (LIST_MAX + 1)}),
            f"{LIST_MAX + 1} filters in one list")
        operator = draw_from(data, _ORDERING_OPERATORS)
        self._expect_rejected(
            "search.operator-not-for-text",
            dict(base, SearchExpression={"Filters": [{"Name": name, "Operator": operator, "Value": "a"}]}),
            f"{operator} on the text property {name}")
        operator = draw_from(data, _TEXT_ONLY_OPERATORS)
        self._expect_rejected(
            "search.operator-only-for-text",
            dict(base, SearchExpression={"Filters": [
                {"Name": "Model.CreationTime", "Operator": operator, "Value": "2024-01-01T00:00:00"}]}),
            f"{operator} on the timestamp property Model.CreationTime")

    @invariant()
    def created_resources_are_found(self):
        if self.s.run.broken or "Search" in self.s.run.unsupported or not self.marker:
            return
        for resource_type in RESOURCE_TYPES:
            with self.s.deciding("search.results.match-expression"):
                self._refresh(resource_type)
        self.stale = True

    def teardown(self):
        self.cleanup.run()
