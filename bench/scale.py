"""Data scale: import a synthetic 1,000,000-row Met file; answer() latency before and after.

Writes a file in the layout of the Met's "Other Crime Data" (FACTS.md section 4) to a
temporary folder: every borough, Safer Neighbourhood Teams, non-borough units, several
crime types, subtypes and measures, month by month. Then imports it into a copy of
data/ with bot.data.mps_import (check, read, merge, rebuild the store), and times answer()
for the same questions on the store before and after.

    python3 bench/scale.py [--rows 1000000] [--samples 2000]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import shutil
import tempfile
import time
from pathlib import Path

from benchlib import MET_HEADER as HEADER
from benchlib import percentile, table, verdict

from bot.core.conversation import Conversation
from bot.data import mps_import
from bot.data.store import load_store
from bot.domain.paths import data_dir

TARGET_IMPORT_S = 15.0
TARGET_BOROUGH_P99_MS = 1.0
FLAT = 1.25  # "flat": median after the big import within 1.25 times the median after a small one
MONTHS = 180  # April 2010 to March 2025: fifteen financial years

# (crime type, subtype, measure): the domestic abuse offences row is the one imported.
KINDS = [
    ("Domestic Abuse", "Domestic Abuse", "Offences"),
    ("Domestic Abuse", "Domestic Abuse Violence with Injury", "Offences"),
    ("Domestic Abuse", "Domestic Abuse", "Sanction Detections"),
    ("Hate Crime", "Racist & Religious Hate Crime", "Offences"),
    ("Hate Crime", "Homophobic Hate Crime", "Offences"),
    ("Knife Crime", "Knife Crime", "Offences"),
    ("Knife Crime", "Knife Crime With Injury", "Offences"),
    ("Gun Crime", "Lethal Barrelled Discharge", "Offences"),
    ("Sexual Offences", "Rape", "Offences"),
    ("Sexual Offences", "Other Sexual Offences", "Offences"),
    ("Child Sexual Abuse", "Child Sexual Abuse", "Offences"),
    ("Domestic Abuse", "Domestic Abuse", "Arrests"),
]
QUESTIONS = {
    "borough question": ["croydon", "how many in Ealing?", "figures for hounslow", "camden"],
    "compare": ["compare ealing and hounslow", "croydon vs westminster"],
    "ranking": ["which borough is highest", "all boroughs"],
    "help": ["where can I get help in Camden", "I'm a man and my wife hits me"],
    "danger": ["he is going to kill me"],
}


def met_boroughs(data: Path) -> list[tuple[str, str]]:
    """(the Met's spelling, GSS code) for the 32 boroughs the Met polices."""
    with (data / "boroughs.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (row["name"].replace(" and ", " & "), row["code"])
        for row in rows
        if row["police_force"] == "Metropolitan Police"
    ]


def write_met_file(path: Path, rows: int, boroughs: list[tuple[str, str]]) -> int:
    """A Met-layout file of exactly `rows` rows over MONTHS months; returns the row count.

    The boroughs and months are the same whatever the size; a bigger file has more
    Safer Neighbourhood Team rows, as the Met's real files do.
    """
    areas = [("Borough", name, name, code) for name, code in boroughs]
    areas.append(("Borough", "Aviation Security(SO18)", "Aviation Security(SO18)", ""))
    per_month = -(-rows // MONTHS)
    teams = max(0, -(-per_month // len(KINDS)) - len(areas))
    snts = [
        ("Safer Neighbourhood Teams", f"SNT {n:04d}", f"Ward {n:04d}", "") for n in range(teams)
    ]
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for index in range(MONTHS):
            year, month = divmod(2010 * 12 + 3 + index, 12)  # from April 2010
            month += 1
            fy_start = year if month >= 4 else year - 1
            fy = f"{fy_start}-{str(fy_start + 1)[2:]}"
            stamp = f"{year:04d}-{month:02d}-01"
            combos = itertools.product([*areas, *snts], KINDS)
            for position, ((kind, name, area_name, code), (crime, sub, measure)) in enumerate(
                combos
            ):
                if written == rows or position == per_month:
                    break
                count = (index * 7919 + position * 104729) % 400 + 20
                out.writerow(
                    [stamp, kind, name, area_name, code, crime, sub, measure, fy,
                     f"FY{fy_start}", count, "2025-04-15"]
                )  # fmt: skip
                written += 1
    return written


def latencies(conversation: Conversation, samples: int) -> dict[str, list[float]]:
    for texts in QUESTIONS.values():
        for text in texts:
            conversation.answer(text)  # warm up
    out: dict[str, list[float]] = {}
    for group, texts in QUESTIONS.items():
        times = []
        for _ in range(max(1, samples // len(texts))):
            for text in texts:
                start = time.perf_counter_ns()
                conversation.answer(text)
                times.append((time.perf_counter_ns() - start) / 1e6)
        out[group] = times
    return out


def import_and_time(root: Path, name: str, rows: int, samples: int) -> dict:
    """Import a synthetic file of `rows` rows into a fresh copy of data/; time its answers."""
    data = Path(shutil.copytree(data_dir(), root / name / "data"))
    store_path = root / name / "s.db"
    run: dict = {"name": name, "rows": rows}
    if rows:
        met_file = root / name / "MPS_MonthlyCrimeDashboard_OtherCrimeData.csv"
        write_met_file(met_file, rows, met_boroughs(data))
        run["file_mb"] = met_file.stat().st_size / 1e6
        started = time.perf_counter()
        result = mps_import.import_file(met_file, data, store_path)
        run["import_s"] = time.perf_counter() - started
        run["used"] = len(result.plan.met.counts)
        met_file.unlink()
    store = load_store(data, store_path)
    run["latency"] = latencies(Conversation(store), samples)
    run["periods"] = len(store.periods())
    run["figures"] = store.db.execute("select count(*) from offences").fetchone()[0]
    store.close()
    run["store_kb"] = store_path.stat().st_size / 1024
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="rows in the smaller file")
    parser.add_argument("--samples", type=int, default=2000, help="answers timed per group")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="helpline-scale-") as tmp:
        root = Path(tmp)
        runs = [
            import_and_time(root, "data/ as shipped", 0, args.samples),
            import_and_time(root, f"after {args.small:,} rows", args.small, args.samples),
            import_and_time(root, f"after {args.rows:,} rows", args.rows, args.samples),
        ]
    seed, small, big = runs

    print(f"Synthetic Met files over {MONTHS} months (Apr 2010 - Mar 2025), 32 boroughs\n")
    rows_out = []
    for run in runs[1:]:
        target = f"< {TARGET_IMPORT_S:g}" if run is big else ""
        ok = verdict(run["import_s"] < TARGET_IMPORT_S) if run is big else ""
        rows_out.append(
            [f"import {run['rows']:,} rows ({run['file_mb']:.0f} MB), s", run["import_s"],
             target, ok]
        )  # fmt: skip
    for run in runs:
        rows_out.append(
            [f"store {run['name']}: KB ({run['figures']} figures, {run['periods']} periods)",
             run["store_kb"], "", ""]
        )  # fmt: skip
    print(table(["figure", "value", "target", "result"], rows_out))

    print("\nanswer() latency (ms), same questions on each store\n")
    rows_out = []
    for group in QUESTIONS:
        p = {run["name"]: run["latency"][group] for run in runs}
        s50, s99 = percentile(p[small["name"]], 50), percentile(p[small["name"]], 99)
        b50, b99 = percentile(p[big["name"]], 50), percentile(p[big["name"]], 99)
        ok = b50 <= FLAT * s50  # the median: p99 of a few thousand calls is too noisy
        target = "flat"
        if group == "borough question":
            ok, target = (
                ok and b99 < TARGET_BOROUGH_P99_MS,
                f"p99 < {TARGET_BOROUGH_P99_MS:g}, flat",
            )
        rows_out.append(
            [group, percentile(p[seed["name"]], 99), s50, s99, b50, b99, b50 / s50, target,
             verdict(ok)]
        )  # fmt: skip
    headers = [
        "question",
        "seed p99",
        "small p50",
        "small p99",
        "big p50",
        "big p99",
        "p50 big/small",
    ]
    print(table([*headers, "target", "result"], rows_out))
    print(
        f"\nseed = data/ as shipped (the Met's file, 32 boroughs); small/big = after importing "
        f"{args.small:,} / {args.rows:,} rows.\nflat = median after the big file within "
        f"{FLAT:g}x of the median after the small one (same boroughs and months, 10x the rows)."
    )


if __name__ == "__main__":
    main()
