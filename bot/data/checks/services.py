"""Checks for services.csv: every phone number and service the bot may name."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from bot.data.checks.checker import Checker
from bot.domain.cells import split_list
from bot.domain.kinds import ServiceStatus

_CHECKED_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")
_PHONE = re.compile(r"^[0-9 ]+$")
WIDE_AREAS = {"national", "london"}
# The replies name these services directly (999, Silent Solution, the national helpline).
REQUIRED_SERVICES = {"emergency", "silent-solution", "deaf-emergency", "national-helpline"}
_COLUMNS = (
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


def check_services(c: Checker, codes: set[str]) -> list[dict[str, Any]]:
    file, out = "services.csv", []
    seen: dict[Hashable, int] = {}
    for line, row in c.read(file, _COLUMNS):
        if not c.required(
            file, line, row, "id", "name", "areas", "status", "source", "last_checked", "rank"
        ):
            continue
        ok = True
        if row["status"] not in set(ServiceStatus):
            c.fail(file, line, f"status must be CONFIRMED or UNCONFIRMED, not {row['status']!r}")
            ok = False
        if row["phone"] and not _PHONE.match(row["phone"]):
            c.fail(file, line, f"phone may hold only digits and spaces ({row['phone']!r})")
            ok = False
        if not _CHECKED_DATE.match(row["last_checked"]):
            c.fail(file, line, f"last_checked must look like 2026-11, not {row['last_checked']!r}")
            ok = False
        for area in split_list(row["areas"]):
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
