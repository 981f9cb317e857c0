"""The quick exit: every message of the conversation deleted in batches of 100, whatever fails."""

from __future__ import annotations

import pytest
from fakebotapi import Call, FakeBotAPI, all_message_ids, visible
from telegram import Bot
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    bot_fixture,  # noqa: F401 - a fixture
    button_data,
    running_bot,
    shown,
)

from bot.core.conversation import Conversation
from bot.fronts.telegram import quick_exit

CHAT = 4242
TOPIC_WORDS = ("abuse", "danger", "999", "croydon", "helpline", "police", "refuge", "hit")


def _deleted_by_batches(api: FakeBotAPI) -> list[int]:
    return [i for c in api.calls_to("deleteMessages") for i in c.params["message_ids"]]


def _batch_sizes(api: FakeBotAPI) -> list[int]:
    return [len(c.params["message_ids"]) for c in api.calls_to("deleteMessages")]


# -- erase() on its own, with a real python-telegram-bot Bot against the fake ------------------


async def _erase(api: FakeBotAPI, ids: list[int]) -> quick_exit.Erased:
    async with Bot(api.token, base_url=api.base_url) as bot:
        return await quick_exit.erase(bot, CHAT, ids)


def _messages(api: FakeBotAPI, count: int, **options: float) -> list[int]:
    return [
        api.send_text(f"message {n}", chat_id=CHAT, **options)["message"]["message_id"]
        for n in range(count)
    ]


async def test_ids_go_in_batches_of_at_most_100_newest_first(api: FakeBotAPI) -> None:
    ids = _messages(api, 250)
    erased = await _erase(api, ids)
    assert _batch_sizes(api) == [100, 100, 50]
    assert _deleted_by_batches(api) == ids[::-1]
    assert sorted(erased.deleted) == sorted(ids) and erased.complete
    assert api.messages(CHAT) == []


async def test_a_refused_batch_is_retried_one_by_one_so_one_bad_id_spares_nothing(
    api: FakeBotAPI,
) -> None:
    ids = _messages(api, 5)
    old = _messages(api, 1, age=49 * 3600)  # too old: Telegram will not delete it
    api.fail("deleteMessages", 400, description="Bad Request: message can't be deleted")
    erased = await _erase(api, [*ids, *old, 999_999])  # and one that does not exist
    assert len(api.calls_to("deleteMessage")) == 7
    assert erased.kept == old
    assert set(erased.deleted) == {*ids, 999_999}  # "not found" is already gone
    assert [m.message_id for m in api.messages(CHAT)] == old


async def test_an_api_failure_is_retried_once_then_the_rest_still_go(api: FakeBotAPI) -> None:
    ids = _messages(api, 150)
    api.fail("deleteMessages", 500, times=2)  # the first (newest) batch fails twice
    erased = await _erase(api, ids)
    assert sorted(erased.failed) == sorted(ids[50:])
    assert sorted(erased.deleted) == sorted(ids[:50])
    assert not erased.complete and erased.settled == erased.deleted
    assert [m.message_id for m in api.messages(CHAT)] == ids[50:]


async def test_a_dropped_connection_does_not_stop_the_erase(api: FakeBotAPI) -> None:
    ids = _messages(api, 120)
    api.drop("deleteMessages")
    erased = await _erase(api, ids)
    assert erased.complete and api.messages(CHAT) == []


async def test_nothing_to_erase_makes_no_call(api: FakeBotAPI) -> None:
    erased = await _erase(api, [])
    assert erased.complete and not api.calls_to("deleteMessages")


# -- end to end: a conversation, then /exit -----------------------------------------------------


def _converse(api: FakeBotAPI) -> None:
    """A dozen messages of every kind, each answered before the next."""
    steps = [
        lambda: api.send_text("/start", chat_id=CHAT),
        lambda: api.send_text("he hit me last night and I'm scared", chat_id=CHAT),
        lambda: api.send_text("croydon", chat_id=CHAT),
        lambda: api.press_button("local:E09000008", chat_id=CHAT),
        lambda: api.send_text("compare ealing and hounslow", chat_id=CHAT),
        lambda: api.send_media("sticker", chat_id=CHAT),
        lambda: api.send_text("/services men", chat_id=CHAT),
        lambda: api.send_media("voice", chat_id=CHAT),
        lambda: api.send_text("where can I get help in camden", chat_id=CHAT),
        lambda: api.press_button("about", chat_id=CHAT),
        lambda: api.send_text("/figures westminster", chat_id=CHAT),
        lambda: api.send_text("thank you", chat_id=CHAT),
    ]
    for answered, step in enumerate(steps, start=1):
        step()
        api.wait_for("sendMessage", answered, where=lambda c: int(c.params["chat_id"]) == CHAT)


