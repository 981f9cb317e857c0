"""Importing the Met's "Other Crime Data" file: quirks, refusals, provenance, re-imports."""

from __future__ import annotations

import csv
import hashlib
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from met_layout import (
    CROYDON,
    HEADER,
    KC,
    MET_BOROUGHS,
    da_offences,
    met_rows,
    write_met,
    year_total,
)

from bot.data import dataset, mps_import
from bot.domain import periods
from bot.fronts.cli import cli


def snapshot(folder: Path) -> dict[str, str]:
    """Every file's bytes, hashed: to prove nothing was written."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def offences(store: Path) -> dict[tuple[str, str], dict]:
    db = sqlite_utils.Database(store)
    try:
        rows = db["offences"].rows_where("measure = ?", ["offences"])
        return {(r["borough_code"], r["period"]): r for r in rows}
    finally:
        db.close()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "helpline.db"


REAL_FILE_SHA256 = "2a98bb94a9c39f25e8dc9f308dd967eab408b238926c89f54e841ea27b945a61"


def test_repo_data_holds_the_real_met_file_with_its_provenance(repo_data: Path) -> None:
    # The only import in data/ is the real file (shared/data/PROVENANCE.md): invented rows
    # from tests never reach data/.
    with (repo_data / "mps_imports.csv").open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["file_sha256"] == REAL_FILE_SHA256
    assert row["refresh_date"] == "2025-08-02"
    assert (row["first_month"], row["last_month"]) == ("2021-08", "2025-07")
    assert row["url"] == mps_import.DATASET_URL and "London Datastore" in row["publisher"]
    assert row["licence"].startswith("Open Government Licence")
    assert "fenneh/london-crime-data" in row["obtained"]  # how it was obtained
    with (repo_data / "mps_months.csv").open(newline="") as handle:
        months = list(csv.DictReader(handle))
    assert {m["import_id"] for m in months} == {row["id"]}
    offences = [m for m in months if m["measure"] == "offences"]
    assert len(offences) == 32 * 48  # every borough, every month from August 2021
    assert len({m["borough_code"] for m in offences}) == 32


def test_an_import_before_positive_outcomes_were_kept_still_reads_as_offences(
    article_copy: Path, tmp_path: Path
) -> None:
    path = write_met(tmp_path / "m.csv", met_rows("2023-04", "2024-03"))
    mps_import.import_file(path, article_copy, tmp_path / "s.db")
    months_file = article_copy / "mps_months.csv"
    with months_file.open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["measure"] == "offences"]
    with months_file.open("w", newline="") as handle:  # the layout of earlier imports
        writer = csv.DictWriter(handle, ["borough_code", "month", "count", "import_id"],
                                extrasaction="ignore", lineterminator="\n")  # fmt: skip
        writer.writeheader()
        writer.writerows(rows)
    got = offences(dataset.build(article_copy, tmp_path / "again.db").path)
    assert got[(CROYDON, "fy2023-24")]["count"] == sum(int(r["count"]) for r in rows
                                                       if r["borough_code"] == CROYDON)  # fmt: skip


@pytest.mark.parametrize(
    ("variant", "header", "rename", "encoding"),
    [
        ("as published", HEADER, {}, "utf-8"),
        (
            "older yearly file: no FY_FYIndex, other order, other capitals",
            [
                "Area Type",
                "Borough_SNT",
                "Area Name",
                "Area Code",
                "Month_Year",
                "Count",
                "Crime Type",
                "Crime Subtype",
                "Measure",
                "Financial Year",
                "Refresh Date",
            ],
            {"Area Type": "AREA TYPE", "Crime Type": "crime type", "Count": "COUNT"},
            "utf-8",
        ),
        ("spreadsheet export with a byte-order mark", HEADER, {}, "utf-8-sig"),
        (
            "Offence Group / Offence Subgroup naming",
            HEADER,
            {"Crime Type": "Offence Group", "Crime Subtype": "Offence Subgroup"},
            "utf-8",
        ),
    ],
)
def test_quirks_are_read_and_years_match_the_file(
    article_copy: Path,
    store_path: Path,
    tmp_path: Path,
    variant: str,
    header: list[str],
    rename: dict[str, str],
    encoding: str,
) -> None:
    rows = met_rows("2021-04", "2023-09")
    path = write_met(tmp_path / "met.csv", rows, header, rename, encoding)
    # Read the file the plain way (FACTS.md section 4), before any renaming quirk.
    plain = write_met(tmp_path / "plain.csv", rows)
    in_file = da_offences(plain)
    result = mps_import.import_file(path, article_copy, store_path)

    met = result.plan.met
    assert met.boroughs == set(MET_BOROUGHS)  # "&" spellings mapped; no City of London
    assert "E09000001" not in met.boroughs
    assert met.kept(periods.MEASURE) == 32 * 30 == len(in_file)
    assert met.kept(periods.POSITIVE_OUTCOMES) == 32 * 30  # kept beside offences
    assert met.non_boroughs == {"Aviation Security(SO18)", "Other / NK"}
    assert met.dropped["Safer Neighbourhood Team rows"] == 32 * 30
    assert met.refresh_date == "2024-10-15"

    got = offences(store_path)
    for code in (CROYDON, KC, "E09000013"):  # Croydon; "Kensington & Chelsea"; "H & F"
        fy = got[(code, "fy2022-23")]
        assert fy["count"] == year_total(in_file, code, "2022-04", "2023-03")
        assert (fy["period_label"], fy["partial"]) == ("April 2022 to March 2023", 0)
        cy = got[(code, "cy2022")]
        assert cy["count"] == year_total(in_file, code, "2022-01", "2022-12")
        assert (cy["period_label"], cy["partial"]) == ("January to December 2022", 0)
    # Part years are marked partial and named by the months they cover.
    part = got[(CROYDON, "fy2023-24")]
    assert part["partial"] == 1 and part["period_label"] == "April to September 2023"
    assert part["count"] == year_total(in_file, CROYDON, "2023-04", "2023-09")
    assert got[(CROYDON, "cy2021")]["partial"] == 1
    assert got[(CROYDON, "cy2021")]["period_label"] == "April to December 2021"
    # The article's figure is still there, as its own period with its own source.
    article = got[(CROYDON, "article-2008")]
    assert (article["count"], article["source_id"]) == (2531, "getwestlondon-kc")


def test_provenance_is_kept_in_data_and_in_the_store(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    path = write_met(tmp_path / "MPS_MonthlyCrimeDashboard_OtherCrimeData.csv", met_rows())
    when = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    mps_import.import_file(path, article_copy, store_path, now=when)

    db = sqlite_utils.Database(store_path)
    (row,) = list(db["imports"].rows)
    assert row["file_name"] == "MPS_MonthlyCrimeDashboard_OtherCrimeData.csv"
    assert row["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row["refresh_date"] == "2024-10-15"
    assert row["imported_at"] == "2026-11-03T09:30:00+00:00"
    assert row["url"] == "https://data.london.gov.uk/dataset/mps-monthly-crime-dahboard-data"
    source = db["sources"].get(row["id"])
    assert "MPS Monthly Crime Dashboard Data" in source["name"]
    assert source["publisher"].startswith("Metropolitan Police")
    assert (article_copy / "mps_imports.csv").is_file()
    assert (article_copy / "mps_months.csv").is_file()


BAD = [
    pytest.param(
        lambda rows: rows, [c for c in HEADER if c != "Count"],
        "met.csv, line 1: missing column(s): Count", id="missing-column",
    ),
    pytest.param(
        lambda rows: rows, [c for c in HEADER if c != "Crime Subtype"],
        "met.csv, line 1: missing column(s): Crime Subtype", id="missing-subtype",
    ),
    pytest.param(
        lambda rows: [r | {"Borough_SNT": "Croydn"} if r["Borough_SNT"] == "Croydon" and
                      r["Crime Subtype"] == "Domestic Abuse" and r["Measure"] == "Offences"
                      else r for r in rows],
        HEADER, "met.csv, line 32: unknown borough 'Croydn'", id="unknown-borough",
    ),
    pytest.param(
        lambda rows: [r | {"Area code": "E09000009"} if r["Borough_SNT"] == "Croydon" else r
                      for r in rows],
        HEADER, "met.csv, line 32: Borough_SNT 'Croydon' but Area code E09000009 is Ealing",
        id="name-and-code-disagree",
    ),
    pytest.param(
        lambda rows: [r | {"Count": "n/a"} if r["Borough_SNT"] == "Barnet" and
                      r["Crime Subtype"] == "Domestic Abuse" and r["Measure"] == "Offences" and
                      r["Area Type"] == "Borough" else r for r in rows],
        HEADER, "met.csv, line 7: Count 'n/a' is not a whole number", id="non-numeric-count",
    ),
    pytest.param(
        lambda rows: [r | {"Count": "-3"} if r["Borough_SNT"] == "Barnet" and
                      r["Crime Subtype"] == "Domestic Abuse" and r["Measure"] == "Offences" and
                      r["Area Type"] == "Borough" else r for r in rows],
        HEADER, "met.csv, line 7: Count '-3' is not a whole number", id="negative-count",
    ),
    pytest.param(
        lambda rows: [r | {"Month_Year": "sometime"} for r in rows],
        HEADER, "met.csv, line 2: Month_Year 'sometime' is not a month", id="bad-month",
    ),
    pytest.param(
        lambda rows: rows + rows[:1], HEADER,
        "a second Offences figure for Barking and Dagenham, 2024-01 (first on line 2)",
        id="duplicate",
    ),
    pytest.param(
        lambda rows: [r for r in rows if r["Crime Type"] != "Domestic Abuse"], HEADER,
        "no domestic abuse offences for any borough", id="no-domestic-abuse-rows",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("change", "header", "message"), BAD)
def test_a_bad_file_is_refused_with_line_and_reason_and_nothing_changes(
    article_copy: Path, store_path: Path, tmp_path: Path, change, header, message: str
) -> None:
    good = write_met(tmp_path / "good.csv", met_rows("2023-04", "2024-03"))
    mps_import.import_file(good, article_copy, store_path)
    before_data, before_store = snapshot(article_copy), snapshot(store_path.parent)

    bad = write_met(tmp_path / "met.csv", change(met_rows("2024-01", "2024-06")), header)
    with pytest.raises(mps_import.MetFileError) as refused:
        mps_import.import_file(bad, article_copy, store_path)
    assert message in str(refused.value)
    assert snapshot(article_copy) == before_data
    assert snapshot(store_path.parent) == before_store


def test_many_problems_are_counted_not_all_printed(article_copy: Path, tmp_path: Path) -> None:
    rows = [r | {"Count": "x"} for r in met_rows("2023-04", "2024-03")]
    with pytest.raises(mps_import.MetFileError) as refused:
        mps_import.import_file(write_met(tmp_path / "m.csv", rows), article_copy, tmp_path / "s.db")
    # Every domestic abuse row kept (offences and positive outcomes), and only those.
    assert refused.value.total == 32 * 12 * 2
    assert len(refused.value.problems) == mps_import.MAX_PROBLEMS
    assert f"and {32 * 12 * 2 - mps_import.MAX_PROBLEMS} more" in str(refused.value)


def test_reimporting_the_same_file_changes_nothing(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    path = write_met(tmp_path / "met.csv", met_rows())
    mps_import.import_file(path, article_copy, store_path)
    before_data, before_store = snapshot(article_copy), snapshot(store_path.parent)
    again = mps_import.import_file(path, article_copy, store_path)
    assert again.plan.already is not None and again.build is None
    assert snapshot(article_copy) == before_data
    assert snapshot(store_path.parent) == before_store


def test_a_newer_file_adds_and_corrects_periods_and_an_older_one_never_overwrites(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    first = write_met(tmp_path / "may.csv", met_rows("2022-04", "2024-03", refresh="2024-05-01"))
    mps_import.import_file(first, article_copy, store_path)
    old = offences(store_path)[(CROYDON, "fy2023-24")]

    def corrected(code: str, month: str) -> int:
        return 500 if (code, month) == (CROYDON, "2023-05") else 60

    newer = write_met(
        tmp_path / "aug.csv",
        met_rows("2023-04", "2024-06", count=corrected, refresh="2024-08-01"),
    )
    result = mps_import.import_file(newer, article_copy, store_path)
    assert result.plan.added == 32 * 3 * 2  # April to June 2024, offences and outcomes
    assert result.plan.corrected == 32 * 12  # every month of 2023-24's offences changed
    got = offences(store_path)
    assert got[(CROYDON, "fy2023-24")]["count"] == 500 + 60 * 11 != old["count"]
    assert got[(CROYDON, "fy2023-24")]["source_id"] == result.plan.met.import_id
    assert got[(CROYDON, "fy2024-25")]["count"] == 60 * 3
    assert got[(CROYDON, "fy2024-25")]["partial"] == 1
    kept = got[(CROYDON, "fy2022-23")]  # only the first file covers it
    assert kept["source_id"] == mps_import.read_met_file(first, _boroughs()).import_id

    # An older file imported late never overwrites what a newer one said.
    stale = write_met(tmp_path / "april.csv", met_rows("2023-04", "2024-03", refresh="2024-04-02"))
    late = mps_import.import_file(stale, article_copy, store_path)
    assert late.plan.kept_newer == 32 * 12 * 2
    assert offences(store_path)[(CROYDON, "fy2023-24")]["count"] == 500 + 60 * 11


def _boroughs() -> list[dict]:
    from bot.domain.paths import data_dir

    return dataset.check(data_dir()).tables["boroughs"]


def test_a_borough_missing_months_has_its_years_marked_partial(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    rows = [
        r
        for r in met_rows("2022-04", "2023-03")
        if not (r["Borough_SNT"] == "Croydon" and r["Month_Year"].startswith("2022-08"))
    ]
    mps_import.import_file(write_met(tmp_path / "m.csv", rows), article_copy, store_path)
    got = offences(store_path)
    assert got[(CROYDON, "fy2022-23")]["partial"] == 1
    assert got[(CROYDON, "fy2022-23")]["period_label"] == "April 2022 to March 2023 (11 months)"
    assert got[(KC, "fy2022-23")]["partial"] == 0


def test_the_city_of_london_is_never_counted(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    boroughs = MET_BOROUGHS | {"E09000001": "City of London"}
    rows = met_rows("2023-04", "2024-03", boroughs=boroughs)
    result = mps_import.import_file(write_met(tmp_path / "m.csv", rows), article_copy, store_path)
    assert "E09000001" not in result.plan.met.boroughs
    assert not [key for key in offences(store_path) if key[0] == "E09000001"]


def test_cli_imports_and_says_what_it_did(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    path = write_met(tmp_path / "met.csv", met_rows("2021-04", "2024-09"))
    args = ["data", "import-mps", str(path), "--data", str(article_copy), "--store"]
    args.append(str(store_path))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "for 32 boroughs, April 2021 to September 2024" in result.output
    assert "Whole financial years: 2021-22 to 2023-24." in result.output
    assert "Part years (marked partial): 2024-25." in result.output
    assert "Safer Neighbourhood Team rows" in result.output
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and "already imported" in again.output


def test_cli_refuses_a_bad_file_with_exit_status_1(
    article_copy: Path, store_path: Path, tmp_path: Path
) -> None:
    rows = met_rows("2023-04", "2023-05")
    rows[0] = rows[0] | {"Borough_SNT": "Atlantis"}
    path = write_met(tmp_path / "met.csv", rows)
    args = ["data", "import-mps", str(path), "--data", str(article_copy), "--store"]
    args.append(str(store_path))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "met.csv, line 2: unknown borough 'Atlantis'" in result.output
    assert "Nothing was changed" in result.output
    assert not (article_copy / "mps_months.csv").exists() and not store_path.exists()


def test_shuffled_rows_give_the_same_store(article_copy: Path, tmp_path: Path) -> None:
    rows = met_rows("2022-04", "2023-03")
    shuffled = rows[:]
    random.Random(6).shuffle(shuffled)
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, these in ((a, rows), (b, shuffled)):
        data = tmp_path / f"data-{folder.name}"
        data.mkdir()
        for f in article_copy.iterdir():
            (data / f.name).write_bytes(f.read_bytes())
        mps_import.import_file(
            write_met(tmp_path / f"{folder.name}.csv", these), data, folder / "s.db"
        )
    assert offences(a / "s.db").keys() == offences(b / "s.db").keys()
    assert all(
        offences(a / "s.db")[k]["count"] == offences(b / "s.db")[k]["count"]
        for k in offences(a / "s.db")
    )
