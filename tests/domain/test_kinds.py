"""domain.kinds: named sets of values that still read as the strings data/ holds."""

from __future__ import annotations

import pytest

from bot.domain import periods
from bot.domain.kinds import Measure, ServiceStatus


def test_measures_compare_format_and_join_as_their_strings() -> None:
    assert (
        Measure.OFFENCES == "offences" and Measure("positive_outcomes") is Measure.POSITIVE_OUTCOMES
    )
    assert f"{Measure.POSITIVE_OUTCOMES}" == "positive_outcomes"
    assert ", ".join(Measure) == "offences, positive_outcomes"
    assert periods.MEASURES == ("offences", "positive_outcomes") and periods.MEASURE == "offences"


def test_an_unknown_measure_or_status_is_refused() -> None:
    with pytest.raises(ValueError):
        Measure("arrests")
    with pytest.raises(ValueError):
        ServiceStatus("confirmed")  # the data spells it CONFIRMED


@pytest.mark.parametrize(
    ("month", "year"),
    [("2023-04", "fy2023-24"), ("2024-03", "fy2023-24"), ("1999-12", "fy1999-00")],
)
def test_a_month_falls_in_the_financial_year_that_starts_in_april(month: str, year: str) -> None:
    assert periods.financial_year_of(month) == year