def _assert_nothing_names_the_topic(api: FakeBotAPI) -> None:
    for message in api.messages(CHAT):
        words = visible(message.text).lower()
        assert not any(word in words for word in TOPIC_WORDS), message


def test_exit_deletes_every_message_of_the_conversation_both_sides(
    bot: FakeBotAPI,
) -> None:
    _converse(bot)
    bot.send_text("/exit", chat_id=CHAT)
    bot.wait_for("deleteMessages")
    ids = all_message_ids(bot, CHAT)
    assert len(ids) == 23  # ten messages (and two presses), twelve replies, and the /exit
    assert sorted(_deleted_by_batches(bot)) == sorted(ids)
    assert all(size <= 100 for size in _batch_sizes(bot))
    assert bot.messages(CHAT) == []
    _assert_nothing_names_the_topic(bot)
    # Nothing was sent after the exit: the chat is left empty.
    exit_at = bot.calls_to("deleteMessages")[0].at
    assert not [c for c in bot.sent(CHAT) if c.at > exit_at]


def test_every_private_reply_carries_leave_quickly(bot: FakeBotAPI) -> None:
    _converse(bot)
    replies: list[Call] = bot.sent(CHAT)
    assert len(replies) == 12
    for reply in replies:
        assert button_data(reply)[-1] == "exit"
        assert reply.params["reply_markup"]["inline_keyboard"][-1][0]["text"] == "Leave quickly"


def test_the_leave_quickly_button_erases_after_answering_the_press(bot: FakeBotAPI) -> None:
    bot.send_text("croydon", chat_id=CHAT)
    bot.send_text("he is outside the door", chat_id=CHAT)
    bot.wait_for("sendMessage", 2)
    bot.press_button("exit", chat_id=CHAT)
    [deleting] = bot.wait_for("deleteMessages")
    answered = bot.calls_to("answerCallbackQuery")[-1]
    assert answered.at < deleting.at
    assert bot.messages(CHAT) == []


def test_typing_exit_erases_too(bot: FakeBotAPI) -> None:
    bot.send_text("croydon", chat_id=CHAT)
    bot.wait_for("sendMessage")
    bot.send_text("Exit", chat_id=CHAT)
    bot.wait_for("deleteMessages")
    assert bot.messages(CHAT) == []


@pytest.mark.parametrize("words", ["get me out", "leave", "Quit!", "delete this chat"])
def test_every_way_the_core_reads_as_leave_erases_on_telegram(bot: FakeBotAPI, words: str) -> None:
    bot.send_text("croydon", chat_id=CHAT)
    bot.wait_for("sendMessage")
    bot.send_text(words, chat_id=CHAT)
    bot.wait_for("deleteMessages")
    assert bot.messages(CHAT) == []


