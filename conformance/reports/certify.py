"""``sagemaker-conformance certify --target T``: run the whole catalogue at a fixed seed and certify.

The run uses ``CERTIFY_SEED`` and ``CERTIFY_MAX_EXAMPLES`` (recorded in the
statement), no area selection and no known-failures file, then writes the usual
reports plus ``certificate.json`` and ``certificate.txt`` beside them.

A target is certified when every rule of the catalogue was decided and none
held against it: no rule failed, none is not implemented (each listed by
name), and none ended in a target error (a run that could not judge a rule
certifies nothing; rerun it). Skipped rules, e.g. failure injection that only
the reference target supports, are listed with their reason and do not block.
Exit status: 0 certified, 1 not certified, 2 usage or target error.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from conformance.results import RunResult, Status

CERTIFY_SEED = 20240601
CERTIFY_MAX_EXAMPLES = 20
STATEMENT_FORMAT = 1
CERTIFIED, NOT_CERTIFIED = "certified", "not certified"


def rule_set(rules: Iterable) -> dict:
    """The rule set a certificate speaks for: ids, and a digest that changes with any id, statement or citation."""
    rows = sorted(
        "\t".join((rule.id, rule.area, rule.statement, rule.citation.get("operation", ""), rule.citation.get("member", "")))
        for rule in rules
    )
    digest = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
    return {"count": len(rows), "digest": f"sha256:{digest}", "ids": sorted(row.split("\t", 1)[0] for row in rows)}


def _ids(run: RunResult, status: Status) -> List[str]:
    return sorted(rule.id for rule in run.rules if Status(rule.status) is status)


def statement(run: RunResult, *, max_examples: int, report_sha256: str = "", issued: Optional[str] = None) -> dict:
    """The certification statement (certificate.json) for a finished full-catalogue run."""
    failed, missing = _ids(run, Status.FAILED), _ids(run, Status.NOT_IMPLEMENTED)
    errors = _ids(run, Status.TARGET_ERROR)
    skipped = {rule.id: rule.reason or "skipped" for rule in sorted(run.rules, key=lambda r: r.id)
               if Status(rule.status) is Status.SKIPPED}
    reasons = []
    if failed:
        reasons.append(f"{len(failed)} rule(s) failed")
    if missing:
        reasons.append(f"{len(missing)} rule(s) not implemented")
    if errors:
        reasons.append(f"{len(errors)} rule(s) could not be judged (target errors)")
    if not run.summary["passed"]:
        reasons.append("no rule passed")
    return {
        "certificate_format": STATEMENT_FORMAT,
        "result": NOT_CERTIFIED if reasons else CERTIFIED,
        "reasons": reasons,
        "target": dict(run.target),
        "tool": dict(run.tool),
        "botocore_version": run.botocore_version,
        "seed": run.seed,
        "max_examples": max_examples,
        "rule_set": rule_set(run.rules),
        "verdict": run.verdict.value,
        "summary": run.summary,
        "failed": failed,
        "not_implemented": missing,
        "target_error": errors,
        "skipped": skipped,
        "started": run.started,
        "duration_s": run.duration_s,
        "issued": issued or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "report": {"file": "report.json", "sha256": report_sha256},
    }


def render_text(data: dict) -> str:
    target = data["target"]
    name = target.get("url") or target.get("name") or target.get("kind") or "?"
    lines = [
        f"SageMaker API conformance certificate — {data['result'].upper()}",
        "",
        f"Target:          {name}" + (f" ({target['description']})" if target.get("description") else ""),
        f"Result:          {data['result']}" + (f": {'; '.join(data['reasons'])}" if data["reasons"] else ""),
        f"Tool:            {data['tool'].get('name', '')} {data['tool'].get('version', '')}",
        f"botocore:        {data['botocore_version']}",
        f"Rule set:        {data['rule_set']['count']} rules, {data['rule_set']['digest']}",
        f"Seed / examples: {data['seed']} / {data['max_examples']} per rule-based machine",
        "Summary:         " + ", ".join(f"{count} {status.replace('_', ' ')}" for status, count in data["summary"].items()),
        f"Run:             started {data['started']}, {data['duration_s']:.1f} s; issued {data['issued']}",
        f"Evidence:        {data['report']['file']} ({data['report']['sha256'] or 'not hashed'})",
    ]
    for title, key in (("Failed rules", "failed"), ("Not implemented", "not_implemented"), ("Target errors", "target_error")):
        if data[key]:
            lines += ["", f"{title} ({len(data[key])}):"] + [f"  - {rule_id}" for rule_id in data[key]]
    if data["skipped"]:
        lines += ["", f"Skipped ({len(data['skipped'])}, not counted against the target):"]
        lines += [f"  - {rule_id}: {reason}" for rule_id, reason in data["skipped"].items()]
    lines += ["", "Rules covered:"] + [f"  {rule_id}" for rule_id in data["rule_set"]["ids"]]
    return "\n".join(lines) + "\n"


def write_certificate(run: RunResult, directory, *, max_examples: int, issued: Optional[str] = None) -> Dict[str, Path]:
    """Write the reports and the certificate into ``directory``; returns every path by kind."""
    from conformance.errors import ConformanceError
    from conformance.reports import write_reports
    from conformance.reports.redact import redact

    paths = write_reports(run, directory)
    digest = hashlib.sha256(paths["json"].read_bytes()).hexdigest()
    data = redact(statement(run, max_examples=max_examples, report_sha256=f"sha256:{digest}", issued=issued))
    paths["certificate"] = Path(directory) / "certificate.json"
    paths["certificate_text"] = Path(directory) / "certificate.txt"
    try:
        paths["certificate"].write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        paths["certificate_text"].write_text(render_text(data), encoding="utf-8")
    except OSError as err:
        raise ConformanceError(f"cannot write the certificate to {directory}: {err.strerror or err}") from err
    return paths


def add_arguments(parser) -> None:
    parser.epilog = (
        f"The run is pinned: seed {CERTIFY_SEED}, {CERTIFY_MAX_EXAMPLES} examples per machine, every area.\n"
        "A target is certified when no rule failed, none is not implemented and none hit a target error.\n\n"
        "examples:\n"
        "  sagemaker-conformance certify --target moto\n"
        "  sagemaker-conformance certify --target http://127.0.0.1:5000 --time-scale 0.001 --report-dir cert/\n\n"
        "exit status: 0 certified, 1 not certified, 2 usage or target error"
    )
    parser.add_argument("--target", default="reference", metavar="TARGET",
                        help="what to certify (default: reference); same forms as 'run --target'")
    parser.add_argument("--report-dir", default=None, metavar="DIR",
                        help="where the reports and certificate.json/.txt go (default: reports/<run-id>/)")
    from conformance import options
    from conformance.runner import argparse_type

    parser.add_argument("-n", "--workers", type=argparse_type(options.workers), default=None, metavar="N",
                        help="run on N processes (pytest-xdist) or 'auto'; the result is the same")
    parser.add_argument("--time-scale", type=argparse_type(options.positive_float), default=None, metavar="X",
                        help="scale polling and timeouts by X for a URL target running a scaled clock")
    parser.add_argument("--allow-aws-costs", action="store_true",
                        help="allow --target aws[:REGION]: the run creates billable SageMaker resources")
    parser.add_argument("--target-credentials", default=None, metavar="PROFILE",
                        help="send this AWS profile's credentials to the target (default: dummy credentials)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no per-test progress lines")


class _Capture:
    """pytest plugin object keeping the plugin's run state once pytest ends."""

    def __init__(self) -> None:
        self.state = None

    def pytest_unconfigure(self, config) -> None:
        from conformance.plugin import STATE

        self.state = config.stash.get(STATE, None)


