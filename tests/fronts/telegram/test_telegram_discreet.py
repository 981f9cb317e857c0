"""Discreet mode: quiet replies whose first line, the one a lock screen shows, says nothing."""

from __future__ import annotations

from fakebotapi import Call, FakeBotAPI
from telegram_harness import (  # noqa: F401 - a fixture
    api_fixture,
    bot_fixture,
    shown,
)

from bot.core.render import Renderer

NEUTRAL = Renderer().render("discreet_line.html")


def preview(call: Call) -> str:
    """The line a notification shows first."""
    return shown(call).splitlines()[0]


def _ask(bot: FakeBotAPI, text: str) -> Call:
    bot.send_text(text)
    return bot.wait_for("sendMessage", len(bot.calls_to("sendMessage")) + 1)[-1]


def test_the_discreet_flag_changes_the_preview_line_and_silences_replies(
    bot: FakeBotAPI,
) -> None:
    before = _ask(bot, "croydon")
    assert preview(before).startswith("Croydon: 4,787")
    assert not before.params.get("disable_notification")

    turned_on = _ask(bot, "/discreet on")
    assert "Discreet mode is on" in shown(turned_on)
    assert preview(turned_on) == NEUTRAL  # the confirmation is already discreet

    during = _ask(bot, "croydon")
    assert preview(during) == NEUTRAL
    assert "Croydon: 4,787" in shown(during)  # the answer is all there, below the line
    assert during.params["disable_notification"] is True
    assert "Croydon" not in preview(during) and "abuse" not in preview(during).lower()

    off = _ask(bot, "/discreet off")
    assert "Discreet mode is off" in shown(off)
    after = _ask(bot, "croydon")
    assert preview(after).startswith("Croydon: 4,787")
    assert not after.params.get("disable_notification")


def test_in_discreet_mode_a_danger_reply_still_starts_with_999_quietly(bot: FakeBotAPI) -> None:
    _ask(bot, "/discreet on")
    danger = _ask(bot, "he is outside the door, I'm scared")
    assert "999" in preview(danger)
    assert danger.params["disable_notification"] is True


def test_discreet_mode_covers_buttons_pictures_notes_and_errors_too(bot: FakeBotAPI) -> None:
    _ask(bot, "/discreet on")
    bot.press_button("about")
    pressed = bot.wait_for("sendMessage", 2)[-1]
    sticker_note = (bot.send_media("sticker"), bot.wait_for("sendMessage", 3)[-1])[1]
    for call in (pressed, sticker_note):
        assert preview(call) == NEUTRAL and call.params["disable_notification"] is True


def test_discreet_is_per_chat(bot: FakeBotAPI) -> None:
    bot.send_text("/discreet on", chat_id=1)
    bot.wait_for("sendMessage")
    bot.send_text("croydon", chat_id=2)
    other = bot.wait_for("sendMessage", 2)[-1]
    assert preview(other).startswith("Croydon")


def test_discreet_without_a_choice_says_how_it_stands_and_how_to_change_it(
    bot: FakeBotAPI,
) -> None:
    status = _ask(bot, "/discreet")
    assert "Discreet mode is off" in shown(status) and "/discreet on" in shown(status)
    _ask(bot, "/discreet on")
    status = _ask(bot, "/discreet maybe")
    assert "Discreet mode is on" in shown(status) and "/discreet off" in shown(status)
    assert "999" in shown(status)  # it says danger replies still lead with 999
