"""Search requests that know the documented rules: property kinds, operators, CONTAINS-once, limits.

``search_requests(resource="Endpoint")`` draws a ``Search`` request dict: a SearchExpression of
Filters, NestedFilters and SubExpressions (reaching ``max_depth`` >= 3) with And/Or, every
operator on properties of a kind that supports it and values of that kind, optional
SortBy/SortOrder/MaxResults. Property names come from the botocore ``SearchRecord`` shape of
the resource; given ``resources`` (documents as ``conformance.search_eval`` reads them), names
and values are also drawn from what those resources hold, so searches actually match.

``valid=False`` draws an ``InvalidPayload`` (the whole request) that breaks exactly one rule:
a documented-rule id of ``conformance.documented`` or a schema ``Constraint``.
"""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, List, Optional, Sequence, Tuple

from hypothesis import strategies as st

from conformance import documented, model, search_eval
from conformance.search_eval import BOOLEAN, NUMERIC, TEXT, TIMESTAMP
from conformance.violation import Constraint, InvalidPayload

MAX_ELEMENTS = 50  # SearchRequest.SearchExpression documentation
_LINE_TERMINATORS = "\n\r\u0085\u2028\u2029"  # '.' in the model's '.+' (Java regex) excludes them
_SAFE_ALPHABET = st.characters(categories=("L", "N", "P", "S", "Zs"))
_EXEMPT_PREFIX = {"Experiment": "Experiment.", "ExperimentTrial": "Trial.", "ExperimentTrialComponent": "TrialComponent."}


@functools.lru_cache(maxsize=None)
def _length_bounds(member: str) -> Tuple[int, int]:
    metadata = model.member_shape("Search", member).metadata
    return metadata.get("min", 0), metadata.get("max", 10**9)


def _fits(member: str, text: str) -> bool:
    """A name/value the schema accepts: length within bounds and no line terminators ('.+')."""
    low, high = _length_bounds(member)
    return low <= len(text) <= high and not any(c in _LINE_TERMINATORS for c in text)


@dataclass(frozen=True)
class Catalogue:
    """Filterable properties of one resource type."""

    resource: str
    leaves: Tuple[Tuple[str, str, Tuple[str, ...]], ...]  # (name, kind, enum values)
    tag_prefixes: Tuple[str, ...]  # e.g. ("Tags",) -> names "Tags.<key>"
    nested: Dict[str, Tuple[Tuple[str, str, Tuple[str, ...]], ...]] = field(default_factory=dict)
    exempt_names: Tuple[str, ...] = ()  # documented multi-Contains names of this resource
    aliases: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = ()  # exempt names usable as text filters


@functools.lru_cache(maxsize=None)
def catalogue(resource: str) -> Catalogue:
    shape = search_eval.record_shape(resource)
    leaves: List[Tuple[str, str, Tuple[str, ...]]] = []
    tag_prefixes: List[str] = []
    lists: List[str] = []

    def walk(node, prefix: str, depth: int) -> None:
        for member, sub in node.members.items():
            name = prefix + member
            if sub.type_name == "list" and sub.member.name == "Tag":
                tag_prefixes.append(name)
                continue
            inner, is_list = sub, False
            while inner.type_name == "list":
                inner, is_list = inner.member, True
            if inner.type_name == "structure":
                if depth < 2:
                    if is_list:
                        lists.append(name)
                    walk(inner, name + ".", depth + 1)
            elif inner.type_name != "map":
                kind = search_eval.property_type(resource, name)
                if kind in (TEXT, NUMERIC, BOOLEAN, TIMESTAMP):
                    leaves.append((name, kind, tuple(getattr(inner, "enum", None) or ())))

    if shape is not None:
        walk(shape, "", 0)
    nested = {name: tuple(leaf for leaf in leaves if leaf[0].startswith(name + ".")) for name in lists}
    nested = {name: inner for name, inner in nested.items() if inner}
    exempt = tuple(n for n in documented.contains_exempt_names() if n.startswith(_EXEMPT_PREFIX.get(resource, "\0")))
    extra = tuple((n, TEXT, ()) for n in exempt if not n.endswith((".Tags", "Artifacts")))
    return Catalogue(resource, tuple(leaves), tuple(tag_prefixes), nested, exempt, extra)


