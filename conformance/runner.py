"""``sagemaker-conformance run``: the shipped suite through pytest, with the plugin's options.

It is ``pytest --pyargs conformance.suite`` with the same options, run
in-process; exit 0 when the target is conformant, 1 when a rule failed (or is
not implemented and not listed as a known failure), 2 for usage and target
errors (bad --target, unreachable or garbage-answering target, nothing selected).
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import List, Optional

from conformance import options

SUITE = "conformance.suite"

EXAMPLES = """\
targets (--target):
  reference             the embedded reference target, in-process (default)
  reference:FAULT       the reference target with one fault injected (see 'serve --list-faults')
  moto                  moto in-process
  moto-server           moto's server, started on a free loopback port for the run
  http://HOST:PORT      any SageMaker-compatible endpoint (dummy credentials unless --target-credentials)
  aws[:REGION]          real AWS; refused unless --allow-aws-costs

exit status: 0 conformant, 1 a rule failed, 2 usage or target error.

examples:
  sagemaker-conformance run
  sagemaker-conformance run --target moto --known-failures moto-gaps.txt
  sagemaker-conformance run --target http://127.0.0.1:5000 --time-scale 0.001 -n 2
  sagemaker-conformance run --target moto-server -m "deployments or search" --max-examples 50
  sagemaker-conformance run --target reference --seed 1234 -k endpoint.update.canary-size-at-most-half
  sagemaker-conformance run --target moto -m fuzz --operations 'Describe*,CreateModel'
  sagemaker-conformance run --target aws:eu-west-1 --allow-aws-costs --target-credentials sandbox
"""


def argparse_type(parse):
    """A ``type=`` callable: ``parse``'s ValueError becomes argparse's one-line usage error."""

    def check(text: str):
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    check.__name__ = parse.__name__  # argparse names the type in some messages
    return check


_seed = argparse_type(options.seed)
_positive_int = argparse_type(options.positive_int)
_non_negative_int = argparse_type(options.non_negative_int)
_workers = argparse_type(options.workers)
_time_scale = argparse_type(options.positive_float)


def _existing_file(text: str) -> str:
    if not Path(text).is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return str(Path(text).resolve())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.add_argument("--target", default="reference", metavar="TARGET",
                        help="what to test (default: reference); the forms are listed below")
    parser.add_argument("--report-dir", default=None, metavar="DIR",
                        help="where report.json, report.html, junit.xml and badge.svg go (default: reports/<run-id>/)")
    parser.add_argument("--seed", type=_seed, default=None, metavar="N",
                        help="seed of every generated example; the same seed replays the same run (default: random, "
                             "printed at the end)")
    parser.add_argument("--max-examples", type=_positive_int, default=None, metavar="N",
                        help="examples per property and state machine: more finds more, takes longer (default 50)")
    parser.add_argument("-n", "--workers", type=_workers, default=None, metavar="N",
                        help="run on N processes (pytest-xdist), or 'auto'; results are the same")
    parser.add_argument("-m", dest="markexpr", default=None, metavar="EXPR",
                        help="select areas by marker: deployments, lifecycle, validation, tags, search, fuzz "
                             "(e.g. -m 'tags or search')")
    parser.add_argument("-k", dest="keyword", default=None, metavar="EXPR",
                        help="select tests by name or rule id (pytest -k)")
    parser.add_argument("--known-failures", type=_existing_file, default=None, metavar="FILE",
                        help="rule ids the target is known to fail, one per line (# comments): they are reported "
                             "but do not fail the run")
    parser.add_argument("--time-scale", type=_time_scale, default=None, metavar="X",
                        help="scale polling and timeouts by X for a URL target running a scaled clock "
                             "(e.g. 'sagemaker-conformance serve --time-scale 0.001')")
    parser.add_argument("--concurrency", type=_positive_int, default=None, metavar="N", help=options.CONCURRENCY_HELP)
    parser.add_argument("--shrink-replays", type=_non_negative_int, default=None, metavar="N",
                        help=options.SHRINK_REPLAYS_HELP)
    parser.add_argument("--operations", default=None, metavar="PATTERNS", help=options.OPERATIONS_HELP)
    parser.add_argument("--fuzz-mutating", action="store_true", help=options.FUZZ_MUTATING_HELP)
    parser.add_argument("--allow-aws-costs", action="store_true",
                        help="allow --target aws[:REGION]: the run creates billable SageMaker resources")
    parser.add_argument("--target-credentials", default=None, metavar="PROFILE",
                        help="send this AWS profile's credentials to the target (default: dummy credentials; "
                             "environment credentials are never sent to a URL target)")
    parser.add_argument("-q", "--quiet", action="store_true", help="less output: no per-test progress lines")
    parser.add_argument("--pytest-args", default="", metavar="ARGS",
                        help="more pytest options, as one string (write it with '=': --pytest-args='-x --tb=short')")


UNUSED_PLUGINS = ("-p", "no:schemathesis", "-p", "no:anyio", "-p", "no:benchmark")


def pytest_args(args: argparse.Namespace) -> List[str]:
    """The pytest command line equivalent to ``args`` (also printed, so a user can rerun it by hand)."""
    argv = ["--pyargs", SUITE, "-p", "no:cacheprovider", "-o", "addopts=", f"--target={args.target}",
            # The suite's failures carry their own messages: rewriting asserts buys nothing, and it costs
            # each process (each xdist worker) a second or two of rewriting Hypothesis and Schemathesis
            # (pytest rewrites every package with a pytest plugin) wherever bytecode cannot be cached.
            "--assert=plain",
            # Plugins other packages install that the suite never uses (it drives Schemathesis through its
            # Python API): each costs every process (every xdist worker) time to import and configure.
            *UNUSED_PLUGINS,
            # Its clean-up runs five full garbage collections in every process as it exits, ~0.4 s that
            # an xdist run waits for; an exception ignored in a destructor is nothing a target can cause.
            "-p", "no:unraisableexception"]
    if args.report_dir:
        argv.append(f"--report-dir={Path(args.report_dir).resolve()}")
    for option, value in (("--seed", args.seed), ("--max-examples", args.max_examples),
                          ("--time-scale", args.time_scale), ("--known-failures", args.known_failures),
                          ("--target-credentials", args.target_credentials),
                          ("--concurrency", getattr(args, "concurrency", None)),
                          ("--shrink-replays", getattr(args, "shrink_replays", None)),
                          ("--operations", getattr(args, "operations", None))):
        if value is not None:
            argv.append(f"{option}={value}")
    if args.allow_aws_costs:
        argv.append("--allow-aws-costs")
    if getattr(args, "fuzz_mutating", False):
        argv.append("--fuzz-mutating")
    if args.workers is not None:
        # Machine parts differ in length and the longest (the endpoint machine's) are collected first:
        # handing out items one by one as workers free up spreads them (worksteal's initial halves put
        # all of them on one worker; measured 7.1-7.6 s against 6.9 s on two workers).
        argv += ["-n", args.workers, "--dist", "load"]
    if args.markexpr:
        argv += ["-m", args.markexpr]
    if args.keyword:
        argv += ["-k", args.keyword]
    argv.append("-q" if args.quiet else "-v")
    argv += shlex.split(args.pytest_args or "")
    return argv


# pytest's exit codes → ours: tests failed stays 1; interrupted, internal, usage, nothing collected → 2.
_EXIT = {0: 0, 1: 1}


class _Outcome:
    """A plugin object that keeps the run's result when pytest ends."""

    def __init__(self) -> None:
        self.state = None

    def pytest_unconfigure(self, config) -> None:
        from conformance.plugin import STATE

        self.state = config.stash.get(STATE, None)


