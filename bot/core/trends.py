"""Figures over several periods: change on the previous period, trends, London totals, and
the periods we hold (the about page). A borough's months: monthly.py; outcomes: outcomes.py.

Only comparable periods are set side by side: financial years with financial years,
calendar years with calendar years, the article's year on its own (see periods.series_of).
A part year is never compared with whole years; it is reported apart. No words here.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Literal

from bot.core.figures import BoroughFigure, latest_whole, met_boroughs, period_table
from bot.core.monthly import Window, last_12_months
from bot.data.store import Store
from bot.domain.models import Figure, PeriodSummary, Source
from bot.domain.periods import financial_year_id, series_of, short_label

_TOTALS: weakref.WeakKeyDictionary[Store, dict[str, tuple[int, int]]] = weakref.WeakKeyDictionary()
# Below this change from the first period to the last, a trend is "about the same".
FLAT_PERCENT = 5.0
# Which way a figure went; "flat" is a trend within FLAT_PERCENT, "none" a single period.
Direction = Literal["up", "down", "same", "flat", "none"]


@dataclass(frozen=True, slots=True)
class Change:
    """A figure next to the one for the previous comparable period."""

    figure: Figure
    previous: Figure

    @property
    def difference(self) -> int:
        return self.figure.count - self.previous.count

    @property
    def percent(self) -> float | None:
        if not self.previous.count:
            return None
        return self.difference / self.previous.count * 100

    @property
    def direction(self) -> Direction:
        """'up', 'down' or 'same'."""
        return "up" if self.difference > 0 else "down" if self.difference < 0 else "same"


@dataclass(frozen=True, slots=True)
class LondonTotal:
    """Every borough's figure for one period added up."""

    period: str
    period_label: str
    total: int
    boroughs: int
    met_boroughs: int  # how many boroughs the Met polices: a total is London's only if all
    population: int | None  # of the boroughs counted, when all from the same year
    population_year: int | None

    part_years: tuple[str, ...] = ()  # boroughs whose figure covers fewer months

    @property
    def complete(self) -> bool:
        """Every Met borough, each for the whole period: only then is it London's total."""
        return self.boroughs >= self.met_boroughs and not self.part_years

    @property
    def average(self) -> float:
        return self.total / self.boroughs

    @property
    def rate(self) -> float | None:
        """Offences per 1,000 residents of the boroughs counted."""
        return self.total / self.population * 1000 if self.population else None


@dataclass(frozen=True, slots=True)
class Trend:
    """One borough's whole periods of one series, oldest first, and a newer part year."""

    borough_code: str
    points: tuple[Figure, ...]
    part_year: Figure | None
    london_averages: tuple[float | None, ...]  # per point, when every borough has a figure
    last_12_months: Window | None = None  # from the monthly figures, when there are 12

    @property
    def first(self) -> Figure:
        return self.points[0]

    @property
    def last(self) -> Figure:
        return self.points[-1]

    @property
    def years(self) -> int:
        return len(self.points)

    @property
    def overall(self) -> Change | None:
        return Change(self.last, self.first) if len(self.points) > 1 else None

    @property
    def latest_change(self) -> Change | None:
        return Change(self.points[-1], self.points[-2]) if len(self.points) > 1 else None

    @property
    def direction(self) -> Direction:
        """'up', 'down', 'flat' (within FLAT_PERCENT), or 'none' with a single period."""
        overall = self.overall
        if overall is None:
            return "none"
        percent = overall.percent
        if percent is None:
            return overall.direction
        if abs(percent) < FLAT_PERCENT:
            return "flat"
        return "up" if percent > 0 else "down"

    @property
    def rises(self) -> int:
        return sum(b.count > a.count for a, b in zip(self.points, self.points[1:], strict=False))

    @property
    def falls(self) -> int:
        return sum(b.count < a.count for a, b in zip(self.points, self.points[1:], strict=False))

    @property
    def highest(self) -> Figure:
        return max(reversed(self.points), key=lambda f: f.count)

    @property
    def lowest(self) -> Figure:
        return min(reversed(self.points), key=lambda f: f.count)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(short_label(f.period, f.period_label) for f in self.points)


@dataclass(frozen=True, slots=True)
class BoroughView:
    """Everything a borough's figures reply shows."""

    row: BoroughFigure
    change: Change | None
    london: LondonTotal | None
    part_year: Figure | None
    others: tuple[Figure, ...]  # the latest whole figure from each other publisher (the article)
    historical: bool = False  # an older period than the newest we hold (then others: the newest)

    @property
    def from_another_source(self) -> bool:
        """An older period from another publisher (the article's year): never comparable."""
        publisher = self.row.figure.source.publisher
        return self.historical and any(o.source.publisher != publisher for o in self.others)


def london_total(store: Store, table: list[BoroughFigure]) -> LondonTotal | None:
    """The total and average of a period's table (from period_table)."""
    if not table:
        return None
    first = table[0].figure
    years = {row.population.year for row in table if row.population}
    whole = len(years) == 1 and all(row.population for row in table)
    return LondonTotal(
        period=first.period,
        period_label=first.period_label,
        total=sum(row.figure.count for row in table),
        boroughs=len(table),
        met_boroughs=met_boroughs(store),
        population=sum(row.population.count for row in table if row.population) if whole else None,
        population_year=years.pop() if whole else None,
        part_years=tuple(
            row.figure.borough_name for row in table if row.figure.partial and not first.partial
        ),
    )


