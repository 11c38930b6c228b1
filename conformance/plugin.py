"""pytest11 entry point: options, markers and fixtures of the conformance suite. Light imports only.

Inert unless a run uses the suite: the fixtures build a target only when a test
asks for one, and the reports are written only when a target was used (here or
on an xdist worker) or ``--target`` was given. Under pytest-xdist the
controller picks the run id and seed, each worker ships its Recorder snapshot
back (``workeroutput``), and the controller merges them and writes the reports
once.

Exit status: pytest's own, adjusted at the end: a rule that failed or was not
implemented (and is not listed in ``--known-failures``) makes it 1; target
errors with no failure make it 2; a bad or unreachable target stops the run
before any test with one line and status 2.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import secrets
import time
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional

import pytest

from conformance import options

AREAS = ("deployments", "lifecycle", "validation", "tags", "search", "fuzz")
MARKERS = {
    "deployments": "conformance rules about blue/green deployments, traffic routing and rollback",
    "lifecycle": "conformance rules about endpoint status transitions and names",
    "validation": "conformance rules about rejecting invalid requests",
    "tags": "conformance rules about AddTags/DeleteTags/ListTags",
    "search": "conformance rules about Search",
    "fuzz": "wide schema-level fuzzing of every selected operation",
}
# Each machine runs half of this many examples. 50 keeps the default run near 15 s on 2 cores.
DEFAULT_MAX_EXAMPLES = 50
PROGRESS_INTERVAL_S = 30.0  # a state machine can run for minutes: say how far it got
PREFIX = "sagemaker-conformance"
WORKER_OUTPUT_KEY = "sagemaker_conformance"
TARGET_ERROR = "target_error"


# -- option values: checked by type= callables --------------------------------------------------------
def _usage_checked(parse, option: str):
    """A ``type=`` callable: ``parse``'s ValueError becomes a one-line pytest.UsageError."""

    def check(text: str):
        try:
            return parse(text)
        except ValueError as err:
            raise pytest.UsageError(f"{PREFIX}: {option} {err}") from None

    return check


_seed = _usage_checked(options.seed, "--seed")
_positive_int = _usage_checked(options.positive_int, "--max-examples")
_concurrency = _usage_checked(options.positive_int, "--concurrency")
_shrink_replays = _usage_checked(options.non_negative_int, "--shrink-replays")
_positive_float = _usage_checked(options.positive_float, "--time-scale")


