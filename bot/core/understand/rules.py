"""Rules: whole-word regular expressions, filed by first letter so a message tries few.

Messages are read as plain words (words.py) separated by single spaces, so every rule is a
list of alternatives that must start where a word starts and end where one ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


_WORD = re.compile(r"[a-z0-9]+")
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


def _first_words(alternative: str) -> frozenset[str] | None:
    """The words a match of an alternative can start with, or None when that is not plain.

    "(do not|not) want" -> {"do", "not"}; "(the )?police" -> {"the", "police"};
    "refuges?" -> {"refuge", "refuges"}; "kill\\w*" -> None (a word's start, not a word).
    Lookarounds consume nothing, so they are stepped over; the rule still checks them.
    """
    while alternative.startswith(_LOOKAROUND):
        alternative = alternative[_closing(alternative) + 1 :]
    if alternative.startswith("("):
        end = _closing(alternative)
        inner = alternative[1:end].removeprefix("?:")
        after = alternative[end + 1 :]
        if after[:1] in ("*", "+", "{"):
            return None
        rest = after[1:] if after.startswith("?") else after
        words: set[str] = set()
        for branch in _alternatives(inner):
            first = _first_words(branch + rest)
            if first is None:
                return None
            words |= first
        if after.startswith("?"):
            skipped = _first_words(rest)
            if skipped is None:
                return None
            words |= skipped
        return frozenset(words)
    word = _WORD.match(alternative)
    if word is None:
        return None
    found, after = {word.group()}, alternative[word.end() :]
    if after.startswith("?"):  # "refuges?": the last letter may be left out
        if len(word.group()) == 1:
            return None
        found, after = {word.group(), word.group()[:-1]}, after[1:]
    while after.startswith(_LOOKAROUND):
        after = after[_closing(after) + 1 :]
    ends_word = after.startswith(" ") and after[1:2] not in ("?", "*", "+", "{")  # not "step ?dad"
    if after == "" or ends_word or after.startswith("\\b"):
        return frozenset(found)
    return None


@dataclass(frozen=True, slots=True)
class _Starts:
    """Where a message's words start: the offset of the space before each, in " " + said."""

    by_word: dict[str, tuple[int, ...]]
    by_letter: dict[str, tuple[int, ...]]


@lru_cache(maxsize=64)
def _starts(said: str) -> _Starts:
    """Shared by every rule that reads the same message."""
    by_word: dict[str, list[int]] = {}
    by_letter: dict[str, list[int]] = {}
    padded = " " + said
    for found in _WORD.finditer(padded):
        if padded[found.start() - 1] == " ":  # a rule's match begins with that space
            by_word.setdefault(found.group(), []).append(found.start() - 1)
            by_letter.setdefault(found.group()[0], []).append(found.start() - 1)
    return _Starts(
        {word: tuple(at) for word, at in by_word.items()},
        {letter: tuple(at) for letter, at in by_letter.items()},
    )


# Rules with this many alternatives or more are filed by first word (see Rule).
_FILED_FROM = 40


class Rule:
    """Whole-word alternatives, tried only where a word that can begin them starts.

    Messages are read as words separated by single spaces, and every alternative must begin
    where a word does. Each is filed under the words it can start with ("(he|my ex) is"
    under "he" and "my") and tried, anchored, only where the message has one of those words;
    one whose first word is not plain to see ("kill\\w*") is filed under the letters it can
    start with, or else searched for. That pays for the big rules only: smaller ones are one
    search per group of 16. Either way, a long message costs little more than a short one.
    """

    __slots__ = ("_always", "_by_letter", "_by_word", "alternatives")

    def __init__(self, parts: tuple[str, ...]):
        alternatives = [a for part in parts for a in _alternatives(part)]
        self.alternatives = tuple(alternatives)
        self._by_word: dict[str, re.Pattern[str]] = {}
        self._by_letter: dict[str, re.Pattern[str]] = {}
        if len(alternatives) < _FILED_FROM:  # filing costs more than it saves
            self._always = _grouped(alternatives)
            return
        by_word: dict[str, list[str]] = {}
        by_letter: dict[str, list[str]] = {}
        always: list[str] = []
        for alternative in alternatives:
            words = _first_words(alternative)
            letters = None if words is not None else _first_letters(alternative)
            for word in words or ():
                by_word.setdefault(word, []).append(alternative)
            for letter in letters or ():
                by_letter.setdefault(letter, []).append(alternative)
            if words is None and letters is None:
                always.append(alternative)
        self._by_word = {word: _anchored(group) for word, group in by_word.items()}
        self._by_letter = {letter: _anchored(group) for letter, group in by_letter.items()}
        self._always = _compiled(always, "")

    def search(self, said: str) -> bool:
        padded = " " + said
        if any(p.search(padded) for p in self._always):
            return True
        if not (self._by_word or self._by_letter):
            return False
        starts = _starts(said)
        for filed, found in ((self._by_word, starts.by_word), (self._by_letter, starts.by_letter)):
            for key in filed.keys() & found.keys():
                pattern = filed[key]
                if any(pattern.match(padded, at) for at in found[key]):
                    return True
        return False


def _anchored(alternatives: list[str]) -> re.Pattern[str]:
    """One pattern, matched only where a word that can begin it starts."""
    return re.compile(" (?:" + "|".join(alternatives) + r")\b")


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
