"""Straighten a message into plain words: contractions, text-speak and slips ("hes tryna",
"emergancy") become the words the rules are written for."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.everyday_words import NEAR_KEYWORD_WORDS
from bot.core.places import normalise
from bot.core.understand.rules import word_set

_EMOJI = {
    "🆘": " sos ",
    "🔪": " knife ",
    "🚨": " emergency ",
    "👋": " hello ",
    "🙏": " thanks ",
    "❤": " thanks ",
}
_CONTRACTIONS = [
    (re.compile(r"\b(can)['\u2019]t\b"), r"\1 not"),
    (re.compile(r"\bwon['\u2019]t\b"), "will not"),
    (re.compile(r"n['\u2019]t\b"), " not"),
    (re.compile(r"['\u2019]ll\b"), " will"),
    (re.compile(r"['\u2019]re\b"), " are"),
    (re.compile(r"['\u2019]ve\b"), " have"),
    (re.compile(r"['\u2019]m\b"), " am"),
    (re.compile(r"['\u2019]d\b"), " would"),
    (
        re.compile(r"\b(he|she|it|that|what|where|who|there|here|someone|nobody)['\u2019]s\b"),
        r"\1 is",
    ),
    (re.compile(r"['\u2019]s\b"), ""),  # possessive: "mum's boyfriend" -> "mum boyfriend"
]
# Text-speak and contractions written without an apostrophe, word by word.
_SPEAK = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "pls": "please",
    "plz": "please",
    "pleez": "please",
    "im": "i am",
    "hes": "he is",
    "shes": "she is",
    "ive": "i have",
    "cant": "cannot",
    "dont": "do not",
    "wont": "will not",
    "didnt": "did not",
    "doesnt": "does not",
    "isnt": "is not",
    "wasnt": "was not",
    "hed": "he would",
    "theyre": "they are",
    "youre": "you are",
    "thats": "that is",
    "whats": "what is",
    "wheres": "where is",
    "2": "to",
    "4": "for",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "tonite": "tonight",
    "some1": "someone",
    "any1": "anyone",
    "sum1": "someone",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "tryna": "trying to",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "hubby": "husband",
    "hubs": "husband",
    "wat": "what",
    "wot": "what",
    "wer": "where",
    "coz": "because",
    "cos": "because",
    "cuz": "because",
    "rn": "right now",
    "atm": "at the moment",
    "idk": "i do not know",
    "ppl": "people",
    "mom": "mum",
    "dv": "domestic violence",
    "tysm": "thanks",
    "ty": "thanks",
    "thx": "thanks",
    "thanx": "thanks",
    "bestie": "best friend",
    "bff": "best friend",
    "checkin": "checking",
    "tellin": "telling",
    "hittin": "hitting",
    "nothin": "nothing",
}
# Words worth recovering from a slip ("emergancy", "statistcs", "boyfreind").
_KEYWORDS = word_set(
    "abuse abused abusive advice beating bleeding borough boyfriend compare danger "
    "domestic emergency figures girlfriend helpline husband immigration interpreter "
    "marriage neighbour numbers offences partner please police privacy refuge scared "
    "sexual statistics strangled support threatened threatening urgent violence violent"
)
_RUNS = re.compile(r"([aeiou])\1{2,}|([^aeiou\d])\2{2,}")


def _collapse(word: str) -> str:
    """ "pleeease" -> "please", "killl" -> "kill"."""
    return _RUNS.sub(lambda m: m[1] if m[1] else m[2] * 2, word)


@lru_cache(maxsize=8192)
def _corrected(word: str) -> str:
    """A keyword one slip away (two for long words), same first letter; else the word."""
    if len(word) < 5 or not word.isalpha() or word in _KEYWORDS or word in NEAR_KEYWORD_WORDS:
        return word
    edits = 1 if len(word) < 8 else 2
    found = process.extract(word, _KEYWORDS, scorer=OSA.distance, score_cutoff=edits, limit=3)
    close = [(key, d) for key, d, _ in found if key[0] == word[0]]
    if not close:
        return word
    best = min(d for _, d in close)
    keys = [key for key, d in close if d == best]
    return keys[0] if len(keys) == 1 else word


def words_of(text: str) -> str:
    """The message as plain words: contractions, text-speak and slips straightened out."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        for emoji, word in _EMOJI.items():
            text = text.replace(emoji, word)
    text = text.lower()
    if "'" in text or "\u2019" in text:
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
    plain = _collapse(normalise(text))
    out = [_SPEAK.get(word) or _corrected(word) for word in plain.split()]
    return " ".join(out).replace(" is been ", " has been ")  # "he's been" is "he has been"
