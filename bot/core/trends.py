"""Figures over several periods: change on the previous period, trends, London totals.

Only comparable periods are set side by side: financial years with financial years,
calendar years with calendar years, the article's year on its own (see periods.series_of).
A part year is never compared with whole years; it is reported apart. No words here.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from bot.core.figures import BoroughFigure, period_table
from bot.data.store import Store
from bot.domain.models import Figure, PeriodSummary, Source
from bot.domain.periods import (
    POSITIVE_OUTCOMES,
    financial_year_id,
    month_range_label,
    series_of,
    short_label,
)

_TOTALS: weakref.WeakKeyDictionary[Store, dict[str, tuple[int, int]]] = weakref.WeakKeyDictionary()
# Below this change from the first period to the last, a trend is "about the same".
FLAT_PERCENT = 5.0


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
    def direction(self) -> str:
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
    def direction(self) -> str:
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
    def direction(self) -> str:
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


def _met_boroughs(store: Store) -> int:
    return sum(b.policed_by_met for b in store.boroughs.values())


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
        met_boroughs=_met_boroughs(store),
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


def _latest_whole(figures: list[Figure]) -> Figure | None:
    whole = [f for f in figures if not f.partial]
    return whole[-1] if whole else None


def borough_view(store: Store, code: str, period: str | None = None) -> BoroughView | None:
    """A borough's figure in its newest whole period (or the one asked for), with context.

    The newest view also names the latest figure from each other publisher (the article's
    year); a view of an older period names instead the newest figure, in `others`.
    """
    figures = store.figures_for(code)
    newest = _latest_whole(figures)
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
    latest = _latest_whole(figures)
    if latest is None:
        return None
    points = [f for f in _series(figures, latest.series) if not f.partial]
    totals = _TOTALS.get(store)
    if totals is None:  # a store's data never changes while it is open
        totals = _TOTALS[store] = store.period_totals()
    met = _met_boroughs(store)
    averages = []
    for f in points:
        total, boroughs = totals.get(f.period, (0, 0))
        averages.append(total / boroughs if boroughs >= met else None)
    window = last_12_months(store.months_for(code)) if latest.series == "fy" else None
    return Trend(code, tuple(points), _part_year(figures, latest), tuple(averages), window)


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:]) - 1


def last_12_months(months: list[tuple[str, int]]) -> Window | None:
    """The newest 12 consecutive months and the 12 before them (None if a month is missing)."""
    if len(months) < 12:
        return None
    recent = months[-12:]
    if _month_index(recent[-1][0]) - _month_index(recent[0][0]) != 11:
        return None  # a gap: never sum fewer months under a "12 months" label
    before = months[-24:-12]
    whole_before = (
        len(before) == 12
        and _month_index(before[-1][0]) - _month_index(before[0][0]) == 11
        and _month_index(recent[0][0]) - _month_index(before[-1][0]) == 1
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
    latest = _latest_whole(store.figures_for(code)) or store.figures_for(code)[-1]
    met = _met_boroughs(store)
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


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Positive outcomes recorded beside offences recorded, in one whole period.

    The Met's measure counts outcomes recorded in a month, which need not belong to that
    month's offences (FACTS.md 1b): the ratio is shown only with that caveat.
    """

    period_label: str
    offences: int
    outcomes: int
    short_of_months: tuple[tuple[str, int], ...]  # (borough, months held) when under 12
    source: Source

    @property
    def per_100(self) -> float | None:
        return self.outcomes / self.offences * 100 if self.offences else None


_OUTCOMES: weakref.WeakKeyDictionary[Store, dict[str | None, Outcomes | None]] = (
    weakref.WeakKeyDictionary()
)


def outcomes_for(store: Store, code: str | None = None) -> Outcomes | None:
    """A borough's (or, with no code, London's) positive outcomes in the newest whole year."""
    known = _OUTCOMES.setdefault(store, {})  # a store's data never changes while it is open
    if code not in known:
        known[code] = _outcomes(store, code)
    return known[code]


def _outcomes(store: Store, code: str | None) -> Outcomes | None:
    period = store.latest_period()
    if period is None:
        return None
    offences = {f.borough_code: f for f in store.figures_in_period(period)}
    outcomes = {f.borough_code: f for f in store.figures_in_period(period, POSITIVE_OUTCOMES)}
    codes = [code] if code else list(offences)
    if not codes or any(c not in offences or c not in outcomes for c in codes):
        return None
    if code is None and len(codes) < _met_boroughs(store):
        return None  # "London" only when every borough has both figures
    first = offences[codes[0]]
    return Outcomes(
        period_label=first.period_label,
        offences=sum(offences[c].count for c in codes),
        outcomes=sum(outcomes[c].count for c in codes),
        short_of_months=tuple(
            (outcomes[c].borough_name, _months_in(store, c, outcomes[c]))
            for c in codes
            if outcomes[c].partial
        ),
        source=outcomes[codes[0]].source,
    )


def _months_in(store: Store, code: str, figure: Figure) -> int:
    """How many months of a measure a borough's figure for a period was summed from."""
    months = store.months_for(code, figure.measure)
    return sum(figure.period_start <= month <= figure.period_end for month, _ in months)