def read_known_failures(path: str) -> FrozenSet[str]:
    """Rule ids, one per line; ``#`` starts a comment; blank lines are ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise pytest.UsageError(f"{PREFIX}: --known-failures {path}: {err.strerror or err}") from None
    ids = set()
    for number, line in enumerate(text.splitlines(), 1):
        rule_id = line.split("#", 1)[0].strip()
        if not rule_id:
            continue
        if any(ch.isspace() for ch in rule_id):
            raise pytest.UsageError(f"{PREFIX}: --known-failures {path}:{number}: one rule id per line, got {line!r}")
        ids.add(rule_id)
    return frozenset(ids)


def _known_failures_option(path: str) -> str:
    read_known_failures(path)  # fail at parse time, with the line number
    return path


def pytest_addoption(parser) -> None:
    group = parser.getgroup("sagemaker-conformance", "SageMaker conformance suite (sagemaker-conformance)")
    group.addoption("--target", default=None, metavar="TARGET",
                    help="what to test: reference (default, in-process), reference:FAULT, moto, moto-server, "
                         "http://HOST:PORT, https://HOST[:PORT], aws[:REGION] (needs --allow-aws-costs)")
    group.addoption("--target-credentials", default=None, metavar="PROFILE",
                    help="send this AWS profile's credentials to a URL target (default: dummy credentials; "
                         "environment credentials are never sent to a URL target)")
    group.addoption("--allow-aws-costs", action="store_true", default=False,
                    help="allow --target aws, which creates billable resources")
    group.addoption("--seed", type=_seed, default=None, metavar="N",
                    help="seed of every generated example (default: random, printed with the results)")
    group.addoption("--max-examples", type=_positive_int, default=None, metavar="N",
                    help=f"examples per property / state machine (default {DEFAULT_MAX_EXAMPLES})")
    group.addoption("--report-dir", default=None, metavar="DIR",
                    help="where report.json/.html, junit.xml and badge.svg go (default reports/<run-id>/)")
    group.addoption("--time-scale", type=_positive_float, default=None, metavar="X",
                    help="scale the suite's polling and timeouts by X, for a URL target that runs a scaled "
                         "clock (e.g. the reference target served with --time-scale 0.001)")
    group.addoption("--concurrency", type=_concurrency, default=None, metavar="N", help=options.CONCURRENCY_HELP)
    group.addoption("--shrink-replays", type=_shrink_replays, default=None, metavar="N",
                    help=options.SHRINK_REPLAYS_HELP)
    group.addoption("--known-failures", type=_known_failures_option, default=None, metavar="FILE",
                    help="rule ids (one per line, # comments) the target is known to fail: they xfail, so "
                         "only regressions fail the run")
    group.addoption("--operations", default=None, metavar="PATTERNS", help=options.OPERATIONS_HELP)
    group.addoption("--fuzz-mutating", action="store_true", default=False, help=options.FUZZ_MUTATING_HELP)


# -- settings and state -------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Settings:
    """What the suite's tests read (the ``conformance_settings`` fixture)."""

    target: str
    seed: int
    max_examples: int
    time_scale: Optional[float]
    known_failures: FrozenSet[str]
    run_id: str
    concurrency: Optional[int] = None
    shrink_replays: Optional[int] = None  # None: the driver's default (machines.driver.SHRINK_REPLAYS)

    def hypothesis_settings(self, **overrides):
        """Settings for a property or state machine: the run's example budget, no deadline, no database."""
        from hypothesis import HealthCheck, settings

        values = dict(
            max_examples=self.max_examples,
            deadline=None,
            database=None,
            print_blob=False,
            suppress_health_check=list(HealthCheck),
        )
        values.update(overrides)
        return settings(**values)

    def run_machine(self, factory, **overrides) -> None:
        """``run_state_machine_as_test`` at the run's seed and settings."""
        from hypothesis import seed
        from hypothesis.stateful import run_state_machine_as_test

        run_state_machine_as_test(seed(self.seed)(factory), settings=self.hypothesis_settings(**overrides))


class _State:
    def __init__(self, config) -> None:
        self.config = config
        workerinput = getattr(config, "workerinput", None)
        self.is_worker = workerinput is not None
        shared = (workerinput or {}).get(WORKER_OUTPUT_KEY, {})
        self.run_id: str = shared.get("run_id") or _new_run_id()
        option_seed = config.getoption("seed")
        self.seed: int = option_seed if option_seed is not None else shared.get("seed", secrets.randbelow(2**32))
        self.active = False
        self.aborted = False  # the target was refused before any test ran
        self.current_test = ""
        self.recorder = None
        self.target = None
        self.target_info: Dict[str, Any] = {}
        self.target_errors: List[str] = []
        self.started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.t0 = time.monotonic()
        self.run = None
        self.paths: Dict[str, Path] = {}
        self.notes: List[str] = []
        path = config.getoption("known_failures")
        self.settings = Settings(
            target=config.getoption("target") or "reference",
            seed=self.seed,
            max_examples=config.getoption("max_examples") or DEFAULT_MAX_EXAMPLES,
            time_scale=config.getoption("time_scale"),
            known_failures=read_known_failures(path) if path else frozenset(),
            run_id=self.run_id,
            concurrency=config.getoption("concurrency"),
            shrink_replays=config.getoption("shrink_replays"),
        )

    def get_recorder(self):
        if self.recorder is None:
            from conformance.recording import Recorder

            self.recorder = Recorder()
        self.active = True
        return self.recorder


STATE = pytest.StashKey[_State]()


