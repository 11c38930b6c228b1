"""What every machine step goes through: calls, checks, decisions and waits.

``RunContext`` is shared by all examples of one machine run (target, recorder,
seed, the rules still enforced, operations the target said it does not
implement). ``Session`` is one example's view: it makes calls through the
target's clients (so H5's call log sees them), checks every response against
the operation's committed output schema, and turns each check into a Recorder
entry or a ``RuleFailure``.

A failed check is *not* recorded here: it raises ``RuleFailure`` carrying the
example's boto3 reproduction, Hypothesis shrinks it, and the driver records the
shrunk failure once (see ``conformance.machines.driver``).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Optional, Set

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError

from conformance import shapes
from conformance.errors import NotImplementedByTarget, RuleFailure, TargetError, TargetUnreachable
from conformance.results import Status
from conformance.rules.validation import OUTPUT_OPERATIONS, output_rule_id

# Error codes by which targets say "this operation is not implemented" (the reference target,
# moto in-process and moto server); the target layer's classifier knows more.
NOT_IMPLEMENTED_CODES = frozenset({"NotImplementedException", "NotImplemented", "NotImplementedError"})

# Polling cadence of ``Session.watch`` in the target's seconds where intermediate states matter:
# short enough to see a traffic step (ActivatingTraffic lasts seconds on the reference target,
# minutes on AWS). Elsewhere machines poll at botocore's waiter cadence.
POLL_SECONDS = 5.0


@dataclass
class Outcome:
    """One call's answer: a response, or an error with its HTTP status and code."""

    operation: str
    status_code: int
    response: Optional[dict] = None
    error_code: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def rejected(self) -> bool:
        """A 4xx client error: how SageMaker refuses a request."""
        return 400 <= self.status_code < 500

    def describe(self) -> str:
        if self.ok:
            return f"{self.operation} succeeded (HTTP {self.status_code})"
        return f"{self.operation} answered HTTP {self.status_code} {self.error_code}: {self.message}".rstrip(": ")

    def get(self, key: str, default: Any = None) -> Any:
        return (self.response or {}).get(key, default)


def begin_example(machine, start: Callable[[], None]) -> None:
    """Run ``start()``, what every example begins with, from the machine's ``__init__``; it draws from
    ``strategies.unwrapped.example_data()``. (An ``@initialize`` rule would cost Hypothesis new
    strategies in every example.) Hypothesis tears down only a machine it got back, so a start that
    fails tears down here: what it created is deleted."""
    try:
        start()
    except BaseException:
        machine.teardown()
        raise


class ShrinkBudgetSpent(BaseException):
    """Ends a Hypothesis run whose shrinking used its budget (a BaseException: Hypothesis must not take it
    for a failure). Rejecting the example instead would make Hypothesis call the machine flaky."""


@dataclass
class RunContext:
    """State shared by every example of one machine run."""

    target: Any
    recorder: Any
    seed: Optional[int]  # the run's: what failures print (a shard's Hypothesis seed derives from it)
    active: Set[str]
    unsupported: Dict[str, str] = field(default_factory=dict)  # operation -> the target's words
    broken: str = ""  # set once the target failed us (TargetError): later steps do nothing
    # Shrinking: replays of a failing example cost a whole example each, on a slow target minutes.
    shrink_replays: Optional[int] = None  # how many a failure may use (None: as many as Hypothesis wants)
    failing: bool = False  # this round raised a RuleFailure: Hypothesis is shrinking it
    replays: int = 0
    last_failure: Optional[RuleFailure] = None  # the latest failing replay: the smallest found so far
    stop: Any = None  # a threading.Event: another shard failed or the user pressed Ctrl-C (machines.shards)
    last_valid_output: Dict[str, Any] = field(default_factory=dict)  # operation -> its last answer that passed

    @property
    def budget_spent(self) -> bool:
        return self.shrink_replays is not None and self.replays > self.shrink_replays
    _clients: Dict[str, Any] = field(default_factory=dict)
    _lock: Any = field(default_factory=threading.Lock)

    def client(self, service: str = "sagemaker"):
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self.target.client(service)
            return self._clients[service]

    def unique_name(self, kind: str) -> str:
        """A name no earlier example used (shrinking replays examples, and deletions take time),
        carrying the target's run prefix so that cleanup and sweep find it."""
        return self.target.resource_name(kind)


