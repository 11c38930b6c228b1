"""The validation machine: invalid requests are refused with a 4xx and change nothing.

Each step sends, for every operation of ``conformance.rules.validation.INVALID_INPUT_OPERATIONS``,
one payload from the spine's ``invalid_input`` (exactly one broken schema
constraint). Where the broken constraint is elsewhere, the payload is pointed
at this example's own resources (an InService endpoint, its config, a tagged
model) or at a fresh name, so that a target skipping validation would act on
something the machine can inspect: after each refusal the endpoint, the config
and the tags must be as before, and a fresh name must not exist.
"""

from __future__ import annotations

from typing import Dict, List

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from conformance.machines import resources
from conformance.machines.session import Session, begin_example
from conformance.rules.validation import INVALID_INPUT_OPERATIONS, NO_STATE_CHANGE, invalid_input_rule_id
from conformance.strategies import invalid_input
from conformance.strategies.unwrapped import draw_from

# payload member -> which of the machine's resources it may name, per operation ("fresh": a new name).
TARGETS: Dict[str, Dict[str, str]] = {
    "CreateModel": {"ModelName": "fresh-model"},
    "CreateEndpoint": {"EndpointName": "fresh-endpoint", "EndpointConfigName": "config"},
    "UpdateEndpoint": {"EndpointName": "endpoint", "EndpointConfigName": "spare-config"},
    "UpdateEndpointWeightsAndCapacities": {"EndpointName": "endpoint"},
    "DescribeEndpoint": {"EndpointName": "endpoint"},
    "DeleteEndpoint": {"EndpointName": "endpoint"},
    "CreateEndpointConfig": {"EndpointConfigName": "fresh-config"},
    "DeleteEndpointConfig": {"EndpointConfigName": "config"},
    "AddTags": {"ResourceArn": "model-arn"},
    "DeleteTags": {"ResourceArn": "model-arn"},
    "ListTags": {"ResourceArn": "model-arn"},
    "Search": {},
}


# Names a refused create was aimed at, and how to prove it created nothing (checked in this order).
FRESH_NAMES = [
    ("fresh-endpoint", "DescribeEndpoint", "EndpointName", "endpoint"),
    ("fresh-model", "DescribeModel", "ModelName", "model"),
    ("fresh-config", "DescribeEndpointConfig", "EndpointConfigName", "endpoint config"),
]


