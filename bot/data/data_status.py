"""How new the data in data/ is: the newest Met month imported, and when the Met refreshed it.

Read from the provenance file that `helpline-bot data import-mps` writes
(data/mps_imports.csv, one row per imported file), so it needs no store. For
`helpline-bot --version` and `helpline-bot data status`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.data.files import MPS_IMPORTS_FILE


@dataclass(frozen=True, slots=True)
class DataStatus:
    """The newest imported Met file: its last month and the Met's refresh date."""

    last_month: str  # "2025-07"
    refresh_date: str  # "2025-08-02", or "" when the file gave none
    source: str  # the dataset's name, as in the provenance row
    publisher: str
    file_name: str
    imported_at: str
    url: str = ""
    licence: str = ""

    def months_old(self, today: date) -> int:
        """Whole months from the newest month to today's month (July 2025 -> November 2026: 16)."""
        year, month = int(self.last_month[:4]), int(self.last_month[5:])
        return (today.year - year) * 12 + today.month - month

    def stale(self, today: date) -> bool:
        return self.months_old(today) > STALE_AFTER_MONTHS


# The Met refreshes its file monthly: past this, `data status` tells the operator to import.
STALE_AFTER_MONTHS = 6


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in rows]


def newest_data(data_folder: Path) -> DataStatus | None:
    """The newest Met monthly figures in data_folder, or None when none were imported."""
    rows = [r for r in _rows(data_folder / MPS_IMPORTS_FILE) if r.get("last_month")]
    if not rows:
        return None
    newest = max(
        rows, key=lambda r: (r["last_month"], r.get("refresh_date", ""), r.get("imported_at", ""))
    )
    return DataStatus(
        last_month=newest["last_month"],
        refresh_date=newest.get("refresh_date", ""),
        source=newest.get("name", ""),
        publisher=newest.get("publisher", ""),
        file_name=newest.get("file_name", ""),
        imported_at=newest.get("imported_at", ""),
        url=newest.get("url", ""),
        licence=newest.get("licence", ""),
    )


def offence_periods(data_folder: Path) -> list[str]:
    """The periods of the figures entered by hand in offences.csv (the article's year)."""
    labels = (r.get("period_label", "") for r in _rows(data_folder / "offences.csv"))
    return list(dict.fromkeys(label for label in labels if label))


def describe(data_folder: Path) -> str:
    """One line: the newest Met month and refresh date, or that none are imported."""
    status = newest_data(data_folder)
    if status is None:
        periods = "; ".join(offence_periods(data_folder)) or "none"
        return f"data: no Met monthly figures imported; borough figures for {periods}"
    refreshed = (
        f"refreshed {status.refresh_date}" if status.refresh_date else "no refresh date given"
    )
    return (
        f"data: Met monthly figures to {status.last_month}, {refreshed} "
        f"({status.source}; {status.publisher})"
    )
