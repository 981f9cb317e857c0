"""Choose which services to show: local first, then London-wide, then national."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from bot.domain.models import Service

# Shown with every help answer; the rest depend on need and place.
CORE_HELPLINE = "national-helpline"
# Services that are about the call itself rather than support: never listed as "support".
_NOT_SUPPORT = {"emergency", "silent-solution", "deaf-emergency"}


class Need(StrEnum):
    """Who the help is for, as data/services.csv's needs column names it."""

    MEN = "men"
    LGBT = "lgbt"
    HONOUR = "honour"
    OLDER = "older"
    MINORITISED = "minoritised"
    DEAF = "deaf"
    SEXUAL = "sexual"
    PERPETRATOR = "perpetrator"
    FRIEND = "friend"
    CHILD = "child"  # a child or young person writing
    CHILD_WORRY = "child_worry"  # an adult worried about a child
    SUICIDE = "suicide"
    STALKING = "stalking"
    LEGAL = "legal"
    NO_CALL = "no_call"
    IS_ABUSE = "is_abuse"
    LEAVING = "leaving"


NEEDS = tuple(Need)
# The needs offered as buttons under a general help answer (the rest are read from words).
NEED_BUTTONS = (
    Need.MEN, Need.LGBT, Need.HONOUR, Need.OLDER, Need.MINORITISED, Need.DEAF, Need.SEXUAL,
    Need.PERPETRATOR, Need.FRIEND, Need.CHILD, Need.SUICIDE, Need.STALKING,
)  # fmt: skip
# Someone who cannot phone: only text, online and BSL routes, nothing that needs a voice.
VOICE_FREE = frozenset({Need.DEAF, Need.NO_CALL})
# Needs a danger reply carries a line for: danger never hides the specialist service.
DANGER_NEEDS = (Need.CHILD, Need.SUICIDE, Need.MEN, Need.STALKING)


def _ordered(services: Iterable[Service]) -> list[Service]:
    return sorted(services, key=lambda s: s.rank)


def local(services: Iterable[Service], borough_code: str) -> list[Service]:
    return _ordered(s for s in services if borough_code in s.areas)


def london_wide(services: Iterable[Service]) -> list[Service]:
    return _ordered(s for s in services if "london" in s.areas and s.id not in _NOT_SUPPORT)


def for_need(services: Iterable[Service], need: Need) -> list[Service]:
    return _ordered(s for s in services if need in s.needs)


# Needs whose people a women-only service cannot help.
_NOT_FOR_WOMEN_ONLY = {Need.MEN, Need.PERPETRATOR}


def women_only(service: Service) -> bool:
    return "women" in service.needs and "general" not in service.needs


def general(services: Iterable[Service], need: Need | None = None) -> list[Service]:
    """The national helpline first, then the London-wide services that fit the need.

    None for someone who cannot phone: every one of these needs a voice.
    """
    if need in VOICE_FREE:
        return []
    services = list(services)
    core = [s for s in services if s.id == CORE_HELPLINE]
    wider = [s for s in london_wide(services) if s.id != CORE_HELPLINE]
    if need in _NOT_FOR_WOMEN_ONLY:
        wider = [s for s in wider if not women_only(s)]
    return core + wider
