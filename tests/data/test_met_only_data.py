"""A data folder whose figures all come from the Met's import (offences.csv holds none)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from met_layout import met_rows, write_met

from bot.data import mps_import


def test_a_store_builds_when_every_figure_is_summed_from_imported_months(
    article_copy: Path, tmp_path: Path
) -> None:
    offences = article_copy / "offences.csv"
    offences.write_text(offences.read_text(encoding="utf-8").splitlines()[0] + "\n")
    path = write_met(tmp_path / "m.csv", met_rows("2023-04", "2024-03"))
    result = mps_import.import_file(path, article_copy, tmp_path / "s.db")
    assert result.build is not None
    db = sqlite_utils.Database(result.build.path)
    measures = {row["measure"] for row in db.query("select distinct measure from offences")}
    assert measures == {"offences", "positive_outcomes"}
    assert db.table("offences").columns_dict["measure"] is str
    db.close()
