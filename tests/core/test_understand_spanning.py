"""Places that span boroughs are asked about, never guessed; places outside London get a
kind answer with the national services."""

from __future__ import annotations

import pytest

from bot.core.conversation import Conversation
from bot.core.understand import Intent, Understander
from bot.fronts.plaintext import to_plain

LAMBETH, SOUTHWARK = "E09000022", "E09000028"


def read(understander: Understander, text: str) -> Intent:
    return understander.read(text)


def first_line(text: str) -> str:
    return to_plain(text).strip().splitlines()[0]


# -- places that span boroughs, and places outside London --------------------------------------


def test_a_spanning_place_asks_which_borough(understander: Understander) -> None:
    intent = read(understander, "SE1 figures")
    assert intent.kind == "figures" and intent.boroughs == ()
    assert set(intent.choices) == {SOUTHWARK, LAMBETH} and intent.place == "SE1"


def test_a_need_is_answered_without_asking(understander: Understander) -> None:
    """Specialist services are national: a spanning place must not delay them."""
    intent = read(understander, "I'm a man in W4 and my wife hits me")
    assert (intent.kind, intent.need, intent.choices) == ("help", "men", ())


@pytest.mark.parametrize(
    ("text", "action"),
    [("W4", "fig"), ("stats for kilburn", "fig"), ("support in crystal palace", "local")],
)
def test_the_question_has_one_button_per_borough_carrying_the_request(
    conversation: Conversation, text: str, action: str
) -> None:
    reply = conversation.answer(text)
    intent = conversation.understander.read(text)
    assert reply.intent == "which_borough"
    data = [b.data for row in reply.buttons for b in row]
    assert data == [f"{action}:{code}" for code in intent.choices]
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == [conversation.store.boroughs[c].name for c in intent.choices]
    text_ = to_plain(reply.text)
    assert "Which borough do you mean?" in text_ and all(label in text_ for label in labels)
    assert "0808 2000 247" in text_ and "999" in text_  # the help footer, always
    for button in data:  # each press answers for that borough
        expected = "help" if action == "local" else "figures"
        assert conversation.press(button).intent == expected


def test_a_district_partly_outside_london_says_so(conversation: Conversation) -> None:
    reply = conversation.answer("I'm in DA1, need help")
    assert reply.intent == "which_borough"
    assert "or outside London" in to_plain(reply.text)
    assert [b.data for row in reply.buttons for b in row] == ["local:E09000004"]


@pytest.mark.parametrize(
    "text",
    [
        "I'm in Manchester and need help",
        "domestic violence figures for birmingham",
        "M1 1AE",
        "I'm outside London, can you still help?",
    ],
)
def test_outside_london_gets_a_kind_answer_with_national_services(
    conversation: Conversation, text: str
) -> None:
    reply = conversation.answer(text)
    plain = to_plain(reply.text)
    assert reply.intent == "outside_london"
    assert "999" in first_line(reply.text)
    assert "I only know London" in plain
    assert "National Domestic Abuse Helpline" in plain and "0808 2000 247" in plain
    assert "Solace" not in plain and "Southall Black Sisters" not in plain  # London services


def test_outside_london_keeps_the_need(conversation: Conversation) -> None:
    plain = to_plain(conversation.answer("I'm a man in Bristol and my wife hurts me").text)
    assert "Bristol is outside London" in plain
    assert "Men's Advice Line (Respect): 0808 801 0327" in plain


def test_commands_read_places_the_same_way(conversation: Conversation) -> None:
    assert conversation.command("figures", "W4").intent == "which_borough"
    assert conversation.command("figures", "leeds").intent == "outside_london"
    assert conversation.command("figures", "brixton").intent == "figures"
    services = conversation.command("services", "SE1")
    assert [b.data.split(":")[0] for row in services.buttons for b in row] == ["local", "local"]


def test_comparing_with_a_spanning_place_keeps_the_borough_already_named(
    conversation: Conversation,
) -> None:
    reply = conversation.answer("compare W4 and croydon")
    assert reply.intent == "which_borough"
    croydon = "E09000008"
    for data in (b.data for row in reply.buttons for b in row):
        assert data.startswith("cmp:") and data.endswith(f"-{croydon}")
        compared = conversation.press(data)
        assert compared.intent == "compare"
        assert "Croydon" in to_plain(compared.text)


def test_a_pair_button_for_the_same_borough_twice_or_an_unknown_one_gets_the_menu(
    conversation: Conversation,
) -> None:
    for data in ("cmp:E09000008-E09000008", "cmp:E09000008-E09999999", "cmp:E09000008"):
        assert conversation.press(data).intent == "menu", data


@pytest.mark.parametrize(
    "text", ["he made me delete it", "they told us to clear this", "he wants me to wipe my phone"]
)
def test_being_made_to_delete_messages_is_help_not_a_request_to_erase(
    understander: Understander, text: str
) -> None:
    assert read(understander, text).kind == "help"
