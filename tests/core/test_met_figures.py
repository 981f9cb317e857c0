"""The Met's real figures as shipped in data/ (August 2021 to July 2025), answered by the core.

The fixed numbers are the checks FACTS.md section 1b lists (sums of the Met's file); the rest
are worked out here from data/mps_months.csv, independently of the store.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from bot.core.conversation import Conversation
from bot.data.store import load_store
from bot.domain.paths import data_dir
from bot.fronts.plaintext import to_plain

HELPLINE = "0808 2000 247"
MET_SOURCE = "Metropolitan Police Service, via the London Datastore"
REFRESHED = "refreshed 2 August 2025"
LICENCE = "Open Government Licence"
LATEST = "April 2024 to March 2025"
ARTICLE = "one year, most likely 2008"


@pytest.fixture(scope="module")
def months(repo_data: Path) -> dict[tuple[str, str], dict[str, int]]:
    """(borough code, measure) -> {"2024-04": count, ...} straight from data/."""
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    with (repo_data / "mps_months.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            out[(row["borough_code"], row["measure"])][row["month"]] = int(row["count"])
    return out


@pytest.fixture(scope="module")
def names(repo_data: Path) -> dict[str, str]:
    with (repo_data / "boroughs.csv").open(newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def fy(counts: dict[str, int], start: int) -> int:
    """A financial year's sum, April of start to March of the next year."""
    first, last = f"{start}-04", f"{start + 1}-03"
    return sum(n for month, n in counts.items() if first <= month <= last)


def plain(conversation: Conversation, message: str) -> str:
    return to_plain(conversation.answer(message).text)


def assert_cited_with_help(text: str) -> None:
    assert MET_SOURCE in text and REFRESHED in text and LICENCE in text
    assert HELPLINE in text and "999" in text


@pytest.mark.parametrize(
    ("period", "london", "croydon"),
    [(2022, 92_384, 4_772), (2023, 92_028, 4_848), (2024, 85_761, 4_787)],
)
def test_the_shipped_months_sum_to_the_checks_in_facts(
    months: dict, period: int, london: int, croydon: int
) -> None:
    offences = {code: m for (code, measure), m in months.items() if measure == "offences"}
    assert len(offences) == 32
    assert sum(fy(m, period) for m in offences.values()) == london
    assert fy(offences["E09000008"], period) == croydon


def test_every_met_borough_answers_with_its_newest_year(
    conversation: Conversation, months: dict, names: dict[str, str]
) -> None:
    for code, name in names.items():
        if code == "E09000001":
            continue  # the City: tested below
        text = plain(conversation, name)
        count = fy(months[(code, "offences")], 2024)
        assert f"{name}: {count:,} domestic abuse offences" in text, name
        assert f"Period: {LATEST}." in text
        assert "of the 32 boroughs" in text or "of 32" in text
        assert "2021 Census population" in text
        assert "London: 85,761 across the 32 boroughs" in text
        so_far = sum(n for m, n in months[(code, "offences")].items() if m >= "2025-04")
        assert f"So far in 2025-26: {so_far:,} (April to July 2025 only" in text
        assert_cited_with_help(text)


