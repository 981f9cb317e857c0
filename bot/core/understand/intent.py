"""What a message asks for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.signpost import Need
from bot.domain.models import IntentKind

# A ranking asked for: the highest, the lowest, or every borough.
Order = Literal["highest", "lowest", "all"]


@dataclass(frozen=True, slots=True)
class Intent:
    """What a message asks for, and about which borough(s) and person."""

    kind: IntentKind
    boroughs: tuple[str, ...] = ()
    need: Need | None = None
    service_id: str | None = None
    sub_region: str | None = None
    order: Order | None = None  # highest, lowest or all: a ranking was asked for
    by_rate: bool = False
    arrests: bool = False  # about arrests, charges or outcomes
    year: int | None = None  # a year named for figures: the core answers from that period
    financial_year: bool = False  # year is the start of a financial year ("2022-23")
    monthly: bool = False  # a chart month by month
    choices: tuple[str, ...] = ()  # the place spans these boroughs: ask which, never guess
    place: str | None = None  # that place, or the place outside London, as we list it
    partly_outside: bool = False  # the place also reaches outside London
    language: str | None = None  # a language chosen with its button (the session keeps it)
