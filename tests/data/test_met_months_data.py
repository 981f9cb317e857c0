"""data/ holding the Met's imported months: its checks, and a store built from them alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from met_layout import met_rows, write_met

from bot.data import dataset, mps_import


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


def test_data_check_names_bad_monthly_rows(article_copy: Path, tmp_path: Path) -> None:
    path = write_met(tmp_path / "m.csv", met_rows("2023-04", "2023-06"))
    mps_import.import_file(path, article_copy, tmp_path / "s.db")
    months_file = article_copy / "mps_months.csv"
    lines = months_file.read_text().splitlines()
    code, month, measure, count, import_id = lines[1].split(",")
    lines[1] = f"{code},{month},{measure},-{count},{import_id}"
    lines[2] = lines[2].replace(import_id, "mps-invented")
    months_file.write_text("\n".join(lines) + "\n")
    with pytest.raises(dataset.DataError) as broken:
        dataset.check(article_copy)
    text = str(broken.value)
    assert "data/mps_months.csv, line 2: count is negative" in text
    assert "data/mps_months.csv, line 3: unknown import 'mps-invented'" in text