def run_catalogue(args):
    """Run the whole shipped suite in-process at the certification seed; returns the plugin's run state."""
    import argparse
    import shlex

    import pytest

    from conformance import runner
    from conformance.errors import ConformanceError

    runner.probe_target(args)
    pinned = argparse.Namespace(
        target=args.target, report_dir=args.report_dir, seed=CERTIFY_SEED, max_examples=CERTIFY_MAX_EXAMPLES,
        time_scale=args.time_scale, known_failures=None, target_credentials=args.target_credentials,
        allow_aws_costs=args.allow_aws_costs, workers=args.workers, markexpr=None, keyword=None, quiet=args.quiet,
        pytest_args="",
    )
    argv = runner.pytest_args(pinned)
    print("sagemaker-conformance certify: pytest " + " ".join(shlex.quote(a) for a in argv), flush=True)
    capture = _Capture()
    code = int(pytest.main(argv, plugins=[capture]))
    state = capture.state
    if code not in (0, 1) or state is None or state.run is None:
        raise ConformanceError(f"the certification run did not complete (pytest exit status {code}); nothing certified")
    return state


def command(args) -> int:
    state = run_catalogue(args)
    run = state.run
    if run.max_examples is None:
        run.max_examples = CERTIFY_MAX_EXAMPLES
    directory = Path(args.report_dir) if args.report_dir else Path(state.paths["json"]).parent
    paths = write_certificate(run, directory, max_examples=CERTIFY_MAX_EXAMPLES)
    data = json.loads(paths["certificate"].read_text(encoding="utf-8"))
    name = run.target.get("url") or run.target.get("name") or run.target.get("kind")
    because = f": {'; '.join(data['reasons'])}" if data["reasons"] else ""
    print(f"sagemaker-conformance certify: {name} is {data['result'].upper()}{because}")
    for title, key in (("failed", "failed"), ("not implemented", "not_implemented"), ("target error", "target_error")):
        for rule_id in data[key]:
            print(f"  {title}: {rule_id}")
    print(f"certificate: {paths['certificate_text']}\nreport: {paths['html']}")
    return 0 if data["result"] == CERTIFIED else 1
