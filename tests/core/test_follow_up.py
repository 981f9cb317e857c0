"""Following a conversation: a follow-up read with the previous answer's context (codes only)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core import buttons
from bot.core.buttons import Action
from bot.core.conversation import Conversation
from bot.core.signpost import NEEDS
from bot.domain.models import Context, IntentKind, Reply

CROYDON, BRENT, LAMBETH, ENFIELD = "E09000008", "E09000005", "E09000022", "E09000010"


def _after(conversation: Conversation, first: str, then: str) -> Reply:
    context = conversation.answer(first, draw=False).context
    assert context is not None
    return conversation.answer(then, context=context, draw=False)


def test_what_about_another_borough_asks_the_same_question_there(
    conversation: Conversation,
) -> None:
    reply = _after(conversation, "is croydon getting worse", "what about brent")
    assert reply.intent == IntentKind.TREND
    assert reply.text.startswith("<b>Brent")
    assert reply.context == Context(IntentKind.TREND, (BRENT,))


def test_the_year_before_is_the_same_borough_a_year_earlier(conversation: Conversation) -> None:
    reply = _after(conversation, "how many in croydon", "and the year before?")
    assert reply.intent == IntentKind.FIGURES
    assert "<b>Croydon: 4,848</b>" in reply.text and "April 2023 to March 2024" in reply.text
    # And the year before that.
    older = conversation.answer("and the year before?", context=reply.context, draw=False)
    assert "April 2022 to March 2023" in older.text


def test_has_it_got_worse_there_is_the_trend_of_the_borough_just_asked_about(
    conversation: Conversation,
) -> None:
    reply = _after(conversation, "how many in croydon", "has it got worse there?")
    assert reply.intent == IntentKind.TREND
    assert reply.text.startswith("<b>Croydon")


def test_how_does_that_compare_compares_the_two(conversation: Conversation) -> None:
    reply = _after(conversation, "how many in croydon", "how does that compare with lambeth")
    assert reply.intent == IntentKind.COMPARE
    assert "Croydon: <b>4,787</b>" in reply.text and "Lambeth: <b>" in reply.text
    assert reply.context is not None and reply.context.boroughs == (CROYDON, LAMBETH)


def test_where_a_friend_lives_gets_help_there_for_a_friend(conversation: Conversation) -> None:
    reply = _after(
        conversation, "my friend is being abused by her boyfriend", "he lives in enfield"
    )
    assert reply.intent == IntentKind.HELP
    assert "Enfield" in reply.text and "0808 2000 247" in reply.text
    assert reply.context == Context(IntentKind.HELP, (ENFIELD,), need="friend")


def test_without_a_context_the_same_words_are_read_alone(conversation: Conversation) -> None:
    assert conversation.answer("and the year before?", draw=False).intent == IntentKind.UNKNOWN
    assert conversation.answer("he lives in enfield", draw=False).intent == IntentKind.FIGURES


@pytest.mark.parametrize(
    "danger", ["he has a knife", "what about brent he is outside with a knife", "please help"]
)
def test_danger_is_read_first_and_forgets_the_context(
    conversation: Conversation, danger: str
) -> None:
    reply = _after(conversation, "how many in croydon", danger)
    assert reply.intent == IntentKind.DANGER
    assert "999" in reply.text.splitlines()[0]
    assert reply.context is None


def test_small_talk_keeps_the_context(conversation: Conversation) -> None:
    reply = _after(conversation, "how many in croydon", "thanks")
    assert reply.context is not None and reply.context.boroughs == (CROYDON,)


def test_the_context_holds_codes_and_numbers_never_text(conversation: Conversation) -> None:
    reply = _after(
        conversation, "my friend is being abused by her boyfriend", "he lives in enfield"
    )
    context = reply.context
    assert context is not None
    assert {f.name for f in dataclasses.fields(context)} == {
        "kind", "boroughs", "need", "year", "financial_year", "by_rate"
    }  # fmt: skip
    assert isinstance(context.kind, IntentKind)
    assert all(code in conversation.store.boroughs for code in context.boroughs)
    assert context.need in NEEDS  # a services.csv need code, not words said
    assert context.year is None or isinstance(context.year, int)


def test_a_borough_chosen_by_button_is_followed_too(conversation: Conversation) -> None:
    pressed = conversation.press(buttons.encode(Action.FIGURES, LAMBETH), draw=False)
    assert pressed.context is not None and pressed.context.boroughs == (LAMBETH,)
    reply = conversation.answer("has it got worse there?", context=pressed.context, draw=False)
    assert reply.intent == IntentKind.TREND and reply.text.startswith("<b>Lambeth")
    # The menu button keeps what the conversation was about; the danger button forgets it.
    menu = conversation.press(buttons.encode(Action.MENU), context=pressed.context, draw=False)
    assert menu.context == pressed.context
    danger = conversation.press(buttons.encode(Action.DANGER), context=pressed.context)
    assert danger.context is None


def test_a_borough_added_to_a_comparison_is_compared_with_every_one(
    conversation: Conversation,
) -> None:
    reply = _after(conversation, "compare croydon, brent and lambeth", "what about enfield")
    assert reply.intent == IntentKind.COMPARE
    assert reply.context is not None
    assert reply.context.boroughs == (CROYDON, BRENT, LAMBETH, ENFIELD)
    for name in ("Croydon", "Brent", "Lambeth", "Enfield"):
        assert f"{name}: <b>" in reply.text


def test_another_year_named_alone_is_the_same_borough_that_year(
    conversation: Conversation,
) -> None:
    reply = _after(conversation, "how many in brent", "and in 2022-23?")
    assert "<b>Brent: 3,637</b>" in reply.text and "April 2022 to March 2023" in reply.text


def test_is_it_going_up_is_the_trend_of_the_borough_just_asked_about(
    conversation: Conversation,
) -> None:
    reply = _after(conversation, "how many in brent", "is it going up")
    assert reply.intent == IntentKind.TREND and reply.text.startswith("<b>Brent")


def test_the_year_before_a_ranking_is_the_ranking_a_year_earlier(
    conversation: Conversation,
) -> None:
    reply = _after(conversation, "which borough has the most", "and the year before?")
    assert reply.intent == IntentKind.RANKING
    assert "April 2023 to March 2024" in reply.text and "Croydon: 4,848" in reply.text


def test_a_comparison_claims_no_year_it_cannot_show(conversation: Conversation) -> None:
    """Comparisons show the newest year only: "the year before" is not pretended."""
    compared = conversation.answer("compare croydon and brent", draw=False)
    assert compared.context is not None and compared.context.year is None
    reply = conversation.answer("and the year before?", context=compared.context, draw=False)
    assert "April 2023 to March 2024" not in reply.text
