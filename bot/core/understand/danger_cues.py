"""Danger from independent cues, for wordings no phrase rule has seen.

A message is read for families of cues, each a short list of plain words rather than whole
phrases: someone (he, my ex, her boyfriend, someone), where they are (outside, downstairs, on
his way, found where I live), when (now, tonight, just, still), harm and its means (kill,
strangle, knife, petrol, pills), medicine withheld, being trapped, fear, not able to talk,
children taken, someone else attacked, a threat said, a finality, a plea; and the cues that
say it is not danger now (the past, a question about what someone should do, the figures,
something arranged, safe now). Each family found is one feature, and so is each pair of
families found together; a logistic model weighs them (danger_weights.json, fitted by
bench/danger_fit.py on the labelled corpus, measured there leaving one batch out).
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from bot.core.understand.danger_families import FAMILIES
from bot.core.understand.rules import rx

# Written by bench/danger_fit.py: never edited by hand, refitted.
_MODEL = json.loads(Path(__file__).with_name("danger_weights.json").read_text(encoding="utf-8"))
BIAS: float = _MODEL["bias"]
THRESHOLD: float = _MODEL["threshold"]  # log-odds: danger when the weighed cues reach it
WEIGHTS: dict[str, float] = _MODEL["weights"]


NAMES = (*FAMILIES, "short")
# Look-alikes the weights cannot learn from the corpus: control online, medicine as usual,
# idioms. The cue model never calls these danger; the phrase rules still can.
LOOK_ALIKE = rx(
    # money taken: economic abuse, asked about calmly
    r"(takes|took|taking|has|keeps) my (pension|benefits|wages|savings|salary|money)"
    r" (every|each|and)",
    r"(reply|replying|answer|answering|respond\w*) to (his|her|their|my) (texts|messages|calls)"
    r"|every (move|step)(?!( \w+)* (just|now|tonight|outside|here)\b)|(to|from|at) the (pharmacy"
    r"|chemist|doctor|doctors|gp|surgery)"
    r"|prescription|as prescribed|(take|took|taken|taking) my (\w+ )?(pills|meds|medication"
    r"|tablets|inhaler|insulin) (this|every|each|at|in the|with)"
    r"|(take|taking|took|takes) (me|you|him|her|them|us) to court|court (case|date|hearing)"
    r"|(worried|concerned) about (the|my|a|some|these|our|his|her) (\w+ )?(children|kids|child"
    r"|baby|neighbours?)|eggshells|held (responsible|accountable|back)"
    r"|(emergency|temporary) (accommodation|housing|refuge|shelter)|over between us"
    r"|as (a )?punishment"
    r"|(relationship|marriage|it) is over between",
)


def cues(said: str) -> tuple[str, ...]:
    """The cue families found in a message's plain words (words.words_of), in NAMES order;
    "short" for a message of four words or fewer ("please help", "he's here")."""
    found = tuple(name for name, family in FAMILIES.items() if family.search(said))
    return (*found, "short") if said.count(" ") < 4 else found


# The cues alone say danger only with one of these: someone near, harm, medicine, being
# trapped, fear, silence, children taken, a finality, a plea, their own life, danger named.
_SUBSTANCE = frozenset(
    {"near", "harm", "withheld", "trapped", "fear", "silent", "taken", "final", "plea", "self"}
    | {"alarm", "services", "wedding"}
)


def features(found: tuple[str, ...], said: str) -> set[str]:
    """Each family found, each pair found together ("actor+near"), and each word ("w:knife")."""
    pairs = (f"{a}+{b}" for a, b in combinations(found, 2))
    return {*found, *pairs, *(f"w:{w}" for w in said.split())}


# Something arranged ("coming to pick up the kids tomorrow") or someone gone or kept away
# ("he slammed the door and left") is not danger now by the cues, unless harm, a finality,
# danger named, being trapped, not able to talk or children taken comes with it.
_ASKING = frozenset({"plea", "services"})
_STILL_DANGER = frozenset(
    {"harm", "final", "alarm", "self", "trapped", "silent", "taken", "wedding"}
)


_INGESTED = rx(r"swallow\w*|drugg\w*|spik\w*|slipp\w*|put\w* something|something in (my|the)")


def says_danger(score: float, found: tuple[str, ...], said: str, threshold: float) -> bool:
    """The cues say danger: weighed enough, with substance, not a known look-alike, and not
    only something arranged or someone gone."""
    if score < threshold or _SUBSTANCE.isdisjoint(found) or LOOK_ALIKE.search(said):
        return False
    # A plea or the police named, with nobody and nothing else of substance ("help in N4",
    # "police number please"): a bare plea is danger.PLEA's to judge, the rest is a request.
    if _SUBSTANCE.intersection(found) <= _ASKING and "actor" not in found:
        return False
    # "won't let", "took", "made me" are withheld or forced medicine only with medicine named,
    # or something swallowed, slipped or spiked.
    only_withheld = _SUBSTANCE.intersection(found) == {"withheld"} and "meds" not in found
    if only_withheld and not _INGESTED.search(said):
        return False
    calming = "arranged" in found or "safe" in found
    return not calming or not _STILL_DANGER.isdisjoint(found)


# One scan for any family of substance: without one the cues never say danger, so most
# questions about figures are done with here.
_ANY_SUBSTANCE = rx(*("|".join(FAMILIES[name].alternatives) for name in sorted(_SUBSTANCE)))


def score(found: tuple[str, ...], said: str) -> float:
    """The model's log-odds that this is danger now."""
    return BIAS + sum(WEIGHTS.get(f, 0.0) for f in features(found, said))


def danger_by_cues(said: str) -> bool:
    """The cues alone say danger (never for a known look-alike, never without substance)."""
    if not _ANY_SUBSTANCE.search(said):
        return False
    found = cues(said)
    return says_danger(score(found, said), found, said, THRESHOLD)
