"""A stand-in for ``conformance.shapes.violations`` while the committed ``shapes/`` are unavailable.

Walks the installed botocore input shape directly: required members, JSON types, length and
value bounds, enums, unknown members, and patterns (through ``conformance.patterns.translate``
when it is importable). ``validation`` uses it only as a fallback.
"""

from __future__ import annotations

import functools
import re
from typing import List, Optional

from botocore.model import Shape

from conformance import model
from conformance.violation import Constraint, Path, Violation

_TYPES = {"string": (str,), "boolean": (bool,), "structure": (dict,), "list": (list,), "map": (dict,),
          "integer": (int,), "long": (int,), "float": (int, float), "double": (int, float),
          "timestamp": (int, float, str), "blob": (str,)}


@functools.lru_cache(maxsize=None)
def _pattern(pattern: str) -> Optional[re.Pattern]:
    try:
        from conformance.patterns import translate

        return re.compile(translate(pattern))
    except Exception:  # noqa: BLE001 - no usable translation: skip the pattern, keep the other checks
        return None


def violations(operation: str, payload: dict, direction: str = "input") -> List[Violation]:
    operation_model = model.operation_model(operation)
    shape = operation_model.input_shape if direction == "input" else operation_model.output_shape
    out: List[Violation] = []
    if shape is not None:
        _check(shape, payload, (), out)
    return out


def _where(path: Path) -> str:
    return ".".join(str(p) for p in path) or "request"


def _check(shape: Shape, value, path: Path, out: List[Violation]) -> None:
    kind = shape.type_name
    if isinstance(value, bool) and kind not in ("boolean",) or not isinstance(value, _TYPES.get(kind, (object,))):
        out.append(Violation(path, Constraint.TYPE.value, f"Value at '{_where(path)}' must be of type {kind}"))
        return
    meta = shape.metadata
    size = len(value) if kind in ("string", "list", "map") else None
    if size is not None and "min" in meta and size < meta["min"]:
        out.append(Violation(path, Constraint.MIN_LENGTH.value,
                             f"Value at '{_where(path)}' failed to satisfy constraint: Member must have length "
                             f"greater than or equal to {meta['min']}"))
    if size is not None and "max" in meta and size > meta["max"]:
        out.append(Violation(path, Constraint.MAX_LENGTH.value,
                             f"Value at '{_where(path)}' failed to satisfy constraint: Member must have length "
                             f"less than or equal to {meta['max']}"))
    if kind in ("integer", "long", "float", "double"):
        if "min" in meta and value < meta["min"]:
            out.append(Violation(path, Constraint.MIN.value, f"Value at '{_where(path)}' failed to satisfy "
                                 f"constraint: Member must have value greater than or equal to {meta['min']}"))
        if "max" in meta and value > meta["max"]:
            out.append(Violation(path, Constraint.MAX.value, f"Value at '{_where(path)}' failed to satisfy "
                                 f"constraint: Member must have value less than or equal to {meta['max']}"))
    if kind == "string":
        if shape.enum and value not in shape.enum:
            out.append(Violation(path, Constraint.ENUM.value, f"Value '{value}' at '{_where(path)}' failed to satisfy "
                                 f"constraint: Member must satisfy enum value set: [{', '.join(shape.enum)}]"))
        compiled = _pattern(meta["pattern"]) if "pattern" in meta else None
        if compiled is not None and not compiled.search(value):
            out.append(Violation(path, Constraint.PATTERN.value, f"Value '{value}' at '{_where(path)}' failed to "
                                 f"satisfy constraint: Member must satisfy regular expression pattern: "
                                 f"{meta['pattern']}"))
    elif kind == "structure":
        for name in shape.required_members:
            if name not in value:
                out.append(Violation(path + (name,), Constraint.REQUIRED.value,
                                     f"Value null at '{_where(path + (name,))}' failed to satisfy constraint: "
                                     f"Member must not be null"))
        for name, item in value.items():
            if name not in shape.members:
                out.append(Violation(path + (name,), Constraint.UNKNOWN_MEMBER.value,
                                     f"Unknown member '{_where(path + (name,))}'"))
            elif item is not None:
                _check(shape.members[name], item, path + (name,), out)
    elif kind == "list":
        for index, item in enumerate(value):
            _check(shape.member, item, path + (index,), out)
    elif kind == "map":
        for key, item in value.items():
            _check(shape.key, key, path + (key,), out)
            _check(shape.value, item, path + (key,), out)
