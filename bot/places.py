"""Find London boroughs in free text: names, aliases, misspellings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.models import Borough

# Words that look like places to a fuzzy matcher but are ordinary words here.
_NOT_PLACES = frozenset(
    [
        "about",
        "abuse",
        "advice",
        "area",
        "borough",
        "boroughs",
        "compare",
        "figures",
        "friend",
        "helpline",
        "london",
        "number",
        "numbers",
        "offences",
        "police",
        "please",
        "rates",
        "report",
        "safety",
        "services",
        "support",
        "there",
        "where",
        "which",
        "violence",
        "domestic",
        "partner",
        "husband",
    ]
)
_FUZZY_CUTOFF = 86
_MIN_FUZZY_LENGTH = 5
_MAX_WORDS = 5


def normalise(text: str) -> str:
    """Lower case, '&' as 'and', possessives and punctuation dropped."""
    text = text.lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Places:
    """What a message says about places, in the order they were mentioned."""

    boroughs: tuple[str, ...] = ()


class Gazetteer:
    """Every name people use for each borough, matched exactly first, then fuzzily."""

    def __init__(self, boroughs: Iterable[Borough]):
        self.names: dict[str, str] = {}
        for borough in boroughs:
            for name in (borough.name, *borough.aliases):
                self.names.setdefault(normalise(name), borough.code)
        self._fuzzy_choices = [name for name in self.names if len(name) >= _MIN_FUZZY_LENGTH]

    def find(self, text: str) -> Places:
        words = normalise(text).split()
        found: list[str] = []
        used = [False] * len(words)
        # Longest phrases first, so "kingston upon thames" wins over "thames".
        for size in range(min(_MAX_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                phrase = " ".join(words[start : start + size])
                code = self.names.get(phrase) or self._fuzzy(phrase, size)
                if code:
                    found.append((start, code))  # type: ignore[arg-type]
                    used[start : start + size] = [True] * size
        ordered = [code for _, code in sorted(found)]  # type: ignore[misc]
        return Places(tuple(dict.fromkeys(ordered)))

    def _fuzzy(self, phrase: str, size: int) -> str | None:
        if size > 3 or len(phrase) < _MIN_FUZZY_LENGTH or phrase in _NOT_PLACES:
            return None
        match = process.extractOne(
            phrase, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
        )
        return self.names[match[0]] if match else None