# -------------------------------------------------------------- values by kind

def format_value(value, kind: str) -> Optional[str]:
    """A resource value written as a filter Value of ``kind`` (None when it cannot be)."""
    if kind == TIMESTAMP:
        seconds = search_eval.parse_timestamp(value)
        if seconds is None:
            return None
        return datetime.fromtimestamp(int(seconds), tz=timezone.utc).strftime(search_eval.TIMESTAMP_FORMAT)
    if kind == NUMERIC:
        number = search_eval.parse_number(value)
        if number is None:
            return None
        return str(int(number)) if number == int(number) else f"{number:.6f}".rstrip("0")
    if kind == BOOLEAN:
        return ("true" if value else "false") if isinstance(value, bool) else None
    return value if isinstance(value, str) and _fits("SearchExpression.Filters.Value", value) else None


@functools.lru_cache(maxsize=None)
def _kind_values(kind: str, enum: Tuple[str, ...]) -> st.SearchStrategy[str]:
    if kind == TIMESTAMP:
        return st.datetimes(datetime(2015, 1, 1), datetime(2035, 1, 1)).map(
            lambda d: d.strftime(search_eval.TIMESTAMP_FORMAT))
    if kind == NUMERIC:
        return st.integers(-5, 200).map(str) | st.floats(0, 200, allow_nan=False).map(
            lambda f: format_value(round(f, 3), NUMERIC))
    if kind == BOOLEAN:
        return st.sampled_from(["true", "false"])
    if enum:
        return st.sampled_from(enum)
    return st.text(_SAFE_ALPHABET, min_size=1, max_size=20)


@functools.lru_cache(maxsize=None)
def _visibility_bounds(member: str) -> Tuple[int, int]:
    metadata = model.member_shape("Search", f"VisibilityConditions.{member}").metadata
    return metadata.get("min", 0), metadata["max"]


def _visibility_fits(key: str, value) -> bool:
    (key_low, key_high), (value_low, value_high) = _visibility_bounds("Key"), _visibility_bounds("Value")
    return isinstance(value, str) and key_low <= len(key) <= key_high and value_low <= len(value) <= value_high


def _visibility_conditions(ctx: "_Context") -> st.SearchStrategy[list]:
    """Conditions every one of some given resources satisfies (drawn from their own tags)."""
    limit = _visibility_bounds_list()
    pairs = st.sampled_from(ctx.visibility)
    return st.lists(pairs, min_size=1, max_size=min(2, limit), unique=True).map(
        lambda chosen: [{"Key": key, "Value": value} for key, value in chosen])


@functools.lru_cache(maxsize=None)
def _visibility_bounds_list() -> int:
    return model.member_shape("Search", "VisibilityConditions").metadata["max"]


def _text_leaf(name: str) -> Tuple[str, str, Tuple[str, ...]]:
    return name, TEXT, ()


@functools.lru_cache(maxsize=None)
def _leaf_pool(resource: str, kinds: Optional[Tuple[str, ...]], within: Optional[str]) -> tuple:
    cat = catalogue(resource)
    pool = cat.nested[within] if within else cat.leaves
    return tuple(leaf for leaf in pool if kinds is None or leaf[1] in kinds)


@functools.lru_cache(maxsize=None)
def _fixed_leaf_options(resource: str, kinds, within, aliases) -> Tuple[tuple, tuple]:
    """The property-name options that do not depend on the resources drawn from: the resource type's
    names (and documented aliases) go before those resources' own; names of free tag keys after."""
    cat = catalogue(resource)
    pool = _leaf_pool(resource, kinds, within)
    named = [st.sampled_from(pool)] if pool else []
    if aliases and cat.aliases and not within and (kinds is None or TEXT in kinds):
        # Documented multi-Contains names (shape-less aliases): only in valid requests.
        named.append(st.sampled_from(cat.aliases))
    free_tag = []
    if not within and cat.tag_prefixes and (kinds is None or TEXT in kinds):
        free_tag.append(st.tuples(st.sampled_from(cat.tag_prefixes),
                                  st.text(_SAFE_ALPHABET.filter(lambda c: c not in ","), min_size=1, max_size=12))
                        .map(lambda pk: (f"{pk[0]}.{pk[1]}", TEXT, ())))
    return tuple(named), tuple(free_tag)