def _new_run_id() -> str:
    """As ``conformance.targets.new_run_id``, without importing botocore into every pytest run."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def state_of(config) -> _State:
    return config.stash[STATE]


def _exit(message: str) -> None:
    pytest.exit(f"{PREFIX}: {message}", returncode=2)


def pytest_configure(config) -> None:
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    state = config.stash[STATE] = _State(config)
    config.pluginmanager.register(_RunHooks(state), "sagemaker-conformance-run")


def _target_options(config) -> Dict[str, Any]:
    return {
        "time_scale": config.getoption("time_scale"),
        "credentials_profile": config.getoption("target_credentials"),
        "allow_aws_costs": config.getoption("allow_aws_costs"),
    }


# -- fixtures -----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def conformance_settings(pytestconfig) -> Settings:
    return state_of(pytestconfig).settings


@pytest.fixture(scope="session")
def conformance_recorder(pytestconfig):
    return state_of(pytestconfig).get_recorder()


@pytest.fixture(scope="session")
def conformance_target(pytestconfig, conformance_recorder):
    """The session's Target; closed (and cleaned up) at the end, also on failure or Ctrl-C."""
    from conformance import shapes
    from conformance.errors import ConformanceError
    from conformance.targets import make_target

    state = state_of(pytestconfig)
    worker = getattr(pytestconfig, "workerinput", {}).get("workerid", "")
    try:
        # Every check reads the committed shapes: a corrupt file is a usage error, not a nonconformance.
        shapes.ensure_readable()
        target = make_target(state.settings.target, run_id=state.run_id, worker=worker, **_target_options(pytestconfig))
    except ConformanceError as err:
        _exit(str(err))
    target.recorder = conformance_recorder
    state.target = target
    state.target_info = target_info(target)
    try:
        yield target
    finally:
        target.close()


def target_info(target) -> Dict[str, str]:
    info = {"kind": target.kind, "name": target.name, "description": target.description, "run_id": target.run_id}
    if target.kind == "url":
        info["url"] = target.endpoint_url
    return info


# -- the run: one object per pytest config, registered as a plugin ------------------------------------
def _uses_suite(item) -> bool:
    return bool({"conformance_target", "conformance_recorder"} & set(getattr(item, "fixturenames", ())))


def _exceptions(exc: BaseException) -> List[BaseException]:
    """The leaves of an exception group (Hypothesis reports several distinct bugs as one), else ``[exc]``."""
    inner = getattr(exc, "exceptions", None)
    if isinstance(inner, (list, tuple)) and inner and all(isinstance(e, BaseException) for e in inner):
        return [leaf for nested in inner for leaf in _exceptions(nested)]
    return [exc]