class Session:
    def __init__(self, run: RunContext) -> None:
        self.run = run
        self.target = run.target
        self.recorder = run.recorder
        log = getattr(self.target, "call_log", None)
        self._mark = log.mark() if log is not None else 0
        self._thread = threading.get_ident()  # examples may run concurrently (see machines.shards)
        if run.failing and run.shrink_replays is not None:
            run.replays += 1
            if run.budget_spent:
                raise ShrinkBudgetSpent()

    # ----------------------------------------------------------------- calls
    def call(self, operation: str, service: str = "sagemaker", *, judge_server_errors: bool = False,
             **params: Any) -> Outcome:
        """Call ``operation``; ``judge_server_errors`` keeps a 5xx as an outcome (the step judges it)
        instead of a target error."""
        if self.run.stop is not None and self.run.stop.is_set():
            from conformance.machines.shards import ShardStopped

            raise ShardStopped("another shard ended the run")
        method = getattr(self.run.client(service), xform_name(operation))
        try:
            response = method(**params)
        except ClientError as err:
            outcome = _error_outcome(operation, err)
            _classify(err, outcome, judge_server_errors)
            return outcome
        except BotoCoreError as err:
            raise TargetError(f"{operation}: the target did not answer ({err})") from err
        metadata = response.pop("ResponseMetadata", {}) if isinstance(response, dict) else {}
        status = int(metadata.get("HTTPStatusCode", 200))
        outcome = Outcome(operation, status, response)
        if service == "sagemaker" and operation in OUTPUT_OPERATIONS:
            self.check_output(operation, response)
        return outcome

    def check_output(self, operation: str, response: dict) -> None:
        rule_id = output_rule_id(operation)
        if not self.enforced(rule_id):  # already decided (failed): a target that breaks it pays no schema check
            return
        if self.run.last_valid_output.get(operation) == response:  # polling repeats an answer: the same verdict
            self.check(rule_id, True)
            return
        # The parsed answer as it is (its datetimes are the wire's numbers); its wire form only to explain a doubt.
        found = [] if shapes.parsed_output_valid(operation, response) else shapes.violations(
            operation, wire_form(response), direction="output")
        self.check(
            rule_id,
            not found,
            f"{operation} response does not match its output shape: "
            + "; ".join(f"{v.json_path} {v.constraint}: {v.message}" for v in found[:3]),
        )
        self.run.last_valid_output[operation] = response

    def sleep(self, seconds: float) -> None:
        self.target.sleep(seconds)

    def watch(self, operation: str, until: Callable[[Outcome], bool], timeout_s: float,
              observe: Optional[Callable[[Outcome], None]] = None, interval_s: float = POLL_SECONDS,
              **params: Any) -> Outcome:
        """Poll ``operation`` on the target's clock until ``until`` holds or ``timeout_s`` passes.

        ``observe`` sees every answer (invariants of intermediate states); returns the last one.
        """
        waited = 0.0
        while True:
            outcome = self.call(operation, judge_server_errors=True, **params)
            if observe is not None:
                observe(outcome)
            if until(outcome) or waited >= timeout_s:
                return outcome
            self.sleep(interval_s)
            waited += interval_s

    # ---------------------------------------------------------------- checks
    def enforced(self, rule_id: str) -> bool:
        return rule_id in self.run.active

    def check(self, rule_id: str, ok: bool, message: str = "") -> bool:
        """Decide one check of ``rule_id``: record a pass, or raise ``RuleFailure`` for Hypothesis to shrink."""
        if rule_id not in self.run.active:
            return bool(ok)
        if ok:
            self.recorder.record(rule_id, Status.PASSED)
            return True
        raise self.failure(rule_id, message)

    def failure(self, rule_id: str, message: str) -> RuleFailure:
        err = RuleFailure(rule_id, message)
        err.reproduction = self.reproduction(f"reproduces [{rule_id}] {message}")
        err.seed = self.run.seed
        self.run.failing, self.run.last_failure = True, err
        return err

    def reproduction(self, header: str = "") -> str:
        """This example's calls and waits as a runnable boto3 script (the target's call log since it began)."""
        seed = f"# seed {self.run.seed}\n" if self.run.seed is not None else ""
        header = " ".join(header.split())  # one comment line, whatever the target's message held
        return f"# {header}\n{seed}" + compact_polling(self.target.reproduction(since=self._mark, thread=self._thread))

    @contextlib.contextmanager
    def deciding(self, *rule_ids: str):
        """The block decides ``rule_ids``: an unsupported operation or a failing target ends the block and
        records not_implemented / target_error for them instead of a nonconformance. An unreachable
        target also ends the run's remaining steps."""
        try:
            yield
        except NotImplementedByTarget as err:
            self.run.unsupported.setdefault(err.operation, str(err))
            self.record_all(rule_ids, Status.NOT_IMPLEMENTED, str(err))
        except TargetUnreachable as err:
            self.run.broken = self.run.broken or str(err)
            self.record_all(rule_ids, Status.TARGET_ERROR, str(err))
        except TargetError as err:  # this request failed (a crash, a timeout): the next ones may not
            self.record_all(rule_ids, Status.TARGET_ERROR, str(err))

    def record_all(self, rule_ids: Iterable[str], status: Status, message: str) -> None:
        for rule_id in rule_ids:
            if rule_id in self.run.active:
                self.recorder.record(rule_id, status, message=message)

    def skip_unsupported(self, operations: Iterable[str], rule_ids: Iterable[str]) -> bool:
        """True (and the rules recorded) when the target already said it lacks one of ``operations``,
        or failed us earlier: the step then does nothing, so rule selection stays deterministic."""
        if self.run.broken:
            return True
        for operation in operations:
            if operation in self.run.unsupported:
                self.record_all(rule_ids, Status.NOT_IMPLEMENTED, self.run.unsupported[operation])
                return True
        return False