class _Context:
    def __init__(self, resource: str, resources: Sequence[dict]):
        self.cat = catalogue(resource)
        self.resources = list(resources or [])
        keys = sorted({tag["Key"] for prefix in self.cat.tag_prefixes for r in self.resources
                       for tag in _tags_at(r, prefix) if isinstance(tag.get("Key"), str)})
        self.tag_names = tuple(f"{prefix}.{key}" for prefix in self.cat.tag_prefixes for key in keys
                               if _fits("SearchExpression.Filters.Name", f"{prefix}.{key}"))
        self.visibility = tuple(sorted({(f"Tags.{t['Key']}", t.get("Value", "")) for r in self.resources
                                        for t in search_eval.own_tags(r) if isinstance(t, dict)
                                        and _visibility_fits(f"Tags.{t.get('Key')}", t.get("Value", ""))}))
        self.present = tuple(leaf for leaf in self.cat.leaves
                             if any(search_eval.resolve(r, leaf[0]) for r in self.resources))

        self._observed: Dict[Tuple[str, str], List[str]] = {}
        self._strategies: Dict[tuple, st.SearchStrategy] = {}  # built once: building is costly per draw
        self.budget = [MAX_ELEMENTS]  # elements the expression being drawn may still use (see _expression)

    def observed(self, name: str, kind: str) -> List[str]:
        if (name, kind) not in self._observed:
            values = {format_value(v, kind) for r in self.resources for v in search_eval.resolve(r, name)}
            self._observed[name, kind] = sorted(v for v in values if v is not None)
        return self._observed[name, kind]

    def leaves(self, kinds: Optional[Tuple[str, ...]] = None, within: Optional[str] = None,
               aliases: bool = False) -> st.SearchStrategy:
        return self._built(("leaves", kinds, within, aliases), lambda: self._leaves(kinds, within, aliases))

    def _leaves(self, kinds, within, aliases) -> st.SearchStrategy:
        pool = _leaf_pool(self.cat.resource, kinds, within)
        present = tuple(leaf for leaf in self.present if leaf in pool)
        tags = () if within or (kinds and TEXT not in kinds) else self.tag_names
        named, free_tag = _fixed_leaf_options(self.cat.resource, kinds, within, aliases)
        options = list(named)
        if present:
            options.append(st.sampled_from(present))
        if tags:
            options.append(st.sampled_from(tags).map(_text_leaf))
        options += free_tag
        if not options:
            return st.nothing()
        return st.one_of(options)

    def values(self, name: str, kind: str, enum: Tuple[str, ...]) -> st.SearchStrategy[str]:
        return self._built(("values", name, kind, enum), lambda: self._values(name, kind, enum))

    def _values(self, name: str, kind: str, enum: Tuple[str, ...]) -> st.SearchStrategy[str]:
        observed = self.observed(name, kind)
        base = _kind_values(kind, enum)
        return st.one_of(st.sampled_from(observed), base) if observed else base

    def more_values(self, name: str, kind: str, enum: Tuple[str, ...]) -> st.SearchStrategy[List[str]]:
        """Up to two further values of an ``In`` list."""
        return self._built(("more values", name, kind, enum), lambda: st.lists(self.values(name, kind, enum), max_size=2))

    def filters(self, within: Optional[str] = None) -> st.SearchStrategy[dict]:
        return self._built(("filter", within), lambda: _filter(self, within))

    def expressions(self, depth: int, max_depth: int) -> st.SearchStrategy[dict]:
        """Expressions at ``depth``: each draw spends from ``self.budget`` (set by the request's draw)."""
        return self._built(("expression", depth, max_depth), lambda: _expression(self, depth, max_depth))

    def nested_names(self) -> st.SearchStrategy[str]:
        return self._built(("nested",), lambda: st.sampled_from(sorted(self.cat.nested)))

    def _built(self, key: tuple, build) -> st.SearchStrategy:
        """One strategy object per key and context: Hypothesis validates each new object on its first
        draw, which costs more than the draw itself for these small composites."""
        strategy = self._strategies.get(key)
        if strategy is None:
            strategy = self._strategies[key] = build()
        return strategy


def _tags_at(resource, prefix: str) -> list:
    node = resource
    for part in prefix.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return [t for t in node if isinstance(t, dict)] if isinstance(node, list) else []


