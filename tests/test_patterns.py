"""The translated model patterns mean what Java means, in Python ``re`` and in ECMA-262.

Oracle: the ``regex`` package (tests only) reads the original pattern with its own
Unicode database for ``\\p{..}``; a small textual rewrite supplies the
Java-specific meanings it lacks (ASCII ``\\d \\w \\s \\b`` and ``\\p{Alnum}``, ``.``
and ``$`` line terminators, escaped surrogate pairs). Strings are compared only
over characters whose general category both Unicode databases agree on.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.model import service_model
from conformance.patterns import (
    _PRIVATE_USE_PLANES,
    _SCANNED,
    MAX_CODE_POINT,
    PatternError,
    _category_table,
    category_ranges,
    translate,
)
from conformance.pattern_matching import _body_nfa, matcher
from conformance.strategies.text import matching

regex = pytest.importorskip("regex")

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def model_patterns():
    model = service_model()
    found = set()
    for name in model.shape_names:
        pattern = model.shape_for(name).metadata.get("pattern")
        if pattern is not None:
            found.add(pattern)
    return sorted(found)


PATTERNS = model_patterns()

# --- the oracle ---------------------------------------------------------------------------------

_JAVA_SPACE = " \\t\\n\\x0B\\f\\r"
_CLASS_ESCAPES = {  # Java's predefined classes are ASCII (no UNICODE_CHARACTER_CLASS flag)
    "d": "0-9",
    "w": "a-zA-Z_0-9",
    "s": _JAVA_SPACE,
}
_JAVA_DOT = "[^\\n\\r\\x85\\u2028\\u2029]"
_JAVA_DOLLAR = "(?=(?:\\r\\n|(?<!\\r)\\n|[\\r\\x85\\u2028\\u2029])?\\Z)"
_JAVA_WORD = "[a-zA-Z_0-9]"
_JAVA_BOUNDARY = f"(?:(?<={_JAVA_WORD})(?!{_JAVA_WORD})|(?<!{_JAVA_WORD})(?={_JAVA_WORD}))"


def _java_to_regex(pattern: str) -> str:
    """Rewrite the Java-only meanings into the ``regex`` package's V1 syntax (nested sets allowed)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            e = pattern[i + 1]
            if e in _CLASS_ESCAPES or e.lower() in _CLASS_ESCAPES:
                body = _CLASS_ESCAPES[e.lower()]
                out.append(f"[{'^' if e.isupper() else ''}{body}]")
                i += 2
                continue
            if pattern.startswith("\\p{Alnum}", i):
                out.append("[a-zA-Z0-9]")
                i += len("\\p{Alnum}")
                continue
            if e == "b" and not in_class:
                out.append(_JAVA_BOUNDARY)
                i += 2
                continue
            pair = re.match(r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", pattern[i:], re.I)
            if pair:
                high, low = int(pair.group(1), 16), int(pair.group(2), 16)
                out.append(f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}")
                i += pair.end()
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
        elif c == ".":
            out.append(_JAVA_DOT)
        elif c == "$":
            out.append(_JAVA_DOLLAR)
        else:
            out.append(c)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=None)
def oracle(pattern: str):
    return regex.compile(_java_to_regex(pattern), flags=regex.V1)


@functools.lru_cache(maxsize=None)
def compiled(pattern: str):
    return re.compile(translate(pattern))


@functools.lru_cache(maxsize=None)
def agreed(char: str) -> bool:
    """Both Unicode databases (unicodedata's and regex's) give this character the same category."""
    category = unicodedata.category(char)
    return category != "Cn" and regex.match(r"\p{" + category + "}", char) is not None


# Characters where Java, Python and ECMA differ, or where the \p classes split.
PROBES = [
    "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\t", " ", "\xa0", "\u3000",
    "é", "\u01c5", "\u02b0", "\u0301", "\u0903", "\u20dd", "\u0663", "\u2167", "\xbd", "€", "+", "^",
    "\u00b4", "\u2212", "\u00ab", "\u00bb", "\u201c", "\u300c", "_", "-", ".", "/", "@", ":", "=",
    "\U0001f600", "\U0001d7d8", "\U00010400", "\U000e0100", "\ud800", "\udc00", "\x00", "\x7f", "\ufffe",
    "A", "z", "0", "9", "a", "%", "*", "?", "[", "]", "\\",
]
PROBES = [c for c in PROBES if agreed(c) or unicodedata.category(c) in ("Cc", "Cs")]


# Backtracking engines (re, regex) are exponential on a few model patterns; the oracles must stay
# fast, so compared strings stay short. Truncation may make a positive negative: both are compared.
MAX_COMPARED_LENGTH = 16


