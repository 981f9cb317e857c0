"""Check data/*.csv and build the SQLite store from them, swapping it in atomically."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain import periods

if TYPE_CHECKING:  # imported in build(): it loads numpy, ~14 MB the bot never needs
    import sqlite_utils

SCHEMA_VERSION = "4"
ABANDONED_AFTER_S = 3600  # a half-built store this old was left by a build that died
DATA_FILES = ("sources.csv", "boroughs.csv", "offences.csv", "findings.csv", "services.csv")
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

_GSS_CODE = re.compile(r"^E09\d{6}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CHECKED_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")
_PHONE = re.compile(r"^[0-9 ]+$")
SUB_REGIONS = {"Central", "East", "North", "South", "West"}
STATUSES = {"CONFIRMED", "UNCONFIRMED"}
WIDE_AREAS = {"national", "london"}
MET = "Metropolitan Police"
# The replies name these services directly (999, Silent Solution, the national helpline).
REQUIRED_SERVICES = {"emergency", "silent-solution", "deaf-emergency", "national-helpline"}
# Place names beside boroughs.csv: each optional, read when present.
POSTCODE_DISTRICTS_FILE = "postcode_districts.csv"
NEIGHBOURHOODS_FILE = "neighbourhoods.csv"
OUTSIDE_LONDON_FILE = "places_outside_london.csv"
_POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d{1,2}[A-Z]?$")
OUTSIDE_LONDON = {"no", "partly", "yes"}
YES_NO = {"yes": True, "no": False}
OUTSIDE_KINDS = {"nation", "county", "city", "town"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


class DataError(Exception):
    """data/ does not pass its checks; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[DataError], tuple[list[Problem]]]:
        # Raised in a child process (bot.domain.child) and pickled back: keep the problems.
        return (DataError, (self.problems,))


@dataclass
class Rows:
    """Rows of every data file, each with the line it came from, once checked."""

    tables: dict[str, list[dict]] = field(default_factory=dict)


