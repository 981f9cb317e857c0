"""The words in data/ that replies show (who a service is for, its hours, a finding), for
the translation catalog. Names, numbers, web addresses and sources are not among them.

`extract` is a Babel extraction method (babel.cfg names it): `pybabel extract` puts each
text below in responses/locale/messages.pot, with a comment saying where it comes from.
The renderer's `data` filter looks the same text up in a language's catalog.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import PurePath
from typing import IO, Any

# Per data file, the columns holding words a reply shows as they stand.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "services.csv": ("who_for", "how_to_contact", "hours", "caveat"),
    "findings.csv": ("statement", "period_label"),
    "sources.csv": ("note",),
    "offences.csv": ("period_label",),
}


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction method protocol: (line number, function, message, comments)."""
    name = PurePath(getattr(fileobj, "name", "")).name
    columns = TEXT_COLUMNS.get(name, ())
    reader = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8", newline=""))
    for row in reader:
        for column in columns:
            text = (row.get(column) or "").strip()
            if text:
                where = f"data/{name}, {column}" + (f", {row['id']}" if row.get("id") else "")
                note = "Keep every number exactly as it is."
                yield reader.line_num, None, text, [f"{where}. {note}"]
