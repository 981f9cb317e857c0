"""Danger in words no rule was written for: the cue model (bot/core/understand/danger_cues.py)
beside the phrase rules, and questions asked in general that are not danger now."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bot.core.conversation import Conversation
from bot.core.understand import danger, danger_cues, words_of

BENCH = Path(__file__).resolve().parents[2] / "bench"

# Written after the cue model, never fitted on: the phrase rules alone miss most of them.
NEW_WORDINGS = [
    "my husband is kicking the bathroom door and i am inside",
    "he has the car keys and says we are going for a drive and not coming back",
    "he keeps saying tonight is the night",
    "boyfriend has just smashed the tv and is coming upstairs",
    "he's got my daughter in the car and wont say where they are",
    "my flatmates boyfriend is punching her in the hallway",
    "he is not letting me eat or drink and locked the kitchen",
    "he turned off the heating and took my coat and locked me out in the garden",
    "he knows what train i get home",
    "he is pushing me towards the balcony",
    "husband is holding the baby over the stairs",
]
IN_GENERAL = [
    "how do i tell if my friend is in danger",
    "what should someone do if their partner has a knife",
    "is it abuse if he locks me out of the house",
    "does it count as abuse if he threatens to kill himself",
]

# Someone named, and nothing near, no harm, no fear: the cues alone never call this danger.
EVERYDAY = [
    "he is at work",
    "he is asleep",
    "he is nice to me now",
    "he has a new girlfriend",
    "he is watching tv",
    "he has got a new job",
    "he is my husband",
    "he is out",
]


@pytest.mark.parametrize("message", EVERYDAY)
def test_someone_named_with_nothing_more_is_not_danger(
    conversation: Conversation, message: str
) -> None:
    assert conversation.answer(message).intent != "danger"


@pytest.mark.parametrize("message", NEW_WORDINGS)
def test_danger_in_new_words_gets_the_danger_reply(
    conversation: Conversation, message: str
) -> None:
    assert conversation.answer(message).intent == "danger"


def test_the_phrase_rules_alone_would_miss_them() -> None:
    """What the cue model adds: without it, most of these get a general reply."""
    caught = [m for m in NEW_WORDINGS if danger.is_danger_by_phrases(words_of(m))]
    assert len(caught) <= len(NEW_WORDINGS) // 2, caught


@pytest.mark.parametrize("message", IN_GENERAL)
def test_a_question_in_general_is_not_danger(conversation: Conversation, message: str) -> None:
    assert conversation.answer(message).intent != "danger"


def test_danger_said_after_a_question_in_general_still_counts(conversation: Conversation) -> None:
    message = "is it abuse if he shouts, anyway he's outside now with a knife"
    assert conversation.answer(message).intent == "danger"


def _fit_module():  # type: ignore[no-untyped-def]
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("danger_fit", BENCH / "danger_fit.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_weights_are_fitted_on_the_corpus_as_it_is() -> None:
    """After a corpus or cue change, refit: python3 bench/danger_fit.py (needs scikit-learn)."""
    fit = _fit_module()
    bias, weights = fit.fit(fit.load())
    assert bias == danger_cues.BIAS
    assert weights == danger_cues.WEIGHTS
    assert fit.THRESHOLD == danger_cues.THRESHOLD


def test_the_cue_model_finds_danger_in_a_batch_it_was_not_fitted_on() -> None:
    """Leave one later batch out, fit on the rest: the cue model alone still finds 90%."""
    fit = _fit_module()
    rows = fit.load()
    found = total = false = others = 0
    for batch in fit.BATCHES:
        bias, weights = fit.fit([r for r in rows if r[0] != batch])
        for _, said, truth in (r for r in rows if r[0] == batch):
            score = fit._score(bias, weights, said)
            cues = fit.danger_cues.cues(said)
            said_danger = fit.danger_cues.says_danger(score, cues, said, fit.THRESHOLD)
            said_danger = said_danger and not danger.told_as_past(said)
            total, found = total + truth, found + (truth and said_danger)
            others, false = others + (not truth), false + (not truth and said_danger)
    assert found / total >= 0.9
    assert false / others <= 0.1


@pytest.mark.parametrize(
    ("message", "need"),
    [
        ("i am fourteen and hes got a knife", "child"),
        ("im a 16 year old and he is choking my mum", "child"),
        ("the man who follows me everywhere is outside", "stalking"),
        ("my ex who keeps following me is at my door", "stalking"),
    ],
)
def test_a_danger_reply_carries_the_need_said_any_way(
    conversation: Conversation, message: str, need: str
) -> None:
    intent = conversation.understander.read(message)
    assert intent.kind == "danger"
    assert intent.need == need


@pytest.mark.parametrize(
    ("message", "need"),
    [
        ("i cant do this anymore", "suicide"),
        ("some days i think everyone would be better without me", "suicide"),
        ("someone keeps sending me flowers and i dont know who", "stalking"),
        ("my family have found me a husband back home and i dont want him", "honour"),
    ],
)
def test_needs_said_in_other_words_are_help_not_danger(
    conversation: Conversation, message: str, need: str
) -> None:
    intent = conversation.understander.read(message)
    assert intent.kind == "help"
    assert intent.need == need


# After the ninth batch, in other words than its own: the cue families it showed missing.
NINTH_FAMILIES = [
    "the care worker has not given me my insulin since yesterday",  # medicine withheld
    "they are taking me abroad to get married on friday and my passport is missing",
    "a van parked outside again with the engine running",  # someone waiting, unseen
    "if i go back tonight i will not be alive by morning",  # a finality
    "i am leaving right now while he is passed out",  # a window to escape
    "he keeps texting me tick tock",  # a countdown
    "he got released today and his text said see you tonight",  # out of prison, a threat
]


@pytest.mark.parametrize("message", NINTH_FAMILIES)
def test_danger_in_the_ninth_batch_families_gets_the_danger_reply(
    conversation: Conversation, message: str
) -> None:
    assert conversation.answer(message).intent == "danger"


@pytest.mark.parametrize(
    "message",
    [
        "he hit me with a bottle in 2018 and was jailed, is he allowed to contact me",
        "we rang 999 yesterday and the police took him away, what now",
    ],
)
def test_danger_told_as_over_is_not_danger_now(conversation: Conversation, message: str) -> None:
    assert conversation.answer(message).intent != "danger"


@pytest.mark.parametrize(
    ("message", "need"),
    [
        (
            "he has been watching my flat every night for months and he is at the door now",
            "stalking",
        ),
        ("i am going to end it tonight, he is outside and i cant take it", "suicide"),
    ],
)
def test_a_danger_reply_carries_stalking_over_time_and_suicide_said_as_ending_it(
    conversation: Conversation, message: str, need: str
) -> None:
    intent = conversation.understander.read(message)
    assert intent.kind == "danger"
    assert intent.need == need


def test_followed_once_is_danger_without_the_stalking_line(conversation: Conversation) -> None:
    intent = conversation.understander.read("he's been following me all day on his bike")
    assert intent.kind == "danger"
    assert intent.need is None


def test_thinking_about_not_being_alive_is_the_suicide_need(conversation: Conversation) -> None:
    intent = conversation.understander.read("lately i keep thinking about not being alive anymore")
    assert intent.kind == "help"
    assert intent.need == "suicide"
