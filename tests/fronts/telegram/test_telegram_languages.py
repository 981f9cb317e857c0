"""Languages over the real Application and the fake Bot API: the message's, then Telegram's."""

from __future__ import annotations

import json
from collections.abc import Callable

from babel.messages.pofile import read_po
from fakebotapi import Call, FakeBotAPI
from telegram_harness import (  # noqa: F401 - a fixture
    api_fixture,
    bot_fixture,
    shown,
)

from bot.domain.paths import responses_dir


def said(code: str, message: str) -> str:
    with (responses_dir() / "locale" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return str(read_po(f, locale=code)[message].string)


def _last_part(call: Call) -> bool:
    """A long reply comes in parts; its last carries the buttons."""
    return bool(call.params.get("reply_markup"))


def _reply(bot: FakeBotAPI, send: Callable[[], object]) -> Call:
    """The reply to what `send` sends: its last part. Replies are counted before sending,
    as the reply can be in before this thread runs again."""
    done = len([c for c in bot.calls_to("sendMessage") if _last_part(c)])
    send()
    return bot.wait_for("sendMessage", done + 1, timeout=30, where=_last_part)[-1]


def _labels(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def test_a_plea_in_somali_is_answered_in_somali_with_999_first(bot: FakeBotAPI) -> None:
    reply = _reply(bot, lambda: bot.send_text("ninkayga ayaa i garaacaya, i caawiya"))
    assert reply.params["parse_mode"] == "HTML"
    first = said("so", "If you are in danger now, call %(phone)s.") % {"phone": "999"}
    assert shown(reply).splitlines()[0] == "🚨 " + first
    assert said("so", "Leave quickly") in _labels(reply)
    # "croydon" is too short to tell: the chat's language stays.
    assert said("so", "Leave quickly") in _labels(_reply(bot, lambda: bot.send_text("croydon")))


def test_telegram_s_language_code_is_the_fallback(bot: FakeBotAPI) -> None:
    update = bot.send_text("croydon", chat_id=2002, queue=False)
    update["message"]["from"]["language_code"] = "pt-BR"
    reply = _reply(bot, lambda: bot.enqueue({"message": update["message"]}))
    assert said("pt", "Leave quickly") in _labels(reply)
    assert "4,787" in shown(reply)  # numbers in the digits people know


def test_language_lists_the_languages_and_a_press_chooses_one(bot: FakeBotAPI) -> None:
    listing = _reply(bot, lambda: bot.send_text("/language", chat_id=3003))
    assert "Українська" in _labels(listing) and "العربية" in _labels(listing)
    chosen = _reply(bot, lambda: bot.press_button("lang:ar", chat_id=3003))
    assert said("ar", "Leave quickly") in _labels(chosen)
    text = chosen.params["text"]
    assert all(line.startswith("\u200f") for line in text.split("\n") if line)


def test_the_command_menu_is_set_in_every_language_for_apps_set_to_it(bot: FakeBotAPI) -> None:
    menus = bot.wait_for("setMyCommands", 11, timeout=30)
    by_language = {call.params.get("language_code"): call.params["commands"] for call in menus}
    assert set(by_language) == {None, "pl", "ro", "es", "pt", "bn", "ur", "ar", "tr", "so", "uk"}
    polish = {c["command"]: c["description"] for c in _commands(by_language["pl"])}
    assert polish["language"] == said("pl", "Choose the language of my replies")
    assert polish["exit"] == said("pl", "Leave quickly: erase this chat")


def _commands(value: object) -> list[dict[str, str]]:
    """setMyCommands' commands, as the fake recorded them (JSON text or a list)."""
    return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]