_OPERATORS_BY_KIND = {
    TEXT: lambda op: op not in search_eval.ORDERING_OPERATORS,
    NUMERIC: lambda op: op not in search_eval.TEXT_ONLY_OPERATORS,
    TIMESTAMP: lambda op: op not in search_eval.TEXT_ONLY_OPERATORS,
    BOOLEAN: lambda op: op in ("Equals", "NotEquals", "Exists", "NotExists"),
}


@functools.lru_cache(maxsize=None)
def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


_BOOLEANS = st.booleans()


@functools.lru_cache(maxsize=None)
def _operators_for(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from([op for op in search_eval.operators() if _OPERATORS_BY_KIND[kind](op)])


@st.composite
def _filter(draw, ctx: _Context, within: Optional[str] = None) -> dict:
    name, kind, enum = draw(ctx.leaves(within=within, aliases=True))
    operator = draw(_operators_for(kind))
    flt = {"Name": name}
    if operator != "Equals" or draw(_BOOLEANS):  # Equals is also the documented default
        flt["Operator"] = operator
    if operator in ("Exists", "NotExists"):
        return flt
    value = draw(ctx.values(name, kind, enum))
    if operator == "In":
        value = ",".join([value] + draw(ctx.more_values(name, kind, enum)))
    elif operator == "Contains" and len(value) > 1 and draw(_BOOLEANS):
        start = draw(_ints(0, len(value) - 1))
        value = value[start:draw(_ints(start + 1, len(value)))]
    flt["Value"] = value if _fits("SearchExpression.Filters.Value", value) else "x"
    return flt


@st.composite
def _expression(draw, ctx: _Context, depth: int, max_depth: int) -> dict:
    """An expression using at most ``ctx.budget[0]`` elements (>= 1); the budget shrinks as it draws."""
    budget = ctx.budget
    expr: dict = {}
    filters = [draw(ctx.filters()) for _ in range(draw(_ints(0, min(4, budget[0]))))]
    budget[0] -= len(filters)
    nested = []
    if ctx.cat.nested and budget[0] >= 2:
        for _ in range(draw(_ints(0, 2))):
            if budget[0] < 2:
                break
            prop = draw(ctx.nested_names())
            inner = [draw(ctx.filters(within=prop)) for _ in range(draw(_ints(1, min(3, budget[0] - 1))))]
            budget[0] -= 1 + len(inner)
            nested.append({"NestedPropertyName": prop, "Filters": inner})
    subs = []
    if depth < max_depth:
        for _ in range(draw(_ints(0, 3))):
            if budget[0] < 2:
                break
            budget[0] -= 1
            subs.append(draw(ctx.expressions(depth + 1, max_depth)))
    if not (filters or nested or subs):
        filters = [draw(ctx.filters())]
        budget[0] -= 1
    for key, items in (("Filters", filters), ("NestedFilters", nested), ("SubExpressions", subs)):
        if items:
            expr[key] = items
    operator = draw(_boolean_operators())
    if operator:
        expr["Operator"] = operator
    return expr


@functools.lru_cache(maxsize=None)
def _boolean_operators() -> st.SearchStrategy[Optional[str]]:
    return st.sampled_from([None] + list(model.member_shape("Search", "SearchExpression.Operator").enum))


def _limit_contains(expression: dict) -> dict:
    """Keep the first non-exempt Contains; later ones become Equals (still valid on text)."""
    seen = False
    for _, flt, _ in documented.iter_filters(expression):
        if flt.get("Operator") == "Contains" and not documented.contains_exempt(flt["Name"]):
            if seen:
                flt["Operator"] = "Equals"
            seen = True
    return expression


@st.composite
def _valid_request(draw, ctx: "_Context", max_depth: int, next_token: Optional[str],
                   budget_cap: int = MAX_ELEMENTS) -> dict:
    request: dict = {"Resource": ctx.cat.resource}
    if ctx.cat.leaves and draw(st.integers(0, 9)) > 0:
        # Mostly small expressions, sometimes up to the documented 50 elements.
        cap = min(budget_cap, draw(st.sampled_from([6, 12, 24, MAX_ELEMENTS])))
        ctx.budget[0] = draw(st.integers(1, cap))
        if budget_cap == MAX_ELEMENTS and max_depth >= 2 and draw(st.integers(0, 19)) == 0:
            request["SearchExpression"] = _fifty_elements(ctx, draw)
        else:
            request["SearchExpression"] = _limit_contains(draw(ctx.expressions(1, max_depth)))
    if ctx.cat.leaves and draw(st.booleans()):
        request["SortBy"] = draw(ctx.leaves(kinds=(TEXT, NUMERIC, TIMESTAMP)))[0]
    if draw(st.booleans()):
        request["SortOrder"] = draw(st.sampled_from(model.member_shape("Search", "SortOrder").enum))
    if draw(st.booleans()):
        metadata = model.member_shape("Search", "MaxResults").metadata
        request["MaxResults"] = draw(st.integers(metadata["min"], metadata["max"]))
    if ctx.visibility and draw(st.integers(0, 7)) == 0:
        request["VisibilityConditions"] = draw(_visibility_conditions(ctx))
    if next_token is not None:
        request["NextToken"] = next_token
    return request


def _fifty_elements(ctx: "_Context", draw) -> dict:
    """Exactly the documented maximum: 20 filters and 15 one-filter subexpressions (20 + 15 * 2 = 50)."""
    pool = [_simple_filter(ctx, draw) for _ in range(draw(st.integers(1, 3)))]
    subs = (MAX_ELEMENTS - 20) // 2
    return {"Filters": [dict(pool[i % len(pool)]) for i in range(20)],
            "SubExpressions": [{"Filters": [dict(pool[i % len(pool)])]} for i in range(subs)],
            "Operator": draw(st.sampled_from(["And", "Or"]))}


def _simple_filter(ctx: _Context, draw, kinds=(TEXT, NUMERIC, TIMESTAMP, BOOLEAN)) -> dict:
    """A filter that can never add a Contains."""
    name, kind, enum = draw(ctx.leaves(kinds=kinds))
    return {"Name": name, "Operator": "Exists"} if draw(st.booleans()) else \
        {"Name": name, "Operator": "Equals", "Value": draw(ctx.values(name, kind, enum))}


@st.composite
def _invalid_request(draw, ctx: "_Context", max_depth: int):
    resource = ctx.cat.resource
    kinds_of = {leaf[1] for leaf in ctx.cat.leaves}
    variants = ["contains", "fifty", "empty", "list-max", "max-results", "sort-order"]
    if TEXT in kinds_of:
        variants.append("ordering-on-text")
    if kinds_of & {NUMERIC, TIMESTAMP}:
        variants.append("text-op-on-non-text")
    if NUMERIC in kinds_of:
        variants.append("numeric-value")
    if TIMESTAMP in kinds_of:
        variants.append("timestamp-value")
    if resource in documented.NAME_CHECKED_RESOURCES:
        variants += ["unknown-name", "unknown-sort-by"]
    variants.append("visibility-key")
    variant = draw(st.sampled_from(variants))
    # Variants that replace the whole expression start from a small request: fewer choices to draw.
    base = draw(_valid_request(ctx, 1 if variant in ("fifty", "list-max") else max_depth, None,
                               budget_cap=2 if variant in ("fifty", "list-max") else MAX_ELEMENTS))
    expression = base.setdefault("SearchExpression", {"Filters": [_simple_filter(ctx, draw)]})
    root = ("SearchExpression",)

    added: List[dict] = []

    def add_filter(flt: dict) -> Tuple:
        """Insert ``flt`` into the top-level Filters (room permitting) and return its path."""
        filters = expression.setdefault("Filters", [])
        if len(filters) >= 20:  # make room by dropping one of the base's filters, never one added here
            filters.pop(max(i for i, f in enumerate(filters) if not any(f is a for a in added)))
        index = draw(st.integers(0, len(filters)))
        filters.insert(index, flt)
        added.append(flt)
        return root + ("Filters", index)

    if variant == "contains":
        for kind in ("first", "second"):
            name, _, enum = draw(ctx.leaves(kinds=(TEXT,)).filter(lambda leaf: not documented.contains_exempt(leaf[0])))
            add_filter({"Name": name, "Operator": "Contains", "Value": draw(ctx.values(name, TEXT, enum))})
        if documented.search_element_count(expression) > MAX_ELEMENTS:
            expression.pop("SubExpressions", None)
            expression.pop("NestedFilters", None)
        paths = [p for p, f, _ in documented.iter_filters(expression)
                 if f.get("Operator") == "Contains" and not documented.contains_exempt(f["Name"])]
        return InvalidPayload(base, paths[1] + ("Operator",), "search.contains-at-most-once")
    if variant == "fifty":
        # A few drawn filters, repeated: > 50 elements however nested filters and subexpressions are counted.
        pool = [_simple_filter(ctx, draw) for _ in range(draw(st.integers(1, 3)))]
        subs = draw(st.integers(11, 20))
        expression = {"Filters": [dict(pool[i % len(pool)]) for i in range(20)]}
        if ctx.cat.nested:
            prop = sorted(ctx.cat.nested)[0]
            inner = {"Name": ctx.cat.nested[prop][0][0], "Operator": "Exists"}
            expression["NestedFilters"] = [{"NestedPropertyName": prop, "Filters": [dict(inner)]} for _ in range(20)]
            expression["SubExpressions"] = [{"Filters": [dict(pool[i % len(pool)])]} for i in range(subs)]
        else:  # without nested filters: 20 filters + 20 subexpressions of 2 filters each
            expression["SubExpressions"] = [{"Filters": [dict(f) for f in (pool * 2)[:2]]} for _ in range(20)]
        base["SearchExpression"] = expression
        return InvalidPayload(base, root, "search.at-most-50-elements")
    if variant == "empty":
        where = draw(st.sampled_from(["root", "sub"]))
        empty = {"Operator": draw(st.sampled_from(["And", "Or"]))} if draw(st.booleans()) else {}
        if where == "root":
            base["SearchExpression"] = empty
            return InvalidPayload(base, root, "search.expression-not-empty")
        subs = expression.setdefault("SubExpressions", [])
        if len(subs) >= 20:
            subs.pop()
        if documented.search_element_count(expression) >= MAX_ELEMENTS:
            expression.pop("NestedFilters", None)
            subs.clear()
        index = draw(st.integers(0, len(subs)))
        subs.insert(index, empty)
        return InvalidPayload(base, root + ("SubExpressions", index), "search.expression-not-empty")
    if variant == "list-max":
        pool = [_simple_filter(ctx, draw) for _ in range(draw(st.integers(1, 3)))]
        size = model.member_shape("Search", "SearchExpression.Filters").metadata["max"] + draw(st.integers(1, 3))
        base["SearchExpression"] = {"Filters": [dict(pool[i % len(pool)]) for i in range(size)]}
        return InvalidPayload(base, root + ("Filters",), Constraint.MAX_LENGTH.value)  # list size
    if variant == "max-results":
        base["MaxResults"] = model.member_shape("Search", "MaxResults").metadata["max"] + draw(st.integers(1, 50))
        return InvalidPayload(base, ("MaxResults",), Constraint.MAX.value)
    if variant == "unknown-sort-by":
        base["SortBy"] = draw(_unknown_names(resource))
        return InvalidPayload(base, ("SortBy",), "search.valid-property-name")
    if variant == "visibility-key":
        key = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789_.:/=+-@", min_size=1, max_size=20).filter(
            lambda k: not k.startswith(documented.VISIBILITY_KEY_PREFIX)))
        conditions = list(base.get("VisibilityConditions") or [])[:_visibility_bounds_list() - 1]
        index = draw(st.integers(0, len(conditions)))
        conditions.insert(index, {"Key": key, "Value": draw(st.text("abc xyz", max_size=5))})
        base["VisibilityConditions"] = conditions
        return InvalidPayload(base, ("VisibilityConditions", index, "Key"), "search.visibility-key-is-a-tag")
    if variant == "sort-order":
        base["SortOrder"] = draw(st.sampled_from(["ascending", "DESC", "Up", "Random"]))
        return InvalidPayload(base, ("SortOrder",), Constraint.ENUM.value)
    _shrink_for_one_more(expression)
    if variant == "ordering-on-text":
        name, _, enum = draw(ctx.leaves(kinds=(TEXT,)))
        operator = draw(st.sampled_from(sorted(search_eval.ORDERING_OPERATORS)))
        path = add_filter({"Name": name, "Operator": operator, "Value": draw(ctx.values(name, TEXT, enum))})
        return InvalidPayload(base, path + ("Operator",), "search.operator-not-for-text")
    if variant == "text-op-on-non-text":
        name, kind, enum = draw(ctx.leaves(kinds=(NUMERIC, TIMESTAMP)))
        operator = draw(st.sampled_from(sorted(search_eval.TEXT_ONLY_OPERATORS)))
        if operator == "Contains":  # a second Contains would also break CONTAINS-once
            _drop_contains(expression)
        path = add_filter({"Name": name, "Operator": operator, "Value": draw(ctx.values(name, kind, enum))})
        return InvalidPayload(base, path + ("Operator",), "search.operator-only-for-text")
    if variant in ("numeric-value", "timestamp-value"):
        kind = NUMERIC if variant == "numeric-value" else TIMESTAMP
        name, _, _ = draw(ctx.leaves(kinds=(kind,)))
        operator = draw(st.sampled_from(["Equals", "NotEquals", "GreaterThan", "LessThanOrEqualTo"]))
        bad = draw(st.sampled_from(["abc", "1O", "one", "2021-13-45T00:00:00", "yesterday", "12:00", "NaN-ish"]))
        if kind == NUMERIC and search_eval.parse_number(bad) is not None:
            bad = "abc"
        path = add_filter({"Name": name, "Operator": operator, "Value": bad})
        return InvalidPayload(base, path + ("Value",), f"search.{variant}")
    # unknown-name
    path = add_filter({"Name": draw(_unknown_names(resource)), "Operator": "Exists"})
    return InvalidPayload(base, path + ("Name",), "search.valid-property-name")


