"""The committed JSON Schemas in ``shapes/sagemaker/``: read, validate against, regenerate, check.

``shapes/sagemaker/<Operation>.json`` holds ``{"input": schema, "output": schema}``;
``shapes/sagemaker/index.json`` the botocore version, API version and operation list.
A wheel ships them as ``conformance/_shapes``; an editable install reads
``<repo>/shapes``. ``sagemaker-conformance shapes [--check] [--dir DIR]``.
"""

from __future__ import annotations

import functools
import json
import pathlib
from typing import Callable, Dict, List, Optional, Tuple

from conformance.errors import ShapesError
from conformance.violation import Constraint, Violation

SERVICE_DIR = "sagemaker"
INDEX = "index.json"
DIRECTIONS = ("input", "output")
MODEL_PATTERN = "x-model-pattern"  # = conformance.schemas.MODEL_PATTERN (not imported: keeps this module light)


def _default_dir(package: Optional[pathlib.Path] = None) -> pathlib.Path:
    package = package or pathlib.Path(__file__).resolve().parent
    shipped = package / "_shapes"
    return shipped if shipped.is_dir() else package.parent / "shapes"


SHAPES_DIR = _default_dir()


def _dump(document: dict) -> str:
    """Deterministic file text: sorted keys, one-space indent, UTF-8, trailing newline."""
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _file(directory: pathlib.Path, operation: str) -> pathlib.Path:
    return pathlib.Path(directory) / SERVICE_DIR / f"{operation}.json"


