"""badge.svg: verdict and pass rate, shields-style, for a mock's README."""

from __future__ import annotations

from conformance.reports.figures import pass_rate, percent
from conformance.results import RunResult, Verdict

COLOURS = {Verdict.CONFORMANT: "#2e7d32", Verdict.NONCONFORMANT: "#c62828", Verdict.INCOMPLETE: "#9e6a03"}
LABEL = "SageMaker conformance"


def _text_width(text: str) -> int:
    # Verdana 11px averages ~6.5px a character; wide letters a little more.
    return int(sum(7.5 if ch in "MWmw%" else 6.4 for ch in text)) + 12


def value(run: RunResult) -> str:
    return f"{run.verdict.value} {percent(pass_rate(run))}"


def render(run: RunResult) -> str:
    from conformance.reports.html import environment

    text = value(run)
    left, right = _text_width(LABEL), _text_width(text)
    return environment().get_template("badge.svg.j2").render(
        label=LABEL, value=text, left=left, right=right, width=left + right, colour=COLOURS[run.verdict]
    )
