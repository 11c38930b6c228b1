"""The committed shapes as one OpenAPI 3.1 document that Schemathesis can address.

awsJson1.1 has a single HTTP route (``POST /`` with ``X-Amz-Target``), so every
operation gets a synthetic path ``POST /{Operation}``; the transport maps it back.
Each shape file is self-contained with ``$defs``; OpenAPI resolves ``$ref`` from
the document root, so the definitions are hoisted into ``components/schemas``
(shared by name when identical, suffixed with the operation when not).

``with_pattern_formats`` names each string's (pattern, length range) as a ``format``, so that
Schemathesis draws those strings from a generator registered for the name (see
``conformance.fuzz.runner.register_pattern_formats``) instead of building ``st.from_regex`` over
character classes of 100k+ code points, which costs ~80 ms per pattern.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Callable, Dict, Iterable, Optional, Tuple

# What Schemathesis sees; the transport sends application/x-amz-json-1.1 on the wire.
MEDIA_TYPE = "application/json"
OPENAPI_VERSION = "3.1.0"
_DEFS_PREFIX = "#/$defs/"
_COMPONENTS_PREFIX = "#/components/schemas/"
_DROPPED_KEYS = ("$schema", "$id", "$defs")

# awsJson1.1 errors: ``{"__type": "ValidationException", "message": "..."}`` (some services say "Message").
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"__type": {"type": "string"}, "message": {"type": "string"}, "Message": {"type": "string"}},
    "required": ["__type"],
}

SchemaSource = Callable[[str], dict]
# (pattern, minLength, maxLength): what a pattern format's generator must produce.
PatternKey = Tuple[str, int, Optional[int]]
PATTERN_FORMAT_PREFIX = "sagemaker-text-"
# Keywords whose values are data, not schemas: a "pattern" member in there is not a keyword.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "example", "examples"})


def path_of(operation: str) -> str:
    return f"/{operation}"


def openapi_document(
    operations: Iterable[str],
    *,
    input_schema: SchemaSource | None = None,
    output_schema: SchemaSource | None = None,
    title: str = "SageMaker (awsJson1.1, synthetic paths)",
) -> dict:
    """OpenAPI 3.1 for ``operations``: requestBody = input schema, 200 = output schema, 400 = AWS error."""
    if input_schema is None or output_schema is None:
        from conformance import shapes

        input_schema = input_schema or shapes.input_schema
        output_schema = output_schema or shapes.output_schema
    components: Dict[str, dict] = {"AwsError": ERROR_SCHEMA}
    paths: Dict[str, dict] = {}
    for operation in operations:
        request = _hoist(input_schema(operation), components, f"{operation}Input")
        response = _hoist(output_schema(operation), components, f"{operation}Output")
        paths[path_of(operation)] = {
            "post": {
                "operationId": operation,
                "x-amz-target": f"SageMaker.{operation}",
                "requestBody": {"required": True, "content": {MEDIA_TYPE: {"schema": request}}},
                "responses": {
                    "200": {"description": "Success", "content": {MEDIA_TYPE: {"schema": response}}},
                    "400": {
                        "description": "Client error",
                        "content": {MEDIA_TYPE: {"schema": {"$ref": _COMPONENTS_PREFIX + "AwsError"}}},
                    },
                },
            }
        }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }


def _hoist(schema: dict, components: Dict[str, dict], label: str) -> dict:
    """Move ``schema``'s ``$defs`` into ``components`` and point its refs there.

    Definitions keep their (botocore shape) names when they agree with what is
    already there; on any disagreement the whole set is suffixed with ``label``,
    because definitions refer to each other and one rename changes its referrers.
    """
    definitions = schema.get("$defs", {})
    shared = {name: name for name in definitions}
    rewritten = {name: _rewrite(definition, shared) for name, definition in definitions.items()}
    if any(name in components and components[name] != definition for name, definition in rewritten.items()):
        shared = {name: f"{name}__{label}" for name in definitions}
        rewritten = {shared[name]: _rewrite(definition, shared) for name, definition in definitions.items()}
    for name, definition in rewritten.items():
        components.setdefault(name, definition)
    return _rewrite(schema, shared)


def _rewrite(node, renamed: Dict[str, str]):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _DROPPED_KEYS:
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS_PREFIX):
                name = value[len(_DEFS_PREFIX) :]
                out[key] = _COMPONENTS_PREFIX + renamed.get(name, name)
            else:
                out[key] = _rewrite(value, renamed)
        return out
    if isinstance(node, list):
        return [_rewrite(item, renamed) for item in node]
    return copy.copy(node)


def pattern_format_name(key: PatternKey) -> str:
    """A name that depends on the key alone, so any subset of operations names a pattern alike."""
    digest = hashlib.sha1(json.dumps(key).encode()).hexdigest()[:16]
    return PATTERN_FORMAT_PREFIX + digest


def with_pattern_formats(document: dict) -> Tuple[dict, Dict[str, PatternKey]]:
    """``document`` with a ``format`` on every string schema that has a ``pattern``, and what each format names.

    ``pattern``, ``minLength`` and ``maxLength`` stay: Schemathesis still filters drawn values by
    them, validates with them, and negates them for negative input. An unregistered format is an
    annotation to the validators, so no check changes.
    """
    formats: Dict[str, PatternKey] = {}

    def visit(node):
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: value if key in _DATA_KEYWORDS else visit(value) for key, value in node.items()}
        pattern = node.get("pattern")
        # No "type" is a string schema too where it matters (propertyNames); a format ignores non-strings.
        if isinstance(pattern, str) and "format" not in node and node.get("type", "string") == "string":
            key: PatternKey = (pattern, int(node.get("minLength", 0)), node.get("maxLength"))
            name = pattern_format_name(key)
            formats[name] = key
            out["format"] = name
        return out

    return visit(document), formats