@functools.lru_cache(maxsize=None)
def positives(pattern: str):
    # Not st.from_regex: it pads its matches and re-checks them with re.search, which backtracks
    # exponentially on three model patterns (the run then hangs for some seeds).
    return matching(translate(pattern)).map(lambda s: s[:MAX_COMPARED_LENGTH])


@functools.lru_cache(maxsize=None)
def alphabet(pattern: str):
    literal = sorted({c for c in pattern if c.isprintable()})
    return st.sampled_from(literal + PROBES) | st.characters(codec=None).filter(agreed)


def mutated(strings, chars):
    @st.composite
    def mutate(draw):
        s = draw(strings)
        i = draw(st.integers(0, len(s)))
        how = draw(st.sampled_from(["insert", "replace", "delete", "append"]))
        c = draw(chars)
        if how == "insert":
            return s[:i] + c + s[i:]
        if how == "replace" and s:
            return s[:i] + c + s[i + 1:]
        if how == "delete" and s:
            return s[:i] + s[i + 1:]
        return s + c
    return mutate()


def comparable(s: str) -> bool:
    return all(agreed(c) or unicodedata.category(c) in ("Cc", "Cs") for c in s)


# --- tests --------------------------------------------------------------------------------------

def test_model_has_the_patterns_this_suite_was_written_for():
    assert len(PATTERNS) >= 200
    assert any("\\p{L}" in p for p in PATTERNS)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_model_pattern_translates_compiles_and_is_anchored(pattern):
    translated = translate(pattern)
    re.compile(translated)
    assert translated.startswith("^(?:") and translated.endswith("(?![\\s\\S])")
    oracle(pattern)  # the oracle reads it too


@st.composite
def pattern_and_string(draw):
    pattern = draw(st.sampled_from(PATTERNS))
    chars = alphabet(pattern)
    accepted = positives(pattern)
    string = draw(st.one_of(accepted, mutated(accepted, chars), st.text(chars, max_size=12)))
    return pattern, string


@PROPERTY
@given(pattern_and_string())
def test_translation_accepts_exactly_what_java_accepts(case):
    pattern, string = case
    if not comparable(string):
        return
    expected = oracle(pattern).fullmatch(string) is not None
    assert (compiled(pattern).search(string) is not None) == expected, (pattern, string)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_translation_agrees_with_java_on_every_probe_character(pattern):
    for probe in PROBES:
        for string in (probe, "a" + probe, probe + probe, "arn:aws" + probe):
            expected = oracle(pattern).fullmatch(string) is not None
            assert (compiled(pattern).search(string) is not None) == expected, (pattern, string)


@pytest.mark.parametrize(
    "pattern, accepted, rejected",
    [
        # Java's POSIX \p{Alnum} is ASCII only.
        (r"arn:[\p{Alnum}\-]+:lambda:[\p{Alnum}\-]+:[0-9]{12}:function:.*",
         ["arn:aws:lambda:us-east-1:123456789012:function:f"], ["arn:awsé:lambda:x:123456789012:function:f"]),
        # A quantified "$" is still one end anchor (and never lets a trailing newline through).
        (r"([\p{L}\p{Z}\p{N}_.:\/=+\-@]*)${1,128}", ["", "abc é 3", "a\u2028"], ["abc\n", "a!"]),
        # Escaped surrogate pairs are one supplementary code point: the XML character range.
        (r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*",
         ["a\U0001f600\t", "\U0010ffff"], ["\ud800", "\x00", "\n", "\ufffe"]),
        # Java's "." excludes every line terminator; Python's only "\n".
        (r".*", ["\x0b\x0c", ""], ["\r", "\x85", "\u2028", "a\n"]),
        # ASCII \d and \w.
        (r"\d+", ["0123"], ["\u0663"]),
        (r"[\w:]+", ["a_b:9"], ["é"]),
        (r"(?!\s*$).+", ["a", " a "], ["", "   ", "\t"]),
        (r"[a-z0-9]([-a-z0-9]*[a-z0-9]){0,39}?", ["a-b"], ["a-", "-a"]),
    ],
)
def test_known_java_meanings(pattern, accepted, rejected):
    for string in accepted:
        assert compiled(pattern).search(string), (pattern, string)
    for string in rejected:
        assert not compiled(pattern).search(string), (pattern, string)


@pytest.mark.parametrize(
    "pattern", ["a*+", "[a&&b]", "[[a]b]", r"(a)\1", "(?<name>a)", "(?i)a", "a{2", "[a", "(a", r"\p{Greek}"]
)
def test_constructs_without_an_exact_translation_are_refused(pattern):
    with pytest.raises(PatternError):
        translate(pattern)


