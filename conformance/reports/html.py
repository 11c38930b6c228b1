"""report.html: one self-contained page (inline CSS, JS and SVG; no network), rendered with Jinja.

The page is fed from the (redacted) RunResult plus, at report time, the
installed botocore's documentation of each rule's citation, so the text shown
is the text the run was checked against.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Tuple

from conformance.reports import diagram
from conformance.reports.figures import STATUS_ORDER, VERDICT_EXPLANATION, VERDICT_TEXT, decided, pass_rate, percent
from conformance.reports.redact import scrubbed
from conformance.reports.rerun import commands, operation_commands, target_spec
from conformance.results import RunResult, Status

STATUS_LABELS = {
    Status.PASSED: "passed",
    Status.FAILED: "failed",
    Status.NOT_IMPLEMENTED: "not implemented",
    Status.TARGET_ERROR: "target error",
    Status.SKIPPED: "skipped",
}


@functools.lru_cache(maxsize=None)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("conformance.reports", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2", "svg"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["status_label"] = lambda status: STATUS_LABELS[Status(status)]
    return env


@functools.lru_cache(maxsize=None)
def cited_documentation(operation: str, member: str) -> Tuple[str, str]:
    """(where, text): the installed botocore's documentation of a citation.

    The member's own documentation when it has some, else the operation's
    (``conformance.model.documentation`` resolves input members, then output).
    """
    from botocore.model import OperationNotFoundError

    from conformance import model

    if not operation:
        return "", ""
    try:
        if member:
            try:
                text = model.documentation(operation, member)
            except KeyError:
                text = ""
            if text:
                return f"{operation}.{member}", text
        return operation, model.documentation(operation)
    except OperationNotFoundError:
        return operation, f"(the installed botocore {model.botocore_version()} has no operation {operation})"


def _matrix(run: RunResult) -> List[dict]:
    counts: Dict[str, Counter] = defaultdict(Counter)
    for rule in run.rules:
        counts[rule.area][Status(rule.status)] += 1
    return [
        {"area": area, "counts": [(status, counts[area][status]) for status in STATUS_ORDER],
         "total": sum(counts[area].values())}
        for area in sorted(counts)
    ]


def _operations(run: RunResult) -> dict:
    cited = Counter(rule.citation.get("operation", "") for rule in run.rules if rule.citation.get("operation"))
    called = {operation.name: operation for operation in run.operations}
    rows = []
    for operation in sorted(run.operations, key=lambda o: (-o.requests, o.name)):
        codes = sorted(operation.status_codes.items())
        rows.append({
            "name": operation.name,
            "requests": operation.requests,
            "codes": [(code, count, "ok" if code.startswith("2") else "client" if code.startswith("4") else "server")
                      for code, count in codes],
            "cited": cited.get(operation.name, 0),
            "status": operation.status,
            "failures": operation.failures,
        })
    return {
        "rows": rows,
        "total_requests": sum(operation.requests for operation in run.operations),
        "uncalled_cited": sorted(name for name in cited if name not in called),
    }


def _statuses(run: RunResult) -> List[dict]:
    """Documented status enums and which of their values the run observed."""
    from botocore.model import NoShapeFoundError

    from conformance.model import service_model

    observed = {state for before, after, _ in diagram.parse(run.transitions) for state in (before, after)}
    groups = []
    for shape_name in ("EndpointStatus", "VariantStatus"):
        try:
            values = service_model().shape_for(shape_name).enum
        except NoShapeFoundError:
            continue
        groups.append({
            "shape": shape_name,
            "enum_values": [(value, value in observed) for value in values],
            "seen": sum(1 for value in values if value in observed),
        })
    return groups


def _failures(run: RunResult) -> List[dict]:
    entries = []
    order = {status: index for index, status in enumerate(STATUS_ORDER)}
    for rule in sorted(run.rules, key=lambda r: (order[Status(r.status)], r.area, r.id)):
        status = Status(rule.status)
        if status is not Status.FAILED:
            continue
        entries.append({
            "rule": rule,
            "failures": [{"failure": failure, "rerun": commands(run, rule.id, failure.seed)} for failure in rule.failures],
            "rerun": commands(run, rule.id, None),
        })
    return entries


def _not_implemented(run: RunResult) -> List[dict]:
    """Rules held against the target because it does not implement what they need: one line each."""
    return [{"rule": rule} for rule in sorted(run.rules, key=lambda r: (r.area, r.id))
            if Status(rule.status) is Status.NOT_IMPLEMENTED]


def _fuzz_failures(run: RunResult) -> List[dict]:
    """Operations the wide fuzzing found broken (they carry no rule, so they are listed apart)."""
    entries = []
    for operation in sorted(run.operations, key=lambda o: o.name):
        if operation.status is None or Status(operation.status) is not Status.FAILED:
            continue
        entries.append({
            "operation": operation,
            "failures": [{"failure": failure, "rerun": operation_commands(run, operation.name, failure.seed)}
                         for failure in operation.failures],
        })
    return entries


def context(run: RunResult, baseline: Optional[RunResult] = None) -> dict:
    from conformance.reports.compare import diff, summary_line

    rate = pass_rate(run)
    areas: Dict[str, list] = defaultdict(list)
    order = {status: index for index, status in enumerate(STATUS_ORDER)}
    for rule in sorted(run.rules, key=lambda r: (order[Status(r.status)], r.id)):
        where, text = cited_documentation(rule.citation.get("operation", ""), rule.citation.get("member", ""))
        citation = ".".join(filter(None, (rule.citation.get("operation"), rule.citation.get("member"))))
        areas[rule.area].append({"rule": rule, "doc_where": where, "doc_text": text, "citation": citation})
    changes = diff(baseline, run) if baseline is not None else None
    from conformance.model import botocore_version

    return {
        "docs_botocore": botocore_version(),  # documentation is read now, maybe from another botocore than the run's
        "run": run,
        "verdict": run.verdict.value,
        "verdict_text": VERDICT_TEXT[run.verdict],
        "verdict_explanation": VERDICT_EXPLANATION[run.verdict],
        "score": percent(rate),
        "score_value": 0 if rate is None else rate,
        "decided": decided(run),
        "summary": [(status, run.summary[status.value]) for status in STATUS_ORDER],
        "total_rules": len(run.rules),
        "target": target_spec(run),
        "matrix": _matrix(run),
        "statuses_order": STATUS_ORDER,
        "areas": sorted(areas.items()),
        "failures": _failures(run),
        "not_implemented": _not_implemented(run),
        "fuzz_failures": _fuzz_failures(run),
        "operations": _operations(run),
        "status_groups": _statuses(run),
        "diagram": diagram.layout(run.transitions),
        "transitions": sorted(run.transitions.items(), key=lambda item: (-item[1], item[0])),
        "baseline": baseline,
        "changes": changes,
        "comparison_summary": summary_line(baseline, run, changes) if baseline is not None else "",
    }


def render(run: RunResult, baseline: Optional[RunResult] = None) -> str:
    run = scrubbed(run)
    baseline = scrubbed(baseline) if baseline is not None else None
    return environment().get_template("report.html.j2").render(**context(run, baseline))
