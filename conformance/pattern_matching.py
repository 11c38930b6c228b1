"""Linear-time matching for translated patterns whose nested quantifiers make backtracking explode.

A few model patterns nest quantifiers ambiguously (".*(?:[ \\r\\n\\t].*)*", "([.\\-_a-zA-Z0-9]+/?){3,1016}"),
so a backtracking engine (Python re, Java, most ECMA engines) takes exponential time on some
non-matching values. :func:`matcher` keeps re for every other pattern and simulates those few as a
Thompson NFA, linear in the value's length per NFA state. It reads re's own parse of the translation
(``re._parser``: stdlib-internal, hence the fallback to plain re if that ever changes).
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Callable, List, Tuple

from conformance.patterns import _END, MAX_CODE_POINT, PatternError, Ranges, _normalise

def _charset(item) -> Ranges:
    """Every character ``item`` could consume (over-approximated for categories)."""
    import re._constants as c

    op, av = item
    if op is c.LITERAL:
        return ((av, av),)
    if op in (c.NOT_LITERAL, c.ANY):
        return ((0, MAX_CODE_POINT),)
    if op is c.IN:
        if any(kind in (c.NEGATE, c.CATEGORY) for kind, _ in av):
            return ((0, MAX_CODE_POINT),)
        return _normalise((v, v) if kind is c.LITERAL else v for kind, v in av)
    if op is c.SUBPATTERN:
        return _normalise(r for sub in av[-1] for r in _charset(sub))
    if op is c.BRANCH:
        return _normalise(r for branch in av[1] for sub in branch for r in _charset(sub))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _normalise(r for sub in av[2] for r in _charset(sub))
    return ()


def _nullable(item) -> bool:
    import re._constants as c

    op, av = item
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return av[0] == 0 or all(_nullable(sub) for sub in av[2])
    if op is c.SUBPATTERN:
        return all(_nullable(sub) for sub in av[-1])
    if op is c.BRANCH:
        return any(all(_nullable(sub) for sub in branch) for branch in av[1])
    return op in (c.AT, c.ASSERT, c.ASSERT_NOT)


def _overlaps(a: Ranges, b: Ranges) -> bool:
    return any(lo <= b_hi and b_lo <= hi for lo, hi in a for b_lo, b_hi in b)


def _follow(items, index: int, wrap) -> Ranges:
    """Characters that can come right after ``items[index]`` (with ``wrap`` when the rest is nullable)."""
    out: List[Tuple[int, int]] = []
    for item in items[index + 1:]:
        out.extend(_charset(item))
        if not _nullable(item):
            return _normalise(out)
    out.extend(wrap)
    return _normalise(out)


def _nested_repeat(items, wrap: Ranges = (), inside: bool = False) -> bool:
    """True when a variable repeat inside another repeat can trade characters with what follows it
    (the next element, or the next iteration): the shape that makes backtracking exponential."""
    import re._constants as c

    for index, (op, av) in enumerate(items):
        follow = _follow(items, index, wrap)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, body = av
            if inside and high != low and _overlaps(_charset((op, av)), follow):
                return True
            # Within the body, what follows its end is the next iteration (if any) or what follows the repeat.
            first = _follow([None] + list(body), 0, ()) if high > 1 else ()
            if _nested_repeat(body, _normalise(list(follow) + list(first)), inside or high > 1):
                return True
        elif op is c.BRANCH:
            if any(_nested_repeat(branch, follow, inside) for branch in av[1]):
                return True
        elif op is c.SUBPATTERN:
            if _nested_repeat(av[-1], follow, inside):
                return True
    return False


class _Nfa:
    """Thompson NFA of a parsed regex body (characters, classes, groups, alternation, repeats only)."""

    def __init__(self, items) -> None:
        self.steps: List[tuple] = []  # ("char", predicate, next) | ("split", a, b) | ("jump", a) | ("match",)
        end = self._sequence(items)
        self._patch(end, self._emit(("match",)))
        self.start = 0

    def _emit(self, step: tuple) -> int:
        self.steps.append(step)
        return len(self.steps) - 1

    def _patch(self, holes: List[Tuple[int, int]], target: int) -> None:
        for index, slot in holes:
            step = list(self.steps[index])
            step[slot] = target
            self.steps[index] = tuple(step)

    # Each builder emits steps at the current end and returns the dangling exits (index, slot) to patch.
    def _sequence(self, items) -> List[Tuple[int, int]]:
        holes: List[Tuple[int, int]] = []
        for item in items:
            start = len(self.steps)
            exits = self._item(item)
            if holes:
                self._patch(holes, start)
            holes = exits
        if not items:
            holes = [(self._emit(("jump", None)), 1)]  # an empty branch or group: an epsilon step
        return holes

    def _item(self, item) -> List[Tuple[int, int]]:
        import re._constants as c

        op, av = item
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            return [(self._emit(("char", _predicate(op, av), None)), 2)]
        if op is c.SUBPATTERN:
            return self._sequence(av[-1])
        if op is c.BRANCH:
            branches = av[1]
            holes: List[Tuple[int, int]] = []
            pending: List[Tuple[int, int]] = []
            for i, branch in enumerate(branches):
                if i < len(branches) - 1:
                    split = self._emit(("split", None, None))
                    if pending:
                        self._patch(pending, split)
                    self._patch([(split, 1)], split + 1)
                    holes += self._sequence(branch)
                    pending = [(split, 2)]
                else:
                    start = len(self.steps)
                    holes += self._sequence(branch)
                    self._patch(pending, start)
            return holes
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):  # laziness does not change whether the whole value matches
            low, high, body = av
            if high == 0:
                raise PatternError("no NFA for an empty repeat")
            holes = []
            for _ in range(low):
                start = len(self.steps)
                if holes:
                    self._patch(holes, start)
                holes = self._sequence(body)
            if high == c.MAXREPEAT:
                split = self._emit(("split", None, None))
                if holes:
                    self._patch(holes, split)
                self._patch([(split, 1)], split + 1)
                self._patch(self._sequence(body), split)
                return [(split, 2)]
            skips: List[Tuple[int, int]] = []
            for _ in range(high - low):
                split = self._emit(("split", None, None))
                if holes:
                    self._patch(holes, split)
                self._patch([(split, 1)], split + 1)
                skips.append((split, 2))
                holes = self._sequence(body)
            return holes + skips
        raise PatternError(f"no NFA for regex construct {op}")

    def _closure(self, states, into: set) -> None:
        stack = list(states)
        while stack:
            pc = stack.pop()
            if pc in into:
                continue
            into.add(pc)
            step = self.steps[pc]
            if step[0] == "split":
                stack.extend(step[1:])
            elif step[0] == "jump":
                stack.append(step[1])

    def full_match(self, value: str) -> bool:
        current: set = set()
        self._closure([self.start], current)
        for char in value:
            following = [step[2] for step in (self.steps[pc] for pc in current) if step[0] == "char" and step[1](char)]
            if not following:
                return False
            current = set()
            self._closure(following, current)
        return any(self.steps[pc][0] == "match" for pc in current)


def _predicate(op, av):
    import re._constants as c

    if op is c.LITERAL:
        return lambda ch, code=av: ord(ch) == code
    if op is c.NOT_LITERAL:
        return lambda ch, code=av: ord(ch) != code
    if op is c.ANY:
        return lambda ch: ch != "\n"
    negate, ranges, categories = False, [], []
    for kind, value in av:
        if kind is c.NEGATE:
            negate = True
        elif kind is c.LITERAL:
            ranges.append((value, value))
        elif kind is c.RANGE:
            ranges.append(value)
        elif kind is c.CATEGORY and value in (c.CATEGORY_SPACE, c.CATEGORY_UNI_SPACE):
            categories.append(str.isspace)
        elif kind is c.CATEGORY and value in (c.CATEGORY_NOT_SPACE, c.CATEGORY_UNI_NOT_SPACE):
            categories.append(lambda ch: not ch.isspace())
        else:
            raise PatternError(f"no NFA for class item {kind} {value}")
    ranges = list(_normalise(ranges))
    starts = [lo for lo, _ in ranges]

    def member(ch: str) -> bool:
        cp = ord(ch)
        i = bisect.bisect_right(starts, cp) - 1
        inside = (i >= 0 and cp <= ranges[i][1]) or any(test(ch) for test in categories)
        return inside != negate

    return member


def _body_nfa(translated: str) -> Tuple["_Nfa", bool]:
    """(NFA of the translation's body, whether the body nests variable repeats); PatternError if not possible."""
    import re._parser as parser

    if not (translated.startswith("^(?:") and translated.endswith(")" + _END)):
        raise PatternError("not a translate() result")
    body = list(parser.parse(translated[len("^(?:"):-len(")" + _END)]))
    return _Nfa(body), _nested_repeat(body)


@functools.lru_cache(maxsize=None)
def matcher(translated: str) -> Callable[[str], bool]:
    """``lambda value: re.search(translated, value) is not None``, in linear time where re could blow up."""
    compiled = re.compile(translated)
    plain = lambda value: compiled.search(value) is not None  # noqa: E731 - the common, fast case
    try:
        nfa, nested = _body_nfa(translated)
    except (ImportError, AttributeError, PatternError, re.error):
        return plain  # assertions or an unknown construct: keep re
    return nfa.full_match if nested else plain
