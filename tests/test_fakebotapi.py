"""The fake Bot API refuses what Telegram refuses, with the one Telegram-HTML checker."""

from __future__ import annotations

import pytest
from fakebotapi import FakeBotAPI


@pytest.fixture(name="chat")
def chat_fixture() -> FakeBotAPI:
    fake = FakeBotAPI()  # never started: handle() answers without HTTP
    fake.send_text("hello", chat_id=7)
    return fake


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("<b>never closed", "can't parse entities"),
        ("1 < 2", "can't parse entities"),
        ("<p>paragraph</p>", "can't parse entities"),
        ("<b> </b>", "message text is empty"),
        ("x" * 4097, "message text is too long"),
    ],
)
def test_a_message_telegram_would_refuse_gets_400(chat: FakeBotAPI, text: str, why: str) -> None:
    status, body = chat.handle("sendMessage", {"chat_id": 7, "text": text, "parse_mode": "HTML"})
    assert (status, body["ok"]) == (400, False)
    assert why in body["description"]


def test_a_valid_message_is_kept_in_the_chat(chat: FakeBotAPI) -> None:
    params = {"chat_id": 7, "text": "<b>Ealing</b> &amp; more", "parse_mode": "HTML"}
    status, body = chat.handle("sendMessage", params)
    assert status == 200
    assert [m.text for m in chat.messages(7)] == ["hello", "<b>Ealing</b> &amp; more"]
    assert body["result"]["message_id"] == chat.messages(7)[-1].message_id


def test_unknown_methods_and_chats_are_refused(chat: FakeBotAPI) -> None:
    assert chat.handle("sendTelepathy", {})[0] == 404
    assert chat.handle("sendMessage", {"chat_id": 8, "text": "hi"})[0] == 400