def probe_target(args: argparse.Namespace) -> None:
    """Fail before pytest starts, with one line: a bad spec, or a networked target that does not answer."""
    from conformance.targets import make_target, prepare

    target_options = {"time_scale": args.time_scale, "credentials_profile": args.target_credentials,
                      "allow_aws_costs": args.allow_aws_costs}
    spec = prepare(args.target, **target_options)
    if spec.kind in ("url", "aws"):
        with make_target(spec, **target_options) as probe:
            probe.check_reachable()


def command(args: argparse.Namespace) -> int:
    import pytest

    probe_target(args)
    if args.operations:  # as a bad target: one line before pytest starts
        from conformance.fuzz.selection import check_patterns

        check_patterns(args.operations)
    argv = pytest_args(args)
    print("sagemaker-conformance run: pytest " + " ".join(shlex.quote(a) for a in argv), flush=True)
    outcome = _Outcome()
    code = int(pytest.main(argv, plugins=[outcome]))
    _summary(outcome.state, code)
    return _EXIT.get(code, 2)


def _summary(state, code: int) -> None:
    if code == 5:
        print("sagemaker-conformance run: error: no test selected (check -m / -k)")
    if state is None or state.run is None:
        return
    from conformance.results import counts_text

    run = state.run
    counts = counts_text(run.summary)
    fuzzed = counts_text(run.operation_summary)
    operations = f"; operations fuzzed: {fuzzed}" if fuzzed else ""
    report = state.paths.get("html") or state.paths.get("json")
    where = f"; report: {report}" if report else ""
    print(f"sagemaker-conformance run: {run.target.get('name', '')} is {run.verdict.value} ({counts}){operations}; "
          f"seed {run.seed}{where}")


def main(argv: Optional[List[str]] = None) -> int:  # pragma: no cover - `python -m conformance run` is the entry
    from conformance.cli import main as cli_main

    return cli_main(["run", *(argv or [])])
