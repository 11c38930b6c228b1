"""Strings that fully match a regex AND fit a length range, drawn in one pass.

``hypothesis.strategies.from_regex`` knows nothing of lengths (so ``maxLength``
becomes a filter that rejects most long names) and treats a positive lookahead
such as ``(?=.{1,32}$)`` as text to emit. Here the regex (Python ``re`` syntax,
as ``conformance.patterns.translate`` returns it) is parsed once into a small
tree that knows the shortest and longest string each part can produce; drawing
hands every part a length budget, so the result is nearly always in range.
Lookarounds and anchors produce nothing; a final ``re.search`` (the regex is
self-anchored) + length check is the safety net, and what makes lookarounds hold.
Every choice is a Hypothesis draw, except that many repetitions of a composite
part come from one drawn seed (see ``HypothesisChooser.for_repeats``).

Characters come from ``UNIVERSE``: ASCII, controls and a sample of every Unicode
general category (letters of several scripts, marks, digits, spaces, line
separators, symbols, private use, astral). Each character class is the subset
of the universe that ``re`` itself accepts for it, so classes mean exactly what
Python means, and text of one class is a single native Hypothesis draw.
"""

from __future__ import annotations

import bisect
import functools
import random
import re
from dataclasses import dataclass
from typing import Callable, FrozenSet, List, Optional, Tuple

from hypothesis import strategies as st

from conformance.pattern_matching import matcher as pattern_matcher
from conformance.strategies.unwrapped import unwrapped

try:  # Python ≥ 3.11 names the parser privately; the public alias is deprecated
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

INFINITE = 10**9
SOFT_EXTRA = 24  # a string longer than its minimum by at most this much, unless stretched to the maximum
TILE_ABOVE = 512  # longer runs are drawn short and repeated: Hypothesis limits the size of one example

_UNIVERSE_RANGES = (
    (0x00, 0x7F), (0x80, 0x9F), (0xA0, 0x17F), (0x300, 0x36F), (0x391, 0x3C9), (0x410, 0x44F),
    (0x5D0, 0x5EA), (0x660, 0x669), (0x966, 0x96F), (0x2000, 0x200A), (0x2010, 0x2029),
    (0x20A0, 0x20BF), (0x2150, 0x218B), (0x2190, 0x21FF), (0x3000, 0x303F), (0x3041, 0x3096),
    (0x4E00, 0x4E3F), (0xAC00, 0xAC3F), (0xE000, 0xE00F), (0xFF01, 0xFF5E), (0xFFFD, 0xFFFD),
    (0x10400, 0x1044F), (0x1F600, 0x1F64F),
)
UNIVERSE: str = "".join(chr(c) for lo, hi in _UNIVERSE_RANGES for c in range(lo, hi + 1))
_UNIVERSE_SORTED: str = "".join(sorted(set(UNIVERSE)))
_UNIVERSE_CODES: List[int] = [ord(c) for c in _UNIVERSE_SORTED]

# Characters most likely to fall outside a pattern, tried first when a violation is wanted.
PROBES = "\n \t/#-_.:@*é\u2028\u00a0\x00A9z\U0001f600"


class UnsupportedRegex(ValueError):
    """The regex uses a construct this generator does not model (e.g. a backreference)."""


@dataclass(frozen=True)
class Node:
    kind: str  # "chars" | "lit" (fixed text, in ``pool``) | "seq" | "alt" | "rep" | "empty"
    low: int  # shortest string this part can produce
    high: int  # longest (INFINITE when unbounded)
    chars: FrozenSet[str] = frozenset()
    children: Tuple["Node", ...] = ()
    min_count: int = 0
    max_count: int = 0
    alphabet: Optional[st.SearchStrategy] = None
    pool: str = ""  # the same characters, for RandomChooser


EMPTY = Node("empty", 0, 0)


def _charset(chars: FrozenSet[str]) -> Node:
    alphabet = st.characters(categories=(), include_characters="".join(sorted(chars))) if chars else st.nothing()
    return Node("chars", 1, 1, chars=chars, alphabet=alphabet, pool="".join(sorted(chars)))


@functools.lru_cache(maxsize=None)
def _category_chars(category) -> FrozenSet[str]:
    probe = {
        sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D",
        sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
        sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
    }.get(category)
    if probe is None:
        raise UnsupportedRegex(f"character category {category}")
    compiled = re.compile(probe)
    return frozenset(c for c in UNIVERSE if compiled.fullmatch(c))


