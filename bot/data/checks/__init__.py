"""Check every file of data/ and collect its rows; raise DataError naming each bad line.

One module per group of files: areas (sources, boroughs, populations), figures (offences,
findings), services, places, and the Met's imported months.
"""

from __future__ import annotations

from pathlib import Path

from bot.data.checks.areas import check_boroughs, check_populations, check_sources
from bot.data.checks.checker import Checker, DataError, Problem, Rows
from bot.data.checks.figures import check_findings, check_offences
from bot.data.checks.met_months import check_mps
from bot.data.checks.places import check_places
from bot.data.checks.services import check_services
from bot.domain.kinds import MET_POLICE

__all__ = ["DataError", "Problem", "Rows", "check"]


def check(data_dir: Path) -> Rows:
    """Read and validate every file; raise DataError naming each bad file and line."""
    checker = Checker(data_dir)
    rows = Rows()
    rows.tables["sources"] = check_sources(checker)
    source_ids = {row["id"] for row in rows.tables["sources"]}
    boroughs = rows.tables["boroughs"] = check_boroughs(checker)
    codes = {row["code"] for row in boroughs}
    met_codes = {row["code"] for row in boroughs if row["police_force"] == MET_POLICE}
    rows.tables["populations"] = check_populations(checker, boroughs, source_ids)
    rows.tables["offences"] = check_offences(checker, codes, met_codes, source_ids)
    rows.tables["findings"] = check_findings(checker, codes, source_ids)
    rows.tables["services"] = check_services(checker, codes)
    check_mps(checker, rows, source_ids, met_codes)
    rows.tables["places"] = check_places(checker, codes)
    if checker.problems:
        raise DataError(checker.problems)
    return rows
