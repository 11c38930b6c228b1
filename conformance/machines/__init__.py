"""The stateful machines that decide the catalogue's rules against a target.

Design (why per-rule statuses survive a failure)
------------------------------------------------
Each machine is a ``hypothesis.stateful.RuleBasedStateMachine`` keeping an oracle
of what the target must hold; its steps call the target only through a
``Session`` (``session.py``), which checks every response against the
operation's committed output schema and turns each check into a Recorder entry.
A passing check is recorded as passed. A failing check raises ``RuleFailure``
so that Hypothesis shrinks the example; the driver (``driver.py``) then records
the *shrunk* failure once, with its boto3 reproduction and seed, drops that
rule from the enforced set and runs the machine again with the same seed, until
a round passes. So one broken rule never hides another's status, and a clean
target costs a single round. ``NotImplementedByTarget`` and ``TargetError`` end
only the step that met them and are recorded as not_implemented / target_error
for the rules that step decides - never as a nonconformance.

The shipped suite (``conformance.suite``) has one pytest test per machine,
marked with the areas it decides, split into parts on a driven clock (see
``shards.py``): ``run_area(name, target, recorder, settings, part=, parts=)``
runs a part's shards and raises the failures (an exception group of
``RuleFailure``) for pytest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from conformance.rules.validation import OUTPUT_OPERATIONS, output_rule_id


@dataclass(frozen=True)
class MachineSpec:
    name: str
    module: str
    cls: str
    areas: Tuple[str, ...]
    step_count: int  # steps after the start every example begins with (``session.begin_example``)
    examples_share: float  # fraction of the run's --max-examples this machine uses (it is costlier or cheaper)
    parts: int  # pytest items against a driven clock, so that pytest-xdist can spread the machine

    def load(self):
        import importlib

        return getattr(importlib.import_module(self.module), self.cls)


MACHINES: Dict[str, MachineSpec] = {
    spec.name: spec
    for spec in (
        MachineSpec("endpoints", "conformance.machines.endpoints", "EndpointMachine", ("lifecycle", "deployments"), 7, 0.5, 4),
        MachineSpec("tags", "conformance.machines.tags", "TagsMachine", ("tags",), 7, 0.5, 2),
        MachineSpec("search", "conformance.machines.search", "SearchMachine", ("search",), 7, 0.5, 2),
        MachineSpec("validation", "conformance.machines.validation", "ValidationMachine", ("validation",), 1, 0.5, 2),
    )
}

OUTPUT_RULES = tuple(output_rule_id(operation) for operation in OUTPUT_OPERATIONS)


def decided_rules(machine_class) -> Tuple[str, ...]:
    """The rules a machine decides: its own and the output-shape rule of every response it checks."""
    return tuple(dict.fromkeys(machine_class.RULES + OUTPUT_RULES))


def examples_for(name: str, max_examples: int) -> int:
    """The examples machine ``name`` runs out of the run's ``--max-examples``."""
    return max(1, round(max_examples * MACHINES[name].examples_share))


def parts_for(name: str, target_spec, max_examples: int) -> int:
    """How many pytest items machine ``name`` is split into: several against a driven clock (so
    pytest-xdist spreads it), one on real time (where its shards run at once instead)."""
    if not target_spec.driven_clock:
        return 1
    return max(1, min(MACHINES[name].parts, examples_for(name, max_examples)))


def run_area(name: str, target, recorder, settings=None, *, seed: Optional[int] = None,
             max_examples: Optional[int] = None, rule_ids: Optional[Iterable[str]] = None, shrink: bool = True,
             raise_failures: bool = True, max_rounds: Optional[int] = None, part: int = 0, parts: int = 1,
             concurrency: Optional[int] = None, shrink_replays: Optional[int] = None):
    """Run machine ``name`` against ``target``; raise its RuleFailures (grouped) unless ``raise_failures`` is False.

    The machine's examples are split into shards (``conformance.machines.shards``); this call runs
    those of item ``part`` of ``parts``, concurrently when the target runs on real time.
    """
    from conformance.machines import shards as sharding
    from conformance.machines.driver import MachineRun, run_machine

    spec = MACHINES[name]
    machine_class = spec.load()
    if settings is not None:
        seed = settings.seed if seed is None else seed
        if max_examples is None:
            max_examples = examples_for(name, settings.max_examples)
        if concurrency is None:
            concurrency = getattr(settings, "concurrency", None)
        if shrink_replays is None:
            shrink_replays = getattr(settings, "shrink_replays", None)
    if shrink_replays == 0:  # the failure as found: no shrink phase (and no budget for its final replay)
        shrink, shrink_replays = False, None
    budget = {} if shrink_replays is None else {"shrink_replays": shrink_replays}
    examples = max_examples or 5
    # On real time every example is a shard of its own, so that all of them can wait at once.
    per_part = 1 if getattr(target, "driven_clock", True) else examples
    planned = sharding.plan(seed, name, examples, parts * per_part)
    mine = sharding.part_of(planned, part, parts)
    rules = decided_rules(machine_class) if rule_ids is None else tuple(rule_ids)

    def shard_runner(shard):
        return lambda stop: run_machine(
            machine_class,
            target,
            recorder,
            rule_ids=rules,
            seed=shard.seed,
            max_examples=shard.max_examples,
            step_count=spec.step_count,
            shrink=shrink,
            skip_simplest=shard.index > 0,
            run_seed=seed,
            stop=stop,
            **budget,
            **({"max_rounds": max_rounds} if max_rounds else {}),
        )

    runs = sharding.run_all([shard_runner(shard) for shard in mine],
                            sharding.concurrency_for(target, concurrency, len(mine)))
    result = MachineRun(machine=machine_class.__name__)
    for run in runs:
        result.rounds += run.rounds
        result.broken = result.broken or run.broken
        result.unsupported.update(run.unsupported)
        # A rule broken in several shards is reported once (the first shard's shrunk example).
        result.failures += [f for f in run.failures if f.rule_id not in result.failed_rules]
    if raise_failures and result.failures:
        __tracebackhide__ = True
        raise_grouped(result.machine, result.failures)
    return result


def raise_grouped(machine: str, failures: List[BaseException]) -> None:
    """One RuleFailure as itself, several as an ExceptionGroup, each shown as what a user acts on: its
    rule, message and reproduction (seed included), once.

    Not shown: the suite's frames a check raised from and the failure met while tearing the example
    down, nor Hypothesis' "Falsifying example" note (it lists the machine's steps, not the calls the
    reproduction holds). Formatting those cost pytest a parse of Hypothesis' sources per failure too.
    """
    __tracebackhide__ = True  # pytest shows the test's own frame, not this module's
    for failure in failures:
        _as_reported(failure)
    if len(failures) == 1:
        raise failures[0]
    try:
        group = ExceptionGroup  # noqa: F821 - Python >= 3.11
    except NameError:  # pragma: no cover - Python 3.10
        from exceptiongroup import ExceptionGroup as group
    lines = "\n".join(str(failure) for failure in failures)
    raise group(f"{machine}: {len(failures)} rules broken:\n{lines}", failures)


def _as_reported(failure: BaseException) -> None:
    failure.__traceback__ = None
    failure.__suppress_context__ = True
    reproduction = getattr(failure, "reproduction", "")
    failure.__notes__ = [reproduction] if reproduction else []
