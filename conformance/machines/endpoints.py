"""The endpoint machine: lifecycle and deployments of SageMaker endpoints.

The model (oracle) holds, per endpoint, the status it must be in between steps
(steps wait for transitions to finish, on the target's clock), the
EndpointConfig it serves, its variant's weight and instance count and its last
deployment configuration. Each step checks the "while in transition" rules
itself (duplicate names, updates refused while Creating/Updating, the
PendingDeploymentSummary, traffic steps, availability); every DescribeEndpoint
answer, intermediate ones included, is checked for the documented enums; the
invariant re-describes every endpoint after every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from conformance.errors import NotImplementedByTarget
from conformance.machines import resources
from conformance.machines.deployment_inputs import INVALID_KINDS, invalid_updates, traffic_wait, valid_deployment_configs
from conformance.machines.session import POLL_SECONDS, Outcome, Session, begin_example
from conformance.machines.views import brief, contains, distinct, variant_statuses
from conformance.machines.views import variant as variant_of
from conformance.model import member_shape, waiter_config
from conformance.results import Status
from conformance.strategies.unwrapped import draw_from, example_data, pick, unwrapped

ENDPOINT_STATUSES = frozenset(member_shape("DescribeEndpoint", "EndpointStatus").enum)
VARIANT_STATUSES = frozenset(member_shape("DescribeEndpoint", "ProductionVariants.VariantStatus.Status").enum)
TRANSITIONAL = frozenset({"Creating", "Updating", "RollingBack", "SystemUpdating", "Deleting"})
MAX_ENDPOINTS = 3  # live endpoints per example: every step re-describes each of them
FIRST_INSTANCE_COUNTS = unwrapped(st.integers(1, 4))


def settle_timeout() -> float:
    """How long a transition may take: botocore's EndpointInService waiter budget."""
    waiter = waiter_config("EndpointInService")
    return float(waiter.delay * waiter.max_attempts)


def waiter_delay() -> float:
    return float(waiter_config("EndpointInService").delay)


@dataclass
class EndpointModel:
    name: str
    arn: str
    config: str
    status: str
    count: int
    weight: float
    created_with: str
    last_deployment_config: Optional[dict] = None


@dataclass
class ConfigModel:
    name: str
    count: int
    weight: float
    deployable: bool
    in_steps: bool = True  # in self.configs: a step may use or delete it
    used_by: List[str] = field(default_factory=list)


