"""Checks for the Met's imported months (mps_imports.csv, mps_months.csv), summed to years."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from bot.data.checks.checker import Checker, Rows
from bot.data.checks.figures import YEAR_MONTH
from bot.data.files import (
    MPS_IMPORT_COLUMNS,
    MPS_IMPORTS_FILE,
    MPS_MONTH_COLUMNS,
    MPS_MONTHS_FILE,
    SOURCE_COLUMNS,
)
from bot.domain import periods
from bot.domain.kinds import Measure


def import_order(row: dict[str, str]) -> tuple[str, str]:
    """Which import is newer: the file's refresh date (else its last month), then import time."""
    return (row["refresh_date"] or row["last_month"], row["imported_at"])


def check_mps(c: Checker, rows: Rows, source_ids: set[str], met_codes: set[str]) -> None:
    """The Met's monthly counts (if imported), summed into yearly offences rows."""
    imports = check_mps_imports(c, source_ids) if c.has(MPS_IMPORTS_FILE) else []
    rows.tables["imports"] = imports
    rows.tables["months"] = []
    if not c.has(MPS_MONTHS_FILE):
        return
    months = check_mps_months(c, met_codes, {r["id"] for r in imports})
    order = {r["id"]: import_order(r) for r in imports}
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
            "measure": m.measure.value,  # plain text: sqlite-utils types columns by type()
            "count": m.count,
            "import_id": m.import_id,
        }
        for m in months
    ]
    rows.tables["sources"] = rows.tables["sources"] + [
        {k: r.get(k, "") for k in SOURCE_COLUMNS} for r in imports
    ]


def check_mps_imports(c: Checker, source_ids: set[str]) -> list[dict[str, Any]]:
    file, out = MPS_IMPORTS_FILE, []
    seen: dict[Hashable, int] = {}
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


def check_mps_months(c: Checker, met: set[str], import_ids: set[str]) -> list[periods.MonthCount]:
    file, out = MPS_MONTHS_FILE, []
    seen: dict[Hashable, int] = {}
    # Imports before positive outcomes were kept have no measure column: offences only.
    required = tuple(column for column in MPS_MONTH_COLUMNS if column != "measure")
    measures = {m.value: m for m in Measure}
    for line, row in c.read(file, required):
        if not c.required(file, line, row, *required):
            continue
        ok = True
        measure = measures.get(row.get("measure") or Measure.OFFENCES)
        if measure is None:
            c.fail(file, line, f"measure must be one of {', '.join(Measure)}")
            ok = False
        if row["borough_code"] not in met:
            c.fail(file, line, f"unknown Met borough {row['borough_code']!r}")
            ok = False
        if not YEAR_MONTH.match(row["month"]):
            c.fail(file, line, f"month must look like 2023-04, not {row['month']!r}")
            ok = False
        if row["import_id"] not in import_ids:
            c.fail(file, line, f"unknown import {row['import_id']!r} (not in {MPS_IMPORTS_FILE})")
            ok = False
        count = c.whole_number(file, line, "count", row["count"])
        key = (row["borough_code"], row["month"], measure)
        if (
            ok
            and measure is not None
            and count is not None
            and c.unique(file, line, seen, key, "borough, month and measure")
        ):
            out.append(
                periods.MonthCount(
                    row["borough_code"], row["month"], count, row["import_id"], measure
                )
            )
    return out
