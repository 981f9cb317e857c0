"""Import the Met's "Other Crime Data" file: domestic abuse per borough, month and measure.

The file (London Datastore, "MPS Monthly Crime Dashboard Data") holds every crime type,
measure and area by month. We keep Crime Type and Subtype "Domestic Abuse", Area Type
"Borough", and two measures: "Offences" and "Positive Outcomes". The whole file is
checked before anything is written; monthly counts are merged into data/mps_months.csv
(a newer file wins month by month) with a provenance row in data/mps_imports.csv, and
the store is rebuilt from data/.

The steps live in bot.data.met (names, parsing, boroughs, scanning, reading, plan, apply,
summary); import_file runs them in order. The other names here are kept for the CLI, the
benches and the tests, which import them as `mps_import.<name>`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.data import safe_input
from bot.data.checks import check
from bot.data.met.apply import ImportResult, apply
from bot.data.met.names import DATASET_URL
from bot.data.met.parsing import parse_count, parse_month
from bot.data.met.plan import ImportPlan, plan_import
from bot.data.met.reading import MAX_PROBLEMS, MetFile, MetFileError, read_met_file
from bot.data.met.summary import summary
from bot.data.store_file import check_store_path

__all__ = [
    "DATASET_URL",
    "MAX_PROBLEMS",
    "ImportPlan",
    "ImportResult",
    "MetFile",
    "MetFileError",
    "apply",
    "import_file",
    "parse_count",
    "parse_month",
    "plan_import",
    "read_met_file",
    "safe_input",
    "summary",
]


def import_file(
    path: Path,
    data_dir: Path,
    store_path: Path,
    now: datetime | None = None,
    licence: str = "",
    obtained: str = "",
    waiting: Callable[[], None] | None = None,
) -> ImportResult:
    """Check FILE against data/'s boroughs, merge it into data/ and rebuild the store.

    licence and obtained go into the provenance row as given (the file states neither).
    One import at a time into a data folder: a second waits for the first to finish.
    """
    with safe_input.import_lock(data_dir, waiting):
        check_store_path(store_path)  # before data/ changes, not after
        rows = check(data_dir)
        met = read_met_file(path, rows.tables["boroughs"])
        plan = plan_import(met, data_dir, now, licence=licence, obtained=obtained)
        return apply(plan, data_dir, store_path)
