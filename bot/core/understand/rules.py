"""Rules: whole-word regular expressions, filed by first letter so a message tries few.

Messages are read as plain words (words.py) separated by single spaces, so every rule is a
list of alternatives that must start where a word starts and end where one ends.
"""

from __future__ import annotations

import re
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|(b|c)" -> ["a", "(b|c)"])."""
    parts, depth, current, escaped = [], 0, "", False
    for ch in pattern:
        if escaped:
            current, escaped = current + ch, False
            continue
        if ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    return [*parts, current]


def _closing(pattern: str) -> int:
    """Where the group opened at pattern[0] closes."""
    depth, escaped = 0, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced: {pattern!r}")


def _first_letters(alternative: str) -> frozenset[str] | None:
    """The letters an alternative can start with, or None when that is not plain to see."""
    if not alternative:
        return None
    if alternative[0] == "(":
        end = _closing(alternative)
        inner = alternative[1:end]
        if inner.startswith("?"):
            if not inner.startswith("?:"):
                return None  # a lookaround
            inner = inner[2:]
        if alternative[end + 1 : end + 2] in ("?", "*", "{"):
            return None  # the group may be skipped
        letters: set[str] = set()
        for branch in _alternatives(inner):
            first = _first_letters(branch)
            if first is None:
                return None
            letters |= first
        return frozenset(letters)
    if alternative[0].isalnum() and alternative[1:2] not in ("?", "*", "{"):
        return frozenset(alternative[0])
    return None


@lru_cache(maxsize=64)
def _initials(said: str) -> frozenset[str]:
    """The letters the words of a message start with (shared by every rule)."""
    return frozenset(word[0] for word in said.split())


# Rules with this many alternatives or more are filed by first letter (see Rule).
_BY_LETTER_FROM = 40


class Rule:
    """Whole-word alternatives, tried only where a word starts, with the right first letter.

    Messages are read as words separated by single spaces, so a leading space is a literal
    the regex engine jumps to. Each alternative is filed under the letters it can start with
    ("(he|my ex) is" under h and m), so a message only tries the alternatives its words'
    first letters allow; alternatives whose first letter is not plain to see are always
    tried. That pays for the big danger rules only: smaller rules are one scan per group of
    16. Either way, a long message costs little more than a short one.
    """

    __slots__ = ("_always", "_by_letter", "alternatives")

    def __init__(self, parts: tuple[str, ...]):
        alternatives = [a for part in parts for a in _alternatives(part)]
        self.alternatives = tuple(alternatives)
        by_letter: dict[str, list[str]] = {}
        always: list[str] = []
        if len(alternatives) < _BY_LETTER_FROM:  # a scan per letter costs more than it saves
            self._by_letter: dict[str, list[re.Pattern[str]]] = {}
            self._always = _grouped(alternatives)
            return
        for alternative in alternatives:
            letters = _first_letters(alternative)
            if letters is None:
                always.append(alternative)
            for letter in letters or ():
                by_letter.setdefault(letter, []).append(alternative)
        self._by_letter = {
            letter: _compiled(group, f"(?={letter})") for letter, group in by_letter.items()
        }
        self._always = _compiled(always, "")

    def search(self, said: str) -> bool:
        padded = " " + said
        if any(p.search(padded) for p in self._always):
            return True
        for letter in _initials(said):
            patterns = self._by_letter.get(letter)
            if patterns and any(p.search(padded) for p in patterns):
                return True
        return False


def _grouped(alternatives: list[str]) -> list[re.Pattern[str]]:
    """Groups of 16 in order of first letter, each checking its letters first."""
    known = sorted(
        ((a, _first_letters(a)) for a in alternatives), key=lambda k: min(k[1]) if k[1] else "~"
    )
    patterns = []
    for i in range(0, len(known), 16):
        group = known[i : i + 16]
        letters = [first for _, first in group if first is not None]
        check = ""
        if len(letters) == len(group):
            check = "(?=[" + "".join(sorted(frozenset().union(*letters))) + "])"
        patterns += _compiled([a for a, _ in group], check)
    return patterns


def _compiled(alternatives: list[str], check: str) -> list[re.Pattern[str]]:
    return [
        re.compile(" " + check + "(?:" + "|".join(alternatives[i : i + 16]) + r")\b")
        for i in range(0, len(alternatives), 16)
    ]


def rx(*parts: str) -> Rule:
    return Rule(parts)
