"""Settle the places one message mentions into boroughs, places to ask about, and places
outside London: a place that spans boroughs is never guessed, unless another mention in the
same message settles it ("Chiswick W4"); a name in London and outside it ("Farnborough")
follows what the message says about London.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import Place


@dataclass(frozen=True, slots=True)
class Unsure:
    """A place that spans boroughs (or reaches outside London): ask, never guess."""

    name: str
    boroughs: tuple[str, ...]
    partly_outside: bool = False


@dataclass(frozen=True, slots=True)
class Places:
    """What a message says about places, in the order they were mentioned."""

    boroughs: tuple[str, ...] = ()
    unsure: tuple[Unsure, ...] = ()
    outside: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named at a word of the message."""

    start: int
    place: Place


def settle_twins(mentions: list[Mention], words: list[str]) -> list[Mention]:
    """A name in London and outside it: London when the message says so ("farnborough in
    london"), outside when it names somewhere else outside London ("farnborough, hampshire").
    A borough or postcode in the message settles it later, in resolve."""
    twins = [m for m in mentions if m.place.kind == "neighbourhood" and _partly(m.place)]
    if not twins:
        return mentions
    london = _london_said(words)
    elsewhere = london is False or any(not m.place.boroughs for m in mentions)
    in_london = bool(london)
    settled = []
    for m in mentions:
        if m in twins and (in_london or elsewhere):
            p = m.place
            boroughs, outside = (p.boroughs, "no") if in_london else ((), "yes")
            m = Mention(m.start, Place(p.name, p.kind, boroughs, outside, p.ordinary_word))
        settled.append(m)
    return settled


def _partly(place: Place) -> bool:
    return place.outside_london == "partly"


def _london_said(words: list[str]) -> bool | None:
    """ "in london": True; "outside london", "not in london": False; no London: None."""
    for i, word in enumerate(words):
        if word == "london":
            before = words[max(0, i - 2) : i]
            return not (before[-1:] in (["outside"], ["of"]) or before == ["not", "in"])
    return None


def resolve(mentions: list[Mention]) -> Places:
    """Settled boroughs in order; a spanning place another mention settles is dropped."""
    sure = [m.place.boroughs[0] for m in mentions if _is_sure(m.place)]
    boroughs: list[str] = list(sure)
    unsure: list[Unsure] = []
    outside: list[str] = []
    spanning = [m.place for m in mentions if m.place.boroughs and not _is_sure(m.place)]
    for place in spanning:
        if any(code in sure for code in place.boroughs):
            continue
        common = set(place.boroughs)
        for other in spanning:
            if other is not place:
                narrowed = common & set(other.boroughs)
                common = narrowed or common
        if len(common) == 1 and common != set(place.boroughs):
            boroughs.append(next(iter(common)))
            continue
        item = Unsure(place.name, place.boroughs, place.outside_london == "partly")
        if item not in unsure:
            unsure.append(item)
    for m in mentions:
        if not m.place.boroughs and m.place.name not in outside:
            outside.append(m.place.name)
    order = {code: i for i, code in enumerate(_order(mentions))}
    ordered = sorted(dict.fromkeys(boroughs), key=lambda c: order.get(c, len(order)))
    return Places(tuple(ordered), tuple(unsure), tuple(outside))


def _is_sure(place: Place) -> bool:
    return len(place.boroughs) == 1 and place.outside_london != "partly"


def _order(mentions: list[Mention]) -> list[str]:
    return [code for m in mentions for code in m.place.boroughs]
