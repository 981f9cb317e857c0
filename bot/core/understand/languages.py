"""Danger and needs in other languages: each language's words, read from its words.toml.

responses/locale/<code>/words.toml (format: README, "Languages") lists, per language, the
words and phrases that mean danger, and the common words of five needs. An entry is a
word or a phrase; a "*" ending a word matches any ending ("bij*": "bije", "bijesz").
A phrase matches its words in order, with at most two other words between them.

The English rules (danger.py, needs.py) are never changed by these: a message is in
danger if either says so.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.signpost import Need

# The needs a words.toml names, and what each asks for (None: help in general).
NEEDS: dict[str, Need | None] = {
    "help": None,
    "where": None,
    "children": Need.CHILD_WORRY,
    "man": Need.MEN,
    "leaving": Need.LEAVING,
}
_GAP = 2  # other words allowed between a phrase's words
# Arabic short vowels and marks, and tatweel: written or not, the word is the same.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Common English words (without apostrophes) and text-speak: a message mostly of these is English.
ENGLISH_WORDS = frozenset(
    """
    a about after again all also am an and any are as at away back be because been being
    but by can cant could did didnt do does doesnt dont for from get gets getting go going
    got had has have he her here hes him his how i if im in into is isnt it its ive just
    keep know let like me mine more my need no not now of off ok okay on one or our out
    over please pls plz really right said say says see she should so some still tell than
    thank thanks that thats the their them then there they thing think this to told too
    u ur us very want wants was wasnt we were what when where which who why will with wont
    would yeah yes you your youre hi hello hey help scared afraid safe hurt hit hits kill
    kills husband wife partner boyfriend girlfriend ex kids children child police call
    phone number figures stats crime borough london near nearest abuse abusive domestic
    violence leave leaving left house home door outside inside upstairs tonight today
    someone somebody anyone urgent sos asap emergency quick quickly
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def english_share(said: list[str]) -> float:
    """How much of a message (as words()) is common English."""
    if not said:
        return 0.0
    return sum(w.replace("'", "") in ENGLISH_WORDS for w in said) / len(said)


# One spelling for what keyboards type several ways: apostrophes; Romanian ş ţ (cedilla,
# older keyboards) as ș ț (comma); the dot casefold leaves on Turkish İ ("i" + U+0307).
_SAME = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'", "ş": "ș", "ţ": "ț", "\u0307": None})


def _in_word(ch: str) -> bool:
    """Letters, numbers and combining marks (Bengali vowel signs are marks) make words."""
    return ch == "'" or unicodedata.category(ch)[0] in "LMN"


_NOT_ASCII_WORD = re.compile(r"[^a-z0-9']+")


def words(text: str) -> list[str]:
    """A message as lower-case words: NFC, casefolded, Arabic marks and punctuation gone."""
    if text.isascii():  # most messages: one regex instead of a look at every character
        spaced = _NOT_ASCII_WORD.sub(" ", text.lower().replace("`", "'"))
    else:
        text = _MARKS.sub("", unicodedata.normalize("NFC", text).casefold().translate(_SAME))
        spaced = "".join(ch if _in_word(ch) else " " for ch in text)
    return [w.strip("'") for w in spaced.split() if w.strip("'")]


def _word_pattern(word: str) -> str:
    if word.endswith("*") and len(word) > 3:  # a stem of at least 3 letters
        return re.escape(word[:-1]) + r"\S*"
    return re.escape(word.rstrip("*"))


def _parts(entry: str) -> list[str]:
    return [p.replace("wildcardstar", "*") for p in words(entry.replace("*", "WILDCARDSTAR"))]


def _entry_pattern(entry: str) -> str | None:
    parts = _parts(entry)
    if not parts:
        return None
    gap = rf"(?: \S+){{0,{_GAP}}}"
    body = (gap + " ").join(_word_pattern(p) for p in parts)
    return rf"(?:^| ){body}(?= |$)"


