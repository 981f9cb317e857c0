"""Answers over several periods, checked against the Met-layout file they were imported from."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import telegram_html
from met_layout import (
    CROYDON,
    KC,
    MET_BOROUGHS,
    article_data,
    da_offences,
    met_rows,
    write_met,
    year_total,
)

from bot.core.conversation import Conversation
from bot.core.figures import period_table
from bot.core.trends import Change, borough_view, london_total, period_groups, trend_for
from bot.data import mps_import
from bot.data.store import Store, load_store
from bot.domain.models import PeriodSummary
from bot.fronts.plaintext import to_plain

MET_URL = "https://data.london.gov.uk/dataset/mps-monthly-crime-dahboard-data"
ARTICLE_URL = "getwestlondon.co.uk"
HELPLINE = "0808 2000 247"
POPULATION = {"E09000008": 363_400, "E09000020": 158_700}


class Imported:
    """A store built from a copy of data/ plus one imported Met-layout file."""

    def __init__(self, folder: Path, repo_data: Path, rows: list[dict[str, str]]):
        data = article_data(folder / "data")
        self.file = write_met(folder / "MPS_MonthlyCrimeDashboard_OtherCrimeData.csv", rows)
        self.in_file = da_offences(self.file)
        self.store_path = folder / "cache" / "helpline.db"
        mps_import.import_file(self.file, data, self.store_path)
        self.store: Store = load_store(data, self.store_path)
        self.conversation = Conversation(self.store)

    def fy(self, code: str, start: int) -> int:
        return year_total(self.in_file, code, f"{start}-04", f"{start + 1}-03")


@pytest.fixture(scope="module")
def met(tmp_path_factory: pytest.TempPathFactory, repo_data: Path) -> Imported:
    # Ten whole financial years, 2014-15 to 2023-24, then April to September 2024.
    return Imported(tmp_path_factory.mktemp("met"), repo_data, met_rows("2014-04", "2024-09"))


def visible(text: str) -> str:
    """What Telegram counts in a caption: the text without tags or entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_latest_is_the_newest_whole_year_with_the_change_on_the_year_before(
    met: Imported,
) -> None:
    view = borough_view(met.store, CROYDON)
    assert view is not None
    f = view.row.figure
    assert (f.period, f.partial, f.count) == ("fy2023-24", False, met.fy(CROYDON, 2023))
    assert view.change is not None
    assert view.change.previous.period == "fy2022-23"
    assert view.change.difference == met.fy(CROYDON, 2023) - met.fy(CROYDON, 2022)
    # The part year after it is kept apart, never passed off as the latest.
    assert view.part_year is not None and view.part_year.period == "fy2024-25"
    assert view.part_year.count == year_total(met.in_file, CROYDON, "2024-04", "2024-09")
    # The article's figure stays, with its own source.
    (article,) = view.others
    assert (article.period, article.count, article.source.id) == (
        "article-2008",
        2531,
        "getwestlondon-kc",
    )


def test_rank_rate_and_london_total_match_the_file(met: Imported) -> None:
    totals = {code: met.fy(code, 2023) for code in MET_BOROUGHS}
    ranked = sorted(totals, key=lambda c: (-totals[c], met.store.boroughs[c].name))
    table = period_table(met.store, "fy2023-24")
    row = next(r for r in table if r.figure.borough_code == KC)
    assert row.rank == ranked.index(KC) + 1 and row.out_of == 32
    assert row.population is not None and row.population.year == 2011
    assert row.rate == pytest.approx(totals[KC] / POPULATION[KC] * 1000)

    london = london_total(met.store, table)
    assert london is not None and london.complete
    assert london.total == sum(totals.values())
    assert london.average == pytest.approx(sum(totals.values()) / 32)
    met_population = sum(b.population_2011 for b in met.store.boroughs.values() if b.policed_by_met)
    assert london.rate == pytest.approx(sum(totals.values()) / met_population * 1000)
    assert london.population_year == 2011