def _error_outcome(operation: str, err: ClientError) -> Outcome:
    error = err.response.get("Error", {})
    status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return Outcome(operation, status, None, str(error.get("Code", "")), str(error.get("Message", "")))


def _classify(err: ClientError, outcome: Outcome, judge_server_errors: bool) -> None:
    """Raise NotImplementedByTarget / TargetError for answers that are no verdict on a rule.

    The target's clients already raise those for what they can classify; a 5xx with an AWS error
    code is left to the caller: a verdict where the step judges it, a target error elsewhere."""
    if outcome.error_code in NOT_IMPLEMENTED_CODES:
        raise NotImplementedByTarget(outcome.operation, outcome.message) from err
    if outcome.status_code >= 500 and not judge_server_errors:
        raise TargetError(f"{outcome.describe()} (a server error unrelated to the rule checked)") from err


def wire_form(value: Any) -> Any:
    """A parsed botocore response as it travels in awsJson1.1 (timestamps as epoch seconds)."""
    if isinstance(value, dict):
        return {key: wire_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [wire_form(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return value


def compact_polling(script: str) -> str:
    """Fold repeated identical (call, wait) pairs of a polling loop into a ``for`` loop; still runnable."""
    lines = script.split("\n")
    out, i = [], 0
    while i < len(lines):
        pair = lines[i:i + 2]
        is_poll = len(pair) == 2 and not pair[0].startswith(("try:", "except", "#", " ")) and "(" in pair[0] \
            and pair[1].startswith("time.sleep(")
        repeats = 1
        while is_poll and lines[i + 2 * repeats:i + 2 * repeats + 2] == pair:
            repeats += 1
        if repeats > 2:
            out += [f"for _ in range({repeats}):  # polling", f"    {pair[0]}", f"    {pair[1]}"]
            i += 2 * repeats
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)