class _RunHooks:
    def __init__(self, state: _State) -> None:
        self.state = state

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node) -> None:
        """xdist controller → worker: one run id and seed for the whole run."""
        node.workerinput[WORKER_OUTPUT_KEY] = {"run_id": self.state.run_id, "seed": self.state.seed}

    def pytest_report_header(self, config) -> Optional[str]:
        if config.getoption("target") is None:
            return None
        state = self.state
        return f"{PREFIX}: target {state.settings.target}, seed {state.seed}, run id {state.run_id}"

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session) -> None:
        """An explicit --target, and --operations, are checked once, before any test: a bad one ends the run
        in one line."""
        config, state = session.config, self.state
        if state.is_worker:
            return
        from conformance.errors import ConformanceError

        patterns = config.getoption("operations")
        if patterns:
            from conformance.fuzz.selection import check_patterns

            try:
                check_patterns(patterns)
            except ConformanceError as err:
                _exit(str(err))
        if config.getoption("target") is None:
            return
        state.active = True
        from conformance.targets import make_target, prepare

        options = _target_options(config)
        try:
            spec = prepare(config.getoption("target"), **options)
            if spec.kind in ("url", "aws"):
                with make_target(spec, run_id=state.run_id, **options) as probe:
                    probe.check_reachable()
        except ConformanceError as err:
            state.aborted = True
            _exit(str(err))

    def pytest_collection_modifyitems(self, session, config, items) -> None:
        """Seed every Hypothesis test of the suite with the run's seed (unless it pins its own)."""
        suite_items = [item for item in items if _uses_suite(item)]
        if not suite_items:
            return
        self.state.active = True
        from hypothesis import is_hypothesis_test, seed

        for item in suite_items:
            function = getattr(item, "obj", None)
            if function is not None and is_hypothesis_test(function):
                if getattr(function, "_hypothesis_internal_use_seed", None) is None:
                    seed(self.state.seed)(function)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session):
        heartbeat = _Heartbeat(self.state, session.config.pluginmanager.get_plugin("terminalreporter"))
        heartbeat.start()
        try:
            return (yield)
        finally:
            heartbeat.stop()

    def pytest_runtest_logstart(self, nodeid, location) -> None:
        self.state.current_test = nodeid

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when != "call" or not report.failed or not _uses_suite(item) or call.excinfo is None:
            return report
        from conformance.errors import NotImplementedByTarget, RuleFailure, TargetError
        from conformance.targets import classify_error

        state = self.state
        leaves = [classify_error(exc) for exc in _exceptions(call.excinfo.value)]
        rule_failures = [exc for exc in leaves if isinstance(exc, RuleFailure)]
        if rule_failures and len(rule_failures) == len(leaves):
            ids = sorted({exc.rule_id for exc in rule_failures})
            if set(ids) <= state.settings.known_failures:
                report.outcome = "skipped"
                report.wasxfail = f"known failure of the target: {', '.join(ids)}"
                return report
        if leaves and all(isinstance(exc, (TargetError, NotImplementedByTarget)) for exc in leaves):
            # Not a nonconformance: the target could not be tested here.
            first = leaves[0]
            kind = "not_implemented" if isinstance(first, NotImplementedByTarget) else TARGET_ERROR
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"{kind}: {first}")
            report.user_properties.append((PREFIX, kind))
            return report
        report.sections.append(
            (PREFIX, f"seed {state.seed}; rerun: pytest --pyargs conformance.suite "
                     f"--target={state.settings.target} --seed={state.seed} -k '{item.name}'")
        )
        return report

    def pytest_runtest_logreport(self, report) -> None:
        """On the controller (and without xdist) this sees every report, the workers' included."""
        if (PREFIX, TARGET_ERROR) in getattr(report, "user_properties", ()):
            self.state.target_errors.append(report.nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        output = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
        if not output:
            return
        self.state.get_recorder().merge(output["snapshot"])
        self.state.target_info = self.state.target_info or output.get("target", {})

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus) -> None:
        config, state = session.config, self.state
        if state.is_worker:
            if state.recorder is not None:
                config.workeroutput[WORKER_OUTPUT_KEY] = {"snapshot": state.recorder.snapshot(),
                                                          "target": state.target_info}
            return
        if not state.active or state.recorder is None:
            return
        try:
            state.run = build_run(state)
            state.run.interrupted = int(exitstatus) == int(pytest.ExitCode.INTERRUPTED)
        except Exception as err:  # noqa: BLE001 - a broken catalogue must not hide the test results
            state.notes.append(f"no report: the run could not be summarised ({type(err).__name__}: {err})")
            return
        report_dir = config.getoption("report_dir") or Path(config.invocation_params.dir) / "reports" / state.run_id
        try:
            from conformance.reports import write_reports

            state.paths = write_reports(state.run, report_dir)
        except Exception as err:  # noqa: BLE001 - say it in one line, keep the exit status meaningful
            state.notes.append(f"reports not written: {type(err).__name__}: {err}")
        unknown = sorted(state.settings.known_failures - {rule.id for rule in state.run.rules})
        if unknown:
            state.notes.append(f"--known-failures lists ids that are not rules (typo?): {', '.join(unknown)}")
        session.exitstatus = judged_exit_status(session.exitstatus, state)

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config) -> None:
        state = self.state
        if state.is_worker or not state.active or state.aborted or config.option.collectonly:
            return
        write = terminalreporter.write_line
        terminalreporter.section(PREFIX)
        for line in _drift_warning():
            write(line, yellow=True)
        if state.run is not None:
            from conformance.results import counts_text

            counts = counts_text(state.run.summary)
            write(f"target {state.run.target.get('name', '')}: {state.run.verdict.value} ({counts or 'no rules run'})",
                  bold=True)
            fuzzed = counts_text(state.run.operation_summary)
            if fuzzed:  # the rules' verdict does not count them: a fuzz-only run is incomplete
                write(f"operations fuzzed: {fuzzed}", bold=True)
        write(f"seed {state.seed} (rerun with --seed={state.seed}), run id {state.run_id}")
        if state.target_errors:
            write(f"{len(state.target_errors)} test(s) could not run because of target errors", red=True)
        for note in state.notes:
            write(note)
        for kind, path in state.paths.items():
            write(f"{kind:>5}: {path}")

    def pytest_unconfigure(self, config) -> None:
        target = self.state.target
        if target is not None and not target.closed:
            target.close()  # the fixture's finalizer normally did this already
        if self.state.is_worker and self.state.active:
            # An xdist worker's process ends with its session: spare its exit the interpreter's final
            # garbage collection over everything the run left (as ``cli.console_main`` does); the
            # controller waited ~0.45 s for two workers to exit after a default run, ~0.3 s now.
            # Only where the suite ran: other test suites' workers exit as they always did.
            gc.freeze()


