"""A committed shape schema compiled into a fast yes/no validity check, with jsonschema's verdict.

``conformance.shapes.violations`` runs on every response the machines see and every request the
reference emulator answers; jsonschema's general machinery (descend, evolve, error generators)
costs ~0.5 ms a payload. :func:`compile_schema` turns a schema into nested closures specialised to
the keywords ``conformance.schemas`` emits, so a valid payload is accepted in microseconds; only an
invalid one is handed to jsonschema, for the detailed violations.

The check is exact for JSON values (what ``json.loads`` yields; ``wire_form``'s output is one):
``compile_schema(s)(v)`` is True exactly when ``Draft202012Validator`` extended with our ``pattern``
finds no error in ``v``. Its semantics mirror jsonschema 4 (Draft 2020-12), keyword by keyword:
a bool is neither an integer nor a number; a float with an integral value is an integer;
lengths count code points; ``enum`` compares like ``jsonschema._utils.equal`` (strings only
equal strings); ``pattern`` goes through the same ``conformance.pattern_matching.matcher``.
A keyword it does not know raises ShapesError when compiling: never silently accepted.
"""

from __future__ import annotations

import datetime
import numbers
from typing import Any, Callable, Dict, List, Optional

from conformance.errors import ShapesError

Check = Callable[[Any], bool]

# Keywords that never make an instance invalid in Draft 2020-12 (annotations, containers of
# subschemas reached through $ref, and x-model-pattern, which jsonschema ignores as unknown).
ANNOTATIONS = frozenset({
    "$schema", "$defs", "description", "deprecated", "contentEncoding", "x-model-pattern",
})
STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern"})
NUMBER_KEYWORDS = frozenset({"minimum", "maximum"})
OBJECT_KEYWORDS = frozenset({
    "properties", "required", "additionalProperties", "propertyNames", "minProperties", "maxProperties",
})
ARRAY_KEYWORDS = frozenset({"items", "minItems", "maxItems"})
ANY_TYPE_KEYWORDS = frozenset({"type", "enum", "$ref"})
KNOWN_KEYWORDS = (ANNOTATIONS | STRING_KEYWORDS | NUMBER_KEYWORDS | OBJECT_KEYWORDS | ARRAY_KEYWORDS
                  | ANY_TYPE_KEYWORDS)
DEFS_PREFIX = "#/$defs/"
_INFINITY = float("inf")


def _accept(instance) -> bool:
    return True


def _reject(instance) -> bool:
    return False


# --- jsonschema's Draft 2020-12 type checker, spelled out (tested against it) ----------------------

def is_integer(instance) -> bool:
    cls = instance.__class__
    if cls is int:
        return True
    if cls is float:
        return instance.is_integer()
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


def is_number(instance) -> bool:
    cls = instance.__class__
    if cls is int or cls is float:
        return True
    return isinstance(instance, numbers.Number) and not isinstance(instance, bool)


def is_string(instance) -> bool:
    return isinstance(instance, str)


def is_boolean(instance) -> bool:
    return isinstance(instance, bool)


def is_object(instance) -> bool:
    return isinstance(instance, dict)


def is_array(instance) -> bool:
    return isinstance(instance, list)


def is_null(instance) -> bool:
    return instance is None


TYPE_CHECKS: Dict[str, Check] = {
    "string": is_string, "integer": is_integer, "number": is_number, "boolean": is_boolean,
    "object": is_object, "array": is_array, "null": is_null,
}


def is_number_or_datetime(instance) -> bool:
    """A number, or a ``datetime`` where botocore parsed a timestamp the wire carried as a number."""
    return is_number(instance) or isinstance(instance, datetime.datetime)


# A response as botocore parses it: the schemas' timestamps ("number") arrive as datetimes.
PARSED_TYPE_CHECKS: Dict[str, Check] = dict(TYPE_CHECKS, number=is_number_or_datetime)


def compile_schema(schema, matcher: Optional[Callable[[str], Check]] = None, *, parsed: bool = False) -> Check:
    """``schema`` (self-contained: ``$ref`` only into its own ``$defs``) as a validity predicate.

    ``matcher(regex)`` gives the pattern test (default: ``conformance.pattern_matching.matcher``,
    the one the jsonschema path uses). Raises ShapesError on a keyword or $ref it does not know.
    ``parsed``: the instance is a botocore-parsed response, whose timestamps are datetimes (a
    number's bounds cannot be compared with one: the check then raises TypeError).
    """
    if matcher is None:
        from conformance.pattern_matching import matcher  # cached per pattern, shared with jsonschema's path
    compiler = _Compiler(schema, matcher, PARSED_TYPE_CHECKS if parsed else TYPE_CHECKS)
    compiler.compiled_root = compiler.compile(schema, "#")
    return compiler.compiled_root


