"""report.json: the source of truth every other report is derived from.

``document(run)`` is ``RunResult.to_json()`` with credentials scrubbed and the
format version added; ``load(path)`` validates against the shipped JSON Schema
before turning a document back into a ``RunResult``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Union

from conformance.errors import ConformanceError
from conformance.reports.redact import redact
from conformance.results import RunResult

REPORT_FORMAT = 1
SCHEMA_FILE = "report.schema.json"


@functools.lru_cache(maxsize=None)
def schema() -> dict:
    """The JSON Schema of report.json, as shipped in the package."""
    return json.loads(resources.files("conformance.reports").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def document(run: RunResult) -> dict:
    data = redact(run.to_json())
    return {"report_format": REPORT_FORMAT, **data}


def problems(data: object) -> list:
    """Every schema violation of ``data`` as "$.path: message", in document order."""
    import jsonschema  # heavy: only when validating

    validator = jsonschema.Draft202012Validator(schema())
    found = sorted(validator.iter_errors(data), key=lambda error: list(map(str, error.absolute_path)))
    return [f"{error.json_path}: {error.message}" for error in found]


def dumps(run: RunResult) -> str:
    return json.dumps(document(run), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def load(path: Union[str, Path]) -> RunResult:
    """Read a report.json (or a report directory holding one); one-line ConformanceError when unusable."""
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else type(err).__name__
        raise ConformanceError(f"cannot read report {path}: {reason}") from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConformanceError(f"{path} is not JSON (line {err.lineno}, column {err.colno}: {err.msg})") from err
    found = problems(data)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ConformanceError(f"{path} is not a sagemaker-conformance report: {found[0]}{more}")
    try:
        return RunResult.from_json(data)
    except (TypeError, ValueError, KeyError) as err:  # schema and dataclasses drifted apart
        raise ConformanceError(f"{path} cannot be read by this version: {err}") from err
