"""Checks for sources.csv, boroughs.csv and populations.csv: who said it, and where."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any, get_args

from bot.data.checks.checker import Checker
from bot.data.files import POPULATION_COLUMNS, POPULATIONS_FILE, SOURCE_COLUMNS
from bot.domain.kinds import InnerOuter, SubRegion

_GSS_CODE = re.compile(r"^E09\d{6}$")
SUB_REGIONS: frozenset[str] = frozenset(get_args(SubRegion))
INNER_OUTER: frozenset[str] = frozenset(get_args(InnerOuter))


def check_sources(c: Checker) -> list[dict[str, Any]]:
    file, out = "sources.csv", []
    seen: dict[Hashable, int] = {}
    for line, row in c.read(file, ("id", "name", "publisher", "url", "note")):
        if c.required(file, line, row, "id", "name", "publisher") and c.unique(
            file, line, seen, row["id"], f"source id {row['id']!r}"
        ):
            out.append({column: row.get(column, "") for column in SOURCE_COLUMNS})
    return out


def check_boroughs(c: Checker) -> list[dict[str, Any]]:
    file, out = "boroughs.csv", []
    seen: dict[Hashable, int] = {}
    columns = ("code", "name", "inner_outer", "sub_region", "population_2011", "police_force")
    for line, row in c.read(file, (*columns, "aliases")):
        if not c.required(file, line, row, *columns):
            continue
        ok = True
        if not _GSS_CODE.match(row["code"]):
            c.fail(file, line, f"code {row['code']!r} is not a London borough GSS code (E09…)")
            ok = False
        if row["inner_outer"] not in INNER_OUTER:
            c.fail(file, line, f"inner_outer must be Inner or Outer, not {row['inner_outer']!r}")
            ok = False
        if row["sub_region"] not in SUB_REGIONS:
            c.fail(file, line, f"unknown sub_region {row['sub_region']!r}")
            ok = False
        population = c.whole_number(file, line, "population_2011", row["population_2011"])
        if population == 0:
            c.fail(file, line, "population_2011 is 0")
        if not population:
            ok = False
        if ok and c.unique(file, line, seen, row["code"], f"borough {row['code']}"):
            out.append(row | {"population_2011": population})
    return out


def check_populations(
    c: Checker, boroughs: list[dict[str, Any]], source_ids: set[str]
) -> list[dict[str, Any]]:
    """Census 2011 from boroughs.csv, then any other census year from populations.csv."""
    out: list[dict[str, Any]] = [
        {
            "borough_code": row["code"],
            "year": 2011,
            "count": row["population_2011"],
            "source_id": "ons-census-2011",
        }
        for row in boroughs
    ]
    if not c.has(POPULATIONS_FILE):
        return out
    file, codes = POPULATIONS_FILE, {row["code"] for row in boroughs}
    seen: dict[Hashable, int] = {(row["borough_code"], 2011): 0 for row in out}
    for line, row in c.read(file, POPULATION_COLUMNS):
        if not c.required(file, line, row, *POPULATION_COLUMNS):
            continue
        ok = True
        if row["borough_code"] not in codes:
            c.fail(file, line, f"unknown borough {row['borough_code']!r}")
            ok = False
        if not c.known_source(file, line, row["source_id"], source_ids):
            ok = False
        year = c.whole_number(file, line, "year", row["year"])
        count = c.whole_number(file, line, "count", row["count"])
        if count == 0:
            c.fail(file, line, "count is 0")
        if year is not None and not 1801 <= year <= 2100:
            c.fail(file, line, f"year {year} is not a census year")
            ok = False
        key = (row["borough_code"], year)
        if ok and year and count and c.unique(file, line, seen, key, "borough and year"):
            out.append(row | {"year": year, "count": count})
    return out
