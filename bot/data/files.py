"""The files of data/ that are optional or written by the bot, and their columns."""

from __future__ import annotations

# Written by `helpline-bot data import-mps` (bot/data/mps_import.py); absent until a first import.
MPS_IMPORTS_FILE = "mps_imports.csv"
MPS_MONTHS_FILE = "mps_months.csv"
MPS_IMPORT_COLUMNS = (  # provenance of each import, one row per file
    "id",
    "name",
    "publisher",
    "url",
    "note",
    "file_name",
    "file_sha256",
    "refresh_date",
    "imported_at",
    "rows_read",
    "rows_used",
    "first_month",
    "last_month",
    "licence",
    "obtained",  # how the operator got the file (a download, a copy), in their words
)
MPS_MONTH_COLUMNS = ("borough_code", "month", "measure", "count", "import_id")
SOURCE_COLUMNS = ("id", "name", "publisher", "url", "note", "licence")
# Census populations beyond boroughs.csv's 2011 column (optional): rates use the nearest year.
POPULATIONS_FILE = "populations.csv"
POPULATION_COLUMNS = ("borough_code", "year", "count", "source_id")
# Place names beside boroughs.csv: each optional, read when present.
POSTCODE_DISTRICTS_FILE = "postcode_districts.csv"
NEIGHBOURHOODS_FILE = "neighbourhoods.csv"
OUTSIDE_LONDON_FILE = "places_outside_london.csv"
