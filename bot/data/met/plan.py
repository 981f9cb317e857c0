"""What importing a file would change in data/: merged with earlier imports month by month,
the newer file winning each month. Worked out before anything is written."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.data.checks.met_months import import_order
from bot.data.files import MPS_IMPORTS_FILE, MPS_MONTHS_FILE
from bot.data.met.names import (
    DATASET_NAME,
    DATASET_URL,
    KEPT_ROWS,
    MEASURE_NAMES,
    PUBLISHER,
)
from bot.data.met.reading import MetFile
from bot.domain.kinds import Measure
from bot.domain.periods import MONTHS

_MEASURE_ORDER = {measure: i for i, measure in enumerate(Measure)}


@dataclass
class ImportPlan:
    """What importing a file would change in data/, worked out before anything is written."""

    met: MetFile
    import_row: dict[str, str]
    months: list[dict[str, str]]
    imports: list[dict[str, str]]
    added: int = 0
    corrected: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # months a newer file already gave us, left as they are
    already: str | None = None  # imported_at of an earlier import of this very file

    @property
    def changes(self) -> bool:
        return self.already is None


def human_date(iso: str) -> str:
    """'2025-08-02' -> '2 August 2025' (how replies name a refresh date)."""
    day = datetime.strptime(iso, "%Y-%m-%d")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def provenance_row(
    met: MetFile, imported_at: str, licence: str = "", obtained: str = ""
) -> dict[str, str]:
    """The file's row for data/mps_imports.csv: where its figures came from."""
    months = met.months
    measures = " and ".join(repr(name) for name in MEASURE_NAMES.values())
    return {
        "id": met.import_id,
        "name": DATASET_NAME
        + (f", refreshed {human_date(met.refresh_date)}" if met.refresh_date else ""),
        "publisher": PUBLISHER,
        "url": DATASET_URL,
        "note": (
            f"Domestic abuse ({KEPT_ROWS}), Measures {measures}, for {len(met.boroughs)} "
            f"boroughs from the file {met.name}; monthly counts summed to financial years "
            "(April to March) and calendar years."
        ),
        "file_name": met.name,
        "file_sha256": met.sha256,
        "refresh_date": met.refresh_date,
        "imported_at": imported_at,
        "rows_read": str(met.rows_read),
        "rows_used": str(len(met.counts)),
        "first_month": months[0],
        "last_month": months[-1],
        "licence": licence,
        "obtained": obtained,
    }


def plan_import(
    met: MetFile,
    data_dir: Path,
    now: datetime | None = None,
    licence: str = "",
    obtained: str = "",
) -> ImportPlan:
    """Merge the file's months with those already in data/, month by month."""
    imports = _read_rows(data_dir / MPS_IMPORTS_FILE)
    months_rows = _read_rows(data_dir / MPS_MONTHS_FILE)
    imported_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    import_row = provenance_row(met, imported_at, licence, obtained)
    plan = ImportPlan(met, import_row, months_rows, imports)
    earlier = next((r for r in imports if r["file_sha256"] == met.sha256), None)
    if earlier is not None:
        plan.already = earlier["imported_at"]
        return plan
    order = {row["id"]: import_order(row) for row in imports}
    new_order = import_order(import_row)
    current = {
        (r["borough_code"], r["month"], Measure(r.get("measure") or Measure.OFFENCES)): r
        for r in months_rows
    }
    for (code, month, measure), count in met.counts.items():
        old = current.get((code, month, measure))
        if old is not None and order.get(old["import_id"], ("", "")) > new_order:
            plan.kept_newer += 1
            continue
        if old is None:
            plan.added += 1
        elif int(old["count"]) != count:
            plan.corrected += 1
        else:
            plan.unchanged += 1
        current[(code, month, measure)] = {
            "borough_code": code,
            "month": month,
            "measure": measure,
            "count": str(count),
            "import_id": met.import_id,
        }
    # Rows of older imports gain the measure they always meant.
    plan.months = [current[key] | {"measure": key[2]} for key in sorted(current, key=_month_order)]
    plan.imports = sorted([*imports, import_row], key=import_order)
    return plan


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _month_order(key: tuple[str, str, Measure]) -> tuple[str, int, str]:
    """Borough, then measure (offences first), then month: the file reads like the Met's."""
    code, month, measure = key
    return code, _MEASURE_ORDER[measure], month
