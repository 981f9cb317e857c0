"""Arithmetic on figures: ranks and rates per 1,000 residents. No words here."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from bot.data.store import Store
from bot.domain.models import Figure, Population


@dataclass(frozen=True, slots=True)
class BoroughFigure:
    """A figure with what it means next to the other boroughs of the same period."""

    figure: Figure
    population: Population | None
    rank: int  # 1 = highest count in the period
    rate_rank: int | None
    out_of: int

    @property
    def rate(self) -> float | None:
        """Offences per 1,000 residents."""
        if not self.population:
            return None
        return self.figure.count / self.population.count * 1000

    @property
    def is_highest(self) -> bool:
        return self.rank == 1 and self.out_of > 1

    @property
    def is_lowest(self) -> bool:
        return self.rank == self.out_of and self.out_of > 1


# Tables already worked out, per open store: a store's data never changes while it is open
# (a rebuild swaps in a new file; this connection keeps reading the old one).
_TABLES: weakref.WeakKeyDictionary[Store, dict[tuple[str, str], list[BoroughFigure]]] = (
    weakref.WeakKeyDictionary()
)


def period_table(store: Store, period: str, measure: str = "offences") -> list[BoroughFigure]:
    """Every borough's figure in one period, highest count first, with ranks and rates."""
    tables = _TABLES.setdefault(store, {})
    if (period, measure) not in tables:
        tables[(period, measure)] = _period_table(store, period, measure)
    return list(tables[(period, measure)])


def _period_table(store: Store, period: str, measure: str) -> list[BoroughFigure]:
    figures = store.figures_in_period(period, measure)
    populations = {
        f.borough_code: store.population_for(f.borough_code, f.period_end) for f in figures
    }
    rates = {
        f.borough_code: f.count / p.count for f in figures if (p := populations[f.borough_code])
    }
    by_rate = sorted(rates, key=rates.__getitem__, reverse=True)
    return [
        BoroughFigure(
            figure=f,
            population=populations[f.borough_code],
            rank=position,
            rate_rank=by_rate.index(f.borough_code) + 1 if f.borough_code in rates else None,
            out_of=len(figures),
        )
        for position, f in enumerate(figures, start=1)
    ]


def latest_for(store: Store, borough_code: str) -> BoroughFigure | None:
    """A borough's figure in its most recent whole period, ranked within that period."""
    figures = [f for f in store.figures_for(borough_code) if not f.partial]
    if not figures:
        return None
    table = period_table(store, figures[-1].period)
    return next(row for row in table if row.figure.borough_code == borough_code)


def latest_table(store: Store) -> list[BoroughFigure]:
    period = store.latest_period()
    return period_table(store, period) if period else []


def by_rate(table: list[BoroughFigure]) -> list[BoroughFigure]:
    """The same rows, highest rate per 1,000 residents first; boroughs without a rate last."""
    return sorted(table, key=lambda row: row.rate_rank or len(table) + 1)


def met_boroughs(store: Store) -> int:
    """How many boroughs the Met polices: a London total or average is whole only with all."""
    return sum(b.policed_by_met for b in store.boroughs.values())


def latest_whole(figures: list[Figure]) -> Figure | None:
    """The newest figure that covers its whole period (figures oldest first)."""
    whole = [f for f in figures if not f.partial]
    return whole[-1] if whole else None
