"""Import speed for a Met "Other Crime Data" file, and chart draw times.

Writes a synthetic file in the Met's layout (invented counts, in a temporary folder,
never in data/): 32 boroughs, 15 financial years of months, several crime types,
subtypes and measures, non-borough units and enough Safer Neighbourhood Team rows to
reach --rows. Then times:

- reading and checking the file alone (bot.data.mps_import.read_met_file), in rows/s;
- the whole import (check data/, read, merge, write data/, rebuild the store);
- a ranking chart and a trend chart drawn cold (first chart: matplotlib loads), warm,
  and served from the cache.

    python3 bench/import_mps.py [--rows 300000]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import MET_HEADER as HEADER

from bot.core.charts import Charts
from bot.core.figures import latest_table
from bot.core.render import Renderer
from bot.core.trends import london_total, trend_for
from bot.data import dataset, mps_import
from bot.data.store import load_store
from bot.domain.paths import data_dir

KINDS = [
    ("Domestic Abuse", "Domestic Abuse", "Offences"),
    ("Domestic Abuse", "Domestic Abuse Violence with Injury", "Offences"),
    ("Domestic Abuse", "Domestic Abuse", "Arrests"),
    ("Hate Crime", "Racist & Religious Hate Crime", "Offences"),
    ("Knife Crime", "Knife Crime", "Offences"),
    ("Knife Crime", "Knife Crime With Injury", "Offences"),
    ("Sexual Offences", "Rape", "Offences"),
    ("Sexual Offences", "Other Sexual Offences", "Offences"),
]
FIRST_YEAR, YEARS = 2010, 15


def _months() -> list[str]:
    return [
        f"{FIRST_YEAR + (i + 3) // 12}-{(i + 3) % 12 + 1:02d}" for i in range(YEARS * 12)
    ]  # April 2010 onwards


def write_file(path: Path, rows: int) -> int:
    with (data_dir() / "boroughs.csv").open(newline="") as handle:
        boroughs = [
            (r["name"].replace(" and ", " & "), r["code"])
            for r in csv.DictReader(handle)
            if r["police_force"] == "Metropolitan Police"
        ]
    months = _months()
    per_month_fixed = len(boroughs) * len(KINDS) + 2
    snt_per_month = max(0, rows // len(months) - per_month_fixed)
    written = 0
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for m, month in enumerate(months):
            year, number = int(month[:4]), int(month[5:])
            start = year if number >= 4 else year - 1
            fy = f"fy{start % 100:02d}-{(start + 1) % 100:02d}"
            day = f"{month}-01"
            for b, (name, code) in enumerate(boroughs):
                for k, (kind, sub, measure) in enumerate(KINDS):
                    count = 40 + b * 3 + m // 12 * 2 + k
                    out.writerow([day, "Borough", name, name, code, kind, sub, measure, fy, "",
                                  count, "2025-04-20"])  # fmt: skip
                    written += 1
            for unit in ("Aviation Security(SO18)", "Other / NK"):
                out.writerow([day, "Borough", unit, unit, "", "Domestic Abuse", "Domestic Abuse",
                              "Offences", fy, "", 1, "2025-04-20"])  # fmt: skip
                written += 1
            for s in range(snt_per_month):
                name, code = boroughs[s % len(boroughs)]
                kind, sub, measure = KINDS[s % len(KINDS)]
                area = ["Safer Neighbourhood Teams", f"{name} SNT {s}", f"SNT {s}", "E05000001"]
                out.writerow([day, *area, kind, sub, measure, fy, "", 3, "2025-04-20"])
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        folder = Path(scratch)
        data = Path(shutil.copytree(data_dir(), folder / "data"))
        store_path = folder / "cache" / "helpline.db"
        met = folder / "MPS_MonthlyCrimeDashboard_OtherCrimeData.csv"
        rows = write_file(met, args.rows)
        size_mb = met.stat().st_size / 1e6
        print(f"file: {rows:,} rows, {size_mb:.1f} MB (synthetic, Met layout)")

        boroughs = dataset.check(data).tables["boroughs"]
        started = time.perf_counter()
        read = mps_import.read_met_file(met, boroughs)
        read_s = time.perf_counter() - started
        print(f"read + check file:    {read_s:6.2f} s  {rows / read_s:10,.0f} rows/s "
              f"({len(read.counts):,} borough-months kept)")  # fmt: skip

        started = time.perf_counter()
        mps_import.import_file(met, data, store_path)
        import_s = time.perf_counter() - started
        print(f"whole import:         {import_s:6.2f} s  {rows / import_s:10,.0f} rows/s "
              "(check data/, read, merge, write data/, rebuild store)")  # fmt: skip

        store = load_store(data, store_path)
        charts = Charts(store_path.parent / "charts", store.meta("fingerprint") or "", Renderer())
        table = latest_table(store)
        london = london_total(store, table)
        trend = trend_for(store, "E09000008")
        assert trend is not None
        cold = _ms(lambda: charts.ranking(table, "E09000008"))
        print(f"chart ranking, cold (first chart loads matplotlib): {cold:8.1f} ms")
        codes = [row.figure.borough_code for row in table][1:6]
        warm = sorted(_ms(lambda c=c: charts.ranking(table, c, False, london)) for c in codes)
        rate = sorted(_ms(lambda c=c: charts.ranking(table, c, True, london)) for c in codes)
        print(f"chart ranking, by count (median of 5):             {warm[2]:8.1f} ms")
        print(f"chart ranking, by rate (median of 5):              {rate[2]:8.1f} ms")
        print(f"chart trend:                                       "
              f"{_ms(lambda: charts.trend(trend, 'Croydon')):8.1f} ms")  # fmt: skip
        cached = _ms(lambda: charts.ranking(table, codes[0], False, london))
        print(f"chart from the cache:                              {cached:8.2f} ms")


def _ms(draw: Callable[[], object]) -> float:
    started = time.perf_counter()
    draw()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
