"""``sagemaker-conformance rules``: list the catalogue (id, area, statement, citation).

The documentation text behind each citation is read from the installed botocore
when listing (``--format json`` includes it; ``--docs`` prints it under each
rule in text), never copied into the catalogue.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List

from conformance.rules.catalogue import AREAS

EPILOG = """examples:
  sagemaker-conformance rules
  sagemaker-conformance rules --area deployments
  sagemaker-conformance rules --format json > rules.json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--area", choices=AREAS, help="list only the rules of this area")
    parser.add_argument(
        "--docs", action="store_true", help="text format: print the cited botocore documentation under each rule"
    )


def citation_text(rule) -> str:
    return f"{rule.operation}.{rule.member}" if rule.member else rule.operation


def rule_record(rule) -> dict:
    from conformance.model import documentation

    return {
        "id": rule.id,
        "area": rule.area,
        "marker": rule.marker,
        "statement": rule.statement,
        "citation": rule.citation,
        "documentation": documentation(rule.operation, rule.member),
    }


def render_text(rules: List, with_docs: bool = False) -> str:
    from conformance.model import documentation

    width = max((len(rule.id) for rule in rules), default=0)
    lines = []
    for rule in rules:
        lines.append(f"{rule.id:<{width}}  {rule.area:<11}  {citation_text(rule)}")
        lines.append(f"{'':<{width}}  {rule.statement}")
        if with_docs:
            lines.append(f"{'':<{width}}  docs: {documentation(rule.operation, rule.member)}")
    lines.append(f"{len(rules)} rules")
    return "\n".join(lines)


def command(args: argparse.Namespace) -> int:
    from conformance.rules import all_rules, in_area

    rules = in_area(args.area) if args.area else all_rules()
    if args.format == "json":
        json.dump([rule_record(rule) for rule in rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_text(rules, with_docs=args.docs))
    return 0
