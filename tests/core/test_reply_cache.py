"""A borough's figures are worked out once per store and language, then reused: never
another language's words, never the figures of data that was since rebuilt."""

from __future__ import annotations

from pathlib import Path

from bot.core.conversation import Conversation
from bot.data.store import load_store


def test_the_same_question_in_two_languages_gets_each_its_own_words(
    article_conversation: Conversation,
) -> None:
    english = article_conversation.answer("croydon", draw=False, language="en").text
    polish = article_conversation.answer("croydon", draw=False, language="pl").text
    arabic = article_conversation.answer("croydon", draw=False, language="ar").text
    assert len({english, polish, arabic}) == 3
    assert "recorded by the police" in english and "recorded by the police" not in polish
    assert "\u2066" in arabic and "\u2066" not in english  # numbers isolated right to left
    assert article_conversation.answer("croydon", draw=False, language="en").text == english
    assert article_conversation.answer("croydon", draw=False, language="pl").text == polish


def test_a_year_asked_for_is_not_answered_with_the_newest_figures(
    article_conversation: Conversation,
) -> None:
    newest = article_conversation.answer("croydon", draw=False).text
    asked = article_conversation.answer("croydon 2019", draw=False).text
    assert asked != newest and "2019" in asked
    assert article_conversation.answer("croydon", draw=False).text == newest


def test_rebuilt_data_is_answered_with_its_own_figures(article_copy: Path, tmp_path: Path) -> None:
    before = Conversation(load_store(article_copy, tmp_path / "before.db"))
    assert "<b>Croydon: 2,531</b>" in before.answer("croydon", draw=False).text
    offences = article_copy / "offences.csv"
    text = offences.read_text()
    old = 'E09000008,article-2008,"one year, most likely 2008",2008-01,2008-12,0,offences,2531,'
    assert old in text
    offences.write_text(text.replace(old, old.replace(",2531,", ",2600,")))
    # A data reload: the store rebuilt, and a new conversation over it (as `run` makes one).
    after = Conversation(load_store(article_copy, tmp_path / "after.db"))
    assert "<b>Croydon: 2,600</b>" in after.answer("croydon", draw=False).text
    assert "2,531" not in after.answer("croydon", draw=False).text
    assert "<b>Croydon: 2,531</b>" in before.answer("croydon", draw=False).text