class EndpointMachine(RuleBasedStateMachine):
    RULES = (
        "endpoint.create.status-creating", "endpoint.create.reaches-in-service", "endpoint.create.failure-reported",
        "endpoint.describe.echoes-create", "endpoint.status.documented-value",
        "endpoint.variant-status.documented-value", "endpoint.create.name-unique",
        "endpoint.create.name-case-insensitive", "endpoint.update.status-updating",
        "endpoint.update.reaches-in-service", "endpoint.update.rejected-unless-in-service",
        "endpoint.failed.only-delete-allowed", "endpoint.update-weights.updating-then-in-service",
        "endpoint.update-weights.rejected-unless-in-service", "endpoint.delete.deleting-then-gone",
        "endpoint.missing.validation-exception", "endpoint-config.delete.gone",
        "endpoint-config.delete.keeps-endpoints",
        "endpoint.update.deployment-config-accepted", "endpoint.update.last-deployment-config-reported",
        "endpoint.update.retain-deployment-config", "endpoint.pending-deployment-summary.only-while-deploying",
        "endpoint.update.traffic-shift-observable", "endpoint.update.no-availability-loss",
        "endpoint.update.auto-rollback-on-alarm", "endpoint.update.retain-variant-properties",
        "endpoint.update.exclude-retained-properties", *INVALID_KINDS,
    )
    OPERATIONS = ("CreateModel", "CreateEndpointConfig", "DescribeEndpointConfig", "CreateEndpoint",
                  "DescribeEndpoint", "UpdateEndpoint", "UpdateEndpointWeightsAndCapacities")

    def __init__(self, run) -> None:
        super().__init__()
        self.s = Session(run)
        self.cleanup = resources.Cleanup(self.s)
        self.injects_failures = bool(getattr(run.target, "supports_failure_injection", False))
        self.run_tags = resources.run_tags(run.target)
        self.models: Dict[bool, str] = {}
        self.config_models: Dict[str, ConfigModel] = {}
        self.endpoint_models: Dict[str, EndpointModel] = {}
        self.configs: List[str] = []  # configs created by steps, for the steps that create endpoints or delete configs
        begin_example(self, self.first_endpoints)

    # ------------------------------------------------------------ helpers
    def _model(self, deployable: bool) -> str:
        if deployable not in self.models:
            name = self.s.run.unique_name("model")
            out = self.s.call("CreateModel", **resources.model_params(name, deployable, self.run_tags))
            if not out.ok:
                raise AssertionError(f"the suite could not create its model: {out.describe()}")
            self.cleanup.add("DeleteModel", name)
            self.models[deployable] = name
        return self.models[deployable]

    def _config(self, count: int, weight: float, deployable: bool = True, in_steps: bool = False) -> str:
        name = self.s.run.unique_name("cfg")
        out = self.s.call("CreateEndpointConfig",
                          **resources.config_params(name, self._model(deployable), count, weight, self.run_tags))
        if not out.ok:
            raise AssertionError(f"the suite could not create its endpoint config: {out.describe()}")
        self.cleanup.add("DeleteEndpointConfig", name)
        self.s.call("DescribeEndpointConfig", EndpointConfigName=name)  # its answer is checked against the shape
        self.config_models[name] = ConfigModel(name, count, weight, deployable, in_steps)
        return name

    def _describe(self, name: str) -> Outcome:
        return self.s.call("DescribeEndpoint", judge_server_errors=True, EndpointName=name)

    def _observe(self, out: Outcome) -> None:
        """Rules every DescribeEndpoint answer must satisfy, whatever the step."""
        if not out.ok:
            return
        status = out.get("EndpointStatus")
        self.s.check("endpoint.status.documented-value", status in ENDPOINT_STATUSES,
                     f"EndpointStatus {status!r} is not one of {sorted(ENDPOINT_STATUSES)}")
        odd = [v for v in variant_statuses(out.response) if v not in VARIANT_STATUSES]
        self.s.check("endpoint.variant-status.documented-value", not odd,
                     f"VariantStatus {odd} not among {sorted(VARIANT_STATUSES)}")
        pending = out.get("PendingDeploymentSummary")
        self.s.check("endpoint.pending-deployment-summary.only-while-deploying",
                     pending is None or status in ("Creating", "Updating"),
                     f"PendingDeploymentSummary returned while the endpoint is {status}")

    def _watch(self, name: str, until, observe=None, fine: bool = False) -> Outcome:
        """Poll until ``until``; ``fine`` polls often enough to see every traffic step."""
        before = [None]

        def seen(out: Outcome) -> None:
            self._observe(out)
            status = out.get("EndpointStatus") if out.ok else "(gone)"
            if before[0] is not None:
                self.s.recorder.transition(before[0], status)
            before[0] = status
            if observe is not None:
                observe(out)

        return self.s.watch("DescribeEndpoint", until, settle_timeout(), observe=seen,
                            interval_s=POLL_SECONDS if fine else waiter_delay(), EndpointName=name)

    def _in_service(self) -> List[str]:
        return sorted(n for n, e in self.endpoint_models.items() if e.status == "InService")

    def _pick_in_service(self, data) -> Optional[str]:
        """An InService endpoint (None when there is none: the step then does nothing)."""
        names = self._in_service()
        return pick(data, names) if names else None

    def _rejects_while_busy(self, name: str, status: str, config: str) -> None:
        """In a transition, UpdateEndpoint and UpdateEndpointWeightsAndCapacities must be refused."""
        with self.s.deciding("endpoint.update.rejected-unless-in-service"):
            out = self.s.call("UpdateEndpoint", EndpointName=name, EndpointConfigName=config)
            self.s.check("endpoint.update.rejected-unless-in-service", out.rejected,
                         f"UpdateEndpoint on a {status} endpoint: {out.describe()}")
        with self.s.deciding("endpoint.update-weights.rejected-unless-in-service"):
            out = self.s.call("UpdateEndpointWeightsAndCapacities", EndpointName=name,
                              DesiredWeightsAndCapacities=[{"VariantName": resources.VARIANT, "DesiredWeight": 1.0}])
            self.s.check("endpoint.update-weights.rejected-unless-in-service", out.rejected,
                         f"UpdateEndpointWeightsAndCapacities on a {status} endpoint: {out.describe()}")

    # -------------------------------------------------------------- steps
    def first_endpoints(self) -> None:
        """How every example begins: an InService endpoint (and, where failures can be provoked, a Failed one);
        asking for an endpoint that does not exist; one UpdateEndpoint per documented cross-field rule."""
        data = example_data()
        count = draw_from(data, FIRST_INSTANCE_COUNTS)
        for operation in ("DescribeEndpoint", "UpdateEndpoint", "DeleteEndpoint"):
            self._call_missing(operation)
        self._create_endpoint(self._config(count, 1.0))
        if self.injects_failures:
            self._create_endpoint(self._config(count, 1.0, deployable=False))
        if self._in_service():
            self._invalid_deployments(self._in_service()[0], count, data)

    # Steps have no preconditions: one that cannot apply does nothing. Hypothesis turns some rules off
    # in each example; when every rule whose precondition held was off, it dropped the whole example
    # after running it (a fifth of the endpoint examples, and on real time a lifecycle run again).
    @rule(count=st.integers(1, 6), deployable=st.sampled_from([True, True, False]))
    def create_config(self, count, deployable):
        if not self.s.run.broken:
            self.configs.append(self._config(count, 1.0, deployable or not self.injects_failures, in_steps=True))

    @rule(data=st.data())
    def create_endpoint(self, data):
        if len(self.endpoint_models) < MAX_ENDPOINTS and self.configs:
            self._create_endpoint(pick(data, self.configs))

    def _create_endpoint(self, config: str) -> None:
        cfg = self.config_models.get(config)
        if cfg is None or self.s.run.broken:  # deleted meanwhile
            return
        name = self.s.run.unique_name("ep")
        created = self.s.call("CreateEndpoint", EndpointName=name, EndpointConfigName=config, Tags=self.run_tags)
        self.s.check("endpoint.create.status-creating", created.ok, f"CreateEndpoint refused: {created.describe()}")
        if not created.ok:
            return
        self.cleanup.add("DeleteEndpoint", name)
        cfg.used_by.append(name)
        first = self._describe(name)
        self._observe(first)
        status = first.get("EndpointStatus")
        self.s.check("endpoint.create.status-creating", status == "Creating",
                     f"right after CreateEndpoint the endpoint is {status or first.describe()}, not Creating")
        self.s.check(
            "endpoint.describe.echoes-create",
            first.get("EndpointName") == name and first.get("EndpointArn") == created.get("EndpointArn")
            and first.get("EndpointConfigName") == config,
            f"DescribeEndpoint reports {first.get('EndpointName')!r}/{first.get('EndpointArn')!r}/"
            f"{first.get('EndpointConfigName')!r}, created as {name!r}/{created.get('EndpointArn')!r}/{config!r}",
        )
        pending = first.get("PendingDeploymentSummary")
        if pending is not None and status == "Creating":
            self.s.check("endpoint.pending-deployment-summary.only-while-deploying",
                         pending.get("EndpointConfigName") == config,
                         f"PendingDeploymentSummary names {pending.get('EndpointConfigName')!r}, not {config!r}")
        duplicate = self.s.call("CreateEndpoint", EndpointName=name, EndpointConfigName=config)
        self.s.check("endpoint.create.name-unique", duplicate.rejected,
                     f"a second CreateEndpoint named {name!r}: {duplicate.describe()}")
        other_case = name.swapcase()
        if other_case != name:
            again = self.s.call("CreateEndpoint", EndpointName=other_case, EndpointConfigName=config)
            if again.ok:
                self.cleanup.add("DeleteEndpoint", other_case)
            self.s.check("endpoint.create.name-case-insensitive", again.rejected,
                         f"CreateEndpoint {other_case!r} while {name!r} exists: {again.describe()}")
        if status in TRANSITIONAL:
            self._rejects_while_busy(name, status, config)
        # A target that skips Creating (moto) is already settled: waiting for a change would poll for an hour.
        final = first if status not in TRANSITIONAL else self._watch(
            name, lambda out: not out.ok or out.get("EndpointStatus") != status)
        final_status = final.get("EndpointStatus") if final.ok else final.describe()
        if cfg.deployable:
            self.s.check("endpoint.create.reaches-in-service", final_status == "InService",
                         f"a deployable endpoint ended {final_status} (FailureReason {final.get('FailureReason')!r})")
        else:
            self.s.check("endpoint.create.failure-reported",
                         final_status == "Failed" and bool(final.get("FailureReason")),
                         f"an undeployable endpoint ended {final_status} with FailureReason "
                         f"{final.get('FailureReason')!r}")
            with self.s.deciding("endpoint.failed.only-delete-allowed"):
                update = self.s.call("UpdateEndpoint", EndpointName=name, EndpointConfigName=config)
                self.s.check("endpoint.failed.only-delete-allowed", update.rejected,
                             f"UpdateEndpoint on a Failed endpoint: {update.describe()}")
        self.endpoint_models[name] = EndpointModel(
            name, created.get("EndpointArn"), config, final_status, cfg.count, cfg.weight, config,
            final.get("LastDeploymentConfig"))

    @rule(data=st.data(), count=st.integers(1, 6), weight=st.sampled_from([1.0, 2.0, 0.5]),
          with_config=st.sampled_from([True, True, True, False]))
    def update_endpoint(self, data, count, weight, with_config):
        """UpdateEndpoint to a new config, with a valid DeploymentConfig (or none: the default blue/green)."""
        name = self._pick_in_service(data)
        if name is None:
            return
        ep = self.endpoint_models[name]
        deployment = draw_from(data, valid_deployment_configs((count,))) if with_config else None
        extra = {"DeploymentConfig": deployment} if deployment else {}
        self._deploy(ep, count, weight, extra, "new" if deployment else "none", deployment, False, [])

    @rule(data=st.data(), count=st.integers(1, 6), weight=st.sampled_from([1.0, 2.0, 0.5]),
          exclude=st.sampled_from([["DesiredInstanceCount"], ["DesiredWeight"], [], ["DesiredInstanceCount", "DesiredWeight"]]))
    def update_retaining(self, data, count, weight, exclude):
        """UpdateEndpoint reusing the last DeploymentConfig and the variants' properties (minus ``exclude``);
        an endpoint without a last DeploymentConfig first gets one."""
        name = self._pick_in_service(data)
        if name is None:
            return
        ep = self.endpoint_models[name]
        first = draw_from(data, valid_deployment_configs((count, ep.count)))
        if not ep.last_deployment_config:
            self._deploy(ep, ep.count, ep.weight, {"DeploymentConfig": first}, "new", first, False, [])
            if ep.status != "InService" or not ep.last_deployment_config:
                return
        extra = {"RetainDeploymentConfig": True, "RetainAllVariantProperties": True}
        if exclude:
            extra["ExcludeRetainedVariantProperties"] = [{"VariantPropertyType": p} for p in exclude]
        self._deploy(ep, count, weight, extra, "retain", ep.last_deployment_config, True, exclude)

    def _deploy(self, ep: EndpointModel, count: int, weight: float, extra: dict, mode: str,
                deployment: Optional[dict], retain_variants: bool, exclude: list) -> None:
        name = ep.name
        rules = ("endpoint.update.deployment-config-accepted", "endpoint.update.status-updating",
                 "endpoint.update.reaches-in-service", "endpoint.update.no-availability-loss",
                 "endpoint.update.last-deployment-config-reported", "endpoint.update.retain-deployment-config",
                 "endpoint.update.traffic-shift-observable", "endpoint.update.retain-variant-properties",
                 "endpoint.update.exclude-retained-properties")
        if self.s.skip_unsupported(["UpdateEndpoint"], rules):
            return
        with self.s.deciding(*rules):
            new_config = self._config(count, weight)
            out = self.s.call("UpdateEndpoint", EndpointName=name, EndpointConfigName=new_config, **extra)
            accepted_rule = {"new": "endpoint.update.deployment-config-accepted",
                             "retain": "endpoint.update.retain-deployment-config"}.get(mode, "endpoint.update.status-updating")
            self.s.check(accepted_rule, out.ok, f"UpdateEndpoint refused a valid request: {out.describe()}")
            if not out.ok:
                return
            first = self._describe(name)
            self._observe(first)
            status = first.get("EndpointStatus")
            self.s.check("endpoint.update.status-updating", status == "Updating",
                         f"right after UpdateEndpoint the endpoint is {status or first.describe()}, not Updating")
            if status == "Updating":
                pending = first.get("PendingDeploymentSummary") or {}
                self.s.check("endpoint.pending-deployment-summary.only-while-deploying",
                             pending.get("EndpointConfigName") == new_config,
                             f"while updating to {new_config!r} PendingDeploymentSummary is {pending or 'absent'}")
                self._rejects_while_busy(name, status, new_config)
            shifts: List[str] = []

            def during(seen: Outcome) -> None:
                if seen.get("EndpointStatus") in ("Updating", None) or not seen.ok:
                    self.s.check("endpoint.update.no-availability-loss",
                                 seen.ok and bool(seen.get("EndpointConfigName")) and bool(seen.get("ProductionVariants")),
                                 f"during the update DescribeEndpoint gave {seen.describe()} with "
                                 f"EndpointConfigName {seen.get('EndpointConfigName')!r} and variants "
                                 f"{seen.get('ProductionVariants')!r}")
                for status_seen in variant_statuses(seen.response or {}):
                    if not shifts or shifts[-1] != status_seen:
                        shifts.append(status_seen)

            final = self._watch(name, lambda o: not o.ok or o.get("EndpointStatus") not in TRANSITIONAL, during,
                                fine=traffic_wait(deployment) > 0)
            final_status = final.get("EndpointStatus") if final.ok else final.describe()
            self.s.check("endpoint.update.reaches-in-service",
                         final_status == "InService" and final.get("EndpointConfigName") == new_config,
                         f"after UpdateEndpoint to {new_config!r} the endpoint is {final_status} on "
                         f"{final.get('EndpointConfigName')!r}")
            self._check_deployment_record(mode, deployment, final)
            if traffic_wait(deployment) > 0:
                activating = shifts.index("ActivatingTraffic") if "ActivatingTraffic" in shifts else None
                baked = activating is not None and "Baking" in shifts[activating:]
                self.s.check("endpoint.update.traffic-shift-observable", baked,
                             f"a deployment with WaitIntervalInSeconds {traffic_wait(deployment)} showed the variant "
                             f"statuses {brief(shifts)}, not ActivatingTraffic then Baking")
                if mode == "retain":
                    self.s.check("endpoint.update.retain-deployment-config", baked,
                                 f"RetainDeploymentConfig: the update did not follow the previous DeploymentConfig "
                                 f"{deployment} (variant statuses {brief(shifts)}, no Baking after ActivatingTraffic)")
            variant = variant_of(final.response or {})
            self._check_retention(retain_variants, exclude, ep, count, weight, variant)
            old_config = ep.config
            ep.config, ep.status = new_config, final_status
            if not retain_variants or "DesiredInstanceCount" in exclude:
                ep.count = count
            if not retain_variants or "DesiredWeight" in exclude:
                ep.weight = weight
            ep.last_deployment_config = final.get("LastDeploymentConfig") or deployment
            self.config_models[new_config].used_by.append(name)
            self._retire_config(old_config)

    def _check_deployment_record(self, mode: str, deployment: Optional[dict], final: Outcome) -> None:
        last = final.get("LastDeploymentConfig")
        if mode == "new":
            self.s.check("endpoint.update.last-deployment-config-reported", contains(last, deployment),
                         f"LastDeploymentConfig is {last!r} after an update with {deployment!r}")
        elif mode == "retain":
            self.s.check("endpoint.update.retain-deployment-config", contains(last, deployment),
                         f"RetainDeploymentConfig: LastDeploymentConfig is {last!r}, the previous one was {deployment!r}")

    def _check_retention(self, retain: bool, exclude: list, ep: EndpointModel, count: int, weight: float,
                         variant: dict) -> None:
        """Retained properties keep the endpoint's values; excluded ones take the new config's."""
        if not retain:
            return
        before = {"DesiredInstanceCount": ep.count, "DesiredWeight": ep.weight}
        new = {"DesiredInstanceCount": count, "DesiredWeight": weight}
        for prop in before:
            expected = new[prop] if prop in exclude else before[prop]
            actual = variant.get(prop)
            ok = actual is not None and float(actual) == float(expected)
            rule_id = ("endpoint.update.exclude-retained-properties" if prop in exclude
                       else "endpoint.update.retain-variant-properties")
            self.s.check(rule_id, ok, f"RetainAllVariantProperties excluding {exclude or 'nothing'}: {prop} is "
                         f"{actual}, expected {expected} (endpoint had {before[prop]}, new config {new[prop]})")

    def _retire_config(self, config: str) -> None:
        """An update frees the previous config: delete it if the machine made it for the update."""
        cfg = self.config_models.get(config)
        if cfg is None or cfg.in_steps or any(e.config == config for e in self.endpoint_models.values()):
            return
        self._delete_config(cfg)

    def _delete_config(self, cfg: ConfigModel) -> None:
        with self.s.deciding("endpoint-config.delete.gone", "endpoint-config.delete.keeps-endpoints"):
            out = self.s.call("DeleteEndpointConfig", EndpointConfigName=cfg.name)
            self.s.check("endpoint-config.delete.gone", out.ok, f"DeleteEndpointConfig refused: {out.describe()}")
            del self.config_models[cfg.name]
            after = self.s.call("DescribeEndpointConfig", judge_server_errors=True, EndpointConfigName=cfg.name)
            self.s.check("endpoint-config.delete.gone", after.rejected,
                         f"DescribeEndpointConfig of a deleted config: {after.describe()}")
            for name in cfg.used_by:
                if name in self.endpoint_models:
                    still = self._describe(name)
                    self.s.check("endpoint-config.delete.keeps-endpoints", still.ok,
                                 f"endpoint {name!r} created with {cfg.name!r} is gone after DeleteEndpointConfig: "
                                 f"{still.describe()}")

    @rule(data=st.data(), weight=st.sampled_from([0.5, 1.0, 3.0]))
    def update_weights(self, data, weight):
        name = self._pick_in_service(data)
        if name is None:
            return
        rule_id = "endpoint.update-weights.updating-then-in-service"
        if self.s.skip_unsupported(["UpdateEndpointWeightsAndCapacities"], [rule_id]):
            return
        with self.s.deciding(rule_id):
            out = self.s.call("UpdateEndpointWeightsAndCapacities", EndpointName=name,
                              DesiredWeightsAndCapacities=[{"VariantName": resources.VARIANT, "DesiredWeight": weight}])
            self.s.check(rule_id, out.ok, f"UpdateEndpointWeightsAndCapacities refused: {out.describe()}")
            if not out.ok:
                return
            first = self._describe(name)
            self._observe(first)
            self.s.check(rule_id, first.get("EndpointStatus") == "Updating",
                         f"right after UpdateEndpointWeightsAndCapacities the endpoint is "
                         f"{first.get('EndpointStatus') or first.describe()}, not Updating")
            final = self._watch(name, lambda o: not o.ok or o.get("EndpointStatus") not in TRANSITIONAL)
            variant = variant_of(final.response or {})
            applied = [variant.get("DesiredWeight"), variant.get("CurrentWeight")]
            self.s.check(rule_id, final.get("EndpointStatus") == "InService"
                         and all(w is not None and float(w) == weight for w in applied),
                         f"after asking weight {weight} the endpoint is {final.get('EndpointStatus') or final.describe()}"
                         f" with desired/current weights {applied}")
            self.endpoint_models[name].weight = weight

    @rule(data=st.data(), count=st.integers(1, 4))
    def update_rolled_back_by_alarm(self, data, count):
        name = self._pick_in_service(data)
        if name is None:
            return
        ep = self.endpoint_models[name]
        rule_id = "endpoint.update.auto-rollback-on-alarm"
        if self.s.skip_unsupported(["UpdateEndpoint", "PutMetricAlarm", "SetAlarmState"], [rule_id]):
            return
        with self.s.deciding(rule_id):
            alarm = self.s.run.unique_name("alarm")
            created = self.s.call("PutMetricAlarm", service="cloudwatch", AlarmName=alarm, Namespace="AWS/SageMaker",
                                  MetricName="Invocation5XXErrors", Statistic="Sum", Period=60, EvaluationPeriods=1,
                                  Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold",
                                  Tags=self.run_tags)
            if not created.ok:  # no usable CloudWatch next to this target: the rule cannot be exercised
                self.s.record_all([rule_id], Status.TARGET_ERROR,
                                  f"the suite could not create its CloudWatch alarm: {created.describe()}")
                return
            self.cleanup.add("DeleteAlarms", alarm, service="cloudwatch")
            new_config = self._config(count, ep.weight)
            deployment = {
                "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 60}},
                "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": alarm}]},
            }
            out = self.s.call("UpdateEndpoint", EndpointName=name, EndpointConfigName=new_config, DeploymentConfig=deployment)
            self.s.check("endpoint.update.deployment-config-accepted", out.ok,
                         f"UpdateEndpoint refused a valid request: {out.describe()}")
            if not out.ok:
                return
            self.s.call("SetAlarmState", service="cloudwatch", AlarmName=alarm, StateValue="ALARM",
                        StateReason="sagemaker-conformance: provoke an automatic rollback")
            statuses: List[str] = []
            final = self._watch(name, lambda o: not o.ok or o.get("EndpointStatus") not in TRANSITIONAL,
                                lambda o: statuses.append(o.get("EndpointStatus")), fine=True)
            self.s.check(rule_id,
                         "RollingBack" in statuses and final.get("EndpointStatus") == "InService"
                         and final.get("EndpointConfigName") == ep.config,
                         f"with alarm {alarm} in ALARM the update went through {distinct(statuses)} and ended "
                         f"{final.get('EndpointStatus') or final.describe()} on {final.get('EndpointConfigName')!r} "
                         f"(previous {ep.config!r}, new {new_config!r})")
            # The retained DeploymentConfig names this alarm: later updates must not roll back at once.
            self.s.call("SetAlarmState", service="cloudwatch", AlarmName=alarm, StateValue="OK",
                        StateReason="sagemaker-conformance: rollback observed")
            ep.status = final.get("EndpointStatus") if final.ok else "(gone)"
            ep.config = final.get("EndpointConfigName") or ep.config
            ep.last_deployment_config = final.get("LastDeploymentConfig")
            if ep.config == new_config:
                self.config_models[new_config].used_by.append(name)

    @rule(data=st.data(), count=st.integers(1, 6))
    def update_with_invalid_deployments(self, data, count):
        """One UpdateEndpoint per documented cross-field rule, each breaking only that rule."""
        name = self._pick_in_service(data)
        if name is not None:
            self._invalid_deployments(name, count, data)

    def _invalid_deployments(self, name: str, count: int, data) -> None:
        ep = self.endpoint_models[name]
        # Only the enforced kinds (fixed for the round) are drawn, all before the target is asked anything.
        kinds = tuple(kind for kind in INVALID_KINDS if self.s.enforced(kind))
        drawn = list(zip(kinds, draw_from(data, invalid_updates(kinds, count))))
        if self.s.skip_unsupported(["UpdateEndpoint"], INVALID_KINDS):
            return
        new_config = None
        for kind, params in drawn:
            with self.s.deciding(kind):
                new_config = new_config or self._config(count, ep.weight)
                out = self.s.call("UpdateEndpoint", EndpointName=name, EndpointConfigName=new_config, **params)
                self.s.check(kind, out.rejected and out.error_code == "ValidationException",
                             f"UpdateEndpoint breaking {kind} (instance count {count}): {out.describe()}")
                after = self._describe(name)
                self.s.check(kind, after.get("EndpointStatus") == "InService"
                             and after.get("EndpointConfigName") == ep.config,
                             f"a rejected UpdateEndpoint changed the endpoint: {after.get('EndpointStatus')} on "
                             f"{after.get('EndpointConfigName')!r}")

    @rule(data=st.data())
    def delete_endpoint(self, data):
        if not self.endpoint_models:
            return
        endpoint = pick(data, list(self.endpoint_models))
        ep = self.endpoint_models[endpoint]
        rule_id = "endpoint.delete.deleting-then-gone"
        if self.s.skip_unsupported(["DeleteEndpoint"], [rule_id]):
            return
        with self.s.deciding(rule_id):
            out = self.s.call("DeleteEndpoint", EndpointName=endpoint)
            self.s.check(rule_id, out.ok, f"DeleteEndpoint of a {ep.status} endpoint refused: {out.describe()}")
            if not out.ok:
                return
            del self.endpoint_models[endpoint]
            first = self._describe(endpoint)
            self._observe(first)
            self.s.check(rule_id, first.ok and first.get("EndpointStatus") == "Deleting",
                         f"right after DeleteEndpoint: {first.get('EndpointStatus') or first.describe()}, not Deleting")
            final = self._watch(endpoint, lambda o: not o.ok)
            self.s.check(rule_id, final.rejected,
                         f"the deleted endpoint never disappeared: {final.get('EndpointStatus') or final.describe()}")

    def _call_missing(self, operation: str) -> None:
        rule_id = "endpoint.missing.validation-exception"
        if self.s.run.broken or operation in self.s.run.unsupported:
            return
        with self.s.deciding(rule_id):
            name = self.s.run.unique_name("missing")
            params = {"EndpointName": name}
            if operation == "UpdateEndpoint":
                params["EndpointConfigName"] = next(iter(self.config_models), name)
            try:
                out = self.s.call(operation, judge_server_errors=True, **params)
            except NotImplementedByTarget:
                return  # the rule is decided by the operations the target has
            self.s.check(rule_id, out.rejected and out.error_code == "ValidationException",
                         f"{operation} of endpoint {name!r}, which does not exist: {out.describe()}")

    @rule(data=st.data())
    def delete_config(self, data):
        if not self.configs:
            return
        config = pick(data, self.configs)
        self.configs.remove(config)  # drawn once: deleted now, or kept by a live endpoint until teardown
        cfg = self.config_models.get(config)
        live = any(e.config == config and e.status == "InService" for e in self.endpoint_models.values())
        if cfg is None or live or self.s.run.broken:
            return  # the docs forbid deleting the config of a live endpoint
        self._delete_config(cfg)

    @invariant()
    def endpoints_match_model(self):
        if self.s.run.broken:
            return
        for name, ep in list(self.endpoint_models.items()):
            if ep.status not in resources.STABLE:
                continue
            out = self._describe(name)
            self._observe(out)
            self.s.check("endpoint.describe.echoes-create",
                         out.ok and out.get("EndpointName") == name and out.get("EndpointArn") == ep.arn,
                         f"endpoint {name!r} ({ep.status}) now describes as {out.get('EndpointName')!r} "
                         f"{out.get('EndpointArn')!r}: {out.describe()}")

    def teardown(self):
        self.cleanup.run()
