"""Reports of a conformance run: report.json (source of truth), report.html, junit.xml, badge.svg.

``write_reports(run, directory)`` writes all four from one ``RunResult``, with
credentials redacted first; ``load(path)`` reads a report.json back. The
format of report.json is described in the README (Reports) and checked
by the JSON Schema ``report.schema.json`` shipped with the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional, Union

from conformance.reports.jsonreport import load, schema

__all__ = ["FILENAMES", "load", "schema", "write_reports"]

FILENAMES = {"json": "report.json", "html": "report.html", "junit": "junit.xml", "badge": "badge.svg"}


def write_reports(run, directory: Union[str, Path], *, baseline=None) -> Dict[str, Path]:
    """Write every report of ``run`` into ``directory`` (created if needed); return their paths by kind.

    ``baseline`` (a RunResult, or a path to its report.json) adds a comparison section to the HTML.
    """
    from conformance.errors import ConformanceError
    from conformance.reports import badge, html, jsonreport, junit
    from conformance.reports.redact import scrubbed

    run = scrubbed(run)
    baseline_run: Optional[object] = load(baseline) if isinstance(baseline, (str, Path)) else baseline
    directory = Path(directory)
    contents = {
        "json": jsonreport.dumps(run).encode("utf-8"),
        "html": html.render(run, baseline=baseline_run).encode("utf-8"),
        "junit": junit.render(run),
        "badge": badge.render(run).encode("utf-8"),
    }
    paths = {kind: directory / name for kind, name in FILENAMES.items()}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for kind, path in paths.items():
            path.write_bytes(contents[kind])
    except OSError as err:
        raise ConformanceError(f"cannot write reports to {directory}: {err.strerror or err}") from err
    return paths
