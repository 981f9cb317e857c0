"""Reading one data file row by row, and collecting every problem with its file and line."""

from __future__ import annotations

import csv
import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WHOLE_NUMBER = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


class DataError(Exception):
    """data/ does not pass its checks; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[DataError], tuple[list[Problem]]]:
        # Raised in a child process (bot.domain.child) and pickled back: keep the problems.
        return (DataError, (self.problems,))


@dataclass
class Rows:
    """Rows of every data file, each with the line it came from, once checked."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class Checker:
    """Reads data/'s files and records each problem rather than stopping at the first."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.problems: list[Problem] = []

    def has(self, name: str) -> bool:
        """Whether an optional file is there to check."""
        return (self.data_dir / name).exists()

    def fail(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(f"data/{file}", line, message))

    def read(self, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        """Each well-formed row with its line number; a missing column stops the file."""
        path = self.data_dir / name
        if not path.is_file():
            self.fail(name, 0, "file is missing")
            return
        try:
            handle = path.open(newline="", encoding="utf-8")
        except OSError as error:
            self.fail(name, 0, f"cannot be read ({error.strerror})")
            return
        with handle:
            reader = csv.DictReader(handle)
            try:
                header = reader.fieldnames or []
                missing = [column for column in required if column not in header]
                if missing:
                    self.fail(name, 1, f"missing column(s): {', '.join(missing)}")
                    return
                for row in reader:
                    line = reader.line_num
                    if None in row:
                        self.fail(name, line, "more values than columns (an unquoted comma?)")
                        continue
                    if any(value is None for value in row.values()):
                        self.fail(name, line, "fewer values than columns")
                        continue
                    yield line, {key: value.strip() for key, value in row.items()}
            except (csv.Error, UnicodeDecodeError) as error:
                self.fail(name, reader.line_num, f"not valid CSV ({error})")

    def required(self, file: str, line: int, row: dict[str, str], *columns: str) -> bool:
        empty = [column for column in columns if not row[column]]
        for column in empty:
            self.fail(file, line, f"{column} is empty")
        return not empty

    def whole_number(self, file: str, line: int, column: str, value: str) -> int | None:
        if not _WHOLE_NUMBER.fullmatch(value):
            self.fail(file, line, f"{column} is not a whole number ({value!r})")
            return None
        number = int(value)
        if number < 0:
            self.fail(file, line, f"{column} is negative ({number})")
            return None
        return number

    def unique(
        self, file: str, line: int, seen: dict[Hashable, int], key: Hashable, what: str
    ) -> bool:
        if key in seen:
            self.fail(file, line, f"duplicate {what} (first on line {seen[key]})")
            return False
        seen[key] = line
        return True

    def known_source(self, file: str, line: int, source_id: str, source_ids: set[str]) -> bool:
        if source_id in source_ids:
            return True
        self.fail(file, line, f"unknown source {source_id!r} (add it to sources.csv)")
        return False