class _Compiler:
    """One closure per schema node. Each type's closure takes ``typed``: when the node declares that
    type, an instance of another type fails; when it does not, the type's keywords simply do not
    apply to it (JSON Schema's rule) and it passes."""

    def __init__(self, root, matcher: Callable[[str], Check], type_checks: Dict[str, Check] = TYPE_CHECKS) -> None:
        self.root = root
        self.defs = root.get("$defs", {}) if isinstance(root, dict) else {}
        self.matcher = matcher
        self.type_checks = type_checks
        self.compiled_defs: Dict[str, Check] = {}
        self.compiling: set = set()
        self.compiled_root: Optional[Check] = None

    def compile(self, schema, where: str) -> Check:
        if schema is True:
            return _accept
        if schema is False:
            return _reject
        if not isinstance(schema, dict):
            raise ShapesError(f"schema at {where} is neither an object nor a boolean: {schema!r}")
        unknown = set(schema) - KNOWN_KEYWORDS
        if unknown:
            raise ShapesError(f"the fast schema check does not know keyword(s) {sorted(unknown)} (at {where})")

        checks: List[Check] = []
        if "$ref" in schema:
            checks.append(self.reference(schema["$ref"], where))
        types = schema.get("type")
        enum = schema.get("enum")
        if "enum" in schema and not (types == "string" and _all_strings(enum)):
            checks.append(_enum(enum, where))
            enum = None  # checked on its own; the string closure below need not
        if types is None:
            checks.extend(self.untyped(schema, where))
        elif isinstance(types, str):
            if types not in TYPE_CHECKS:
                raise ShapesError(f"unknown type {types!r} (at {where})")
            # One type (every node the shapes declare a type on): one closure checks type and keywords.
            checks.append(self.typed(types, schema, enum, where))
        else:
            if not isinstance(types, list) or not types or any(name not in TYPE_CHECKS for name in types):
                raise ShapesError(f"unknown type {types!r} (at {where})")
            checks.append(_any_type([self.type_checks[name] for name in types]))
            checks.extend(self.untyped(schema, where))
        return _all([check for check in checks if check is not _accept])

    def typed(self, type_name: str, schema: dict, enum, where: str) -> Check:
        if type_name == "string":
            return self.string(schema, enum, True, where) or is_string
        if type_name in ("integer", "number"):
            return _number(type_name, schema, True, where, self.type_checks) or self.type_checks[type_name]
        if type_name == "object":
            return self.object(schema, True, where) or is_object
        if type_name == "array":
            return self.array(schema, True, where) or is_array
        return self.type_checks[type_name]  # boolean, null: no keywords of their own

    def untyped(self, schema: dict, where: str) -> List[Check]:
        found = [self.string(schema, None, False, where), _number("number", schema, False, where, self.type_checks),
                 self.object(schema, False, where), self.array(schema, False, where)]
        return [check for check in found if check is not None]

    # Each returns None when the node has none of the type's keywords (and no enum, for strings).
    def string(self, schema: dict, enum, typed: bool, where: str) -> Optional[Check]:
        low = _bound(schema, "minLength", where)
        high = _bound(schema, "maxLength", where)
        regex = schema.get("pattern")
        if regex is None and low is None and high is None and enum is None:
            return None
        if regex is not None and not isinstance(regex, str):
            raise ShapesError(f"pattern is not a string (at {where})")
        matcher = self.matcher
        matches = None
        allowed = frozenset(enum) if enum is not None else None
        low = low or 0
        high = _INFINITY if high is None else high
        other_types_pass = not typed

        def string_check(instance) -> bool:
            nonlocal matches
            if not isinstance(instance, str):
                return other_types_pass
            if allowed is not None and instance not in allowed:
                return False
            if not low <= len(instance) <= high:  # len: code points, as jsonschema counts
                return False
            if regex is None:
                return True
            if matches is None:
                # Built on first use: a matcher costs milliseconds (NFA analysis), and most of a big
                # schema's patterns (Search's output has hundreds) never meet a value.
                matches = matcher(regex)
            return matches(instance)
        return string_check

    def object(self, schema: dict, typed: bool, where: str) -> Optional[Check]:
        properties_schema = schema.get("properties", {})
        if not isinstance(properties_schema, dict):
            raise ShapesError(f"properties is not an object (at {where})")
        properties = {name: self.compile(sub, f"{where}/properties/{name}")
                      for name, sub in properties_schema.items()}
        required = tuple(schema.get("required", ()))
        if not all(isinstance(name, str) for name in required):
            raise ShapesError(f"required is not a list of names (at {where})")
        additional_schema = schema.get("additionalProperties", True)
        closed = additional_schema is False
        additional = None if closed else self.compile(additional_schema, f"{where}/additionalProperties")
        if additional is _accept:
            additional = None
        names = self.compile(schema["propertyNames"], f"{where}/propertyNames") if "propertyNames" in schema else None
        if names is _accept:
            names = None
        low = _bound(schema, "minProperties", where) or 0
        high = _bound(schema, "maxProperties", where)
        high = _INFINITY if high is None else high
        if not properties and not required and not closed and additional is None and names is None \
                and low == 0 and high == _INFINITY:
            return None
        lookup = properties.get
        other_types_pass = not typed

        def object_check(instance) -> bool:
            if not isinstance(instance, dict):
                return other_types_pass
            for name in required:
                if name not in instance:
                    return False
            if not low <= len(instance) <= high:
                return False
            for key, value in instance.items():
                member = lookup(key)
                if member is None:
                    if closed:
                        return False
                    if additional is not None and not additional(value):
                        return False
                elif not member(value):
                    return False
                if names is not None and not names(key):
                    return False
            return True
        return object_check

    def array(self, schema: dict, typed: bool, where: str) -> Optional[Check]:
        if "items" in schema and not isinstance(schema["items"], (dict, bool)):
            raise ShapesError(f"items must be one schema in Draft 2020-12 (at {where})")
        item = self.compile(schema["items"], f"{where}/items") if "items" in schema else _accept
        low = _bound(schema, "minItems", where) or 0
        high = _bound(schema, "maxItems", where)
        high = _INFINITY if high is None else high
        if item is _accept and low == 0 and high == _INFINITY:
            return None
        other_types_pass = not typed

        def array_check(instance) -> bool:
            if not isinstance(instance, list):
                return other_types_pass
            if not low <= len(instance) <= high:
                return False
            for element in instance:
                if not item(element):
                    return False
            return True
        return array_check

    # --- $ref into $defs, recursion included ----------------------------------------------------
    def reference(self, ref, where: str) -> Check:
        if ref == "#":
            return _late(lambda: self.compiled_root)
        if not isinstance(ref, str) or not ref.startswith(DEFS_PREFIX):
            raise ShapesError(f"the fast schema check only follows $ref into #/$defs/, not {ref!r} (at {where})")
        name = ref[len(DEFS_PREFIX):]
        if any(c in name for c in "/~%") or name not in self.defs:
            raise ShapesError(f"unresolvable $ref {ref!r} (at {where})")
        compiled = self.compiled_defs.get(name)
        if compiled is not None:
            return compiled
        if name in self.compiling:  # recursion (SearchExpression): bind on first call
            return _late(lambda: self.compiled_defs[name])
        self.compiling.add(name)
        try:
            compiled = self.compile(self.defs[name], ref)
        finally:
            self.compiling.discard(name)
        self.compiled_defs[name] = compiled
        return compiled


