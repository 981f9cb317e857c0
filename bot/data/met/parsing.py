"""Reading the Met's cells: headers, names in plain form, months, dates and counts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from bot.domain.periods import MONTHS

# Which groups hold the year and month: year then month, month then year, a month's name.
_Order = Literal["ym", "my", "name"]
_MONTH_FORMATS: tuple[tuple[re.Pattern[str], _Order], ...] = (
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[ T].*)?$"), "ym"),
    (re.compile(r"^(\d{4})(\d{2})$"), "ym"),
    (re.compile(r"^\d{1,2}/(\d{1,2})/(\d{4})(?: .*)?$"), "my"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my"),
    (re.compile(r"^([a-z]{3,9})[- ](\d{2}|\d{4})$"), "name"),
)
_MONTH_NAMES = {
    name: number
    for number, full in enumerate((month.lower() for month in MONTHS), start=1)
    for name in (full, full[:3], full[:4])
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y")


def header(name: str) -> str:
    """'Crime Type' -> 'crime_type'; a byte order mark and odd spacing are ignored."""
    return re.sub(r"[\s_\-]+", "_", name.strip().lstrip("\ufeff").lower())


def plain(value: str) -> str:
    """'Kensington & Chelsea' -> 'kensington and chelsea'; 'Other / NK' -> 'other nk'."""
    value = value.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def parse_month(value: str) -> str | None:
    """A Month_Year value -> '2023-04', or None. Accepts 2023-04-01, 01/04/2023, Apr-23..."""
    text = value.strip().lower()
    for pattern, kind in _MONTH_FORMATS:
        match = pattern.match(text)
        if not match:
            continue
        if kind == "ym":
            year, month = int(match.group(1)), int(match.group(2))
        elif kind == "my":
            month, year = int(match.group(1)), int(match.group(2))
        else:
            month = _MONTH_NAMES.get(match.group(1), 0)
            year = int(match.group(2))
            year += 2000 if year < 100 else 0
        if 1 <= month <= 12 and 1990 <= year <= 2100:
            return f"{year:04d}-{month:02d}"
        return None
    return None


def parse_date(value: str) -> str | None:
    """A Refresh Date value -> '2024-05-01', or None."""
    text = value.strip().split("T")[0]
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?.*$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_count(value: str) -> int | None:
    """'1234', '1,234' or '1234.0' -> 1234; anything else (negative, 1.5, text) -> None."""
    text = value.strip().replace(",", "")
    if text.isdigit():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    if number < 0 or not number.is_integer():
        return None
    return int(number)
