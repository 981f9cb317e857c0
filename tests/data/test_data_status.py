"""How new the data is: bot.data.data_status and `helpline-bot --version`, after real imports."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner
from met_layout import met_rows, write_met

from bot.data import mps_import
from bot.data.data_status import DataStatus, describe, newest_data
from bot.fronts.cli import cli


def imported(data: Path, tmp_path: Path, name: str, **rows: str) -> None:
    path = write_met(tmp_path / name, met_rows(**rows))
    mps_import.import_file(path, data, tmp_path / "store" / "helpline.db")


def test_without_an_import_there_are_no_met_figures(article_copy: Path) -> None:
    for imports in article_copy.glob("mps_*.csv"):  # once the real figures are in data/
        imports.unlink()
    assert newest_data(article_copy) is None
    assert describe(article_copy) == (
        "data: no Met monthly figures imported; borough figures for one year, most likely 2008"
    )


def test_after_an_import_the_newest_month_refresh_date_and_source(
    article_copy: Path, tmp_path: Path
) -> None:
    imported(
        article_copy, tmp_path, "met.csv", first="2023-01", last="2024-09", refresh="2024-10-15"
    )
    status = newest_data(article_copy)
    assert status == DataStatus(
        last_month="2024-09",
        refresh_date="2024-10-15",
        source="MPS Monthly Crime Dashboard Data (Other Crime Data), refreshed 15 October 2024",
        publisher="Metropolitan Police Service, via the London Datastore",
        file_name="met.csv",
        imported_at=status.imported_at,
        url="https://data.london.gov.uk/dataset/mps-monthly-crime-dahboard-data",
    )
    assert describe(article_copy).startswith(
        "data: Met monthly figures to 2024-09, refreshed 2024-10-15"
    )


def test_the_newest_of_several_imports_wins_whatever_their_order(
    article_copy: Path, tmp_path: Path
) -> None:
    imported(
        article_copy, tmp_path, "newer.csv", first="2024-01", last="2025-07", refresh="2025-08-02"
    )
    imported(
        article_copy, tmp_path, "older.csv", first="2022-01", last="2023-03", refresh="2023-04-10"
    )
    status = newest_data(article_copy)
    assert status is not None
    assert (status.last_month, status.refresh_date, status.file_name) == (
        "2025-07",
        "2025-08-02",
        "newer.csv",
    )


def test_a_file_without_a_refresh_date_says_so(article_copy: Path, tmp_path: Path) -> None:
    imported(article_copy, tmp_path, "met.csv", first="2023-01", last="2023-12", refresh="")
    assert "to 2023-12, no refresh date given" in describe(article_copy)


def test_version_prints_the_program_and_the_data(article_copy: Path, tmp_path: Path) -> None:
    imported(
        article_copy, tmp_path, "met.csv", first="2023-01", last="2024-09", refresh="2024-10-15"
    )
    result = CliRunner().invoke(cli, ["--version"], env={"HELPLINE_DATA_DIR": str(article_copy)})
    assert result.exit_code == 0
    program, data = result.output.splitlines()
    assert program == f"helpline-bot {version('helpline-bot')}"
    assert data.startswith("data: Met monthly figures to 2024-09, refreshed 2024-10-15")


def test_version_as_a_process_on_the_project_data(repo_data: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"helpline-bot {version('helpline-bot')}",
        describe(repo_data),
    ]


def test_data_status_on_the_shipped_data_warns_that_it_is_old(repo_data: Path) -> None:
    result = CliRunner().invoke(cli, ["data", "status"])
    assert result.exit_code == 0
    assert "Newest month: 2025-07" in result.stdout
    assert "Refreshed by the Met: 2025-08-02" in result.stdout
    assert "Metropolitan Police Service, via the London Datastore" in result.stdout
    assert "Open Government Licence v2.0" in result.stdout
    # Today is well past January 2026, six months after July 2025.
    assert "more than 6 months old" in result.stderr
    assert "helpline-bot data import-mps" in result.stderr


def test_data_status_of_a_new_import_gives_no_warning(article_copy: Path, tmp_path: Path) -> None:
    from datetime import date

    this_month = date.today().strftime("%Y-%m")
    imported(article_copy, tmp_path, "met.csv", first="2024-04", last=this_month,
             refresh=date.today().isoformat())  # fmt: skip
    result = CliRunner().invoke(cli, ["data", "status", "--data", str(article_copy)])
    assert result.exit_code == 0
    assert f"Newest month: {this_month} (0 months ago)" in result.stdout
    assert "Warning" not in result.stderr


def test_data_status_without_an_import_says_how_to_import(article_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["data", "status", "--data", str(article_copy)])
    assert "no Met monthly figures imported" in result.stdout
    assert "helpline-bot data import-mps FILE" in result.stdout