def _unknown_names(resource: str) -> st.SearchStrategy[str]:
    return st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12).map(
        lambda s: "NoSuch" + s).filter(lambda n: search_eval.property_type(resource, n) is None)


def _shrink_for_one_more(expression: dict) -> None:
    """Leave room for one more top-level filter under the 50-element limit."""
    while documented.search_element_count(expression) >= MAX_ELEMENTS:
        for key in ("SubExpressions", "NestedFilters"):
            if expression.get(key):
                expression[key].pop()
                if not expression[key]:
                    del expression[key]
                break
        else:
            expression["Filters"].pop()
    if not (expression.get("Filters") or expression.get("NestedFilters") or expression.get("SubExpressions")):
        expression.pop("Operator", None)


def _drop_contains(expression: dict) -> None:
    for _, flt, _ in documented.iter_filters(expression):
        if flt.get("Operator") == "Contains":
            flt["Operator"] = "Exists"
            flt.pop("Value", None)


def search_requests(resource: str = "Endpoint", *, valid: bool = True, resources: Sequence[dict] = (),
                    max_depth: int = 3, next_token: Optional[str] = None) -> st.SearchStrategy:
    """Search requests for ``resource`` (a value of the model's ResourceType enum).

    resources: documents of that type (see ``conformance.search_eval``) to draw names/values from.
    max_depth: deepest SubExpressions nesting (the top expression is depth 1).
    next_token: a NextToken to include (valid requests only; tokens come from earlier responses).
    """
    if resource not in model.member_shape("Search", "Resource").enum:
        raise ValueError(f"unknown Search resource {resource!r}")
    key = (threading.get_ident(), resource, json.dumps(list(resources or ()), sort_keys=True, default=str),
           valid, max_depth, next_token)
    with _recent_lock:
        strategy = _recent_requests.get(key)
        if strategy is None:
            ctx = _Context(resource, resources)
            strategy = _valid_request(ctx, max_depth, next_token) if valid else _invalid_request(ctx, max_depth)
            if len(_recent_requests) >= _RECENT_REQUESTS:
                _recent_requests.pop(next(iter(_recent_requests)))
            _recent_requests[key] = strategy
    return strategy


# Steps of one example often search the same resources again: their context (the names and values
# they hold, and the strategies built on them) is kept for the next draw. Per thread: a context
# holds the budget of the expression being drawn.
_RECENT_REQUESTS = 32
_recent_requests: Dict[tuple, st.SearchStrategy] = {}
_recent_lock = threading.Lock()


__all__ = ["search_requests", "catalogue", "Catalogue", "format_value", "MAX_ELEMENTS"]
