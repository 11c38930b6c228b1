"""Translate the model's (Java ``java.util.regex``) patterns into self-anchored regexes.

AWS validates a value against a model pattern with Java semantics and over the
whole value (``Matcher.matches()``). JSON Schema applies ``pattern`` with
search semantics, and validators differ: jsonschema uses Python ``re``,
other tools ECMA-262. :func:`translate` returns a regex that

* means exactly the Java full-value match when used with ``re.search`` (or
  ECMA ``RegExp(p, "u").test``): it is anchored with ``^(?:...)(?![\\s\\S])``
  (``$`` would also match before a trailing newline in Python);
* uses only syntax both dialects read alike: character classes are rebuilt as
  explicit code-point ranges (``\\xHH``, ``\\uHHHH``, literal astral characters),
  capturing groups become non-capturing, and Java's ASCII ``\\d \\w \\s \\b``,
  its ``.`` (no line terminators), ``$`` (end, or before one final line
  terminator) and Unicode ``\\p{..}`` classes are spelt out.

Unicode classes use the installed Python's ``unicodedata`` (the version is in
:data:`UNICODE_VERSION`). Any construct this translator does not know raises
:class:`PatternError`: a pattern is never dropped or loosened.

A few model patterns nest quantifiers so that backtracking engines take exponential
time on some values; to *match* (rather than publish) a translation, use
:func:`conformance.pattern_matching.matcher`.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from typing import Dict, List, Tuple

UNICODE_VERSION = unicodedata.unidata_version
MAX_CODE_POINT = 0x10FFFF

Ranges = Tuple[Tuple[int, int], ...]  # sorted, disjoint, non-adjacent inclusive code-point ranges


class PatternError(ValueError):
    """A model pattern uses a construct the translator does not support (so it cannot be kept exact)."""


# --- code-point sets ---------------------------------------------------------------------------

def _normalise(ranges) -> Ranges:
    out: List[List[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def _complement(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


def _chars(text: str) -> Ranges:
    return _normalise((ord(c), ord(c)) for c in text)


# Java (without UNICODE_CHARACTER_CLASS) predefined classes are ASCII.
_DIGIT = ((0x30, 0x39),)
_WORD = _normalise([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
_SPACE = _chars(" \t\n\x0b\f\r")
# Java's "." without DOTALL: anything but a line terminator.
_LINE_TERMINATORS = _chars("\n\r\u0085\u2028\u2029")
_DOT = _complement(_LINE_TERMINATORS)

# Java POSIX classes (US-ASCII only, see java.util.regex.Pattern).
_POSIX: Dict[str, Ranges] = {
    "Lower": ((0x61, 0x7A),),
    "Upper": ((0x41, 0x5A),),
    "ASCII": ((0x00, 0x7F),),
    "Alpha": _normalise([(0x41, 0x5A), (0x61, 0x7A)]),
    "Digit": _DIGIT,
    "Alnum": _normalise([(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]),
    "Punct": _chars("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "Graph": ((0x21, 0x7E),),
    "Print": ((0x20, 0x7E),),
    "Blank": _chars(" \t"),
    "Cntrl": _normalise([(0x00, 0x1F), (0x7F, 0x7F)]),
    "XDigit": _normalise([(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]),
    "Space": _SPACE,
}

# Unicode (14 to 16) assigns code points only below U+34000 and in U+E0000-E0FFF, besides the
# private-use planes 15-16 (category Co); scanning only these keeps the table cheap to build.
# tests/test_patterns.py checks every skipped code point is unassigned in the installed Python.
_SCANNED = ((0, 0x33FFF), (0xE0000, 0xE0FFF))
_PRIVATE_USE_PLANES = ((0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))


@functools.lru_cache(maxsize=None)
def _category_table() -> Dict[str, Ranges]:
    """Two-letter general category → ranges, from the installed ``unicodedata``."""
    category = unicodedata.category
    table: Dict[str, list] = {}
    for first, last in _SCANNED:
        start = first
        for cat, group in itertools.groupby(category(chr(cp)) for cp in range(first, last + 1)):
            size = sum(1 for _ in group)
            table.setdefault(cat, []).append((start, start + size - 1))
            start += size
    table.setdefault("Co", []).extend(_PRIVATE_USE_PLANES)
    return {cat: _normalise(ranges) for cat, ranges in table.items()}


def category_ranges(name: str) -> Ranges:
    """Code points of a Unicode general category: ``"L"`` (all letters) or ``"Lu"``."""
    table = _category_table()
    cats = [c for c in table if c == name or (len(name) == 1 and c[0] == name)]
    if not cats:
        raise PatternError(f"unknown Unicode category {name!r}")
    return _normalise(r for c in cats for r in table[c])


def _property(name: str) -> Ranges:
    """Java ``\\p{name}``: POSIX (ASCII) class, or a Unicode general category (optionally ``Is``-prefixed)."""
    if name in _POSIX:
        return _POSIX[name]
    bare = name[2:] if name.startswith("Is") else name
    bare = bare[len("general_category="):] if bare.startswith("general_category=") else bare
    if len(bare) in (1, 2) and bare[0] in "LMNPSZC":
        return category_ranges(bare)
    raise PatternError(f"unsupported Java property class \\p{{{name}}}")


# --- emission --------------------------------------------------------------------------------

_SYNTAX = set("^$\\.*+?()[]{}|/")


def _char(cp: int, in_class: bool) -> str:
    """One code point, spelt so that Python ``re`` and ECMA-262 (u flag) read it the same."""
    c = chr(cp)
    if c in _SYNTAX or (in_class and c == "-"):
        return "\\" + c
    # Printable ASCII reads the same in both; "&" and "~" doubled in a class warn in Python.
    if 0x20 <= cp < 0x7F and not (in_class and c in "&~"):
        return c
    if cp < 0xA0:
        return f"\\x{cp:02x}"
    # Visible characters (letters, numbers, punctuation, symbols) stay literal: shorter, and a
    # literal is one code point in both dialects (an escaped astral one would not be in Python).
    if 0xD800 <= cp <= 0xDFFF or unicodedata.category(c)[0] in "CZM":
        if cp < 0x10000:
            return f"\\u{cp:04x}"
    return c


def _is_high_surrogate(cp: int) -> bool:
    return 0xD800 <= cp <= 0xDBFF


def _is_low_surrogate(cp: int) -> bool:
    return 0xDC00 <= cp <= 0xDFFF


def _emit_ranges(ranges: Ranges) -> str:
    parts, last = [], None
    for lo, hi in ranges:
        # ECMA (u flag) would fuse "\uD8xx\uDCxx" into one astral code point.
        if last is not None and _is_high_surrogate(last) and _is_low_surrogate(lo):
            raise PatternError("class would place a high surrogate before a low surrogate")
        if lo == hi:
            parts.append(_char(lo, True))
        elif hi == lo + 1:
            parts.append(_char(lo, True) + _char(hi, True))
        else:
            parts.append(_char(lo, True) + "-" + _char(hi, True))
        last = hi
    return "".join(parts)


def emit_class(ranges: Ranges) -> str:
    """A bracket expression for a code-point set, negated when that is shorter."""
    ranges = _normalise(ranges)
    if not ranges:
        return "[^\\s\\S]"
    if ranges == ((0, MAX_CODE_POINT),):
        return "[\\s\\S]"
    complement = _complement(ranges)
    if ranges[-1][1] == MAX_CODE_POINT and len(complement) < len(ranges):
        return "[^" + _emit_ranges(complement) + "]"
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _char(ranges[0][0], False)
    return "[" + _emit_ranges(ranges) + "]"


_END = "(?![\\s\\S])"
# Java "$" without MULTILINE: at the end, or before a final line terminator ("\r\n" counts as one).
_JAVA_DOLLAR = "(?=(?:\\r\\n|(?<!\\r)\\n|[\\r\\x85\\u2028\\u2029])?" + _END + ")"
_WORD_CLASS = emit_class(_WORD)
_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?!{_WORD_CLASS})|(?<!{_WORD_CLASS})(?={_WORD_CLASS}))"
_NOT_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?={_WORD_CLASS})|(?<!{_WORD_CLASS})(?!{_WORD_CLASS}))"


# --- parsing (the subset of java.util.regex the model uses, and then some) ---------------------

class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def error(self, what: str) -> PatternError:
        return PatternError(f"{what} at position {self.pos} in pattern {self.text!r}")

    def peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def take(self) -> str:
        c = self.peek()
        if not c:
            raise self.error("unexpected end")
        self.pos += 1
        return c

    # Each parse_* returns (regex text, zero_width).
    def parse_alternation(self) -> str:
        branches = [self.parse_sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.parse_sequence())
        return "|".join(branches)

    def parse_sequence(self) -> str:
        out = []
        while self.peek() and self.peek() not in "|)":
            atom, zero_width = self.parse_atom()
            out.append(self.parse_quantifier(atom, zero_width))
        return "".join(out)

    def parse_quantifier(self, atom: str, zero_width: bool) -> str:
        c = self.peek()
        if c in ("*", "+", "?"):
            self.pos += 1
            low = 1 if c == "+" else 0
            quantifier = c
        elif c == "{" and self._brace_quantifier():
            start = self.pos
            self.pos = self.text.index("}", start) + 1
            body = self.text[start + 1:self.pos - 1]
            low = int(body.split(",")[0])
            high = body.split(",")[1] if "," in body else body
            if high and int(high) < low:
                raise self.error("quantifier range out of order")
            quantifier = "{" + body + "}"
        else:
            return atom
        mode = self.peek()
        if mode == "+":
            raise self.error("possessive quantifier (no exact equivalent)")
        if mode == "?":
            self.pos += 1
            quantifier += "?"
        if zero_width:
            # Repeating an assertion checks it again at the same position (Java's Curly stops on a
            # zero-length iteration), so it means the assertion once, or nothing when it may repeat 0 times.
            return atom if low >= 1 else ""
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and self._brace_quantifier()):
            raise self.error("stacked quantifiers")
        return atom + quantifier

    def _brace_quantifier(self) -> bool:
        end = self.text.find("}", self.pos)
        if end < 0:
            raise self.error("unclosed '{'")
        body = self.text[self.pos + 1:end]
        parts = body.split(",")
        if len(parts) > 2 or not parts[0].isdigit() or (len(parts) == 2 and parts[1] and not parts[1].isdigit()):
            raise self.error("malformed '{' quantifier")
        return True

    def parse_atom(self) -> Tuple[str, bool]:
        c = self.take()
        if c == "(":
            return self.parse_group()
        if c == "[":
            return emit_class(self.parse_class()), False
        if c == ".":
            return emit_class(_DOT), False
        if c == "^":
            return "^", True
        if c == "$":
            return _JAVA_DOLLAR, True
        if c == "\\":
            return self.parse_escape()
        if c in "*+?":
            raise self.error("nothing to repeat")
        if c == "{":
            raise self.error("dangling '{'")
        return _char(ord(c), False), False  # a stray "]" or "}" is a literal in Java too

    def parse_group(self) -> Tuple[str, bool]:
        kind = ""
        if self.peek() == "?":
            for prefix in (":", "=", "!", "<=", "<!"):
                if self.text.startswith(prefix, self.pos + 1):
                    kind = prefix
                    break
            else:
                raise self.error("unsupported group construct")
            self.pos += 1 + len(kind)
        body = self.parse_alternation()
        if self.take() != ")":
            raise self.error("unbalanced parenthesis")
        if kind in ("", ":"):
            return f"(?:{body})", False
        return f"(?{kind}{body})", True

    def parse_escape(self) -> Tuple[str, bool]:
        c = self.peek()
        if c == "b":
            self.pos += 1
            return _WORD_BOUNDARY, True
        if c == "B":
            self.pos += 1
            return _NOT_WORD_BOUNDARY, True
        if c == "A":
            self.pos += 1
            return "^", True
        if c == "z":
            self.pos += 1
            return _END, True
        if c == "Z":
            self.pos += 1
            return _JAVA_DOLLAR, True
        if c == "Q":
            self.pos += 1
            end = self.text.find("\\E", self.pos)
            end = len(self.text) if end < 0 else end
            quoted = self.text[self.pos:end]
            self.pos = min(len(self.text), end + 2)
            return ("(?:" + "".join(_char(ord(q), False) for q in quoted) + ")") if quoted else "", False
        ranges = self.parse_class_escape()
        return emit_class(ranges), False

    def parse_class_escape(self) -> Ranges:
        """After a backslash: a set (``\\d``, ``\\p{L}``) or a single character, as ranges."""
        c = self.take()
        simple = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
        if c in simple:
            return simple[c]
        if c.lower() in simple:
            return _complement(simple[c.lower()])
        if c in ("p", "P"):
            if self.peek() == "{":
                end = self.text.find("}", self.pos)
                if end < 0:
                    raise self.error("unclosed \\p{")
                name = self.text[self.pos + 1:end]
                self.pos = end + 1
            else:
                name = self.take()
            ranges = _property(name)
            return ranges if c == "p" else _complement(ranges)
        cp = self.escaped_code_point(c)
        return ((cp, cp),)

    def escaped_code_point(self, c: str) -> int:
        controls = {"t": 0x09, "n": 0x0A, "r": 0x0D, "f": 0x0C, "a": 0x07, "e": 0x1B}
        if c in controls:
            return controls[c]
        if c == "x":
            if self.peek() == "{":
                end = self.text.find("}", self.pos)
                value = self._hex(self.text[self.pos + 1:end])
                self.pos = end + 1
                return value
            value = self._hex(self.text[self.pos:self.pos + 2], 2)
            self.pos += 2
            return value
        if c == "u":
            value = self._hex(self.text[self.pos:self.pos + 4], 4)
            self.pos += 4
            # Java reads an escaped surrogate pair "\uD800\uDC00" as one supplementary code point.
            if _is_high_surrogate(value) and self.text.startswith("\\u", self.pos):
                low = self.text[self.pos + 2:self.pos + 6]
                if len(low) == 4 and all(h in "0123456789abcdefABCDEF" for h in low):
                    low_value = int(low, 16)
                    if _is_low_surrogate(low_value):
                        self.pos += 6
                        return 0x10000 + ((value - 0xD800) << 10) + (low_value - 0xDC00)
            return value
        if c == "0":
            digits = ""
            while self.peek() in "01234567" and self.peek() and len(digits) < 3:
                digits += self.take()
            if not digits or int(digits, 8) > 0o377:
                raise self.error("bad octal escape")
            return int(digits, 8)
        if c == "c":
            return ord(self.take()) ^ 64
        if c.isascii() and c.isalnum():
            raise self.error(f"unsupported escape \\{c}")
        return ord(c)

    def _hex(self, digits: str, width: int = 0) -> int:
        if not digits or (width and len(digits) != width) or any(h not in "0123456789abcdefABCDEF" for h in digits):
            raise self.error("bad hexadecimal escape")
        value = int(digits, 16)
        if value > MAX_CODE_POINT:
            raise self.error("code point out of range")
        return value

    def parse_class(self) -> Ranges:
        """Java bracket expression after '[' (unions of items and ranges; ``^`` negates)."""
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        items: List[Tuple[int, int]] = []
        first = True
        while True:
            c = self.peek()
            if not c:
                raise self.error("unclosed character class")
            if c == "]" and not first:
                self.pos += 1
                break
            if c == "[" or (c == "&" and self.peek(1) == "&"):
                raise self.error("nested class or intersection (unsupported)")
            first = False
            single = self.parse_class_item()
            if len(single) == 1 and single[0][0] == single[0][1] and self.peek() == "-" \
                    and self.peek(1) not in ("]", "[", ""):
                self.pos += 1
                end = self.parse_class_item()
                if len(end) != 1 or end[0][0] != end[0][1]:
                    raise self.error("class in a range")
                if end[0][0] < single[0][0]:
                    raise self.error("illegal character range")
                items.append((single[0][0], end[0][0]))
            else:
                items.extend(single)
        ranges = _normalise(items)
        return _complement(ranges) if negated else ranges

    def parse_class_item(self) -> Ranges:
        c = self.take()
        if c == "\\":
            return self.parse_class_escape()
        return ((ord(c), ord(c)),)


@functools.lru_cache(maxsize=None)
def translate(model_pattern: str) -> str:
    """The model pattern as a self-anchored regex for ``re.search`` / ECMA-262 (u flag).

    ``re.search(translate(p), value)`` is true exactly when Java's
    ``Pattern.compile(p).matcher(value).matches()`` is.
    """
    parser = _Parser(model_pattern)
    body = parser.parse_alternation()
    if parser.pos != len(model_pattern):
        raise parser.error("unbalanced parenthesis")
    return f"^(?:{body}){_END}"