def _class_chars(items, flags: int) -> FrozenSet[str]:
    chars = set()
    negate = False
    for op, value in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE:
            lo, hi = value
            # Classes translated from \p{..} hold hundreds of ranges: bisect the sorted universe, not scan it.
            chars.update(_UNIVERSE_SORTED[bisect.bisect_left(_UNIVERSE_CODES, lo):bisect.bisect_right(_UNIVERSE_CODES, hi)])
        elif op is sre.CATEGORY:
            chars |= _category_chars(value)
        else:
            raise UnsupportedRegex(f"class item {op}")
    if flags & re.IGNORECASE:
        raise UnsupportedRegex("IGNORECASE")
    if negate:
        return frozenset(c for c in UNIVERSE if c not in chars)
    return frozenset(c for c in chars if c in UNIVERSE)


def _is_literal(node: Node) -> bool:
    return node.kind == "lit" or (node.kind == "chars" and len(node.chars) == 1)


def _literal(nodes: List[Node]) -> Node:
    text = "".join(n.pool for n in nodes)
    return Node("lit", len(text), len(text), chars=frozenset(text), pool=text)


def _seq(children: List[Node]) -> Node:
    children = [c for c in children if c.kind != "empty"]
    # Runs of fixed characters ("arn:aws:") are one literal: nothing to choose, so no draw.
    merged: List[Node] = []
    for child in children:
        if _is_literal(child) and merged and _is_literal(merged[-1]):
            merged[-1] = _literal([merged[-1], child])
        elif _is_literal(child):
            merged.append(_literal([child]))
        else:
            merged.append(child)
    children = merged
    if not children:
        return EMPTY
    if len(children) == 1:
        return children[0]
    return Node("seq", sum(c.low for c in children), min(INFINITE, sum(c.high for c in children)), children=tuple(children))


def _build(parsed, flags: int) -> Node:
    nodes = []
    for op, value in parsed:
        if op is sre.LITERAL:
            nodes.append(_charset(_class_chars([(op, value)], flags)))
        elif op is sre.NOT_LITERAL:
            nodes.append(_charset(_class_chars([(sre.NEGATE, None), (sre.LITERAL, value)], flags)))
        elif op is sre.IN:
            nodes.append(_charset(_class_chars(value, flags)))
        elif op is sre.ANY:
            dotall = flags & re.DOTALL
            nodes.append(_charset(frozenset(c for c in UNIVERSE if dotall or c != "\n")))
        elif op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # zero-width: the final fullmatch check enforces it
        elif op is sre.SUBPATTERN:
            group_flags = (flags | value[1]) & ~value[2]
            nodes.append(_build(value[-1], group_flags))
        elif op is sre.BRANCH:
            branches = tuple(_build(b, flags) for b in value[1])
            nodes.append(Node("alt", min(b.low for b in branches), max(b.high for b in branches), children=branches))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = value
            child = _build(sub, flags)
            hi = INFINITE if hi == sre.MAXREPEAT else hi
            if child.kind == "empty" or hi == 0:
                continue
            nodes.append(Node("rep", child.low * lo, min(INFINITE, child.high * hi), children=(child,), min_count=lo, max_count=hi))
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            nodes.append(_build(value, flags))
        else:
            raise UnsupportedRegex(f"regex construct {op}")
    return _seq(nodes)


@functools.lru_cache(maxsize=None)
def parse(regex: str) -> Node:
    compiled = re.compile(regex)
    return _build(sre_parse.parse(regex, compiled.flags), compiled.flags)


@functools.lru_cache(maxsize=None)
def alphabet(regex: str) -> FrozenSet[str]:
    """Every universe character that can occur anywhere in a match of ``regex``."""
    out = set()

    def walk(node: Node) -> None:
        out.update(node.chars)
        for child in node.children:
            walk(child)

    walk(parse(regex))
    return frozenset(out)


@functools.lru_cache(maxsize=None)
def _text(alphabet_strategy: st.SearchStrategy, low: int, high: int) -> st.SearchStrategy:
    return st.text(alphabet_strategy, min_size=low, max_size=high)


class HypothesisChooser:
    """Every choice is a Hypothesis draw (so examples shrink and replay from the seed)."""

    def __init__(self, draw) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return low if low >= high else self.draw(st.integers(low, high))

    def char(self, node: Node) -> str:
        return self.draw(node.alphabet)

    def run(self, node: Node, low: int, high: int) -> str:
        return self.draw(_text(node.alphabet, low, high))

    def for_repeats(self, count: int):
        """Many repetitions of a composite part (``(-*[a-z0-9]){0,62}``) would cost two draws each:
        past a few, they come from one drawn seed (their number still shrinks, their text does not)."""
        if count < SEEDED_REPEATS:
            return self
        return RandomChooser(random.Random(self.draw(SEEDS)), short_runs=True)


