"""Property tests: whatever arrives, the core answers with valid, sendable Telegram HTML.

Examples are derandomized so CI is repeatable; HELPLINE_EXAMPLES raises the count for a
deeper local run (e.g. HELPLINE_EXAMPLES=2000 python3 -m pytest tests/core/test_properties.py).
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram_html import problems

from bot.core import buttons, signpost
from bot.core.conversation import Conversation
from bot.domain.models import Reply
from bot.fronts.plaintext import to_plain
from bot.fronts.telegram.split import MAX_MESSAGE, split_html, units

PROFILE = settings(
    derandomize=True,
    max_examples=int(os.environ.get("HELPLINE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces people might send, mixed with anything at all: markup, entities, places, emoji,
# control characters, right-to-left marks.
_FRAGMENTS = [
    "<b>",
    "</b>",
    "<a href='x'>",
    "<script>alert(1)</script>",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "&",
    "<",
    ">",
    '"',
    "croydon",
    "Kensington & Chelsea",
    "W6",
    "CR0 1AB",
    "compare ealing and hounslow",
    "help",
    "highest",
    "figures",
    "🚨",
    "👩🏽\u200d⚕️",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\r\n",
    "\t",
    "   ",
    "/start",
    "{{ 7*7 }}",
    "{% raw %}",
]
_ANY_TEXT = st.text(max_size=200)
_MIXED = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=20), max_size=30).map("".join)
# Up to 10,000 characters: one random chunk repeated.
_LONG = st.tuples(
    st.text(min_size=1, max_size=40) | _MIXED.filter(bool), st.integers(1, 10_000)
).map(lambda pair: (pair[0] * (10_000 // len(pair[0]) + 1))[: pair[1]])
MESSAGES = _ANY_TEXT | _MIXED | _LONG

# Plain statements of immediate danger that the bot must never miss.
DANGER_PHRASES = [
    "he is going to kill me",
    "I'm in danger",
    "I am in danger right now",
    "he has a knife",
    "he's outside my door",
    "he is hitting me",
    "I'm scared for my life",
    "help me now",
    "he is trying to get in",
    "I can't breathe",
    "he's choking me",
    "he said he'd kill me",
]
_SEPARATOR = st.sampled_from(["\n", ". ", "! ", "\n\n", " - "])


@st.composite
def danger_messages(draw: st.DrawFn) -> str:
    """A danger phrase in any case, with either apostrophe, inside random text."""
    phrase = draw(st.sampled_from(DANGER_PHRASES))
    phrase = draw(st.sampled_from([str, str.lower, str.upper, str.title]))(phrase)
    phrase = phrase.replace("'", draw(st.sampled_from(["'", "\u2019"])))
    before = draw(st.text(max_size=300) | _MIXED | _LONG.map(lambda t: t[:4000]))
    after = draw(st.text(max_size=300) | _MIXED | _LONG.map(lambda t: t[:5000]))
    return before + draw(_SEPARATOR) + phrase + draw(_SEPARATOR) + after


DANGER_MESSAGES = danger_messages()


def assert_sendable(reply: Reply) -> list[str]:
    """The reply, split as the bot sends it: valid Telegram HTML, each part within limits."""
    assert isinstance(reply, Reply)
    assert reply.intent
    parts = split_html(reply.text)
    for part in parts:
        assert problems(part) == [], part
        assert units(part) <= MAX_MESSAGE
    for row in reply.buttons:
        for button in row:
            assert buttons.decode(button.data) is not None, button
            assert button.label.strip()
    return parts


def assert_leads_with_999(reply: Reply) -> None:
    assert reply.intent == "danger"
    first = split_html(reply.text)[0]
    lines = [line for line in to_plain(first).splitlines() if line.strip()]
    assert "999" in lines[0], lines[0]
    # No other number comes before 999, and the silent call (55) follows right after.
    assert re.search(r"\d[\d ]*\d", to_plain(first)).group().strip() == "999"
    assert "55" in " ".join(lines[:3])


@PROFILE
@given(text=MESSAGES)
@example(text="<b>croydon</b> &amp; 🚨\x00\u202e" * 800)
@example(text="x" * 10_000)
def test_any_message_gets_a_valid_reply(conversation: Conversation, text: str) -> None:
    assert_sendable(conversation.answer(text))


@PROFILE
@given(text=DANGER_MESSAGES)
@example(text="blah " * 800 + "\nHE IS GOING TO KILL ME\n" + "<i>" * 1200)
def test_a_danger_message_always_leads_with_999(conversation: Conversation, text: str) -> None:
    reply = conversation.answer(text)
    assert_sendable(reply)
    assert_leads_with_999(reply)


@PROFILE
@given(argument=DANGER_MESSAGES)
def test_services_with_a_danger_message_leads_with_999(
    conversation: Conversation, argument: str
) -> None:
    reply = conversation.command("services", argument)
    assert_sendable(reply)
    assert_leads_with_999(reply)


_ACTIONS = st.sampled_from([str(action) for action in buttons.Action])
_ARGUMENTS = st.sampled_from(["croydon", "E09000008", "E09000001", *signpost.NEEDS]) | st.text(
    max_size=70
)
PRESSES = (
    st.none()
    | st.text(max_size=100)
    | st.tuples(_ACTIONS, _ARGUMENTS).map(lambda p: f"{p[0]}:{p[1]}")
    | _ACTIONS
)


@PROFILE
@given(data=PRESSES)
def test_any_button_data_gets_a_valid_reply(conversation: Conversation, data: str | None) -> None:
    assert_sendable(conversation.press(data))


COMMANDS = st.sampled_from(
    ["start", "help", "menu", "emergency", "about", "privacy", "figures", "compare", "services"]
) | st.text(max_size=30)


@PROFILE
@given(name=COMMANDS, argument=MESSAGES)
def test_any_command_gets_a_valid_reply(
    conversation: Conversation, name: str, argument: str
) -> None:
    assert_sendable(conversation.command(name, argument))


def test_emergency_command_and_button_lead_with_999(conversation: Conversation) -> None:
    assert_leads_with_999(conversation.command("emergency"))
    assert_leads_with_999(conversation.press(buttons.encode("danger")))
