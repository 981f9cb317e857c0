"""Checks for offences.csv and findings.csv: the counts and statements the bot quotes."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from bot.data.checks.checker import Checker
from bot.domain.kinds import MET_POLICE

YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LONDON = "london"  # findings.csv's area for a statement about all of London


def check_offences(
    c: Checker, codes: set[str], met_codes: set[str], source_ids: set[str]
) -> list[dict[str, Any]]:
    file, out = "offences.csv", []
    seen: dict[Hashable, int] = {}
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
            c.fail(file, line, f"{row['borough_code']} is not policed by the {MET_POLICE}")
            ok = False
        if not c.known_source(file, line, row["source_id"], source_ids):
            ok = False
        for column in ("period_start", "period_end"):
            if not YEAR_MONTH.match(row[column]):
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


def check_findings(c: Checker, codes: set[str], source_ids: set[str]) -> list[dict[str, Any]]:
    file, out = "findings.csv", []
    seen: dict[Hashable, int] = {}
    columns = ("id", "area", "kind", "value", "period_label", "statement", "source_id")
    for line, row in c.read(file, columns):
        if not c.required(file, line, row, "id", "area", "kind", "statement", "source_id"):
            continue
        ok = True
        if row["area"] != LONDON and row["area"] not in codes:
            c.fail(file, line, f"unknown area {row['area']!r} (a borough code or 'london')")
            ok = False
        if not c.known_source(file, line, row["source_id"], source_ids):
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