SEEDS = unwrapped(st.integers(0, 2**32 - 1))  # a drawn seed: one choice for what a Random builds
SEEDED_REPEATS = 3


class RandomChooser:
    """Choices from a seeded ``random.Random``: build-time feasibility checks, and long repetitions."""

    def __init__(self, rng: random.Random, short_runs: bool = False) -> None:
        self.rng = rng
        self.short_runs = short_runs  # run lengths mostly near their minimum, as Hypothesis draws them

    def integer(self, low: int, high: int) -> int:
        return low if low >= high else self.rng.randint(low, high)

    def char(self, node: Node) -> str:
        return self.rng.choice(node.pool)

    def run(self, node: Node, low: int, high: int) -> str:
        if self.short_runs:
            size = low
            while size < high and self.rng.random() < 0.4:
                size += 1
        else:
            size = self.integer(low, high)
        return "".join(self.rng.choices(node.pool, k=size))

    def for_repeats(self, count: int):
        return self


class ShortestChooser:
    """The first character and the fewest repetitions everywhere: the simplest string a pattern allows."""

    def integer(self, low: int, high: int) -> int:
        return low

    def char(self, node: Node) -> str:
        return node.pool[0]

    def run(self, node: Node, low: int, high: int) -> str:
        return node.pool[0] * low

    def for_repeats(self, count: int):
        return self


