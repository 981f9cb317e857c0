"""Which language to reply in: the message's own, the person's choice, Telegram's, English.

The message's language is detected offline with CLD2 (pycld2: compiled tables, about 5 MB,
microseconds a message; README, "Languages", has the comparison with lingua), and only
believed when it is sure:

- Arabic, Bengali and Cyrillic letters are the script of Arabic or Urdu, Bengali and
  Ukrainian among our languages; CLD2 tells Arabic from Urdu.
- In Latin letters, place and service names are set aside first ("Croydon" is no French).
  A message of mostly English words is English. Another language is believed when its own
  danger or need words are used, or when CLD2 is reliable on three words or more. Anything
  less decides nothing: the language kept for the chat (or Telegram's, or English) stays,
  so a short English message never switches anyone away from the language they chose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pycld2

from bot.core.languages import CODES, ENGLISH, supported
from bot.core.understand.languages import ENGLISH_WORDS, WordLists, english_share, words

LATIN = ("en", "pl", "ro", "es", "pt", "tr", "so")
_HINTS = ",".join(CODES)  # CLD2 weighs these up (an Accept-Language header)
MIN_WORDS = 3  # fewer words than this, and CLD2 alone decides nothing


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    detected: bool  # read from the message itself: the chat keeps it


def _script(text: str) -> str:
    """The script most letters are in: "arabic", "bengali", "cyrillic" or "latin"."""
    counts = {"arabic": 0, "bengali": 0, "cyrillic": 0, "latin": 0}
    for ch in text:
        point = ord(ch)
        if 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or 0xFB50 <= point <= 0xFEFF:
            counts["arabic"] += 1
        elif 0x0980 <= point <= 0x09FF:
            counts["bengali"] += 1
        elif 0x0400 <= point <= 0x04FF:
            counts["cyrillic"] += 1
        elif ch.isalpha() and point < 0x0250:
            counts["latin"] += 1
    return max(counts, key=lambda k: counts[k]) if any(counts.values()) else "latin"


def _cld2(text: str, among: Iterable[str]) -> tuple[str | None, bool]:
    """CLD2's first language among `among`, and whether CLD2 calls its result reliable."""
    allowed = set(among)
    try:
        reliable, _, details = pycld2.detect(text, bestEffort=True, hintLanguageHTTPHeaders=_HINTS)
    except pycld2.error:  # bytes CLD2 will not read: no opinion
        return None, False
    for _, code, percent, _ in details:
        if code in allowed and percent > 0:
            return code, bool(reliable)
    return None, False


class LanguageChooser:
    """Detects a message's language and applies the order of choice."""

    def __init__(self, word_lists: WordLists, neutral: Iterable[str] = ()):
        self.word_lists = word_lists
        # Names said the same way in every language: places, services. Only their own
        # words: "de", "of" or "help" in a name are words of a language too.
        self.neutral = frozenset(
            w
            for name in neutral
            for w in words(name)
            if len(w) >= 4 and w.replace("'", "") not in ENGLISH_WORDS
        )

    def detect(self, text: str) -> str | None:
        """The message's language when we can be sure of it; None when we can't."""
        script = _script(text)
        if script == "bengali":
            return "bn"
        if script == "cyrillic":
            return "uk"
        if script == "arabic":
            code, _ = _cld2(text, ("ar", "ur"))
            return code or self.word_lists.best(text) or "ar"
        written = words(text)
        said = [w for w in written if w not in self.neutral and not w.isdigit()]
        if not said:
            return None
        long_enough = len(written) >= MIN_WORDS and len(said) >= 2
        if english_share(said) > 0.5:
            return ENGLISH if long_enough else None
        joined = " ".join(said)
        listed = self.word_lists.best(joined, among=LATIN)
        if listed:
            return listed
        # Mostly not English words: CLD2's best guess among the other Latin-letter languages.
        code, _ = _cld2(joined, LATIN[1:])
        return code if long_enough else None

    def choose(self, text: str | None, kept: str | None, telegram: str | None) -> Choice:
        """The message's language if sure, else the chat's, else Telegram's, else English."""
        detected = self.detect(text) if text else None
        if detected:
            return Choice(detected, True)
        for code in (supported(kept), supported(telegram)):
            if code:
                return Choice(code, False)
        return Choice(ENGLISH, False)
