"""Checks for the place names beside boroughs.csv: postcode districts, neighbourhoods and
places outside London (each file optional)."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any, get_args

from bot.data.checks.checker import Checker
from bot.data.files import NEIGHBOURHOODS_FILE, OUTSIDE_LONDON_FILE, POSTCODE_DISTRICTS_FILE
from bot.domain.cells import split_list
from bot.domain.kinds import OutsideLondon, PlaceKind

_POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d{1,2}[A-Z]?$")
OUTSIDE_LONDON: frozenset[str] = frozenset(get_args(OutsideLondon))
YES_NO = {"yes": True, "no": False}
OUTSIDE_KINDS = {"nation", "county", "city", "town"}  # places_outside_london.csv's kind


def check_places(c: Checker, codes: set[str]) -> list[dict[str, Any]]:
    """Every place name from the files that are present, as rows of the places table."""
    out: list[dict[str, Any]] = []
    if c.has(POSTCODE_DISTRICTS_FILE):
        out += _check_postcode_districts(c, codes)
    if c.has(NEIGHBOURHOODS_FILE):
        out += _check_neighbourhoods(c, codes)
    if c.has(OUTSIDE_LONDON_FILE):
        out += _check_outside_london(c)
    return out


def _place_boroughs(
    c: Checker, file: str, line: int, value: str, codes: set[str]
) -> list[str] | None:
    boroughs = split_list(value)
    unknown = [code for code in boroughs if code not in codes]
    for code in unknown:
        c.fail(file, line, f"unknown borough {code!r}")
    return None if unknown else boroughs


def _yes_no(c: Checker, file: str, line: int, column: str, value: str) -> bool | None:
    if value not in YES_NO:
        c.fail(file, line, f"{column} must be yes or no, not {value!r}")
        return None
    return YES_NO[value]


def _check_postcode_districts(c: Checker, codes: set[str]) -> list[dict[str, Any]]:
    file, out = POSTCODE_DISTRICTS_FILE, []
    seen: dict[Hashable, int] = {}
    for line, row in c.read(file, ("district", "boroughs", "outside_london", "note", "source")):
        if not c.required(file, line, row, "district", "outside_london", "source"):
            continue
        ok = True
        if not _POSTCODE_DISTRICT.match(row["district"]):
            c.fail(file, line, f"district {row['district']!r} is not a postcode district like SE1")
            ok = False
        boroughs = _place_boroughs(c, file, line, row["boroughs"], codes)
        outside = row["outside_london"]
        if outside not in OUTSIDE_LONDON:
            c.fail(file, line, f"outside_london must be no, partly or yes, not {outside!r}")
            ok = False
        elif boroughs is not None and (outside == "yes") == bool(boroughs):
            c.fail(file, line, "boroughs must be empty exactly when outside_london is yes")
            ok = False
        if ok and boroughs is not None and c.unique(file, line, seen, row["district"], "district"):
            out.append(_place(row["district"], "district", boroughs, outside, False, row))
    return out


def _check_neighbourhoods(c: Checker, codes: set[str]) -> list[dict[str, Any]]:
    file, out = NEIGHBOURHOODS_FILE, []
    seen: dict[Hashable, int] = {}
    for line, row in c.read(file, ("name", "boroughs", "ordinary_word", "note", "source")):
        if not c.required(file, line, row, "name", "boroughs", "ordinary_word", "source"):
            continue
        boroughs = _place_boroughs(c, file, line, row["boroughs"], codes)
        ordinary = _yes_no(c, file, line, "ordinary_word", row["ordinary_word"])
        if (
            boroughs is not None
            and ordinary is not None
            and c.unique(file, line, seen, row["name"].lower(), f"name {row['name']!r}")
        ):
            out.append(_place(row["name"], "neighbourhood", boroughs, "no", ordinary, row))
    return out


def _check_outside_london(c: Checker) -> list[dict[str, Any]]:
    file, out = OUTSIDE_LONDON_FILE, []
    seen: dict[Hashable, int] = {}
    for line, row in c.read(file, ("name", "kind", "ordinary_word", "source")):
        if not c.required(file, line, row, "name", "kind", "ordinary_word", "source"):
            continue
        ok = row["kind"] in OUTSIDE_KINDS
        if not ok:
            c.fail(file, line, f"kind must be one of {', '.join(sorted(OUTSIDE_KINDS))}")
        ordinary = _yes_no(c, file, line, "ordinary_word", row["ordinary_word"])
        if (
            ok
            and ordinary is not None
            and c.unique(file, line, seen, row["name"].lower(), f"name {row['name']!r}")
        ):
            out.append(_place(row["name"], "outside", [], "yes", ordinary, row))
    return out


def _place(
    name: str,
    kind: PlaceKind,
    boroughs: list[str],
    outside: str,
    ordinary: bool,
    row: dict[str, str],
) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "boroughs": boroughs,
        "outside_london": outside,
        "ordinary_word": ordinary,
        "note": row.get("note", ""),
        "source": row["source"],
    }
