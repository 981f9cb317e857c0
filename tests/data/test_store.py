"""The store's reads: the same answers from SQLite as from its memory of earlier reads."""

from __future__ import annotations

from pathlib import Path

from bot.data.store import Store, load_store

CROYDON = "E09000008"


def test_reads_kept_in_memory_match_a_fresh_store_and_cannot_be_changed_by_a_caller(
    store: Store, repo_data: Path, tmp_path: Path
) -> None:
    first = store.figures_for(CROYDON)
    first.clear()  # a caller's list is its own
    again = store.figures_for(CROYDON)
    fresh = load_store(repo_data, tmp_path / "fresh.db")
    try:
        assert again and again == fresh.figures_for(CROYDON)
        assert store.findings(CROYDON) == fresh.findings(CROYDON)
        store.findings("london").clear()
        assert store.findings("london") == fresh.findings("london") != []
        assert store.findings_of_kind("arrest_rate") == fresh.findings_of_kind("arrest_rate")
        assert store.latest_period() == fresh.latest_period() is not None
    finally:
        fresh.close()


def test_the_small_tables_are_read_on_open(store: Store) -> None:
    assert store.boroughs[CROYDON].name == "Croydon"
    assert "national-helpline" in store.services
    assert store.sources and store.places
