"""One chat's 429 pauses that chat alone; a reply that cannot be sent still gets the note."""

from __future__ import annotations

import time

from fakebotapi import FakeBotAPI
from telegram_harness import api_fixture, running_bot, shown  # noqa: F401 - a fixture

from bot.core.conversation import Conversation


def test_one_chats_429_does_not_hold_up_a_danger_reply_in_another(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.fail("sendMessage", 429, retry_after=3)  # the next send: chat 41's
    api.send_text("croydon", chat_id=41)
    with running_bot(api, conversation):
        api.wait_for("sendMessage", where=lambda c: c.status == 429)
        asked = time.perf_counter()
        api.send_text("he's outside the door and I'm scared", chat_id=42)
        [danger] = api.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 42)
        [late] = api.wait_for(
            "sendMessage", where=lambda c: c.params["chat_id"] == 41 and c.status == 200
        )
    assert danger.at - asked < 1.5  # not behind chat 41's three seconds
    assert "999" in shown(danger).splitlines()[0]
    assert late.at - asked >= 2.5  # chat 41 did wait, and was answered
    assert "Croydon: 4,787" in shown(late)


def test_a_reply_that_fails_after_the_retries_gets_the_note_with_999_and_the_helpline(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.fail("sendMessage", 500, times=3)  # the reply and both its retries
    api.send_text("croydon")
    with running_bot(api, conversation):
        [note] = api.wait_for("sendMessage", where=lambda c: c.status == 200)
    assert "something went wrong" in shown(note)
    assert "999" in shown(note) and "0808 2000 247" in shown(note)


def test_a_reply_refused_with_429_past_the_retries_gets_the_note_after_the_wait(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.fail("sendMessage", 429, retry_after=1, times=4)  # the reply and its three retries
    api.send_text("croydon", chat_id=43)
    with running_bot(api, conversation):
        [note] = api.wait_for("sendMessage", where=lambda c: c.status == 200, timeout=15)
    refused = [c for c in api.calls_to("sendMessage") if c.status == 429]
    assert len(refused) == 4
    assert note.at - refused[-1].at >= 1.0  # Telegram's last wait was honoured
    assert "something went wrong" in shown(note) and "999" in shown(note)
