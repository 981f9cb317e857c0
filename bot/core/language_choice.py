"""Which language to reply in: the message's own, the person's choice, Telegram's, English.

The message's language is detected offline with CLD2 (pycld2: compiled tables, about 5 MB,
microseconds a message; README, "Languages", has the comparison with lingua), and only
believed when it is sure:

- Arabic, Bengali and Cyrillic letters are the script of Arabic or Urdu, Bengali and
  Ukrainian among our languages. Letters only one of the two writes tell Arabic from Urdu
  (Arabic's ta marbuta, yeh and kaf; Urdu's bari yeh, retroflex letters, its own yeh, kaf
  and heh); CLD2 only when they leave it open.
- In Latin letters, place and service names are set aside first ("Croydon" is no French).
  A message of mostly English words is English. Another language is believed when its own
  danger or need words are used, or when CLD2 is reliable on three words or more. Anything
  less decides nothing: the language kept for the chat (or Telegram's, or English) stays,
  so a short English message never switches anyone away from the language they chose.

CLD2 is asked only when its answer can decide (Arabic letters that leave it open; three
words or more in Latin letters, mostly not common English, that no word list claims), and
imported then: a reading touches about 1 MB of its tables, about 6 MB in all (README,
"Languages"), which a bot that never needs it does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.languages import CODES, ENGLISH, supported
from bot.core.understand.languages import ENGLISH_WORDS, WordLists, english_share, words

LATIN = ("en", "pl", "ro", "es", "pt", "tr", "so")
_HINTS = ",".join(CODES)  # CLD2 weighs these up (an Accept-Language header)
MIN_WORDS = 3  # fewer words than this, and CLD2 alone decides nothing
# Letters of the Arabic script that only one of our two languages writes.
_ARABIC_ONLY = frozenset("ةيكى")  # ta marbuta, Arabic yeh and kaf, alef maqsura
# Retroflex tteh, ddal, rreh; noon ghunna; bari yeh; do-chashmi heh; Urdu's heh, yeh, kaf;
# gaf, peh, tcheh, jeh (Persian letters Arabic does not use).
_URDU_ONLY = frozenset("ٹڈڑںےۓھہۂیکگپچژ")


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


def _arabic_or_urdu(text: str) -> str | None:
    """Arabic or Urdu, by the letters only one of them writes; None on a tie (or none)."""
    arabic = sum(ch in _ARABIC_ONLY for ch in text)
    urdu = sum(ch in _URDU_ONLY for ch in text)
    if arabic == urdu:
        return None
    return "ar" if arabic > urdu else "ur"


def _cld2(text: str, among: Iterable[str]) -> tuple[str | None, bool]:
    """CLD2's first language among `among`, and whether CLD2 calls its result reliable."""
    import pycld2  # here: only a message CLD2 must read loads it (module docstring)

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
            code = _arabic_or_urdu(text) or _cld2(text, ("ar", "ur"))[0]
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
        if not long_enough:  # too short for CLD2 alone to decide: it is not asked
            return None
        # Mostly not English words: CLD2's best guess among the other Latin-letter languages.
        code, _ = _cld2(joined, LATIN[1:])
        return code

    def choose(self, text: str | None, kept: str | None, telegram: str | None) -> Choice:
        """The message's language if sure, else the chat's, else Telegram's, else English."""
        detected = self.detect(text) if text else None
        if detected:
            return Choice(detected, True)
        for code in (supported(kept), supported(telegram)):
            if code:
                return Choice(code, False)
        return Choice(ENGLISH, False)
