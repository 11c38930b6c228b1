"""``sagemaker-conformance compare OLD.json NEW.json``: what changed between two runs.

Prints every rule whose status changed, regressions first, and exits 1 when
there is a regression (0 otherwise, 2 on unusable input). A regression is a
rule that was not held against the target before (passed, skipped, target
error) and now is (failed or not implemented). Rules only in one report are
listed as added/removed and are never regressions: the catalogue grew, the
target did not get worse.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass
from typing import List, Optional

from conformance.results import RunResult, Status

AGAINST = {Status.FAILED, Status.NOT_IMPLEMENTED}


class ChangeKind(str, enum.Enum):
    REGRESSION = "regression"
    IMPROVEMENT = "improvement"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"

    def __str__(self) -> str:
        return self.value


# Printing order: regressions first, then what got better, then the rest.
KIND_ORDER = [ChangeKind.REGRESSION, ChangeKind.IMPROVEMENT, ChangeKind.CHANGED, ChangeKind.ADDED, ChangeKind.REMOVED]


@dataclass(frozen=True)
class Change:
    rule_id: str
    area: str
    kind: ChangeKind
    before: Optional[Status]  # None: the rule was not in that report
    after: Optional[Status]

    def describe(self) -> str:
        before = self.before.value if self.before else "-"
        after = self.after.value if self.after else "-"
        return f"{self.kind.value.upper():<12} {self.rule_id}  {before} -> {after}"


def classify(before: Optional[Status], after: Optional[Status]) -> Optional[ChangeKind]:
    if before == after:
        return None
    if before is None:
        return ChangeKind.ADDED
    if after is None:
        return ChangeKind.REMOVED
    if after in AGAINST and before not in AGAINST:
        return ChangeKind.REGRESSION
    if after is Status.PASSED:
        return ChangeKind.IMPROVEMENT
    return ChangeKind.CHANGED


def diff(old: RunResult, new: RunResult) -> List[Change]:
    """Rules whose status differs between ``old`` and ``new``, regressions first, then by rule id."""
    before = {rule.id: rule for rule in old.rules}
    after = {rule.id: rule for rule in new.rules}
    changes = []
    for rule_id in sorted(set(before) | set(after)):
        old_rule, new_rule = before.get(rule_id), after.get(rule_id)
        old_status = Status(old_rule.status) if old_rule else None
        new_status = Status(new_rule.status) if new_rule else None
        kind = classify(old_status, new_status)
        if kind is not None:
            area = (new_rule or old_rule).area
            changes.append(Change(rule_id, area, kind, old_status, new_status))
    return sorted(changes, key=lambda change: (KIND_ORDER.index(change.kind), change.rule_id))


def summary_line(old: RunResult, new: RunResult, changes: List[Change]) -> str:
    counts = {kind: sum(1 for change in changes if change.kind is kind) for kind in KIND_ORDER}
    parts = [f"{counts[kind]} {kind.value}{'s' if counts[kind] != 1 and kind is not ChangeKind.CHANGED else ''}"
             for kind in KIND_ORDER if counts[kind]]
    verdicts = f"verdict {old.verdict.value} -> {new.verdict.value}"
    if not changes:
        return f"no rule changed status ({len(new.rules)} rules); {verdicts}"
    return f"{len(changes)} rule(s) changed status: {', '.join(parts)}; {verdicts}"


def add_arguments(parser) -> None:
    parser.epilog = (
        "examples:\n"
        "  sagemaker-conformance compare reports/main/report.json reports/pr/report.json\n"
        "  sagemaker-conformance compare old/ new/ --html comparison.html\n"
        "exit status: 0 no regression, 1 at least one regression, 2 unusable input"
    )
    parser.add_argument("old", metavar="OLD", help="baseline report.json (or the report directory holding it)")
    parser.add_argument("new", metavar="NEW", help="new report.json (or the report directory holding it)")
    parser.add_argument("--html", metavar="OUT", help="also write NEW's HTML report with the comparison to OUT")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def command(args) -> int:
    import json
    from pathlib import Path

    from conformance.reports import load

    old, new = load(args.old), load(args.new)
    changes = diff(old, new)
    if args.format == "json":
        print(json.dumps({
            "old": {"verdict": old.verdict.value, "summary": old.summary},
            "new": {"verdict": new.verdict.value, "summary": new.summary},
            "changes": [{"rule": c.rule_id, "area": c.area, "kind": c.kind.value,
                         "before": c.before.value if c.before else None,
                         "after": c.after.value if c.after else None} for c in changes],
        }, indent=2))
    else:
        for change in changes:
            print(change.describe())
        print(summary_line(old, new, changes))
    if args.html:
        from conformance.errors import ConformanceError
        from conformance.reports.html import render

        out = Path(args.html)
        try:
            out.write_text(render(new, baseline=old), encoding="utf-8")
        except OSError as err:
            raise ConformanceError(f"cannot write {out}: {err.strerror or err}") from err
        print(f"comparison written to {out}", file=sys.stderr)
    return 1 if any(change.kind is ChangeKind.REGRESSION for change in changes) else 0
