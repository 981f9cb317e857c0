"""A borough's months: its monthly figures for the chart, and its last 12 months.

Months come from the Met's monthly import (bot/data/mps_import.py); a run with a missing
month is never summed under a "12 months" label. No words here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.figures import latest_whole, met_boroughs
from bot.data.store import Store
from bot.domain.models import Source
from bot.domain.periods import (
    financial_year_id,
    month_range_label,
    months_spanned,
    short_label,
)


@dataclass(frozen=True, slots=True)
class Window:
    """A borough's last 12 months of imported figures, next to the 12 months before."""

    first: str  # "2024-08"
    last: str  # "2025-07"
    count: int
    previous: int | None  # None when the 12 months before are not all held

    @property
    def label(self) -> str:
        return month_range_label(self.first, self.last)

    @property
    def difference(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    @property
    def percent(self) -> float | None:
        if not self.previous or self.difference is None:
            return None
        return self.difference / self.previous * 100

    @property
    def direction(self) -> Literal["up", "down", "same", "none"]:
        """'up', 'down', 'same', or 'none' without the 12 months before."""
        if self.difference is None:
            return "none"
        return "up" if self.difference > 0 else "down" if self.difference < 0 else "same"


@dataclass(frozen=True, slots=True)
class Monthly:
    """A borough's monthly figures, oldest first, with the average London borough's."""

    borough_code: str
    months: tuple[str, ...]  # "2021-08", ...
    counts: tuple[int, ...]
    london_averages: tuple[float | None, ...]  # per month, when every borough has a figure
    source: Source

    @property
    def first(self) -> str:
        return self.months[0]

    @property
    def last(self) -> str:
        return self.months[-1]

    @property
    def label(self) -> str:
        return month_range_label(self.first, self.last)

    @property
    def by_year(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """The months grouped by financial year: [("2021-22", [("2021-08", 412), ...]), ...]."""
        years: dict[str, list[tuple[str, int]]] = {}
        for month, count in zip(self.months, self.counts, strict=True):
            year, number = int(month[:4]), int(month[5:])
            fy = financial_year_id(year if number >= 4 else year - 1)
            years.setdefault(short_label(fy, fy), []).append((month, count))
        return list(years.items())

    @property
    def highest(self) -> tuple[str, int]:
        return max(zip(self.months, self.counts, strict=True), key=lambda mc: mc[1])

    @property
    def lowest(self) -> tuple[str, int]:
        return min(zip(self.months, self.counts, strict=True), key=lambda mc: mc[1])


def last_12_months(months: list[tuple[str, int]]) -> Window | None:
    """The newest 12 consecutive months and the 12 before them (None if a month is missing)."""
    if len(months) < 12:
        return None
    recent = months[-12:]
    if months_spanned(recent[0][0], recent[-1][0]) != 12:
        return None  # a gap: never sum fewer months under a "12 months" label
    before = months[-24:-12]
    whole_before = (
        len(before) == 12
        and months_spanned(before[0][0], before[-1][0]) == 12
        and months_spanned(before[-1][0], recent[0][0]) == 2
    )
    return Window(
        first=recent[0][0],
        last=recent[-1][0],
        count=sum(count for _, count in recent),
        previous=sum(count for _, count in before) if whole_before else None,
    )


def monthly_for(store: Store, code: str) -> Monthly | None:
    """A borough's monthly offences, for the 48-month chart (None without monthly figures)."""
    months = store.months_for(code)
    if len(months) < 2:
        return None
    latest = latest_whole(store.figures_for(code)) or store.figures_for(code)[-1]
    met = met_boroughs(store)
    totals = store.month_totals()
    averages = tuple(
        (total / n if n >= met else None)
        for total, n in (totals.get(month, (0, 0)) for month, _ in months)
    )
    return Monthly(
        borough_code=code,
        months=tuple(month for month, _ in months),
        counts=tuple(count for _, count in months),
        london_averages=averages,
        source=latest.source,
    )
