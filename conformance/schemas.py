"""botocore SageMaker shapes → JSON Schema (draft 2020-12), one input and one output schema per operation.

Reads the raw service description (the same installed botocore the rest of the
suite uses) and converts each named shape once: structures, lists and maps
become ``$defs`` entries reached by ``$ref`` (which also expresses the recursive
``SearchExpression``); scalars are inlined. Each operation's schema carries
only the ``$defs`` reachable from its root shape, so it is self-contained.

Wire form is awsJson1.1: timestamps are epoch-seconds numbers, blobs base64
strings. Structures forbid unknown members (``additionalProperties: false``);
a tagged union must set exactly one member. Patterns go through
:func:`conformance.patterns.translate` (Java meaning, whole value).
"""

from __future__ import annotations

import functools
import gc
import re
from typing import Dict, List, Optional

from conformance import model
from conformance.patterns import translate

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODEL_PATTERN = "x-model-pattern"
DESCRIPTION_LIMIT = 200  # characters; the full text stays in botocore

_CONTAINERS = ("structure", "list", "map")
_FIRST_PARAGRAPH = re.compile(r"</p>|\n\n", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|<|$)")
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)")
_BASE64 = translate(r"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


@functools.lru_cache(maxsize=None)
def summary(documentation: str) -> str:
    """First sentence of botocore's HTML documentation, as plain text, at most DESCRIPTION_LIMIT chars."""
    if not documentation:
        return ""
    cut = _FIRST_PARAGRAPH.search(documentation)
    first = documentation[:cut.start()] if cut else documentation
    end = _SENTENCE_END.search(first)  # cut the HTML early: plain_text is the costly step
    text = model.plain_text(first[:end.end()] if end else first)
    match = _FIRST_SENTENCE.match(text)
    sentence = match.group(1) if match else text
    if len(sentence) > DESCRIPTION_LIMIT:
        sentence = sentence[:DESCRIPTION_LIMIT - 1].rstrip() + "…"
    return sentence


def _bounds(schema: dict, shape: dict, low: str, high: str) -> None:
    if "min" in shape:
        schema[low] = shape["min"]
    if "max" in shape:
        schema[high] = shape["max"]


class Converter:
    """Converts the shapes of one raw botocore service description, each once."""

    def __init__(self, service_data: dict) -> None:
        self.shapes: Dict[str, dict] = service_data["shapes"]
        self.operations: Dict[str, dict] = service_data["operations"]
        self._definitions: Dict[str, dict] = {}
        self._scalars: Dict[str, dict] = {}
        self._references: Dict[str, List[str]] = {}
        self._reachable: Dict[str, List[str]] = {}

    # --- one shape ------------------------------------------------------------------------------
    def scalar(self, name: str) -> dict:
        cached = self._scalars.get(name)
        if cached is None:
            cached = self._scalars[name] = self._convert_scalar(self.shapes[name])
        return cached

    def _convert_scalar(self, shape: dict) -> dict:
        kind = shape["type"]
        if kind == "string":
            schema = {"type": "string"}
            _bounds(schema, shape, "minLength", "maxLength")
            if "pattern" in shape:
                schema["pattern"] = translate(shape["pattern"])
                schema[MODEL_PATTERN] = shape["pattern"]  # annotation: the model's own (Java) spelling
            if "enum" in shape:
                schema["enum"] = list(shape["enum"])
        elif kind in ("integer", "long"):
            schema = {"type": "integer"}
            _bounds(schema, shape, "minimum", "maximum")
        elif kind in ("float", "double"):
            schema = {"type": "number"}
            _bounds(schema, shape, "minimum", "maximum")
        elif kind == "boolean":
            schema = {"type": "boolean"}
        elif kind == "timestamp":
            schema = {"type": "number"}  # awsJson1.1 sends epoch seconds
        elif kind == "blob":
            schema = {"type": "string", "contentEncoding": "base64", "pattern": _BASE64}
        else:
            raise ValueError(f"unsupported botocore shape type {kind!r}")
        description = summary(shape.get("documentation", ""))
        if description:
            schema["description"] = description
        return schema

    def definition(self, name: str) -> dict:
        """The ``$defs`` entry of a structure, list or map shape."""
        cached = self._definitions.get(name)
        if cached is None:
            cached = self._definitions[name] = self._convert_container(name, self.shapes[name])
        return cached

    def _convert_container(self, name: str, shape: dict) -> dict:
        kind = shape["type"]
        references: List[str] = []
        if kind == "structure":
            schema = {"type": "object", "additionalProperties": False, "properties": {
                member: self._member(reference, references) for member, reference in shape.get("members", {}).items()
            }}
            if shape.get("required"):
                schema["required"] = list(shape["required"])
            if shape.get("union"):
                schema["minProperties"] = schema["maxProperties"] = 1
        elif kind == "list":
            schema = {"type": "array", "items": self._member(shape["member"], references)}
            _bounds(schema, shape, "minItems", "maxItems")
        else:  # map
            key = dict(self.scalar(shape["key"]["shape"]))
            key.pop("type", None)
            key.pop("description", None)
            schema = {"type": "object", "additionalProperties": self._member(shape["value"], references)}
            if key:
                schema["propertyNames"] = key
            _bounds(schema, shape, "minProperties", "maxProperties")
        description = summary(shape.get("documentation", ""))
        if description:
            schema["description"] = description
        self._references[name] = references
        return schema

    def _member(self, reference: dict, references: List[str]) -> dict:
        target = reference["shape"]
        if self.shapes[target]["type"] in _CONTAINERS:
            references.append(target)
            schema = {"$ref": f"#/$defs/{target}"}
        else:
            schema = self.scalar(target)
        description = summary(reference.get("documentation", ""))
        deprecated = reference.get("deprecated", False)
        if description or deprecated:
            schema = dict(schema)
            if description:
                schema["description"] = description
            if deprecated:
                schema["deprecated"] = True
        return schema

    # --- reachability and whole operations --------------------------------------------------------
    def reachable(self, root: str) -> List[str]:
        """Container shapes reachable from ``root`` (excluding root unless it recurses), sorted."""
        cached = self._reachable.get(root)
        if cached is not None:
            return cached
        seen, stack = set(), [root]
        while stack:
            name = stack.pop()
            self.definition(name)
            for target in self._references[name]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        cached = self._reachable[root] = sorted(seen)
        return cached

    def root_schema(self, shape_name: Optional[str]) -> dict:
        if shape_name is None:  # no payload: AWS sends/accepts an empty JSON object
            return {"$schema": DIALECT, "type": "object", "additionalProperties": False, "properties": {}}
        schema = {"$schema": DIALECT, **self.definition(shape_name)}
        defs = {name: self.definition(name) for name in self.reachable(shape_name)}
        if defs:
            schema["$defs"] = defs
        return schema

    def operation(self, name: str) -> dict:
        operation = self.operations[name]
        return {
            "input": self.root_schema(operation.get("input", {}).get("shape")),
            "output": self.root_schema(operation.get("output", {}).get("shape")),
        }

    def all_operations(self) -> Dict[str, dict]:
        return {name: self.operation(name) for name in sorted(self.operations)}


@functools.lru_cache(maxsize=None)
def service_data() -> dict:
    """The raw SageMaker service description of the installed botocore."""
    import botocore.session

    return botocore.session.get_session().get_service_data(model.SERVICE_NAME)


def convert_all(data: Optional[dict] = None) -> Dict[str, dict]:
    """``{operation: {"input": schema, "output": schema}}`` for every operation, freshly converted."""
    converter = Converter(service_data() if data is None else data)
    enabled = gc.isenabled()
    gc.disable()  # builds ~10k small dicts that all stay alive: collection passes would only cost time
    try:
        return converter.all_operations()
    finally:
        if enabled:
            gc.enable()


@functools.lru_cache(maxsize=None)
def _converter() -> Converter:
    return Converter(service_data())


def operation_schemas(operation: str) -> dict:
    """``{"input": …, "output": …}`` for one operation of the installed botocore (cached converter)."""
    converter = _converter()
    if operation not in converter.operations:
        raise KeyError(operation)
    return converter.operation(operation)
