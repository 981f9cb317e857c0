"""An update python-telegram-bot cannot read: skipped, counted, nothing logged; the bot goes on."""

from __future__ import annotations

import io
import logging
import socket
import time
from typing import Any

import pytest
from fakebotapi import FakeBotAPI
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    logging_restored_fixture,  # noqa: F401 - a fixture
    running_bot,
    shown,
)

from bot.core.conversation import Conversation
from bot.fronts.telegram import logsafe
from bot.fronts.telegram.app import Webhook

NAME = "Zephyrine"  # a first name found nowhere else
WORDS = "he locks the door at night"
CHAT = 73105577


@pytest.fixture
def captured(logging_restored: None) -> io.StringIO:
    stream = io.StringIO()
    logsafe.setup(logging.DEBUG, [], stream=stream)
    return stream


def _poison(api: FakeBotAPI, **change: Any) -> dict[str, Any]:
    """A message update whose date python-telegram-bot cannot read (valid JSON otherwise)."""
    update = api.send_text(WORDS, chat_id=CHAT, queue=False)
    update.pop("update_id")
    message = update["message"]
    message["from"]["first_name"] = message["chat"]["first_name"] = NAME
    message.update(change or {"date": "x"})
    return update


def _assert_nothing_personal(logs: str) -> None:
    assert NAME not in logs and WORDS not in logs and str(CHAT) not in logs


def test_polling_skips_a_poison_update_answers_the_next_and_logs_no_content(
    api: FakeBotAPI, conversation: Conversation, captured: io.StringIO
) -> None:
    poison = api.enqueue(_poison(api))
    api.send_text("croydon", chat_id=2002)
    with running_bot(api, conversation):
        [call] = api.wait_for("sendMessage", timeout=10)
        time.sleep(1.0)
        polls = len(api.calls_to("getUpdates"))
    assert "Croydon: 4,787" in shown(call)
    assert polls < 20  # long polls, not a tight loop on the same update
    logs = captured.getvalue()
    assert f"update {poison['update_id']}, TypeError" in logs
    assert "1 skipped so far" in logs
    _assert_nothing_personal(logs)


def test_a_batch_of_only_updates_without_an_id_backs_off(
    api: FakeBotAPI, conversation: Conversation, captured: io.StringIO
) -> None:
    from bot.fronts.telegram.updates import UnreadableUpdates, Vetting

    with pytest.raises(UnreadableUpdates):
        Vetting().batch([{"message": {"text": WORDS}}, "x"])
    kept = Vetting().batch([{"update_id": 3, "message": {"date": "x", "text": WORDS}}])
    assert [(u.update_id, u.message) for u in kept] == [(3, None)]  # its bare id
    _assert_nothing_personal(captured.getvalue())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_webhook_skips_a_poison_update_with_200_and_logs_no_content(
    api: FakeBotAPI, conversation: Conversation, captured: io.StringIO
) -> None:
    port = _free_port()
    hook = Webhook(f"http://127.0.0.1:{port}/hook", "s3cret", "127.0.0.1", port)
    with running_bot(api, conversation, transport=hook):
        api.wait_for("setWebhook")
        api.send_text("ealing", chat_id=2003)
        api.wait_for("sendMessage")
        poison = _poison(api)
        poison["update_id"] = 777
        # 200: Telegram would otherwise send it again and again.
        assert api.post_webhook(hook.url, poison, "s3cret") == 200
        assert api.post_webhook(hook.url, api.send_text("hounslow", queue=False), "s3cret") == 200
        api.wait_for("sendMessage", 2)
    assert not api.sent(CHAT)
    logs = captured.getvalue()
    assert "update 777, TypeError" in logs
    _assert_nothing_personal(logs)


@pytest.mark.parametrize(
    "record_args",
    [
        ("Received data was %r", {"message": {"text": WORDS}}),
        ("Error while building CallbackContext for update %s.", f"Update({NAME})"),
        ("Processing update %s", [WORDS]),
    ],
)
@pytest.mark.parametrize("name", ["telegram.Bot", "telegram.ext.Application", "tornado.general"])
def test_no_library_record_carries_an_argument_that_could_be_content(
    record_args: tuple[str, object], name: str
) -> None:
    message, argument = record_args
    record = logging.LogRecord(name, logging.CRITICAL, __file__, 1, message, (argument,), None)
    logsafe.RedactFilter([]).filter(record)
    text = record.getMessage()
    assert WORDS not in text and NAME not in text
    assert message.partition("%")[0] in text  # what happened is still said


def test_a_lone_dict_argument_is_not_logged_even_by_its_keys() -> None:
    update = {"message": {WORDS: NAME}}
    record = logging.LogRecord(
        "telegram.Bot", logging.CRITICAL, __file__, 1, "got %r", (update,), None
    )
    logsafe.RedactFilter([]).filter(record)
    assert WORDS not in record.getMessage() and NAME not in record.getMessage()