@pytest.mark.parametrize(
    ("message", "borough"),
    [
        ("camdn", "Camden"),  # a misspelling
        ("how bad is it in tower hamlts", "Tower Hamlets"),
        ("E14 figures", "Tower Hamlets"),  # a postcode district
        ("stats for brixton", "Lambeth"),  # a neighbourhood
        ("barking", "Barking and Dagenham"),
    ],
)
def test_a_borough_by_misspelling_postcode_or_neighbourhood(
    conversation: Conversation, message: str, borough: str
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == "figures"
    text = to_plain(reply.text)
    assert text.startswith(f"{borough}: ")
    assert f"Period: {LATEST}." in text
    assert_cited_with_help(text)


def test_croydon_has_the_change_rank_rate_and_article_year_as_history(
    conversation: Conversation,
) -> None:
    text = plain(conversation, "croydon")
    assert "Croydon: 4,787 domestic abuse offences" in text
    assert "Down 61 (1.3%) on 2023-24 (4,848)." in text
    assert "The highest of the 32 boroughs" in text
    # 4,787 / 390,800 * 1,000 = 12.25
    assert "12.2 per 1,000 residents (using the 2021 Census population of 390,800)" in text
    assert "2,531 domestic violence offences in one year, most likely 2008" in text
    assert "not comparable with today's figures" in text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("which borough has the most", "Croydon recorded the most: 4,787 offences"),
        ("which borough has the fewest", "Kingston upon Thames recorded the fewest: 993 offences"),
        (
            "highest rate per 1000",
            "Barking and Dagenham recorded the most per 1,000 residents (14.7)",
        ),
        (
            "lowest rate per 1000",
            "Richmond upon Thames recorded the fewest per 1,000 residents (5.4)",
        ),
    ],
)
def test_rankings_both_ways_by_count_and_by_rate(
    conversation: Conversation, message: str, expected: str
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == "ranking"
    text = to_plain(reply.text)
    assert expected in text
    assert len(re.findall(r"^\d+\. ", text, re.MULTILINE)) == 32  # every borough listed
    assert "Rates use the 2021 Census population" in text
    assert_cited_with_help(text)


@pytest.mark.parametrize(
    ("message", "heading", "members"),
    [
        ("inner london figures", "Inner London", 13),
        ("outer london figures", "Outer London", 19),
        ("domestic abuse in east london", "East London", 10),
    ],
)
def test_inner_outer_and_sub_regions(
    conversation: Conversation, message: str, heading: str, members: int
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == "sub_region"
    text = to_plain(reply.text)
    assert text.startswith(f"{heading} ({LATEST})")
    assert (
        len(re.findall(r"^• .+: [\d,]+ domestic abuse offences, ", text, re.MULTILINE)) == members
    )
    assert "In all: " in text and "per 1,000 residents (2021 Census)" in text
    assert_cited_with_help(text)


def test_compare_three_or_more_leaves_none_out(conversation: Conversation) -> None:
    text = plain(conversation, "compare camden, brent, ealing and harrow")
    for line in ("Camden: 1,775", "Brent: 3,294", "Ealing: 3,493", "Harrow: 1,856"):
        assert line in text
    assert "Most: Ealing (3,493). Fewest: Camden (1,775)." in text
    assert "ask again" not in text
    assert_cited_with_help(text)


def test_going_up_gives_every_whole_year_the_last_12_months_and_a_chart(
    conversation: Conversation, months: dict
) -> None:
    reply = conversation.answer("is it going up in croydon")
    assert reply.intent == "trend"
    text = to_plain(reply.text)
    assert "2022-23: 4,772 · 2023-24: 4,848 · 2024-25: 4,787" in text
    croydon = months[("E09000008", "offences")]
    last_12 = sum(n for m, n in croydon.items() if "2024-08" <= m <= "2025-07")
    before = sum(n for m, n in croydon.items() if "2023-08" <= m <= "2024-07")
    assert f"Last 12 months (August 2024 to July 2025): {last_12:,}" in text
    assert f"on the 12 months before ({before:,})" in text
    assert reply.image is not None and reply.image.read_bytes().startswith(b"\x89PNG")
    assert_cited_with_help(text)


def test_a_monthly_chart_of_the_48_months_with_its_words(
    conversation: Conversation, months: dict
) -> None:
    reply = conversation.answer("croydon month by month")
    assert reply.intent == "chart"
    assert reply.image is not None and reply.image.read_bytes().startswith(b"\x89PNG")
    text = to_plain(reply.text)
    assert "August 2021 to July 2025 (48 months)" in text
    croydon = months[("E09000008", "offences")]
    assert len(croydon) == 48
    # The chart's text version: every month's count, in order, is in the words.
    listed = re.findall(r"\b[A-Z][a-z]{2} (\d[\d,]*)", text)
    assert [int(n.replace(",", "")) for n in listed] == list(croydon.values())
    assert_cited_with_help(text)


def test_every_monthly_chart_fits_its_words_in_a_caption(
    conversation: Conversation, names: dict[str, str]
) -> None:
    for code, name in names.items():
        if code != "E09000001":
            reply = conversation.answer(f"{name} month by month", draw=False)
            assert reply.intent == "chart" and reply.chart is not None
            shown = html.unescape(re.sub(r"<[^>]+>", "", reply.text))
            assert len(shown) <= 1024, name  # Telegram's limit on a photo's caption


def test_positive_outcomes_beside_offences_never_called_an_arrest_rate(
    conversation: Conversation, months: dict
) -> None:
    reply = conversation.answer("how many led to a charge in croydon")
    assert reply.intent == "arrests"
    text = to_plain(reply.text)
    outcomes = fy(months[("E09000008", "positive_outcomes")], 2024)
    assert f"Croydon: {outcomes:,} positive outcomes, beside 4,787 domestic abuse offences" in text
    assert "London: 6,893 positive outcomes, beside 85,761" in text
    assert "Richmond upon Thames: outcomes for 11 of the 12 months only" in text
    assert f"(about {round(outcomes / 4787 * 100)} for every 100)" in text
    assert "not an arrest rate, a charge rate or a conviction rate" in text
    # The only arrest rate is the article's, as history with its year.
    assert (
        "Earlier, one year, most likely 2008: Hounslow police reported an 87% arrest rate" in text
    )
    assert text.count("arrest rate") == 2  # that note, and the caveat above
    assert_cited_with_help(text)


def test_a_borough_short_of_a_month_of_outcomes_says_so(conversation: Conversation) -> None:
    # The Met's file has no positive outcomes row for Richmond upon Thames in May 2024.
    text = plain(conversation, "positive outcomes in richmond")
    assert "outcomes for 11 of the 12 months only, as published" in text
    assert "for every 100" not in text  # no ratio over mismatched months


@pytest.mark.parametrize("message", ["croydon in 2008", "what were croydon's figures in 2008"])
def test_the_articles_year_is_history_with_its_caveat(
    conversation: Conversation, message: str
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == "figures"
    text = to_plain(reply.text)
    assert text.startswith("Croydon: 2,531 domestic violence offences")
    assert f"Period: {ARTICLE}." in text
    assert "2011 Census population of 363,400" in text  # the census of the article's time
    assert "The newest figure: 4,787 domestic abuse offences in April 2024 to March 2025" in text
    assert "Not comparable with today's figures" in text
    assert "getwestlondon" in text and HELPLINE in text


def test_the_2008_figures_rank_the_articles_six(conversation: Conversation) -> None:
    text = plain(conversation, "the 2008 figures")
    assert "Domestic violence offences by borough" in text
    assert "6 of 32 Met boroughs" in text
    assert "1. Croydon: 2,531" in text and "6. Kensington and Chelsea: 619" in text
    assert "Not comparable with today's figures" in text
    assert "getwestlondon" in text and HELPLINE in text


def test_a_year_we_do_not_hold_says_so(conversation: Conversation) -> None:
    text = plain(conversation, "camden in 2008")
    assert text.startswith("We don't hold a figure for Camden in 2008. The newest we hold:")
    assert "Camden: 1,775 domestic abuse offences" in text


def test_the_city_of_london_has_no_figures_and_says_why(conversation: Conversation) -> None:
    text = plain(conversation, "city of london figures")
    assert "City of London Police, not the Metropolitan Police" in text
    assert "4,787" not in text and HELPLINE in text


def test_about_names_both_censuses_and_the_refresh_date(conversation: Conversation) -> None:
    text = plain(conversation, "about the data")
    assert "2021, Census 2021 usual residents" in text and "2011, Census 2011" in text
    assert REFRESHED in text and LICENCE in text


@pytest.mark.parametrize(
    ("message", "first", "period"),
    [
        ("croydon 2022-23", "Croydon: 4,772 domestic abuse offences", "April 2022 to March 2023"),
        ("kingston in 2023/24", "Kingston upon Thames: 1,137", "April 2023 to March 2024"),
        ("croydon in 2023", "Croydon: 4,748 domestic abuse offences", "January to December 2023"),
        (
            "croydon in 2021-22",
            "Croydon: 3,234 domestic abuse offences",
            "August 2021 to March 2022",
        ),
    ],
)
def test_a_met_year_is_answered_for_the_year_asked_without_the_articles_caveat(
    conversation: Conversation, message: str, first: str, period: str
) -> None:
    text = plain(conversation, message)
    assert text.startswith(first)
    assert f"Period: {period}." in text
    assert "Not comparable" not in text  # the caveat is for the article's year only
    assert "The newest figure: " in text
    assert_cited_with_help(text)


def test_a_ranking_for_a_met_year_has_no_articles_caveat(conversation: Conversation) -> None:
    text = plain(conversation, "which borough was highest in 2022")
    assert "Croydon recorded the most: 4,825 offences" in text
    assert "January to December 2022" in text and "Not comparable" not in text


@pytest.fixture(scope="module")
def richmond_short_of_may(tmp_path_factory: pytest.TempPathFactory) -> Conversation:
    """The shipped data with Richmond upon Thames's offences for May 2024 taken out."""
    folder = tmp_path_factory.mktemp("short")
    data = Path(shutil.copytree(data_dir(), folder / "data"))
    months_file = data / "mps_months.csv"
    lines = months_file.read_text().splitlines(keepends=True)
    gone = [line for line in lines if not line.startswith("E09000027,2024-05,offences,")]
    assert len(gone) == len(lines) - 1
    months_file.write_text("".join(gone))
    return Conversation(load_store(data, folder / "s.db"))


def test_a_borough_short_of_a_month_is_marked_and_london_not_called_complete(
    richmond_short_of_may: Conversation,
) -> None:
    ranking = plain(richmond_short_of_may, "rank all boroughs")
    assert "Richmond upon Thames: 978" in ranking and "(part year: " in ranking
    assert "London: " not in ranking  # no London total while a borough is short of a month
    outer = plain(richmond_short_of_may, "outer london figures")
    assert "Richmond upon Thames: 978 domestic abuse offences" in outer
    assert "with a part year for Richmond upon Thames" in outer
