"""Writing a planned import into data/ (only if data/ then passes its checks), and rebuilding."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.data.build import BuildResult, build
from bot.data.checks import check
from bot.data.files import MPS_IMPORT_COLUMNS, MPS_IMPORTS_FILE, MPS_MONTH_COLUMNS, MPS_MONTHS_FILE
from bot.data.met.plan import ImportPlan
from bot.data.store_file import data_fingerprint, stored_fingerprint


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    build: BuildResult | None  # None: the store was already up to date


def apply(plan: ImportPlan, data_dir: Path, store_path: Path) -> ImportResult:
    """Write the merged files into data/ (only if data/ then passes its checks) and rebuild.

    Checks run on a copy of data/ first, so a failure leaves data/ and the store as they were.
    """
    if not plan.changes:
        if stored_fingerprint(store_path) == data_fingerprint(data_dir):
            return ImportResult(plan, None)
        return ImportResult(plan, build(data_dir, store_path))
    with tempfile.TemporaryDirectory(prefix="helpline-import-") as scratch:
        trial = Path(scratch) / "data"
        shutil.copytree(data_dir, trial)
        _write_csv(trial / MPS_IMPORTS_FILE, MPS_IMPORT_COLUMNS, plan.imports)
        _write_csv(trial / MPS_MONTHS_FILE, MPS_MONTH_COLUMNS, plan.months)
        check(trial)
        # Provenance first: an extra import row is harmless if we stop between the two.
        for name in (MPS_IMPORTS_FILE, MPS_MONTHS_FILE):
            staged = data_dir / f".{name}.new"
            shutil.copyfile(trial / name, staged)
            os.replace(staged, data_dir / name)
    return ImportResult(plan, build(data_dir, store_path))


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
