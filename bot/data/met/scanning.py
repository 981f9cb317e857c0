"""One pass over a Met file's rows: keep domestic abuse per borough, month and measure.

Every other row is counted as left out, by reason; a row we should keep but cannot read is
a problem. Caches keyed by the raw text keep a million rows fast: the file repeats a few
hundred distinct values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bot.data.checks import Problem
from bot.data.met.boroughs import CITY, NON_BOROUGH, BoroughNames
from bot.data.met.names import ALL_SUBTYPES, CRIME_TYPE_PLAIN, MEASURES
from bot.data.met.parsing import parse_count, parse_date, parse_month, plain
from bot.domain.kinds import Measure


class Problems:
    """A file's problems: the first `keep` with their lines, and how many in all."""

    def __init__(self, file: str, keep: int):
        self.file = file
        self.keep = keep
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, line: int, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.keep:
            self.kept.append(Problem(self.file, line, message))


class AreaType(StrEnum):
    """The Met's Area Type column, as far as the import cares."""

    BOROUGH = "borough"
    SAFER_NEIGHBOURHOOD = "snt"  # Safer Neighbourhood Team areas, finer than a borough
    OTHER = "other"


def area_type(value: str) -> AreaType:
    text = plain(value)
    if text == "borough":
        return AreaType.BOROUGH
    if text.startswith("safer neighbourhood") or text == "snt":
        return AreaType.SAFER_NEIGHBOURHOOD
    return AreaType.OTHER


LEFT_OUT = {  # why rows of each area type other than a borough are left out
    AreaType.SAFER_NEIGHBOURHOOD: "Safer Neighbourhood Team rows",
    AreaType.OTHER: "other area types",
}


class CsvRows(Protocol):
    """csv.reader's rows and the line the last one ended on."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


@dataclass
class Scan:
    counts: dict[tuple[str, str, Measure], int] = field(default_factory=dict)
    rows_read: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    non_boroughs: set[str] = field(default_factory=set)
    refresh_dates: set[str] = field(default_factory=set)

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1


def scan(
    reader: CsvRows,
    columns: dict[str, int],
    width: int,
    names: BoroughNames,
    problems: Problems,
) -> Scan:
    i_month, i_type, i_sub = columns["month"], columns["crime_type"], columns["crime_subtype"]
    i_measure, i_area, i_name = columns["measure"], columns["area_type"], columns["borough"]
    i_code, i_count = columns.get("area_code"), columns["count"]
    i_refresh = columns.get("refresh")
    is_da: dict[str, bool] = {}
    is_all: dict[str, bool] = {}
    measure_of: dict[str, Measure | None] = {}
    area_kind: dict[str, AreaType] = {}
    borough_of: dict[tuple[str, str], str | tuple[str]] = {}
    month_of: dict[str, str | None] = {}
    refresh_of: dict[str, str | None] = {}
    lines: dict[tuple[str, str, Measure], int] = {}
    found = Scan()
    counts, drop = found.counts, found.drop
    rows_read = 0

    for row in reader:
        rows_read += 1
        if len(row) != width:
            if any(cell.strip() for cell in row):
                problems.add(
                    reader.line_num,
                    f"{len(row)} values where the header has {width} (an unquoted comma?)",
                )
            continue
        crime_type = row[i_type]
        da = is_da.get(crime_type)
        if da is None:
            da = is_da[crime_type] = plain(crime_type) == CRIME_TYPE_PLAIN
        if not da:
            drop("other crime types")
            continue
        subtype = row[i_sub]
        every = is_all.get(subtype)
        if every is None:
            every = is_all[subtype] = plain(subtype) in ALL_SUBTYPES
        if not every:
            drop("domestic abuse subtypes (e.g. violence with injury)")
            continue
        raw_measure = row[i_measure]
        if raw_measure in measure_of:
            measure = measure_of[raw_measure]
        else:
            measure = measure_of[raw_measure] = MEASURES.get(plain(raw_measure))
        if measure is None:
            drop("other measures")
            continue
        area = row[i_area]
        kind = area_kind.get(area)
        if kind is None:
            kind = area_kind[area] = area_type(area)
        if kind != AreaType.BOROUGH:
            drop(LEFT_OUT[kind])
            continue
        line = reader.line_num
        key = (row[i_name], row[i_code] if i_code is not None else "")
        if key in borough_of:
            code = borough_of[key]
        else:
            code = borough_of[key] = names.code(*key)
        if isinstance(code, tuple):
            problems.add(line, code[0])
            continue
        if code == NON_BOROUGH:
            found.non_boroughs.add(row[i_name].strip())
            drop("areas that are not boroughs")
            continue
        if code == CITY:
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
    found.rows_read = rows_read
    found.refresh_dates = {d for d in refresh_of.values() if d}
    return found