def test_the_trend_covers_every_whole_year_of_one_series(met: Imported) -> None:
    trend = trend_for(met.store, CROYDON)
    assert trend is not None
    assert [f.period for f in trend.points] == [
        f"fy{y}-{(y + 1) % 100:02d}" for y in range(2014, 2024)
    ]
    assert [f.count for f in trend.points] == [met.fy(CROYDON, y) for y in range(2014, 2024)]
    assert trend.labels[0] == "2014-15" and trend.labels[-1] == "2023-24"
    assert trend.direction == "up" and trend.rises == 9 and trend.falls == 0
    assert trend.part_year is not None and trend.part_year.partial
    averages = [sum(met.fy(c, y) for c in MET_BOROUGHS) / 32 for y in range(2014, 2024)]
    assert trend.london_averages == pytest.approx(averages)


@pytest.mark.parametrize(
    ("count", "direction"),
    [
        (lambda code, month: 200 - (int(month[:4]) - 2019) * 20, "down"),
        (lambda code, month: 100 + int(month[:4]) % 2, "flat"),  # moves, but less than 5%
        (lambda code, month: 100 + (int(month[:4]) - 2019) * 10, "up"),
    ],
)
def test_direction_of_a_trend(tmp_path: Path, repo_data: Path, count, direction: str) -> None:
    imported = Imported(tmp_path, repo_data, met_rows("2019-04", "2023-03", count=count))
    trend = trend_for(imported.store, CROYDON)
    assert trend is not None and trend.years == 4
    assert trend.direction == direction


def test_change_handles_no_change_and_a_previous_zero(met: Imported) -> None:
    f = met.store.figures_for(CROYDON)[-1]
    assert Change(f, f).direction == "same" and Change(f, f).percent == 0
    zero = type(f)(**{**{s: getattr(f, s) for s in f.__slots__}, "count": 0})
    assert Change(f, zero).percent is None


def test_croydon_answers_with_numbers_from_the_file(met: Imported) -> None:
    reply = met.conversation.answer("croydon")
    text = to_plain(reply.text)
    latest, before = met.fy(CROYDON, 2023), met.fy(CROYDON, 2022)
    assert f"Croydon: {latest:,} domestic abuse offences recorded by the police." in text
    assert "Period: April 2023 to March 2024." in text
    percent = (latest - before) / before * 100
    assert f"Up {latest - before:,} ({percent:.1f}%) on 2022-23 ({before:,})." in text
    assert "per 1,000 residents (using the 2011 Census population of 363,400)" in text
    total = sum(met.fy(c, 2023) for c in MET_BOROUGHS)
    assert f"London: {total:,} across the 32 boroughs" in text
    part = year_total(met.in_file, CROYDON, "2024-04", "2024-09")
    assert f"So far in 2024-25: {part:,} (April to September 2024 only: a part year" in text
    assert "2,531 domestic violence offences in one year, most likely 2008" in text
    assert MET_URL in reply.text and ARTICLE_URL in reply.text
    assert HELPLINE in text and "999" in text


def test_is_it_going_up_gives_the_trend_and_its_chart(met: Imported) -> None:
    reply = met.conversation.answer("is it going up in croydon")
    assert reply.intent == "trend"
    text = to_plain(reply.text)
    first, last = met.fy(CROYDON, 2014), met.fy(CROYDON, 2023)
    assert "Croydon: going up" in text
    assert f"2014-15 to 2023-24: up {last - first:,}" in text
    assert f"from {first:,} to {last:,}" in text
    assert f"2019-20: {met.fy(CROYDON, 2019):,}" in text
    assert "So far in 2024-25" in text and "part year" in text
    assert MET_URL in reply.text and HELPLINE in text
    assert reply.image is not None and reply.image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(visible(reply.text)) <= 1024  # sent as a photo caption


def test_which_borough_is_highest_ranks_all_32_from_the_file(met: Imported) -> None:
    reply = met.conversation.answer("which borough is highest")
    text = to_plain(reply.text)
    totals = {code: met.fy(code, 2023) for code in MET_BOROUGHS}
    top = max(totals, key=totals.__getitem__)
    name = met.store.boroughs[top].name
    assert f"{name} recorded the most: {totals[top]:,} offences, of the 32 boroughs" in text
    assert "(April 2023 to March 2024)" in text
    assert f"London: {sum(totals.values()):,} in all" in text
    assert len(re.findall(r"^\d+\. ", text, re.M)) == 32
    # The article's London-wide notes are labelled with their own year and source.
    assert "(one year, most likely 2008, getwestlondon)" in text
    assert MET_URL in reply.text


