"""Write small files in the layout of the Met's "Other Crime Data" CSV, with its quirks.

Invented counts for tests only: they are written to tmp_path, never to data/.
Expected figures are worked out from the written file by `da_offences`, an independent
reading that follows FACTS.md section 4, so tests check the importer against the file.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.domain.paths import data_dir

HEADER = [
    "Month_Year", "Area Type", "Borough_SNT", "Area name", "Area code", "Crime Type",
    "Crime Subtype", "Measure", "Financial Year", "FY_FYIndex", "Count", "Refresh Date",
]  # fmt: skip

# The 32 Met boroughs as the Met spells them, with our codes.
MET_BOROUGHS = {
    f"E090000{n:02d}": name
    for n, name in enumerate(
        [
            "Barking & Dagenham",
            "Barnet",
            "Bexley",
            "Brent",
            "Bromley",
            "Camden",
            "Croydon",
            "Ealing",
            "Enfield",
            "Greenwich",
            "Hackney",
            "Hammersmith & Fulham",
            "Haringey",
            "Harrow",
            "Havering",
            "Hillingdon",
            "Hounslow",
            "Islington",
            "Kensington & Chelsea",
            "Kingston upon Thames",
            "Lambeth",
            "Lewisham",
            "Merton",
            "Newham",
            "Redbridge",
            "Richmond upon Thames",
            "Southwark",
            "Sutton",
            "Tower Hamlets",
            "Waltham Forest",
            "Wandsworth",
            "Westminster",
        ],
        start=2,
    )
}
CROYDON, KC, HOUNSLOW = "E09000008", "E09000020", "E09000018"


def months(first: str, last: str) -> list[str]:
    """'2021-04', '2021-05', ... up to and including last."""
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def default_count(code: str, month: str) -> int:
    """A made-up count that differs by borough, grows by year and varies by month."""
    return 40 + int(code[-2:]) * 3 + (int(month[:4]) - 2010) * 2 + int(month[5:]) % 5


def _fy(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    start = year if number >= 4 else year - 1
    return f"fy{start % 100:02d}-{(start + 1) % 100:02d}"


def met_rows(
    first: str = "2019-04",
    last: str = "2024-09",
    count: Callable[[str, str], int | str] = default_count,
    refresh: str = "2024-10-15",
    boroughs: dict[str, str] | None = None,
) -> list[dict[str, str]]:
    """Rows with every quirk: SNT rows, non-borough units, other types, subtypes, measures."""
    boroughs = MET_BOROUGHS if boroughs is None else boroughs
    rows = []
    for month in months(first, last):
        day = f"{month}-01"
        base = {"Month_Year": day, "Financial Year": _fy(month), "FY_FYIndex": "",
                "Refresh Date": refresh}  # fmt: skip
        for code, name in boroughs.items():
            area = {"Area Type": "Borough", "Borough_SNT": name, "Area name": name,
                    "Area code": code}  # fmt: skip
            da = {"Crime Type": "Domestic Abuse", "Measure": "Offences"}
            rows.append(base | area | da | {"Crime Subtype": "Domestic Abuse",
                                            "Count": str(count(code, month))})  # fmt: skip
            rows.append(base | area | da | {"Crime Subtype": "Domestic Abuse Violence with Injury",
                                            "Count": "7"})  # fmt: skip
            rows.append(base | area | {"Crime Type": "Domestic Abuse",
                        "Crime Subtype": "Domestic Abuse", "Measure": "Positive Outcomes",
                        "Count": "3"})  # fmt: skip
            rows.append(base | area | {"Crime Type": "Knife Crime", "Crime Subtype": "Knife Crime",
                        "Measure": "Offences", "Count": "11"})  # fmt: skip
            rows.append(base | {"Area Type": "Safer Neighbourhood Teams",
                        "Borough_SNT": f"{name} Central", "Area name": "Central",
                        "Area code": "E05000001", "Crime Type": "Domestic Abuse",
                        "Crime Subtype": "Domestic Abuse", "Measure": "Offences",
                        "Count": "5"})  # fmt: skip
        for unit in ("Aviation Security(SO18)", "Other / NK"):
            rows.append(base | {"Area Type": "Borough", "Borough_SNT": unit, "Area name": unit,
                        "Area code": "", "Crime Type": "Domestic Abuse",
                        "Crime Subtype": "Domestic Abuse", "Measure": "Offences",
                        "Count": "2"})  # fmt: skip
    return rows


def write_met(
    path: Path,
    rows: Iterable[dict[str, str]],
    header: list[str] | None = None,
    rename: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write rows under `header` (any order; columns may be left out or renamed)."""
    header = header or HEADER
    rename = rename or {}
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow([rename.get(column, column) for column in header])
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def da_offences(path: Path) -> dict[tuple[str, str], int]:
    """(Met borough name, '2023-04') -> domestic abuse offences, read straight from the file."""
    out: dict[tuple[str, str], int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            row = {key.lower(): value for key, value in row.items()}
            if (
                row["area type"] == "Borough"
                and row["crime type"].lower() == "domestic abuse"
                and row["crime subtype"].lower() == "domestic abuse"
                and row["measure"].lower() == "offences"
                and row["borough_snt"] in MET_BOROUGHS.values()
            ):
                out[(row["borough_snt"], row["month_year"][:7])] = int(row["count"])
    return out


def year_total(file_counts: dict[tuple[str, str], int], code: str, first: str, last: str) -> int:
    name = MET_BOROUGHS[code]
    return sum(n for (b, month), n in file_counts.items() if b == name and first <= month <= last)


# data/ without the Met's imported months and the 2021 Census: the article's year only, as
# the project shipped before its first import. Tests that import their own Met-layout files
# start from it, so their invented figures are the only Met figures in the store.
ARTICLE_ONLY = shutil.ignore_patterns("mps_*.csv", "populations.csv")


def article_data(destination: Path) -> Path:
    """A copy of data/ holding only the article's figures and the 2011 Census."""
    return Path(shutil.copytree(data_dir(), destination, ignore=ARTICLE_ONLY))