def _series(figures: list[Figure], series: str) -> list[Figure]:
    return [f for f in figures if series_of(f.period) == series]


def previous(figures: list[Figure], figure: Figure) -> Figure | None:
    """The whole figure just before this one in the same series (figures oldest first)."""
    earlier = [
        f
        for f in _series(figures, series_of(figure.period))
        if not f.partial and f.period_end < figure.period_start
    ]
    return earlier[-1] if earlier else None


def _part_year(figures: list[Figure], latest: Figure) -> Figure | None:
    newer = [
        f
        for f in _series(figures, series_of(latest.period))
        if f.partial and f.period_start > latest.period_end
    ]
    return newer[-1] if newer else None


def borough_view(store: Store, code: str, period: str | None = None) -> BoroughView | None:
    """A borough's figure in its newest whole period (or the one asked for), with context.

    The newest view also names the latest figure from each other publisher (the article's
    year); a view of an older period names instead the newest figure, in `others`.
    """
    figures = store.figures_for(code)
    newest = latest_whole(figures)
    # The period asked for, whole or part; else the newest whole one.
    latest = newest if period is None else next((f for f in figures if f.period == period), None)
    if latest is None or newest is None:
        return None
    table = period_table(store, latest.period)
    row = next(r for r in table if r.figure.borough_code == code)
    before = previous(figures, latest)
    others: dict[str, Figure] = {}
    if latest is not newest:
        others[newest.source.publisher] = newest
    else:
        for f in figures:
            if not f.partial and f.source.publisher != latest.source.publisher:
                others[f.source.publisher] = f  # oldest first, so the newest of each wins
    return BoroughView(
        row=row,
        change=Change(latest, before) if before else None,
        london=london_total(store, table),
        part_year=_part_year(figures, latest) if latest is newest else None,
        others=tuple(others.values()),
        historical=latest is not newest,
    )


def period_for_year(store: Store, year: int, financial: bool = False) -> PeriodSummary | None:
    """The period a year named in a question stands for.

    A financial year ("2022-23") is that year, whole or part. A plain year is another
    publisher's own year first (the article's "most likely 2008"), then the whole calendar
    year, then the whole financial year that starts in it.
    """
    held = store.periods()
    if financial:
        wanted = financial_year_id(year)
        return next((p for p in held if p.period == wanted), None)
    whole = [p for p in held if not p.partial]

    def covers(p: PeriodSummary) -> bool:
        return int(p.start[:4]) <= year <= int(p.end[:4])

    for wanted in ("other", "cy", "fy"):
        for p in whole:
            series = p.series if p.series in ("cy", "fy") else "other"
            if series == wanted and covers(p) and (wanted != "fy" or int(p.start[:4]) == year):
                return p
    return None


def trend_for(store: Store, code: str) -> Trend | None:
    """A borough's trend over every whole period of the series its newest figure is in."""
    figures = store.figures_for(code)
    latest = latest_whole(figures)
    if latest is None:
        return None
    points = [f for f in _series(figures, latest.series) if not f.partial]
    totals = _TOTALS.get(store)
    if totals is None:  # a store's data never changes while it is open
        totals = _TOTALS[store] = store.period_totals()
    met = met_boroughs(store)
    averages = []
    for f in points:
        total, boroughs = totals.get(f.period, (0, 0))
        averages.append(total / boroughs if boroughs >= met else None)
    window = last_12_months(store.months_for(code)) if latest.series == "fy" else None
    return Trend(code, tuple(points), _part_year(figures, latest), tuple(averages), window)


@dataclass(frozen=True, slots=True)
class PeriodGroup:
    """A run of comparable periods from one publisher, for the about page."""

    series: str
    source: Source  # the newest period's
    periods: tuple[PeriodSummary, ...]  # oldest first

    @property
    def whole(self) -> tuple[PeriodSummary, ...]:
        return tuple(p for p in self.periods if not p.partial)

    @property
    def part_years(self) -> tuple[PeriodSummary, ...]:
        return tuple(p for p in self.periods if p.partial)

    @property
    def boroughs(self) -> int:
        return max(p.boroughs for p in self.periods)


def period_groups(store: Store) -> list[PeriodGroup]:
    """The periods we hold, grouped by series and publisher, newest group first."""
    groups: dict[tuple[str, str], list[PeriodSummary]] = {}
    for summary in reversed(store.periods()):  # oldest first
        groups.setdefault((summary.series, summary.source.publisher), []).append(summary)

    def newest(runs: list[PeriodSummary]) -> tuple[str, str]:
        return (max((p.end for p in runs if not p.partial), default=""), runs[-1].end)

    ordered = sorted(groups.values(), key=newest, reverse=True)
    return [PeriodGroup(runs[0].series, runs[-1].source, tuple(runs)) for runs in ordered]
