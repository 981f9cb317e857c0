"""The Met's names: the dataset, its columns, and the crime type and measures we keep."""

from __future__ import annotations

import re

from bot.domain.kinds import Measure

DATASET_URL = "https://data.london.gov.uk/dataset/mps-monthly-crime-dahboard-data"
DATASET_NAME = "MPS Monthly Crime Dashboard Data (Other Crime Data)"
PUBLISHER = "Metropolitan Police Service, via the London Datastore"

# Crime Type and Crime Subtype, as the Met spells them; rows are compared in plain form.
CRIME_TYPE = "Domestic Abuse"
CRIME_TYPE_PLAIN = CRIME_TYPE.lower()  # as parsing.plain() reads a row's Crime Type
# The subtype that means all domestic abuse (not one kind, such as violence with injury).
ALL_SUBTYPES = {CRIME_TYPE_PLAIN, f"{CRIME_TYPE_PLAIN} all", f"all {CRIME_TYPE_PLAIN}"}
# The Met's Measure names for ours, as it publishes them, then how rows spell them (plain).
MEASURE_NAMES = {Measure.OFFENCES: "Offences", Measure.POSITIVE_OUTCOMES: "Positive Outcomes"}
MEASURES = {
    "offences": Measure.OFFENCES,
    "offence": Measure.OFFENCES,
    "positive outcomes": Measure.POSITIVE_OUTCOMES,
    "positive outcome": Measure.POSITIVE_OUTCOMES,
}
# What we keep, in words: in refusals and in the provenance note.
KEPT_ROWS = f"Crime Type and Subtype {CRIME_TYPE!r}"

# Our column -> header spellings seen in the Met's files (compared after parsing.header()).
HEADERS = {
    "month": ("month_year", "month"),
    "area_type": ("area_type",),
    "borough": ("borough_snt", "borough"),
    "area_name": ("area_name",),
    "area_code": ("area_code",),
    "crime_type": ("crime_type", "offence_group"),
    "crime_subtype": ("crime_subtype", "offence_subgroup"),
    "measure": ("measure",),
    "count": ("count",),
    "refresh": ("refresh_date",),
}
# The columns we need, by the names the Met publishes them under.
REQUIRED = {
    "month": "Month_Year",
    "area_type": "Area Type",
    "borough": "Borough_SNT",
    "crime_type": "Crime Type",
    "crime_subtype": "Crime Subtype",
    "measure": "Measure",
    "count": "Count",
}
# Rows with Area Type "Borough" that are not boroughs (the Met's own units).
NOT_BOROUGHS = re.compile(r"^(aviation security.*|other nk|other|nk|not known|unknown|heathrow)$")
