"""data/ checks and the atomic build of the SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from bot.core.conversation import Conversation
from bot.data import dataset
from bot.data.store import load_store


def test_project_data_passes_its_checks(repo_data: Path) -> None:
    rows = dataset.check(repo_data)
    assert len(rows.tables["boroughs"]) == 33
    assert {r["code"] for r in rows.tables["boroughs"]} == {f"E090000{n:02d}" for n in range(1, 34)}
    article = [r for r in rows.tables["offences"] if r["period"] == "article-2008"]
    counts = {r["borough_code"]: r["count"] for r in article}
    assert counts["E09000020"] == 619  # Kensington and Chelsea, lowest
    assert counts["E09000008"] == 2531  # Croydon, highest
    assert len(counts) == 6
    # The Met's file, summed: every borough but the City, in each whole financial year.
    met = [r for r in rows.tables["offences"] if r["period"] == "fy2024-25"]
    assert len({r["borough_code"] for r in met}) == 32
    populations = {(r["borough_code"], r["year"]) for r in rows.tables["populations"]}
    assert len(populations) == 66  # 33 areas, Census 2011 and 2021


def test_every_service_has_status_source_and_check_date(repo_data: Path) -> None:
    for row in dataset.check(repo_data).tables["services"]:
        assert row["status"] in {"CONFIRMED", "UNCONFIRMED"}
        assert row["source"] and row["last_checked"]


def _replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + line + "\n")


BROKEN = [
    pytest.param(
        "offences.csv", ",offences,2531,", ",offences,-4,",
        "offences.csv, line 3: count is negative", id="negative-count",
    ),
    pytest.param(
        "offences.csv", ",offences,2531,", ",offences,lots,",
        "offences.csv, line 3: count is not a whole number", id="non-numeric-count",
    ),
    pytest.param(
        "offences.csv", "E09000008,article-2008", "E09000099,article-2008",
        "offences.csv, line 3: unknown borough 'E09000099'", id="unknown-borough",
    ),
    pytest.param(
        "offences.csv", ",offences,2531,getwestlondon-kc", ",offences,2531,",
        "offences.csv, line 3: source_id is empty", id="missing-source",
    ),
    pytest.param(
        "offences.csv", ",offences,2531,getwestlondon-kc", ",offences,2531,a-blog",
        "offences.csv, line 3: unknown source 'a-blog'", id="unknown-source",
    ),
    pytest.param(
        "offences.csv", "E09000008,article-2008", "E09000020,article-2008",
        "offences.csv, line 3: duplicate borough, period and measure (first on line 2)",
        id="duplicate-row",
    ),
    pytest.param(
        "offences.csv", "2008-01,2008-12,0,offences,2531", "2008-01,Dec 2008,0,offences,2531",
        "offences.csv, line 3: period_end must look like 2008-01", id="bad-period",
    ),
    pytest.param(
        "services.csv", ",CONFIRMED,,refuge.org.uk", ",MAYBE,,refuge.org.uk",
        "services.csv, line 6: status must be CONFIRMED or UNCONFIRMED", id="bad-status",
    ),
    pytest.param(
        "services.csv", "0808 2000 247,", "0808-2000-247,",
        "services.csv, line 6: phone may hold only digits and spaces", id="bad-phone",
    ),
    pytest.param(
        "boroughs.csv", "E09000008,Croydon,Outer,South,363400",
        "E09000008,Croydon,Outer,South West,363400", "boroughs.csv, line 9: unknown sub_region",
        id="bad-sub-region",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_a_broken_row_is_named_by_file_and_line(
    data_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _replace_line(data_copy / file, old, new)
    with pytest.raises(dataset.DataError) as caught:
        dataset.check(data_copy)
    assert expected in str(caught.value)


def test_missing_column_is_reported_on_the_header_line(data_copy: Path) -> None:
    _replace_line(data_copy / "offences.csv", ",count,source_id", ",source_id")
    with pytest.raises(
        dataset.DataError, match=r"offences.csv, line 1: missing column\(s\): count"
    ):
        dataset.check(data_copy)


def test_an_unquoted_comma_is_caught(data_copy: Path) -> None:
    _append(data_copy / "findings.csv", "x,london,context,,2008,Fewer, not more,getwestlondon-kc")
    with pytest.raises(dataset.DataError, match=r"findings.csv, line 9: more values than columns"):
        dataset.check(data_copy)


def test_a_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "services.csv").unlink()
    with pytest.raises(dataset.DataError, match=r"data/services.csv, line 0: file is missing"):
        dataset.check(data_copy)


def test_every_problem_is_listed_not_just_the_first(data_copy: Path) -> None:
    _replace_line(data_copy / "offences.csv", ",offences,2531,", ",offences,-1,")
    _replace_line(data_copy / "offences.csv", ",offences,619,", ",offences,x,")
    with pytest.raises(dataset.DataError) as caught:
        dataset.check(data_copy)
    assert [p.line for p in caught.value.problems] == [2, 3]


def test_build_writes_tables_with_keys(repo_data: Path, tmp_path: Path) -> None:
    result = dataset.build(repo_data, tmp_path / "s.db")
    db = sqlite_utils.Database(result.path)
    assert db["offences"].pks == ["borough_code", "period", "measure"]
    assert {fk.other_table for fk in db["offences"].foreign_keys} == {"boroughs", "sources"}
    assert db["boroughs"].count == 33
    assert result.counts["services"] == db["services"].count == 25
    assert db.execute("select value from meta where key='fingerprint'").fetchone()[0]
    assert not list(tmp_path.glob(".building-*")), "the temporary build file was left behind"


def test_a_bad_edit_leaves_the_store_in_use_untouched(data_copy: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "s.db"
    dataset.build(data_copy, store_path)
    before = store_path.read_bytes()
    _replace_line(data_copy / "offences.csv", ",offences,2531,", ",offences,-2531,")
    with pytest.raises(dataset.DataError):
        dataset.build(data_copy, store_path)
    assert store_path.read_bytes() == before
    assert not list(tmp_path.glob(".building-*"))


def test_load_store_rebuilds_when_data_changes(data_copy: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "s.db"
    assert "2,531" in Conversation(load_store(data_copy, store_path)).answer("croydon").text
    _replace_line(data_copy / "offences.csv", ",offences,2531,", ",offences,2532,")
    assert "2,532" in Conversation(load_store(data_copy, store_path)).answer("croydon").text


def test_load_store_keeps_answering_from_the_last_good_build(
    data_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store_path = tmp_path / "s.db"
    load_store(data_copy, store_path).close()
    _replace_line(data_copy / "offences.csv", ",offences,2531,", ",offences,minus,")
    store = load_store(data_copy, store_path)
    assert "2,531" in Conversation(store).answer("croydon").text
    assert "offences.csv, line 3" in caplog.text


def test_load_store_with_no_good_build_raises(data_copy: Path, tmp_path: Path) -> None:
    _replace_line(data_copy / "offences.csv", ",offences,2531,", ",offences,minus,")
    with pytest.raises(dataset.DataError):
        load_store(data_copy, tmp_path / "s.db")


def test_an_empty_store_file_is_rebuilt_and_any_other_file_is_never_replaced(
    repo_data: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "s.db"
    store_path.write_bytes(b"")
    assert "2,531" in Conversation(load_store(repo_data, store_path)).answer("croydon").text
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database")
    with pytest.raises(dataset.NotAStore, match="is not a helpline-bot store"):
        load_store(repo_data, other)
    assert other.read_bytes() == b"not a database"


def test_figures_for_an_area_the_met_does_not_police_are_refused(data_copy: Path) -> None:
    _append(
        data_copy / "offences.csv",
        'E09000001,article-2008,"one year, most likely 2008",2008-01,2008-12,0,offences,5,'
        "getwestlondon-kc",
    )
    with pytest.raises(dataset.DataError, match=r"line 8: E09000001 is not policed by the Met"):
        dataset.check(data_copy)


def test_a_period_that_ends_before_it_starts_is_refused(data_copy: Path) -> None:
    _replace_line(
        data_copy / "offences.csv",
        "2008-01,2008-12,0,offences,2531",
        "2009-01,2008-12,0,offences,2531",
    )
    with pytest.raises(dataset.DataError, match=r"line 3: period_start is after period_end"):
        dataset.check(data_copy)


def test_a_service_the_replies_rely_on_cannot_be_removed(data_copy: Path) -> None:
    services = data_copy / "services.csv"
    lines = services.read_text().splitlines(keepends=True)
    services.write_text("".join(line for line in lines if not line.startswith("silent-solution,")))
    with pytest.raises(dataset.DataError, match=r"'silent-solution' is missing"):
        dataset.check(data_copy)