def test_unicode_scan_covers_every_assigned_code_point():
    """The category table skips planes 4-13 and 15-16 (private use); check that is lossless."""
    table = _category_table()
    gaps = [(hi + 1, lo - 1) for (_, hi), (lo, _) in zip(_SCANNED, _SCANNED[1:])] + [(_SCANNED[-1][1] + 1, MAX_CODE_POINT)]
    found = {unicodedata.category(chr(cp)) for lo, hi in gaps for cp in range(lo, hi + 1)}
    assert found <= {"Cn", "Co"}
    private = {unicodedata.category(chr(cp)) for lo, hi in _PRIVATE_USE_PLANES for cp in (lo, hi)}
    assert private == {"Co"}
    letters = category_ranges("L")
    for cp in (0x41, 0xE9, 0x3134A, 0x20000):
        assert any(lo <= cp <= hi for lo, hi in letters) == unicodedata.category(chr(cp)).startswith("L")
    assert "Lu" in table and "Zs" in table


@functools.lru_cache(maxsize=None)
def _nfa_or_none(pattern: str):
    try:
        return _body_nfa(translate(pattern))[0]
    except PatternError:
        return None  # lookarounds: matcher() keeps re for these


NFA_PATTERNS = [p for p in PATTERNS if _nfa_or_none(p) is not None]


@pytest.mark.parametrize("pattern", NFA_PATTERNS)
def test_nfa_judges_probes_like_re(pattern):
    """The NFA matcher is checked on every pattern it can build, not only the ones it is used for."""
    nfa = _nfa_or_none(pattern)
    for probe in PROBES:
        for string in (probe, "a" + probe, probe + probe, "arn:aws" + probe, ""):
            assert nfa.full_match(string) == (compiled(pattern).search(string) is not None), (pattern, string)


@PROPERTY
@given(st.sampled_from(NFA_PATTERNS).flatmap(lambda p: st.tuples(st.just(p), st.one_of(
    positives(p), mutated(positives(p), alphabet(p)), st.text(alphabet(p), max_size=12)))))
def test_nfa_accepts_exactly_what_re_accepts(case):
    pattern, string = case
    assert _nfa_or_none(pattern).full_match(string) == (compiled(pattern).search(string) is not None)


@pytest.mark.parametrize(
    "pattern, hostile",
    [
        (r".*(?:[ \r\n\t].*)*", " " * 400 + "\x85"),
        (r"https://([.\-_a-zA-Z0-9]+/?){3,1016}", "https://" + "a" * 300 + "!"),
        (r"[a-z0-9]([-a-z0-9]*[a-z0-9]){0,39}?", "a" * 60 + "-"),
    ],
)
def test_matcher_is_fast_on_values_that_make_backtracking_exponential(pattern, hostile):
    assert pattern in PATTERNS
    check = matcher(translate(pattern))
    assert check is not compiled(pattern).search
    started = time.process_time()
    assert check(hostile) is False
    assert time.process_time() - started < 2.0
    assert check(hostile[:-1]) is True


def _node_mismatches(cases):
    """Run ``new RegExp(p, "u").test(s)`` for every ``[p, s, expected]`` in one node process."""
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8')); const out = [];"
        "const cache = new Map();"
        "for (const [p, s, expected] of cases) {"
        "  let got; try { if (!cache.has(p)) cache.set(p, new RegExp(p, 'u')); got = cache.get(p).test(s); }"
        "  catch (e) { got = 'invalid: ' + e.message; }"
        "  if (got !== expected) out.push([p.slice(0, 80), s, expected, got]); }"
        "console.log(JSON.stringify(out.slice(0, 20)));"
    )
    result = subprocess.run(
        ["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=300, check=True
    )
    return json.loads(result.stdout)


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


@needs_node
def test_translations_are_ecma_regexes_that_judge_probes_like_python():
    """Every translation compiles with ``new RegExp(p, "u")`` and judges the probe strings as Python does."""
    cases = []
    for pattern in PATTERNS:
        translated = translate(pattern)
        for probe in PROBES:
            for string in (probe, "a" + probe, "arn:aws" + probe):
                cases.append([translated, string, compiled(pattern).search(string) is not None])
    assert _node_mismatches(cases) == []


@needs_node
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(pattern_and_string(), min_size=10, max_size=30))
def test_translations_judge_generated_strings_like_python_in_ecma(pairs):
    cases = [[translate(p), s, compiled(p).search(s) is not None] for p, s in pairs]
    assert _node_mismatches(cases) == []