class ValidationMachine(RuleBasedStateMachine):
    RULES = tuple(invalid_input_rule_id(op) for op in INVALID_INPUT_OPERATIONS) + (NO_STATE_CHANGE,)
    OPERATIONS = ("CreateModel", "CreateEndpointConfig", "CreateEndpoint", "DescribeEndpoint", "ListTags")

    def __init__(self, run) -> None:
        super().__init__()
        self.s = Session(run)
        self.cleanup = resources.Cleanup(self.s)
        self.names: Dict[str, str] = {}
        self.model_tags: List[dict] = []
        begin_example(self, self.create_resources)

    def create_resources(self) -> None:
        """How every example begins: a tagged model, two configs and an InService endpoint, for the
        invalid requests to aim at."""
        run_tags = resources.run_tags(self.s.target)
        self.model_tags = run_tags + [{"Key": "sagemaker-conformance:validation", "Value": "before"}]
        model = self.s.run.unique_name("vmodel")
        out = self.s.call("CreateModel", **resources.model_params(model, True, self.model_tags))
        if not out.ok:
            raise AssertionError(f"the suite could not create its model: {out.describe()}")
        self.cleanup.add("DeleteModel", model)
        self.names["model-arn"] = out.get("ModelArn")
        for key in ("config", "spare-config"):
            name = self.s.run.unique_name("vcfg")
            out = self.s.call("CreateEndpointConfig", **resources.config_params(name, model, 1, 1.0, run_tags))
            if not out.ok:
                raise AssertionError(f"the suite could not create its endpoint config: {out.describe()}")
            self.cleanup.add("DeleteEndpointConfig", name)
            self.names[key] = name
        endpoint = self.s.run.unique_name("vep")
        out = self.s.call("CreateEndpoint", EndpointName=endpoint, EndpointConfigName=self.names["config"], Tags=run_tags)
        if not out.ok:
            raise AssertionError(f"the suite could not create its endpoint: {out.describe()}")
        self.cleanup.add("DeleteEndpoint", endpoint)
        self.names["endpoint"] = endpoint
        self.s.watch("DescribeEndpoint", lambda o: not o.ok or o.get("EndpointStatus") != "Creating", 3600.0,
                     interval_s=30.0, EndpointName=endpoint)

    def _aim(self, operation: str, payload: dict, path: tuple) -> Dict[str, str]:
        """Point the payload's resource members at this example's resources; returns what was aimed where."""
        aimed = {}
        for member, role in TARGETS[operation].items():
            if path and path[0] == member or member not in payload:
                continue
            value = self.s.run.unique_name("vnew") if role.startswith("fresh") else self.names[role]
            payload[member] = value
            aimed[role] = value
        return aimed

    @rule(data=st.data())
    def send_invalid_requests(self, data):
        for operation in INVALID_INPUT_OPERATIONS:
            rule_id = invalid_input_rule_id(operation)
            # The enforced rules are fixed for a whole round, so the draws stay deterministic; what the
            # target answers never changes them (a failing check ends the example, and with it the draws).
            if not (self.s.enforced(rule_id) or self.s.enforced(NO_STATE_CHANGE)):
                continue
            invalid = draw_from(data, invalid_input(operation))
            if self.s.skip_unsupported([operation], [rule_id]):
                continue
            payload = dict(invalid.payload)
            aimed = self._aim(operation, payload, tuple(invalid.path))
            with self.s.deciding(rule_id):
                out = self.s.call(operation, judge_server_errors=True, **payload)
                if out.ok:
                    self._forget(operation, aimed)
                where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in invalid.path)
                self.s.check(rule_id, out.rejected,
                             f"{operation} breaking {invalid.constraint} at {where}: {out.describe()}")
                self._unchanged(operation, aimed)

    def _forget(self, operation: str, aimed: Dict[str, str]) -> None:
        """An invalid request was accepted: make sure what it created is deleted at teardown."""
        if "fresh-endpoint" in aimed:
            self.cleanup.add("DeleteEndpoint", aimed["fresh-endpoint"])
        if "fresh-config" in aimed:
            self.cleanup.add("DeleteEndpointConfig", aimed["fresh-config"])
        if "fresh-model" in aimed:
            self.cleanup.add("DeleteModel", aimed["fresh-model"])

    def _unchanged(self, operation: str, aimed: Dict[str, str]) -> None:
        for key, describe, member, noun in FRESH_NAMES:
            if key in aimed:
                out = self.s.call(describe, judge_server_errors=True, **{member: aimed[key]})
                self.s.check(NO_STATE_CHANGE, out.rejected, f"a refused {operation} created {noun} "
                             f"{aimed[key]!r}: {describe} {out.describe()}")
        if "endpoint" in aimed:
            out = self.s.call("DescribeEndpoint", judge_server_errors=True, EndpointName=aimed["endpoint"])
            self.s.check(NO_STATE_CHANGE, out.ok and out.get("EndpointStatus") == "InService"
                         and out.get("EndpointConfigName") == self.names["config"],
                         f"after a refused {operation} endpoint {aimed['endpoint']!r} is "
                         f"{out.get('EndpointStatus') or out.describe()} on {out.get('EndpointConfigName')!r}")
        if "config" in aimed:
            out = self.s.call("DescribeEndpointConfig", judge_server_errors=True, EndpointConfigName=aimed["config"])
            self.s.check(NO_STATE_CHANGE, out.ok, f"after a refused {operation} endpoint config "
                         f"{aimed['config']!r} is gone: {out.describe()}")
        if "model-arn" in aimed:
            out = self.s.call("ListTags", ResourceArn=aimed["model-arn"], MaxResults=50)
            listed = {t.get("Key"): t.get("Value") for t in out.get("Tags") or []}
            expected = {t["Key"]: t["Value"] for t in self.model_tags}
            self.s.check(NO_STATE_CHANGE, out.ok and listed == expected,
                         f"after a refused {operation} the model's tags are {listed}, not {expected}")

    def teardown(self):
        self.cleanup.run()
