"""Reading a message: small talk, a service by name, the bot, privacy, leaving; and
words straightened out."""

from __future__ import annotations

import pytest

from bot.core.conversation import Conversation
from bot.core.understand import Intent, Understander, words_of


@pytest.fixture(scope="module")
def understander(conversation: Conversation) -> Understander:
    return conversation.understander


def read(understander: Understander, text: str) -> Intent:
    return understander.read(text)


# -- small talk, services, about, privacy -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hello", "greeting"),
        ("Hi 👋", "greeting"),
        ("thank you so much, that helps", "thanks"),
        ("🙏", "thanks"),
        ("menu please", "menu"),
        ("where do your figures come from", "about"),
        ("can my husband see these messages", "privacy"),
        ("does this app keep a record of what i say", "privacy"),
        ("solace", "service"),
        ("men's advice line number", "service"),
        ("national domestic abuse helpline", "service"),
        ("asdfghjkl", "unknown"),
        ("", "unknown"),
        ("🙂", "unknown"),
    ],
)
def test_other_intents(understander: Understander, text: str, kind: str) -> None:
    assert read(understander, text).kind == kind


@pytest.mark.parametrize(
    "text", ["101", "can i call 101", "is 101 ok", "should i ring 101", "what is 101 for"]
)
def test_101_is_the_met_non_emergency_line(understander: Understander, text: str) -> None:
    assert read(understander, text) == Intent("service", service_id="met-non-emergency")


def test_a_number_is_a_whole_word_and_999_is_danger(understander: Understander) -> None:
    assert read(understander, "999").kind == "danger"
    assert read(understander, "i called 101 last year, he still hits me").kind == "help"
    assert read(understander, "room 1010").kind == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "is this the police",
        "are you a real person",
        "am i talking to a bot",
        "who is this",
        "who are you?",
        "is this a real person or a bot",
        "am i speaking to a human",
    ],
)
def test_who_am_i_talking_to(understander: Understander, text: str) -> None:
    assert read(understander, text) == Intent("who_am_i")


def test_who_am_i_yields_to_danger_and_other_questions(understander: Understander) -> None:
    assert read(understander, "is this the police? he's outside").kind == "danger"
    assert read(understander, "who is the prime minister").kind == "unknown"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("he controls my only source of income", "help"),
        ("he took away my only source of money", "help"),
        ("how old do you have to be to get help", "help"),
        ("is it private if i call the helpline", "help"),
        ("is the refuge confidential", "help"),
        # questions about the bot and its data stay what they were
        ("what's the source of these figures", "about"),
        ("source?", "about"),
        ("how old is this data", "about"),
        ("where does the data on honour based abuse come from", "about"),
        ("is this chat private", "privacy"),
        ("can my husband see these messages", "privacy"),
    ],
)
def test_abuse_or_a_call_for_help_comes_before_about_and_privacy(
    understander: Understander, text: str, kind: str
) -> None:
    assert read(understander, text).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "delete",
        "clear chat",
        "hide this",
        "how do i delete this",
        "delete this chat",
        "erase",
        "wipe this conversation",
        "delete my messages please",
    ],
)
def test_erase_this_now_is_leave(understander: Understander, text: str) -> None:
    assert read(understander, text) == Intent("leave")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("he's coming, how do i delete this chat", "danger"),
        ("he deleted my messages", "help"),
        ("how do i hide money from him", "help"),
        ("i want to leave him", "help"),
        ("can he see this chat", "privacy"),
        ("how can i hide it from him that i'm leaving", "help"),
    ],
)
def test_leave_is_only_erasing_this_chat(understander: Understander, text: str, kind: str) -> None:
    assert read(understander, text).kind == kind


def test_a_privacy_worry_about_him_is_help_not_privacy(understander: Understander) -> None:
    assert read(understander, "i'm on a spouse visa and he keeps my passport").kind == "help"
    assert read(understander, "is coercive control a crime? he tracks my phone").kind == "help"


def test_words_are_straightened_out() -> None:
    assert words_of("hes tryna get in, pls hurry") == "he is trying to get in please hurry"
    assert words_of("I'm scared he'll come back") == "i am scared he will come back"
    assert words_of("my mum's boyfriend") == "my mum boyfriend"
    assert words_of("pleeease helpp") == "please helpp"
    assert words_of("statistcs") == "statistics"
    assert words_of("a stranger") == "a stranger"  # an ordinary word is never "corrected"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("shut this down quickly", "leave"),
        ("close it now", "leave"),
        ("got to go now", "leave"),
        ("how can i hide these messages", "privacy"),
        ("she reads my messages every night", "privacy"),
        ("does the app notify anyone that i use this", "privacy"),
    ],
)
def test_closing_going_and_hiding_said_in_other_words(
    understander: Understander, text: str, kind: str
) -> None:
    assert read(understander, text).kind == kind


def test_going_somewhere_is_not_leaving_the_chat(understander: Understander) -> None:
    assert read(understander, "i need to go to the police").kind != "leave"
