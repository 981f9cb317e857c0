"""Turn a message into an Intent. Danger is checked before anything else.

The message is read twice: once by the gazetteer for places (bot/core/places.py), and once
as words, after contractions, text-speak and small slips are straightened out ("hes
tryna", "emergancy"), for what the person needs. Rules are plain regular expressions,
measured on the labelled corpus in tests/corpus/ (bench/understanding.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.everyday_words import NEAR_KEYWORD_WORDS
from bot.core.places import Gazetteer, Places, normalise
from bot.core.signpost import DANGER_NEEDS
from bot.domain.models import Service


def _words(text: str) -> frozenset[str]:
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


# Rules with this many alternatives or more are filed by first letter (see _Rule).
_BY_LETTER_FROM = 40


class _Rule:
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


def _rx(*parts: str) -> _Rule:
    return _Rule(parts)


# -- straightening the words out -------------------------------------------------------

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
_KEYWORDS = _words(
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
    close = process.extract(word, _KEYWORDS, scorer=OSA.distance, score_cutoff=edits, limit=3)
    close = [(key, d) for key, d, _ in close if key[0] == word[0]]
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


# -- danger: said or implied, checked first ----------------------------------------------

# Coming later, or for something arranged: not on the way now.
_LATER = (
    r"(?!( \w+){0,9} (tomorrow|next|on \w+day|at the weekend|this weekend|later this week"
    r"|for christmas)|( round| over)? to (court|the hearing|mediation|fix|repair|collect|visit"
    r"|pick up|get his|get her|see the (kids|children)))"
)
_SAFE_NOW = re.compile(
    r"\b(not|no|never|is not|am not|are not) (in )?(any |immediate |real )?"
    r"(danger|an emergency|emergency|urgent|suicidal)\b"
    r"|\bnot need (an |the |any )?(ambulance|police)\b"
)
_WHO = r"(he|she|they|him|her|my ex|ex|my (husband|wife|partner|boyfriend|girlfriend|dad|father))"
_VICTIMS = (
    r"(me|us|the kids|the children|the baby|my (kids|children|baby|son|daughter|mum|sister"
    r"|little (girl|boy)))"
)
_DANGER = _rx(
    r"danger|not safe|unsafe|(do not|never) feel safe",
    rf"(kill|murder|stab|shoot|strangle|strangl\w*|chok\w*|burn|drown|suffocate|smother|poison"
    rf"|bury)\w* {_VICTIMS}",
    rf"(going to|will|would|wants? to|trying to|threaten\w* to|is) (hurt|kill|murder) {_VICTIMS}",
    r"(kill|murder) (myself|me)|want to die|wanna die|end (my|it) (life|all)"
    r"|take my (own )?life|(no|not) reason to live",
    rf"(is|are|keeps?|started|now|just|has been|have been) (hitting|beating|punching|kicking"
    rf"|strangling|choking|attacking|hurting|stabbing|chasing|dragging) {_VICTIMS}",
    # "won't stop hitting me": it is going on; "I can't stop hitting..." is the writer, not this.
    rf"((will|would|does|do) not|never|(he|she|they) (can not|cannot)) stops? (hitting|beating"
    rf"|punching|kicking|strangling|choking|attacking|hurting|stabbing|chasing) {_VICTIMS}",
    r"(grab\w*|squeez\w*|hands?|chok\w*|strangl\w*)\b.{0,20}\b(throat|neck)",
    r"(police|ambulance) (need|needs) to come|need (the )?(police|ambulance) to come",
    r"(broken|smashed|kicked in|kicked down) (the|my|our) (door|window|lock)"
    r"|(smashed|broke|broken|smashing|breaking) (the )?(glass|window|windows|pane) (in|of|on)"
    r" (the|my|our)",
    rf"{_WHO} (is|are) (banging|kicking off|going mad|going crazy|raging)",
    rf"{_WHO} (is|are) (drunk|high) (and|again|now|right now)",
    r"(got|has|taken|took) (my|the|our) (little (girl|boy)|baby)",
    r"just (hit|punched|kicked|slapped|attacked|stabbed|strangled|choked) (me|us)",
    r"(hitting|beating|punching|kicking|attacking|strangling|choking|hurting) me (now|right now)",
    r"(banging on|knocking on|kicking|breaking|smashing|hammering on|pounding on|thumping on"
    r"|bashing) (the|my|our) (front |back )?(door|house|flat|windows?|home|room|car)"
    r"|(?<!barking )(?<!shoes )(outside|at|by) (the|my|our) (front |back )?(door|house|flat"
    r"|windows?|home|room|car)",
    rf"{_WHO} (is|are) (outside|here|downstairs|upstairs|back|in the house|at the door"
    r"|right outside|just outside|right here"
    r"|on (his|her|their) way|waiting (outside|at|by|in the|downstairs|upstairs)"
    r"|looking for me|coming (back|for me|home|over|round)" + _LATER + ")",
    r"(trying to|try to) (get in|break)|(break|broke|breaking) (in|into|the door)|door (down|in)",
    r"(found|follow\w*|chasing|stalking) me|found where i live|be back (in|soon|any)"
    r"|(going to|will|gonna) (find|come for|come after) me"
    r"|(looking|searching|waiting|hunting) for me(?! to)",
    rf"{_WHO} (is|are) still (here|in the (house|flat|room|building|garden))",
    r"(need|get|want|send) (the )?police (now|here|asap|quick|quickly|urgently|right now)"
    r"|police now",
    r"locked (the|all the|every) (doors?|windows?)",
    r"(got|has|holding|with|waving|picked up|grabbed) (a|the|his|her) (\w+ )?(bat|knife|gun|hammer"
    r"|weapon|screwdriver|bottle|blade|crowbar|axe|poker|scissors|iron bar|chain|brick|machete)",
    r"locked (myself|me|us) in|locked in|(hiding|hide) (from|in)|pinned me"
    r"|pinn\w* (her|him|them|us) down|(has|got) (me|her|him|them) pinned"
    r"|(holding|held|pinning) (me|her|him|them|us) down"
    r"|(will not|would not) let me (leave|go|out)",
    r"hands? (round|around|on) my (neck|throat)|over my (face|mouth)",
    r"(knife|knives|gun|weapon|hammer|machete|blade|acid|baseball bat)(?! crime)",
    r"bleeding|blood everywhere|cannot breathe|can not breathe|unconscious|passed out"
    r"|knocked (me )?out",
    r"(threw|thrown|throwing|throws) (me|\w+ at me|things at me)|(threw|pushed) me down",
    rf"{_WHO} (is|are) (smashing|breaking|throwing|wrecking)|smashing everything",
    # He is on the way: whatever else they ask, the reply must open with 999.
    rf"{_WHO} (is|are) coming{_LATER}",
    rf"{_WHO} (is|are|will be|will get) (almost|nearly|about to be|about to get) (home|here|back)",
    rf"{_WHO} (will be|will get|gets) (home|here|back) (soon|any (minute|second|moment|time)"
    r"|in (a|\d+|two|five|ten|a few) (min\w*|sec\w*))",
    # Their own life in danger: an overdose, no wish to live, held, trapped.
    r"overdos\w*|i (have )?(taken|took|swallowed|had) (all (of )?(my |the |his |her )?|too many "
    r"|loads of |lots of |a lot of |a load of |a bunch of |a handful of |some "
    r"|a (whole )?(box|packet|bottle|pack) of |)(pills|tablets|paracetamol|sleeping pills"
    r"|painkillers|meds|medication)",
    r"(do not|not) want to (live|be alive|be here|wake up|exist)(?! (with|in|at|here|there|near"
    r"|together|on))|better off dead|(wish|want) i (was|were) dead",
    r"(need|needs|get|call|ring|phone|send|want) (me |us |her |him )?(an |the )?ambulance"
    r"|ambulance (now|please|asap|quick)",
    r"(held|kept|keeping|holding|keeps|keep|locked)\b.{0,25}\bagainst (my|our) will"
    r"|held (hostage|captive|prisoner)|being held(?! (back|responsible|accountable|to))"
    r"|(keeping|holding|keeps|kept) (me|us) (here |in |inside )?(hostage|prisoner|captive)",
    r"(i am|we are|i have been|we have been|am|me|us) trapped(?! in (this|my|a|an|the|our)"
    r"( \w+)? (relationship|marriage|situation|life|cycle|job)| financially| with no money)",
    r"(fear|scared|afraid|frightened|terrified) for my life",
    r"(scared|afraid|terrified|frightened) (he|she|they) (is|are|will) (going to )?(kill|hurt)",
    r"night i die|(i|you) (will|are going to|am going to) die|(nobody|no one) will (ever )?find",
    r"(will|going to) finish (me|you|it)",
    r"burn (the|our|my) (house|flat|home)|set fire|fire to (the|our|my) (house|flat|home)",
    r"(arm|nose|ribs?|jaw|wrist|leg|finger|hand) (is |are )?broken|broken (arm|nose|ribs?|jaw"
    r"|wrist|leg)",
    r"(parked|sat|sitting|standing|hanging around) outside",
    r"turned up at (the|my|our|her|his|their) (house|flat|door|home)",
    r"help me now|need help now|help now|help (asap|quick|quickly|fast)|sos|emergency(?! (accom"
    r"\w*|housing|refuge|shelter|place|contact))|urgent|urgently|(call|ring|phone|send) (the )?"
    r"police|(call|ring|dial) 999|send help|999",
)

# Danger said indirectly (issue 16): a threat with a time or a finality, someone near or
# following, an address found, not able to speak, trapped, fuel or fire, medicine withheld
# or forced, children taken.
_MEDS = (
    r"(inhalers?|epi ?pens?|insulin|meds|medication|medications|medicine|medicines|tablets"
    r"|pills|oxygen|nebuli[sz]er|antidepressants|asthma pump|pump|puffer)"
)
_KIDS = r"(kids|children|child|baby|son|daughter|boy|girl|little (one|ones|boy|girl)|toddler)"
_FINAL = (
    r"it (ends|will end|is ending|will (all )?be over)|(all )?be over (for|by)"
    r"|(not|never|will not) (see|make it to|live to see|survive) (christmas|new year|tomorrow"
    r"|the morning|the weekend|my birthday|next \w+|another \w+|the night|summer)"
    r"|(my|your|her) (last|final) (day|night|week|weekend|christmas|birthday|hours?)"
    r"(?! (at|of|in|on) )"
    r"|(will not|never) wake up"
    r"|(i am|i will be|you are|you will be|she is) (finished|dead|done for|gone)"
    r"|last warning|(that is|it is) it for (me|you)|(dead|gone) by"
    r"|night i pay|(i|you) (will|am going to|are going to) pay for"
    r"|say goodbye to|the last time i ever|(have|has|got) (got )?(till|until) (sunday|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|tonight|tomorrow|midnight|the morning)(?! to)"
    r"|(end|finish) (it|this|me|us) (tonight|today|now|for (good|both|all|us|the both)"
    r"|once and for all)"
)
_WHERE = (
    r"(outside|across|opposite|over the road|down the road|up the road|at the (end|bottom|top)"
    r"|round the corner|in front|in (his|her|their|a|the) (car|van)|by (the|my|our)|near (the|my"
    r"|our)|at (the|my|our) (front |back )?(door|gate|window|house|flat|work|school|building"
    r"|garden)|in the (street|road|garden|car park|stairwell|lobby|hallway|hall|drive))"
)
_PLACES = (
    r"(door|front door|back door|gate|garden|window|windows|house|flat|home|porch|stairs|path"
    r"|drive|driveway|landing|hallway|hall|lobby|building|block|street|road|car park|school gates?"
    r"|work|office|hostel|refuge)"
)
_DANGER_INDIRECT = _rx(
    rf"(says|said|told \w+|tells \w+|texted|texts|messaged|keeps (saying|telling)|warned"
    rf"|threaten\w*|swore|swears|screamed|shouted|wrote|promised|whisper\w*|hissed|mouthed)\b"
    rf".{{0,45}}\b({_FINAL})",
    r"enjoy (your|my) (last|final)|(end|finish) it tonight|i know where you (live|are|sleep"
    r"|work)|(my ex|ex)\b.{0,20}\bsee you (tonight|soon)",
    # not allowed near: an order broken, now
    r"not (meant|supposed|allowed) to be (here|there|near|in|at|within)",
    rf"({_WHO}|someone|somebody|the stalker|stalker) (is|are) (at the (end|bottom|top) of|outside"
    r"|across from|opposite|near|in|inside|on) (my|the|our) (\w+ )?(\w+ )?(right now|now|again)"
    r"|(someone|somebody) (is )?(in|inside|at|outside) (the|my|our) (garden|house|flat|hall"
    r"|hallway|kitchen|door|window|back door|front door)"
    r"|(the stalker|stalker) (is|are) (at the (end|bottom|top) of|outside|across|opposite|near"
    r"|by|in)",
    rf"({_WHO}|and) (is|are) on (the|his|her|their) way( here| over| round| to (me|mine|my))?"
    rf"{_LATER}",
    rf"{_WHO} (is|are) (waiting|standing|lurking|hanging around) (in|at|by|outside|near) (\w+ )?"
    r"(reception|lobby|foyer|entrance|car park|gate|door|stairwell|corridor|landing)",
    # someone near, coming or following
    rf"{_WHO} (is|are|has been|have been|keeps?) (parked|sat|sitting|standing|waiting|lurking"
    rf"|hanging (around|about)|watching|staring)( \w+){{0,4}} {_WHERE}"
    rf"|{_WHO} (is|are|has been|keeps?) (watching|staring (at|up at|in|into|through)) (my|our|the)"
    r" (house|flat|home|window|windows|door)"
    rf"|{_WHO} (is|are) (walking|running|driving|heading|making (his|her|their) way) (up|down"
    r"|to|towards|into|over|round|here|this way|back)(?!( \w+){0,6} (tomorrow|next|on \w+day))",
    r"circling (the|my|our) (block|house|flat|street|road|building)"
    rf"|{_WHO} (is |has )?(just )?(pulled|pulling|parked|parking) up"
    r"|(followed|following|follows) (the|my|our) (bus|train|car|taxi|cab|tube)",
    r"(his|her|their) (car|van|bike|motorbike|taxi) (is|has been|keeps|was) (behind|following"
    r"|outside|parked|across|opposite|at the end)",
    r"(can see|just saw|just seen|i see) (him|her|them|my ex|his (car|van)|her car)\b.{0,30}"
    r"\b(at|outside|across|opposite|by|near|standing|sitting|waiting|watching|staring|parked"
    r"|behind|over the road)",
    r"(is|are|be) (only )?(\d+|to|a few|a couple of|two|five|ten|twenty) (min\w*|mins) (away|off"
    r"|from here)",
    rf"(my ex|ex|ex (husband|wife|partner|boyfriend|girlfriend)) (is|are) (in|at|on|by|outside)"
    rf" (the|my|our) {_PLACES}|looking (in|through) (the|my|our) windows?",
    r"(trying|rattling|trying to open|tried to open|pulling) (the|my|our) (front |back )?(door"
    r"|door handle|handle|lock|windows?)",
    r"(got|gets|came|climbed|broke|snuck|sneaked) in(to)? (through (the|a|my|our|his|her)"
    r" (back|front|window|door|garden|kitchen)|via|somehow)|let (himself|herself|themselves) in",
    r"(been|is|are|keeps|keep|kept) (knocking|banging|buzzing|ringing the (bell|doorbell"
    r"|buzzer))",
    r"on the same (bus|train|tube|carriage|platform)|same (bus|train|tube) as me",
    r"(is|are) (outside|at|by) (the|my|our) (front |back )?(gate|garden|porch|stairs|path|drive"
    r"|driveway)|(is|are|has been) (\w+ ){0,4}outside my (work|office|school|gym|building"
    r"|workplace|hostel|refuge|block)",
    # an address found
    rf"{_WHO} (has |is |just |has just )?(knows|found out|found|worked out|tracked down|discovered"
    r"|got) (where|which|what) (hostel|refuge|shelter|address|flat|house|room|street|i|we|im"
    r"|the (refuge|hostel|shelter))|told (him|her|them) (where|which)",
    rf"{_WHO} (has |is |just |has just )?(found|got|knows|found out|tracked down|has) (my|our)"
    r" (new )?(address|flat|house|home|location|refuge|hostel|place)",
    rf"{_WHO} (has |is |just |has just )?(turned|showed|shown) up (at|to) (the|my|our) (refuge"
    r"|hostel|shelter|safe house|work|school|new \w+)",
    r"address (got |has |was |has been )?(leaked|given out|passed on)|(refuge|hostel|shelter"
    r"|safe house) address",
    r"(sent|messaged|texted|posted|sends|sending) (me )?a (photo|picture|pic|video) of (my|our)"
    r" (new )?(front door|door|house|flat|street|car|building|window|road|home)",
    # trapped, fire, fuel, smothering
    r"trapped in (the|a|his|her|my|our) (car|van|room|house|flat|bedroom|bathroom|basement"
    r"|cellar|shed|loft)|(will not|would not|does not) stop driving"
    r"|(barricad\w*|blocking|blocked) (the|my|our) (door|doors|way out|exit|front door)",
    r"(pour\w*|splash\w*|dous\w*|soak\w*|spray\w*|smells? of|sprinkl\w*)\b.{0,20}\b(petrol"
    r"|lighter fluid|lighter fuel|paraffin|white spirit|gasoline|diesel|fuel|bleach)",
    r"(set|sets|setting|put|lit|light|lighting|is|are|has)\b.{0,25}\b(on fire|alight|ablaze)"
    r"|(burn|burning|torch|torching) (the|our|my|this) (place|house|flat|home|car|room|bed)"
    r"|(flicking|flicks|waving|holding|playing with) (a|his|her|the) lighter",
    r"(round|around|on|against|at|to) my (throat|neck)|suffocat\w*|smother\w*|tried to drown"
    r"|(bag|pillow|cushion|hand|hands) (over|on|onto|against) my (head|face|mouth|nose)"
    r"|headlock|choke ?hold|(has|got|holding|held) me (in a|by the) (headlock|neck|throat)"
    r"|(sat|sitting|kneeling|knelt|lying) on (me|my (chest|back|neck|throat))",
    r"(poured|pouring|threw|thrown|throwing|chucked) (boiling|hot) (water|oil|tea|coffee)"
    r"|(boiling|hot) (water|oil) (on|over|at) me",
    r"dig (your|my|a) (own )?grave|(shovel|spade)\b.{0,30}\b(dig|grave|bury)"
    r"|(climbed|climbing|jumped|jumping|got|getting) over (the|my|our) (back |front |garden )?"
    r"(fence|wall|gate)",
    r"(could not|cannot|can not|unable to|stop me|stopped me|stops me) (breathe|breath|breathing)"
    r"|(face|head) (into|in) (the|a) (pillow|water|bath|sink|mattress|cushion)",
    # medicine withheld or forced; drinks spiked
    rf"(he|she|they|my \w+|ex) (has |have |had |keeps |is |are |just )?(hid|hidden|hides|hiding"
    rf"|took|taken|takes|taking|threw|thrown|throws|flushed|flushes|binned|withh\w+|kept|stole"
    rf"|stolen|broke|broken|emptied|destroyed|smashed)( away)? (all )?(of )?(my|me my) (\w+ )?"
    rf"{_MEDS}(?! (to|for|from) (the )?(pharmacy|chemist|doctor|gp|me))",
    rf"{_WHO} (will not|would not|does not|refuses to|is not|are not) (give|let|giving|letting)"
    rf" me (have |take |use )?"
    rf"(my )?(\w+ )?{_MEDS}",
    rf"(forc\w+|mak\w+ me (take|swallow)|made me (take|swallow))\b.{{0,15}}\b{_MEDS}"
    rf"|{_MEDS} down (me|my throat)|{_MEDS} in my hand",
    r"(crush\w*|slipp\w*|spik\w*|drugg\w*|putting something|put something|puts something)\b"
    r".{0,20}\b(into|in) my (drinks?|food|tea|coffee|water)|spiked my drink|drugging me",
    # children taken or threatened
    rf"{_WHO} (has |have |had |is |just )*(taken|took|snatched|grabbed|kidnapped|abducted|run off"
    rf" with|ran off with|gone off with|disappeared with|driven off with)( \w+)? (the|my|our)"
    rf" {_KIDS}(?! (to|for) (school|nursery|the park|the weekend|his|her|their|a|swimming"
    r"|football)| as agreed)",
    rf"(the|my|our) {_KIDS} (and|in the car and|into the car and|in his car and) (just )?"
    r"(drove|driven|sped|has driven|has gone|went|gone) off"
    rf"|(drunk|high) driving|driv\w+ (off )?(drunk|high)"
    rf"|(take|took|taken) (the|my|our|your) {_KIDS}\b.{{0,40}}\bnever see"
    rf"|never see (the|my|your|our) {_KIDS} again"
    rf"|(will not|refuses to|not|has not|did not) (give|bring|hand|send|brought|returned|given"
    rf"|dropped) (the|my|our) {_KIDS} back",
    # hiding, now
    r"(i am|we are|am|i have been|we have been) hiding( (in|under|behind|upstairs|downstairs"
    r"|from (him|her|them)|now|right now|with the (kids|children|baby))|$)"
    r"|(hiding|hide|hid) (under|behind) (the|a|my) (bed|stairs|table|sofa|door|wardrobe|car)"
    r"|i am under the (bed|stairs|table)(?! with the dog)",
    # someone else in danger now, heard
    r"(screaming|screams|yelling|shouting|crying|calling) (for )?help"
    r"|(screaming|screams|yelling)\b.{0,25}\b(next door|downstairs|upstairs|through the wall"
    r"|in the (street|flat|house))|(child|baby|kids?) (is |are )?(crying|screaming) (and|next"
    r"|downstairs|upstairs)",
    # a means to end their life, with despair
    r"(rope|noose|ligature)\b.{0,40}\b(can not|cannot|anymore|any more|end it|die|over|goodbye)",
)
# Not able to talk, with the person there: "can only text, he's on the sofa".
_CANT_TALK = _rx(
    r"can only (text|type|message)|(can not|cannot|not able to|unable to) (talk|speak|call|ring"
    r"|phone|make a call|make a (sound|noise)|say (a word|anything))|(he|she|they) will hear me"
    r"|quiet please|whisper\w*|text only|(do not|dont) (ring|call|phone) me"
    r"|typing (under|quietly|secretly|in secret|with one hand)|under the (table|covers|duvet)"
)
_PRESENT = _rx(
    rf"{_WHO} (is|are) (on the sofa|in the (next|other) room|next door|right here|here|next to me"
    r"|beside me|asleep|sleeping|listening|in the (room|house|flat|kitchen|lounge|bedroom"
    r"|bathroom|hall|living room)|right outside|outside the (door|room|bedroom|bathroom)"
    r"|watching (tv|the tv|telly|the telly|football|the football)|on (his|her) phone"
    r"|downstairs|upstairs)"
    r"|(he|she|they) will hear"
)
# A bare plea, the whole message: "please help", "someone help", "help help".
_PLEA = re.compile(
    r"^(please |someone |somebody |anyone |any one )*(help|help me|help us)"
    r"( please| someone| somebody| anyone| now| quick| help| me)*$(?<!^help)"
    r"|^(please )?(someone|somebody|anyone)( please)*$"
    r"|^i need help (right )?now( please)*$"
)
# Not danger, though the words are: a question about 999, the non-emergency number,
# following online.
_NOT_DANGER = re.compile(
    r"\bwhat (do|should) i (say|tell them) (when|if) i (call|ring|dial) 999\b"
    r"|\bwhat (happens|will happen|would happen) (if|when|after) (i|you|someone|people) (call|ring"
    r"|dial|phone|text) 999\b"
    r"|\bdo (the )?police (come|turn up|send \w+|always come) (if|when) (i|you|someone)"
    r" (call|ring|dial|phone) 999\b"
    r"|\bnon emergency\b"
    r"|\b(scared|afraid|worried|frightened) (that )?(he|she|they) will find me\b"
    r"|\bfollow\w* me (online|on (instagram|insta|facebook|fb|social media|tiktok|twitter"
    r"|snapchat|snap))\b"
)
_HOW_LONG_999 = re.compile(r"\bhow long\b(.{0,60}?)\b999( call)?\b")
# Told as the past, with nothing recent: "years ago he tried to strangle me, I left in 2019".
_PAST = _rx(
    r"(\d+|a few|few|two|three|four|five|six|seven|eight|nine|ten|many|several|some) (years|yrs)"
    r" ago|years ago|ages ago|long time ago|used to|when i was (\d+|little|young|younger|small"
    r"|a kid|a child|a teenager|a girl|a boy)|as a (child|kid)|growing up|back in (19|20)\d\d"
    r"|when we were (together|married)|that was (years|ages|a long time|in)"
    r"|(i|we) (left|got out|escaped) (in|years|ages)|(we are|we were|i am|got) divorced"
    r"|i have moved|moved (out|away) since|in the past|my childhood"
)
_RECENT = _rx(
    r"right now|tonight|today|again|(he|she|they) (has |have )?just|just now"
    r"|this (morning|evening|afternoon|week)|last night"
    r"|at the moment|still (here|there|outside|in|at)|back again|started again|now (he|she|they"
    r"|my)|(has|have|just) (found|turned up|come back|tracked)|found (me|my|where|out where)"
    rf"|{_WHO} (is|are|has|have|keeps|keep|will|says|wants)"
)

# Someone else being hurt is an emergency when it is happening now.
_HURTING_OTHERS = _rx(
    r"(is|are|keeps?|started) (hitting|beating|punching|kicking|strangling|choking|attacking"
    r"|hurting|stabbing|dragging)|being (attacked|hit|beaten|hurt|strangled|stabbed)"
    r"|(hitting|beating|punching|kicking|strangling|choking|attacking|hurting|stabbing"
    r"|battering) (my|his|her|their|the|mum|mom|mother|dad|him|her|them)"
)
_NOW = _rx(
    r"now|right now|at the moment|as we speak|just|currently|screaming|tonight|downstairs"
    r"|upstairs|next door|through the wall|in the (street|kitchen|garden|hall|road|next room"
    r"|car park|car)"
)
# Acts that are an emergency whenever they are going on, wherever.
_ATTACK_NOW = _rx(r"(is|are) (strangling|choking|stabbing|throttling|smothering)")

# -- who the help is for ---------------------------------------------------------------------

_LANGUAGES = (
    r"(urdu|punjabi|bengali|bangla|hindi|gujarati|arabic|somali|polish|romanian|turkish|tamil"
    r"|farsi|persian|kurdish|portuguese|spanish|tigrinya|amharic|twi|yoruba|lithuanian"
    r"|bulgarian|albanian|pashto|chinese|mandarin|cantonese|vietnamese|russian|ukrainian)"
)
_FRIEND_WHO = (
    r"(friend|friends|mate|sister|brother|daughter|son|mum|mother|dad|father|cousin|niece|nephew"
    r"|aunt|auntie|aunty|uncle|neighbour|neighbor|flatmate|housemate|colleague|grandma|grandad)"
)
_PARTNER = (
    r"(husband|wife|partner|boyfriend|girlfriend|ex|fiance|fiancee|fella|feller|bloke|man"
    r"|other half|missus)"
)
_SELF_VICTIM = _rx(r"(hits|hit|beats|beat|abuses|abused|hurts|hurt|threatens|raped|slaps) me")
# What someone else says the writer is ("he says I'm controlling"): a common abuser's line,
# so it never makes the writer the one who needs to change.
_CLAIMED = re.compile(
    r"\b(says|said|tells me|told me|keeps (saying|telling me)|thinks|claims|accuses me of"
    r"|accused me of|calls me|called me|blames me for|makes out)( that)?( i am| i was"
    r"| i have been| being)?\b"
)
# The writer is the one being hurt: never sent to a service for people who abuse.
_ABUSED_ME = _rx(
    r"(hits|hit|beats|beat|abuses|abused|hurts|hurt|threatens|threatened|raped|slaps|slapped"
    r"|kicks|kicked|punches|punched|pushes|strangled|chokes|choked|controls|scares|bullies"
    r"|hitting|hurting|beating|abusing|kicking|punching|slapping|strangling|choking"
    r"|threatening|scaring|bullying) me"
    r"|(abusive|violent|controlling|aggressive|cruel|nasty) (to|towards|with) me"
    r"|(he|she|they) (is|are|was|were|has been|have been|keeps|keep) (being )?(so |really "
    r"|very )?(abusive|violent|controlling|aggressive)"
)
_NEEDS = {
    "suicide": _rx(
        r"suicid\w*|kill myself|end (my|it) (life|all)|take my (own )?life|want to die|wanna die"
        r"|(do not|not) want to (live|be alive|be here|wake up|exist)(?! (with|in|at|here|there"
        r"|near|together|on))|better off dead"
        r"|(wish|want) i (was|were) (dead|not here|never born)"
        r"|(can not|cannot) (cope|go on|carry on|take (it|this) any ?more)"
        r"|no point (in )?(going on|living|carrying on)|(do not|not) see the point"
        r"|(think|thinking|thought|thoughts) (about|of) (ending it|ending my|suicide|killing myself"
        r"|dying)|end it all|self harm\w*|hurting myself|want it all to (stop|end)"
        r"|everything is too much|in my hand|rope|noose|(feel|feeling) like giving up"
        r"|better off without me"
        r"|want to give up"
    ),
    "deaf": _rx(
        r"deaf|hard of hearing|bsl|sign language|speech impair\w*|hearing impair\w*"
        r"|text (service|only)|textphone|relay uk|cannot hear|without (speaking|talking)"
    ),
    "no_call": _rx(
        r"(can not|cannot) risk (a |the )?(call|calling|phoning|ringing|phone call)"
        r"|(can not|cannot|not able to|unable to) (phone|call|ring|talk on the phone|speak on the"
        r" phone|make (a )?(phone )?call)|instead of (calling|phoning|ringing|a (phone )?call"
        r"|talking)|(text|chat|email|message) (instead|rather)|online chat|live chat|chat online"
        r"|web chat|webchat|by text|by email|(he|she|they) would hear"
        r"|someone to (text|message|email|chat)|(can not|cannot) (talk|speak) (out loud|aloud)"
        r"|(can i|could i|is there) (\w+ ){0,4}(text|email|chat|message)"
    ),
    "honour": _rx(
        r"honou?r\w*|izzat|dishonou?r\w*|forced (to )?marr\w*|forced marriage|(make|force) me marry"
        r"|shame on (the|my|our) family|brought shame|disown\w*"
        r"|(planning|arranging|arranged|organising) my (wedding|marriage)"
    ),
    # A child or young person writing.
    "child": _rx(
        r"(i am|am|aged|age) (1[0-7]|[5-9])( years old| yrs old| yrs| yo| year old)?"
        r"(?! (weeks|months|days|minutes|mins|hours|miles|years|yrs))"
        r"|i am in year (7|8|9|10|11|12|13)|in year (7|8|9|10|11)"
        r"|i am (a |only a |just a )?(teenager|teen|kid|child|minor|young person|schoolgirl"
        r"|schoolboy)|too young to"
        r"|(step ?dad|stepfather|step ?mum|stepmother|mum boyfriend|mums boyfriend|dad girlfriend)"
        r" (hits|hurts|beats|slaps|kicks|punches|abuses|scares|threatens) me"
        r"|my parents (fight|argue|hit|shout|scream)"
    ),
    # An adult worried about a child.
    "child_worry": _rx(
        r"(worried|concerned|worry|scared|afraid) (about|for) (a |the |my |our |some |these"
        r" |this )?(\w+ )?(child|children|kids|kid|baby|toddler|grandchild\w*|grandkids"
        r"|little (boy|girl))|childminder|a child (i|we) (look after|care for|teach|mind)"
        r"|(my|our) (son|daughter|child|kid|little one|nephew|niece|grandson|granddaughter) is"
        r" ([1-9]|1[0-7])( years old)?|shakes (him|her|the baby)"
        r"|(nephew|niece|grandson|granddaughter|grandchild) (is being|being|gets|is getting"
        r"|getting) (hurt|hit|beaten|abused) at home"
        r"|(grandson|granddaughter|nephew|niece|grandchild) (says|said|told me) (his|her|their)"
        r" (step ?dad|step ?mum|dad|mum|father|mother|stepfather|(mum|mom|mother|dad|father)"
        r" (boyfriend|girlfriend|partner)) (hurts|hits|beats|abuses)"
    ),
    "sexual": _rx(
        r"rape\w*|raped|(?<!non )sexual\w*|sexually|have sex|forced (himself|herself) on me"
        r"|intimate (pictures|images|photos|videos)|nudes|revenge porn|(?<!non )molest\w*"
        r"|touch(ed|es|ing) me"
    ),
    "lgbt": _rx(
        r"lgbt\w*|gay|lesbian|bi|bisexual|trans|transgender|queer|non binary|nonbinary|enby"
        r"|same sex|both (women|men|girls|guys)|out me|outing me"
    ),
    "older": _rx(
        r"older|elderly|old age|pensioners?|pension|oap|grand(mother|father|ma|pa|parents?)"
        r"|grandad|granddad|grandmum|nan|nana|nanna|gran|granny|(i am|aged) [6-9]\d"
        r"|[6-9]\d (years|year|yrs) old"
        r"|in (my|his|her) (sixties|seventies|eighties|nineties)|care home"
    ),
    "minoritised": _rx(
        r"migrant|immigration|immigrant|visa|deport\w*|no recourse|nrpf|public funds|asylum"
        r"|refugee|settled status|home office|black wom[ae]n|asian wom[ae]n|south asian"
        r"|minoritised|minoritized|bme|bame|ethnic minority|interpreter|translator"
        rf"|english is not|my english|{_LANGUAGES}|little english"
        r"|(do not|cannot|can not) speak (much |good |any |very good |very much )?english"
    ),
    # The writer is the one behaving badly: "I" does it. "He is being abusive" is not this.
    "perpetrator": _rx(
        r"my own behaviou?r|i (hit|hurt|pushed|push|slapped|slap|punched|shoved|grabbed|kicked"
        r"|scare|frighten|abuse|control|threaten|threatened) (her|him|them|my (partner|wife"
        r"|husband|girlfriend|boyfriend|ex|fiance\w*|kids|children|son|daughter|family|mum|dad))"
        r"|(i am|i have been|i was|i keep|i can be|i might be|i could be) (being )?(so |really "
        r"|very |too |quite )?(the )?(abusive|abuser|an abuser|controlling|violent|aggressive"
        r"|problem|perpetrator)"
        r"|(how (do|can|should) i|i (want|need|have|am trying|try|must|would like) to|help me"
        r"|i (need|want) help to|learn to|i (cannot|can not|could not)) stop (being )?"
        r"(so |really )?(abusive|violent|controlling|hitting|hurting|abusing|scaring|shouting"
        r"|yelling|screaming)(?! me\b)"
        r"|help to stop(?! (him|her|them|he|she|they|my|the|this|it)\b)"
        r"|anger management|my (anger|temper)"
        r"|lose my temper|i get (so |really )?(angry|violent)"
        r"|help me (to )?change(?! (my|the|our) (locks?|numbers?|phone|name|address|sim|email"
        r"|passwords?|bank))"
        r"|i will do it again|perpetrator|angry i get"
        r"|i (keep |kept )?(shouting|shout|yelling|yell|screaming|scream) at (my|her|him)"
    ),
    "men": _rx(
        r"i am (a |\d+ )?(man|guy|bloke|male|dad|father)|male|men|husband here"
        r"|i am (her|his|the) husband"
        r"|(for|can) (a )?(man|men|guy|guys|bloke|blokes)"
        r"|my (wife|girlfriend) (hits|abuses|beats|slaps|hurts|controls|threatens|is abusive"
        r"|is violent|is controlling)|(wife|girlfriend) is (abusive|violent|controlling)"
        r"|(hits|beats|abuses|controlling|controls|hurts) him"
    ),
    "stalking": _rx(
        r"stalk\w*|harass\w*|keeps (turning|showing) up|(turning|turns|turned|showing|shows) up at"
        r" my (work|house|flat|home|school|job|gym)|new numbers|(different|unknown|withheld"
        r"|private) numbers|leaving (notes|things|flowers|gifts|messages|letters)|(will not"
        r"|would not) leave me alone|drives past|driving past|keeps (following|watching) me"
        r"|following me (online|everywhere|around)|watching my (house|flat|home)|tracker on my"
        r"|(new|fake|different) accounts?|creating (new )?accounts"
        r"|(messaging|contacting|calling|texting) my (friends|family|work|boss|colleagues)"
        r"|keeps (liking|commenting on|viewing)"
    ),
    # Legal protection: protection orders and injunctions, asked any way.
    "legal": _rx(
        r"injunctions?|non molestation|nonmolestation|molestation order|occupation order"
        r"|protection order|protective order|restraining order|court order|legally"
        r"|legal (action|protection|help|advice|aid|options|route|way)|something legal|solicitor"
        r"|lawyer|can the court|(court|judge) (can )?(make|order|stop)|take (him|her|them) to court"
        r"|dvpo|dvpn|(can|how do|how can) i stop (him|her|them) (from )?(coming|contacting"
        r"|seeing|turning up)|can i stop (him|her|them)$"
    ),
    "leaving": _rx(
        r"(i|we|i am|i have|we are) (really )?(need|want|have|going|planning|plan|ready|trying"
        r"|try|thinking (about|of)|about) (to )?(leave|leaving|get out|escape)\b(?! (this|the"
        r"|you) (chat|bot|conversation|app))|how (do|can|should|could) (i|we) (leave|get out"
        r"|escape)|help me (to )?(leave|get out|escape)|leave safely|leaving safely|planning to"
        r" leave|plan to leave|get out without|without (him|her|them) (knowing|finding out"
        r"|noticing)"
    ),
    # "Is this abuse?": a plain answer from the law, never an opinion on their case.
    "is_abuse": _rx(
        r"is (this|it|that) (abuse|abusive|domestic abuse|domestic violence|normal|ok|okay"
        r"|controlling|coercive)|(does|do|would) (this|that|it) count|counts? as (abuse|domestic)"
        r"|(what|which) (is|counts as) (domestic )?(abuse|violence|coercive control)"
        r"|is it abuse|not abuse|am i (being )?(abused|overreacting)|i am overreacting"
        r"|(he|she|they) (does not|never|do not|did not) hit me|decides who i (can )?see"
        r"|takes my (wages|money|salary|pay|benefits|card|bank card)|(gives|give) me an allowance"
        r"|checks my (bank|spending|receipts)|tracks my (location|phone)"
        r"|(keeps|has|took|takes|taken) my (bank card|card|cards|wages|benefits|passport|money)"
        r"|gives me (\d+|an allowance|pocket money)|check (what|how much) i spend"
        r"|(checks|checking|goes through) my (bins|receipts|spending|bank)"
        r"|(controls|control|controlling) (all )?(the|my|our) (money|finances|bank|spending)"
    ),
    "friend": _rx(
        r"worried about (my|a|someone|somebody|her|him|them)|concerned about (my|a|someone)"
        r"|how (can|do|should) i help (my|a|her|him|them)|help (my|a) "
        + _FRIEND_WHO
        + r"|(say|do) to a friend|someone i know|somebody i know"
        r"|(my|our|a) (neighbour|neighbor|colleague|student|pupil|client|patient)s?"
        r"|(colleague|coworker|student|pupil|client)s?"
    ),
}
# Someone who says they are an adult is not sent to Childline.
_ADULT = _rx(r"(i am|am|aged|age) (1[89]|[2-9]\d)(?! (weeks|months|days|minutes|mins|hours|miles))")
_NEED_ORDER = (
    "suicide", "deaf", "no_call", "honour", "child", "child_worry", "sexual", "lgbt", "older",
    "minoritised", "perpetrator", "men", "stalking", "legal", "leaving", "is_abuse", "friend",
)  # fmt: skip
_NEEDS = {need: _NEEDS[need] for need in _NEED_ORDER}
# Any need at all: one pass that lets most messages skip the need-by-need reading.
_ANY_NEED = _Rule(tuple(a for rule in _NEEDS.values() for a in rule.alternatives))
# In danger, the lines the reply carries besides 999 (bot/core/signpost.py DANGER_NEEDS).
_DANGER_NEED_WORDS = {
    "child": _NEEDS["child"],
    "suicide": _NEEDS["suicide"],
    "men": _rx(
        r"i am (a |\d+ )?(man|guy|bloke|male|dad|father)|husband here|i am (her|his|the) husband"
        r"|my (wife|girlfriend|missus) (is|has|keeps|just|will|says|said|locked|took)"
    ),
    "stalking": _rx(r"stalk\w*|harass\w*"),
}
# A marriage the family is arranging or pressing ("they're taking me to Pakistan to get married").
_MARRIAGE = _rx(r"marr\w*|wedding|engaged|rishta|nikah")
_FAMILY_PRESSURE = _rx(
    r"family|parents|dad|father|mum|mother|brothers?|uncles?|cousin|relatives|in laws|abroad"
    r"|back home|pakistan|india|bangladesh|somalia|nigeria|afghanistan|chose|choose|without asking"
    r"|taking me|sending me|forc\w*|(do|does) not want"
)
# A friend or relative who is the one being hurt ("my sister, her husband ...").
_FRIEND_VICTIM = re.compile(
    rf"\b{_FRIEND_WHO} (is being|is getting|being|is in|has been|keeps getting|gets|was)"
    r" (abused|hit|beaten|controlled|hurt|raped|forced|an abusive|in an abusive)\b"
    rf"|\b{_FRIEND_WHO} is in (a|an) (bad|abusive|violent|toxic|controlling) relationship\b"
    rf"|\b{_FRIEND_WHO} {_PARTNER}\b"
    rf"|\b(her|his|their) {_PARTNER}\b"
    rf"|\b(hits|beats|abuses|hurts|controls|is abusive to|is violent to) my {_FRIEND_WHO}\b"
)
_FRIEND_WORRY = _rx(
    r"worried|concerned|(will not|does not want to|refuses to) leave (him|her|them)"
    r"|support (her|him|them)|help (her|him|them)"
)
_FRIEND_MENTION = re.compile(rf"\b(my|a|our) {_FRIEND_WHO}\b|\bbest friend\b")
_LGBT_PAIRS = re.compile(
    r"\bi am (a )?(man|guy|male|bloke)\b.*\b(boyfriend|husband)\b"
    r"|\b(boyfriend|husband)\b.*\bi am (a )?(man|guy|male|bloke)\b"
    r"|\bi am (a )?(woman|girl|female)\b.*\b(girlfriend|wife)\b"
    r"|\b(girlfriend|wife)\b.*\bi am (a )?(woman|girl|female)\b"
)

# -- what they ask about ------------------------------------------------------------------------

_SERVICE_ASK = _rx(
    r"number|numbers|phone|call|ring|contact|website|site|email|hours|open|opening|text"
    r"|what is|who are|who is|tell me about|details|how do i contact"
)
_NAME_ONLY = _words("the a an please thanks hi hello")
# "is 101 ok", "can i use 101": a number asked about on its own is a question about the service.
_NUMBER_ASK = _words("is it ok okay can could i should we use good idea alright fine right for")
_MENU = re.compile(
    r"^(show |the |open )?(menu|main menu|options|commands|start over|back"
    r"|what can (you|this bot|the bot|it) do|what do you do|what are my options here"
    r"|what can i ask( you)?|what (do|should) i ask( you)?|how does (this|this bot|it) work"
    r"|what (is|are) (this|you) for)( please| thanks)?$"
)
# Erase this chat now: the Telegram front erases it, the core says how (/exit).
_LEAVE = _rx(
    r"(delete|erase|clear|wipe) (this|it|everything|all of this|all this)"
    r"|(delete|erase|clear|wipe|hide|remove) (the|my|our|all|all the|all my|all our|these|your"
    r"|this) (chats?|conversations?|messages?|history|texts?)"
    r"|(delete|erase|clear|wipe) (chats?|conversations?|messages?|history)"
    r"|(delete|erase|wipe|remove) what i (wrote|said|typed|sent)|quick exit|exit (the )?(chat|bot)"
    r"|leave (this|the) (chat|conversation|bot)"
)
# Made to delete messages is control being described, not a request to erase this chat.
_MADE_TO_DELETE_WORDS = (
    r"(made|makes|make|making|forced|forces|force|forcing|told|tells|wants|wanted) (me|us)"
    r" (to )?(delete|erase|clear|wipe|hide|remove)"
)
_MADE_TO_DELETE = _rx(_MADE_TO_DELETE_WORDS)
_LEAVE_ONLY = re.compile(
    r"^(please )?(delete|erase|clear|wipe|hide|exit|leave|quit|get me out)"
    r"( it| this| now| please| quick| quickly| everything)*$"
)
# Who they are talking to: a person, the police, a bot?
_WHO_AM_I = _rx(
    r"(am i|are we|is this|will i be) (talking|speaking|chatting|texting|messaging) (to|with)"
    r" (a |an |the )?(bot|robot|chatbot|human|real|person|computer|machine|ai|someone real|police)"
    r"|who am i (talking|speaking|chatting|texting|messaging) (to|with)"
    r"|are you (a |an |the )?(real|human|bot|robot|chatbot|person|computer|machine|ai|police"
    r"|police officer|volunteer|counsell?or|operator)"
    r"|is this (a |an |the )?(bot|robot|chatbot|real person|human|person|police|automated|ai"
    r"|computer|machine)"
)
_WHO_AM_I_ONLY = re.compile(r"^(who|what) (is|are) (this|you)( please| exactly)?$")
_PRIVACY = _rx(
    r"privacy|private|anonymous|confidential|(who|anyone|someone) can see"
    r"|(can|could) (he|she|they|anyone|someone|people|my \w+) (see|read|find|know|tell)"
    r"|will (he|she|they|my \w+) (know|see|find out)|(do|does|will) (you|it|this \w+|the bot)"
    r" (store|keep|save|record|log|track)|(stored|kept|saved|recorded|logged) (anywhere|somewhere)"
    r"|safe to use"
    r"|show (up )?on my (phone|bill)|phone bill|leave no trace|trace"
    r"|(show|appear) (up )?(in|on) my (history|phone|notifications|screen)|in my history"
)
_ABOUT = _rx(
    r"where (do|does|are|is|did) .*(from|come)|where (did|do) you get|how did you get"
    r"|about the data|how old (is|are) (this|the|these|that|your|it)\b|what year|which year"
    r"|up to date|out of date|who (made|built|runs|wrote)|reliable|accurate"
    r"|sources?(?! of (my|his|her|our|their|income|money|stress|strength|support|comfort|fear))"
    r"|what does (recorded|reported|offences?|the (data|figure|number|rate)|rate)\b.* mean"
    r"|are (these|they|the figures) (police|official|real)|about (this|the) bot|what is this bot"
    r"|(is|are) (this|it|that|these|they) the (latest|newest|most recent)|how (recent|current)"
)
# Abuse told, or help asked for: this comes before questions about the bot or its data
# ("he controls my only source of income", "is it private if i call the helpline").
_DISCLOSED = _rx(
    r"abus\w*|controls?|controlling|coercive|gaslight\w*|violent|violence|threaten\w*|stalk\w*"
    r"|harass\w*|rape\w*|bruises?|scared|afraid|frightened|(hits?|hurts?|beats?|hitting"
    r"|hurting|beating) me|will not let me|(takes?|took|taken|stole|steals|keeps|kept|has)"
    r" (away )?(all )?(of )?(my|our)"
    r"|helpline|refuges?|shelters?|support|advice|get help|services?|counsell?ing|idva"
    r"|injunction|non molestation|outreach"
)
_OUTSIDE_SAID = _rx(
    r"outside (of )?london|not in london|(do not|not) live in london|rest of (the uk|england)"
)
_SUB_REGION = re.compile(r"(?<!north )(?<!south )\b(west|east|north|south|central) london\b")
_HIGHEST = _rx(r"highest|most|worst|top|biggest|largest|more")
_LOWEST = _rx(r"lowest|least|fewest|safest|best|smallest|less")
_RANKING = _rx(
    r"rank\w*|all (the )?boroughs|every borough|each borough|by borough|list|league|table"
    r"|which (borough|area|part)|where in london"
)
_RANKING_CHART = _rx(
    r"rank\w*|all (the )?boroughs|every borough|other boroughs|compared?|league|table"
)
_ARREST_RATE = re.compile(r"\b(arrest|charge|conviction|prosecution)s? rates?\b")
_AREAS = _rx(r"boroughs?|areas?|london|parts? of london|councils?")
_ARRESTS = _rx(r"arrest\w*|charged?|charges|prosecut\w*|convict\w*|outcomes?|solved|sanction\w*")
_RATE = _rx(
    r"per (1000|1 000|thousand|person|people|head|capita|resident|residents|population|100k)"
    r"|rate|rates|population|proportion\w*|relative to"
)
_COMPARE = _rx(r"compar\w*|vs|versus|v|against|difference|than|or|with|both")
_TREND = _rx(
    r"trend|trends|going (up|down)|gone (up|down)|rising|falling|increas\w*|decreas\w*"
    r"|over time|over the years|year on year|getting (worse|better)|up or down"
)
_CHART = _rx(r"chart|graph|plot|picture|diagram|visuali[sz]\w*|infographic")
_MONTHLY = _rx(r"month by month|monthly|each month|every month|per month|by month")
_INNER_OUTER = re.compile(r"\b(inner|outer) london\b")
# A year named ("croydon in 2008", "the 2008 figures"): the core finds the period it falls in.
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# A financial year, as written after words_of: "2022-23" and "2022/23" are "2022 23".
_FINANCIAL_YEAR = re.compile(r"\b(?:fy)?(20\d\d) (?:(\d\d)|20(\d\d))\b")
# Kinds of figures answer that can be for a named year.
_YEAR_KINDS = frozenset({"figures", "ranking"})
_FIGURES = _rx(
    r"figures?|stats?|statistics|statistic|numbers|how many|offences?|offenses?|crimes|cases"
    r"|data|rate|rates|recorded|incidents?|arrests?|per (1000|person|head|capita|resident)"
    r"|how (bad|common|safe|prevalent|high|low)|common|prevalence|levels?|ranking|research\w*"
    r"|journalist|reporter|article|briefing|dissertation"
)
_HELP = _rx(
    r"help|helping|support|advice|advise|refuges?|shelters?|talk|speak|someone|anyone|services?"
    r"|helpline|counsell?ing|injunction|non molestation|leave (him|her|them)|escape|stay"
    r"|options|what (can|do|should) i do|who (can|do|should) i (call|talk|speak|contact)"
    r"|where (can|do) i (go|get|find)|abuse\w*|abusive|controlling|coercive|gaslight\w*"
    r"|scared|afraid|frightened|worried|hits? me|shout\w*|screams?|calls? me|victims?|survivors?"
    r"|(checks|checking|goes through|tracks) my|will not let me|takes? my|took my"
    r"|keeps (messaging|calling|texting|turning up|following)|stalk\w*|harass\w*|bruises?"
    r"|report (him|her|them|my)|worthless|believe me|signpost|nowhere to go|relationship"
    r"|violent|threaten\w*|pushed me|slaps? me|beats? me|smashed|local|leave me alone"
    r"|team|idva|marac|outreach"
    r"|left (him|her|them)|hitting|hit me|beating|beaten|battered|punch\w*|kick\w*"
    r"|(took|takes|take|taking|stole|steals) (all )?(of )?(my|our)|(keeps|kept|has) my"
    r"|(want|wants|need|needs|going|trying|try|plan|planning|ready|able|how) (do i |can i |to )?"
    r"(to )?leave(?! (this|the) (chat|conversation|bot))"
    rf"|{_MADE_TO_DELETE_WORDS}"
)
# The last word before "not understood": a message about a partner or about feeling trapped.
_ABOUT_THEM = _rx(
    rf"he|she|him|my {_PARTNER}|ex partner|who (else )?to (tell|turn to|talk to)"
    r"|(do not|dont) know what to do|going crazy|feel (trapped|alone|scared|unsafe|worthless)"
    r"|i need to talk|tell someone|what (is|counts as) (domestic )?(abuse|violence)"
    r"|(feel|am|m) (not )?safe|scared|afraid|frightened|terrified|trapped"
    r"|is (this|it|that) abuse|used to (hit|lock|beat|hurt|shout|scream|threaten|kick)"
    r"|as a (kid|child)|when i was (\d+|little|a kid|a child|young)|growing up"
    r"|(hit|hits|beat|beats|hurt|hurts) my (mum|mom|mother|dad|father)"
)
# Someone may read this chat on the phone: the privacy answer, before anything else
# ("could my husband find this chat?", "he reads my telegram when i'm asleep").
_PHONE_CHECKED = _rx(
    r"(find|see|read|know about|found|saw|sees|reads|check|checks) (this|these|the|our|my)"
    r" (chat|chats|conversation|telegram)|(reads|read|reading|checks|checking|looks at|goes"
    r" through|go through|went through) my (phone|telegram|messages)\b.{0,15}\b(at night|when i"
    r" am asleep|while i (sleep|am asleep)|when i sleep|in the night)|my telegram"
    r"|telegram (on|logged in)|logged in on (his|her|their|a|another)|lock screen"
    r"|(notifications?|previews?|messages) (show|pop|appear)|pop up on"
    r"|(if|when|once) i (delete|clear|erase|wipe)"
    r"|(can|could|will|would) (he|she|they|my \w+) (still )?(see|read|find) (my|these|this|the"
    r"|our) (messages|chat|chats|texts|conversation)"
)
_LIVE_HERE = re.compile(r"^(hi |hello |hiya )?(i|we) (live|am|stay|work) (in|near|at|around)\b")
_HELLO = (
    r"(hi|hello|hey|hiya|heya|helo|hallo|good (morning|afternoon|evening)|morning|evening|yo"
    r"|sup|alright|howdy|greetings|start)"
)
_GREETING = re.compile(
    rf"^{_HELLO}( {_HELLO})*( (there|bot|again|you|all))?"
    r"( (is )?(anyone|anybody|someone) there| are you there| you there)?$"
)
_THANKS = _rx(r"thanks?|thank you|thankyou|cheers|ta|appreciate \w+|grateful|that helps|helpful")
_NEUTRAL = re.compile(r"\bdomestic (abuse|violence)\b")


def _long_enough(alias: str) -> bool:
    """Short aliases are everyday words ("men"); numbers like 101 and 999 are not."""
    return len(alias) >= 4 or alias == "sbs" or (alias.isdigit() and len(alias) >= 3)


@dataclass(frozen=True, slots=True)
class Intent:
    """What a message asks for, and about which borough(s) and person."""

    kind: str
    boroughs: tuple[str, ...] = ()
    need: str | None = None
    service_id: str | None = None
    sub_region: str | None = None
    order: str | None = None  # highest, lowest or all: a ranking was asked for
    by_rate: bool = False
    arrests: bool = False  # about arrests, charges or outcomes
    year: int | None = None  # a year named for figures: the core answers from that period
    financial_year: bool = False  # year is the start of a financial year ("2022-23")
    monthly: bool = False  # a chart month by month
    choices: tuple[str, ...] = ()  # the place spans these boroughs: ask which, never guess
    place: str | None = None  # that place, or the place outside London, as we list it
    partly_outside: bool = False  # the place also reaches outside London


# Answers that depend on which borough: a place that spans boroughs gets a question first.
_BOROUGH_KINDS = frozenset({"figures", "trend", "chart", "compare", "help"})


class Understander:
    def __init__(self, gazetteer: Gazetteer, services: Iterable[Service]):
        self.gazetteer = gazetteer
        names = [
            (alias, service.id)
            for service in services
            for alias in (service.name, *service.aliases)
            if _long_enough(normalise(alias))
        ]
        gazetteer.ignore(alias for alias, _ in names)  # "Southall Black Sisters" is no place
        self.service_words = {s.id: set(words_of(s.name).split()) for s in services}
        self.service_names = sorted(
            ((words_of(alias), service_id) for alias, service_id in names),
            key=lambda pair: -len(pair[0]),
        )

    def read(self, text: str) -> Intent:
        said = words_of(text)
        places = self.gazetteer.find(text)
        if self.danger(said):
            return Intent("danger", places.boroughs, need=self._danger_need(said))
        if not said:
            return Intent("unknown")
        intent = self._kind(said, places)
        if intent.kind in _YEAR_KINDS:
            intent = self._with_year(intent, said)
        return self._placed(intent, places, said)

    @staticmethod
    def danger(said: str) -> bool:
        """Danger said or implied, in the straightened words of a message."""
        calm = _SAFE_NOW.sub(" ", said)
        if any(w in calm for w in ("999", "emergency", "follow", "how long", "find me")):
            calm = _NOT_DANGER.sub(" ", calm)
            # "how long do police take after a 999 call": the words between still count.
            calm = _HOW_LONG_999.sub(r" \1 ", calm)
        if _PLEA.match(calm):
            return True
        said_now = (
            _DANGER.search(calm)
            or _DANGER_INDIRECT.search(calm)
            or (_HURTING_OTHERS.search(calm) and _NOW.search(calm))
            or _ATTACK_NOW.search(calm)
            or (_CANT_TALK.search(calm) and _PRESENT.search(calm))
        )
        return bool(said_now) and not (_PAST.search(calm) and not _RECENT.search(calm))

    @staticmethod
    def _danger_need(said: str) -> str | None:
        """The specialist line a danger reply carries: a child, suicide, a man, stalking."""
        calm = _SAFE_NOW.sub(" ", said)
        return next((n for n in DANGER_NEEDS if _DANGER_NEED_WORDS[n].search(calm)), None)

    def _kind(self, said: str, places: Places) -> Intent:
        boroughs = places.boroughs
        if _PHONE_CHECKED.search(said):
            return Intent("privacy")
        if _LEAVE_ONLY.match(said) or (_LEAVE.search(said) and not _MADE_TO_DELETE.search(said)):
            return Intent("leave")
        if service_id := self._service(said):
            return Intent("service", boroughs, service_id=service_id)
        if _WHO_AM_I_ONLY.match(said) or _WHO_AM_I.search(said):
            return Intent("who_am_i")
        if _MENU.match(said):
            return Intent("menu")
        need = self._need(said)
        plain = _NEUTRAL.sub(" ", said)
        # ... unless it is about the figures ("where do the honour abuse figures come from").
        disclosed = (need or _DISCLOSED.search(plain)) and not _FIGURES.search(said)
        if not disclosed and _PRIVACY.search(said):
            return Intent("privacy")
        if not disclosed and _ABOUT.search(said):
            return Intent("about", boroughs)
        helping = bool(_HELP.search(plain))
        figures = bool(_FIGURES.search(said))
        arrests = bool(_ARRESTS.search(said))
        by_rate = bool(_RATE.search(_ARREST_RATE.sub(" ", said)))
        order = "highest" if _HIGHEST.search(said) else "lowest" if _LOWEST.search(said) else None
        region = _SUB_REGION.search(said)
        placed = bool(boroughs or places.unsure)
        if need:
            return Intent("help", boroughs, need=need)
        if _GREETING.match(said):  # the whole message is a hello
            return Intent("greeting")
        if region and not placed and (figures or not helping):
            return Intent("sub_region", sub_region=region[1].title(), by_rate=by_rate)
        inner_outer = _INNER_OUTER.search(said)
        if inner_outer and not placed and (figures or not helping):
            return Intent("sub_region", sub_region=inner_outer[1].title(), by_rate=by_rate)
        if boroughs and _MONTHLY.search(said) and not need:
            return Intent("chart", boroughs[:1], monthly=True)
        if _CHART.search(said):
            # With a borough, a chart is its trend unless they ask where it stands: a ranking.
            ranked = not boroughs or bool(order or _RANKING_CHART.search(said))
            return Intent(
                "chart", boroughs[:1], by_rate=by_rate, order=(order or "all") if ranked else None
            )
        # Every borough named is kept (the core notes those beyond two); a borough compared with
        # a place that spans boroughs ("compare W4 and croydon") asks which, never drops it.
        compared = _COMPARE.search(said)
        if (len(boroughs) >= 2 and (compared or figures or not helping)) or (
            len(boroughs) == 1 and places.unsure and compared
        ):
            return Intent("compare", boroughs, by_rate=by_rate, arrests=arrests)
        if placed and _TREND.search(said):
            return Intent("trend", boroughs[:1])
        if (helping and not figures) or (_LIVE_HERE.match(said) and not figures):
            return Intent("help", boroughs)
        if placed or places.outside:
            return Intent("figures", boroughs, by_rate=by_rate, arrests=arrests)
        if figures or ((order or _RANKING.search(said)) and _AREAS.search(said)):
            return Intent("ranking", order=order or "all", by_rate=by_rate, arrests=arrests)
        if helping:
            return Intent("help")
        if _THANKS.search(said):
            return Intent("thanks")
        if _ABOUT_THEM.search(said):
            return Intent("help")
        return Intent("unknown")

    @staticmethod
    def _with_year(intent: Intent, said: str) -> Intent:
        """The year named, if any: "2022-23" is a financial year, "2022" a calendar one."""
        financial = _FINANCIAL_YEAR.search(said)
        if financial:
            start, end = int(financial[1]), financial[2] or financial[3]
            if (start + 1) % 100 == int(end):
                return replace(intent, year=start, financial_year=True)
        year = _YEAR.search(said)
        return replace(intent, year=int(year[1])) if year else intent

    def _placed(self, intent: Intent, places: Places, said: str) -> Intent:
        """Outside London, or a place that spans boroughs: say so, or ask which."""
        kind = intent.kind
        local = kind in _BOROUGH_KINDS | {"ranking", "sub_region", "unknown"}
        somewhere_else = places.outside or _OUTSIDE_SAID.search(said)
        if local and somewhere_else and not places.boroughs and not places.unsure:
            name = places.outside[0] if places.outside else None
            return Intent("outside_london", need=intent.need, place=name)
        if kind not in _BOROUGH_KINDS or not places.unsure or intent.need:
            return intent
        if len(intent.boroughs) >= (2 if kind == "compare" else 1):
            return intent
        unsure = places.unsure[0]
        return Intent(
            "figures" if kind == "compare" and not intent.boroughs else kind,
            intent.boroughs,
            by_rate=intent.by_rate,
            arrests=intent.arrests,
            year=intent.year,
            financial_year=intent.financial_year,
            monthly=intent.monthly,
            choices=unsure.boroughs,
            place=unsure.name,
            partly_outside=unsure.partly_outside,
        )

    def _need(self, said: str) -> str | None:
        """The need that brings the most useful services; a friend's only when no other."""
        any_need = _ANY_NEED.search(said)  # else only the checks below the need's own words
        for need, pattern in _NEEDS.items():
            if not any_need:
                pass
            elif need == "suicide":
                if pattern.search(_SAFE_NOW.sub(" ", said)):
                    return need
            elif need == "child":
                if pattern.search(said) and not _ADULT.search(said):
                    return need
            elif need == "perpetrator":
                unclaimed = _CLAIMED.sub(" claims ", said)
                if pattern.search(unclaimed) and not _ABUSED_ME.search(unclaimed):
                    return need
            elif need != "friend" and pattern.search(said):
                return need
            if need == "lgbt" and _LGBT_PAIRS.search(said):
                return need
            if need == "honour" and _MARRIAGE.search(said) and _FAMILY_PRESSURE.search(said):
                return need
        if any_need and _NEEDS["friend"].search(said):
            return "friend"
        about_them = _FRIEND_VICTIM.search(said) or _FRIEND_WORRY.search(said)
        if _FRIEND_MENTION.search(said) and about_them and not _SELF_VICTIM.search(said):
            return "friend"
        return None

    def _service(self, said: str) -> str | None:
        """A service named on its own, or with a question about how to reach it."""
        padded = f" {said} "
        for name, service_id in self.service_names:
            if f" {name} " not in padded:
                continue
            rest = padded.replace(f" {name} ", " ").split()
            own = self.service_words[service_id]
            ask = _NUMBER_ASK if name.isdigit() else ()
            if _SERVICE_ASK.search(said) or all(
                w in _NAME_ONLY or w in own or w in ask for w in rest
            ):
                return service_id
        return None
