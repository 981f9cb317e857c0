"""Choose which services to show: local first, then London-wide, then national."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.models import Service

# Shown with every help answer; the rest depend on need and place.
CORE_HELPLINE = "national-helpline"
EMERGENCY_IDS = ("emergency", "silent-solution")
# Services that are about the call itself rather than support: never listed as "support".
_NOT_SUPPORT = {"emergency", "silent-solution", "deaf-emergency"}
NEEDS = (
    "men", "lgbt", "honour", "older", "minoritised", "deaf", "sexual", "perpetrator", "friend",
    "child", "child_worry", "suicide", "stalking", "legal", "no_call", "is_abuse", "leaving",
)  # fmt: skip
# The needs offered as buttons under a general help answer (the rest are read from words).
NEED_BUTTONS = (
    "men", "lgbt", "honour", "older", "minoritised", "deaf", "sexual", "perpetrator", "friend",
    "child", "suicide", "stalking",
)  # fmt: skip
# Someone who cannot phone: only text, online and BSL routes, nothing that needs a voice.
VOICE_FREE = frozenset({"deaf", "no_call"})
# Needs a danger reply carries a line for: danger never hides the specialist service.
DANGER_NEEDS = ("child", "suicide", "men", "stalking")


def _ordered(services: Iterable[Service]) -> list[Service]:
    return sorted(services, key=lambda s: s.rank)


def local(services: Iterable[Service], borough_code: str) -> list[Service]:
    return _ordered(s for s in services if borough_code in s.areas)


def london_wide(services: Iterable[Service]) -> list[Service]:
    return _ordered(s for s in services if "london" in s.areas and s.id not in _NOT_SUPPORT)


def for_need(services: Iterable[Service], need: str) -> list[Service]:
    return _ordered(s for s in services if need in s.needs)


# Needs whose people a women-only service cannot help.
_NOT_FOR_WOMEN_ONLY = {"men", "perpetrator"}


def women_only(service: Service) -> bool:
    return "women" in service.needs and "general" not in service.needs


def general(services: Iterable[Service], need: str | None = None) -> list[Service]:
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