class _Heartbeat:
    """Every PROGRESS_INTERVAL_S, one line: the test running and what the Recorder has seen so far.

    Only where the Recorder lives (no xdist): the xdist controller shows each finished test already.
    """

    def __init__(self, state: _State, terminal) -> None:
        import threading

        self.state, self.terminal = state, terminal
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="sagemaker-conformance-progress", daemon=True)

    def start(self) -> None:
        if self.terminal is not None and not self.state.is_worker:
            self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _beat(self) -> None:
        while not self.stopped.wait(PROGRESS_INTERVAL_S):
            recorder = self.state.recorder
            if recorder is None or not self.state.current_test:
                continue
            seen = recorder.snapshot()
            elapsed = time.monotonic() - self.state.t0
            self.terminal.write_line(
                f"{PREFIX}: {elapsed:.0f} s, {sum(seen['checks'].values())} checks decided, "
                f"{sum(seen['requests'].values())} requests; running {self.state.current_test}"
            )


def build_run(state: _State):
    from conformance import __version__, model
    from conformance.results import RunResult
    from conformance.rules import all_rules

    recorder = state.recorder
    info = dict(state.target_info) or {"kind": state.settings.target, "name": state.settings.target,
                                       "description": state.settings.target}
    return RunResult(
        tool={"name": PREFIX, "version": __version__},
        target=info,
        botocore_version=model.botocore_version(),
        seed=state.seed,
        max_examples=state.settings.max_examples,
        started=state.started,
        duration_s=round(time.monotonic() - state.t0, 3),
        rules=recorder.rule_results(all_rules()),
        operations=recorder.operation_results(),
        transitions=recorder.transitions(),
        notes=[f"run id {state.run_id}"] + [f"known failure: {rule}" for rule in sorted(state.settings.known_failures)],
    )


def judged_exit_status(exitstatus, state: _State) -> int:
    """0 → 1 when a rule failed or is not implemented (unless known); 0 → 2 on target errors."""
    from conformance.results import Status

    if int(exitstatus) != 0:
        return exitstatus
    bad = [
        rule.id for rule in state.run.rules
        if rule.status in (Status.FAILED, Status.NOT_IMPLEMENTED) and rule.id not in state.settings.known_failures
    ]
    if bad:
        state.notes.append(f"rules failed or not implemented: {', '.join(bad)}")
        return 1
    if state.target_errors or any(rule.status is Status.TARGET_ERROR for rule in state.run.rules):
        return 2
    return exitstatus


def _drift_warning() -> List[str]:
    try:
        import importlib

        from conformance import model

        drifted = importlib.import_module("conformance.shapes").drift()
    except ModuleNotFoundError:
        return []  # no committed shapes in this installation: nothing to compare
    except Exception as err:  # noqa: BLE001 - a warning must never break the summary
        return [f"WARNING: could not compare shapes/ with the installed botocore ({type(err).__name__})"]
    if not drifted:
        return []
    shown = ", ".join(drifted[:5]) + (", …" if len(drifted) > 5 else "")
    return [f"WARNING: botocore {model.botocore_version()} differs from the committed shapes/ for "
            f"{len(drifted)} operation(s) ({shown}); run 'sagemaker-conformance shapes' to regenerate"]
