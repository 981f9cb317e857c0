"""Safety first in every reply: 999 leads where it matters, and help lists only services
the person can use (someone can ring now, for men, for deaf people)."""

from __future__ import annotations

import pytest

from bot.core.conversation import Conversation
from bot.fronts.plaintext import to_plain

HELPLINE = "0808 2000 247"


def first_line(text: str) -> str:
    return to_plain(text).strip().splitlines()[0]


def test_a_message_not_understood_still_leads_with_999(conversation: Conversation) -> None:
    reply = conversation.answer("blorp zzz qwerty")
    assert reply.intent == "unknown"
    assert "999" in first_line(reply.text)


@pytest.mark.parametrize(
    "reply_of",
    [
        lambda c: c.answer("solace"),
        lambda c: c.answer("privacy"),
        lambda c: c.command("privacy"),
        lambda c: c.command("figures", "he has a knife"),
        lambda c: c.command("compare", "he is going to kill me"),
        lambda c: c.command("services", "he's outside the door"),
    ],
)
def test_more_replies_lead_with_999(conversation: Conversation, reply_of) -> None:
    assert "999" in first_line(reply_of(conversation).text)


def test_danger_says_what_a_silent_call_does_not_do(conversation: Conversation) -> None:
    text = to_plain(conversation.answer("i'm in danger").text)
    assert "Pressing 55 does not share your location" in text
    assert "police do not come automatically" in text


def test_danger_lists_only_services_someone_can_ring(conversation: Conversation) -> None:
    text = to_plain(conversation.answer("he has a knife, I'm in Hammersmith").text)
    assert "Standing Together" not in text and "Angelou" not in text
    assert HELPLINE in text


def test_deaf_people_are_told_how_to_reach_999(conversation: Conversation) -> None:
    text = to_plain(conversation.press("need:deaf").text)
    assert 'texting "register" to 999' in text and "999 BSL" in text


@pytest.mark.parametrize("need", ["men", "perpetrator"])
def test_women_only_services_are_not_offered_to_men(conversation: Conversation, need: str) -> None:
    text = to_plain(conversation.press(f"need:{need}").text)
    assert "Solace" not in text and "Southall Black Sisters" not in text
    assert HELPLINE in text


def test_women_are_still_offered_solace(conversation: Conversation) -> None:
    assert "Solace Women's Aid" in to_plain(conversation.answer("where can I get help").text)