def _read(path: pathlib.Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ShapesError(f"{path} is missing; regenerate with 'sagemaker-conformance shapes'") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ShapesError(f"{path} is unreadable: {err}") from err
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise ShapesError(f"{path} is corrupt: {err.msg} at line {err.lineno}, column {err.colno}") from err
    if not isinstance(document, dict):
        raise ShapesError(f"{path} is corrupt: expected a JSON object")
    return document


@functools.lru_cache(maxsize=None)
def _operation_document(directory: pathlib.Path, operation: str) -> dict:
    path = _file(directory, operation)
    if not path.exists():
        index_path = pathlib.Path(directory) / SERVICE_DIR / INDEX
        if index_path.exists() and operation not in _read(index_path).get("operations", []):
            raise ShapesError(f"unknown operation {operation!r}: not in {index_path}")
    document = _read(path)
    for direction in DIRECTIONS:
        if not isinstance(document.get(direction), dict):
            raise ShapesError(f"{path} is corrupt: no {direction!r} schema object")
    return document


def _schema(operation: str, direction: str, directory: Optional[pathlib.Path] = None) -> dict:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    return _operation_document(pathlib.Path(directory or SHAPES_DIR), operation)[direction]


def operations(directory: Optional[pathlib.Path] = None) -> List[str]:
    """The operations the committed shapes describe (index.json), whatever botocore is installed."""
    return list(_read(pathlib.Path(directory or SHAPES_DIR) / SERVICE_DIR / INDEX).get("operations", []))


def ensure_readable(directory: Optional[pathlib.Path] = None) -> None:
    """Read every committed operation file once, so a corrupt one stops a run before it starts.

    Raises ShapesError naming the first bad file.
    """
    root = pathlib.Path(directory or SHAPES_DIR)
    index = _read(root / SERVICE_DIR / INDEX)
    for operation in index.get("operations", []):
        _operation_document(root, operation)


def input_schema(operation: str) -> dict:
    """The committed JSON Schema of ``operation``'s request payload (do not mutate: it is cached)."""
    return _schema(operation, "input")


def output_schema(operation: str) -> dict:
    """The committed JSON Schema of ``operation``'s response payload (do not mutate: it is cached)."""
    return _schema(operation, "output")


# --- validation ----------------------------------------------------------------------------------

_KINDS = {
    "required": Constraint.REQUIRED,
    "type": Constraint.TYPE,
    "minimum": Constraint.MIN,
    "exclusiveMinimum": Constraint.MIN,
    "maximum": Constraint.MAX,
    "exclusiveMaximum": Constraint.MAX,
    "minLength": Constraint.MIN_LENGTH,
    "minItems": Constraint.MIN_LENGTH,
    "minProperties": Constraint.MIN_LENGTH,
    "maxLength": Constraint.MAX_LENGTH,
    "maxItems": Constraint.MAX_LENGTH,
    "maxProperties": Constraint.MAX_LENGTH,
    "pattern": Constraint.PATTERN,
    "enum": Constraint.ENUM,
    "additionalProperties": Constraint.UNKNOWN_MEMBER,
}


@functools.lru_cache(maxsize=None)
def _validator_class():
    """Draft 2020-12, with ``pattern`` matched by ``patterns.matcher`` (linear where re would backtrack
    exponentially on a few ambiguous model patterns: a hostile value must not hang a target)."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    from conformance.pattern_matching import matcher

    def pattern(validator, regex, instance, schema):
        if validator.is_type(instance, "string") and not matcher(regex)(instance):
            yield ValidationError(f"{instance!r} does not match {regex!r}")

    return validators.extend(Draft202012Validator, validators={"pattern": pattern})


@functools.lru_cache(maxsize=None)
def _validator(directory: pathlib.Path, operation: str, direction: str):
    return _validator_class()(_schema(operation, direction, directory))


def _violations_of(error) -> List[Violation]:
    path: Tuple = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        # One error per missing member; point at the member itself.
        missing = [m for m in error.validator_value if m not in error.instance
                   and error.message == f"{m!r} is a required property"]
        return [Violation(path + (m,), Constraint.REQUIRED.value, error.message) for m in missing]
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in known)
        return [Violation(path + (k,), Constraint.UNKNOWN_MEMBER.value, f"unknown member {k!r}") for k in extra]
    constraint = _KINDS.get(kind)
    if constraint is None:
        raise ShapesError(f"unexpected JSON Schema keyword {kind!r} in the shapes (at {path})")
    schema_path = error.relative_schema_path
    if len(schema_path) >= 2 and schema_path[-2] == "propertyNames":
        # A map key breaks the key shape: jsonschema reports it at the map; point at the key.
        return [Violation(path + (error.instance,), constraint.value, f"map key: {_message(error)}")]
    return [Violation(path, constraint.value, _message(error))]


def _message(error) -> str:
    if error.validator == "pattern":  # the translated regex is long; name the model's pattern instead
        original = error.schema.get(MODEL_PATTERN, error.validator_value)
        return f"{error.instance!r} does not match the model pattern {original!r}"
    if error.validator == "enum" and len(error.validator_value) > 8:
        shown = ", ".join(map(repr, error.validator_value[:5]))
        return f"{error.instance!r} is not one of the {len(error.validator_value)} allowed values ({shown}, …)"
    return error.message


# (id(schema), parsed) -> (schema, its compiled check). Keyed by the loaded document, not by name, so
# the check follows _operation_document's cache (cleared when the shapes are regenerated or swapped).
_FAST_CHECKS: Dict[Tuple[int, bool], Tuple[dict, Callable[[object], bool]]] = {}


def fast_check(operation: str, direction: str = "input", *, parsed: bool = False) -> Callable[[object], bool]:
    """``operation``'s ``direction`` schema compiled into a yes/no validity check (see conformance.schema_check).

    True exactly when jsonschema finds no violation of a JSON value. Raises ShapesError on a
    keyword the compiler does not know. ``parsed``: for a response as botocore parsed it
    (timestamps as datetimes).
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    # SHAPES_DIR itself, not a new Path per call: a Path caches its hash, so the cache lookup stays cheap.
    directory = SHAPES_DIR if isinstance(SHAPES_DIR, pathlib.Path) else pathlib.Path(SHAPES_DIR)
    schema = _operation_document(directory, operation)[direction]
    cached = _FAST_CHECKS.get((id(schema), parsed))
    if cached is not None and cached[0] is schema:
        return cached[1]
    from conformance.schema_check import compile_schema

    check = compile_schema(schema, parsed=parsed)
    _FAST_CHECKS[id(schema), parsed] = (schema, check)
    return check


def parsed_output_valid(operation: str, response: dict) -> bool:
    """True when a botocore-parsed response surely matches the output schema; False means "not
    sure": ``violations`` of its wire form decide (a number's bound next to a datetime, say)."""
    return _fast_verdict(operation, response, "output", parsed=True) is True


def _fast_verdict(operation: str, payload, direction: str, parsed: bool = False) -> Optional[bool]:
    """The compiled check's verdict; None where it cannot decide (a non-JSON value its comparisons choke on,
    nesting too deep): jsonschema decides those."""
    # A schema it cannot compile is an error (ShapesError), not a doubt.
    check = fast_check(operation, direction, parsed=parsed)
    try:
        return check(payload)
    except Exception:  # noqa: BLE001
        return None


def is_valid(operation: str, payload, direction: str = "input") -> bool:
    """``not violations(...)`` without listing them: jsonschema runs only where the compiled check cannot decide."""
    verdict = _fast_verdict(operation, payload, direction)
    return verdict if verdict is not None else not jsonschema_violations(operation, payload, direction)


def violations(operation: str, payload, direction: str = "input") -> List[Violation]:
    """Every schema violation of ``payload`` (empty when valid), each with its path from the payload root."""
    if _fast_verdict(operation, payload, direction):
        return []  # the common case; jsonschema only runs to explain an invalid payload
    return jsonschema_violations(operation, payload, direction)


def jsonschema_violations(operation: str, payload, direction: str = "input") -> List[Violation]:
    """``violations`` computed by jsonschema alone (the reference the fast check is tested against)."""
    validator = _validator(pathlib.Path(SHAPES_DIR), operation, direction)
    found: List[Violation] = []
    for error in validator.iter_errors(payload):
        found.extend(_violations_of(error))
    return sorted(set(found), key=lambda v: (tuple(map(str, v.path)), v.constraint, v.message))


# --- generation and drift ------------------------------------------------------------------------

def expected_files() -> Dict[str, dict]:
    """``{file name: document}`` for the installed botocore: every operation plus the index."""
    from conformance import model, patterns, schemas

    documents = {f"{op}.json": doc for op, doc in schemas.convert_all().items()}
    documents[INDEX] = {
        "service": model.SERVICE_NAME,
        "botocore_version": model.botocore_version(),
        "api_version": model.api_version(),
        "unicode_version": patterns.UNICODE_VERSION,
        "operations": sorted(op for op in (name[:-5] for name in documents)),
    }
    return documents


def _without_unicode_classes(node):
    """``node`` minus what depends on the Python's Unicode database: patterns translated from ``\\p{..}``
    classes, and the index's record of the version."""
    if isinstance(node, dict):
        unicode_dependent = "\\p{" in str(node.get(MODEL_PATTERN, ""))
        return {key: _without_unicode_classes(value) for key, value in node.items()
                if key != "unicode_version" and not (key == "pattern" and unicode_dependent)}
    if isinstance(node, list):
        return [_without_unicode_classes(item) for item in node]
    return node


def unicode_versions(directory: Optional[pathlib.Path] = None) -> Tuple[Optional[str], str]:
    """(Unicode version the committed shapes were translated with, this Python's)."""
    from conformance.patterns import UNICODE_VERSION

    index = pathlib.Path(directory or SHAPES_DIR) / SERVICE_DIR / INDEX
    try:
        committed = json.loads(index.read_text(encoding="utf-8")).get("unicode_version")
    except (OSError, ValueError, AttributeError):
        committed = None
    return committed, UNICODE_VERSION


def generate(directory: Optional[pathlib.Path] = None) -> Tuple[int, int]:
    """Write the shapes for the installed botocore; remove stale files. Returns (operations, files changed)."""
    target = pathlib.Path(directory or SHAPES_DIR) / SERVICE_DIR
    target.mkdir(parents=True, exist_ok=True)
    documents = expected_files()
    changed = 0
    for name, document in documents.items():
        path = target / name
        text = _dump(document)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed += 1
    for stale in target.glob("*.json"):
        if stale.name not in documents:
            stale.unlink()
            changed += 1
    _operation_document.cache_clear()
    _validator.cache_clear()
    _FAST_CHECKS.clear()
    return len(documents) - 1, changed


def check(directory: Optional[pathlib.Path] = None) -> List[str]:
    """Operations whose committed file differs from the installed botocore (also missing or extra ones).

    ``"index"`` stands for a differing ``index.json``.
    """
    target = pathlib.Path(directory or SHAPES_DIR) / SERVICE_DIR
    documents = expected_files()
    committed_unicode, installed_unicode = unicode_versions(directory)
    # Another Python may know more assigned characters: that is not drift from botocore.
    comparable = _without_unicode_classes if committed_unicode != installed_unicode else (lambda doc: doc)
    differing = []
    for name, document in documents.items():
        path = target / name
        try:
            committed = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            committed = None
        if committed is None or comparable(committed) != comparable(document):
            differing.append("index" if name == INDEX else name[:-5])
    if target.is_dir():
        differing.extend(p.stem for p in target.glob("*.json") if p.name not in documents)
    return sorted(differing)


def drift() -> List[str]:
    """Operations whose committed schema differs from the installed botocore (for a run-time warning)."""
    return [name for name in check(SHAPES_DIR) if name != "index"]


# --- CLI ----------------------------------------------------------------------------------------

def add_arguments(parser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="exit 1, naming the operations, if the shapes differ from the installed botocore")
    parser.add_argument("--dir", type=pathlib.Path, default=None, metavar="DIR",
                        help=f"shapes root to write or check (default: {SHAPES_DIR})")


def _short_list(names: List[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", … (+{len(names) - limit} more)" if len(names) > limit else "")


def command(args) -> int:
    directory = args.dir or SHAPES_DIR
    if args.check:
        if not (pathlib.Path(directory) / SERVICE_DIR).is_dir():
            raise ShapesError(f"no shapes to check: {pathlib.Path(directory) / SERVICE_DIR} is not a directory")
        differing = check(directory)
        if differing:
            print(f"shapes out of date in {directory}: {len(differing)} differ from botocore "
                  f"({_short_list(differing)}); run 'sagemaker-conformance shapes'")
            return 1
        committed_unicode, installed_unicode = unicode_versions(directory)
        note = "" if committed_unicode == installed_unicode else (
            f" (Unicode-class patterns not compared: shapes use Unicode {committed_unicode},"
            f" this Python {installed_unicode})")
        print(f"shapes OK: {directory} matches the installed botocore{note}")
        return 0
    try:
        operations, changed = generate(directory)
    except OSError as err:
        raise ShapesError(f"cannot write shapes to {directory}: {err.strerror or err}") from err
    print(f"shapes: {operations} operations written to {directory}, {changed} files changed")
    return 0
