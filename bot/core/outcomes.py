"""Positive outcomes (the dataset's own name, not broken down) beside offences, newest year."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from bot.core.figures import met_boroughs
from bot.data.store import Store
from bot.domain.models import Figure, Source
from bot.domain.periods import POSITIVE_OUTCOMES


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
    if code is None and len(codes) < met_boroughs(store):
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
