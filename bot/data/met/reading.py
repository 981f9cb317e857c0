"""Reading one Met file whole: its header, every row checked, the problems it has.

The file is streamed with the csv module and aggregated in a dict (scanning.py), so a file
of a million rows needs no more memory than the few thousand borough-months it yields.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.data import safe_input
from bot.data.checks import Problem
from bot.data.met.boroughs import BoroughNames
from bot.data.met.names import HEADERS, KEPT_ROWS, MEASURE_NAMES, REQUIRED
from bot.data.met.parsing import header
from bot.data.met.scanning import Problems, scan
from bot.domain.kinds import Measure

MAX_PROBLEMS = 20  # enough to see what is wrong; the total is always given


class MetFileError(Exception):
    """The file was refused; nothing was written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
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
    counts: dict[tuple[str, str, Measure], int]  # (borough code, "2023-04", measure) -> count
    dropped: dict[str, int] = field(default_factory=dict)
    non_boroughs: set[str] = field(default_factory=set)

    @property
    def months(self) -> list[str]:
        return sorted({month for _, month, _ in self.counts})

    @property
    def boroughs(self) -> set[str]:
        return {code for code, _, _ in self.counts}

    def kept(self, measure: Measure) -> int:
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


def read_met_file(path: Path, boroughs: Iterable[dict[str, Any]]) -> MetFile:
    """Check the whole file and return its domestic abuse counts; raise MetFileError."""
    names = BoroughNames(boroughs)
    name = safe_input.cell(path.name)  # printed and written: no escape codes, no formula
    try:
        safe_input.check_file(path)
        sha = file_sha256(path)
        # UTF-8, else Windows-1252 (some spreadsheet exports); lines of sensible length.
        return safe_input.read_text(path, lambda lines: _read(lines, name, sha, names))
    except safe_input.Refused as error:
        raise MetFileError([Problem(name, 0, str(error))]) from None
    except OSError as error:
        raise MetFileError([Problem(name, 0, f"cannot be read ({error})")]) from None


def columns_of(head: list[str], problems: Problems) -> dict[str, int] | None:
    """Our column -> its index in the file, or None (and a problem) when one is missing."""
    found = {header(name): index for index, name in reversed(list(enumerate(head)))}
    columns = {}
    for ours, spellings in HEADERS.items():
        index = next((found[s] for s in spellings if s in found), None)
        if index is not None:
            columns[ours] = index
    if "borough" not in columns and "area_name" in columns:
        columns["borough"] = columns["area_name"]
    missing = [name for ours, name in REQUIRED.items() if ours not in columns]
    if missing:
        problems.add(1, f"missing column(s): {', '.join(missing)} (found: {', '.join(head)})")
        return None
    return columns


def _read(lines: Iterator[str], file_name: str, sha: str, names: BoroughNames) -> MetFile:
    problems = Problems(file_name, MAX_PROBLEMS)
    reader = csv.reader(lines)
    try:
        head = next(reader, None)
        if not head:
            raise MetFileError([Problem(file_name, 1, "the file is empty")])
        columns = columns_of(head, problems)
        if columns is None:
            raise MetFileError(problems.kept, problems.total)
        found = scan(reader, columns, len(head), names, problems)
    except csv.Error as error:
        problems.add(reader.line_num, f"not valid CSV ({error})")
        raise MetFileError(problems.kept, problems.total) from None
    if not any(m == Measure.OFFENCES for *_, m in found.counts) and not problems.total:
        problems.add(
            0,
            f"no domestic abuse offences for any borough (looked for {KEPT_ROWS}, "
            f"Measure {MEASURE_NAMES[Measure.OFFENCES]!r}, Area Type 'Borough')",
        )
    if problems.total:
        raise MetFileError(problems.kept, problems.total)
    refresh = max(found.refresh_dates) if found.refresh_dates else ""
    return MetFile(
        file_name, sha, refresh, found.rows_read, found.counts, found.dropped, found.non_boroughs
    )