def test_show_me_a_chart_sends_the_ranking_picture_with_its_words(met: Imported) -> None:
    reply = met.conversation.answer("show me a chart")
    assert reply.intent == "chart"
    assert reply.image is not None and reply.image.suffix == ".png"
    assert reply.image.parent.parent == met.store_path.parent / "charts"  # beside the store
    text = to_plain(reply.text)
    totals = {code: met.fy(code, 2023) for code in MET_BOROUGHS}
    top, bottom = max(totals, key=totals.__getitem__), min(totals, key=totals.__getitem__)
    assert f"Highest: {met.store.boroughs[top].name} ({totals[top]:,})" in text
    assert f"Lowest: {met.store.boroughs[bottom].name} ({totals[bottom]:,})" in text
    assert "Period: April 2023 to March 2024." in text
    assert MET_URL in reply.text and HELPLINE in text
    assert len(visible(reply.text)) <= 1024


def test_a_chart_of_a_boroughs_rank_highlights_it(met: Imported) -> None:
    reply = met.conversation.answer("chart of where kensington ranks")
    assert reply.intent == "chart" and reply.image is not None
    charts = met.conversation.charts  # file names say nothing; the same chart, the same name
    assert reply.image.name == charts.file_name("ranking-fy2023-24-count-E09000020")
    assert KC not in reply.image.name
    text = to_plain(reply.text)
    assert f"Kensington and Chelsea: {met.fy(KC, 2023):,}" in text
    by_rate = met.conversation.answer("chart per 1000 residents")
    assert by_rate.image is not None and by_rate.image != reply.image
    assert "per 1,000 residents" in to_plain(by_rate.text)


def test_a_chart_of_one_borough_is_its_trend(met: Imported) -> None:
    reply = met.conversation.answer("graph for croydon")
    assert reply.intent == "trend"
    assert reply.image is not None
    assert reply.image.name == met.conversation.charts.file_name("trend-E09000008-fy")


def test_the_city_of_london_gets_no_chart(met: Imported) -> None:
    reply = met.conversation.answer("chart for the city of london")
    assert reply.image is None
    assert "City of London Police" in to_plain(reply.text)


def test_with_only_the_articles_year_there_is_no_trend_to_show(
    article_conversation: Conversation,
) -> None:
    reply = article_conversation.answer("is it going up in croydon")
    assert reply.intent == "trend" and reply.image is None
    text = to_plain(reply.text)
    assert "Croydon: 2,531" in text and "one year, most likely 2008" in text
    assert "can't show a trend yet" in text
    assert HELPLINE in text


def test_about_groups_periods_by_series_and_source(met: Imported) -> None:
    groups = period_groups(met.store)
    assert [(g.series, g.source.publisher.split(",")[0]) for g in groups] == [
        ("fy", "Metropolitan Police Service"),
        ("cy", "Metropolitan Police Service"),
        ("article", "getwestlondon"),
    ]
    assert all(isinstance(p, PeriodSummary) for g in groups for p in g.periods)
    text = to_plain(met.conversation.answer("about the data").text)
    assert "financial years (April to March) 2014-15 to 2023-24" in text
    assert "April to September 2024 (a part year)" in text
    assert "one year, most likely 2008" in text
    assert len(met.conversation.answer("about the data").text) < 4096


@pytest.mark.parametrize(
    "message",
    [
        "croydon",
        "kensington",
        "is it going up in croydon",
        "which borough is highest",
        "lowest per 1000",
        "show me a chart",
        "chart of where croydon ranks",
        "graph for hounslow",
        "compare croydon and ealing",
        "west london",
        "about the data",
    ],
)
def test_every_reply_over_imported_figures_is_valid_telegram_html(
    met: Imported, message: str
) -> None:
    reply = met.conversation.answer(message)
    assert telegram_html.problems(reply.text) == []
    assert HELPLINE in reply.text
    if reply.image is not None:
        assert len(visible(reply.text)) <= 1024
