"""Replies in every language: danger first with 999, valid Telegram HTML, numbers intact."""

from __future__ import annotations

import gettext
import re
import runpy
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from markupsafe import escape
from telegram_html import problems

from bot.core.conversation import Conversation
from bot.core.languages import CODES, ENGLISH, RIGHT_TO_LEFT, Catalog, autonym, supported
from bot.domain.paths import responses_dir

OTHERS = [c for c in CODES if c != ENGLISH]
BIDI = re.compile("[\u2066\u2069\u200f]")
LRI, PDI = "\u2066", "\u2069"
PHONE = re.compile(r"\d[\d ]*\d")
ASKED = [
    "he has a knife", "help", "croydon", "compare ealing and hounslow", "highest rate",
    "trend croydon", "croydon month by month", "arrests hounslow", "west london",
    "city of london", "W4", "manchester", "solace", "is this abuse", "leaving safely",
    "injunction", "i want to die", "im 15", "about", "privacy", "thanks", "sdfsdf",
]  # fmt: skip


def translated(code: str, message: str) -> str:
    with (responses_dir() / "locale" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return str(read_po(f, locale=code)[message].string)


@pytest.mark.parametrize("code", OTHERS)
def test_every_kind_of_reply_is_valid_telegram_html_in_every_language(
    conversation: Conversation, code: str
) -> None:
    for message in ASKED:
        reply = conversation.answer(message, draw=False, language=code)
        assert problems(reply.text) == [], (code, message)
        english = conversation.answer(message, draw=False)
        assert reply.text != english.text, (code, message)
    for name, argument in [("start", ""), ("privacy", ""), ("emergency", ""), ("figures", "")]:
        assert problems(conversation.command(name, argument, language=code).text) == []
    assert problems(conversation.language_list(code).text) == []


@pytest.mark.parametrize("code", OTHERS)
def test_the_danger_reply_in_every_language_starts_with_999_the_silent_call_and_interpreters(
    conversation: Conversation, code: str
) -> None:
    reply = conversation.command("emergency", language=code)
    text = BIDI.sub("", reply.text)
    lines = text.split("\n")
    first = translated(code, "If you are in danger now, call %(phone)s.") % {"phone": "999"}
    assert lines[0] == f"🚨 <b>{first}</b>"
    silent = conversation.services["silent-solution"]
    assert escape(translated(code, silent.how_to_contact or "")) in lines[1]  # 999, then 55
    assert "55" in lines[1] and "999" in lines[1]
    helpline = conversation.services["national-helpline"]
    interpreters = translated(
        code, "The %(name)s has interpreters available in many languages: call %(phone)s."
    ) % {"name": helpline.name, "phone": helpline.phone}
    assert escape(interpreters) in text
    english = conversation.command("emergency")
    assert "interpreters available in many languages: call" not in english.text


@pytest.mark.parametrize("code", sorted(RIGHT_TO_LEFT))
def test_right_to_left_replies_keep_every_phone_number_whole_and_left_to_right(
    conversation: Conversation, code: str
) -> None:
    for ask in ("he has a knife", "help", "croydon", "solace"):
        reply = conversation.answer(ask, draw=False, language=code).text
        english = conversation.answer(ask, draw=False).text
        # Every line reads right to left; every number sits whole in one LTR isolate.
        assert all(line.startswith("\u200f") for line in reply.split("\n") if line)
        phones = {p.strip() for p in PHONE.findall(re.sub(r"<[^>]*>", "", english))}
        for phone in (p for p in phones if " " in p):  # "0808 2000 247", "020 8571 9595"
            assert f"{LRI}{phone}{PDI}" in reply, (code, phone)
        # Taking the bidi marks out leaves the numbers exactly as in English.
        digits = sorted(re.findall(r"\d+", BIDI.sub("", reply)))
        for number in re.findall(r"\d+", english):
            assert number in digits
        hrefs = re.findall(r'href="([^"]*)"', english)
        assert re.findall(r'href="([^"]*)"', reply) == hrefs


def test_left_to_right_languages_get_no_bidi_marks(conversation: Conversation) -> None:
    for code in ("en", "pl", "bn"):
        assert not BIDI.search(conversation.answer("croydon", draw=False, language=code).text)


def test_months_and_periods_are_named_in_the_language(conversation: Conversation) -> None:
    polish = conversation.answer("croydon", draw=False, language="pl").text
    assert "kwiecień 2024" in polish and "April" not in polish
    assert "April 2024 to March 2025" in conversation.answer("croydon", draw=False).text


def test_language_names_and_codes() -> None:
    assert [autonym(c) for c in ("pl", "tr", "so", "uk")] == [
        "Polski", "Türkçe", "Soomaali", "Українська",
    ]  # fmt: skip
    assert supported("pt-BR") == "pt" and supported("fr") is None and supported(None) is None


def test_a_language_chosen_by_its_button_is_the_reply_language(
    conversation: Conversation,
) -> None:
    reply = conversation.press("lang:pl", draw=False)
    assert reply.intent == "language"
    assert "Polski" in reply.text and translated("pl", "Language") in reply.text
    labels = [button.label for row in reply.buttons for button in row]
    assert labels == [autonym(c) for c in CODES]


def test_the_month_and_language_names_are_cldr_s_as_babel_gives_them() -> None:
    from bot.core import locale_names

    script = runpy.run_path(str(Path(__file__).resolve().parents[2] / "scripts/locale_names.py"))
    autonyms, months, short = script["names"]()
    assert autonyms == locale_names.AUTONYMS, "run python3 scripts/locale_names.py"
    assert months == locale_names.MONTHS and short == locale_names.SHORT_MONTHS


class _Counting(gettext.NullTranslations):
    """Says which plural form was asked for, and refuses a count that is not a number."""

    def ngettext(self, singular: str, plural: str, n: int) -> str:  # type: ignore[override]
        assert isinstance(n, int), f"plural chosen by {n!r}: {singular[:50]!r}"
        return singular if n == 1 else plural


def test_every_plural_is_chosen_by_its_count_as_a_number(
    conversation: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogs = conversation.renderer.catalogs
    counting = Catalog("pl", _Counting(), "test")
    monkeypatch.setattr(catalogs, "get", lambda code: counting)
    for ask in ("about", "highest", "lowest by rate", "croydon", "croydon month by month",
                "trend croydon", "chart ranking", "figures"):  # fmt: skip
        conversation.answer(ask, draw=True, language="pl")
    conversation.command("about", language="pl")
