"""Who goes first: the quick exit jumps its chat's queue, danger jumps everyone's, and a send
whose outcome is unknown is remembered as possibly sent."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fakebotapi import FakeBotAPI
from telegram_harness import api_fixture, running_bot, shown  # noqa: F401 - a fixture

from bot.core.conversation import Conversation
from bot.fronts.telegram.outbox import MemoryOutbox, Outbox, SqliteOutbox

CHAT = 5151
DANGER = "he's outside the door and I'm scared"


@pytest.fixture(name="outbox", params=["memory", "sqlite"])
def outbox_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Outbox:
    """Both ways a waiting reply is held: in the job (memory), or on disk until its turn."""
    if request.param == "memory":
        return MemoryOutbox()
    return SqliteOutbox(tmp_path / "outbox.db")


def _to(chat_id: int):  # type: ignore[no-untyped-def]
    return lambda c: int(c.params["chat_id"]) == chat_id


def test_the_exit_jumps_its_chats_queue_of_40_and_nothing_is_sent_after_it(
    api: FakeBotAPI, conversation: Conversation, outbox: Outbox
) -> None:
    for n in range(40):
        api.send_text(f"croydon {n}", chat_id=CHAT)
    # The chat's pace: 20 at once, then one a second.
    with running_bot(api, conversation, outbox=outbox):
        first = api.wait_for("sendMessage", where=_to(CHAT))[0]  # more may be in already
        asked = time.perf_counter()
        api.press_button("exit", chat_id=CHAT, message_id=first.result["message_id"])
        [erase] = api.wait_for("deleteMessages", timeout=10)
        time.sleep(1.5)  # anything still on its way
    assert erase.at - asked < 3.0  # not behind the chat's own replies (about 20 s of them)
    replies = api.sent(CHAT)
    assert len(replies) < 40  # the replies not yet sent were dropped
    assert not [c for c in replies if c.at > erase.at]  # nothing sent after the erase began
    assert api.messages(CHAT) == []  # every message, a reply landing meanwhile too, is gone
    assert len(api.calls_to("deleteMessages")) == 1  # one erase, nothing left for a second


def test_a_send_whose_outcome_is_unknown_makes_the_exit_say_to_delete_the_chat(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    # Longer than python-telegram-bot's read timeout (5 s): the reply arrives, unseen.
    api.slow("sendMessage", 6.5)
    api.send_text("croydon", chat_id=CHAT)
    with running_bot(api, conversation):
        api.wait_for("sendMessage", 2, timeout=20, where=_to(CHAT))  # the reply, the apology
        api.send_text("/exit", chat_id=CHAT)
        api.wait_for("deleteMessages")
        [note] = api.wait_for("sendMessage", 3, timeout=10, where=_to(CHAT))[2:]
    assert "delete this chat" in shown(note)
    left = [m for m in api.messages(CHAT) if m.from_bot]
    assert len(left) == 2  # the reply whose id the bot never learnt, and the note
    assert "Croydon" in left[0].text


def test_a_danger_message_is_answered_ahead_of_a_crowd_of_ordinary_ones(
    api: FakeBotAPI, conversation: Conversation, outbox: Outbox
) -> None:
    for n in range(300):
        api.send_text("croydon", chat_id=20_000 + n)
    for n in range(5):  # and one chat's own queue
        api.send_text(f"ealing {n}", chat_id=CHAT)
    api.send_text(DANGER, chat_id=CHAT)
    with running_bot(api, conversation, outbox=outbox):
        danger = api.wait_for("sendMessage", timeout=20, where=_to(CHAT))[0]  # the chat's first
        ordinary = api.wait_for("sendMessage", 60, timeout=20)
    assert "999" in shown(danger).splitlines()[0]
    assert int(danger.params["chat_id"]) == CHAT
    before = [c for c in api.sent() if c.at < danger.at]
    assert len(before) < 45  # at 30 a second, the 300 queued ahead would take 10 s
    assert not [c for c in before if int(c.params["chat_id"]) == CHAT]  # ahead of its chat too
    assert len(ordinary) == 60  # and the others are still answered