class Entries:
    """A list's entries, each found by the first three letters of its first word.

    Only the entries whose first word could start one of the message's words are tried:
    a few regular expressions a message, not hundreds.
    """

    def __init__(self, entries: Iterable[str]):
        # Compiled when first tried: most are never tried, and the bot starts sooner.
        self.by_start: dict[str, list[str]] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        for entry in sorted({str(e) for e in entries}):
            pattern = _entry_pattern(entry)
            if pattern:
                first = _parts(entry)[0].rstrip("*")
                self.by_start.setdefault(first[:3], []).append(pattern)

    def _candidates(self, said: str) -> list[re.Pattern[str]]:
        found = {p for word in set(said.split()) for p in self.by_start.get(word[:3], ())}
        compiled = self._compiled
        return [compiled.get(p) or compiled.setdefault(p, re.compile(p)) for p in sorted(found)]

    def search(self, said: str) -> bool:
        return any(p.search(said) for p in self._candidates(said))

    def finditer(self, said: str) -> Iterator[re.Match[str]]:
        for pattern in self._candidates(said):
            yield from pattern.finditer(said)


def _compile(entries: Iterable[str]) -> Entries | None:
    compiled = Entries(entries)
    return compiled if compiled.by_start else None


@dataclass(frozen=True, slots=True)
class LanguageWords:
    """One language's danger words and need words, compiled."""

    code: str
    danger: Entries | None
    needs: dict[str, Entries] = field(default_factory=dict)

    def is_danger(self, said: str) -> bool:
        return bool(self.danger and self.danger.search(said))

    def need(self, said: str) -> str | None:
        """The first need (in NEEDS order, specific before general) the message names."""
        for name in ("man", "leaving", "children", "where", "help"):
            pattern = self.needs.get(name)
            if pattern and pattern.search(said):
                return name
        return None

    def hits(self, said: str) -> int:
        """How much of a message this language's entries match (in letters): evidence of it."""
        found = [self.danger, *self.needs.values()]
        return sum(len(m.group(0).strip()) for p in found if p for m in p.finditer(said))


def read_words(code: str, path: Path) -> LanguageWords:
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    danger = table.get("danger", {}).get("entries", [])
    needs = table.get("needs", {})
    compiled = {name: p for name in NEEDS if (p := _compile(needs.get(name, [])))}
    return LanguageWords(code, _compile(danger), compiled)


class WordLists:
    """Every language's word lists under one locale/ folder (English has none: its rules)."""

    def __init__(self, folder: Path, codes: Iterable[str]):
        self.languages: dict[str, LanguageWords] = {}
        for code in codes:
            path = folder / code / "words.toml"
            if path.is_file():
                self.languages[code] = read_words(code, path)

    def danger(self, text: str) -> str | None:
        """The language whose danger words the message uses, if any.

        A message mostly of common English words is English: the English rules read it
        ("urgent", "SOS" or "machete" are words of other languages too).
        """
        said = words(text)
        if english_share(said) > 0.5:
            return None
        joined = " ".join(said)
        return next((c for c, w in self.languages.items() if w.is_danger(joined)), None)

    def need(self, text: str, code: str | None) -> tuple[str, Need | None] | None:
        """(the need's name, what it asks for) in this language, or None."""
        lang = self.languages.get(code or "")
        if lang is None:
            return None
        name = lang.need(" ".join(words(text)))
        return (name, NEEDS[name]) if name else None

    def best(self, text: str, among: Iterable[str] | None = None) -> str | None:
        """The one language whose words the message uses most; None if none, or a tie.

        Common English words ("help") are in several lists: they are no evidence here.
        """
        said = " ".join(w for w in words(text) if w.replace("'", "") not in ENGLISH_WORDS)
        allowed = set(among) if among is not None else set(self.languages)
        scored = sorted(
            ((w.hits(said), c) for c, w in self.languages.items() if c in allowed), reverse=True
        )
        if not scored or not scored[0][0] or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]
