"""junit.xml: one test case per rule, for CI systems (built with ElementTree, like schemathesis).

Mapping: failed → <failure>; not_implemented → <failure type="not_implemented"> (it counts
against conformance); target_error → <error>; skipped → <skipped>; passed → bare test case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conformance.results import RunResult, Status

SUITE_NAME = "sagemaker-conformance"


def _failure_text(run, rule) -> str:
    from conformance.reports.rerun import commands

    parts = []
    for index, failure in enumerate(rule.failures, 1):
        parts.append(f"--- failure {index} (seed {failure.seed}) ---\n{failure.message}")
        if failure.reproduction:
            parts.append(f"# reproduction\n{failure.reproduction}")
        parts.append(f"# rerun just this rule\n{commands(run, rule.id, failure.seed)['cli']}")
    return "\n".join(parts)


def render(run: RunResult) -> bytes:
    summary = run.summary
    suites = ET.Element("testsuites", name=SUITE_NAME)
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(run.rules)),
        failures=str(summary["failed"] + summary["not_implemented"]),
        errors=str(summary["target_error"]),
        skipped=str(summary["skipped"]),
        time=f"{run.duration_s:.3f}",
        timestamp=run.started,
    )
    properties = ET.SubElement(suite, "properties")
    target = run.target.get("url") or run.target.get("kind") or run.target.get("name") or ""
    for name, value in (
        ("target", target),
        ("seed", "" if run.seed is None else str(run.seed)),
        ("botocore_version", run.botocore_version),
        ("tool_version", run.tool.get("version", "")),
        ("verdict", run.verdict.value),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for rule in run.rules:
        case = ET.SubElement(suite, "testcase", classname=f"conformance.{rule.area}", name=rule.id)
        status = Status(rule.status)
        citation = ".".join(filter(None, (rule.citation.get("operation"), rule.citation.get("member"))))
        if status is Status.FAILED:
            first = rule.failures[0].message if rule.failures else rule.reason or "rule failed"
            element = ET.SubElement(case, "failure", message=first, type="nonconformance")
            element.text = _failure_text(run, rule) or first
        elif status is Status.NOT_IMPLEMENTED:
            ET.SubElement(case, "failure", message=rule.reason or "not implemented by the target", type="not_implemented")
        elif status is Status.TARGET_ERROR:
            ET.SubElement(case, "error", message=rule.reason or "target error", type="target_error")
        elif status is Status.SKIPPED:
            ET.SubElement(case, "skipped", message=rule.reason or "skipped")
        ET.SubElement(case, "system-out").text = f"{rule.statement}\ncitation: {citation}\nchecks: {rule.checks}"
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"
