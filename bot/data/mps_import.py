"""Import the Met's "Other Crime Data" file: domestic abuse per borough, month and measure.

The file (London Datastore, "MPS Monthly Crime Dashboard Data") holds every crime type,
measure and area by month. We keep Crime Type and Subtype "Domestic Abuse", Area Type
"Borough", and two measures: "Offences" and "Positive Outcomes". The whole file is
checked before anything is written; monthly counts are merged into data/mps_months.csv
(a newer file wins month by month) with a provenance row in data/mps_imports.csv, and
the store is rebuilt from data/.

The file is streamed with the csv module and aggregated in a dict, so a file of a
million rows needs no more memory than the few thousand borough-months it yields.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from bot.data import dataset, safe_input
from bot.domain import periods

DATASET_URL = "https://data.london.gov.uk/dataset/mps-monthly-crime-dahboard-data"
DATASET_NAME = "MPS Monthly Crime Dashboard Data (Other Crime Data)"
PUBLISHER = "Metropolitan Police Service, via the London Datastore"
MONTHS_FILE, MONTHS_COLUMNS = dataset.MPS_MONTHS_FILE, dataset.MPS_MONTH_COLUMNS
IMPORTS_FILE, IMPORTS_COLUMNS = dataset.MPS_IMPORTS_FILE, dataset.MPS_IMPORT_COLUMNS
MAX_PROBLEMS = 20  # enough to see what is wrong; the total is always given

# Our column -> header spellings seen in the Met's files (compared after _header()).
_HEADERS = {
    "month": ("month_year", "month"),
    "area_type": ("area_type",),
    "borough": ("borough_snt", "borough"),
    "area_name": ("area_name",),
    "area_code": ("area_code",),
    "crime_type": ("crime_type", "offence_group"),
    "crime_subtype": ("crime_subtype", "offence_subgroup"),
    "measure": ("measure",),
    "count": ("count",),
    "refresh": ("refresh_date",),
}
# The columns we need, by the names the Met publishes them under.
_REQUIRED = {
    "month": "Month_Year",
    "area_type": "Area Type",
    "borough": "Borough_SNT",
    "crime_type": "Crime Type",
    "crime_subtype": "Crime Subtype",
    "measure": "Measure",
    "count": "Count",
}
_DOMESTIC_ABUSE = "domestic abuse"
_ALL_SUBTYPES = {"domestic abuse", "domestic abuse all", "all domestic abuse"}
# The Met's measure names -> ours (periods.MEASURES).
_MEASURES = {
    "offences": periods.MEASURE,
    "offence": periods.MEASURE,
    "positive outcomes": periods.POSITIVE_OUTCOMES,
    "positive outcome": periods.POSITIVE_OUTCOMES,
}
# Rows with Area Type "Borough" that are not boroughs (the Met's own units).
_NOT_BOROUGHS = re.compile(r"^(aviation security.*|other nk|other|nk|not known|unknown|heathrow)$")
_NON_BOROUGH, _CITY = "", "-city"

_MONTH_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[ T].*)?$"), "ym"),
    (re.compile(r"^(\d{4})(\d{2})$"), "ym"),
    (re.compile(r"^\d{1,2}/(\d{1,2})/(\d{4})(?: .*)?$"), "my"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my"),
    (re.compile(r"^([a-z]{3,9})[- ](\d{2}|\d{4})$"), "name"),
)
_MONTH_NAMES = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (full, full[:3], full[:4])
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y")


def _header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "_", name.strip().lstrip("\ufeff").lower())


def _plain(value: str) -> str:
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


class BoroughNames:
    """The Met's spellings of boroughs -> our GSS codes ('&' read as 'and')."""

    def __init__(self, boroughs: Iterable[dict]):
        self.by_name: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        for row in boroughs:
            met = row["police_force"] == "Metropolitan Police"
            code = row["code"] if met else _CITY
            self.codes[row["code"]] = code
            for name in (row["name"], *_split(row.get("aliases", ""))):
                self.by_name.setdefault(_plain(name), code)
        self.names = {row["code"]: row["name"] for row in boroughs}

    def code(self, name: str, area_code: str = "") -> str | tuple[str]:
        """A borough code, _NON_BOROUGH or _CITY; or (why not,) when the row is not usable.

        The name decides: an Area code only confirms it, so a typo is refused, not guessed.
        """
        plain, area_code = _plain(name), area_code.strip()
        by_code = self.codes.get(area_code)
        if plain in self.by_name:
            code = self.by_name[plain]
            if by_code is not None and by_code != code and code != _CITY:
                return (
                    f"Borough_SNT {name!r} but Area code {area_code} is {self.names[area_code]}",
                )
            return code
        if _NOT_BOROUGHS.match(plain):
            return _NON_BOROUGH
        hint = f" (its Area code {area_code} is {self.names[area_code]})" if by_code else ""
        return (f"unknown borough {name!r}{hint}",)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class MetFileError(Exception):
    """The file was refused; nothing was written."""

    def __init__(self, problems: list[dataset.Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        lines = [str(p) for p in problems]
        if self.total > len(problems):
            lines.append(f"... and {self.total - len(problems)} more problem(s)")
        super().__init__("\n".join(lines))


@dataclass
class MetFile:
    """What one Met file holds for us: domestic abuse per borough, month and measure."""

    name: str
    sha256: str
    refresh_date: str  # ISO date, or "" when the file has none
    rows_read: int
    counts: dict[tuple[str, str, str], int]  # (borough code, "2023-04", measure) -> count
    dropped: dict[str, int] = field(default_factory=dict)
    non_boroughs: set[str] = field(default_factory=set)

    @property
    def months(self) -> list[str]:
        return sorted({month for _, month, _ in self.counts})

    @property
    def boroughs(self) -> set[str]:
        return {code for code, _, _ in self.counts}

    def kept(self, measure: str) -> int:
        """How many borough-months of one measure the file gave."""
        return sum(1 for *_, m in self.counts if m == measure)

    @property
    def import_id(self) -> str:
        return f"mps-{self.refresh_date or 'undated'}-{self.sha256[:8]}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_met_file(path: Path, boroughs: Iterable[dict]) -> MetFile:
    """Check the whole file and return its domestic abuse offences; raise MetFileError."""
    names = BoroughNames(boroughs)
    name = safe_input.cell(path.name)  # printed and written: no escape codes, no formula
    try:
        safe_input.check_file(path)
        sha = file_sha256(path)
        # UTF-8, else Windows-1252 (some spreadsheet exports); lines of sensible length.
        return safe_input.read_text(path, lambda lines: _read(lines, name, sha, names))
    except safe_input.Refused as error:
        raise MetFileError([dataset.Problem(name, 0, str(error))]) from None
    except OSError as error:
        raise MetFileError([dataset.Problem(name, 0, f"cannot be read ({error})")]) from None


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.kept: list[dataset.Problem] = []
        self.total = 0

    def add(self, line: int, message: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(dataset.Problem(self.file, line, message))


def _columns(header: list[str], problems: _Problems) -> dict[str, int] | None:
    found = {_header(name): index for index, name in reversed(list(enumerate(header)))}
    columns = {}
    for ours, spellings in _HEADERS.items():
        index = next((found[s] for s in spellings if s in found), None)
        if index is not None:
            columns[ours] = index
    if "borough" not in columns and "area_name" in columns:
        columns["borough"] = columns["area_name"]
    missing = [name for ours, name in _REQUIRED.items() if ours not in columns]
    if missing:
        problems.add(1, f"missing column(s): {', '.join(missing)} (found: {', '.join(header)})")
        return None
    return columns


def _read(handle: IO[str], file_name: str, sha: str, names: BoroughNames) -> MetFile:
    problems = _Problems(file_name)
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
        if not header:
            raise MetFileError([dataset.Problem(file_name, 1, "the file is empty")])
        columns = _columns(header, problems)
        if columns is None:
            raise MetFileError(problems.kept, problems.total)
        result = _scan(reader, columns, len(header), names, problems)
    except csv.Error as error:
        problems.add(reader.line_num, f"not valid CSV ({error})")
        raise MetFileError(problems.kept, problems.total) from None
    counts, rows_read, dropped, non_boroughs, refresh_dates = result
    if not any(m == periods.MEASURE for *_, m in counts) and not problems.total:
        problems.add(
            0,
            "no domestic abuse offences for any borough (looked for Crime Type and Subtype "
            "'Domestic Abuse', Measure 'Offences', Area Type 'Borough')",
        )
    if problems.total:
        raise MetFileError(problems.kept, problems.total)
    refresh = max(refresh_dates) if refresh_dates else ""
    return MetFile(file_name, sha, refresh, rows_read, counts, dropped, non_boroughs)


def _scan(
    reader: Iterator[list[str]],
    columns: dict[str, int],
    width: int,
    names: BoroughNames,
    problems: _Problems,
) -> tuple:
    i_month, i_type, i_sub = columns["month"], columns["crime_type"], columns["crime_subtype"]
    i_measure, i_area, i_name = columns["measure"], columns["area_type"], columns["borough"]
    i_code, i_count = columns.get("area_code"), columns["count"]
    i_refresh = columns.get("refresh")
    # Caches keyed by the raw text: the file repeats a few hundred distinct values.
    is_da: dict[str, bool] = {}
    is_all: dict[str, bool] = {}
    measure_of: dict[str, str | None] = {}
    area_kind: dict[str, str] = {}
    borough_of: dict[tuple[str, str], str | tuple[str]] = {}
    month_of: dict[str, str | None] = {}
    refresh_of: dict[str, str | None] = {}
    counts: dict[tuple[str, str, str], int] = {}
    lines: dict[tuple[str, str, str], int] = {}
    dropped: dict[str, int] = {}
    non_boroughs: set[str] = set()
    rows_read = 0

    def drop(reason: str) -> None:
        dropped[reason] = dropped.get(reason, 0) + 1

    for row in reader:
        rows_read += 1
        if len(row) != width:
            if any(cell.strip() for cell in row):
                problems.add(
                    reader.line_num,  # type: ignore[attr-defined]
                    f"{len(row)} values where the header has {width} (an unquoted comma?)",
                )
            continue
        crime_type = row[i_type]
        da = is_da.get(crime_type)
        if da is None:
            da = is_da[crime_type] = _plain(crime_type) == _DOMESTIC_ABUSE
        if not da:
            drop("other crime types")
            continue
        subtype = row[i_sub]
        every = is_all.get(subtype)
        if every is None:
            every = is_all[subtype] = _plain(subtype) in _ALL_SUBTYPES
        if not every:
            drop("domestic abuse subtypes (e.g. violence with injury)")
            continue
        raw_measure = row[i_measure]
        if raw_measure in measure_of:
            measure = measure_of[raw_measure]
        else:
            measure = measure_of[raw_measure] = _MEASURES.get(_plain(raw_measure))
        if measure is None:
            drop("other measures")
            continue
        area = row[i_area]
        kind = area_kind.get(area)
        if kind is None:
            plain = _plain(area)
            kind = area_kind[area] = (
                "borough"
                if plain == "borough"
                else "snt"
                if plain.startswith("safer neighbourhood") or plain == "snt"
                else "other"
            )
        if kind != "borough":
            drop("Safer Neighbourhood Team rows" if kind == "snt" else "other area types")
            continue
        line = reader.line_num  # type: ignore[attr-defined]
        key = (row[i_name], row[i_code] if i_code is not None else "")
        if key in borough_of:
            code = borough_of[key]
        else:
            code = borough_of[key] = names.code(*key)
        if isinstance(code, tuple):
            problems.add(line, code[0])
            continue
        if code == _NON_BOROUGH:
            non_boroughs.add(row[i_name].strip())
            drop("areas that are not boroughs")
            continue
        if code == _CITY:
            drop("City of London rows (policed by the City of London Police)")
            continue
        raw_month = row[i_month]
        if raw_month in month_of:
            month = month_of[raw_month]
        else:
            month = month_of[raw_month] = parse_month(raw_month)
        if month is None:
            problems.add(line, f"Month_Year {raw_month!r} is not a month (e.g. 2023-04-01)")
            continue
        count = parse_count(row[i_count])
        if count is None:
            problems.add(line, f"Count {row[i_count]!r} is not a whole number")
            continue
        slot = (code, month, measure)
        if slot in counts:
            problems.add(
                line,
                f"a second {raw_measure.strip()} figure for {names.names[code]}, {month} "
                f"(first on line {lines[slot]})",
            )
            continue
        counts[slot], lines[slot] = count, line
        if i_refresh is not None:
            raw = row[i_refresh]
            if raw not in refresh_of:
                refresh_of[raw] = parse_date(raw) if raw.strip() else None
                if raw.strip() and refresh_of[raw] is None:
                    problems.add(line, f"Refresh Date {raw!r} is not a date (e.g. 2024-05-01)")
    refresh_dates = {d for d in refresh_of.values() if d}
    return counts, rows_read, dropped, non_boroughs, refresh_dates


# -- merging into data/ ----------------------------------------------------------------


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _order(row: dict[str, str]) -> tuple[str, str]:
    """Which import is newer: the file's refresh date (else its last month), then import time."""
    return (row["refresh_date"] or row["last_month"], row["imported_at"])


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
    return f"{day.day} {periods.MONTHS[day.month - 1]} {day.year}"


def plan_import(
    met: MetFile,
    data_dir: Path,
    now: datetime | None = None,
    licence: str = "",
    obtained: str = "",
) -> ImportPlan:
    """Merge the file's months with those already in data/, month by month."""
    imports = _read_rows(data_dir / IMPORTS_FILE)
    months_rows = _read_rows(data_dir / MONTHS_FILE)
    imported_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    months = met.months
    import_row = {
        "id": met.import_id,
        "name": DATASET_NAME
        + (f", refreshed {human_date(met.refresh_date)}" if met.refresh_date else ""),
        "publisher": PUBLISHER,
        "url": DATASET_URL,
        "note": (
            f"Domestic abuse (Crime Type and Subtype 'Domestic Abuse'), Measures 'Offences' "
            f"and 'Positive Outcomes', for {len(met.boroughs)} boroughs from the file "
            f"{met.name}; monthly counts summed to financial years (April to March) and "
            "calendar years."
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
    plan = ImportPlan(met, import_row, months_rows, imports)
    earlier = next((r for r in imports if r["file_sha256"] == met.sha256), None)
    if earlier is not None:
        plan.already = earlier["imported_at"]
        return plan
    order = {row["id"]: _order(row) for row in imports}
    new_order = _order(import_row)
    current = {
        (r["borough_code"], r["month"], r.get("measure") or periods.MEASURE): r for r in months_rows
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
    plan.imports = sorted([*imports, import_row], key=_order)
    return plan


def _month_order(key: tuple[str, str, str]) -> tuple[str, int, str]:
    """Borough, then measure (offences first), then month: the file reads like the Met's."""
    code, month, measure = key
    return code, periods.MEASURES.index(measure), month


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    build: dataset.BuildResult | None


def apply(plan: ImportPlan, data_dir: Path, store_path: Path) -> ImportResult:
    """Write the merged files into data/ (only if data/ then passes its checks) and rebuild.

    Checks run on a copy of data/ first, so a failure leaves data/ and the store as they were.
    """
    if not plan.changes:
        if dataset.stored_fingerprint(store_path) == dataset.data_fingerprint(data_dir):
            return ImportResult(plan, None)
        return ImportResult(plan, dataset.build(data_dir, store_path))
    with tempfile.TemporaryDirectory(prefix="helpline-import-") as scratch:
        trial = Path(scratch) / "data"
        shutil.copytree(data_dir, trial)
        _write_csv(trial / IMPORTS_FILE, IMPORTS_COLUMNS, plan.imports)
        _write_csv(trial / MONTHS_FILE, MONTHS_COLUMNS, plan.months)
        dataset.check(trial)
        # Provenance first: an extra import row is harmless if we stop between the two.
        for name in (IMPORTS_FILE, MONTHS_FILE):
            staged = data_dir / f".{name}.new"
            shutil.copyfile(trial / name, staged)
            os.replace(staged, data_dir / name)
    return ImportResult(plan, dataset.build(data_dir, store_path))


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
        dataset.check_store_path(store_path)  # before data/ changes, not after
        rows = dataset.check(data_dir)
        met = read_met_file(path, rows.tables["boroughs"])
        plan = plan_import(met, data_dir, now, licence=licence, obtained=obtained)
        return apply(plan, data_dir, store_path)


def _years(months: list[str]) -> tuple[list[str], list[str]]:
    """Whole and partial financial years among a file's months."""
    by_year: dict[str, int] = {}
    for month in months:
        year, number = int(month[:4]), int(month[5:])
        fy = periods.financial_year_id(year if number >= 4 else year - 1)
        by_year[fy] = by_year.get(fy, 0) + 1
    whole = [fy[2:] for fy, n in sorted(by_year.items()) if n == 12]
    partial = [fy[2:] for fy, n in sorted(by_year.items()) if n < 12]
    return whole, partial


def summary(result: ImportResult, seconds: float) -> list[str]:
    """What the import did, for the operator (CLI output, not a bot reply)."""
    plan, met = result.plan, result.plan.met
    rate = met.rows_read / seconds if seconds else 0
    lines = [
        f"Imported {met.name}: {met.rows_read:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s, "
        "store rebuild included)"
        + (f", refreshed {met.refresh_date}." if met.refresh_date else ", no Refresh Date.")
    ]
    if plan.already:
        lines.append(f"This file was already imported at {plan.already}: nothing changed.")
    else:
        months = met.months
        outcomes = met.kept(periods.POSITIVE_OUTCOMES)
        lines.append(
            f"Kept {met.kept(periods.MEASURE):,} monthly domestic abuse offence counts"
            + (f" and {outcomes:,} positive outcome counts" if outcomes else "")
            + f" for {len(met.boroughs)} boroughs, "
            f"{periods.month_range_label(months[0], months[-1])}."
        )
        if met.dropped:
            left = "; ".join(f"{n:,} {reason}" for reason, n in sorted(met.dropped.items()))
            lines.append(f"Left out: {left}.")
        if met.non_boroughs:
            lines.append(f"Not boroughs: {', '.join(sorted(met.non_boroughs))}.")
        whole, partial = _years(months)
        if whole:
            lines.append(f"Whole financial years: {whole[0]} to {whole[-1]}.")
        if partial:
            lines.append(f"Part years (marked partial): {', '.join(partial)}.")
        expected = len(months) * len(met.boroughs)
        if met.kept(periods.MEASURE) < expected:
            lines.append(
                f"{expected - met.kept(periods.MEASURE):,} borough-months of offences are "
                "missing from the file; "
                "the years they fall in are marked partial for those boroughs."
            )
        lines.append(
            f"Months: {plan.added:,} added, {plan.corrected:,} corrected, "
            f"{plan.unchanged:,} unchanged, {plan.kept_newer:,} kept from a newer file."
        )
    if result.build is None:
        lines.append("The store was already up to date.")
    else:
        lines.append(f"Built {result.build.path}.")
    return lines
