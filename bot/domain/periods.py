"""Monthly counts -> financial years (April to March) and calendar years.

Period ids: "fy2023-24" (April 2023 to March 2024) and "cy2023". A year with fewer
than 12 months for a borough is partial, and its label names the months it covers,
so a part year is never passed off as a whole one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.kinds import Measure

# Older names for the measures (bot.domain.kinds.Measure), still imported by the core.
MEASURE = Measure.OFFENCES  # the default measure, and the only one of older imports
POSITIVE_OUTCOMES = Measure.POSITIVE_OUTCOMES
MEASURES = tuple(Measure)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PERIOD_ID = re.compile(r"^(fy)(\d{4})-\d{2}$|^(cy)(\d{4})$")
_SERIES = re.compile(r"^([a-z]+)")


@dataclass(frozen=True, slots=True)
class MonthCount:
    borough_code: str
    month: str  # "2023-04"
    count: int
    import_id: str
    measure: Measure = Measure.OFFENCES


def financial_year_id(start_year: int) -> str:
    return f"fy{start_year}-{(start_year + 1) % 100:02d}"


def financial_year_of(month: str) -> str:
    """ "2024-03" -> "fy2023-24": the financial year (April to March) a month falls in."""
    year, number = int(month[:4]), int(month[5:])
    return financial_year_id(year if number >= 4 else year - 1)


def series_of(period: str) -> str:
    """Which run of comparable periods a period belongs to: "fy", "cy", or e.g. "article"."""
    match = _SERIES.match(period)
    return match.group(1) if match else period


def short_label(period: str, fallback: str) -> str:
    """A compact name for chart axes: "2023-24", "2023"; other periods keep their label."""
    match = _PERIOD_ID.match(period)
    if not match:
        return fallback
    if match.group(1):
        return period[2:]
    return match.group(4)


def short_month(month: str) -> str:
    """ "2023-04" -> "Apr 2023", for chart axes."""
    name, year = _month_name(month)
    return f"{name[:3]} {year}"


def _month_name(month: str) -> tuple[str, str]:
    year, number = month.split("-")
    return MONTHS[int(number) - 1], year


def month_range_label(first: str, last: str) -> str:
    """ "April 2023 to March 2024", "January to December 2023", "April 2024"."""
    first_name, first_year = _month_name(first)
    last_name, last_year = _month_name(last)
    if first == last:
        return f"{first_name} {first_year}"
    if first_year == last_year:
        return f"{first_name} to {last_name} {last_year}"
    return f"{first_name} {first_year} to {last_name} {last_year}"


def months_spanned(first: str, last: str) -> int:
    """How many months from first to last, both included: "2024-08", "2025-07" -> 12."""
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1


def from_months(months: Iterable[MonthCount], import_order: Mapping[str, tuple]) -> list[dict]:
    """One row per borough, year and measure, summed from its months.

    import_order ranks imports oldest to newest; a year's source is the newest import
    that gave any of its months.
    """
    groups: dict[tuple[str, str, Measure], list[MonthCount]] = {}
    for row in months:
        fy = financial_year_of(row.month)
        groups.setdefault((row.borough_code, fy, row.measure), []).append(row)
        groups.setdefault((row.borough_code, f"cy{row.month[:4]}", row.measure), []).append(row)
    out = []
    for (code, period, measure), rows in sorted(groups.items()):
        covered = sorted(r.month for r in rows)
        first, last = covered[0], covered[-1]
        label = month_range_label(first, last)
        if len(covered) < months_spanned(first, last):  # a gap inside: say how many months
            label = f"{label} ({len(covered)} months)"
        out.append(
            {
                "borough_code": code,
                "period": period,
                "period_label": label,
                "period_start": first,
                "period_end": last,
                "partial": len(covered) < 12,
                "measure": measure.value,  # plain text for the table
                "count": sum(r.count for r in rows),
                "source_id": max((r.import_id for r in rows), key=lambda i: import_order[i]),
            }
        )
    return out