def test_a_long_conversation_is_erased_in_batches_of_at_most_100(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    for n in range(50):
        api.send_text(f"croydon {n}", chat_id=CHAT)
    with running_bot(api, conversation, chat_pace=None):  # 50 quick replies in one chat
        api.wait_for("sendMessage", 50, timeout=20)  # all answered before the exit
        api.send_text("/exit", chat_id=CHAT)
        api.wait_for("deleteMessages", 2, timeout=20)
    ids = all_message_ids(api, CHAT)
    assert len(ids) == 101  # 50 messages, 50 replies, /exit
    assert _batch_sizes(api) == [100, 1]
    assert sorted(_deleted_by_batches(api)) == sorted(ids)
    assert api.messages(CHAT) == []


def test_when_the_api_fails_the_rest_goes_a_plain_note_says_so_and_exit_again_finishes(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    for n in range(55):
        api.send_text(f"croydon {n}", chat_id=CHAT)
    api.fail("deleteMessages", 500, times=2)  # the newest hundred cannot be deleted, yet
    with running_bot(api, conversation, chat_pace=None):  # 55 quick replies in one chat
        api.wait_for("sendMessage", 55, timeout=20)  # all answered before the exit
        api.send_text("/exit", chat_id=CHAT)
        [note] = api.wait_for("sendMessage", 56)[55:]
        left = api.messages(CHAT)
        assert len(left) == 101  # the failed batch and the note; the older 11 are gone
        assert "delete this chat" in shown(note)
        assert not any(word in shown(note).lower() for word in TOPIC_WORDS)
        api.send_text("/exit", chat_id=CHAT)  # the same exit again: this time it works
        api.wait_for("deleteMessages", 5)
    assert api.messages(CHAT) == []


def test_after_an_exit_the_bot_answers_as_new_and_only_new_messages_are_erased_next(
    bot: FakeBotAPI,
) -> None:
    bot.send_text("croydon", chat_id=CHAT)
    bot.wait_for("sendMessage")
    bot.send_text("/exit", chat_id=CHAT)
    [first] = bot.wait_for("deleteMessages")
    bot.send_text("ealing", chat_id=CHAT)
    [reply] = bot.wait_for("sendMessage", 2)[1:]
    assert "Ealing" in shown(reply)
    bot.send_text("/exit", chat_id=CHAT)
    second = bot.wait_for("deleteMessages", 2)[1]
    assert not set(first.params["message_ids"]) & set(second.params["message_ids"])
    assert len(second.params["message_ids"]) == 3
    assert bot.messages(CHAT) == []


def test_exit_in_a_group_deletes_nothing_and_points_to_a_private_chat(bot: FakeBotAPI) -> None:
    bot.send_text("/exit", chat_id=-77, user_id=5, chat_type="group")
    [note] = bot.wait_for("sendMessage")
    assert "Message me privately" in shown(note)
    assert not bot.calls_to("deleteMessages")


def test_after_a_restart_an_exit_says_older_messages_may_remain(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    with running_bot(api, conversation):
        api.send_text("croydon", chat_id=CHAT)
        api.wait_for("sendMessage")
    with running_bot(api, conversation):  # a new process: it never saw those two messages
        api.press_button("exit", chat_id=CHAT)
        note = api.wait_for("sendMessage", 2)[1]
    assert "delete this chat" in shown(note)
    assert not any(word in shown(note).lower() for word in TOPIC_WORDS)
    [deleting] = api.calls_to("deleteMessages")
    assert len(deleting.params["message_ids"]) == 1  # only the message with the button
    assert len(api.messages(CHAT)) == 2  # the person's "croydon" and the note


def test_an_exit_that_knew_everything_sends_nothing(bot: FakeBotAPI) -> None:
    bot.send_text("croydon", chat_id=CHAT)
    bot.wait_for("sendMessage")
    bot.press_button("exit", chat_id=CHAT)
    bot.wait_for("deleteMessages")
    assert bot.messages(CHAT) == []
    bot.send_text("ealing", chat_id=CHAT)  # answered after the exit finished: one chat, in order
    bot.wait_for("sendMessage", 2)
    assert [shown(c).split(":")[0] for c in bot.sent(CHAT)] == ["Croydon", "Ealing"]


def test_a_message_no_handler_answers_is_still_remembered_and_erased(bot: FakeBotAPI) -> None:
    bot.send_text("croydon", chat_id=CHAT)
    bot.wait_for("sendMessage")
    # Data from a web app: a private message none of the handlers answers. Its id is
    # noted for the quick exit all the same (written by the intake, not with a reply).
    message = bot._new_user_message(CHAT, None, "private", "text", "", 0)
    message["web_app_data"] = {"data": "{}", "button_text": "Open"}
    bot.enqueue({"message": message})
    bot.wait_confirmed()
    bot.send_text("/exit", chat_id=CHAT)
    bot.wait_for("deleteMessages")
    assert message["message_id"] in _deleted_by_batches(bot)
    assert bot.messages(CHAT) == []  # everything went, and no note that something remains