def _draw_run(choose, node: Node, low: int, high: int) -> str:
    """A run of one character class, ``low``..``high`` characters long."""
    if low > TILE_ABOVE:
        unit = choose.run(node, 1, 16)
        size = choose.integer(low, min(high, low + SOFT_EXTRA))
        return (unit * (size // len(unit) + 1))[:size]
    return choose.run(node, low, min(high, low + SOFT_EXTRA, TILE_ABOVE))


def _draw(choose, node: Node, low: int, high: int) -> str:
    low, high = max(low, node.low), min(high, node.high)
    if low > high:  # the budget cannot be met: stay valid for this part, the final check decides
        low, high = node.low, max(node.low, min(high, node.high))
    kind = node.kind
    if kind == "lit":
        return node.pool
    if kind == "chars":
        return choose.char(node)
    if kind == "empty":
        return ""
    if kind == "seq":
        return _draw_sequence(choose, node.children, low, high)
    if kind == "alt":
        fits = [b for b in node.children if b.low <= high and b.high >= low] or list(node.children)
        return _draw(choose, fits[choose.integer(0, len(fits) - 1)], low, high)
    # repetition
    child = node.children[0]
    counts_low = max(node.min_count, -(-low // child.high) if child.high else node.min_count)
    counts_high = min(node.max_count, high // child.low if child.low else low + SOFT_EXTRA)
    counts_low = min(counts_low, node.max_count)
    if child.kind == "chars":
        return _draw_run(choose, child, max(low, counts_low), max(counts_low, min(high, counts_high)))
    counts_high = max(counts_low, min(counts_high, counts_low + SOFT_EXTRA))
    count = choose.integer(counts_low, counts_high)
    return _draw_sequence(choose.for_repeats(count), (child,) * count, low, high)


def _draw_sequence(choose, children, low: int, high: int) -> str:
    # what the parts after each one can still add, at least and at most
    count = len(children)
    after_low, after_high = [0] * count, [0] * count
    for i in range(count - 1, 0, -1):
        after_low[i - 1] = after_low[i] + children[i].low
        after_high[i - 1] = min(INFINITE, after_high[i] + children[i].high)
    out = []
    produced = 0
    for child, rest_low, rest_high in zip(children, after_low, after_high):
        part = _draw(choose, child, max(child.low, low - produced - rest_high), min(child.high, high - produced - rest_low))
        out.append(part)
        produced += len(part)
    return "".join(out)


def _target_high(node: Node, min_length: int, max_length: int, stretch: bool) -> int:
    if stretch:
        return max_length
    return min(max_length, max(min_length, node.low) + SOFT_EXTRA)


@functools.lru_cache(maxsize=None)
def matching(regex: Optional[str], min_length: int = 0, max_length: Optional[int] = None) -> st.SearchStrategy:
    """Strings ``s`` with ``re.search(regex, s)`` (a self-anchored regex) and ``min_length <= len(s) <= max_length``.

    ``regex=None`` means any text. Mostly short; now and then as long as allowed.
    """
    max_length = INFINITE if max_length is None else max_length
    pattern = re.compile(regex if regex is not None else r"[\s\S]*")
    node = parse(pattern.pattern)
    # Draws ``max_length`` with ~1/8 probability when the maximum is modest, for boundary coverage.
    can_stretch = max_length <= TILE_ABOVE and max_length > max(min_length, node.low) + SOFT_EXTRA

    @st.composite
    def draw_string(draw) -> str:
        stretch = can_stretch and draw(st.integers(0, 7)) == 7
        return _draw(HypothesisChooser(draw), node, min_length, _target_high(node, min_length, max_length, stretch))

    matches = pattern_matcher(pattern.pattern)

    def fits(s: str) -> bool:
        return min_length <= len(s) <= max_length and matches(s)

    return draw_string().filter(fits)


def samples(regex: Optional[str], min_length: int, max_length: Optional[int], tries: int = 40, seed: int = 0) -> List[str]:
    """Up to ``tries`` distinct strings ``matching`` could produce, found without Hypothesis (deterministic).

    Empty means the length range is (as far as sampling can tell) unreachable for the regex.
    """
    top = INFINITE if max_length is None else max_length
    node = parse(regex if regex is not None else r"[\s\S]*")
    fits = checker(regex, min_length, max_length)
    choose = RandomChooser(random.Random(seed))
    found = []
    for attempt in range(tries):
        high = _target_high(node, min_length, top, stretch=attempt % 4 == 3)
        candidate = _draw(choose, node, min_length, high)
        if fits(candidate) and candidate not in found:
            found.append(candidate)
    return found


POOL_SIZE = 16  # distinct strings kept per (regex, lengths) for ``random_string``: built once, when first asked


@functools.lru_cache(maxsize=None)
def _string_pool(regex: Optional[str], min_length: int, max_length: Optional[int]) -> Tuple[Tuple[str, ...], str]:
    """(pool, shortest): up to POOL_SIZE strings ``matching`` could draw, and the simplest one."""
    top = INFINITE if max_length is None else max_length
    node = parse(regex if regex is not None else r"[\s\S]*")
    fits = checker(regex, min_length, max_length)
    # Past TILE_ABOVE strings are tiles of a short run: a few are variety enough, and checking each
    # (up to a megabyte against the pattern) is what costs.
    tries = POOL_SIZE if min_length <= TILE_ABOVE else 2
    pool = tuple(samples(regex, min_length, max_length, tries=tries, seed=1))
    shortest = _draw(ShortestChooser(), node, min_length, _target_high(node, min_length, top, False))
    if not fits(shortest):  # a lookaround the shortest choices miss
        if not pool:
            raise UnsupportedRegex(f"no string of length {min_length}..{max_length} matches {regex!r}")
        shortest = min(pool, key=len)
    return pool or (shortest,), shortest


def random_string(regex: Optional[str], min_length: int, max_length: Optional[int],
                  rng: Optional[random.Random]) -> str:
    """A string ``matching`` could draw, picked by ``rng`` from a fixed pool (building strings
    character by character costs more than the request they go in); ``rng=None``: the simplest one."""
    pool, shortest = _string_pool(regex, min_length, max_length)
    return shortest if rng is None else rng.choice(pool)


def seeded_string(regex: Optional[str], min_length: int, max_length: Optional[int], seed: int) -> str:
    """A string ``matching`` could draw, built afresh from ``seed`` (~20 µs: one Hypothesis choice where
    drawing it costs one per character); as long as allowed about one time in eight; seed 0: the simplest."""
    if not seed:
        return random_string(regex, min_length, max_length, None)
    top = INFINITE if max_length is None else max_length
    node = parse(regex if regex is not None else r"[\s\S]*")
    rng = random.Random(seed)
    if top <= TILE_ABOVE and top > max(min_length, node.low) + SOFT_EXTRA and rng.random() < 1 / 8:
        candidate = _draw(RandomChooser(rng), node, top, top)  # the boundary itself
    else:
        candidate = _draw(RandomChooser(rng), node, min_length, _target_high(node, min_length, top, False))
    return candidate if _cached_checker(regex, min_length, max_length)(candidate) else random_string(
        regex, min_length, max_length, rng)


@functools.lru_cache(maxsize=None)
def _cached_checker(regex: Optional[str], min_length: int, max_length: Optional[int]) -> Callable[[str], bool]:
    return checker(regex, min_length, max_length)


def checker(regex: Optional[str], min_length: int, max_length: Optional[int]) -> Callable[[str], bool]:
    """The predicate ``matching`` guarantees, for callers that build strings themselves."""
    # Linear-time for the few model patterns that make backtracking explode.
    matches = pattern_matcher(regex) if regex is not None else None
    top = INFINITE if max_length is None else max_length
    return lambda s: min_length <= len(s) <= top and (matches is None or matches(s))
