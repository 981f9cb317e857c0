"""Choose which services to show: local first, then London-wide, then national."""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Service

# Shown with every help answer; the rest depend on need and place.
CORE_HELPLINE = "national-helpline"
EMERGENCY_IDS = ("emergency", "silent-solution")
# Services that are about the call itself rather than support: never listed as "support".
_NOT_SUPPORT = {"emergency", "silent-solution", "deaf-emergency"}
NEEDS = ("men", "lgbt", "honour", "older", "minoritised", "deaf", "sexual", "perpetrator", "friend")


def _ordered(services: Iterable[Service]) -> list[Service]:
    return sorted(services, key=lambda s: s.rank)


def local(services: Iterable[Service], borough_code: str) -> list[Service]:
    return _ordered(s for s in services if borough_code in s.areas)


def london_wide(services: Iterable[Service]) -> list[Service]:
    return _ordered(s for s in services if "london" in s.areas and s.id not in _NOT_SUPPORT)


def for_need(services: Iterable[Service], need: str) -> list[Service]:
    return _ordered(s for s in services if need in s.needs)


def general(services: Iterable[Service]) -> list[Service]:
    """The national helpline first, then the London-wide services."""
    services = list(services)
    core = [s for s in services if s.id == CORE_HELPLINE]
    return core + [s for s in london_wide(services) if s.id != CORE_HELPLINE]
