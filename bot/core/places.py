"""Find London boroughs in free text: names, aliases, misspellings, postcodes, neighbourhoods.

Matching runs in this order, each step only on words not already taken:
postcodes ("W6", "cr0 1ab"), then exact names longest first ("kingston upon thames"
before "kingston"), then guarded fuzzy matching for misspellings ("croyden"). A place
that spans boroughs (W4, Crystal Palace) is never guessed: it comes back as `unsure`,
unless another place in the same message settles it ("Chiswick W4": place_mentions.py).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.core.everyday_words import NEAR_PLACE_WORDS
from bot.core.place_mentions import Mention, Places, resolve, settle_twins
from bot.domain.models import Borough, Place
from bot.domain.periods import MONTHS


def _words(text: str) -> frozenset[str]:
    """A set of words, written as one string to keep long lists readable."""
    return frozenset(text.split())


# Everyday words that are also names in boroughs.csv: a place only when said as one.
_ORDINARY_ALIASES = frozenset({"city", "barking", "kc", "b and d"})
# "my name is Chelsea", "I'm Brent": a person, not a place.
_NAMING = _words("name named called im")
# "in bow", "near angel", "from lee": the word before that makes an everyday word a place.
_CUES = frozenset({"in", "near", "nr", "from", "around", "round", "at"})
# A message of a place and only these words is about the place ("barking stats please").
_FILLER = _words(
    "a about abuse and any area borough crime crimes data domestic dv figures for help "
    "how i in is live local many me near number numbers of please pls plz rate show stats "
    "statistics support the violence what whats where"
)
# Words people write often that fuzzy matching must leave alone, beyond the dictionary
# list in everyday_words (text-speak and words that are close to a place name).
_NEVER_FUZZY = _words(
    "london londons please pleeease sorry scared hitting helpp hiya thanks thankyou "
    "boroughs borough figures numbers police stats"
)
# Small words inside names ("elephant and castle"): on their own they anchor nothing.
_JOINING = _words("and the of on upon by in at st a to")
# Priority when one phrase names several things: a borough's own name wins.
_PRIORITY = {"borough": 0, "district": 1, "neighbourhood": 2, "outside": 3}
_OUTCODE = re.compile(r"^([a-z]{1,2})(\d{1,2}|\d[a-z])$")
_INCODE = re.compile(r"^\d[a-z]{2}$")
_GLUED = re.compile(r"^([a-z]{1,2}\d[a-z\d]?)(\d[a-z]{2})$")
# Lower-case outcodes that are text-speak first ("w8" = wait): a place only in capitals.
_TEXT_SPEAK_OUTCODES = frozenset({"w8"})
# Every UK postcode area, so that "M1 1AE" is outside London but "ab" + digits in chat is not
# taken for a postcode unless it is a real area. London's areas come from the district data.
UK_POSTCODE_AREAS = _words(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN "
    "DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY "
    "L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM "
    "S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN "
    "WR WS WV YO ZE"
)


def normalise(text: str) -> str:
    """Lower case, accents and apostrophes dropped, '&' as 'and', other punctuation as spaces."""
    if not text.isascii():  # accents off: "Croydön" -> "croydon"
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = text.replace("&", " and ")
    text = re.sub(r"['\u2019\u2018`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    priority: int


def _variants(name: str) -> set[str]:
    """The ways people write one name: with or without 'and', 'upon thames', 'saint'."""
    base = normalise(name)
    found = {base, base.replace(" and ", " "), base.replace(" upon thames", "")}
    found |= {v.replace("saint ", "st ") for v in found}
    found |= {v.replace("st ", "saint ") for v in found}
    return {v for v in found if v}


def _allowed_edits(length: int) -> int:
    """One slip in a name of 5-7 letters, two from 8: short names are matched exactly."""
    return 0 if length < 5 else 1 if length < 8 else 2


class Gazetteer:
    """Every name people use for each borough and for places in (and out of) London."""

    def __init__(self, boroughs: Iterable[Borough], places: Iterable[Place] = ()):
        self.exact: dict[str, list[_Entry]] = defaultdict(list)
        self.districts: dict[str, Place] = {}
        for borough in boroughs:
            for name in (borough.name, *borough.aliases):
                ordinary = normalise(name) in _ORDINARY_ALIASES
                self._add(name, Place(borough.name, "borough", (borough.code,), "no", ordinary))
        for place in places:
            if place.kind == "district":
                self.districts[place.name.lower()] = place
            else:
                self._add(place.name, place)
        self.london_areas = {
            m[1] for d, p in self.districts.items() if p.boroughs and (m := _OUTCODE.match(d))
        }
        self.not_places: frozenset[str] = frozenset()
        self.max_words = max((len(k.split()) for k in self.exact), default=1)
        self._first_words = {key.split()[0] for key in self.exact}
        # "white chapel" for "whitechapel": a one-word name written as two words.
        self._halves: dict[str, set[str]] = defaultdict(set)
        for key in self.exact:
            for i in range(3, len(key) - 2) if " " not in key else ():
                self._halves[key[:i]].add(key[i:])
        # Fuzzy candidates by (words, first letter, length): a misspelling keeps its first
        # letter and about its length, so each look-up compares a handful of names.
        self._fuzzy_names: dict[tuple[int, str, int], list[str]] = defaultdict(list)
        self._name_words: set[str] = set()  # words of names of several words
        for key, entries in self.exact.items():
            if len(key.replace(" ", "")) >= 5 and not any(e.place.ordinary_word for e in entries):
                self._fuzzy_names[(len(key.split()), key[0], len(key))].append(key)
                if " " in key:
                    self._name_words.update(w for w in key.split() if w not in _JOINING)
        self._fuzzy = lru_cache(maxsize=8192)(self._fuzzy_uncached)

    def ignoring(self, names: Iterable[str]) -> Gazetteer:
        """A copy that never takes these names for places, though they contain one ("Southall
        Black Sisters"); this gazetteer is left as it is. The names and fuzzy look-ups are
        shared: neither changes after building."""
        twin = copy.copy(self)
        twin.not_places = self.not_places | {v for name in names for v in _variants(name)}
        twin._first_words = self._first_words | {n.split()[0] for n in twin.not_places}
        twin.max_words = max([self.max_words, *(len(n.split()) for n in twin.not_places)])
        return twin

    def _add(self, name: str, place: Place) -> None:
        for key in _variants(name):
            entries = self.exact[key]
            if all(e.place != place for e in entries):
                entries.append(_Entry(place, _PRIORITY[place.kind]))

    # -- finding ---------------------------------------------------------------

    def find(self, text: str) -> Places:
        words = normalise(text).split()
        used = [False] * len(words)
        mentions = self._postcodes(words, used, text)
        mentions += self._names(words, used)
        mentions += self._misspelt(words, used)
        return resolve(settle_twins(sorted(mentions, key=lambda m: m.start), words))

    def _postcodes(self, words: list[str], used: list[bool], raw: str) -> list[Mention]:
        found = []
        for i, word in enumerate(words):
            outcode, full = word, False
            if glued := _GLUED.match(word):
                outcode, full = glued[1], True
            elif i + 1 < len(words) and _INCODE.match(words[i + 1]):
                full = True
            if not _OUTCODE.match(outcode):
                continue
            if outcode in _TEXT_SPEAK_OUTCODES and not full and outcode.upper() not in raw:
                continue
            place = self._district(outcode, full)
            if place is not None:
                found.append(Mention(i, place))
                used[i] = True
                if full and not glued:
                    used[i + 1] = True
        return found

    def _district(self, outcode: str, full: bool) -> Place | None:
        """A district's boroughs; a full postcode from elsewhere in the UK is outside London."""
        place = self.districts.get(outcode)
        if place is None and outcode[-1].isalpha():  # "sw1a" -> "sw1", "ec1v" -> "ec1"
            place = self.districts.get(outcode[:-1])
        if place is not None:
            return place
        area = _OUTCODE.match(outcode)[1].upper()  # type: ignore[index]
        if full and area in UK_POSTCODE_AREAS and area.lower() not in self.london_areas:
            return Place(outcode.upper(), "district", (), "yes")
        return None

    def _names(self, words: list[str], used: list[bool]) -> list[Mention]:
        found = []
        # Only where a name could begin: a long message costs little more than a short one.
        starts = [
            i
            for i, w in enumerate(words)
            if w in self._first_words
            or w[:-1] in self.exact
            or (i + 1 < len(words) and words[i + 1] in self._halves.get(w, ()))
        ]
        for size in range(min(self.max_words, len(words)), 0, -1):
            for start in starts:
                if start + size > len(words) or any(used[start : start + size]):
                    continue
                phrase = " ".join(words[start : start + size])
                if phrase in self.not_places:
                    used[start : start + size] = [True] * size
                    continue
                entries = self.exact.get(phrase)
                if entries is None and size == 1 and phrase.endswith("s"):
                    entries = self.exact.get(phrase[:-1])  # "croydons figures"
                if entries is None and size == 2:
                    entries = self.exact.get(phrase.replace(" ", ""))  # "white chapel"
                if not entries:
                    continue
                place = _best(entries)
                said_as_place = not place.ordinary_word or _said_as_place(words, start, size)
                used[start : start + size] = [True] * size  # never fuzzy-matched elsewhere
                if not said_as_place or _naming(words, start):
                    continue
                found.append(Mention(start, place))
        return found

    def _misspelt(self, words: list[str], used: list[bool]) -> list[Mention]:
        found = []
        # A misspelt name of several words keeps one word whole ("tower hamlet").
        whole = [i for i, w in enumerate(words) if w in self._name_words]
        for size in (3, 2, 1):
            if size == 1:
                starts = [i for i, w in enumerate(words) if len(w) >= 5]
            else:
                starts = sorted({s for i in whole for s in range(i - size + 1, i + 1) if s >= 0})
            for start in starts:
                span = words[start : start + size]
                if len(span) < size or any(used[start : start + size]):
                    continue
                if not all(w.isalpha() for w in span) or any(w in _NEVER_FUZZY for w in span):
                    continue
                if size == 1 and span[0] in NEAR_PLACE_WORDS:
                    continue
                key = self._fuzzy(" ".join(span))
                if key is None:
                    continue
                found.append(Mention(start, _best(self.exact[key])))
                used[start : start + size] = [True] * size
        return found

    def _fuzzy_uncached(self, phrase: str) -> str | None:
        """The one name within a slip or two of `phrase`; None when none, or when two tie."""
        edits = _allowed_edits(len(phrase.replace(" ", "")))
        if not edits:
            return None
        size, first = len(phrase.split()), phrase[0]
        close = [
            (name, distance, None)
            for length in range(len(phrase) - edits, len(phrase) + edits + 1)
            for name in self._fuzzy_names.get((size, first, length), ())
            if (distance := OSA.distance(phrase, name, score_cutoff=edits)) <= edits
        ]
        if " " in phrase:  # "tower hamlet", not "cant call" for "cann hall"
            close = [c for c in close if _same_shape(phrase.split(), c[0].split())]
        if not close:
            return None
        best = min(distance for _, distance, _ in close)
        nearest = [_best(self.exact[key]) for key, distance, _ in close if distance == best]
        top = min(_PRIORITY[p.kind] for p in nearest)
        winners = {p for p in nearest if _PRIORITY[p.kind] == top}
        if len(winners) != 1:
            return None  # two different places as close as each other: no guess
        winner = winners.pop()
        return next(key for key, distance, _ in close if _best(self.exact[key]) == winner)


def _same_shape(words: list[str], name: list[str]) -> bool:
    """A misspelt name of several words keeps one word whole and every first letter."""
    pairs = list(zip(words, name, strict=True))
    whole = any(w == n and w not in _JOINING for w, n in pairs)
    return whole and all(w[0] == n[0] for w, n in pairs)


def _best(entries: list[_Entry]) -> Place:
    """One place for a phrase: the highest-priority kind; same-kind places merge their boroughs.

    A neighbourhood that shares its name with a place outside London (Farnborough in Bromley,
    and in Hampshire) is partly outside London: asked about unless the message settles it.
    """
    top = min(e.priority for e in entries)
    places = [e.place for e in entries if e.priority == top]
    twin = places[0].kind == "neighbourhood" and any(e.place.kind == "outside" for e in entries)
    if len(places) == 1 and not twin:
        return places[0]
    codes = tuple(dict.fromkeys(code for p in places for code in p.boroughs))
    outside = "partly" if twin else places[0].outside_london
    return Place(places[0].name, places[0].kind, codes, outside, places[0].ordinary_word)


def _naming(words: list[str], start: int) -> bool:
    """ "my name is Chelsea", "called Kingston", "I'm Brent": a name, not a place."""
    before = words[max(0, start - 2) : start]
    return bool(before) and (
        before[-1] in _NAMING or before == ["name", "is"] or before == ["i", "am"]
    )


def _said_as_place(words: list[str], start: int, size: int) -> bool:
    """An everyday word is a place after "in", "near"..., or when nothing else is said; a
    month's name ("out in March") only when nothing else is said."""
    rest = words[:start] + words[start + size :]
    if (
        start > 0
        and words[start - 1] in _CUES
        and " ".join(words[start : start + size]) not in _MONTHS
    ):
        return True
    return all(w in _FILLER for w in rest)


_MONTHS = frozenset(month.lower() for month in MONTHS)
