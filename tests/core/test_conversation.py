"""The core, answer(text) -> Reply, through its public functions.

Tests of figures answers take `article_conversation`: a store of the article's year alone,
the path the bot takes before any Met import. The Met's real figures, as shipped in data/,
are tested in test_met_figures.py.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bot.core.conversation import Conversation
from bot.domain.models import Effect
from bot.fronts.plaintext import to_plain

HELPLINE = "0808 2000 247"
ARTICLE_URL = (
    "https://www.getwestlondon.co.uk/news/local-news/domestic-violence-rates-lowest-kc-5967118"
)
PERIOD = "one year, most likely 2008"


def first_line(text: str) -> str:
    return to_plain(text).strip().splitlines()[0]


@pytest.mark.parametrize(
    ("message", "borough", "count"),
    [
        ("croydon", "Croydon", "2,531"),
        ("how many in K&C?", "Kensington and Chelsea", "619"),
        ("RBKC figures", "Kensington and Chelsea", "619"),
        ("domestic violence hammersmith", "Hammersmith and Fulham", "1,155"),
        ("stats for H&F please", "Hammersmith and Fulham", "1,155"),
        ("hounslo", "Hounslow", "2,038"),
        ("ealing", "Ealing", "1,920"),
        ("Westminster numbers", "Westminster", "1,153"),
    ],
)
def test_a_boroughs_figures_carry_period_source_and_help(
    article_conversation: Conversation, message: str, borough: str, count: str
) -> None:
    reply = article_conversation.answer(message)
    assert reply.intent == "figures"
    assert f"<b>{borough}: {count}</b>" in reply.text
    assert PERIOD in reply.text
    assert ARTICLE_URL in reply.text
    assert HELPLINE in reply.text and "999" in reply.text
    assert (
        "how often people report" in reply.text
    )  # the caveat: recorded offences reflect reporting


def test_croydon_is_ranked_and_given_a_labelled_rate(article_conversation: Conversation) -> None:
    text = to_plain(article_conversation.answer("croydon").text)
    assert "The highest of the 6 boroughs we have figures for" in text
    # 2,531 / 363,400 * 1,000 = 6.96
    assert "7.0 per 1,000 residents (using the 2011 Census population of 363,400)" in text
    assert "2nd of 6 by rate" in text  # Hounslow is higher per person


def test_hounslow_shows_its_arrest_rate(article_conversation: Conversation) -> None:
    assert "87% arrest rate" in article_conversation.answer("hounslow").text


def test_a_borough_without_figures_says_so_and_still_helps(
    article_conversation: Conversation,
) -> None:
    reply = article_conversation.answer("camden")
    text = to_plain(reply.text)
    assert "don't have domestic violence figures for Camden" in text
    assert "Solace Women's Aid" in text  # a service seen in Camden
    assert HELPLINE in text
    assert text.count("Solace Women's Aid:") == 1


def test_the_city_is_explained(conversation: Conversation) -> None:
    text = to_plain(conversation.answer("the City").text)
    assert "City of London Police" in text and "not the Metropolitan Police" in text
    assert HELPLINE in text


@pytest.mark.parametrize(
    "message",
    [
        "he's outside the door",
        "HE SAID HE'D KILL ME",
        "i'm in danger",
        "he is hitting me right now",
        "locked myself in the bathroom, croydon",
        "croydon figures but also he has a knife",
    ],
)
def test_danger_leads_with_999_and_silent_solution(
    conversation: Conversation, message: str
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == "danger"
    assert "999" in first_line(reply.text)
    assert "press 55" in reply.text
    assert "can't call anyone" in reply.text  # never pretends to be an emergency service


def test_compare_two_boroughs(article_conversation: Conversation) -> None:
    reply = article_conversation.answer("compare hounslow and ealing")
    text = to_plain(reply.text)
    assert reply.intent == "compare"
    assert "Hounslow: 2,038" in text and "Ealing: 1,920" in text
    assert "Hounslow recorded 118 more than Ealing" in text
    assert ARTICLE_URL in text and HELPLINE in text


def test_compare_with_a_borough_without_figures(article_conversation: Conversation) -> None:
    text = to_plain(article_conversation.answer("croydon vs camden").text)
    assert "Croydon: 2,531" in text
    assert "Camden: we don't have figures" in text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("which borough has the highest figures", "Croydon recorded the most: 2,531"),
        ("lowest domestic violence borough", "Kensington and Chelsea recorded the fewest: 619"),
        ("highest rate per 1000 people", "Hounslow recorded the most per 1,000 residents (8.0)"),
    ],
)
def test_highest_and_lowest(
    article_conversation: Conversation, message: str, expected: str
) -> None:
    reply = article_conversation.answer(message)
    assert reply.intent == "ranking"
    assert expected in to_plain(reply.text)


def test_ranking_lists_every_borough_with_figures_in_order(
    article_conversation: Conversation,
) -> None:
    text = to_plain(article_conversation.answer("rank all boroughs").text)
    order = ["Croydon", "Hounslow", "Ealing", "Hammersmith and Fulham", "Westminster",
             "Kensington and Chelsea"]  # fmt: skip
    positions = [text.index(f"{n}. {name}:") for n, name in enumerate(order, start=1)]
    assert positions == sorted(positions)
    assert ARTICLE_URL in text and HELPLINE in text


def test_west_london(article_conversation: Conversation) -> None:
    text = to_plain(article_conversation.answer("domestic violence in west london").text)
    assert "Hounslow: 2,038" in text and "Ealing: 1,920" in text
    assert "Croydon" not in text  # South London
    assert "No figures yet for: Brent, Harrow, Hillingdon, Richmond upon Thames." in text


def test_help_in_general(conversation: Conversation) -> None:
    reply = conversation.answer("where can I get help")
    assert reply.intent == "help"
    assert "999" in first_line(reply.text)
    assert HELPLINE in reply.text
    labels = [b.label for row in reply.buttons for b in row]
    assert "For men" in labels


def test_help_in_a_borough_puts_local_services_first(conversation: Conversation) -> None:
    text = to_plain(conversation.answer("support in hammersmith").text)
    assert text.index("Angelou Partnership") < text.index("National Domestic Abuse Helpline")
    assert "Standing Together" in text


@pytest.mark.parametrize(
    ("message", "service", "number"),
    [
        ("I'm a man and my wife abuses me", "Men's Advice Line (Respect)", "0808 801 0327"),
        ("help with forced marriage", "Karma Nirvana", "0800 5999 247"),
        ("i'm worried about my own behaviour", "Respect Phoneline", "0808 802 4040"),
        ("help for older people", "Hourglass", "0808 808 8141"),
    ],
)
def test_help_for_a_need(
    conversation: Conversation, message: str, service: str, number: str
) -> None:
    text = to_plain(conversation.answer(message).text)
    assert f"{service}: {number}" in text


def test_a_service_by_name_with_its_unconfirmed_status(conversation: Conversation) -> None:
    reply = conversation.answer("solace")
    text = to_plain(reply.text)
    assert reply.intent == "service"
    assert "Solace Women's Aid: 0808 802 5565" in text
    assert "Please check this number on solacewomensaid.org" in text
    assert "checked November 2026" in text


def test_standing_together_is_not_presented_as_a_helpline(conversation: Conversation) -> None:
    text = to_plain(conversation.answer("standing together").text)
    assert "Not a helpline" in text and "standingtogether.org.uk" in text


@pytest.mark.parametrize(
    ("message", "intent"),
    [("hello", "greeting"), ("thank you", "thanks"), ("menu", "menu"),
     ("where do your figures come from", "about"), ("asdfghjkl", "unknown"), ("", "unknown")],
)  # fmt: skip
def test_small_talk_and_fallbacks_never_dead_end(
    conversation: Conversation, message: str, intent: str
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == intent
    assert reply.buttons, "every reply offers a way on"
    assert HELPLINE in reply.text or "999" in reply.text


def test_about_names_the_source_and_period(conversation: Conversation) -> None:
    text = conversation.answer("about the data").text
    assert ARTICLE_URL in text and PERIOD in text and "Census" in text


def test_html_in_a_message_is_never_echoed_raw(conversation: Conversation) -> None:
    reply = conversation.answer("<b>croydon</b><script>alert(1)</script>")
    assert "<script>" not in reply.text
    assert "2,531" in reply.text


def test_a_very_long_message_is_answered(conversation: Conversation) -> None:
    reply = conversation.answer("blah " * 2_000 + "croydon")
    assert reply.text  # answered, not raised; the borough may be past the read limit


@pytest.mark.parametrize(
    ("data", "intent"),
    [
        ("fig:E09000008", "figures"),
        ("local:E09000013", "help"),
        ("need:men", "help"),
        ("danger", "danger"),
        ("rank", "ranking"),
        ("about", "about"),
        ("menu", "menu"),
        # unknown or tampered data: the menu, never an error
        ("fig:E09999999", "menu"),
        ("need:../../etc", "menu"),
        ("fig:", "menu"),
        ("danger:extra", "menu"),
        ("x" * 200, "menu"),
        (None, "menu"),
    ],
)
def test_button_presses(conversation: Conversation, data: str | None, intent: str) -> None:
    assert conversation.press(data).intent == intent


def test_every_button_the_core_offers_is_accepted(conversation: Conversation) -> None:
    for message in ("hello", "croydon", "help", "he's outside", "camden", "rank", "solace"):
        for row in conversation.answer(message).buttons:
            for button in row:
                assert len(button.data.encode()) <= 64
                assert conversation.press(button.data).intent != "menu" or button.data == "menu"


@pytest.mark.parametrize(
    ("name", "argument", "expected"),
    [
        ("figures", "croydon", "2,531"),
        ("figures", "", "Croydon: 2,531"),
        ("compare", "ealing hounslow", "118 more"),
        ("services", "men", "Men's Advice Line"),
        ("services", "", "National Domestic Abuse Helpline"),
        ("services", "camden", "Solace"),
        ("emergency", "", "999"),
        ("start", "", "not an emergency service"),
    ],
)
def test_commands(
    article_conversation: Conversation, name: str, argument: str, expected: str
) -> None:
    assert expected in to_plain(article_conversation.command(name, argument).text)


PHONE = re.compile(r"(?<![\d,])(?:0\d[\d ]{7,14}\d|999|101|18000|18001 [\d ]+\d|55)(?![\d,])")


def test_every_phone_number_said_comes_from_data(
    conversation: Conversation, repo_data: Path
) -> None:
    with (repo_data / "services.csv").open() as handle:
        known = " | ".join(" ".join(row.values()) for row in csv.DictReader(handle))
    messages = ["help", "he's outside", "camden", "croydon", "solace", "men", "gay", "rape",
                "forced marriage", "older", "deaf", "my friend", "victim support",
                "hourglass"]  # fmt: skip
    for message in messages:
        for number in PHONE.findall(to_plain(conversation.answer(message).text)):
            assert number.strip() in known, f"{number!r} in reply to {message!r} is not in data/"


@pytest.mark.parametrize(
    ("message", "own_rate"),
    [
        ("which borough has the highest arrest rate", True),
        ("arrest rate in croydon", False),
        ("how many arrests in hounslow", True),
    ],
)
def test_arrest_questions_get_only_published_rates_with_their_source(
    article_conversation: Conversation, message: str, own_rate: bool
) -> None:
    reply = article_conversation.answer(message)
    text = to_plain(reply.text)
    assert reply.intent == "arrests"
    assert "87% arrest rate" in text and "Hounslow" in text
    assert "fewer than half of reported incidents" in text
    assert text.count(ARTICLE_URL) == 1  # one source, cited once
    assert ("We don't have an arrest rate for" in text) is not own_rate
    assert HELPLINE in text


@pytest.mark.parametrize(
    ("message", "highlighted"),
    [
        ("show me a chart", None),
        ("chart of croydon", "Croydon"),
        ("rank croydon on a chart", "Croydon"),
    ],
)
def test_chart_questions(
    article_conversation: Conversation, message: str, highlighted: str | None
) -> None:
    reply = article_conversation.answer(message)
    assert reply.intent == "chart"
    assert reply.image is not None and reply.image.read_bytes().startswith(b"\x89PNG")
    assert ARTICLE_URL in reply.text and HELPLINE in reply.text
    if highlighted:
        assert f"{highlighted}: 2,531" in to_plain(reply.text)


def test_lowest_is_not_called_safest(article_conversation: Conversation) -> None:
    text = to_plain(article_conversation.answer("which is the safest borough").text)
    assert "doesn't mean a borough is safer" in text or "don't mean a borough is safer" in text
    assert "approximate" in text  # 2008 figures over 2011 populations


def test_compare_keeps_every_borough_named(article_conversation: Conversation) -> None:
    text = to_plain(article_conversation.command("compare", "croydon hounslow ealing").text)
    assert "Croydon: 2,531" in text and "Hounslow: 2,038" in text and "Ealing: 1,920" in text
    assert "Most: Croydon (2,531). Fewest: Ealing (1,920)." in text
    assert "ask again" not in text


def test_central_london_explains_the_city_rather_than_listing_it(
    article_conversation: Conversation,
) -> None:
    text = to_plain(article_conversation.answer("central london figures").text)
    assert "No figures yet for: Camden, Islington, Lambeth, Southwark." in text
    assert "City of London has its own police force" in text


@pytest.mark.parametrize(
    "message", ["exit", "leave", "quit", "Leave quickly!", "quick exit", "get me out", "/exit"]
)
def test_every_way_of_saying_leave_asks_every_front_to_erase(
    conversation: Conversation, message: str
) -> None:
    reply = conversation.answer(message)
    assert reply.intent == "leave" and reply.effects == (Effect.ERASE,)


def test_leaving_him_is_help_not_the_quick_exit(conversation: Conversation) -> None:
    reply = conversation.answer("I want to leave him")
    assert reply.intent == "help" and reply.effects == ()
