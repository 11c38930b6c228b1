"""The tags machine: AddTags, DeleteTags and ListTags on models, endpoint configs and endpoints.

The model (oracle) is, per resource ARN, the ordered mapping key → value the
resource must carry: its creation tags (the run tag included) changed by every
accepted AddTags (overwriting) and DeleteTags. Every listing pages through
ListTags with the smallest MaxResults the model allows and must return every tag
once; the invariant compares every resource's listing with the oracle after each
step. Invalid AddTags requests (one broken constraint each) must be refused and
change nothing.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from conformance.documented import RESERVED_TAG_PREFIX, max_tags_per_resource
from conformance.machines import resources
from conformance.machines.session import Session, begin_example
from conformance.model import member_shape
from conformance.rules.validation import NO_STATE_CHANGE
from conformance.strategies.seeded import SEEDS
from conformance.strategies.tags import seeded_tag, some_of, tag_values, unused_tag_key, valid_tags
from conformance.strategies.unwrapped import drawer, example_data, pick

PAGE_SIZE = member_shape("ListTags", "MaxResults").metadata.get("min", 50)
KEY_MAX = member_shape("AddTags", "Tags.Key").metadata["max"]
VALUE_MAX = member_shape("AddTags", "Tags.Value").metadata["max"]

# Rule decided by each kind of invalid AddTags the machine sends.
INVALID_TAG_KINDS = {
    "duplicate-key": "tags.unique-keys",
    "reserved-prefix": "tags.reserved-aws-prefix",
    "over-limit": "tags.at-most-50-per-resource",
    "key-too-long": "tags.add.key-constraints",
    "key-pattern": "tags.add.key-constraints",
    "value-too-long": "tags.add.value-constraints",
    "value-pattern": "tags.add.value-constraints",
}


_RESERVED_PREFIXES = st.sampled_from([RESERVED_TAG_PREFIX, RESERVED_TAG_PREFIX.upper()])
_PATTERN_BREAKERS = st.sampled_from("!#$%&*()[]{}<>?,;|^~")  # outside the key and value patterns


def invalid_tags(draw, kind: str, existing: Dict[str, str]) -> List[dict]:
    """An AddTags ``Tags`` list breaking exactly the constraint ``kind``; ``draw`` is a rule's (see ``drawer``).

    A plain function, not a composite strategy: a composite taking the resource's current tags would
    be a new strategy, validated anew, on every draw."""
    key, value = seeded_tag(draw(SEEDS), existing)  # the broken part below is what is drawn with care
    if kind == "duplicate-key":
        return [{"Key": key, "Value": value}, {"Key": key, "Value": value[:VALUE_MAX - 1] + "x"}]  # still valid
    if kind == "reserved-prefix":
        prefix = draw(_RESERVED_PREFIXES)
        return [{"Key": (prefix + key)[:KEY_MAX], "Value": value}]
    if kind == "over-limit":
        # Enough fresh keys to pass the per-resource limit, never more than one request may carry.
        needed = max_tags_per_resource() - len(existing) + 1
        fresh = [f"conformance-{i}" for i in range(needed + len(existing)) if f"conformance-{i}" not in existing]
        return [{"Key": k, "Value": "v"} for k in fresh[:needed]]
    if kind == "key-too-long":
        return [{"Key": key + "k" * (KEY_MAX + 1 - len(key)), "Value": value}]
    if kind == "key-pattern":
        return [{"Key": key[:KEY_MAX - 1] + draw(_PATTERN_BREAKERS), "Value": value}]
    if kind == "value-too-long":
        return [{"Key": key, "Value": "v" * (VALUE_MAX + 1)}]
    if kind == "value-pattern":
        return [{"Key": key, "Value": value[:VALUE_MAX - 1] + draw(_PATTERN_BREAKERS)}]
    raise ValueError(f"unknown invalid tags kind {kind!r}")


class TagsMachine(RuleBasedStateMachine):
    RULES = (
        "tags.add.overwrites-existing-key", "tags.list.reflects-changes", "tags.at-most-50-per-resource",
        "tags.add.key-constraints", "tags.add.value-constraints", "tags.reserved-aws-prefix", "tags.unique-keys",
        "tags.delete.absent-key-harmless", "tags.create.listed", "tags.unknown-resource.rejected",
        "tags.list.pagination-complete", NO_STATE_CHANGE,
    )
    OPERATIONS = ("CreateModel", "CreateEndpointConfig", "CreateEndpoint", "ListTags")

    def __init__(self, run) -> None:
        super().__init__()
        self.s = Session(run)
        self.cleanup = resources.Cleanup(self.s)
        self.run_tags = resources.run_tags(run.target)
        self.tags: Dict[str, Dict[str, str]] = {}
        self.last_listed_keys: List[str] = []
        self.arns: List[str] = []  # the resources the steps tag, untag and list
        begin_example(self, self.create_tagged_resources)

    # ------------------------------------------------------------ helpers
    def _created(self, arn: Optional[str], given: List[dict]) -> Optional[str]:
        if not arn:
            return None
        self.tags[arn] = {t["Key"]: t["Value"] for t in given}
        with self.s.deciding("tags.create.listed"):
            listed = self._list(arn)
            if listed is not None:
                self.s.check("tags.create.listed", listed == self.tags[arn],
                             f"tags given at creation {self.tags[arn]} are listed as {listed}")
        return arn

    def _list(self, arn: str) -> Optional[Dict[str, str]]:
        """Every tag of ``arn``, following NextToken page by page (pagination-complete is checked here)."""
        listed: List[dict] = []
        token = None
        for _ in range(max_tags_per_resource() + 2):
            params = {"ResourceArn": arn, "MaxResults": PAGE_SIZE}
            if token:
                params["NextToken"] = token
            out = self.s.call("ListTags", **params)
            self.s.check("tags.list.reflects-changes", out.ok, f"ListTags of {arn}: {out.describe()}")
            if not out.ok:
                return None
            listed += out.get("Tags") or []
            token = out.get("NextToken")
            if not token:
                break
        keys = [t.get("Key") for t in listed]
        self.last_listed_keys = keys
        expected = self.tags.get(arn, {})
        self.s.check("tags.list.pagination-complete",
                     len(keys) == len(set(keys)) and len(keys) == len(expected),
                     f"paging ListTags of {arn} by {PAGE_SIZE} returned {len(keys)} tags ({len(set(keys))} distinct "
                     f"keys) for a resource with {len(expected)}")
        return {t.get("Key"): t.get("Value", "") for t in listed}

    def _expect_listing(self, arn: str, why: str, rule_id: str = "tags.list.reflects-changes") -> None:
        listed = self._list(arn)
        if listed is not None:
            expected = self.tags[arn]
            self.s.check(rule_id, listed == expected,
                         f"after {why} ListTags gives {_diff(listed, expected)}")

    def _pick_arn(self, data) -> Optional[str]:
        """One of the example's resources; None when the target answered no ARN (the step then does
        nothing: a precondition instead could leave Hypothesis no step to take, see endpoints)."""
        return pick(data, self.arns) if self.arns else None

    # -------------------------------------------------------------- steps
    def create_tagged_resources(self) -> None:
        """How every example begins: a model, an endpoint config and an endpoint, each created with tags."""
        draw = drawer(example_data())
        model_tags, config_tags, endpoint_tags = (valid_tags(draw, 1, 5) for _ in range(3))
        self._unknown_resource()
        model = self.s.run.unique_name("tmodel")
        given = self.run_tags + [t for t in model_tags if t["Key"] not in {r["Key"] for r in self.run_tags}]
        out = self.s.call("CreateModel", **resources.model_params(model, True, given))
        if not out.ok:
            raise AssertionError(f"the suite could not create its model: {out.describe()}")
        self.cleanup.add("DeleteModel", model)
        arns = [self._created(out.get("ModelArn"), given)]
        config = self.s.run.unique_name("tcfg")
        given = self.run_tags + [t for t in config_tags if t["Key"] not in {r["Key"] for r in self.run_tags}]
        out = self.s.call("CreateEndpointConfig", **resources.config_params(config, model, 1, 1.0, given))
        if not out.ok:
            raise AssertionError(f"the suite could not create its endpoint config: {out.describe()}")
        self.cleanup.add("DeleteEndpointConfig", config)
        arns.append(self._created(out.get("EndpointConfigArn"), given))
        endpoint = self.s.run.unique_name("tep")
        given = self.run_tags + [t for t in endpoint_tags if t["Key"] not in {r["Key"] for r in self.run_tags}]
        out = self.s.call("CreateEndpoint", EndpointName=endpoint, EndpointConfigName=config, Tags=given)
        if out.ok:
            self.cleanup.add("DeleteEndpoint", endpoint)
            arns.append(self._created(out.get("EndpointArn"), given))
        self.arns = [arn for arn in arns if arn]

    def _unknown_resource(self) -> None:
        rule_id = "tags.unknown-resource.rejected"
        arn = f"arn:aws:sagemaker:{getattr(self.s.target, 'region', 'us-east-1')}:123456789012:model/" \
              f"{self.s.run.unique_name('nomodel')}"
        for operation, params in (("ListTags", {}), ("AddTags", {"Tags": [{"Key": "k", "Value": "v"}]}),
                                  ("DeleteTags", {"TagKeys": ["k"]})):
            with self.s.deciding(rule_id):
                out = self.s.call(operation, judge_server_errors=True, ResourceArn=arn, **params)
                self.s.check(rule_id, out.rejected, f"{operation} on {arn}, which names no resource: {out.describe()}")

    @rule(data=st.data(), overwrite=st.booleans())
    def add_tags(self, data, overwrite):
        arn = self._pick_arn(data)
        if arn is None:
            return
        current = self.tags[arn]
        run_keys = {t["Key"] for t in self.run_tags}
        # The run's own keys last: the simplest draws overwrite the keys this machine added.
        existing = sorted(current, key=lambda key: key in run_keys)
        draw = drawer(data)
        new = valid_tags(draw, 1, 6, tuple(existing))
        value = draw(tag_values())
        new = [t for t in new if t["Key"] not in run_keys] or [{"Key": "sagemaker-conformance:tagged", "Value": ""}]
        own = [k for k in current if k not in run_keys and k not in {t["Key"] for t in new}]
        if overwrite and own:  # make sure existing keys get overwritten now and then
            new.append({"Key": own[0], "Value": value + "-new"[: max(0, VALUE_MAX - len(value))]})
        with self.s.deciding("tags.list.reflects-changes", "tags.add.overwrites-existing-key"):
            out = self.s.call("AddTags", ResourceArn=arn, Tags=new)
            self.s.check("tags.list.reflects-changes", out.ok, f"AddTags with valid tags refused: {out.describe()}")
            overwritten = [t["Key"] for t in new if t["Key"] in current]
            current.update({t["Key"]: t["Value"] for t in new})
            listed = self._list(arn)
            if listed is None:
                return
            if overwritten:
                repeated = {k: self.last_listed_keys.count(k) for k in overwritten if self.last_listed_keys.count(k) != 1}
                self.s.check("tags.add.overwrites-existing-key",
                             not repeated and all(listed.get(k) == current[k] for k in overwritten),
                             f"AddTags overwriting {overwritten}: ListTags "
                             + (f"lists these keys this many times {repeated}, and gives " if repeated else "gives ")
                             + _diff(listed, current))
            self.s.check("tags.list.reflects-changes", listed == current, f"after AddTags {new}: {_diff(listed, current)}")

    @rule(data=st.data(), absent=st.booleans())
    def delete_tags(self, data, absent):
        arn = self._pick_arn(data)
        if arn is None:
            return
        current = self.tags[arn]
        removable = [k for k in current if k not in {t["Key"] for t in self.run_tags}]
        draw = drawer(data)
        keys = some_of(draw, removable, 3)
        if absent or not keys:
            keys = keys + [unused_tag_key(draw, current)]
        rule_id = "tags.delete.absent-key-harmless" if any(k not in current for k in keys) else "tags.list.reflects-changes"
        with self.s.deciding(rule_id):
            out = self.s.call("DeleteTags", ResourceArn=arn, TagKeys=keys)
            self.s.check(rule_id, out.ok, f"DeleteTags {keys} refused: {out.describe()}")
            for key in keys:
                current.pop(key, None)
            self._expect_listing(arn, f"DeleteTags {keys}", rule_id)

    @rule(data=st.data())
    def add_invalid_tags(self, data):
        """Each kind of invalid AddTags once: refused with a 4xx, the resource's tags unchanged."""
        arn = self._pick_arn(data)
        if arn is None:
            return
        for kind, rule_id in INVALID_TAG_KINDS.items():
            if not self.s.enforced(rule_id):  # fixed for the round: the draws stay deterministic
                continue
            bad = invalid_tags(drawer(data), kind, self.tags[arn])
            if self.s.run.broken:
                continue
            with self.s.deciding(rule_id, NO_STATE_CHANGE):
                out = self.s.call("AddTags", ResourceArn=arn, Tags=bad)
                self.s.check(rule_id, out.rejected, f"AddTags breaking {kind} ({len(bad)} tags): {out.describe()}")
                listed = self._list(arn)
                if listed is not None:
                    check_rule = rule_id if rule_id == "tags.at-most-50-per-resource" else NO_STATE_CHANGE
                    self.s.check(check_rule, listed == self.tags[arn],
                                 f"a refused AddTags ({kind}) changed the tags: {_diff(listed, self.tags[arn])}")

    @invariant()
    def listings_match_model(self):
        if self.s.run.broken:
            return
        for arn in list(self.tags):
            with self.s.deciding("tags.list.reflects-changes"):
                self._expect_listing(arn, "the last step")

    def teardown(self):
        self.cleanup.run()


def _diff(listed: Dict[str, str], expected: Dict[str, str]) -> str:
    missing = {k: v for k, v in expected.items() if k not in listed}
    extra = {k: v for k, v in listed.items() if k not in expected}
    changed = {k: (listed[k], v) for k, v in expected.items() if k in listed and listed[k] != v}
    return f"missing {missing}, unexpected {extra}, wrong values (listed, expected) {changed}"
