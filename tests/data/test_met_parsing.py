"""data.met.parsing: the Met's months, dates and counts in the spellings its files use."""

from __future__ import annotations

import pytest

from bot.data.met.parsing import header, parse_count, parse_date, parse_month, plain


@pytest.mark.parametrize(
    ("raw", "month"),
    [("2023-04-01", "2023-04"), ("2023-04", "2023-04"), ("01/04/2023", "2023-04"),
     ("04/2023", "2023-04"), ("Apr-23", "2023-04"), ("April 2023", "2023-04"),
     ("202304", "2023-04"), ("2023-04-01 00:00:00", "2023-04"), ("2023-13-01", None),
     ("soon", None), ("", None)],
)  # fmt: skip
def test_month_formats(raw: str, month: str | None) -> None:
    assert parse_month(raw) == month


@pytest.mark.parametrize(
    ("raw", "count"),
    [("12", 12), ("1,234", 1234), ("12.0", 12), ("-1", None), ("1.5", None), ("", None),
     ("n/a", None)],
)  # fmt: skip
def test_counts(raw: str, count: int | None) -> None:
    assert parse_count(raw) == count


@pytest.mark.parametrize(
    ("raw", "date"),
    [("2024-05-01", "2024-05-01"), ("01/05/2024", "2024-05-01"), ("1-May-24", "2024-05-01"),
     ("2024-05-01T09:00:00", "2024-05-01"), ("1 May 2024 09:00", "2024-05-01"),
     ("May 2024", None), ("", None)],
)  # fmt: skip
def test_refresh_dates(raw: str, date: str | None) -> None:
    assert parse_date(raw) == date


def test_headers_and_names_are_compared_in_plain_form() -> None:
    assert header("\ufeffCrime  Type") == header("crime_type") == "crime_type"
    assert plain("Kensington & Chelsea") == "kensington and chelsea"
    assert plain("Other / NK") == "other nk"
