"""The fixed sets of values the data holds, named once: measures, place kinds, statuses.

StrEnum members compare equal to their strings, so `figure.measure == "offences"` keeps
working; Literal types where the core builds values itself from plain literals.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

# The police force whose figures the bot gives (boroughs.csv's police_force column).
MET_POLICE = "Metropolitan Police"


class Measure(StrEnum):
    """What a count counts (offences.csv and mps_months.csv's measure column)."""

    OFFENCES = "offences"  # the default, and the only measure of older imports
    POSITIVE_OUTCOMES = "positive_outcomes"


class ServiceStatus(StrEnum):
    """Whether a service's details were confirmed at its source (services.csv)."""

    CONFIRMED = "CONFIRMED"
    UNCONFIRMED = "UNCONFIRMED"


# boroughs.csv's inner_outer and sub_region columns (the London Plan's groupings).
InnerOuter = Literal["Inner", "Outer"]
SubRegion = Literal["Central", "East", "North", "South", "West"]
# "district" (a postcode district), "neighbourhood", "outside" (outside London); the core's
# gazetteer adds "borough".
PlaceKind = Literal["borough", "district", "neighbourhood", "outside"]
# Whether a place lies outside London: wholly, partly (a name used on both sides) or not.
OutsideLondon = Literal["no", "partly", "yes"]