class _Checker:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.problems: list[Problem] = []

    def fail(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(f"data/{file}", line, message))

    def read(self, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        path = self.data_dir / name
        if not path.is_file():
            self.fail(name, 0, "file is missing")
            return
        try:
            handle = path.open(newline="", encoding="utf-8")
        except OSError as error:
            self.fail(name, 0, f"cannot be read ({error.strerror})")
            return
        with handle:
            try:
                reader = csv.DictReader(handle)
                header = reader.fieldnames or []
                missing = [column for column in required if column not in header]
                if missing:
                    self.fail(name, 1, f"missing column(s): {', '.join(missing)}")
                    return
                for row in reader:
                    line = reader.line_num
                    if None in row:
                        self.fail(name, line, "more values than columns (an unquoted comma?)")
                        continue
                    if any(value is None for value in row.values()):
                        self.fail(name, line, "fewer values than columns")
                        continue
                    yield line, {key: value.strip() for key, value in row.items()}
            except (csv.Error, UnicodeDecodeError) as error:
                self.fail(name, getattr(reader, "line_num", 0), f"not valid CSV ({error})")

    def required(self, file: str, line: int, row: dict[str, str], *columns: str) -> bool:
        empty = [column for column in columns if not row[column]]
        for column in empty:
            self.fail(file, line, f"{column} is empty")
        return not empty

    def whole_number(self, file: str, line: int, column: str, value: str) -> int | None:
        if not re.fullmatch(r"-?\d+", value):
            self.fail(file, line, f"{column} is not a whole number ({value!r})")
            return None
        number = int(value)
        if number < 0:
            self.fail(file, line, f"{column} is negative ({number})")
            return None
        return number

    def unique(self, file: str, line: int, seen: dict, key: object, what: str) -> bool:
        if key in seen:
            self.fail(file, line, f"duplicate {what} (first on line {seen[key]})")
            return False
        seen[key] = line
        return True


def check(data_dir: Path) -> Rows:
    """Read and validate every file; raise DataError naming each bad file and line."""
    checker = _Checker(data_dir)
    rows = Rows()
    rows.tables["sources"] = _check_sources(checker)
    source_ids = {row["id"] for row in rows.tables["sources"]}
    rows.tables["boroughs"] = _check_boroughs(checker)
    codes = {row["code"] for row in rows.tables["boroughs"]}
    rows.tables["populations"] = _check_populations(checker, rows.tables["boroughs"], source_ids)
    met_codes = {r["code"] for r in rows.tables["boroughs"] if r["police_force"] == MET}
    rows.tables["offences"] = _check_offences(checker, codes, met_codes, source_ids)
    rows.tables["findings"] = _check_findings(checker, codes, source_ids)
    rows.tables["services"] = _check_services(checker, codes)
    _check_mps(checker, rows, source_ids)
    rows.tables["places"] = _check_places(checker, codes)
    if checker.problems:
        raise DataError(checker.problems)
    return rows


def _check_sources(c: _Checker) -> list[dict]:
    file, out, seen = "sources.csv", [], {}
    for line, row in c.read(file, ("id", "name", "publisher", "url", "note")):
        if c.required(file, line, row, "id", "name", "publisher") and c.unique(
            file, line, seen, row["id"], f"source id {row['id']!r}"
        ):
            out.append({column: row.get(column, "") for column in SOURCE_COLUMNS})
    return out


def _check_populations(c: _Checker, boroughs: list[dict], source_ids: set[str]) -> list[dict]:
    """Census 2011 from boroughs.csv, then any other census year from populations.csv."""
    out = [
        {
            "borough_code": row["code"],
            "year": 2011,
            "count": row["population_2011"],
            "source_id": "ons-census-2011",
        }
        for row in boroughs
    ]
    if not (c.data_dir / POPULATIONS_FILE).exists():
        return out
    file, codes = POPULATIONS_FILE, {row["code"] for row in boroughs}
    seen: dict = {(row["borough_code"], 2011): 0 for row in out}
    for line, row in c.read(file, POPULATION_COLUMNS):
        if not c.required(file, line, row, *POPULATION_COLUMNS):
            continue
        ok = True
        if row["borough_code"] not in codes:
            c.fail(file, line, f"unknown borough {row['borough_code']!r}")
            ok = False
        if row["source_id"] not in source_ids:
            c.fail(file, line, f"unknown source {row['source_id']!r} (add it to sources.csv)")
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


def _check_boroughs(c: _Checker) -> list[dict]:
    file, out, seen = "boroughs.csv", [], {}
    columns = ("code", "name", "inner_outer", "sub_region", "population_2011", "police_force")
    for line, row in c.read(file, (*columns, "aliases")):
        if not c.required(file, line, row, *columns):
            continue
        ok = True
        if not _GSS_CODE.match(row["code"]):
            c.fail(file, line, f"code {row['code']!r} is not a London borough GSS code (E09…)")
            ok = False
        if row["inner_outer"] not in {"Inner", "Outer"}:
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


def _check_offences(
    c: _Checker, codes: set[str], met_codes: set[str], source_ids: set[str]
) -> list[dict]:
    file, out, seen = "offences.csv", [], {}
    columns = (
        "borough_code",
        "period",
        "period_label",
        "period_start",
        "period_end",
        "partial",
        "measure",
        "count",
        "source_id",
    )
    for line, row in c.read(file, columns):
        if not c.required(file, line, row, *columns):
            continue
        ok = True
        if row["borough_code"] not in codes:
            c.fail(file, line, f"unknown borough {row['borough_code']!r}")
            ok = False
        elif row["borough_code"] not in met_codes:
            # Rankings and rates are among the Met's boroughs; its figures never include these.
            c.fail(file, line, f"{row['borough_code']} is not policed by the Metropolitan Police")
            ok = False
        if row["source_id"] not in source_ids:
            c.fail(file, line, f"unknown source {row['source_id']!r} (add it to sources.csv)")
            ok = False
        for column in ("period_start", "period_end"):
            if not _YEAR_MONTH.match(row[column]):
                c.fail(file, line, f"{column} must look like 2008-01, not {row[column]!r}")
                ok = False
        if ok and row["period_start"] > row["period_end"]:
            c.fail(file, line, "period_start is after period_end")
            ok = False
        if row["partial"] not in {"0", "1"}:
            c.fail(file, line, f"partial must be 0 or 1, not {row['partial']!r}")
            ok = False
        count = c.whole_number(file, line, "count", row["count"])
        key = (row["borough_code"], row["period"], row["measure"])
        if (
            ok
            and count is not None
            and c.unique(file, line, seen, key, "borough, period and measure")
        ):
            out.append(row | {"count": count, "partial": row["partial"] == "1"})
    return out


def _check_findings(c: _Checker, codes: set[str], source_ids: set[str]) -> list[dict]:
    file, out, seen = "findings.csv", [], {}
    columns = ("id", "area", "kind", "value", "period_label", "statement", "source_id")
    for line, row in c.read(file, columns):
        if not c.required(file, line, row, "id", "area", "kind", "statement", "source_id"):
            continue
        ok = True
        if row["area"] != "london" and row["area"] not in codes:
            c.fail(file, line, f"unknown area {row['area']!r} (a borough code or 'london')")
            ok = False
        if row["source_id"] not in source_ids:
            c.fail(file, line, f"unknown source {row['source_id']!r} (add it to sources.csv)")
            ok = False
        value: float | None = None
        if row["value"]:
            try:
                value = float(row["value"])
            except ValueError:
                c.fail(file, line, f"value is not a number ({row['value']!r})")
                ok = False
        if ok and c.unique(file, line, seen, row["id"], f"finding id {row['id']!r}"):
            out.append(row | {"value": value})
    return out


def _check_services(c: _Checker, codes: set[str]) -> list[dict]:
    file, out, seen = "services.csv", [], {}
    columns = (
        "id",
        "name",
        "aliases",
        "phone",
        "how_to_contact",
        "website",
        "who_for",
        "hours",
        "areas",
        "needs",
        "status",
        "caveat",
        "source",
        "last_checked",
        "rank",
    )
    for line, row in c.read(file, columns):
        if not c.required(
            file, line, row, "id", "name", "areas", "status", "source", "last_checked", "rank"
        ):
            continue
        ok = True
        if row["status"] not in STATUSES:
            c.fail(file, line, f"status must be CONFIRMED or UNCONFIRMED, not {row['status']!r}")
            ok = False
        if row["phone"] and not _PHONE.match(row["phone"]):
            c.fail(file, line, f"phone may hold only digits and spaces ({row['phone']!r})")
            ok = False
        if not _CHECKED_DATE.match(row["last_checked"]):
            c.fail(file, line, f"last_checked must look like 2026-11, not {row['last_checked']!r}")
            ok = False
        for area in _split(row["areas"]):
            if area not in WIDE_AREAS and area not in codes:
                c.fail(file, line, f"unknown area {area!r} (national, london or a borough code)")
                ok = False
        rank = c.whole_number(file, line, "rank", row["rank"])
        if (
            ok
            and rank is not None
            and c.unique(file, line, seen, row["id"], f"service {row['id']!r}")
        ):
            out.append(row | {"rank": rank})
    for missing in sorted(REQUIRED_SERVICES - {row["id"] for row in out}):
        c.fail(file, 0, f"service {missing!r} is missing: every danger reply relies on it")
    return out


def _check_mps(c: _Checker, rows: Rows, source_ids: set[str]) -> None:
    """The Met's monthly counts (if imported), summed into yearly offences rows."""
    imports = _check_mps_imports(c, source_ids) if (c.data_dir / MPS_IMPORTS_FILE).exists() else []
    rows.tables["imports"] = imports
    rows.tables["months"] = []
    if not (c.data_dir / MPS_MONTHS_FILE).exists():
        return
    met = {r["code"] for r in rows.tables["boroughs"] if r["police_force"] == "Metropolitan Police"}
    months = _check_mps_months(c, met, {r["id"] for r in imports})
    order = {r["id"]: (r["refresh_date"] or r["last_month"], r["imported_at"]) for r in imports}
    yearly = periods.from_months(months, order)
    taken = {(r["borough_code"], r["period"], r["measure"]) for r in rows.tables["offences"]}
    for row in yearly:
        if (row["borough_code"], row["period"], row["measure"]) in taken:
            c.fail(
                "offences.csv",
                0,
                f"period {row['period']!r} for {row['borough_code']} is also summed from "
                f"{MPS_MONTHS_FILE}: use another period id",
            )
    rows.tables["offences"] = rows.tables["offences"] + yearly
    rows.tables["months"] = [
        {
            "borough_code": m.borough_code,
            "month": m.month,
            "measure": m.measure,
            "count": m.count,
            "import_id": m.import_id,
        }
        for m in months
    ]
    rows.tables["sources"] = rows.tables["sources"] + [
        {k: r.get(k, "") for k in SOURCE_COLUMNS} for r in imports
    ]


def _check_mps_imports(c: _Checker, source_ids: set[str]) -> list[dict]:
    file, out, seen = MPS_IMPORTS_FILE, [], {}
    columns = ("id", "name", "publisher", "file_name", "file_sha256", "imported_at")
    for line, row in c.read(file, (*columns, "url", "note", "refresh_date", "last_month")):
        if not c.required(file, line, row, *columns):
            continue
        row = {column: row.get(column, "") for column in MPS_IMPORT_COLUMNS}  # older files
        if row["id"] in source_ids:
            c.fail(file, line, f"id {row['id']!r} is also a source in sources.csv")
        elif c.unique(file, line, seen, row["id"], f"import id {row['id']!r}"):
            out.append(row)
    return out


def _check_mps_months(c: _Checker, met: set[str], import_ids: set[str]) -> list:
    file, out, seen = MPS_MONTHS_FILE, [], {}
    # Imports before positive outcomes were kept have no measure column: offences only.
    required = tuple(column for column in MPS_MONTH_COLUMNS if column != "measure")
    for line, row in c.read(file, required):
        if not c.required(file, line, row, *required):
            continue
        ok = True
        measure = row.get("measure") or periods.MEASURE
        if measure not in periods.MEASURES:
            c.fail(file, line, f"measure must be one of {', '.join(periods.MEASURES)}")
            ok = False
        if row["borough_code"] not in met:
            c.fail(file, line, f"unknown Met borough {row['borough_code']!r}")
            ok = False
        if not _YEAR_MONTH.match(row["month"]):
            c.fail(file, line, f"month must look like 2023-04, not {row['month']!r}")
            ok = False
        if row["import_id"] not in import_ids:
            c.fail(file, line, f"unknown import {row['import_id']!r} (not in {MPS_IMPORTS_FILE})")
            ok = False
        count = c.whole_number(file, line, "count", row["count"])
        key = (row["borough_code"], row["month"], measure)
        if (
            ok
            and count is not None
            and c.unique(file, line, seen, key, "borough, month and measure")
        ):
            out.append(
                periods.MonthCount(
                    row["borough_code"], row["month"], count, row["import_id"], measure
                )
            )
    return out


def _check_places(c: _Checker, codes: set[str]) -> list[dict]:
    """Postcode districts, neighbourhoods and places outside London (each file optional)."""
    out: list[dict] = []
    if (c.data_dir / POSTCODE_DISTRICTS_FILE).exists():
        out += _check_postcode_districts(c, codes)
    if (c.data_dir / NEIGHBOURHOODS_FILE).exists():
        out += _check_neighbourhoods(c, codes)
    if (c.data_dir / OUTSIDE_LONDON_FILE).exists():
        out += _check_outside_london(c)
    return out


def _place_boroughs(c: _Checker, file: str, line: int, value: str, codes: set[str]) -> list | None:
    boroughs = _split(value)
    unknown = [code for code in boroughs if code not in codes]
    for code in unknown:
        c.fail(file, line, f"unknown borough {code!r}")
    return None if unknown else boroughs


def _yes_no(c: _Checker, file: str, line: int, column: str, value: str) -> bool | None:
    if value not in YES_NO:
        c.fail(file, line, f"{column} must be yes or no, not {value!r}")
        return None
    return YES_NO[value]


def _check_postcode_districts(c: _Checker, codes: set[str]) -> list[dict]:
    file, out, seen = POSTCODE_DISTRICTS_FILE, [], {}
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


def _check_neighbourhoods(c: _Checker, codes: set[str]) -> list[dict]:
    file, out, seen = NEIGHBOURHOODS_FILE, [], {}
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


def _check_outside_london(c: _Checker) -> list[dict]:
    file, out, seen = OUTSIDE_LONDON_FILE, [], {}
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


def _place(name: str, kind: str, boroughs: list, outside: str, ordinary: bool, row: dict) -> dict:
    return {
        "kind": kind,
        "name": name,
        "boroughs": boroughs,
        "outside_london": outside,
        "ordinary_word": ordinary,
        "note": row.get("note", ""),
        "source": row["source"],
    }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def data_fingerprint(data_dir: Path) -> str:
    """A hash of every data file's bytes, so the store can tell when data/ changed."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in sorted(p.name for p in data_dir.glob("*.csv")):
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def _write(db: sqlite_utils.Database, rows: Rows, fingerprint: str) -> None:
    t = rows.tables
    db["sources"].insert_all(t["sources"], pk="id")
    db["boroughs"].insert_all(
        ({k: v for k, v in row.items() if k != "aliases"} for row in t["boroughs"]), pk="code"
    )
    db["borough_aliases"].insert_all(
        (
            {"alias": alias, "borough_code": row["code"]}
            for row in t["boroughs"]
            for alias in _split(row["aliases"])
        ),
        pk=("alias", "borough_code"),
        foreign_keys=[("borough_code", "boroughs", "code")],
    )
    db["populations"].insert_all(
        t["populations"],
        pk=("borough_code", "year"),
        foreign_keys=[("borough_code", "boroughs", "code")],
    )
    db["offences"].insert_all(
        t["offences"],
        pk=("borough_code", "period", "measure"),
        foreign_keys=[("borough_code", "boroughs", "code"), ("source_id", "sources", "id")],
    )
    db["offences"].create_index(["measure", "period"])
    db["offences"].create_index(["borough_code", "measure", "period_end"])
    db["months"].create(
        {"borough_code": str, "month": str, "measure": str, "count": int, "import_id": str},
        pk=("borough_code", "measure", "month"),
    )
    db["months"].insert_all(t["months"])
    db["imports"].insert_all(t["imports"], pk="id", foreign_keys=[("id", "sources", "id")])
    if not t["imports"]:  # an empty table still exists, so readers need not ask
        db["imports"].create({c: str for c in MPS_IMPORT_COLUMNS}, pk="id")
    db["places"].create(
        {"kind": str, "name": str, "outside_london": str, "ordinary_word": bool, "note": str,
         "source": str},
        pk=("kind", "name"),
    )  # fmt: skip
    db["places"].insert_all({k: v for k, v in p.items() if k != "boroughs"} for p in t["places"])
    db["place_boroughs"].create(
        {"kind": str, "name": str, "borough_code": str, "position": int},
        pk=("kind", "name", "borough_code"),
        foreign_keys=[("borough_code", "boroughs", "code")],
    )
    db["place_boroughs"].insert_all(
        {"kind": p["kind"], "name": p["name"], "borough_code": code, "position": i}
        for p in t["places"]
        for i, code in enumerate(p["boroughs"])
    )
    db["findings"].insert_all(t["findings"], pk="id", foreign_keys=[("source_id", "sources", "id")])
    db["findings"].create_index(["area"])
    db["services"].insert_all(
        (
            {k: v for k, v in row.items() if k not in {"areas", "needs", "aliases"}}
            for row in t["services"]
        ),
        pk="id",
    )
    for link, column, value_name in (
        ("service_areas", "areas", "area"),
        ("service_needs", "needs", "need"),
        ("service_aliases", "aliases", "alias"),
    ):
        db[link].insert_all(
            (
                {"service_id": row["id"], value_name: value}
                for row in t["services"]
                for value in _split(row[column])
            ),
            pk=("service_id", value_name),
            foreign_keys=[("service_id", "services", "id")],
        )
        db[link].create_index([value_name])
    db["meta"].insert_all(
        [
            {"key": "fingerprint", "value": fingerprint},
            {"key": "schema_version", "value": SCHEMA_VERSION},
            {"key": "built_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
        ],
        pk="key",
    )


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]


class NotAStore(OSError):
    """The store path holds something that is not this bot's store: it is never replaced."""


_SQLITE = b"SQLite format 3\x00"
_BUILDING = re.compile(r"^\.building-[A-Za-z0-9_]{8}\.db$")  # tempfile's names for a build


def check_store_path(store_path: Path) -> None:
    """Refuse a store path that holds anything but this bot's store (or nothing).

    `--store notes.txt` must never replace notes.txt with a database.
    """
    if not os.path.lexists(store_path):
        return
    if store_path.is_symlink() or not store_path.is_file():
        raise NotAStore(f"{store_path} is not a file this bot made; choose another --store")
    if store_path.stat().st_size and stored_schema(store_path) is None:  # empty: nothing lost
        raise NotAStore(
            f"{store_path} is not a helpline-bot store, so it is left as it is: "
            "choose another --store (or remove the file if it is a damaged store)"
        )


def stored_schema(store_path: Path) -> str | None:
    """The schema version a store of this bot records, or None for any other file."""
    try:
        with store_path.open("rb") as handle:
            if handle.read(len(_SQLITE)) != _SQLITE:
                return None
        db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            row = db.execute("select value from meta where key = 'schema_version'").fetchone()
        finally:
            db.close()
    except Exception:  # unreadable, damaged or foreign
        return None
    return str(row[0]) if row else None


def build(data_dir: Path, store_path: Path) -> BuildResult:
    """Check data/, write a new SQLite file beside store_path, then swap it in.

    The file in use is replaced only after a complete, successful build, so a bad
    edit to data/ never damages the store the bot is answering from.
    """
    check_store_path(store_path)
    rows = check(data_dir)
    fingerprint = data_fingerprint(data_dir)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    _forget_abandoned_builds(store_path.parent)
    handle, temp_name = tempfile.mkstemp(prefix=".building-", suffix=".db", dir=store_path.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        import sqlite_utils

        db = sqlite_utils.Database(temp_path)
        with db.conn:
            _write(db, rows, fingerprint)
        counts = {name: db[name].count for name in db.table_names()}
        db.close()
        os.replace(temp_path, store_path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return BuildResult(store_path, counts)


def _forget_abandoned_builds(folder: Path) -> None:
    """Remove half-built stores left by a build that was killed (a timeout, a crash).

    Only old ones: a build running now in another process keeps its file.
    """
    cutoff = time.time() - ABANDONED_AFTER_S
    for leftover in folder.glob(".building-*.db"):
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if not _BUILDING.match(leftover.name) or leftover.is_symlink():
                continue
            info = leftover.stat()
            if info.st_mtime < cutoff and info.st_uid == os.getuid() and _half_built(leftover):
                leftover.unlink()


def _half_built(path: Path) -> bool:
    """Empty, or an SQLite file: what a build leaves behind (never anything else)."""
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE))
    return head in (b"", _SQLITE)


def stored_fingerprint(store_path: Path) -> str | None:
    if not store_path.is_file():
        return None
    try:
        db = sqlite3.connect(store_path)
        try:
            row = db.execute("select value from meta where key = 'fingerprint'").fetchone()
        finally:
            db.close()
    except Exception:  # a damaged or foreign file: treat as absent and rebuild
        return None
    return row[0] if row else None
