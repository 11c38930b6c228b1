"""Run a machine against a target so that every rule gets its own status.

One Hypothesis run stops at the first failing check, which would hide what the
other rules do. So a run is a few *rounds*: the first failing rule of a round
is recorded (with the shrunk boto3 reproduction and the seed), dropped from the
enforced set, and the machine runs again with the same seed; a dropped rule's
checks are no longer evaluated. A round without a failure ends the run. A clean
target therefore costs one round; a target breaking k rules costs k+1 rounds
(bounded by ``max_rounds``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from hypothesis import HealthCheck, Phase, Verbosity, seed as hypothesis_seed, settings as hypothesis_settings
from hypothesis.errors import Flaky
from hypothesis.stateful import get_state_machine_test

from conformance.errors import RuleFailure
from conformance.hypothesis_runs import run_hypothesis_test
from conformance.machines.session import RunContext, ShrinkBudgetSpent
from conformance.results import Status

MAX_ROUNDS = 12
# Replays a failure's shrinking may use. Shrinking a stateful example replays all of it: against moto
# an unbounded shrink took ~110 replays per failure, most of a nonconformant run's time. Past this
# budget the smallest failing example found so far is reported.
SHRINK_REPLAYS = 40


@dataclass
class MachineRun:
    """What one machine run found."""

    machine: str
    failures: List[RuleFailure] = field(default_factory=list)
    rounds: int = 0
    broken: str = ""
    unsupported: dict = field(default_factory=dict)

    @property
    def failed_rules(self) -> List[str]:
        return [failure.rule_id for failure in self.failures]

    def summary(self) -> str:
        """The pytest failure message: every broken rule with its seed and reproduction."""
        parts = [f"{self.machine}: {len(self.failures)} rule(s) broken"]
        for failure in self.failures:
            seed = getattr(failure, "seed", None)
            parts.append(f"\n[{failure.rule_id}] {failure.message}\n(seed {seed})\n{getattr(failure, 'reproduction', '')}")
        return "\n".join(parts)


def run_machine(
    machine_class,
    target,
    recorder,
    *,
    rule_ids: Iterable[str],
    seed: Optional[int] = 0,
    max_examples: int = 10,
    step_count: int = 12,
    shrink: bool = True,
    max_rounds: int = MAX_ROUNDS,
    skip_simplest: bool = False,
    shrink_replays: Optional[int] = SHRINK_REPLAYS,
    run_seed: Optional[int] = None,
    stop=None,
) -> MachineRun:
    """Run ``machine_class(run_context)`` until no enforced rule fails; record each failure once.

    ``skip_simplest``: a shard other than the first (see ``conformance.machines.shards``); ``seed`` is then
    the shard's, and ``run_seed`` the one failures print (it replays the whole run, shards included).
    """
    run = RunContext(target=target, recorder=recorder, seed=seed if run_seed is None else run_seed,
                     active=set(rule_ids), shrink_replays=shrink_replays, stop=stop)
    result = MachineRun(machine=machine_class.__name__)
    if skip_simplest:
        from conformance.machines.shards import skipping_simplest

        machine_class = skipping_simplest(machine_class)
    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])
    settings = hypothesis_settings(
        max_examples=max_examples,
        stateful_step_count=step_count,
        deadline=None,
        database=None,
        phases=phases,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.normal,
        print_blob=False,
    )
    while result.rounds < max_rounds and not run.broken:
        # A rule another shard already failed is not shrunk again here.
        run.active = {rule_id for rule_id in run.active if recorder.status_of(rule_id) is not Status.FAILED}
        if not run.active:
            break
        run.failing, run.replays, run.last_failure = False, 0, None
        result.rounds += 1
        test = get_state_machine_test(lambda: machine_class(run), settings=settings)
        if seed is not None:
            test = hypothesis_seed(seed)(test)
        try:
            run_hypothesis_test(test)
        except RuleFailure as err:
            failure = err
        except (ShrinkBudgetSpent, Flaky) as err:
            if run.budget_spent:
                # Hypothesis reports the stop as flaky data generation (the replay drew less than before).
                # Each shrink candidate is smaller than the last failing one: the latest failure is the best.
                failure = run.last_failure
                failure.message += f" (shrinking stopped after {run.shrink_replays} replays)"
            else:
                # On a real-time target a replay may see other states, and so draw differently
                # (FlakyStrategyDefinition): what the example showed still stands, as found.
                failure = _first_rule_failure(err) or run.last_failure
                if failure is None:
                    raise
                failure.message += " (the failure did not reproduce on every replay: the target is not deterministic)"
        else:
            break
        if failure.rule_id not in run.active:  # cannot happen: checks of dropped rules do not raise
            raise failure
        recorder.record(
            failure.rule_id,
            Status.FAILED,
            message=failure.message,
            reproduction=getattr(failure, "reproduction", ""),
            seed=run.seed,
        )
        run.active.discard(failure.rule_id)
        result.failures.append(failure)
    result.broken = run.broken
    result.unsupported = dict(run.unsupported)
    return result


def _first_rule_failure(group: BaseException) -> Optional[RuleFailure]:
    for exc in getattr(group, "exceptions", ()):
        if isinstance(exc, RuleFailure):
            return exc
        found = _first_rule_failure(exc)
        if found is not None:
            return found
    return None