def _late(resolve: Callable[[], Check]) -> Check:
    """A reference to a check still being compiled (recursion), bound on its first call."""
    target: List[Check] = []

    def recursive_reference(instance) -> bool:
        if not target:
            target.append(resolve())
        return target[0](instance)
    return recursive_reference


def _bound(schema: dict, keyword: str, where: str):
    value = schema.get(keyword)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ShapesError(f"{keyword} is not a number (at {where})")
    return value


def _number(type_name: str, schema: dict, typed: bool, where: str,
            type_checks: Dict[str, Check] = TYPE_CHECKS) -> Optional[Check]:
    low = _bound(schema, "minimum", where)
    high = _bound(schema, "maximum", where)
    if low is None and high is None:
        return None
    low = -_INFINITY if low is None else low
    high = _INFINITY if high is None else high
    of_type = type_checks[type_name]
    other_types_pass = not typed
    integer_only = type_name == "integer"

    def number_check(instance) -> bool:
        cls = instance.__class__
        if cls is not int and (cls is not float or integer_only) and not of_type(instance):
            return other_types_pass
        # jsonschema's own comparisons ("instance < minimum" fails): a NaN number passes both.
        return not (instance < low or instance > high)
    return number_check


def _all_strings(values) -> bool:
    return isinstance(values, list) and all(value.__class__ is str for value in values)


def _enum(values, where: str) -> Check:
    if not isinstance(values, list):
        raise ShapesError(f"enum is not a list (at {where})")
    if _all_strings(values):
        allowed = frozenset(values)

        # jsonschema's equal(): a str member equals only what == says; only a str can be ==.
        def in_string_enum(instance) -> bool:
            return isinstance(instance, str) and instance in allowed
        return in_string_enum
    from jsonschema._utils import equal

    def in_enum(instance) -> bool:
        return any(equal(value, instance) for value in values)
    return in_enum


def _any_type(checks: List[Check]) -> Check:
    def of_any_type(instance) -> bool:
        return any(check(instance) for check in checks)
    return of_any_type


def _all(checks: List[Check]) -> Check:
    if not checks:
        return _accept
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(instance) -> bool:
            return first(instance) and second(instance)
        return both

    def every(instance) -> bool:
        for check in checks:
            if not check(instance):
                return False
        return True
    return every
